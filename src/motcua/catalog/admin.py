"""Admin of the catalogue. The rules of ``services`` (non-overlapping versions,
numbering, search text, workflow budget within the legal time) apply here too and
show up as form errors, never as a server error."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError

from . import services
from .models import (
    Component,
    Field,
    Procedure,
    ProcedureVersion,
    ProvinceReception,
    SearchAlias,
    StepTemplate,
)
from .search import search_fold


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]

    def save_model(
        self, request: HttpRequest, obj: Field, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            services.field_refresh_search_text(obj)


VERSION_COLUMNS: list[str] = [
    "number",
    "name",
    "effective_from",
    "effective_to",
    "time_value",
    "time_unit",
]


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = list(VERSION_COLUMNS)
    readonly_fields = VERSION_COLUMNS
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "field", "is_active", "personal_data_retention_years"]
    list_filter = ["field", "is_active"]
    search_fields = ["code", "versions__search_text"]
    filter_horizontal = ["agencies"]
    inlines = [VersionInline]
    change_list_template = "admin/catalog/procedure/change_list.html"

    def get_urls(self) -> list[Any]:
        """Adds "Nhập từ CSDL quốc gia" (``national_admin``)."""
        from .national_admin import national_import_view

        def view(request: HttpRequest) -> HttpResponse:
            return national_import_view(self, request)

        extra = [
            path(
                "nhap-csdl-quoc-gia/",
                self.admin_site.admin_view(view),
                name="catalog_procedure_national_import",
            )
        ]
        return extra + super().get_urls()

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        return super().get_search_results(request, queryset, search_fold(search_term))


class ComponentInline(admin.TabularInline):
    model = Component
    fields = ["position", "name", "kind", "count", "required", "blank_form"]
    extra = 0


class StepFormSet(forms.BaseInlineFormSet):
    """Checks the workflow budget against the version's legal time."""

    def clean(self) -> None:
        super().clean()
        version = self.instance
        steps = [
            (form.cleaned_data["position"], form.cleaned_data["budget_hours"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("position") is not None
            and form.cleaned_data.get("budget_hours") is not None
        ]
        if not version.time_unit:
            return
        try:
            services.check_budget(
                version.time_unit, version.time_value or Decimal(0), steps
            )
        except DomainError as exc:
            raise ValidationError(exc.message, code=exc.code) from None


class StepInline(admin.TabularInline):
    model = StepTemplate
    formset = StepFormSet
    fields = ["position", "name", "role", "unit", "budget_hours"]
    autocomplete_fields = ["unit"]
    extra = 0


class VersionForm(forms.ModelForm):
    class Meta:
        model = ProcedureVersion
        fields = [
            "procedure",
            "effective_from",
            "effective_to",
            "name",
            "level",
            "time_value",
            "time_unit",
            "channel_times",
            "fee_text",
            "fee_amount",
            "result_documents",
            "legal_basis",
            "online_level",
            "aliases",
            "decision",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        procedure = data.get("procedure") or getattr(self.instance, "procedure", None)
        start = data.get("effective_from")
        if procedure is not None and start is not None:
            try:
                services.check_effective_range(
                    procedure, start, data.get("effective_to"), exclude=self.instance
                )
            except DomainError as exc:
                raise ValidationError(exc.message, code=exc.code) from None
        return data


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    form = VersionForm
    list_display = [
        "procedure",
        "number",
        "name",
        "effective_from",
        "effective_to",
        "online_level",
    ]
    list_filter = ["online_level", "level", "procedure__field"]
    search_fields = ["procedure__code", "search_text"]
    list_select_related = ["procedure"]
    readonly_fields = ["number"]
    autocomplete_fields = ["procedure"]
    inlines = [ComponentInline, StepInline]
    date_hierarchy = "effective_from"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        return super().get_search_results(request, queryset, search_fold(search_term))

    def save_model(
        self, request: HttpRequest, obj: ProcedureVersion, form: Any, change: bool
    ) -> None:
        if obj.pk is None:
            obj.number = services.next_version_number(obj.procedure)
        services.close_previous_versions(obj.procedure, obj.effective_from)
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        services.refresh_search_text(form.instance)


@admin.register(ProvinceReception)
class ProvinceReceptionAdmin(admin.ModelAdmin):
    """The province's published list of procedures any of its centres receives
    for the competent agency (Decree 118/2025)."""

    list_display = ["procedure", "province", "valid_from", "valid_to", "basis"]
    list_filter = ["province"]
    search_fields = ["procedure__code", "basis"]
    autocomplete_fields = ["procedure"]
    date_hierarchy = "valid_from"


class SearchAliasForm(forms.ModelForm):
    class Meta:
        model = SearchAlias
        fields = ["procedure_code", "phrase"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        phrase, code = data.get("phrase") or "", data.get("procedure_code") or ""
        twins = SearchAlias.objects.filter(
            procedure_code=code, folded=search_fold(phrase)
        )
        if code and phrase and twins.exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("Thủ tục %(code)s đã có cách gọi «%(phrase)s»."),
                code="catalog.duplicate_alias",
                params={"code": code, "phrase": phrase},
            )
        return data


@admin.register(SearchAlias)
class SearchAliasAdmin(admin.ModelAdmin):
    """The words people use for a procedure, which the public search ranks
    right after the procedure's name (docs/guide-citizens.md)."""

    form = SearchAliasForm
    list_display = ["phrase", "procedure_code"]
    search_fields = ["procedure_code", "folded"]
    ordering = ["procedure_code", "phrase"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        return super().get_search_results(request, queryset, search_fold(search_term))

    def save_model(
        self, request: HttpRequest, obj: SearchAlias, form: Any, change: bool
    ) -> None:
        services.search_alias_save(obj)
