"""What the back office uses from its neighbours: slips, signatures, tracking,
reports (linked by path; a link whose page is not routed is hidden)."""

from __future__ import annotations

from typing import Any

from django.urls import Resolver404, resolve

from motcua.signing.services import SignatureReport, duty_for, verify_pdf


def routed(path: str) -> str | None:
    """``path`` when some view answers it, else ``None``."""
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


def slip_url(code: str, kind: str) -> str | None:
    return routed(f"/can-bo/phieu/{code}/{kind}.pdf")


def tracking_url(code: str) -> str:
    return f"/tra-cuu/{code}"


def duty_today(agency: Any, day: Any) -> list[Any]:
    """Leaders on signing duty today (lịch trực ký)."""
    return list(duty_for(agency, day))


def verify(data: bytes) -> SignatureReport:
    """The signature report of a result PDF (never raises)."""
    return verify_pdf(data)
