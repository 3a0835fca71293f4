"""Thông tin công khai (issue 13 item 4): the agency's administrator edits what
the transparency page publishes — address, hotline, the leaders' and the desk
officers' phone lines. The page shows what is published now and links to it."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.agencies.models import Role
from motcua.agencies.services import (
    agency_public_contacts_set,
    parse_phone_lines,
    phone_lines,
)
from motcua.core.errors import DomainError

from ..access import staff_view
from .common import desk_of, page


@require_http_methods(["GET", "POST"])
@staff_view(roles=[Role.AGENCY_ADMIN])
def public_contacts(request: HttpRequest) -> HttpResponse:
    agency = desk_of(request).agency
    values = {
        "address": agency.address,
        "hotline": agency.hotline,
        "leader_phones": phone_lines(agency.leader_phones),
        "desk_phones": phone_lines(agency.desk_phones),
    }
    error = None
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        try:
            agency_public_contacts_set(
                request.user,
                agency,
                address=values["address"],
                hotline=values["hotline"],
                leader_phones=parse_phone_lines(values["leader_phones"]),
                desk_phones=parse_phone_lines(values["desk_phones"]),
            )
        except DomainError as exc:
            error = exc
        else:
            flash.success(request, _("Đã lưu thông tin công khai."))
            return redirect("backoffice:public_contacts")
    return page(
        request,
        "backoffice/public_contacts.html",
        {"values": values, "error": error, "agency": agency},
        status=400 if error is not None else 200,
    )
