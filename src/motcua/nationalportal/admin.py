"""Admin: the sync state of each dossier (read only), scoped to the agencies
the user may see; failed dossiers can be sent again once the cause is fixed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.agencies.selectors import visible_agencies
from motcua.core.errors import DomainError

from .models import SyncState
from .services import sync_retry


@admin.register(SyncState)
class SyncStateAdmin(admin.ModelAdmin):
    list_display = [
        "dossier",
        "agency",
        "state",
        "synced_seq",
        "queued_seq",
        "synced_at",
        "attempts",
        "last_attempt_at",
    ]
    list_filter = ["state"]
    search_fields = ["dossier__code"]
    list_select_related = ["dossier", "agency"]
    actions = ["retry"]
    ordering = ["-updated_at", "-id"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SyncState]:
        rows = super().get_queryset(request)
        return rows.filter(agency__in=visible_agencies(request.user))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in SyncState._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Đồng bộ lại các hồ sơ đã chọn"))
    def retry(self, request: HttpRequest, queryset: QuerySet[SyncState]) -> None:
        done = 0
        for state in queryset:
            try:
                sync_retry(state)
                done += 1
            except DomainError as exc:
                self.message_user(
                    request, f"{state.dossier}: {exc.message}", messages.WARNING
                )
        if done:
            self.message_user(
                request,
                gettext("Đã đưa %(n)s hồ sơ vào hàng đồng bộ lại.") % {"n": done},
            )
