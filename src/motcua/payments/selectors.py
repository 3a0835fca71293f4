"""Reads of payment orders for the citizen's pages and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.dossiers.models import Dossier

from .models import PaymentOrder


def orders_of(dossier: Dossier) -> QuerySet[PaymentOrder]:
    return PaymentOrder.objects.filter(dossier=dossier).order_by("-created_at", "-pk")


def receipt_order(dossier: Dossier) -> PaymentOrder | None:
    """The online payment recorded on the dossier (one at most)."""
    return (
        orders_of(dossier).filter(state=PaymentOrder.State.PAID, applied=True).first()
    )


def order_of(dossier: Dossier, reference: str) -> PaymentOrder | None:
    return orders_of(dossier).filter(reference=reference[:32]).first()
