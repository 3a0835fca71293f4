from django.contrib import admin

from .models import PaymentOrder


@admin.register(PaymentOrder)
class PaymentOrderAdmin(admin.ModelAdmin):
    """Read only: orders change through callbacks, never by hand."""

    list_display = (
        "reference",
        "dossier",
        "agency",
        "amount",
        "provider",
        "state",
        "applied",
        "problem",
        "created_at",
        "paid_at",
    )
    list_filter = ("state", "applied", "provider")
    search_fields = ("reference", "transaction_no", "dossier__code")
    readonly_fields = [f.name for f in PaymentOrder._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
