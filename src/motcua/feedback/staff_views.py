"""Back-office pages of the feedback box (``/can-bo/phan-anh/``): the list of
the current agency's items the officer may see (motcua.feedback.access), one
item with its assignment, answer and publication, and the suggestion-box entry.
Another agency's item, or one the officer may not see, is "not found" (404).
Every page showing an item's content or its sender's contact is written in the
personal-data read log (motcua.privacy)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.backoffice.access import staff_view
from motcua.backoffice.views.common import desk_of, page
from motcua.core import clock
from motcua.core.downloads import protected_file_response
from motcua.core.errors import DomainError
from motcua.privacy.services import record_read

from . import access, selectors, services
from .forms import AnswerForm, AssignForm, BoxEntryForm, PublishForm
from .masking import mask_personal_data
from .models import Feedback, FeedbackAttachment, State

PER_PAGE = 50
STATE_FILTERS = [
    ("open", gettext_lazy("Chưa trả lời")),
    (State.RECEIVED.value, State.RECEIVED.label),
    (State.ASSIGNED.value, State.ASSIGNED.label),
    (State.ANSWERED.value, State.ANSWERED.label),
    ("published", gettext_lazy("Đã công khai")),
]

staff_only = staff_view(roles=access.STAFF_ROLES)


def _item(request: HttpRequest, pk: int) -> Feedback:
    desk = desk_of(request)
    item = (
        access.visible_items(request.user, desk.agency)
        .select_related("agency", "assigned_to", "answered_by", "entered_by")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    return item


@require_GET
@staff_only
def item_list(request: HttpRequest) -> HttpResponse:
    desk = desk_of(request)
    state = request.GET.get("trang_thai", "open")
    if state not in selectors.FILTERS:
        state = "open"
    overdue = request.GET.get("qua_han") == "1"
    rows = selectors.staff_list(
        access.visible_items(request.user, desk.agency), state=state, overdue=overdue
    )
    current = Paginator(rows, PER_PAGE).get_page(request.GET.get("trang"))
    now = clock.now()
    items = [
        {
            "item": f,
            "overdue": selectors.is_overdue(f, now),
            "timing": selectors.answer_timing(f),
        }
        for f in current.object_list
    ]
    if items:
        record_read(
            request.user,
            agency=desk.agency,
            what="queue_list",
            detail=f"phan-anh trang {current.number}",
            count=len(items),
        )
    kept = {"trang_thai": state, **({"qua_han": "1"} if overdue else {})}
    held = access.roles(request.user, desk.agency)
    return page(
        request,
        "feedback/staff_list.html",
        {
            "rows": items,
            "page_obj": current,
            "state": state,
            "overdue": overdue,
            "states": [("", _("Tất cả")), *STATE_FILTERS],
            "filter_query": urlencode(kept),
            "can_enter_box": access.can_enter_box(held),
        },
    )


def _detail_context(request: HttpRequest, item: Feedback) -> dict[str, Any]:
    held = access.roles(request.user, item.agency)
    names = tuple(n for n in (item.contact_name,) if n)
    return {
        "item": item,
        "overdue": selectors.is_overdue(item),
        "timing": selectors.answer_timing(item),
        "events": list(item.events.all()),
        "dossier_link": selectors.related_dossier_code(item),
        "attachments": list(item.attachments.all()),
        "can_assign": access.can_assign(held) and item.state != State.ANSWERED,
        "can_answer": access.can_answer(request.user, held, item),
        "can_publish": access.can_publish(held) and item.state == State.ANSWERED,
        "assign_form": AssignForm(
            agency=item.agency, initial={"assignee": item.assigned_to_id}
        ),
        "answer_form": AnswerForm(),
        "publish_form": PublishForm(
            initial={
                "public_question": item.public_question
                or mask_personal_data(item.content, names),
                "public_answer": item.public_answer
                or mask_personal_data(item.answer, names),
            }
        ),
    }


def _detail(
    request: HttpRequest, item: Feedback, status: int = 200, **forms: Any
) -> HttpResponse:
    record_read(
        request.user,
        agency=item.agency,
        what="applicant_lookup",
        detail=f"phan-anh {item.pk}",
    )
    context = _detail_context(request, item)
    context.update(forms)
    return page(request, "feedback/staff_detail.html", context, status=status)


@require_GET
@staff_only
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _item(request, pk))


def _done(request: HttpRequest, item: Feedback, message: str) -> HttpResponse:
    flash.success(request, message)
    return redirect(reverse("feedback_staff:detail", args=[item.pk]))


def _refused(
    request: HttpRequest, item: Feedback, error: DomainError, **forms: Any
) -> HttpResponse:
    flash.error(request, error.message)
    return _detail(request, item, status=error.status, **forms)


def _person_refused(
    request: HttpRequest, item: Feedback, allowed: bool
) -> HttpResponse | None:
    """Who may act is checked before any input is read: a person without the
    role gets 403 whatever they sent (a monitor reads only)."""
    if allowed:
        return None
    return _refused(request, item, services.forbidden())


def _held(request: HttpRequest, item: Feedback) -> set[str]:
    return access.roles(request.user, item.agency)


@require_POST
@staff_only
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    refused = _person_refused(request, item, access.can_assign(_held(request, item)))
    if refused is not None:
        return refused
    form = AssignForm(request.POST, agency=item.agency)
    if not form.is_valid():
        return _detail(request, item, status=400, assign_form=form)
    try:
        services.feedback_assign(
            request.user, item, form.cleaned_data["assignee"], form.cleaned_data["note"]
        )
    except DomainError as error:
        return _refused(request, item, error, assign_form=form)
    return _done(request, item, _("Đã phân công xử lý phản ánh."))


@require_POST
@staff_only
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    allowed = access.may_answer(request.user, _held(request, item), item)
    refused = _person_refused(request, item, allowed)
    if refused is not None:
        return refused
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, item, status=400, answer_form=form)
    try:
        services.feedback_answer(request.user, item, form.cleaned_data["answer"])
    except DomainError as error:
        return _refused(request, item, error, answer_form=form)
    return _done(request, item, _("Đã ghi nhận câu trả lời."))


@require_POST
@staff_only
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    refused = _person_refused(request, item, access.can_publish(_held(request, item)))
    if refused is not None:
        return refused
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _detail(request, item, status=400, publish_form=form)
    try:
        services.feedback_publish(
            request.user,
            item,
            question=form.cleaned_data["public_question"],
            answer=form.cleaned_data["public_answer"],
        )
    except DomainError as error:
        return _refused(request, item, error, publish_form=form)
    return _done(request, item, _("Đã công khai câu trả lời."))


@require_POST
@staff_only
def unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    try:
        services.feedback_unpublish(request.user, item)
    except DomainError as error:
        return _refused(request, item, error)
    return _done(request, item, _("Đã thôi công khai câu trả lời."))


@require_GET
@staff_only
def attachment(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    item = _item(request, pk)
    row = FeedbackAttachment.objects.filter(pk=file_id, feedback=item).first()
    if row is None:
        raise Http404
    record_read(
        request.user,
        agency=item.agency,
        what="file_view",
        detail=f"phan-anh {item.pk} tep {row.pk}",
    )
    return protected_file_response(
        row.file, content_type=row.content_type, filename=row.original_name
    )


@require_http_methods(["GET", "POST"])
@staff_view(roles=access.ENTER_BOX)
def box_entry(request: HttpRequest) -> HttpResponse:
    """Type in a letter from the suggestion box (hòm thư góp ý)."""
    desk = desk_of(request)
    if request.method != "POST":
        form = BoxEntryForm(initial={"opened_on": clock.today()})
        return page(request, "feedback/box_entry.html", {"form": form})
    form = BoxEntryForm(request.POST, request.FILES)
    if not form.is_valid():
        return page(request, "feedback/box_entry.html", {"form": form}, status=400)
    try:
        item = services.feedback_enter_from_box(
            request.user,
            form.submission(desk.agency),
            opened_on=form.cleaned_data["opened_on"],
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return page(
            request, "feedback/box_entry.html", {"form": form}, status=error.status
        )
    return _done(
        request, item, _("Đã nhập thư góp ý, mã %(code)s.") % {"code": item.code}
    )
