from django.contrib import admin

from .models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "working", "reason", "agency"]
    list_filter = ["working", ("agency", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["reason", "agency__name", "agency__code"]
    date_hierarchy = "date"
    autocomplete_fields = ["agency"]


class AgencyOverrideInline(admin.TabularInline):
    model = CalendarOverride
    fields = ["date", "working", "reason"]
    extra = 0
