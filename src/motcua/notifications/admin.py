"""Admin: the texts (a change is saved as a new version) and the outbox (read
only; failed messages can be sent again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError

from . import texts
from .models import Attempt, Message, MessageTemplate
from .worker import message_retry


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["key", "channel", "subject", "body"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            texts.check(
                data.get("key", ""), data.get("subject", ""), data.get("body", "")
            )
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ["key", "channel", "version", "subject", "created_at"]
    list_filter = ["key", "channel"]
    readonly_fields = ["version", "created_at"]

    def save_model(
        self, request: HttpRequest, obj: MessageTemplate, form: Any, change: bool
    ) -> None:
        """Never change a text in place: messages already written name its
        version. A save is the next version of (event, channel)."""
        last = MessageTemplate.objects.filter(
            key=obj.key, channel=obj.channel
        ).aggregate(last=Max("version"))["last"]
        obj.pk = None
        obj.version = (last or 0) + 1
        obj.save()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = ("number", "started_at", "finished_at", "outcome", "receipt_id")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "template_key",
        "channel",
        "state",
        "attempts",
        "next_attempt_at",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["state", "channel", "template_key"]
    search_fields = ["dossier__code", "idempotency_key"]
    inlines = [AttemptInline]
    actions = ["retry"]
    exclude = ["recipient"]  # personal data: shown to nobody in lists or forms

    def _hidden(self, obj: Any) -> set[str]:
        """The recipient always; a one-time code's variables too (texts.SECRET)."""
        secret = obj is not None and obj.template_key in texts.SECRET
        return {"recipient", "variables"} if secret else {"recipient"}

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return sorted(self._hidden(obj))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        hidden = self._hidden(obj)
        return [f.name for f in Message._meta.fields if f.name not in hidden]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Gửi lại các tin nhắn đã chọn"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        done = 0
        for message in queryset:
            try:
                message_retry(message)
                done += 1
            except DomainError as exc:
                self.message_user(request, exc.message, messages.WARNING)
        if done:
            self.message_user(
                request, _("Đã đưa %(n)s tin nhắn vào hàng gửi lại.") % {"n": done}
            )
