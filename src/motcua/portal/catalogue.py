"""The public catalogue of administrative procedures (``/thu-tuc/``): browse by
agency and field, search with the words people use, one page per procedure
with everything needed to prepare the dossier, and the printable QR posters.

Publishing procedures is a legal duty (Decree 63/2010/NĐ-CP Art. 15–17); the
pages hold no personal data, need no sign-in and may be cached.
"""

from __future__ import annotations

import logging
import mimetypes
import os
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.agencies.models import Agency
from motcua.agencies.selectors import former_on
from motcua.catalog.models import Component, Field, ProcedureVersion, StepTemplate
from motcua.catalog.selectors import search_procedures, version_in_force_by_code
from motcua.catalog.services import default_steps
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.text import fold
from motcua.dossiers.models import Channel
from motcua.slips.formatting import legal_time

from .catalogue_forms import CatalogueSearchForm, offering_agencies

log = logging.getLogger(__name__)
PAGE_SIZE = 20


# ------------------------------------------------------------ what pages show
def fee_label(version: ProcedureVersion) -> str:
    """The fee as the catalogue states it; a plain amount or "free" otherwise."""
    if version.fee_text.strip():
        return version.fee_text.strip()
    if version.fee_amount:
        return f"{version.fee_amount:,}".replace(",", ".") + " đ"
    return _("Không thu phí, lệ phí")


def time_label(version: ProcedureVersion, channel: str = Channel.DIRECT) -> str:
    """The legal time of ``channel`` as the version states it."""
    unit, value = version.time_for(channel)
    return legal_time(unit.value, Decimal(value))


@dataclass(frozen=True)
class ChannelTime:
    channel: str
    label: str
    time: str


def channel_times(version: ProcedureVersion) -> list[ChannelTime]:
    """One line per reception channel the procedure may be submitted through."""
    channels = [Channel.DIRECT, Channel.POSTAL]
    if version.online_level != ProcedureVersion.OnlineLevel.NONE:
        channels.insert(1, Channel.ONLINE)
    return [
        ChannelTime(c.value, str(c.label), time_label(version, c)) for c in channels
    ]


def can_submit_online(version: ProcedureVersion) -> bool:
    """Online submission is offered unless the catalogue gives information only."""
    return version.online_level != ProcedureVersion.OnlineLevel.NONE


def legal_texts(version: ProcedureVersion) -> list[str]:
    return [t.strip() for t in version.legal_basis.split(";") if t.strip()]


def agencies_offering(version: ProcedureVersion) -> list[Agency]:
    """Published agencies performing the procedure, by name."""
    rows = version.procedure.agencies.filter(is_active=True).exclude(
        former_on(clock.today())
    )
    return list(rows.order_by("name"))


def steps_of(version: ProcedureVersion) -> list[str]:
    steps: list[StepTemplate] = list(version.steps.all())
    if steps:
        return [s.name for s in steps]
    return [str(s["name"]) for s in default_steps(version)]


def procedure_url(base_url: str, code: str) -> str:
    """The absolute address of a procedure's page (what a poster's QR holds)."""
    path = reverse("catalogue:procedure", kwargs={"code": code})
    return f"{base_url.rstrip('/')}{path}"


def site_url(request: HttpRequest) -> str:
    """The public address of this installation: ``MOTCUA_PUBLIC_URL`` (the
    setting, then the environment, as the notifications read it) when the
    operator set it, else the address this request came to (as slips do)."""
    configured = getattr(settings, "MOTCUA_PUBLIC_URL", None) or os.environ.get(
        "MOTCUA_PUBLIC_URL", ""
    )
    return str(configured or request.build_absolute_uri("/"))


# ------------------------------------------------------------------- pages
def _bad(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(
        request,
        "portal/catalogue/error.html",
        {"message": message, "status": status},
        status=status,
    )


def _browse(request: HttpRequest, form: CatalogueSearchForm) -> dict[str, Any]:
    data = form.cleaned_data
    versions = search_procedures(
        data["q"], agency=data["agency"], field=data["field"]
    ).prefetch_related(None)
    page: Page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "listed": True,
        "rows": [(v, time_label(v)) for v in page.object_list],
        "query": query.urlencode(),
        "searched": bool(data["q"] or data["agency"] or data["field"]),
        "agency": data["agency"],
        "field": data["field"],
    }


def _fields_with_counts() -> list[Field]:
    """Fields with active procedures, in Vietnamese alphabetical order (Đ
    with D), with how many they hold."""
    active = Q(procedures__is_active=True)
    rows = Field.objects.annotate(offered=Count("procedures", filter=active))
    return sorted(rows.filter(offered__gt=0), key=lambda f: fold(f.name))


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """``/thu-tuc/?q=&agency=&field=&page=``: the catalogue, searched and
    filtered; bad filters are a Vietnamese 400 with the form."""
    form = CatalogueSearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "fields": _fields_with_counts()}
    if request.GET and not form.is_valid():
        return render(request, "portal/catalogue/index.html", context, status=400)
    if not request.GET:
        form = CatalogueSearchForm({})
        form.is_valid()
        context["form"] = form
    context |= _browse(request, form)
    return render(request, "portal/catalogue/index.html", context)


@require_GET
def agency(request: HttpRequest, agency_code: str) -> HttpResponse:
    """``/thu-tuc/co-quan/<code>/``: the catalogue of one agency (the list
    filtered by it, with its address and working hours)."""
    found = offering_agencies().filter(code=agency_code[:64]).first()
    if found is None:
        message = _("Không có cơ quan nào mang mã này trong danh mục thủ tục.")
        return _bad(request, message, 404)
    return redirect(f"{reverse('catalogue:index')}?{urlencode({'agency': found.code})}")


@require_GET
def procedure(request: HttpRequest, code: str) -> HttpResponse:
    """``/thu-tuc/<code>/``: the version in force today, all a citizen needs."""
    try:
        version = version_in_force_by_code(code[:40])
    except DomainError as exc:
        return _bad(request, exc.message, exc.status)
    context = {
        "version": version,
        "procedure": version.procedure,
        "components": list(version.components.all()),
        "steps": steps_of(version),
        "times": channel_times(version),
        "fee": fee_label(version),
        "legal_texts": legal_texts(version),
        "agencies": agencies_offering(version),
        "online": can_submit_online(version),
        "full_online": version.online_level == ProcedureVersion.OnlineLevel.FULL,
    }
    return render(request, "portal/catalogue/procedure.html", context)


@require_GET
def blank_form(
    request: HttpRequest, code: str, component_id: int
) -> HttpResponse | FileResponse:
    """``/thu-tuc/<code>/mau/<id>/``: a blank form of the version in force."""
    try:
        version = version_in_force_by_code(code[:40])
    except DomainError as exc:
        return _bad(request, exc.message, exc.status)
    component = (
        Component.objects.filter(version=version, pk=component_id)
        .exclude(blank_form="")
        .first()
    )
    if component is None:
        return _bad(request, _("Thủ tục này không có mẫu đơn, tờ khai đó."), 404)
    name = os.path.basename(component.blank_form.name)
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        handle = component.blank_form.open("rb")
    except OSError:
        log.warning("catalogue.blank_form_missing component_id=%s", component.pk)
        return _bad(request, _("Tệp mẫu tạm thời không có; vui lòng thử lại sau."), 404)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=kind)
