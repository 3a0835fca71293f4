"""The scheduler's payment job: settle orders whose IPN never came."""

from __future__ import annotations

from datetime import datetime, timedelta

from .services import orders_reconcile

#: Orders are asked about this long after their time ran out (the gateway's IPN
#: usually arrives within seconds; the command's default is the same).
GRACE = timedelta(minutes=5)


def reconcile(now: datetime) -> int:
    """``payments_reconcile`` from ``motcua scheduler`` (every few minutes);
    each order settles in its own transaction, as its callback would."""
    return sum(orders_reconcile(grace=GRACE).values())
