"""The ``dvcqg`` channel of the notifications worker: build the dossier's body
from its verified history and POST it to the configured endpoint (ADR 0025).

Answers: 2xx with ``error_code`` 0 (or none) accepted; 401/403 technical (our
credentials: fixed in the configuration, retried); 408, 425, 429, 5xx, timeouts
and network errors temporary; any other answer — a 4xx, a 2xx with a non-zero
``error_code``, a redirect (not followed) — a rejection, settled for staff.

Nothing personal is logged: the log names the dossier id and event number.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Any

from motcua.core.errors import DomainError
from motcua.dossiers.history import verify_dossier
from motcua.dossiers.models import Dossier, Event
from motcua.notifications import channels
from motcua.notifications.channels import Outcome, Outgoing

from . import conf, payload, services
from .models import SyncState

log = logging.getLogger(__name__)

ACCEPTED_CODES = frozenset({"", "0", "00"})


_opener = channels.no_redirect_opener


def classify(status: int, raw: bytes) -> Outcome:
    """A 2xx whose ``error_code`` is empty or 0 is accepted, any other 2xx a
    refusal; 401/403 are our token (technical, retried once fixed); the
    retryable statuses are the channels' one rule."""
    if not 200 <= status < 300:
        return channels.http_failure(status, raw, our_credentials=True)
    text = raw.decode("utf-8", "replace")
    response = channels.answer_text(status, raw)
    try:
        data = json.loads(text) if text.strip() else {}
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    code = str(data.get("error_code", "")).strip()
    if code in ACCEPTED_CODES:
        return Outcome(channels.DELIVERED, response, str(data.get("id") or ""))
    return Outcome(channels.PERMANENT, response)


def request_key(dossier_id: int, seq: int) -> str:
    """The portal may drop a repeat of the same dossier and history length."""
    return f"dvcqg:dossier:{dossier_id}:seq:{seq}"


def post(body: dict[str, Any], key: str) -> Outcome:
    url = conf.endpoint()
    data = channels.json_bytes(body)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "MotCua-DVCQG/1",
        "Idempotency-Key": key,
    }
    token = conf.get("MOTCUA_DVCQG_TOKEN").strip()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)
    try:
        with _opener.open(request, timeout=conf.timeout()) as answer:
            return classify(answer.status, answer.read(4096))
    except urllib.error.HTTPError as exc:
        return classify(exc.code, exc.read(4096))
    except (urllib.error.URLError, OSError) as exc:
        return Outcome(channels.TEMPORARY, f"{type(exc).__name__}: {exc}"[:500])


class PortalChannel:
    def send(self, message: Outgoing) -> Outcome:
        dossier_id = int(message.data.get("dossier") or 0)
        seq = int(message.data.get("seq") or 0)
        state = SyncState.objects.filter(dossier_id=dossier_id).first()
        if state is None:
            return Outcome(channels.PERMANENT, "no sync state for this dossier")
        if state.synced_seq >= seq:
            # a later delivery carried this event already: nothing to send
            return Outcome(
                channels.DELIVERED, f"already synchronised up to #{state.synced_seq}"
            )
        try:
            outcome, sent = self._deliver(dossier_id)
        except DomainError as exc:  # a setting mistyped: fixed, then retried
            outcome, sent = Outcome(channels.TECHNICAL, exc.code), None
        services.settle(dossier_id, message.reference, outcome, sent)
        log.info(
            "nationalportal.sync dossier=%s seq=%s sent=%s outcome=%s",
            dossier_id,
            seq,
            sent.seq if sent else None,
            outcome.status,
        )
        return outcome

    def _deliver(self, dossier_id: int) -> tuple[Outcome, Event | None]:
        url = conf.endpoint()
        if not url:
            return Outcome(channels.TECHNICAL, "MOTCUA_DVCQG_URL is not set"), None
        problem = conf.endpoint_problem(url)
        if problem:
            return Outcome(channels.TECHNICAL, problem), None
        dossier = Dossier.objects.select_related(
            "applicant", "agency", "procedure", "procedure_version", "field"
        ).get(pk=dossier_id)
        events = list(
            Event.objects.filter(dossier=dossier)
            .select_related("actor", "agency", "step__agency")
            .order_by("seq")
        )
        problems = verify_dossier(dossier, events)
        if problems:  # a tampered history is never passed on
            text = "; ".join(f"#{p.seq or '-'} {p.message}" for p in problems)
            return Outcome(channels.PERMANENT, f"history does not verify: {text}"), None
        sent = events[-1]
        body = payload.build(dossier, events)
        return post(body, request_key(dossier_id, sent.seq)), sent
