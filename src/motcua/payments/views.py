"""Citizens' payment pages (thin): the dossier is named by the tracking page's
signed token (``motcua.portal.qr``) — never by personal data in a URL.

``/thanh-toan/<token>/``: the fee, the procedure and the button that starts an
order and sends the citizen to the gateway; ``/thanh-toan/ket-qua/<provider>/``:
where the gateway sends the citizen back (the callback is taken as the IPN
would take it, then the citizen lands on the order's result page);
``/thanh-toan/<token>/ket-qua/<reference>/``: the result in plain words;
``/thanh-toan/<token>/bien-lai.pdf``: the receipt.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.errors import DomainError
from motcua.core.headers import csp_for
from motcua.dossiers.models import Dossier
from motcua.portal.qr import dossier_for_token, token_for
from motcua.portal.tracking import public_status
from motcua.security.throttle import client_address

from . import conf, selectors, services
from . import providers as p
from .models import PaymentOrder
from .receipt import receipt_pdf
from .words import in_words, money

View = Callable[..., HttpResponse]
NOT_FOUND = _("Không tìm thấy hồ sơ. Hãy mở lại đường dẫn từ trang tra cứu hoặc mã QR.")
NOT_VERIFIED = _(
    "Không xác nhận được kết quả thanh toán từ cổng thanh toán. Nếu tài khoản "
    "đã bị trừ tiền, kết quả sẽ được cập nhật khi cổng thanh toán báo về; vui "
    "lòng mở lại trang thanh toán sau ít phút hoặc liên hệ Bộ phận Một cửa."
)
NO_RECEIPT = _("Hồ sơ chưa có khoản thanh toán trực tuyến nào được ghi nhận.")


def _private(view: View) -> View:
    """Never indexed nor stored; the token never leaves in a ``Referer``."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"
        add_never_cache_headers(response)
        return response

    return wrapped


def _error(request: HttpRequest, message: object, status: int) -> HttpResponse:
    return render(request, "payments/error.html", {"message": message}, status=status)


def _gateway_allowed(response: HttpResponse, path: str, origin: str) -> None:
    """The pay form posts here and is redirected to the gateway: the page's
    ``form-action`` must name the gateway's origin (browsers check redirects)."""
    policy = csp_for(path)
    if not policy or not origin:
        return
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    found = False
    for index, directive in enumerate(directives):
        if directive.startswith("form-action"):
            directives[index] = f"{directive} {origin}"
            found = True
    if found:
        response["Content-Security-Policy"] = "; ".join(directives)


def _context(dossier: Dossier) -> dict[str, object]:
    orders = list(selectors.orders_of(dossier)[:5])
    refusal = services.payable_refusal(dossier)
    return {
        "token": token_for(dossier),
        "result": public_status(dossier),
        "dossier": dossier,
        "amount": money(dossier.fee_amount) if dossier.fee_amount else "",
        "amount_words": in_words(dossier.fee_amount) if dossier.fee_amount else "",
        "refusal": refusal,
        "online": services.online_payment_available(),
        "orders": orders,
        "receipt": selectors.receipt_order(dossier),
    }


@_private
@csrf_protect
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what is owed and the button; POST: start an order, go to the
    gateway (a refusal is the page again with its reason, status 409)."""
    dossier = dossier_for_token(token[:200])
    if dossier is None:
        return _error(request, NOT_FOUND, 404)
    if request.method == "POST":
        return _start(request, dossier)
    response = render(request, "payments/pay.html", _context(dossier))
    _allow_gateway(response, request)
    return response


def _allow_gateway(response: HttpResponse, request: HttpRequest) -> None:
    try:
        provider = services.provider_for_new_orders()
    except DomainError:
        return
    _gateway_allowed(response, request.path_info, provider.origin())


def _start(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    return_url = conf.get("MOTCUA_PAYMENT_RETURN_URL")
    try:
        provider = services.provider_for_new_orders()
        return_url = return_url or request.build_absolute_uri(
            reverse("payments:return", kwargs={"provider": provider.name})
        )
        _order, url = services.order_start(
            dossier, return_url=return_url, client_ip=client_address(request)
        )
    except DomainError as refusal:
        context = _context(dossier) | {"error": refusal.message}
        response = render(request, "payments/pay.html", context, status=refusal.status)
        _allow_gateway(response, request)
        return response
    return HttpResponseRedirect(url)


@_private
@require_GET
def back(request: HttpRequest, provider: str) -> HttpResponse:
    """The gateway's return: take the signed callback, then show the order's
    result on a clean address (the gateway's fields leave the address bar)."""
    params = {k: str(v) for k, v in request.GET.items()}
    taken = services.callback_receive(provider[:32], params, channel="return")
    if (
        taken is None
        or taken.order is None
        or taken.verdict
        not in (
            p.CONFIRMED,
            p.ALREADY_CONFIRMED,
        )
    ):
        return _error(request, NOT_VERIFIED, 400)
    order = taken.order
    return redirect(
        "payments:result",
        token=token_for(order.dossier),
        reference=order.reference,
    )


RESULTS = {
    PaymentOrder.State.PAID: _("Thanh toán thành công"),
    PaymentOrder.State.PENDING: _("Đang chờ cổng thanh toán xác nhận"),
    PaymentOrder.State.CREATED: _("Chưa thanh toán"),
    PaymentOrder.State.FAILED: _("Thanh toán không thành công"),
    PaymentOrder.State.CANCELLED: _("Bạn đã hủy thanh toán"),
}


@_private
@require_GET
def result(request: HttpRequest, token: str, reference: str) -> HttpResponse:
    dossier = dossier_for_token(token[:200])
    order = selectors.order_of(dossier, reference) if dossier else None
    if dossier is None or order is None:
        return _error(request, NOT_FOUND, 404)
    context = _context(dossier) | {
        "order": order,
        "headline": RESULTS[PaymentOrder.State(order.state)],
        "order_amount": money(order.amount),
    }
    response = render(request, "payments/result.html", context)
    _allow_gateway(response, request)
    return response


@_private
@require_GET
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    """``/thanh-toan/<token>/bien-lai.pdf``: the receipt of the online payment
    recorded on the dossier."""
    dossier = dossier_for_token(token[:200])
    order = selectors.receipt_order(dossier) if dossier else None
    if dossier is None or order is None:
        return _error(request, NO_RECEIPT, 404)
    response = HttpResponse(receipt_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="bien-lai-{_safe_name(dossier.code)}.pdf"'
    )
    return response


def _safe_name(code: str) -> str:
    return "".join(
        c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in code
    )
