"""Payment settings: a Django setting of the same name wins, else the
environment variable, else the default (``docs/admin-payments.md`` lists them).

Read at each use, so a test's ``override_settings`` or a changed environment
takes effect without a restart of the registry.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings

from motcua.core.errors import DomainError

DEFAULTS: dict[str, str] = {
    # the provider used for new orders; empty: online payment is off
    "MOTCUA_PAYMENT_PROVIDER": "",
    # VNPay-style gateway: merchant (terminal) code, secret, payment page
    "MOTCUA_VNPAY_TMN_CODE": "",
    "MOTCUA_VNPAY_HASH_SECRET": "",
    "MOTCUA_VNPAY_PAYMENT_URL": "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
    # the gateway's transaction query API (querydr)
    "MOTCUA_VNPAY_API_URL": (
        "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction"
    ),
    # where the gateway sends the citizen back; empty: this site's
    # /thanh-toan/ket-qua/ as the citizen's browser reached it
    "MOTCUA_PAYMENT_RETURN_URL": "",
    # minutes the citizen has on the gateway's page
    "MOTCUA_PAYMENT_EXPIRE_MINUTES": "15",
    # seconds to wait for the gateway's query API
    "MOTCUA_PAYMENT_TIMEOUT": "10",
}


def get(name: str) -> str:
    value: Any = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, DEFAULTS[name])
    return str(value).strip()


def number(name: str) -> int:
    try:
        value = int(get(name))
    except ValueError:
        value = 0
    if value <= 0:
        raise DomainError(
            "payment.bad_setting", f"Cấu hình {name} phải là một số nguyên dương."
        )
    return value


def provider_name() -> str:
    return get("MOTCUA_PAYMENT_PROVIDER")
