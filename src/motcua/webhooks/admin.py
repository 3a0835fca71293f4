"""Admin: subscriptions. The secret is generated on creation and shown once,
in the confirmation message; a new one can be issued with an action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Subscription, new_secret


class SubscriptionForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("các sự kiện"),
        choices=Subscription.event_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Các thao tác trên hồ sơ được gửi tới hệ thống tích hợp."),
    )

    class Meta:
        model = Subscription
        fields = ["name", "agency", "target_url", "events", "is_active"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "agency", "target_url", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "target_url", "agency__code", "agency__name"]
    readonly_fields = ["deactivated_reason", "created_at"]
    autocomplete_fields = ["agency"]
    actions = ["rotate_secret"]

    def save_model(
        self, request: HttpRequest, obj: Subscription, form: Any, change: bool
    ) -> None:
        if obj.is_active:
            obj.deactivated_reason = ""
        super().save_model(request, obj, form, change)
        if not change:
            self._show_secret(request, obj)

    def _show_secret(self, request: HttpRequest, obj: Subscription) -> None:
        messages.warning(
            request,
            gettext(
                "Khóa bí mật của “%(name)s”: %(secret)s — chỉ hiện một lần, hãy "
                "chuyển ngay cho hệ thống tích hợp."
            )
            % {"name": obj.name, "secret": obj.secret},
        )

    @admin.action(description=_("Cấp khóa bí mật mới"))
    def rotate_secret(
        self, request: HttpRequest, queryset: QuerySet[Subscription]
    ) -> None:
        for subscription in queryset:
            subscription.secret = new_secret()
            subscription.save(update_fields=["secret"])
            self._show_secret(request, subscription)
