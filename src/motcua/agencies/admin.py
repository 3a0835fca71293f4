from django.contrib import admin

from motcua.deadlines.admin import AgencyOverrideInline

from .models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "level",
        "parent",
        "working_hours",
        "supplement_policy",
    ]
    list_filter = ["level", "supplement_policy"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["code", "name", "level", "parent"]}),
        ("Lịch làm việc", {"fields": ["working_hours", "supplement_policy"]}),
    ]
    inlines = [AgencyOverrideInline]
