"""Admin: ratings (read-mostly), evaluator scores and the 766 definition."""

from django.contrib import admin

from .models import EvaluatorScore, IndexGroup, IndexIndicator, Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["dossier", "agency", "level", "source", "at"]
    list_filter = ["level", "source"]
    raw_id_fields = ["dossier"]
    readonly_fields = ["dossier", "agency", "level", "source", "at"]


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
