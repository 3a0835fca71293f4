"""The reception desk (Bộ phận tiếp nhận và trả kết quả): find the procedure,
check the components, scan, see the due date live, and receive, ask to
supplement or refuse (Decree 61/2018 Art. 17) — each outcome prints its slip."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from motcua.agencies.models import Agency, Role
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import (
    competent_agencies,
    receivable_at,
    search_procedures,
    versions_in_force,
)
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.deadlines.engine import DeadlineError
from motcua.deadlines.services import calendar_on
from motcua.deadlines.templatetags.motcua_dates import vn_datetime
from motcua.dossiers import files as dossier_files
from motcua.dossiers import selectors, services
from motcua.dossiers.applicants import REPRESENTATIVE_FIELDS, lookup_forms
from motcua.dossiers.models import Applicant, Channel
from motcua.dossiers.services import ApplicantInput, ComponentInput, DossierInput
from motcua.privacy.services import record_read
from motcua.signing.selectors import duty_for
from motcua.slips.forms import DOSSIER_KINDS

from ..access import Desk, staff_view
from ..forms import DeskForm
from .common import desk_of, legal_time, page

MAX_FILES = 20
SESSION_TOKENS = "backoffice_desk_tokens"
OUTCOME_SLIP = {"receive": "receipt", "supplement": "supplement", "refuse": "refusal"}
# The applicant rules live in the service (dossiers/applicants.py); its error
# code says which field of the form to mark.
APPLICANT_FIELD = {
    "applicant.name_required": "name",
    "applicant.invalid_kind": "kind",
    "applicant.invalid_id_kind": "id_kind",
    "applicant.invalid_id_number": "id_number",
    "applicant.invalid_phone": "phone",
    "applicant.invalid_email": "email",
    "applicant.birth_date_in_future": "birth_date",
    "applicant.birth_date_too_early": "birth_date",
    "applicant.contact_required": "no_contact_reason",
    "applicant.representative_name_required": "representative_name",
    "applicant.representative_id_required": "representative_id_number",
    "applicant.invalid_representative_id": "representative_id_number",
    "applicant.invalid_representative_phone": "representative_phone",
    "applicant.invalid_representative_email": "representative_email",
    "applicant.notify_without_contact": "notify_channels",
    "applicant.invalid_notify_channel": "notify_channels",
}


def _version(desk: Desk, code: str) -> ProcedureVersion | None:
    """The version in force of a procedure the desk may receive: one its agency
    offers, or one its province lists for every centre (Decree 118/2025)."""
    return (
        versions_in_force()
        .filter(receivable_at(desk.agency, clock.today()), procedure__code=code)
        .first()
    )


def _competent(desk: Desk, version: ProcedureVersion) -> list[Agency]:
    """Whom the desk receives this procedure for: its own agency when it settles
    it, else the agencies of the province that do (the officer chooses)."""
    procedure = version.procedure
    if procedure.agencies.filter(pk=desk.agency.pk).exists():
        return [desk.agency]
    return list(competent_agencies(procedure, desk.agency, clock.today()))


def _preview_agency(
    desk: Desk, version: ProcedureVersion, form: DeskForm | None = None
) -> Agency | None:
    """The agency whose calendar the preview uses: the one chosen, else the
    first that settles the procedure."""
    chosen = form["competent"].value() if form is not None else None
    choices = _competent(desk, version)
    return next((a for a in choices if str(a.pk) == str(chosen)), None) or next(
        iter(choices), None
    )


def _due(
    desk: Desk,
    version: ProcedureVersion,
    channel: str,
    agency: Agency | None = None,
) -> dict[str, Any]:
    unit, value = version.time_for(channel)
    now = clock.now()
    try:  # the competent agency's calendar, cut-off of today's law, as reception
        due = calendar_on(agency or desk.agency, now).due(now, unit, value)
    except DeadlineError as exc:
        return {"due_at": None, "text": exc.message, "legal": legal_time(unit, value)}
    return {
        "due_at": due.isoformat() if due else None,
        "text": vn_datetime(due) if due else _("Không có hạn trả kết quả"),
        "legal": legal_time(unit, value),
    }


def _returning(desk: Desk, id_number: str) -> Applicant | None:
    """The applicant as last received by the officer's current agency under this
    ID number, to prefill the form (the officer checks it with the applicant;
    nothing is updated). Another agency's applicants are never searched. The
    look-up is logged as a read of personal data."""
    forms = lookup_forms(id_number)
    if not forms:
        return None
    found = (
        Applicant.objects.filter(agency=desk.agency, id_number__in=forms)
        .order_by("-id")
        .first()
    )
    if found is not None:
        record_read(desk.user, agency=desk.agency, what="applicant_lookup")
    return found


def _checklist(version: ProcedureVersion, data: Any = None) -> list[dict[str, Any]]:
    rows = []
    for c in version.components.all():
        if data is None:
            received, count = True, c.count
        else:
            received = data.get(f"comp-{c.pk}-received") == "on"
            try:
                count = max(0, min(99, int(data.get(f"comp-{c.pk}-count") or 0)))
            except ValueError:
                count = c.count
        rows.append(
            {"c": c, "received": received, "count": count, "kind": c.get_kind_display()}
        )
    return rows


def _check_files(uploads: list[Any]) -> None:
    """Refuse bad scans before anything is written."""
    if len(uploads) > MAX_FILES:
        raise DomainError(
            "file.too_many", _("Tối đa %(n)d tệp mỗi lần.") % {"n": MAX_FILES}
        )
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    for upload in uploads:
        if not upload.size or upload.size > limit:
            megabytes = f"{limit / (1024 * 1024):.0f}"
            raise DomainError(
                "file.too_large",
                _("Tệp «%(name)s» rỗng hoặc lớn hơn %(mb)s MB.")
                % {"name": upload.name, "mb": megabytes},
            )
        upload.seek(0)
        if dossier_files.detect_type(upload.read(16)) is None:
            raise DomainError(
                "file.invalid_type",
                _("Tệp «%(name)s» không phải PDF, JPEG hoặc PNG.")
                % {"name": upload.name},
            )
        upload.seek(0)


def _input(desk: Desk, form: DeskForm, version: ProcedureVersion, rows: list) -> Any:
    data = form.cleaned_data
    return DossierInput(
        agency=data["competent"],
        place=desk.agency,
        procedure=version.procedure,
        channel=Channel.DIRECT,
        applicant=ApplicantInput(
            name=data["name"],
            kind=data["kind"],
            id_kind=data["id_kind"],
            id_number=data["id_number"],
            birth_date=data["birth_date"],
            phone=data["phone"],
            email=data["email"],
            address=data["address"],
            no_contact_reason=data["no_contact_reason"],
            **{name: data[name] for name in REPRESENTATIVE_FIELDS},
            notify_channels=tuple(data["notify_channels"]),
        ),
        components=[
            ComponentInput(
                name=r["c"].name,
                kind=r["c"].kind,
                count=r["count"],
                received=r["received"],
                template_id=r["c"].pk,
            )
            for r in rows
        ],
        counter=data["counter"],
    )


def _decide(desk: Desk, form: DeskForm, version: ProcedureVersion, rows: list) -> Any:
    outcome = form.cleaned_data["outcome"]
    data = _input(desk, form, version, rows)
    reason = form.cleaned_data["reason"]
    if outcome == "receive":
        return services.dossier_receive(desk.user, data=data)
    if outcome == "supplement":
        missing = [r["c"].name for r in rows if not r["received"]]
        return services.dossier_request_supplement(
            desk.user, reason=reason, items=missing, data=data
        )
    return services.dossier_refuse(desk.user, reason=reason, data=data)


def _used_token(request: HttpRequest) -> str | None:
    token = request.POST.get("desk_token", "")
    return request.session.get(SESSION_TOKENS, {}).get(token)


def _remember_token(request: HttpRequest, code: str) -> None:
    token = request.POST.get("desk_token", "")
    if not token:
        return
    tokens = dict(list(request.session.get(SESSION_TOKENS, {}).items())[-19:])
    tokens[token] = code
    request.session[SESSION_TOKENS] = tokens


@require_http_methods(["GET", "POST"])
@staff_view(roles=[Role.RECEPTION])
def desk(request: HttpRequest) -> HttpResponse:
    d = desk_of(request)
    params = request.POST if request.method == "POST" else request.GET
    code = (params.get("procedure") or params.get("thu_tuc") or "").strip()
    version = _version(d, code) if code else None
    q = request.GET.get("q", "")
    found = list(search_procedures(q, desk=d.agency)[:20]) if q.strip() else []
    context: dict[str, Any] = {
        "q": q,
        "found": found,
        "version": version,
        "duty": duty_for(d.agency, clock.today()),
        "max_mb": settings.MOTCUA_MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    if version is None:
        if code:
            context["error"] = _("Không tìm thấy thủ tục «%(code)s» tại cơ quan.") % {
                "code": code
            }
        return page(request, "backoffice/desk.html", context)
    if request.method == "POST" and request.POST.get("lookup"):
        form, rows = _looked_up(request, d, version, context)
        status = 200
    elif request.method == "POST":
        done = _used_token(request)
        if done:
            return redirect("backoffice:desk_done", code=done)
        outcome = _post(request, d, version, context)
        if isinstance(outcome, HttpResponse):
            return outcome
        form, rows, status = outcome
    else:
        form, rows = _blank(request, d, version, context)
        status = 200
    context.update(
        form=form,
        rows=rows,
        due=_due(d, version, Channel.DIRECT, _preview_agency(d, version, form)),
        desk_token=request.POST.get("desk_token") or uuid.uuid4().hex,
    )
    return page(request, "backoffice/desk.html", context, status=status)


def _post(
    request: HttpRequest, d: Desk, version: ProcedureVersion, context: dict
) -> HttpResponse | tuple[DeskForm, list, int]:
    """Receive, ask to supplement or refuse; the scans are checked first and
    attached in the same transaction."""
    form = DeskForm(request.POST, agency=d.agency, competent=_competent(d, version))
    rows = _checklist(version, request.POST)
    if not form.is_valid():
        return form, rows, 400
    uploads = request.FILES.getlist("files")
    try:
        _check_files(uploads)
        with transaction.atomic():
            dossier = _decide(d, form, version, rows)
            for upload in uploads:
                dossier_files.dossier_file_upload(d.user, dossier, upload=upload)
    except DomainError as exc:
        context["error"] = exc.message
        if exc.code in APPLICANT_FIELD:  # the service's rule, shown beside its field
            form.add_error(APPLICANT_FIELD[exc.code], exc.message)
        return form, rows, exc.status
    _remember_token(request, dossier.code)
    url = reverse("backoffice:desk_done", kwargs={"code": dossier.code})
    return redirect(f"{url}?phieu={OUTCOME_SLIP[form.cleaned_data['outcome']]}")


def _blank(
    request: HttpRequest, d: Desk, version: ProcedureVersion, context: dict
) -> tuple[DeskForm, list]:
    initial: dict[str, Any] = {"procedure": version.procedure.code}
    form = DeskForm(initial=initial, agency=d.agency, competent=_competent(d, version))
    return form, _checklist(version)


def _looked_up(
    request: HttpRequest, d: Desk, version: ProcedureVersion, context: dict
) -> tuple[DeskForm, list]:
    """The "returning applicant" button without scripts: a POST (no ID number
    in the address or the access log) that only prefills the form."""
    id_number = request.POST.get("id_number", "").strip()
    typed = {k: request.POST[k] for k in DeskForm.base_fields if k in request.POST}
    initial: dict[str, Any] = typed | {"procedure": version.procedure.code}
    returning = _returning(d, id_number)
    if returning is not None:
        initial.update(_applicant_data(returning))
        context["returning"] = returning
    elif id_number:
        context["not_found_id"] = True
    rows = _checklist(version, request.POST)
    form = DeskForm(initial=initial, agency=d.agency, competent=_competent(d, version))
    return form, rows


def _applicant_data(a: Applicant) -> dict[str, Any]:
    return {
        "id_kind": a.id_kind,
        "id_number": a.id_number,
        "name": a.name,
        "kind": a.kind,
        "birth_date": a.birth_date.isoformat() if a.birth_date else "",
        "phone": a.phone,
        "email": a.email,
        "address": a.address,
    }


@require_GET
@staff_view(roles=[Role.RECEPTION])
def desk_done(request: HttpRequest, code: str) -> HttpResponse:
    dossier = selectors.dossier_for(request.user, code)
    if dossier is None:
        return page(request, "backoffice/not_found.html", status=404)
    kind = request.GET.get("phieu", "receipt")
    if kind not in DOSSIER_KINDS:
        kind = "receipt"
    url = reverse("slips:slip", kwargs={"code": code, "kind": kind})
    return page(
        request,
        "backoffice/desk_done.html",
        {"dossier": dossier, "slip_url": url, "slip_kind": kind},
    )


# ------------------------------------------------------------------ JSON
@require_GET
@staff_view(roles=[Role.RECEPTION])
def procedures_json(request: HttpRequest) -> JsonResponse:
    d = desk_of(request)
    q = request.GET.get("q", "")
    rows = search_procedures(q, desk=d.agency)[:20] if q.strip() else []
    return JsonResponse(
        {
            "results": [
                {
                    "code": v.procedure.code,
                    "name": v.name,
                    "field": v.procedure.field.name,
                    "url": f"{reverse('backoffice:desk')}?thu_tuc={v.procedure.code}",
                }
                for v in rows
            ]
        }
    )


@require_GET
@staff_view(roles=[Role.RECEPTION])
def due_json(request: HttpRequest) -> JsonResponse:
    d = desk_of(request)
    version = _version(d, request.GET.get("thu_tuc", ""))
    if version is None:
        return JsonResponse(
            {"code": "catalog.unknown_procedure", "message": _("Không có thủ tục.")},
            status=404,
        )
    channel = request.GET.get("channel", Channel.DIRECT)
    if channel not in Channel.values:
        channel = Channel.DIRECT
    return JsonResponse(_due(d, version, channel, _preview_agency(d, version)))


@require_POST
@staff_view(roles=[Role.RECEPTION])
def applicant_json(request: HttpRequest) -> JsonResponse:
    """The look-up for the desk's script: POST only, the current agency only."""
    found = _returning(desk_of(request), request.POST.get("id_number", ""))
    if found is None:
        return JsonResponse({"found": False})
    return JsonResponse({"found": True, **_applicant_data(found)})
