"""Drive one real MotCua instance for the two-instance exchange test.

Run as ``python -m tests.exchange.instance <command> [json]`` with the
instance's ``DATABASE_URL`` and ``MOTCUA_VAR_DIR`` in the environment (the
web process of that instance reads the same database). Every change goes
through the real services; each command prints one JSON line.

Origin ("a"): a ward whose procedure has a step at a district served by peer
"b". Remote ("b"): that district, receiving the step from peer "a".
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402

from motcua.agencies.models import Agency, Membership, Role  # noqa: E402
from motcua.agencies.services import agency_create  # noqa: E402
from motcua.catalog.models import (  # noqa: E402
    Field,
    Procedure,
    ProcedureVersion,
    StepTemplate,
)
from motcua.dossiers import files, services  # noqa: E402
from motcua.dossiers.models import Dossier, DossierFile, Step  # noqa: E402
from motcua.dossiers.services import (  # noqa: E402
    ApplicantInput,
    ComponentInput,
    DossierInput,
)
from motcua.exchange import channel  # noqa: E402
from motcua.exchange import services as exchange  # noqa: E402
from motcua.exchange.models import (  # noqa: E402
    InboundTransfer,
    OutboundTransfer,
    Peer,
)
from motcua.exchange.outbound import transfer_message  # noqa: E402
from motcua.notifications.channels import Outgoing  # noqa: E402

PROCEDURE = "1.009901"
DISTRICT = "000.00.01.H99"  # the district's code at instance b
PDF = b"%PDF-1.4\n% exchange test\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _user(username: str, agency: Agency, *roles: str) -> Any:
    user = get_user_model().objects.create_user(username, password="pw-" + username)
    for role in roles:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


def _procedure(agency: Agency, steps: list[tuple[int, str, str, Any, str]]) -> None:
    field = Field.objects.create(code="HT", name="Hộ tịch")
    procedure = Procedure.objects.create(code=PROCEDURE, field=field)
    procedure.agencies.set([agency])
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=1,
        effective_from=date(2020, 1, 1),
        name="Xác nhận thông tin hộ tịch",
        time_value=Decimal("5"),
        time_unit="working_days",
    )
    for position, name, role, unit, budget in steps:
        StepTemplate.objects.create(
            version=version,
            position=position,
            name=name,
            role=role,
            unit=unit,
            budget_hours=Decimal(budget),
        )


def seed_origin(args: dict[str, Any]) -> dict[str, Any]:
    city = agency_create(code="000.00.00.A01", name="UBND tỉnh A", level="province")
    ward = agency_create(
        code="000.01.01.A01",
        name="UBND phường Hòa Cường",
        level="commune",
        parent=city,
    )
    stand_in = agency_create(
        code="000.00.99.A01", name="UBND huyện X (tỉnh B)", level="district"
    )
    _procedure(
        ward,
        [
            (1, "Tiếp nhận hồ sơ", "reception", None, "0.5"),
            (2, "Thẩm định tại phường", "specialist", None, "8"),
            (3, "Xác minh tại huyện X", "specialist", stand_in, "16"),
            (4, "Phê duyệt, ký", "leader", None, "4"),
            (5, "Trả kết quả", "reception", None, "0"),
        ],
    )
    _user("mc", ward, Role.RECEPTION)
    _user("cv", ward, Role.SPECIALIST)
    _user("ld", ward, Role.LEADER)
    peer = exchange.peer_prepare(
        Peer(
            code="tinh-b",
            name="Một cửa tỉnh B",
            base_url=args["peer_url"],
            key_id=args["key_id"],
            secret=args["secret"],
        )
    )
    exchange.remote_agency_link(stand_in, peer, DISTRICT)
    return {"seeded": "origin"}


def seed_remote(args: dict[str, Any]) -> dict[str, Any]:
    province = agency_create(code="000.00.00.H99", name="UBND tỉnh B", level="province")
    district = agency_create(
        code=DISTRICT, name="UBND huyện X", level="district", parent=province
    )
    _procedure(district, [(1, "Xác minh, giải quyết", "specialist", None, "16")])
    _user("cvb", district, Role.SPECIALIST)
    _user("ldb", district, Role.LEADER)
    peer = exchange.peer_prepare(
        Peer(
            code="tinh-a",
            name="Một cửa tỉnh A",
            base_url=args["peer_url"],
            key_id=args["key_id"],
            secret=args["secret"],
        )
    )
    exchange.peer_allow_delivery(peer, district)
    return {"seeded": "remote"}


def start(args: dict[str, Any]) -> dict[str, Any]:
    """Origin: receive a dossier with a scan and hand it on to the district."""
    users = get_user_model().objects
    dossier = services.dossier_receive(
        users.get(username="mc"),
        data=DossierInput(
            agency=Agency.objects.get(code="000.01.01.A01"),
            procedure=Procedure.objects.get(code=PROCEDURE),
            channel="direct",
            applicant=ApplicantInput(
                name="Trần Thị Bình", id_number="048090001234", phone="0905123456"
            ),
            components=[ComponentInput(name="Tờ khai")],
        ),
    )
    specialist = users.get(username="cv")
    files.dossier_file_upload(
        specialist,
        dossier,
        upload=ContentFile(PDF, name="to-khai.pdf"),
        component_id=dossier.components.get().pk,
    )
    services.dossier_forward(specialist, dossier)
    return {"code": dossier.code}


def finish(args: dict[str, Any]) -> dict[str, Any]:
    """Remote: the district's specialist verifies and attaches the result; its
    leader finishes the dossier received from the peer."""
    inbound = InboundTransfer.objects.get()
    dossier = inbound.dossier
    specialist = get_user_model().objects.get(username="cvb")
    dossier = services.dossier_forward(specialist, dossier, note="Đã xác minh.")
    files.dossier_file_upload(
        specialist,
        dossier,
        upload=ContentFile(PDF + b"% result\n", name="ket-qua-xac-minh.pdf"),
        kind=DossierFile.Kind.RESULT,
    )
    leader = get_user_model().objects.get(username="ldb")
    dossier = services.dossier_finish(
        leader, dossier, result_summary="Thông tin hộ tịch khớp."
    )
    return {"code": dossier.code, "status": dossier.status}


def resend(args: dict[str, Any]) -> dict[str, Any]:
    """Origin: send the package once more, as a retry would (same key)."""
    message = transfer_message(OutboundTransfer.objects.get())
    assert message is not None
    outcome = channel.ExchangeChannel().send(
        Outgoing(
            channel=message.channel,
            to=message.recipient,
            subject="",
            text="",
            reference=message.idempotency_key,
            template=message.template_key,
            data=message.variables,
        )
    )
    return {"status": outcome.status, "response": outcome.response}


def package(args: dict[str, Any]) -> dict[str, Any]:
    """Origin: the exact bytes the package is sent as, and its key."""
    import base64

    from motcua.exchange.package import with_contents

    message = transfer_message(OutboundTransfer.objects.get())
    assert message is not None
    body = channel.encode(with_contents(message.variables["body"]))
    return {"key": message.idempotency_key, "body": base64.b64encode(body).decode()}


def state(args: dict[str, Any]) -> dict[str, Any]:
    from motcua.notifications.models import Message

    dossiers = []
    for d in Dossier.objects.order_by("id"):
        dossiers.append(
            {
                "code": d.code,
                "status": d.status,
                "due_at": d.due_at.isoformat() if d.due_at else None,
                "steps": [
                    {
                        "position": s.position,
                        "agency": s.agency.code,
                        "state": s.state,
                        "ended_by": s.ended_by.username if s.ended_by else None,
                        "due_at": s.due_at.isoformat() if s.due_at else None,
                    }
                    for s in Step.objects.filter(dossier=d).order_by("id")
                ],
                "files": [
                    {"name": f.original_name, "kind": f.kind, "sha256": f.sha256}
                    for f in d.files.order_by("id")
                ],
                "events": [
                    {"action": e.action, "actor": e.actor_name, "reason": e.reason}
                    for e in d.events.order_by("seq")
                ],
            }
        )
    return {
        "dossiers": dossiers,
        "messages": [
            {
                "key": m.idempotency_key,
                "channel": m.channel,
                "state": m.state,
                "attempts": m.attempts,
            }
            for m in Message.objects.filter(channel="exchange").order_by("id")
        ],
        "outbound": [
            {
                "state": t.state,
                "reference": t.remote_reference,
                "remote_status": t.remote_status,
                "updates": list(t.updates.values_list("sequence", "status")),
            }
            for t in OutboundTransfer.objects.order_by("id")
        ],
        "inbound": [
            {
                "origin": t.origin_dossier_code,
                "dossier": t.dossier.code,
                "transfer_id": str(t.transfer_id),
            }
            for t in InboundTransfer.objects.order_by("id")
        ],
    }


COMMANDS = {
    "seed-origin": seed_origin,
    "seed-remote": seed_remote,
    "start": start,
    "finish": finish,
    "resend": resend,
    "package": package,
    "state": state,
}

if __name__ == "__main__":
    arguments = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    print(json.dumps(COMMANDS[sys.argv[1]](arguments), ensure_ascii=False))
