"""Tin nhắn đã gửi (issue 11): the outbox of the current agency's dossiers for
its leaders and administrators — channel, text, state, attempts, last error,
times, the recipient masked — and "Gửi lại" for a failed message (agency
administrators only). Reading the page is written in the read log."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.agencies.models import Role
from motcua.core.errors import DomainError
from motcua.notifications import staff
from motcua.notifications.models import State
from motcua.privacy.services import record_read

from ..access import staff_view
from .common import desk_of, page

PER_PAGE = 50


@require_GET
@staff_view(roles=[Role.LEADER, Role.AGENCY_ADMIN])
def sent_messages(request: HttpRequest) -> HttpResponse:
    desk = desk_of(request)
    state = request.GET.get("trang_thai", "")
    if state not in State.values:
        state = ""
    paginator = Paginator(staff.agency_messages(desk.agency.pk, state), PER_PAGE)
    current = paginator.get_page(request.GET.get("trang"))
    rows = [
        {
            "message": m,
            "recipient": staff.mask_recipient(m.recipient),
            "retryable": m.state in staff.RETRYABLE,
        }
        for m in current.object_list
    ]
    if rows:
        record_read(
            request.user,
            agency=desk.agency,
            what="queue_list",
            detail=f"tin-nhan trang {current.number}",
            count=len(rows),
        )
    kept = {"trang_thai": state} if state else {}
    return page(
        request,
        "backoffice/sent_messages.html",
        {
            "rows": rows,
            "page_obj": current,
            "state": state,
            "states": State.choices,
            "filter_query": urlencode(kept),
            "can_retry": desk.has(Role.AGENCY_ADMIN),
        },
    )


@require_POST
@staff_view(roles=[Role.AGENCY_ADMIN])
def retry_message(request: HttpRequest, message_id: int) -> HttpResponse:
    desk = desk_of(request)
    try:
        staff.staff_retry(desk.agency.pk, message_id)
    except DomainError as exc:
        if exc.status == 404:
            return page(request, "backoffice/not_found.html", status=404)
        flash.warning(request, exc.message)
    else:
        flash.success(
            request, _("Đã đưa tin nhắn #%(id)s vào hàng gửi lại.") % {"id": message_id}
        )
    return redirect(reverse("backoffice:sent_messages"))
