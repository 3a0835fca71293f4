"""Admin of the e-forms (Tờ khai điện tử): an administrator edits a
procedure's e-form, or gives one version its own; the schema is checked
(``eform.check_schema``) and every problem shows up as a form error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import eform
from .models import EFormSchema


class EFormSchemaForm(forms.ModelForm):
    class Meta:
        model = EFormSchema
        fields = ["procedure_code", "version", "title", "legal_basis", "schema"]

    def clean_schema(self) -> Any:
        schema = self.cleaned_data.get("schema")
        problems = eform.check_schema(schema)
        if problems:
            raise ValidationError(problems, code="online.invalid_schema")
        return schema

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        version, code = data.get("version"), data.get("procedure_code") or ""
        if version is not None and code and version.procedure.code != code:
            raise ValidationError(
                {
                    "version": _(
                        "Phiên bản này thuộc thủ tục %(other)s, không phải %(code)s."
                    )
                    % {"other": version.procedure.code, "code": code}
                },
                code="online.version_of_another_procedure",
            )
        twins = EFormSchema.objects.filter(procedure_code=code, version__isnull=True)
        if code and version is None and twins.exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _(
                    "Thủ tục %(code)s đã có tờ khai dùng chung; sửa tờ khai đó hoặc "
                    "chọn một phiên bản."
                )
                % {"code": code},
                code="online.duplicate_schema",
            )
        return data


@admin.register(EFormSchema)
class EFormSchemaAdmin(admin.ModelAdmin):
    form = EFormSchemaForm
    list_display = ["procedure_code", "title", "version", "updated_at"]
    search_fields = ["procedure_code", "title"]
    raw_id_fields = ["version"]
