"""The desk submits online for a citizen being helped ("tổ hướng dẫn nộp hồ sơ
trực tuyến"): ``/nop-ho-so/ho-tro/<code>/``, reception role required.

The officer finds the citizen's account by the personal identification number
among VNeID-verified citizens (the dossier is then theirs: "Hồ sơ của tôi",
``CitizenDossier.via = helped``) or types the applicant's details for a citizen
without an account (no link). The draft is the officer's: nobody else sees it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.agencies.models import Agency, Role
from motcua.agencies.selectors import has_role
from motcua.backoffice.access import staff_view
from motcua.catalog.selectors import search_procedures
from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.privacy.services import record_read

from . import selectors, services, views
from .models import Draft

HELPED = views.Mode(helped=True, prefix="helped_")
RECEPTION = [Role.RECEPTION]


class FindCitizenForm(forms.Form):
    identity_number = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân của người được hỗ trợ"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "12 chữ số. Chỉ tìm tài khoản đã xác thực bằng định danh điện tử "
            "(VNeID). Để trống nếu người dân chưa có tài khoản."
        ),
    )


def desk_agencies(request: HttpRequest, agencies: list[Agency]) -> list[Agency]:
    """Of ``agencies``, those where the officer holds the reception role."""
    return [a for a in agencies if has_role(request.user, a, RECEPTION)]


@staff_view(RECEPTION)
def start(request: HttpRequest, code: str) -> HttpResponse:
    """Find the citizen (or none), then open a draft in the officer's name."""
    try:
        version = views._version_or_error(request, code)
    except DomainError as error:
        return views._error_page(request, error)
    form = FindCitizenForm(request.POST or None)
    context: dict[str, Any] = {"version": version, "form": form, "mode": HELPED}
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["identity_number"].strip()
        citizen = None
        if number:
            desk = request.desk  # type: ignore[attr-defined]
            citizen = selectors.verified_citizen(number)
            record_read(
                request.user,
                agency=desk.agency,
                what="applicant_lookup",
                detail="online_helped",
            )
            if citizen is None:
                form.add_error(
                    "identity_number",
                    _(
                        "Không có tài khoản công dân đã xác thực VNeID với số này. "
                        "Để trống để nhập thông tin người nộp."
                    ),
                )
                return render(request, "online/helped_start.html", context, status=400)
        draft = services.draft_open(
            request.user,
            version,
            citizen=citizen,
            helped=True,
            agencies=desk_agencies(request, selectors.agencies_for(version)),
        )
        return HttpResponseRedirect(HELPED.url("edit", draft))
    context["drafts"] = list(selectors.drafts_of(request.user)[:20])
    return render(request, "online/helped_start.html", context)


def _own_helped(view: Any) -> Any:
    @staff_view(RECEPTION)
    def wrapper(request: HttpRequest, draft_id: int) -> HttpResponse:
        try:
            draft = selectors.draft_of(request.user, draft_id)
        except DomainError as error:
            return views._error_page(request, error)
        return view(request, draft, HELPED)

    wrapper.__name__ = view.__name__
    return wrapper


edit = _own_helped(views.edit_draft)
review = _own_helped(views.review_draft)
delete = _own_helped(views.delete_draft)


@staff_view(RECEPTION)
@require_POST
def send(request: HttpRequest, draft_id: int) -> HttpResponse:
    return views.submit_draft(request, draft_id, HELPED)


@staff_view(RECEPTION)
def drafts(request: HttpRequest) -> HttpResponse:
    """``/nop-ho-so/ho-tro/``: find the procedure to submit for a citizen
    (among those the officer's agency offers), and the officer's drafts."""
    desk = request.desk  # type: ignore[attr-defined]
    q = (request.GET.get("q") or "")[:200]
    found = list(search_procedures(q, agency=desk.agency)[:20]) if q.strip() else []
    context = {
        "drafts": list(selectors.drafts_of(request.user)[:50]),
        "mode": HELPED,
        "q": q,
        "found": found,
    }
    return render(request, "online/drafts.html", context)


def after_submit(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    messages.success(
        request,
        _(
            "Đã nộp trực tuyến hồ sơ %(code)s cho người dân; hồ sơ đang chờ tiếp "
            "nhận ở hàng đợi «Trực tuyến»."
        )
        % {"code": dossier.code},
    )
    return HttpResponseRedirect(reverse("backoffice:dossier", args=[dossier.code]))


__all__ = ["Draft", "after_submit", "desk_agencies"]
