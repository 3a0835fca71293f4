"""Read-only admin for the read log: the log can be read, never edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ReadLog


@admin.register(ReadLog)
class ReadLogAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "agency", "what", "dossier_code", "count")
    list_filter = ("what",)
    search_fields = ("=dossier_code", "=username")
    date_hierarchy = "at"
    show_full_result_count = False
    fields = (
        "at",
        "username",
        "agency",
        "what",
        "dossier_code",
        "dossier_id",
        "count",
        "detail",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Any | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Any | None = None
    ) -> bool:
        return False
