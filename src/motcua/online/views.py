"""Online submission pages (issue 12 item 3), mounted at ``/nop-ho-so/``.

A citizen (``citizen_required``) fills the form of a procedure's version in
force, saves it as a draft, reviews it and submits it once; the tracking page
opens at once. A desk officer (reception role) does the same for a citizen
being helped (``helped.py``). Pages render; ``services`` decide.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalog.models import ProcedureVersion
from motcua.citizens.access import citizen_required
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.portal.catalogue import can_submit_online
from motcua.portal.qr import qr_path

from . import eform, selectors, services
from .forms import APPLICANT_LABELS, SubmissionForm, initial_for, show_errors
from .models import Draft
from .services import DraftInput


@dataclass(frozen=True)
class Mode:
    """Who fills the form: the citizen, or the desk for a citizen."""

    helped: bool
    prefix: str  # URL names: "online:" + prefix + "edit" …

    def url(self, name: str, draft: Draft) -> str:
        return reverse(f"online:{self.prefix}{name}", kwargs={"draft_id": draft.pk})


CITIZEN = Mode(helped=False, prefix="")


def _error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "online/error.html", {"error": error}, status=error.status)


def _locked(draft: Draft) -> list[str]:
    return list(services.VERIFIED_FIELDS) if services.is_verified(draft.citizen) else []


def _form(draft: Draft, agencies: list[Any], data: Any = None) -> SubmissionForm:
    schema = selectors.schema_for(draft.version)
    return SubmissionForm(
        data,
        schema=schema.schema if schema else None,
        agencies=agencies,
        locked=_locked(draft),
        initial=initial_for(draft),
    )


def _uploads(request: HttpRequest, draft: Draft) -> dict[int, list[Any]]:
    found = {}
    for component in draft.version.components.all():
        files = request.FILES.getlist(f"file_{component.pk}")
        if files:
            found[component.pk] = files
    return found


def _removed(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("remove") if v.isdigit()]


def render_form(
    request: HttpRequest,
    draft: Draft,
    form: SubmissionForm,
    mode: Mode,
    others: dict[str, str] | None = None,
    status: int = 200,
    earlier: list[Draft] | None = None,
) -> HttpResponse:
    from django.conf import settings

    files_by_component: dict[int, list[Any]] = {}
    if draft.pk:
        for item in draft.files.all():
            files_by_component.setdefault(item.component_id, []).append(item)
    schema = selectors.schema_for(draft.version)
    components = [
        {
            "c": c,
            "files": files_by_component.get(c.pk, []),
            "error": (others or {}).get(f"component_{c.pk}", ""),
            "filled": bool(schema and eform.fills(schema.schema, c.name)),
        }
        for c in draft.version.components.all()
    ]
    context = {
        "draft": draft,
        "version": draft.version,
        "form": form,
        "mode": mode,
        "others": others or {},
        "components": components,
        "max_mb": settings.MOTCUA_MAX_UPLOAD_BYTES // (1024 * 1024),
        "action_url": mode.url("edit", draft) if draft.pk else request.path,
        "has_errors": bool(form.errors or others),
        "earlier": earlier or [],
    }
    return render(request, "online/form.html", context, status=status)


def _save(
    request: HttpRequest, draft: Draft, mode: Mode, agencies: list[Any]
) -> HttpResponse:
    """Save the posted form into ``draft``; then the draft or its review."""
    form = _form(draft, agencies, request.POST)
    if not form.is_valid():
        return render_form(request, draft, form, mode, status=400)
    data = DraftInput(
        agency=form.agency(),
        applicant=form.applicant(),
        answers=form.answers(),
        return_method=form.cleaned_data["return_method"],
        notify_channels=form.cleaned_data["notify_channels"],
    )
    try:
        draft = services.draft_save(
            draft, data, add=_uploads(request, draft), remove=_removed(request)
        )
    except DomainError as error:
        others = dict(getattr(error, "fields", {}) or {"__all__": error.message})
        others = show_errors(form, others)
        return render_form(request, draft, form, mode, others, status=400)
    if request.POST.get("action") == "review":
        return HttpResponseRedirect(mode.url("review", draft))
    messages.success(request, _("Đã lưu hồ sơ đang soạn. Bạn có thể nộp sau."))
    return HttpResponseRedirect(mode.url("edit", draft))


def _version_or_error(request: HttpRequest, code: str) -> ProcedureVersion:
    version = selectors.version_for(code, clock.today())
    if not can_submit_online(version):
        raise DomainError(
            "online.not_offered_online",
            _(
                "Thủ tục này chưa được cung cấp trực tuyến; vui lòng nộp tại bộ "
                "phận một cửa."
            ),
        )
    return version


# ------------------------------------------------------------ the citizen
@citizen_required
def submit(request: HttpRequest, code: str) -> HttpResponse:
    """``/nop-ho-so/<code>/``: a new submission of the procedure ``code``."""
    citizen = request.citizen  # type: ignore[attr-defined]
    try:
        version = _version_or_error(request, code)
    except DomainError as error:
        return _error_page(request, error)
    draft = services.draft_start(request.user, version, citizen=citizen)
    agencies = selectors.agencies_for(version)
    if request.method == "POST":
        return _save(request, draft, CITIZEN, agencies)
    earlier = selectors.drafts_of(request.user).filter(
        version__procedure=version.procedure
    )
    return render_form(
        request, draft, _form(draft, agencies), CITIZEN, earlier=list(earlier[:5])
    )


def _own(
    view: Callable[[HttpRequest, Draft, Mode], HttpResponse],
) -> Callable[..., HttpResponseBase]:
    """The citizen's own draft, or 404 for anyone else."""

    @citizen_required
    def wrapper(request: HttpRequest, draft_id: int) -> HttpResponse:
        try:
            draft = selectors.draft_of(request.user, draft_id)
        except DomainError as error:
            return _error_page(request, error)
        return view(request, draft, CITIZEN)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def edit_draft(request: HttpRequest, draft: Draft, mode: Mode) -> HttpResponse:
    """The form of a draft (its version brought to the one in force)."""
    try:
        version = _version_or_error(request, draft.version.procedure.code)
    except DomainError as error:
        return _error_page(request, error)
    draft.version = version
    agencies = agencies_for_mode(request, draft, mode)
    if request.method == "POST":
        return _save(request, draft, mode, agencies)
    return render_form(request, draft, _form(draft, agencies), mode)


