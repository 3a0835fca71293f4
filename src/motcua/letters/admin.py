from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import LetterTemplate


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ("procedure_code", "kind", "title", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("procedure_code", "title")
    fieldsets = (
        (None, {"fields": ("procedure_code", "kind", "valid_from", "valid_to")}),
        (_("Nội dung"), {"fields": ("title", "body", "signer_title")}),
    )
