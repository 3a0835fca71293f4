"""Admin for agencies, their counters and staff roles.

Agencies are saved through ``services.agency_save`` so the tree path stays
right; a refused change (a parent below the agency itself) is a form error,
never a 500.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.core.dates import vn_date
from motcua.core.errors import DomainError
from motcua.deadlines.admin import AgencyOverrideInline

from .models import Agency, Counter, Membership
from .services import agency_check_parent, agency_save


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "code",
            "e_identifier",
            "name",
            "level",
            "parent",
            "is_active",
            "address",
            "hotline",
            "leader_phones",
            "desk_phones",
            "working_hours",
            "supplement_policy",
            "auto_remind_percent",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        level = cleaned.get("level")
        was_district = self.instance.pk is not None and (
            self.initial.get("level") == Agency.Level.DISTRICT
        )
        if level == Agency.Level.DISTRICT and not was_district:
            # Two-tier government since 01/07/2025: districts only as history.
            self.add_error(
                "level",
                _(
                    "Từ ngày 01/07/2025 không còn cấp huyện; cấp này chỉ giữ cho "
                    "các quận, huyện đã có trước đó."
                ),
            )
        if self.instance.pk is not None and "parent" in cleaned:
            try:
                agency_check_parent(self.instance, cleaned["parent"])
            except DomainError as exc:
                self.add_error("parent", exc.message)
        return cleaned


class CounterInline(admin.TabularInline):
    model = Counter
    fields = ["number", "name", "fields", "is_active"]
    filter_horizontal = ["fields"]
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    form = AgencyForm
    list_display = [
        "code",
        "e_identifier",
        "name",
        "level",
        "parent",
        "tree_level",
        "supplement_policy",
        "is_active",
    ]
    list_filter = [
        "level",
        "is_active",
        ("merged_into", admin.EmptyFieldListFilter),
        "supplement_policy",
    ]
    list_select_related = ["parent"]
    search_fields = ["code", "e_identifier", "name"]
    autocomplete_fields = ["parent"]
    readonly_fields = [
        "path",
        "tree_level",
        "merged_into",
        "merged_on",
        "predecessor_list",
        "rename_list",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "e_identifier",
                    "name",
                    "level",
                    "parent",
                    "is_active",
                ]
            },
        ),
        (_("Cây cơ quan"), {"fields": ["path", "tree_level"]}),
        (
            _("Liên hệ công khai"),
            {"fields": ["address", "hotline", "leader_phones", "desk_phones"]},
        ),
        (
            _("Lịch làm việc và hồ sơ"),
            {"fields": ["working_hours", "supplement_policy", "auto_remind_percent"]},
        ),
        (
            _("Sáp nhập (ghi bằng lệnh motcua merge_agencies)"),
            {"fields": ["merged_into", "merged_on", "predecessor_list"]},
        ),
        (
            _("Đổi tên (ghi bằng lệnh motcua rename_agency)"),
            {"fields": ["rename_list"]},
        ),
        (None, {"fields": ["updated_at"]}),
    ]
    inlines = [CounterInline, AgencyOverrideInline]

    @admin.display(description=_("tầng"))
    def tree_level(self, agency: Agency) -> int | None:
        """1 for a root agency, 2 for its children, …"""
        return agency.path.count("/") - 1 if agency.path else None

    @admin.display(description=_("các cơ quan đã sáp nhập vào"))
    def predecessor_list(self, agency: Agency) -> str:
        return "; ".join(
            f"{a.name} ({a.code}, {vn_date(a.merged_on)})"
            for a in agency.predecessors.order_by("merged_on", "code")
        )

    @admin.display(description=_("lịch sử đổi tên"))
    def rename_list(self, agency: Agency) -> str:
        return "; ".join(
            f"{vn_date(r.valid_from)}: {r.old_name} → {r.new_name}"
            for r in agency.renames.order_by("valid_from")
        )

    def save_model(
        self, request: HttpRequest, obj: Agency, form: Any, change: bool
    ) -> None:
        agency_save(obj)


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "agency", "role", "fields", "covers_subtree", "is_active"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "agency", "role", "covers_subtree", "is_active"]
    list_filter = [
        "role",
        "is_active",
        "covers_subtree",
        ("agency", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["user", "agency"]
    search_fields = [
        "user__username",
        "user__last_name",
        "agency__code",
        "agency__name",
    ]
    autocomplete_fields = ["user", "agency"]
    fields = ["user", "agency", "role", "fields", "covers_subtree", "is_active"]
    filter_horizontal = ["fields"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).select_related("user", "agency")


class MembershipInline(admin.TabularInline):
    """A person's roles, on their account page."""

    model = Membership
    fields = ["agency", "role", "fields", "covers_subtree", "is_active"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["fields"]
    extra = 0


User = get_user_model()


class StaffUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, MembershipInline]


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
