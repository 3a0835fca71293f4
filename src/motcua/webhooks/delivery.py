"""The ``webhook`` channel: POST the JSON body, signed with the subscription's
secret (HMAC-SHA256 over ``<timestamp>.<body>``), and classify the answer.

2xx: delivered. 408, 425, 429, 5xx, timeouts and network errors: temporary
(the worker tries again with backoff). 410 Gone: permanent, and the
subscription is deactivated (the client said the endpoint is gone for good).
Any other answer, redirects included (they are not followed): permanent.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.error
import urllib.request

from motcua.core import clock
from motcua.notifications import channels, conf
from motcua.notifications.channels import Outcome, Outgoing

from .models import Subscription, url_problem

SIGNATURE_HEADER = "X-MotCua-Signature"
EVENT_HEADER = "X-MotCua-Event"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


encode = channels.json_bytes
_opener = channels.no_redirect_opener


class WebhookChannel:
    def send(self, message: Outgoing) -> Outcome:
        data = message.data
        ident = int(data.get("subscription") or 0)
        subscription = Subscription.objects.filter(pk=ident).first()
        if subscription is None or not subscription.is_active:
            return Outcome(channels.PERMANENT, "subscription inactive or deleted")
        problem = url_problem(subscription.target_url)
        if problem:
            return Outcome(channels.PERMANENT, f"target URL refused: {problem}")
        if "body" not in data:  # the dossier was anonymised before delivery
            return Outcome(channels.PERMANENT, "no body")
        body = encode(data["body"])
        timestamp = int(clock.now().timestamp())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "MotCua-Webhooks/1",
            EVENT_HEADER: str(data.get("event", "")),
            "Idempotency-Key": message.reference,
            SIGNATURE_HEADER: (
                f"t={timestamp},v1={signature(subscription.secret, timestamp, body)}"
            ),
        }
        request = urllib.request.Request(
            subscription.target_url, data=body, method="POST", headers=headers
        )
        try:
            with _opener.open(
                request, timeout=conf.number("MOTCUA_NOTIFY_TIMEOUT")
            ) as answer:
                outcome = channels.classify_http(
                    answer.status, answer.read(4096), our_credentials=False
                )
        except urllib.error.HTTPError as exc:
            outcome = channels.classify_http(
                exc.code, exc.read(4096), our_credentials=False
            )
        except (urllib.error.URLError, OSError) as exc:
            outcome = Outcome(channels.TEMPORARY, f"{type(exc).__name__}: {exc}"[:500])
        if outcome.response.startswith("HTTP 410 "):
            Subscription.objects.filter(pk=subscription.pk).update(
                is_active=False, deactivated_reason="HTTP 410 Gone"
            )
        return outcome
