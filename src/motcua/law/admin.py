from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError

from .models import LegalRule
from .procedure import check_value
from .services import check_period


class LegalRuleForm(forms.ModelForm):
    class Meta:
        model = LegalRule
        fields = [
            "key",
            "value",
            "valid_from",
            "valid_to",
            "source",
            "confidence",
            "note",
        ]
        widgets = {"value": forms.Textarea(attrs={"rows": 2})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("key"):
            try:
                check_value(data["key"], data.get("value", ""))
                check_period(
                    data["key"],
                    data.get("valid_from"),
                    data.get("valid_to"),
                    exclude_pk=self.instance.pk,
                )
            except DomainError as error:
                raise forms.ValidationError(error.message, code=error.code) from None
        return data


@admin.register(LegalRule)
class LegalRuleAdmin(admin.ModelAdmin):
    form = LegalRuleForm
    list_display = ["key", "period", "value", "source", "confidence"]
    list_filter = ["key", "confidence"]
    search_fields = ["value", "source", "note"]
    ordering = ["key", "valid_from"]

    @admin.display(description=_("giai đoạn"), ordering="valid_from")
    def period(self, rule: LegalRule) -> str:
        start = rule.valid_from.strftime("%d/%m/%Y") if rule.valid_from else "…"
        end = rule.valid_to.strftime("%d/%m/%Y") if rule.valid_to else "…"
        return f"{start} – {end}"
