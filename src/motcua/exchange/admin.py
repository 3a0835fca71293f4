"""Admin: peers (with their technical account), the agencies they serve, and
the transfers both ways (read only; a failed package can be sent again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError

from . import services
from .models import (
    InboundTransfer,
    OutboundTransfer,
    Peer,
    RemoteAgency,
    StatusUpdate,
)
from .outbound import transfer_message


class RemoteAgencyInline(admin.TabularInline):
    model = RemoteAgency
    extra = 0
    autocomplete_fields = ["agency"]


class PeerForm(forms.ModelForm):
    """The shared secret is typed in (from the other side) or generated, and
    never shown again: left empty on a change, it stays as it was."""

    secret = forms.CharField(
        label=_("khóa bí mật"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Nhập khóa do hệ thống bên kia cung cấp, hoặc để trống để tạo khóa mới "
            "(hiện một lần). Khi sửa: để trống là giữ nguyên khóa cũ."
        ),
    )

    class Meta:
        model = Peer
        fields = ["code", "name", "base_url", "key_id", "secret", "is_active"]

    def clean_secret(self) -> str:
        secret = str(self.cleaned_data.get("secret") or "")
        if secret and len(secret) < 32:
            raise forms.ValidationError(
                _("Khóa bí mật phải dài ít nhất 32 ký tự."),
                code="exchange.short_secret",
            )
        if not secret and self.instance.pk:
            return str(self.instance.secret)
        return secret


@admin.register(Peer)
class PeerAdmin(admin.ModelAdmin):
    form = PeerForm
    list_display = ["code", "name", "base_url", "key_id", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    readonly_fields = ["account", "created_at"]
    inlines = [RemoteAgencyInline]

    def save_model(
        self, request: HttpRequest, obj: Peer, form: Any, change: bool
    ) -> None:
        generated = not obj.secret
        services.peer_prepare(obj)
        if generated:
            self.message_user(
                request,
                _(
                    "Khóa bí mật mới (chỉ hiện một lần, hãy trao cho hệ thống bên kia "
                    "qua kênh an toàn): %(secret)s"
                )
                % {"secret": obj.secret},
                messages.WARNING,
            )

    def save_formset(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        super().save_formset(request, form, formset, change)
        for remote in formset.queryset.model.objects.filter(peer=form.instance):
            services.remote_agency_link(remote.agency, remote.peer, remote.remote_code)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # transfers name it; deactivate instead


class StatusUpdateInline(admin.TabularInline):
    model = StatusUpdate
    extra = 0
    can_delete = False
    fields = ("sequence", "status", "at", "received_at", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboundTransfer)
class OutboundTransferAdmin(_ReadOnly):
    list_display = [
        "transfer_id",
        "dossier",
        "peer",
        "remote_code",
        "state",
        "delivery",
        "remote_reference",
        "remote_status",
        "created_at",
    ]
    list_filter = ["state", "peer"]
    search_fields = ["dossier__code", "remote_reference"]
    inlines = [StatusUpdateInline]
    actions = ["retry"]

    @admin.display(description=_("lần gửi"))
    def delivery(self, obj: OutboundTransfer) -> str:
        message = transfer_message(obj)
        if message is None:
            return "—"
        return f"{message.get_state_display()} ({message.attempts})"

    @admin.action(description=_("Gửi lại các hồ sơ liên thông đã chọn"))
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboundTransfer]) -> None:
        done = 0
        for transfer in queryset:
            try:
                services.transfer_retry(transfer)
                done += 1
            except DomainError as exc:
                self.message_user(request, exc.message, messages.WARNING)
        if done:
            self.message_user(
                request,
                _("Đã đưa %(n)s hồ sơ liên thông vào hàng gửi lại.") % {"n": done},
            )


@admin.register(InboundTransfer)
class InboundTransferAdmin(_ReadOnly):
    list_display = [
        "origin_dossier_code",
        "origin_agency_name",
        "dossier",
        "peer",
        "step_name",
        "step_due_at",
        "created_at",
    ]
    list_filter = ["peer"]
    search_fields = ["origin_dossier_code", "dossier__code"]
