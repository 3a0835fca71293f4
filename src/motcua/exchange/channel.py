"""The ``exchange`` channel of the outbox: POST one signed request to a peer
and classify its answer (the worker retries temporary failures with backoff
until the maximum age; staff may send a failed one again).

2xx: delivered (a transfer's answer names the peer's dossier). 408, 425, 429,
5xx, timeouts and network errors: temporary. Any other answer, redirects
included (not followed): permanent — the peer refused the request itself, and
the same bytes would be refused again.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from motcua.core import clock
from motcua.notifications import channels, conf
from motcua.notifications.channels import Outcome, Outgoing
from motcua.webhooks.models import url_problem

from . import package, signing
from .models import InboundTransfer, OutboundTransfer, Peer

log = logging.getLogger(__name__)


encode = channels.json_bytes
_opener = channels.no_redirect_opener


def post(peer: Peer, path: str, key: str, body: bytes) -> tuple[int, bytes]:
    """Sign and POST ``body`` to ``path`` on ``peer``; the status and the
    answer's first 64 KB (raises ``OSError`` on network errors)."""
    timestamp = int(clock.now().timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "MotCua-Exchange/1",
        **signing.headers(
            key_id=peer.key_id,
            secret=peer.secret,
            method="POST",
            path=path,
            timestamp=timestamp,
            key=key,
            body=body,
        ),
    }
    request = urllib.request.Request(
        peer.base_url.rstrip("/") + path, data=body, method="POST", headers=headers
    )
    try:
        with _opener.open(
            request, timeout=conf.number("MOTCUA_NOTIFY_TIMEOUT")
        ) as answer:
            return answer.status, answer.read(65536)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(65536)


class ExchangeChannel:
    def send(self, message: Outgoing) -> Outcome:
        data = message.data
        kind = data.get("kind")
        if kind in ("transfer", "cancel"):
            transfer = (
                OutboundTransfer.objects.select_related("peer")
                .filter(pk=int(data.get("transfer") or 0))
                .first()
            )
            peer = transfer.peer if transfer is not None else None
            if kind == "cancel" and transfer is not None:
                path = package.cancel_path(str(transfer.transfer_id))
                transfer = None  # its answer changes nothing here
            else:
                path = package.TRANSFERS_PATH
                cancelled = OutboundTransfer.State.CANCELLED
                if transfer is not None and transfer.state == cancelled:
                    return Outcome(channels.PERMANENT, "transfer cancelled")
        else:
            inbound = (
                InboundTransfer.objects.select_related("peer")
                .filter(pk=int(data.get("inbound") or 0))
                .first()
            )
            peer = inbound.peer if inbound is not None else None
            transfer = None
            path = package.updates_path(
                str((data.get("body") or {}).get("transfer_id"))
            )
        if peer is None or not peer.is_active:
            return Outcome(channels.PERMANENT, "peer inactive or deleted")
        problem = url_problem(peer.base_url)
        if problem:
            return Outcome(channels.PERMANENT, f"peer URL refused: {problem}")
        if "body" not in data:  # the dossier was anonymised before delivery
            return Outcome(channels.PERMANENT, "no body")
        try:
            body = encode(package.with_contents(data["body"]))
        except package.FileChanged as exc:
            return Outcome(channels.PERMANENT, str(exc))
        try:
            status, raw = post(peer, path, message.reference, body)
        except (urllib.error.URLError, OSError) as exc:
            return Outcome(channels.TEMPORARY, f"{type(exc).__name__}: {exc}"[:500])
        outcome = channels.classify_http(status, raw, our_credentials=False)
        if transfer is not None:
            _record_answer(transfer, status, raw)
        return outcome


def _record_answer(transfer: OutboundTransfer, status: int, raw: bytes) -> None:
    """The peer's answer to a package: its dossier code, or its refusal."""
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        answer = {}
    if not isinstance(answer, dict):
        answer = {}
    now = clock.now()
    rows = OutboundTransfer.objects.filter(
        pk=transfer.pk, state=OutboundTransfer.State.SENDING
    )
    if 200 <= status < 300:
        rows.update(
            state=OutboundTransfer.State.ACCEPTED,
            remote_reference=str(answer.get("reference") or "")[:100],
            remote_status=str(answer.get("status") or "")[:32],
            accepted_at=now,
        )
    elif 400 <= status < 500 and not channels.is_retryable(status):
        rows.update(
            state=OutboundTransfer.State.REFUSED,
            refusal=f"{answer.get('code', '')}: {answer.get('message', '')}"[:2000],
        )
    log.info(
        "exchange.transfer_answer transfer=%s status=%s", transfer.transfer_id, status
    )
