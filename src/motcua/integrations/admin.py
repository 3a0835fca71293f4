"""Admin: clients with their agency scopes and endpoint groups; credentials
issued (shown once) and revoked by action; the request log, read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.core.dates import vn_date_time
from motcua.core.errors import DomainError

from . import selectors, services
from .models import Client, ClientAgency, ClientCredential, ClientRequest
from .scopes import GROUP_LABELS


class ClientForm(forms.ModelForm):
    endpoint_groups = forms.MultipleChoiceField(
        label=_("nhóm API được dùng"),
        choices=list(GROUP_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Client
        fields = ["name", "description", "access", "endpoint_groups", "rate_limit"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            services.validate_settings(
                data.get("access", ""),
                data.get("endpoint_groups", []),
                data.get("rate_limit") or 0,
            )
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        return data


class ClientAgencyInline(admin.TabularInline):
    model = ClientAgency
    extra = 1
    autocomplete_fields = ["agency"]


class CredentialInline(admin.TabularInline):
    model = ClientCredential
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    form = ClientForm
    inlines = [ClientAgencyInline, CredentialInline]
    list_display = ["name", "access", "is_active", "rate_limit", "last_used"]
    list_filter = ["is_active", "access"]
    search_fields = ["name"]
    readonly_fields = ["user", "is_active", "created_at", "created_by", "revoked_at"]
    actions = ["issue_credential", "revoke_client"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoked, never deleted: the history and the read log name its account.
        return False

    @admin.display(description=_("dùng lần cuối"))
    def last_used(self, obj: Client) -> str:
        last = selectors.last_used_at(obj)
        return vn_date_time(last) if last else "—"

    def save_model(
        self, request: HttpRequest, obj: Client, form: Any, change: bool
    ) -> None:
        services.client_prepare(obj, created_by=request.user)
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        services.client_sync_memberships(form.instance)

    @admin.action(description=_("Cấp khóa mới (chỉ hiện một lần)"))
    def issue_credential(
        self, request: HttpRequest, queryset: QuerySet[Client]
    ) -> None:
        for client in queryset:
            try:
                issued = services.credential_issue(client, created_by=request.user)
            except DomainError as exc:
                messages.error(request, f"{client.name}: {exc.message}")
                continue
            messages.warning(
                request,
                gettext(
                    "Khóa của “%(name)s”: %(key)s — hết hạn %(expires)s; chỉ hiện "
                    "một lần, hãy chuyển ngay cho hệ thống tích hợp."
                )
                % {
                    "name": client.name,
                    "key": issued.key,
                    "expires": vn_date_time(issued.credential.expires_at),
                },
            )

    @admin.action(description=_("Thu hồi hệ thống tích hợp (mọi khóa ngừng)"))
    def revoke_client(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        for client in queryset:
            services.client_revoke(client)
        messages.success(request, gettext("Đã thu hồi."))


@admin.register(ClientCredential)
class ClientCredentialAdmin(admin.ModelAdmin):
    list_display = ["prefix", "client", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["client"]
    search_fields = ["prefix", "client__name"]
    readonly_fields = [
        "client",
        "prefix",
        "created_at",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    exclude = ["secret_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # issued from the client's page, to show the key once

    @admin.action(description=_("Thu hồi khóa"))
    def revoke(
        self, request: HttpRequest, queryset: QuerySet[ClientCredential]
    ) -> None:
        for credential in queryset:
            services.credential_revoke(credential)
        messages.success(request, gettext("Đã thu hồi."))


@admin.register(ClientRequest)
class ClientRequestAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "client",
        "credential_prefix",
        "method",
        "route",
        "dossier_code",
        "status",
        "duration_ms",
    ]
    list_filter = ["client", "status", "method"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
