"""Admin: ratings (read-mostly), evaluator scores, the 766 definition, and the
citizen's voice: questions and reasons (data), kiosks, duties, follow-ups
(read-only: written by their services)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from motcua.core.errors import DomainError

from .models import (
    CounterDuty,
    EvaluatorScore,
    FollowUp,
    IndexGroup,
    IndexIndicator,
    Kiosk,
    Rating,
    RatingQuestion,
    UnhappyReason,
)
from .questions import check_options


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "agency", "level", "source", "state", "counter", "at"]
    list_filter = ["level", "source", "state"]
    raw_id_fields = ["dossier"]


class RatingQuestionForm(forms.ModelForm):
    class Meta:
        model = RatingQuestion
        fields = [
            "code", "text", "target", "options", "position",
            "valid_from", "valid_to", "source_text",
        ]  # fmt: skip

    def clean_options(self) -> Any:
        options = self.cleaned_data.get("options")
        try:
            check_options(options)
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        return options

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            raise forms.ValidationError(
                "Ngày kết thúc áp dụng phải sau ngày bắt đầu.", code="invalid_period"
            )
        return data


@admin.register(RatingQuestion)
class RatingQuestionAdmin(admin.ModelAdmin):
    form = RatingQuestionForm
    list_display = ["code", "text", "target", "valid_from", "valid_to", "position"]
    list_filter = ["target"]


@admin.register(UnhappyReason)
class UnhappyReasonAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(Kiosk)
class KioskAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "agency", "counter", "created_by", "created_at",
                    "last_seen_at", "revoked_at"]  # fmt: skip
    exclude = ["secret_hash"]


@admin.register(CounterDuty)
class CounterDutyAdmin(ReadOnlyAdmin):
    list_display = ["counter", "agency", "officer", "started_at", "ended_at"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["rating", "agency", "opened_at", "due_at", "answered_by",
                    "answered_at"]  # fmt: skip
    exclude = ["contact_phone"]


@admin.register(EvaluatorScore)
class EvaluatorScoreAdmin(admin.ModelAdmin):
    list_display = ["agency", "year", "quarter", "indicator", "points", "by", "at"]
    list_filter = ["year", "quarter", "indicator"]


class IndexIndicatorInline(admin.TabularInline):
    model = IndexIndicator
    extra = 0


@admin.register(IndexGroup)
class IndexGroupAdmin(admin.ModelAdmin):
    list_display = ["version", "position", "name", "weight"]
    list_filter = ["version"]
    inlines = [IndexIndicatorInline]
