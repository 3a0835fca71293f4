"""The local citizen account: sign in (or register) with a phone number or an
e-mail address proved by a one-time code sent through the outbox.

* 6 digits, kept as an HMAC (never in clear, never logged); valid
  ``MOTCUA_CITIZEN_CODE_MINUTES`` (10) minutes and ``MOTCUA_CITIZEN_CODE_TRIES``
  (5) tries; only the newest code of an address is valid.
* Sending is throttled per address (phone or e-mail) and per client address;
  checking is throttled per address too (:mod:`motcua.security.throttle`).
* The code travels to the worker in the outbox row's variables, with no agency
  (so no agency's "Tin nhắn đã gửi" page lists it); once the code is used,
  replaced or expired the row's variables are erased (:func:`forget_spent`).
* A staff account is never reached: accounts are looked up among citizen rows
  only, and a new account is a new user.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.notifications.models import DUE_STATES, ChannelName, Message, State
from motcua.notifications.outbox import enqueue
from motcua.security import throttle
from motcua.security.throttle import HOUR, Policy

from .access import is_staff_account
from .models import Citizen, SignInCode

log = logging.getLogger(__name__)

TEMPLATE_KEY = "citizen_code"
# Sending: 3 codes an address without waiting, then 1 min, 2 min … up to 1 h.
SEND_ADDRESS = Policy(
    "citizen_code_send", free=3, base_delay=60, max_delay=HOUR, forget_after=HOUR
)
# Sending from one client address (an operator's NAT is shared: generous).
SEND_CLIENT = Policy(
    "citizen_code_client", free=20, base_delay=30, max_delay=HOUR, forget_after=HOUR
)
# Checking: per address, whatever code is current.
CHECK_ADDRESS = Policy(
    "citizen_code_check", free=8, base_delay=30, max_delay=HOUR, forget_after=HOUR
)
PHONE_RE = re.compile(r"^0[35789][0-9]{8}$")
CODE_RE = re.compile(r"^[0-9]{6}$")

WRONG_CODE = (
    "citizens.wrong_code",
    "Mã xác thực không đúng hoặc đã hết hạn. Vui lòng kiểm tra lại hoặc "
    "yêu cầu gửi mã mới.",
)


@dataclass(frozen=True)
class Address:
    channel: str  # SignInCode.Channel
    value: str  # normalised: ten digits starting with 0, or a lower-case e-mail

    @property
    def key(self) -> str:
        return _hmac("address", f"{self.channel}:{self.value}")

    @property
    def outbox_channel(self) -> str:
        return ChannelName.SMS if self.channel == "phone" else ChannelName.EMAIL


def _hmac(scope: str, value: str) -> str:
    secret = settings.SECRET_KEY.encode()
    message = f"motcua.citizens.{scope}\x00{value}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _minutes() -> int:
    return int(getattr(settings, "MOTCUA_CITIZEN_CODE_MINUTES", 10))


def _max_tries() -> int:
    return int(getattr(settings, "MOTCUA_CITIZEN_CODE_TRIES", 5))


def parse_address(text: str) -> Address:
    """A Vietnamese mobile number (0…, +84…, spaces and dots allowed) or an
    e-mail address; anything else is refused with a Vietnamese message."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise _bad_address() from None
        return Address("email", value.lower())
    digits = re.sub(r"[\s.\-()]", "", value)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not PHONE_RE.match(digits):
        raise _bad_address()
    return Address("phone", digits)


def _bad_address() -> DomainError:
    return DomainError(
        "citizens.bad_address",
        "Vui lòng nhập số điện thoại di động (10 chữ số, ví dụ 0905123456) hoặc "
        "địa chỉ thư điện tử hợp lệ.",
    )


def _refused(decision: throttle.Decision) -> DomainError:
    return DomainError(
        throttle.REFUSAL_CODE,
        throttle.refusal_message(decision.retry_after),
        status=429,
    )


