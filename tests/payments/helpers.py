"""A dossier waiting for its fees, the gateway's settings, and callbacks
signed as the gateway signs them — so a test states only what it changes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.test import Client

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Event
from motcua.payments import vnpay
from motcua.payments.fakegateway import FakeGateway
from motcua.payments.models import PaymentOrder
from motcua.portal.qr import token_for
from tests.dossiers.builders import World, build_world, vn

FEE = 50_000
TMN_CODE = "MOTCUA01"
SECRET = "bi-mat-thu-nghiem-0123456789abcdefghijklmnopqrstuvwxyz"
MON = vn(2025, 6, 2)
ASKED = vn(2025, 6, 3, 9)  # the specialist asks for the fees
PAID = vn(2025, 6, 3, 13)  # three working hours later


def configure(settings: Any, gateway_url: str = "https://gateway.invalid") -> None:
    settings.MOTCUA_PAYMENT_PROVIDER = "vnpay"
    settings.MOTCUA_VNPAY_TMN_CODE = TMN_CODE
    settings.MOTCUA_VNPAY_HASH_SECRET = SECRET
    settings.MOTCUA_VNPAY_PAYMENT_URL = f"{gateway_url}/paymentv2/vpcpay.html"
    settings.MOTCUA_VNPAY_API_URL = f"{gateway_url}/merchant_webapi/api/transaction"
    settings.MOTCUA_PAYMENT_RETURN_URL = ""


@dataclass
class Waiting:
    world: World
    dossier: Dossier

    @property
    def token(self) -> str:
        return token_for(self.dossier)

    def fresh(self) -> Dossier:
        return Dossier.objects.get(pk=self.dossier.pk)


def waiting_for_fees(
    world: World | None = None,
    *,
    received: datetime = MON,
    asked: datetime = ASKED,
    fee: int = FEE,
) -> Waiting:
    """Received, assigned to the specialist, who then asks for the fees."""
    world = world or build_world(fee=fee)
    dossier = world.processing(received)
    with world.at(asked):
        dossier = services.dossier_request_payment(world.specialist, dossier)
    return Waiting(world, dossier)


def start(waiting: Waiting, client: Client | None = None) -> tuple[PaymentOrder, str]:
    """Press «Thanh toán trực tuyến»: the order and the gateway address."""
    response = (client or Client()).post(f"/thanh-toan/{waiting.token}/")
    assert response.status_code == 302, response.content.decode()[:2000]
    location = response["Location"]
    query = dict(parse_qsl(urlsplit(location).query))
    return PaymentOrder.objects.get(reference=query["vnp_TxnRef"]), location


def callback(
    order: PaymentOrder,
    *,
    code: str = "00",
    status: str = "00",
    amount: int | None = None,
    transaction_no: str = "14831393",
    secret: str = SECRET,
    **extra: str,
) -> dict[str, str]:
    """The fields the gateway sends back, signed with ``secret``."""
    fields = {
        "vnp_Amount": str((order.amount if amount is None else amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14831393",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan phi, le phi ho so",
        "vnp_PayDate": "20250603130000",
        "vnp_ResponseCode": code,
        "vnp_TmnCode": TMN_CODE,
        "vnp_TransactionNo": transaction_no,
        "vnp_TransactionStatus": status,
        "vnp_TxnRef": order.reference,
        **extra,
    }
    return vnpay.with_signature(fields, secret)


def ipn(fields: dict[str, str]) -> Any:
    return Client().get("/api/v1/payments/ipn/vnpay/", fields)


def state_of(waiting: Waiting) -> tuple[Any, ...]:
    """Everything a refused callback must leave as it was."""
    d = waiting.fresh()
    orders = tuple(
        PaymentOrder.objects.filter(dossier=d)
        .order_by("pk")
        .values_list(
            "state", "applied", "transaction_no", "paid_at", "callback", "attempts"
        )
    )
    return (
        d.status,
        d.payment_status,
        d.paid_at,
        d.due_at,
        d.paused_at,
        d.lock_version,
        Event.objects.filter(dossier=d).count(),
        orders,
    )


@contextmanager
def running_gateway(ipn_url: str = "", outcome: str = "") -> Iterator[FakeGateway]:
    """The fake gateway on a free port of 127.0.0.1."""
    gateway = FakeGateway(
        0, tmn_code=TMN_CODE, secret=SECRET, ipn_url=ipn_url, outcome=outcome
    )
    gateway.start()
    try:
        yield gateway
    finally:
        gateway.stop()
