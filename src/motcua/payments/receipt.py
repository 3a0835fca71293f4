"""The receipt (biên lai) of an online payment as a PDF: agency, dossier
code, amount in figures and in words, date, the gateway's transaction number —
rendered by WeasyPrint with the slips' fonts and fetcher (``motcua.slips.pdf``).
The payer appears by initials only, as on the public tracking page."""

from __future__ import annotations

from django.template.loader import render_to_string

from motcua.slips.formatting import initials, long_date, place_of, vn_datetime
from motcua.slips.pdf import font_face_css, html_to_pdf

from . import providers
from .models import PaymentOrder
from .words import in_words, money


def receipt_context(order: PaymentOrder) -> dict[str, object]:
    dossier = order.dossier
    agency = dossier.agency
    provider = providers.get(order.provider)
    assert order.paid_at is not None
    return {
        "font_css": font_face_css(),
        "agency_name": agency.name,
        "parent_name": agency.parent.name if agency.parent is not None else "",
        "place": place_of(agency.name),
        "issued": long_date(order.paid_at),
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "payer": initials(dossier.applicant.name),
        "amount": money(order.amount),
        "amount_words": in_words(order.amount),
        "paid_at": vn_datetime(order.paid_at),
        "provider": provider.label if provider else order.provider,
        "reference": order.reference,
        "transaction_no": order.transaction_no,
        "bank_code": order.bank_code,
    }


def receipt_pdf(order: PaymentOrder) -> bytes:
    html = render_to_string("payments/receipt_pdf.html", receipt_context(order))
    return html_to_pdf(html)
