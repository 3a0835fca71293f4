"""Reads of payment orders for the citizen's pages and the API."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.portal.qr import token_for

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


def pay_path(dossier: Dossier) -> str | None:
    """The dossier's payment page when there is something to see there (fees
    to pay, or a payment made online), for the tracking page's link."""
    waiting = dossier.status == Status.WAITING_PAYMENT and dossier.fee_amount > 0
    if not waiting and not orders_of(dossier).exists():
        return None
    return reverse("payments:pay", kwargs={"token": token_for(dossier)})