def agencies_for_mode(request: HttpRequest, draft: Draft, mode: Mode) -> list[Any]:
    agencies = selectors.agencies_for(draft.version)
    if mode.helped:
        from .helped import desk_agencies

        agencies = desk_agencies(request, agencies)
    return agencies


def review_draft(request: HttpRequest, draft: Draft, mode: Mode) -> HttpResponse:
    """Everything given, read back before submitting; what is still missing
    sends the form back with its errors."""
    found = services.problems(draft, clock.today())
    agencies = agencies_for_mode(request, draft, mode)
    if found:
        form = _form(draft, agencies, _form(draft, agencies).initial)
        form.is_valid()
        others = show_errors(form, found)
        return render_form(request, draft, form, mode, others)
    schema = selectors.schema_for(draft.version)
    context = {
        "draft": draft,
        "version": draft.version,
        "mode": mode,
        "applicant": [
            (label, value)
            for name, label in APPLICANT_LABELS.items()
            if (value := services.applicant_values(draft)[name])
        ],
        "answers": eform.readable(schema.schema, draft.answers) if schema else [],
        "files": list(draft.files.select_related("component")),
        "key": uuid.uuid4().hex,
        "return_label": Draft.ReturnMethod(draft.return_method).label,
        "notify_labels": services.notify_labels(draft),
    }
    return render(request, "online/review.html", context)


def submit_draft(request: HttpRequest, draft_id: int, mode: Mode) -> HttpResponse:
    """Submit once: the same key (a double click, a retried request) or a
    draft already submitted leads to the same dossier."""
    draft = selectors.own_draft(request.user, draft_id)
    if draft is None:
        return _error_page(request, selectors.not_found())
    key = (request.POST.get("key") or "")[:100] or f"draft-{draft.pk}"
    try:
        dossier, _replayed = services.draft_submit(request.user, draft, key)
    except DomainError as error:
        if getattr(error, "fields", None):
            return HttpResponseRedirect(mode.url("review", draft))
        return _error_page(request, error)
    if mode.helped:
        from .helped import after_submit

        return after_submit(request, dossier)
    messages.success(
        request,
        _(
            "Đã gửi hồ sơ đến %(agency)s. Bộ phận một cửa sẽ kiểm tra và tiếp nhận; "
            "ngày hẹn trả kết quả hiện ở đây khi hồ sơ được tiếp nhận."
        )
        % {"agency": dossier.agency.name},
    )
    return HttpResponseRedirect(qr_path(dossier))


def delete_draft(request: HttpRequest, draft: Draft, mode: Mode) -> HttpResponse:
    if request.method != "POST":
        return render(request, "online/delete.html", {"draft": draft, "mode": mode})
    services.draft_delete(draft)
    messages.success(request, _("Đã xóa hồ sơ đang soạn."))
    return HttpResponseRedirect(reverse(f"online:{mode.prefix}drafts"))


edit = _own(edit_draft)
review = _own(review_draft)
delete = _own(delete_draft)


@citizen_required
@require_POST
def send(request: HttpRequest, draft_id: int) -> HttpResponse:
    return submit_draft(request, draft_id, CITIZEN)


@citizen_required
def drafts(request: HttpRequest) -> HttpResponse:
    """``/nop-ho-so/ban-nhap/``: the citizen's drafts."""
    rows = list(selectors.drafts_of(request.user)[:50])
    return render(request, "online/drafts.html", {"drafts": rows, "mode": CITIZEN})
