"""The receiving side of the protocol, in process: signatures, freshness,
replays, idempotency, validation, and the dossier created through the
services (or nothing at all)."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from datetime import timedelta

import pytest

from motcua.core import clock
from motcua.dossiers.models import Dossier, DossierFile
from motcua.exchange import signing
from motcua.exchange.models import InboundTransfer, ReceivedRequest

from .conftest import NOW, PDF, TRANSFERS, Receiving, file_entry

pytestmark = pytest.mark.django_db


def test_the_signature_is_hmac_sha256_over_five_lines() -> None:
    body = b'{"a":1}'
    line = "\n".join(
        [
            "POST",
            "/api/v1/exchange/transfers/",
            "1767225600",
            "transfer:1",
            hashlib.sha256(body).hexdigest(),
        ]
    )
    expected = hmac.new(b"s3cret", line.encode(), hashlib.sha256).hexdigest()
    assert signing.signature(
        "s3cret", "post", "/api/v1/exchange/transfers/", 1767225600, "transfer:1", body
    ) == ("v1=" + expected)


def test_a_package_becomes_one_dossier_and_a_retry_gets_the_same_answer(
    receiving: Receiving,
) -> None:
    transfer_id = str(uuid.uuid4())
    body = receiving.package(transfer_id)
    with clock.frozen_at(NOW):
        first = receiving.post(TRANSFERS, body, key="transfer:1")
    assert first.status_code == 201, first.json()
    reference = first.json()["reference"]
    with clock.frozen_at(NOW + timedelta(seconds=40)):
        again = receiving.post(
            TRANSFERS, body, key="transfer:1", at=NOW + timedelta(seconds=40)
        )
    assert again.status_code == 200
    assert again.json() == first.json()
    dossier = Dossier.objects.get(code=reference)
    assert Dossier.objects.filter(agency=receiving.world.district).count() == 1
    assert dossier.agency == receiving.world.district
    assert dossier.due_at == NOW + timedelta(days=2)  # the step's deadline
    assert dossier.received_by == receiving.peer.account
    inbound = InboundTransfer.objects.get(dossier=dossier)
    assert str(inbound.transfer_id) == transfer_id
    assert inbound.origin_dossier_code == "000.01.01.B01-260310-0001"
    scan = dossier.files.get()
    assert (scan.kind, scan.sha256) == (
        DossierFile.Kind.SCAN,
        hashlib.sha256(PDF).hexdigest(),
    )
    assert scan.component == dossier.components.get()
    assert dossier.applicant.phone == "" and dossier.applicant.no_contact_reason


def test_a_replayed_request_is_refused(receiving: Receiving) -> None:
    body = json.dumps(receiving.package(str(uuid.uuid4()))).encode()
    headers = signing.headers(
        key_id=receiving.peer.key_id,
        secret=receiving.peer.secret,
        method="POST",
        path=TRANSFERS,
        timestamp=int(NOW.timestamp()),
        key="transfer:2",
        body=body,
    )
    with clock.frozen_at(NOW):
        assert (
            receiving.post(TRANSFERS, body, key="", headers=headers).status_code == 201
        )
    with clock.frozen_at(NOW + timedelta(seconds=5)):
        replay = receiving.post(TRANSFERS, body, key="", headers=headers)
    assert replay.status_code == 401
    assert replay.json()["code"] == "exchange.replayed"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"at": NOW - timedelta(seconds=301)}, "exchange.stale"),
        ({"at": NOW + timedelta(seconds=301)}, "exchange.stale"),
        ({"secret": "not-the-secret"}, "exchange.bad_signature"),
    ],
)
def test_stale_or_wrongly_signed_requests_are_refused(
    receiving: Receiving, change: dict, code: str
) -> None:
    with clock.frozen_at(NOW):
        answer = receiving.post(
            TRANSFERS, receiving.package(str(uuid.uuid4())), key="k", **change
        )
    assert answer.status_code == 401
    assert answer.json()["code"] == code
    assert answer.json()["message"]
    assert not Dossier.objects.exists()


def test_a_tampered_body_and_missing_headers_are_refused(receiving: Receiving) -> None:
    body = json.dumps(receiving.package(str(uuid.uuid4()))).encode()
    headers = signing.headers(
        key_id=receiving.peer.key_id,
        secret=receiving.peer.secret,
        method="POST",
        path=TRANSFERS,
        timestamp=int(NOW.timestamp()),
        key="k",
        body=body,
    )
    tampered = body.replace(b"048090001234", b"048090009999")
    with clock.frozen_at(NOW):
        answer = receiving.post(TRANSFERS, tampered, key="", headers=headers)
        assert answer.json()["code"] == "exchange.bad_signature"
        unsigned = receiving.client.post(
            TRANSFERS, data=body, content_type="application/json"
        )
        assert unsigned.status_code == 401
        assert unsigned.json()["code"] == "exchange.signature_missing"
        unknown = receiving.post(
            TRANSFERS, body, key="", headers={**headers, "X-Exchange-Key": "nobody"}
        )
        assert unknown.json()["code"] == "exchange.unknown_key"
    assert not Dossier.objects.exists()


def test_a_key_used_for_another_body_is_a_conflict(receiving: Receiving) -> None:
    with clock.frozen_at(NOW):
        receiving.post(TRANSFERS, receiving.package(str(uuid.uuid4())), key="k1")
        other = receiving.post(
            TRANSFERS,
            receiving.package(str(uuid.uuid4())),
            key="k1",
            at=NOW + timedelta(seconds=1),
        )
    assert other.status_code == 409
    assert other.json()["code"] == "exchange.idempotency_mismatch"
    assert Dossier.objects.count() == 1


def test_an_invalid_body_is_answered_with_its_fields(receiving: Receiving) -> None:
    body = receiving.package("not-a-uuid")
    del body["procedure"]
    body["applicant"]["kind"] = "robot"
    with clock.frozen_at(NOW):
        answer = receiving.post(TRANSFERS, body, key="k")
    assert answer.status_code == 400
    data = answer.json()
    assert data["code"] == "invalid"
    assert {"transfer_id", "procedure", "applicant"} <= set(data["fields"])
    assert "không hợp lệ" in str(data["fields"]["applicant"])


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"to_agency": "999.99.99.Z99"}, 404, "exchange.unknown_agency"),
        ({"procedure": {"code": "9.999999"}}, 404, "exchange.unknown_procedure"),
        ({"files": [file_entry(sha256="0" * 64)]}, 400, "exchange.file_mismatch"),
        ({"files": [file_entry(b"GIF89a not allowed")]}, 400, "file.invalid_type"),
    ],
)
def test_a_package_that_cannot_be_received_changes_nothing(
    receiving: Receiving, change: dict, status: int, code: str
) -> None:
    with clock.frozen_at(NOW):
        answer = receiving.post(
            TRANSFERS, receiving.package(str(uuid.uuid4()), **change), key="k"
        )
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert not Dossier.objects.exists()
    assert not InboundTransfer.objects.exists()
    assert not ReceivedRequest.objects.exists()


def test_an_agency_the_peer_may_not_deliver_to_is_forbidden(
    receiving: Receiving,
) -> None:
    body = receiving.package(
        str(uuid.uuid4()), to_agency=receiving.world.other_ward.code
    )
    with clock.frozen_at(NOW):
        answer = receiving.post(TRANSFERS, body, key="k")
    assert answer.status_code == 403
    assert answer.json()["code"] == "auth.forbidden"
    assert not Dossier.objects.exists()


def test_kept_answers_are_forgotten_after_the_retention_and_a_late_repeat_is_harmless(
    receiving: Receiving,
) -> None:
    from motcua.notifications import scheduler

    body = receiving.package(str(uuid.uuid4()))
    with clock.frozen_at(NOW):
        assert receiving.post(TRANSFERS, body, key="old").status_code == 201
    assert scheduler.run(["exchange_keys_purge"], now=NOW + timedelta(days=29)) == {
        "exchange_keys_purge": 0
    }
    later = NOW + timedelta(days=31)
    assert scheduler.run(["exchange_keys_purge"], now=later) == {
        "exchange_keys_purge": 1
    }
    with clock.frozen_at(later):
        late = receiving.post(TRANSFERS, body, key="old", at=later)
    assert late.status_code == 409
    assert late.json()["code"] == "exchange.duplicate_transfer"
    assert Dossier.objects.count() == 1


def test_a_package_larger_than_the_api_json_limit_is_read_whole(
    receiving: Receiving,
) -> None:
    """Scans travel in the body: 3 MB is over Django's 2.5 MB in-memory body
    limit and the API's 1 MB JSON limit, both meant for other endpoints."""
    big = PDF + b"0" * (3 * 1024 * 1024)
    body = receiving.package(str(uuid.uuid4()), files=[file_entry(big)])
    with clock.frozen_at(NOW):
        answer = receiving.post(TRANSFERS, body, key="big")
    assert answer.status_code == 201, answer.json()
    dossier = Dossier.objects.get(code=answer.json()["reference"])
    assert dossier.files.get().size == len(big)


