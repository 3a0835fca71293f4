"""Public pages of the feedback box: send an item (with or without an
account), look it up by its code (POST: the code never travels in a URL), and
the list of answers an agency chose to publish."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from motcua.agencies.models import Agency
from motcua.core.errors import DomainError
from motcua.security.throttle import client_address

from . import selectors, services
from .forms import FeedbackForm, LookupForm

PER_PAGE = 20


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _agency_from_query(request: HttpRequest) -> Agency | None:
    code = (request.GET.get("co_quan") or "")[:32]
    return Agency.objects.filter(code=code, is_active=True).first() if code else None


def _wait(seconds: int) -> str:
    seconds = max(1, seconds)
    if seconds < 60:
        return _("%(n)d giây") % {"n": seconds}
    return _("%(n)d phút") % {"n": -(-seconds // 60)}


def _form_page(
    request: HttpRequest, form: FeedbackForm, status: int = 200, **extra: Any
) -> HttpResponse:
    return render(request, "feedback/send.html", {"form": form, **extra}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def send(request: HttpRequest) -> HttpResponse:
    """``/phan-anh/``: the form; a valid POST saves the item and shows its
    tracking code once (no redirect: the code is never in a URL)."""
    if request.method != "POST":
        agency = _agency_from_query(request)
        form = FeedbackForm(initial={"agency": agency.pk} if agency else None)
        return _form_page(request, form)
    form = FeedbackForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        item = services.feedback_submit(
            form.submission(), address=client_address(request), user=request.user
        )
    except services.TooManySubmissions as refused:
        message = _(
            "Ông/bà đã gửi nhiều phản ánh trong thời gian ngắn. Vui lòng chờ "
            "%(wait)s rồi gửi lại."
        ) % {"wait": _wait(refused.retry_after)}
        response = _form_page(request, form, status=429, refusal=message)
        response["Retry-After"] = str(refused.retry_after)
        return response
    except DomainError as error:
        form.add_error(
            "attachments"
            if error.code.startswith("file.") or error.code == "feedback.too_many_files"
            else None,
            error.message,
        )
        return _form_page(request, form, status=error.status)
    return _private(
        render(
            request, "feedback/sent.html", {"item": item, "contact": item.has_contact}
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """``/phan-anh/tra-cuu/``: the code, posted, gives state, dates and the
    answer; throttled per address and per code like the dossier look-up."""
    if request.method != "POST":
        return _private(render(request, "feedback/lookup.html", {"form": LookupForm()}))
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _private(
            render(request, "feedback/lookup.html", {"form": form}, status=400)
        )
    context: dict[str, Any] = {"form": form}
    try:
        result = selectors.lookup(
            form.cleaned_data["code"], address=client_address(request)
        )
    except selectors.TooManyLookups as refused:
        context |= {
            "error": _(
                "Ông/bà đã thử quá nhiều lần. Vui lòng chờ %(wait)s rồi thử lại."
            )
            % {"wait": _wait(refused.retry_after)},
            "waiting": True,
        }
        response = render(request, "feedback/lookup.html", context, status=429)
        response["Retry-After"] = str(refused.retry_after)
        return _private(response)
    status = 200 if result is not None else 404
    if result is None:
        context["error"] = _("Không tìm thấy phản ánh có mã này.")
    context["result"] = result
    return _private(render(request, "feedback/lookup.html", context, status=status))


@require_GET
def answered(request: HttpRequest) -> HttpResponse:
    """``/phan-anh/da-tra-loi/``: published answers only, in their public
    texts; ``?co_quan=<agency code>`` narrows to one agency."""
    agency = _agency_from_query(request)
    rows = selectors.published(agency.pk if agency else None)
    current = Paginator(rows, PER_PAGE).get_page(request.GET.get("trang"))
    kept = {"co_quan": agency.code} if agency else {}
    return render(
        request,
        "feedback/answered.html",
        {
            "page_obj": current,
            "agency": agency,
            "agencies": selectors.publishing_agencies(),
            "filter_query": urlencode(kept),
        },
    )
