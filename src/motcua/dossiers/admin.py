"""Admin for the one dossier setting an administrator keeps: which procedures
run on a nationwide centralised system and their ``AA`` code (dossier codes from
25/01/2026, Circular 03/2025/TT-VPCP Art. 13(3); ``dossiers.codes``). Dossiers
themselves are changed only through the services, never here."""

from __future__ import annotations

from django.contrib import admin

from .models import CentralisedProcedure


@admin.register(CentralisedProcedure)
class CentralisedProcedureAdmin(admin.ModelAdmin):
    list_display = ["procedure", "system_code", "system_name"]
    search_fields = ["procedure__code", "system_name"]
    autocomplete_fields = ["procedure"]
    fields = ["procedure", "system_code", "system_name"]
