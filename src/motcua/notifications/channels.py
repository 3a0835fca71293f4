"""Channels as plug-ins (one registry, like Open Forms' back ends).

A channel turns one rendered message into one delivery attempt and says how it
went, in GOV.UK Notify's words: ``delivered``, ``temporary-failure`` (try again
later: the gateway is down or busy), ``permanent-failure`` (the number or
address is refused: do not try again) or ``technical-failure`` (our side:
credentials, configuration, a malformed answer — tried again).

E-mail goes through Django's mail backends; SMS and Zalo through configurable
HTTP gateways. Every request carries the message's idempotency key as
``reference`` so a gateway that saw it already does not send it twice.
"""

from __future__ import annotations

import base64
import json
import smtplib
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.mail import EmailMessage

from . import conf

DELIVERED = "delivered"
TEMPORARY = "temporary-failure"
PERMANENT = "permanent-failure"
TECHNICAL = "technical-failure"


@dataclass(frozen=True)
class Outgoing:
    channel: str
    to: str
    subject: str
    text: str
    reference: str
    template: str
    #: a channel without texts (``webhook``) gets the message's variables
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    status: str
    response: str = ""
    receipt: str = ""


class Channel(Protocol):
    def send(self, message: Outgoing) -> Outcome: ...


_registry: dict[str, Callable[[], Channel]] = {}


def register(name: str, factory: Callable[[], Channel]) -> None:
    """Make ``name`` a channel; ``factory()`` is called at each delivery so the
    settings in force are read then."""
    _registry[name] = factory


def get(name: str) -> Channel | None:
    factory = _registry.get(name)
    return factory() if factory else None


def names() -> list[str]:
    return sorted(_registry)


# ---------------------------------------------------------------- e-mail
class EmailChannel:
    def send(self, message: Outgoing) -> Outcome:
        mail = EmailMessage(
            subject=message.subject or message.text[:80],
            body=message.text,
            from_email=conf.get("MOTCUA_EMAIL_FROM"),
            to=[message.to],
            headers={"X-MotCua-Reference": message.reference},
        )
        try:
            mail.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            return Outcome(PERMANENT, _short(exc))
        except smtplib.SMTPResponseException as exc:
            status = PERMANENT if 500 <= exc.smtp_code < 600 else TEMPORARY
            return Outcome(status, _short(exc))
        except (smtplib.SMTPException, OSError) as exc:
            return Outcome(TEMPORARY, _short(exc))
        return Outcome(DELIVERED, "accepted by the mail backend")


# ------------------------------------------------------------ HTTP gateways
#: Words in a 2xx answer's ``status`` that still mean the message was refused.
REFUSED_WORDS = frozenset({"rejected", "invalid", "blocked", "permanent-failure"})
RETRY_WORDS = frozenset({"retry", "busy", "throttled", "temporary-failure"})


