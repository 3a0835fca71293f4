"""Payment providers as plug-ins (one registry, like the notification channels
and Open Forms' payment back ends).

A provider turns one of our orders into the address of the gateway's payment
page, reads what the gateway sends back (the citizen's return and the
server-to-server notification, IPN) — checking its signature and merchant
code before anything else —, answers the gateway in its own words, and asks
the gateway about a transaction. It never touches our database: the services
decide what a verified callback changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

# What a verified callback says about the payment.
SUCCEEDED = "succeeded"
FAILED = "failed"
CANCELLED = "cancelled"
PENDING = "pending"

# Why we refuse a callback (the provider turns these into its own codes).
BAD_SIGNATURE = "bad_signature"
UNKNOWN_ORDER = "unknown_order"
WRONG_AMOUNT = "wrong_amount"
ALREADY_CONFIRMED = "already_confirmed"
CONFIRMED = "confirmed"
REPLAYED = "replayed"
ERROR = "error"


@dataclass(frozen=True)
class OrderRequest:
    """What a provider needs to send the citizen to its payment page."""

    reference: str
    amount: int  # đồng
    description: str  # plain ASCII: gateways refuse diacritics
    return_url: str
    client_ip: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Callback:
    """A callback whose signature and merchant were checked by the provider.
    ``stored`` holds the fields kept with the order: no personal data."""

    reference: str
    amount: int  # đồng
    outcome: str  # SUCCEEDED, FAILED, CANCELLED or PENDING
    response_code: str
    transaction_no: str = ""
    bank_code: str = ""
    paid_at: datetime | None = None
    stored: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Transaction:
    """The gateway's answer to a query about one of our references."""

    found: bool
    reference: str
    outcome: str = PENDING
    amount: int = 0
    transaction_no: str = ""
    bank_code: str = ""
    paid_at: datetime | None = None
    response_code: str = ""


class InvalidCallback(Exception):
    """The callback is not the gateway's (signature, merchant) or unreadable."""


class GatewayUnavailable(Exception):
    """The gateway's API did not answer, or answered something unreadable."""


class Provider(Protocol):
    name: str
    label: str  # shown to citizens and officers: "VNPay"

    def configured(self) -> bool:
        """Merchant code, secret and addresses are set."""
        ...

    def origin(self) -> str:
        """``scheme://host[:port]`` of the payment page (the CSP allows it)."""
        ...

    def redirect_url(self, order: OrderRequest) -> str: ...

    def verify(self, params: Mapping[str, str]) -> Callback:
        """The callback's content, or :class:`InvalidCallback`."""
        ...

    def answer(self, verdict: str) -> dict[str, str]:
        """The body the gateway expects for ``verdict`` (IPN)."""
        ...

    def query(
        self, reference: str, created_at: datetime, client_ip: str
    ) -> Transaction:
        """Ask the gateway; :class:`GatewayUnavailable` when it cannot say."""
        ...


_registry: dict[str, Callable[[], Provider]] = {}


def register(name: str, factory: Callable[[], Provider]) -> None:
    """Make ``name`` a provider; ``factory()`` is called at each use so the
    settings in force are read then."""
    _registry[name] = factory


def get(name: str) -> Provider | None:
    factory = _registry.get(name)
    return factory() if factory else None


def names() -> list[str]:
    return sorted(_registry)
