"""Online submission (Decree 61/2018/NĐ-CP Art. 14; Decree 45/2020/NĐ-CP on
electronic procedures): prepare a draft, check it, submit it once.

A draft belongs to its owner: the citizen, or the desk officer helping a
citizen ("tổ hướng dẫn nộp hồ sơ trực tuyến"). Submitting creates the dossier
through ``dossiers.services.dossier_submit_online`` (status "Chờ tiếp nhận",
the desk's online queue), ties it to the citizen's account
(``CitizenDossier``), keeps the e-form answers and attaches the uploaded files
through ``dossiers.files`` — all in one transaction. A retried or doubled
request (same ``Idempotency-Key``) returns the dossier already created.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from motcua.agencies.models import Agency
from motcua.catalog.selectors import version_in_force
from motcua.citizens.models import Citizen, CitizenDossier
from motcua.core import clock
from motcua.core.dates import parse_date, vn_date
from motcua.core.errors import Conflict, DomainError
from motcua.dossiers import services as dossier_services
from motcua.dossiers.applicants import (
    NOTIFY_CHANNELS,
    NOTIFY_LABELS,
    ApplicantInput,
    clean_applicant,
)
from motcua.dossiers.idempotency import create_once
from motcua.dossiers.models import Channel, Dossier
from motcua.portal.catalogue import can_submit_online

from . import eform, uploads
from .models import Draft, DraftFile, EFormSchema, OnlineSubmission
from .selectors import agencies_for, schema_for

log = logging.getLogger(__name__)

APPLICANT_FIELDS = ("name", "id_number", "birth_date", "phone", "email", "address")
# Details a verified identity fixes: the applicant cannot type others.
VERIFIED_FIELDS = {
    "name": "full_name",
    "id_number": "identity_number",
    "birth_date": "birth_date",
}
# dossiers.applicants error codes -> the applicant field they concern
APPLICANT_ERROR_FIELDS = {
    "applicant.name_required": "name",
    "applicant.invalid_id_number": "id_number",
    "applicant.invalid_id_kind": "id_number",
    "applicant.birth_date_in_future": "birth_date",
    "applicant.birth_date_too_early": "birth_date",
    "applicant.invalid_phone": "phone",
    "applicant.invalid_email": "email",
    "applicant.notify_without_contact": "notify_channels",
    "applicant.invalid_notify_channel": "notify_channels",
}


class SubmissionInvalid(DomainError):
    """The draft is not ready: ``fields`` maps each field to its message."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(
            "online.invalid",
            "Hồ sơ chưa đủ hoặc chưa đúng thông tin; vui lòng kiểm tra lại.",
        )
        self.fields = fields


@dataclass(frozen=True)
class DraftInput:
    """What a form or the API gives for a draft (every part optional)."""

    agency: Agency | None = None
    applicant: Mapping[str, Any] = field(default_factory=dict)
    answers: Mapping[str, Any] = field(default_factory=dict)
    return_method: str = Draft.ReturnMethod.ONLINE
    notify_channels: Sequence[str] = ()


# ------------------------------------------------------------ the account
def account_details(citizen: Citizen | None) -> dict[str, str]:
    """A citizen account's details, as the e-form's prefill sources name them."""
    if citizen is None:
        return {}
    return {
        "full_name": citizen.full_name,
        "identity_number": citizen.identity_number,
        "birth_date": citizen.birth_date.isoformat() if citizen.birth_date else "",
        "phone": citizen.phone,
        "email": citizen.email,
        "address": citizen.address,
    }


def is_verified(citizen: Citizen | None) -> bool:
    return citizen is not None and citizen.verified_by == Citizen.VerifiedBy.VNEID


def applicant_prefill(citizen: Citizen | None) -> dict[str, str]:
    account = account_details(citizen)
    return {
        "name": account.get("full_name", ""),
        "id_number": account.get("identity_number", ""),
        "birth_date": account.get("birth_date", ""),
        "phone": account.get("phone", ""),
        "email": account.get("email", ""),
        "address": account.get("address", ""),
    }


def _tidy_applicant(given: Mapping[str, Any], citizen: Citizen | None) -> dict:
    tidy = {k: str(given.get(k) or "").strip()[:500] for k in APPLICANT_FIELDS}
    if is_verified(citizen):
        account = account_details(citizen)
        for name, source in VERIFIED_FIELDS.items():
            tidy[name] = account[source]
    return tidy


def applicant_values(draft: Draft) -> dict[str, str]:
    """The applicant's details as they will be submitted (dates dd/mm/yyyy)."""
    given = _tidy_applicant(draft.applicant or {}, draft.citizen)
    birth = parse_date(given["birth_date"]) if given["birth_date"] else None
    if birth is not None:
        given["birth_date"] = vn_date(birth)
    return given