@dataclass(frozen=True)
class HttpGateway:
    """A brand-name SMS or Zalo-style gateway: POST a JSON body built from a
    template whose string values may hold ``{to}``, ``{text}``, ``{reference}``,
    ``{template}``, ``{brandname}``."""

    url: str
    payload: str
    token: str = ""
    username: str = ""
    password: str = ""
    brandname: str = ""
    timeout: float = 10.0

    def send(self, message: Outgoing) -> Outcome:
        if not self.url:
            return Outcome(TECHNICAL, "gateway URL not configured")
        try:
            body = self.body(message)
        except ValueError as exc:
            return Outcome(TECHNICAL, f"payload template: {exc}")
        request = urllib.request.Request(
            self.url, data=body, method="POST", headers=self.headers(message)
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return classify(answer.status, answer.read(4096))
        except urllib.error.HTTPError as exc:
            return classify(exc.code, exc.read(4096))
        except (urllib.error.URLError, OSError) as exc:
            return Outcome(TEMPORARY, _short(exc))

    def body(self, message: Outgoing) -> bytes:
        values = {
            "to": message.to,
            "text": message.text,
            "reference": message.reference,
            "template": message.template,
            "brandname": self.brandname,
        }
        data = fill(json.loads(self.payload, strict=False), values)
        return json.dumps(data, ensure_ascii=False).encode()

    def headers(self, message: Outgoing) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": message.reference,
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.username:
            raw = f"{self.username}:{self.password}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(raw).decode()
        return headers


def fill(template: Any, values: dict[str, str]) -> Any:
    """Replace ``{name}`` in every string of a parsed JSON template; values are
    inserted as text, so JSON quoting is always right."""
    from .texts import render

    if isinstance(template, str):
        return render(template, values)
    if isinstance(template, list):
        return [fill(item, values) for item in template]
    if isinstance(template, dict):
        return {key: fill(item, values) for key, item in template.items()}
    return template


# ------------------------------------------- HTTP, for every channel that posts
#: Statuses that say "try again later" (with 5xx): the one rule for all channels.
RETRY_STATUSES = frozenset({408, 425, 429})


def is_retryable(status: int) -> bool:
    """Whether an HTTP answer is a temporary failure, to be tried again."""
    return status in RETRY_STATUSES or status >= 500


def answer_text(status: int, raw: bytes) -> str:
    """What the attempt log keeps of an answer: its status and first 500 chars."""
    return f"HTTP {status} {raw.decode('utf-8', 'replace')[:500]}"


def http_failure(status: int, raw: bytes, *, our_credentials: bool) -> Outcome:
    """The outcome of a non-2xx answer. ``our_credentials``: a 401/403 means our
    own configured credentials are wrong — a technical failure, retried once
    the configuration is fixed — rather than a refusal of the message."""
    response = answer_text(status, raw)
    if is_retryable(status):
        return Outcome(TEMPORARY, response)
    if our_credentials and status in (401, 403):
        return Outcome(TECHNICAL, response)
    return Outcome(PERMANENT, response)


def classify_http(status: int, raw: bytes, *, our_credentials: bool) -> Outcome:
    """Any 2xx is delivered (its body is not read); otherwise
    :func:`http_failure`. For channels whose receiver answers by status alone."""
    if 200 <= status < 300:
        return Outcome(DELIVERED, answer_text(status, raw))
    return http_failure(status, raw, our_credentials=our_credentials)


def json_bytes(data: Any) -> bytes:
    """The compact UTF-8 JSON every posting channel sends (and signs)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx comes back as an HTTPError: never followed blindly


#: An opener that never follows a redirect (a signed or personal body is never
#: re-sent to an address the receiver names).
no_redirect_opener = urllib.request.build_opener(_NoRedirect)


def classify(status: int, raw: bytes) -> Outcome:
    """The outcome from the HTTP status and, for a 2xx, the JSON body."""
    if not 200 <= status < 300:
        return http_failure(status, raw, our_credentials=True)
    text = raw.decode("utf-8", "replace")
    response = answer_text(status, raw)
    data = _json(text)
    word = str(data.get("status", "")).lower()
    if word in REFUSED_WORDS:
        return Outcome(PERMANENT, response)
    if word in RETRY_WORDS:
        return Outcome(TEMPORARY, response)
    receipt = next(
        (str(data[k]) for k in ("receipt", "id", "message_id") if data.get(k)),
        "",
    )
    return Outcome(DELIVERED, response, receipt)


def _json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def sms_gateway() -> Channel:
    return HttpGateway(
        url=conf.get("MOTCUA_SMS_URL"),
        payload=conf.get("MOTCUA_SMS_PAYLOAD"),
        token=conf.get("MOTCUA_SMS_TOKEN"),
        username=conf.get("MOTCUA_SMS_USERNAME"),
        password=conf.get("MOTCUA_SMS_PASSWORD"),
        brandname=conf.get("MOTCUA_SMS_BRANDNAME"),
        timeout=conf.number("MOTCUA_NOTIFY_TIMEOUT"),
    )


def zalo_gateway() -> Channel:
    return HttpGateway(
        url=conf.get("MOTCUA_ZALO_URL"),
        payload=conf.get("MOTCUA_ZALO_PAYLOAD"),
        token=conf.get("MOTCUA_ZALO_TOKEN"),
        timeout=conf.number("MOTCUA_NOTIFY_TIMEOUT"),
    )


register("email", EmailChannel)
register("sms", sms_gateway)
register("zalo", zalo_gateway)