def forget_spent(now: Any = None) -> int:
    """Erase the code from the outbox rows of codes that can no longer be used
    (spent, replaced or expired) or that were delivered; a message not sent
    yet is not sent any more. Returns the number of rows erased."""
    now = now or clock.now()
    done = Q(spent_at__isnull=False) | Q(expires_at__lte=now)
    done |= Q(message__state=State.DELIVERED)
    ids = list(
        SignInCode.objects.filter(done, message__isnull=False).values_list(
            "message_id", flat=True
        )[:500]
    )
    if not ids:
        return 0
    with transaction.atomic():
        Message.objects.filter(pk__in=ids, state__in=DUE_STATES).update(
            state=State.PERMANENT_FAILURE, last_error="citizen code no longer valid"
        )
        erased = Message.objects.filter(pk__in=ids).update(variables={})
        SignInCode.objects.filter(message_id__in=ids).update(message=None)
    return int(erased)


def send_code(address: Address, *, client: str) -> SignInCode:
    """Write a new code for ``address`` to the outbox (the previous one stops
    working). Throttled per address and per client address."""
    decision = throttle.attempt([(SEND_ADDRESS, address.key), (SEND_CLIENT, client)])
    if not decision.allowed:
        raise _refused(decision)
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = clock.now()
    with transaction.atomic():
        _supersede(address, now)
        row = SignInCode.objects.create(
            channel=address.channel,
            address_key=address.key,
            code_hash=_hmac("code", f"{address.key}:{code}"),
            created_at=now,
            expires_at=now + timedelta(minutes=_minutes()),
        )
        row.message = enqueue(
            f"citizen-code:{row.pk}",
            channel=address.outbox_channel,
            recipient=address.value,
            key=TEMPLATE_KEY,
            variables=lambda: {"code": code, "minutes": str(_minutes())},
            agency_id=None,
        )
        row.save(update_fields=["message"])
        forget_spent(now)  # the codes this one replaced
    log.info("citizens.code_sent code_id=%s channel=%s", row.pk, address.channel)
    return row


def _supersede(address: Address, now: Any) -> None:
    SignInCode.objects.filter(address_key=address.key, spent_at__isnull=True).update(
        spent_at=now
    )


def check_code(address: Address, typed: str) -> None:
    """Accept ``typed`` for ``address`` or refuse (wrong, expired, spent, too
    many tries). A right code is spent at once."""
    decision = throttle.attempt([(CHECK_ADDRESS, address.key)])
    if not decision.allowed:
        raise _refused(decision)
    typed = unicodedata.normalize("NFKC", typed or "").strip()
    now = clock.now()
    with transaction.atomic():
        row = (
            SignInCode.objects.select_for_update()
            .filter(address_key=address.key, spent_at__isnull=True)
            .order_by("-pk")
            .first()
        )
        if row is None or row.expires_at <= now:
            raise DomainError(*WRONG_CODE)
        row.tries += 1
        expected = _hmac("code", f"{address.key}:{typed}")
        ok = bool(CODE_RE.match(typed)) and hmac.compare_digest(row.code_hash, expected)
        if ok or row.tries >= _max_tries():
            row.spent_at = now
        row.save(update_fields=["tries", "spent_at"])
    if not ok:
        forget_spent(now)
        raise DomainError(*WRONG_CODE)
    throttle.clear([(CHECK_ADDRESS, address.key), (SEND_ADDRESS, address.key)])
    forget_spent(now)


def _find_citizen(address: Address) -> Citizen | None:
    field = "phone" if address.channel == "phone" else "email"
    return (
        Citizen.objects.filter(verified_by=address.channel, **{field: address.value})
        .select_related("user")
        .order_by("pk")
        .first()
    )


@transaction.atomic
def local_citizen(address: Address, full_name: str = "") -> Citizen:
    """The local citizen account of a proved ``address``, created on first use
    (a new user, never an existing one)."""
    from .identity import STAFF_REFUSAL, new_username

    citizen = _find_citizen(address)
    if citizen is not None:
        if is_staff_account(citizen.user):
            raise DomainError(*STAFF_REFUSAL, status=403)
        return citizen
    user = get_user_model().objects.create_user(new_username().replace("vneid-", "cd-"))
    user.set_unusable_password()
    name = " ".join(full_name.split())[:150]
    user.first_name = name
    user.save(update_fields=["password", "first_name"])
    field = "phone" if address.channel == "phone" else "email"
    return Citizen.objects.create(
        user=user, verified_by=address.channel, full_name=name, **{field: address.value}
    )