def notify_labels(draft: Draft) -> list[str]:
    """The chosen channels by name, in the page's language."""
    chosen = draft.notify_channels or ()
    return [gettext(NOTIFY_LABELS[c]) for c in chosen if c in NOTIFY_LABELS]


# ------------------------------------------------------------ drafts
def _check_agency(agency: Agency | None, draft: Draft) -> None:
    if agency is None:
        return
    if agency.pk not in {a.pk for a in agencies_for(draft.version)}:
        raise DomainError(
            "online.agency_not_offering",
            f"{agency.name} không thực hiện thủ tục này.",
        )


def _apply(draft: Draft, data: DraftInput) -> None:
    schema = schema_for(draft.version)
    _check_agency(data.agency, draft)
    if data.return_method not in Draft.ReturnMethod.values:
        raise DomainError(
            "online.invalid_return_method", "Cách nhận kết quả không hợp lệ."
        )
    draft.agency = data.agency or draft.agency
    draft.applicant = _tidy_applicant(data.applicant, draft.citizen)
    draft.answers = eform.tidy_answers(schema.schema, data.answers) if schema else {}
    draft.return_method = data.return_method
    chosen = {str(c) for c in data.notify_channels}
    draft.notify_channels = [c for c in NOTIFY_CHANNELS if c in chosen]
    draft.updated_at = clock.now()


def draft_start(
    owner: Any,
    version: Any,
    *,
    citizen: Citizen | None,
    helped: bool = False,
    agency: Agency | None = None,
) -> Draft:
    """A new, unsaved draft of ``version`` for ``owner`` (prefilled)."""
    agencies = agencies_for(version)
    now = clock.now()
    schema = schema_for(version)
    answers = eform.prefill(schema.schema, account_details(citizen)) if schema else {}
    return Draft(
        owner=owner,
        citizen=citizen,
        helped=helped,
        version=version,
        agency=agency or (agencies[0] if len(agencies) == 1 else None),
        applicant=applicant_prefill(citizen),
        answers=answers,
        notify_channels=[],
        created_at=now,
        updated_at=now,
    )


def draft_open(
    owner: Any,
    version: Any,
    *,
    citizen: Citizen | None,
    helped: bool = False,
    agencies: Sequence[Agency] = (),
) -> Draft:
    """A saved, prefilled draft (the desk opens one for a citizen it helps);
    the agency is chosen when ``agencies`` has just one."""
    draft = draft_start(owner, version, citizen=citizen, helped=helped)
    draft.agency = agencies[0] if len(agencies) == 1 else None
    draft.save()
    return draft


@transaction.atomic
def draft_save(
    draft: Draft,
    data: DraftInput,
    *,
    add: Mapping[int, Iterable[Any]] | None = None,
    remove: Iterable[int] = (),
) -> Draft:
    """Save a draft with its new files (``add``: component id → uploads) and
    without the files ``remove`` names. Every upload is checked by content and
    size first: one refused file and nothing is saved."""
    checked = uploads.check_all(draft.version, add or {})
    _apply(draft, data)
    if draft.pk is None:
        draft.created_at = draft.updated_at
    draft.save()
    gone = list(DraftFile.objects.filter(draft=draft, pk__in=list(remove)))
    DraftFile.objects.filter(pk__in=[f.pk for f in gone]).delete()
    uploads.delete_on_commit(gone)
    uploads.store(draft, checked)
    return draft


@transaction.atomic
def draft_delete(draft: Draft) -> None:
    files = list(draft.files.all())
    draft.delete()
    uploads.delete_on_commit(files)


# ------------------------------------------------------------ checks
def _applicant_input(draft: Draft) -> ApplicantInput:
    given = _tidy_applicant(draft.applicant or {}, draft.citizen)
    birth = parse_date(given["birth_date"]) if given["birth_date"] else None
    if given["birth_date"] and birth is None:
        raise DomainError("applicant.invalid_birth_date", "Ngày sinh không hợp lệ.")
    return ApplicantInput(
        name=given["name"],
        id_number=given["id_number"],
        birth_date=birth,
        phone=given["phone"],
        email=given["email"],
        address=given["address"],
        notify_channels=tuple(draft.notify_channels or ()),
    )


def _applicant_problems(draft: Draft) -> dict[str, str]:
    try:
        clean_applicant(_applicant_input(draft))
    except DomainError as exc:
        name = APPLICANT_ERROR_FIELDS.get(exc.code, "")
        if exc.code == "applicant.invalid_birth_date":
            name = "birth_date"
        return {f"applicant.{name}" if name else "applicant": exc.message}
    return {}


def missing_uploads(draft: Draft, schema: EFormSchema | None) -> dict[str, str]:
    """Required components with no file: the e-form stands for the one it
    fills, and papers only shown at the desk need none."""
    have = {f.component_id for f in draft.files.all()}
    missing = {}
    for component in draft.version.components.all():
        if not component.required or component.kind == "shown":
            continue
        if schema and eform.fills(schema.schema, component.name):
            continue
        if component.pk not in have:
            missing[f"component.{component.pk}"] = f"Cần tải lên «{component.name}»."
    return missing