def test_header_names_are_case_insensitive() -> None:
    signed = signing.read(
        {
            "x-exchange-key": "k",
            "X-EXCHANGE-TIMESTAMP": "1767225600",
            "idempotency-key": "i",
            "X-Exchange-Signature": "v1=00",
        }
    )
    assert (signed.key_id, signed.timestamp, signed.key) == ("k", 1767225600, "i")


def test_a_cancelled_step_withdraws_the_dossier_here_once(
    receiving: Receiving,
) -> None:
    from motcua.notifications.models import Message

    transfer_id = str(uuid.uuid4())
    with clock.frozen_at(NOW):
        created = receiving.post(TRANSFERS, receiving.package(transfer_id), key="t")
    path = f"{TRANSFERS}{transfer_id}/cancel/"
    body = {
        "protocol": "motcua-exchange/1",
        "transfer_id": transfer_id,
        "at": NOW.isoformat(),
        "reason": "Người nộp rút hồ sơ.",
    }
    later = NOW + timedelta(hours=2)
    with clock.frozen_at(later):
        answer = receiving.post(path, body, key="c1", at=later)
        again = receiving.post(path, body, key="c2", at=later)
    assert answer.status_code == 200, answer.json()
    assert answer.json()["cancelled"] is True
    assert again.json() == {**answer.json(), "cancelled": False}
    dossier = Dossier.objects.get(code=created.json()["reference"])
    assert dossier.status == "withdrawn"
    withdrawal = dossier.events.order_by("-seq").first()
    assert withdrawal is not None and "Người nộp rút hồ sơ." in withdrawal.reason
    update = Message.objects.get(channel="exchange")  # told back: withdrawn
    assert update.variables["body"]["status"] == "withdrawn"