def problems(draft: Draft, today: date) -> dict[str, str]:
    """Everything still wrong with ``draft`` (empty: ready to submit)."""
    found: dict[str, str] = {}
    if draft.agency is None:
        found["agency"] = "Cần chọn cơ quan giải quyết."
    found.update(_applicant_problems(draft))
    address = str((draft.applicant or {}).get("address") or "").strip()
    if draft.return_method == Draft.ReturnMethod.POST and not address:
        found["applicant.address"] = "Cần địa chỉ để nhận kết quả qua bưu chính."
    schema = schema_for(draft.version)
    if schema is not None:
        _, errors = eform.check_answers(schema.schema, draft.answers or {}, today)
        found.update({f"answers.{k}": v for k, v in errors.items()})
    found.update(missing_uploads(draft, schema))
    return found


def _check_version(draft: Draft, today: date) -> None:
    current = version_in_force(draft.version.procedure, today)
    if current.pk != draft.version_id:
        raise Conflict(
            "online.version_changed",
            "Thủ tục vừa có phiên bản mới; vui lòng mở lại tờ khai, kiểm tra "
            "thông tin rồi nộp lại.",
        )
    if not can_submit_online(current):
        raise DomainError(
            "online.not_offered_online",
            "Thủ tục này chưa được cung cấp trực tuyến; vui lòng nộp tại bộ phận "
            "một cửa.",
        )


# ------------------------------------------------------------ submission
def _request_hash(draft: Draft) -> str:
    canonical = json.dumps({"draft": draft.pk}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def draft_submit(actor: Any, draft: Draft, key: str) -> tuple[Dossier, bool]:
    """Submit ``draft`` once per ``(actor, key)``: ``(dossier, replayed)``. A
    concurrent twin loses on the key's unique constraint (or waits on the
    draft's row lock) and gets the same dossier."""
    digest = _request_hash(draft)
    created: list[bool] = []

    def submit() -> Dossier:
        dossier, replayed = _submit_locked(actor, draft)
        created.append(not replayed)
        return dossier

    dossier, replayed = create_once(actor, key, digest, submit)
    return dossier, replayed or created == [False]


def _submit_locked(actor: Any, draft: Draft) -> tuple[Dossier, bool]:
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if locked.dossier_id is not None:  # submitted meanwhile (another key)
        return Dossier.objects.get(pk=locked.dossier_id), True
    today = clock.today()
    _check_version(locked, today)
    errors = problems(locked, today)
    if errors:
        raise SubmissionInvalid(errors)
    return _create(actor, locked, today), False


def _components(draft: Draft, schema: EFormSchema | None) -> tuple:
    have = {f.component_id for f in draft.files.all()}
    return tuple(
        dossier_services.ComponentInput(
            name=c.name,
            kind=c.kind,
            count=c.count,
            received=c.pk in have
            or bool(schema and eform.fills(schema.schema, c.name)),
            template_id=c.pk,
        )
        for c in draft.version.components.all()
    )


def _create(actor: Any, draft: Draft, today: date) -> Dossier:
    schema = schema_for(draft.version)
    assert draft.agency is not None  # checked by problems()
    dossier = dossier_services.dossier_submit_online(
        actor,
        dossier_services.DossierInput(
            agency=draft.agency,
            procedure=draft.version.procedure,
            channel=Channel.ONLINE,
            applicant=_applicant_input(draft),
            components=_components(draft, schema),
        ),
    )
    if draft.citizen is not None:
        CitizenDossier.objects.create(
            citizen=draft.citizen,
            dossier=dossier,
            via=CitizenDossier.Via.HELPED
            if draft.helped
            else CitizenDossier.Via.ONLINE,
            helped_by=actor if draft.helped else None,
        )
    _keep_answers(dossier, draft, schema, today)
    uploads.attach(actor, dossier, list(draft.files.all()))
    draft.dossier = dossier
    draft.save(update_fields=["dossier"])
    log.info("online_submit dossier=%s draft=%s", dossier.pk, draft.pk)
    return dossier


def _keep_answers(
    dossier: Dossier, draft: Draft, schema: EFormSchema | None, today: date
) -> None:
    answers: dict[str, Any] = {}
    if schema is not None:
        answers, _ = eform.check_answers(schema.schema, draft.answers or {}, today)
    canonical = json.dumps(answers, sort_keys=True, ensure_ascii=False)
    OnlineSubmission.objects.create(
        dossier=dossier,
        return_method=draft.return_method,
        title=schema.title if schema else "",
        schema=schema.schema if schema else {},
        answers=answers,
        sha256=hashlib.sha256(canonical.encode()).hexdigest(),
        created_at=clock.now(),
    )
