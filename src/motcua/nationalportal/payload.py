"""The body the national portal's sync expects for one dossier: the dossier as
its history last recorded it, its documents, fees, supplements and results, and
its process (QuaTrinhXuLy), one entry per event.

Built from the hash-chained history (ARCHITECTURE principle 2): the status and
dates come from the last event's snapshot, the process from the events
themselves. Statuses go through the one mapping ``workflow.DVCQG_STATUS``;
dates are ``yyyyMMddHHmmss`` in Vietnam time.

Field names follow the DVCQG "đồng bộ hồ sơ" shape as our issue describes it.
None has been checked against the official specification yet: every name is
"chưa đối chiếu" until it is listed in ``CHECKED_AGAINST_SPEC``; the codes we
chose for channels, applicant kinds and return methods are ours (docs/
national-portal.md lists them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import translation

from motcua.agencies.models import Agency, Membership, Role
from motcua.core.names import display_name
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers import timing
from motcua.dossiers.models import Applicant, Dossier, DossierFile, Event
from motcua.dossiers.workflow import DVCQG_STATUS, Action, Status

from . import conf

VERSION = 1
DATE_FORMAT = "%Y%m%d%H%M%S"  # yyyyMMddHHmmss

#: Field names confirmed against the official DVCQG specification (none yet).
CHECKED_AGAINST_SPEC: frozenset[str] = frozenset()

#: Actions that are not part of the process the portal shows.
NOT_SYNCED = frozenset({Action.REMIND, Action.SEAL, Action.ANONYMISE})

# Our codes (chưa đối chiếu with the portal's catalogues).
CHANNEL_CODE = {"direct": 1, "online": 2, "postal": 3}
APPLICANT_KIND_CODE: dict[str, int] = {
    Applicant.Kind.PERSON: 1,
    Applicant.Kind.ORGANISATION: 2,
}
RETURN_METHOD_CODE: dict[str, int] = {
    Dossier.ReturnMethod.DESK: 1,
    Dossier.ReturnMethod.POST: 2,
    Dossier.ReturnMethod.ONLINE: 3,
    Dossier.ReturnMethod.HOME: 4,
}
FEE_COLLECTED = {"direct": 1, "online": 2}
SYSTEM_ACTOR = "Hệ thống một cửa điện tử"


def dvcqg_time(value: datetime | str | None) -> str:
    """``yyyyMMddHHmmss`` in Vietnam time; ``""`` for no date."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(VN_TZ).strftime(DATE_FORMAT)


def status_code(status: str) -> int | None:
    """The portal's status number for one of ours (``workflow.DVCQG_STATUS``)."""
    found = DVCQG_STATUS.get(Status(status)) if status in Status.values else None
    return found[0] if found else None


def portal_agency_code(agency: Agency) -> str:
    """MaDonVi: the configured code, else the e-identifier, else our code."""
    return conf.agency_codes().get(agency.code) or agency.e_identifier or agency.code


def build(dossier: Dossier, events: Sequence[Event]) -> dict[str, Any]:
    """The whole dossier as of its last event (``events`` in order, verified)."""
    with translation.override("vi"):
        return _build(dossier, list(events))


def _build(dossier: Dossier, events: list[Event]) -> dict[str, Any]:
    last = events[-1]
    snap = dict(last.payload.get("snapshot") or {})
    applicant = dossier.applicant
    version = dossier.procedure_version
    shown = [e for e in events if e.action not in NOT_SYNCED]
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure.code,
        "TenTTHC": version.name,
        "MaLinhVuc": dossier.field.code,
        "TenLinhVuc": dossier.field.name,
        "KenhThucHien": CHANNEL_CODE.get(dossier.channel, 1),
        "ChuHoSo": applicant.name,
        "LoaiDoiTuong": APPLICANT_KIND_CODE.get(applicant.kind, 1),
        "MaDoiTuong": applicant.id_number,
        "ThongTinLienHe": applicant.address,
        "Email": applicant.email,
        "Fax": "",
        "SoDienThoai": applicant.phone,
        "TrichYeuHoSo": version.name,
        "NgayNopHoSo": dvcqg_time(dossier.submitted_at),
        "NgayTiepNhan": dvcqg_time(snap.get("received_at")),
        "NgayHenTra": dvcqg_time(snap.get(timing.DOSSIER_DUE)),
        "TrangThaiHoSo": status_code(snap.get("status") or last.to_status),
        "NgayTra": dvcqg_time(snap.get("returned_at")),
        "ThongTinTra": str(Dossier.ReturnMethod(dossier.return_method).label)
        if dossier.return_method
        else "",
        "HinhThuc": RETURN_METHOD_CODE.get(dossier.return_method, 0),
        "NgayKetThucXuLy": dvcqg_time(snap.get("finished_at") or snap.get("ended_at")),
        "DonViXuLy": dossier.agency.name,
        "MaDonVi": portal_agency_code(dossier.agency),
        "GhiChu": last.reason,
        "TaiLieuNop": documents(dossier),
        "DanhSachLePhi": fees(dossier, events),
        "DanhSachHoSoBoSung": supplements(dossier, events),
        "DanhSachGiayToKetQua": results(dossier),
        "QuaTrinhXuLy": process(dossier, shown),
    }


def documents(dossier: Dossier) -> list[dict[str, Any]]:
    """TaiLieuNop: each document handed in, with its scan when there is one."""
    scans: dict[int | None, list[DossierFile]] = {}
    for item in dossier.files.filter(kind=DossierFile.Kind.SCAN).order_by("id"):
        scans.setdefault(item.component_id, []).append(item)
    rows = []
    for component in dossier.components.order_by("id"):
        files = scans.pop(component.pk, [])
        first = files[0] if files else None
        rows.append(
            {
                "TepDinhKemId": str(first.pk) if first else "",
                "TenTepDinhKem": first.original_name if first else component.name,
                "TenThanhPhanHoSo": component.name,
                "MaThanhPhanHoSo": str(component.template_id or ""),
                "SoLuong": component.count,
                "IsDeleted": False,
            }
        )
    for item in scans.pop(None, []):  # scans not tied to a listed document
        rows.append(
            {
                "TepDinhKemId": str(item.pk),
                "TenTepDinhKem": item.original_name,
                "TenThanhPhanHoSo": item.original_name,
                "MaThanhPhanHoSo": "",
                "SoLuong": 1,
                "IsDeleted": False,
            }
        )
    return rows


def fees(dossier: Dossier, events: list[Event]) -> list[dict[str, Any]]:
    """DanhSachLePhi: the dossier's fee, and how it was paid once it was."""
    if not dossier.fee_amount:
        return []
    paid = [e for e in events if e.action == Action.RECORD_PAYMENT]
    online = any((e.payload or {}).get("online") for e in paid)
    return [
        {
            "TenPhiLePhi": dossier.procedure_version.fee_text or "Phí, lệ phí",
            "MaPhiLePhi": "",
            "HinhThucThu": FEE_COLLECTED["online" if online else "direct"],
            "Gia": dossier.fee_amount,
            "LoaiPhiLePhi": 1,
            "DaThanhToan": dossier.payment_status == Dossier.Payment.PAID,
        }
    ]


def supplements(dossier: Dossier, events: list[Event]) -> list[dict[str, Any]]:
    """DanhSachHoSoBoSung: each request to complete the dossier and, once the
    applicant completed it, when (the resubmission that followed)."""
    rows: list[dict[str, Any]] = []
    for index, event in enumerate(events):
        if event.action != Action.REQUEST_SUPPLEMENT:
            continue
        answer = next(
            (e for e in events[index + 1 :] if e.action == Action.RESUBMIT), None
        )
        before = (event.payload.get("snapshot") or {}).get(timing.DOSSIER_DUE)
        after = (
            (answer.payload.get("snapshot") or {}).get(timing.DOSSIER_DUE)
            if answer
            else None
        )
        rows.append(
            {
                "HoSoBoSungId": f"{dossier.code}-BS{len(rows) + 1}",
                "NguoiYeuCauBoSung": actor_name(event),
                "NoiDungBoSung": event.reason,
                "DanhSachGiayToBoSung": list((event.payload or {}).get("items") or []),
                "NgayBoSung": dvcqg_time(event.at),
                "NgayTiepNhanBoSung": dvcqg_time(answer.at) if answer else "",
                "TrangThaiBoSung": 1 if answer else 0,
                "NgayHenTraTruoc": dvcqg_time(before),
                "NgayHenTraMoi": dvcqg_time(after),
            }
        )
    return rows


def results(dossier: Dossier) -> list[dict[str, Any]]:
    """DanhSachGiayToKetQua: the result documents attached to the dossier."""
    return [
        {
            "GiayToId": str(item.pk),
            "TenGiayTo": item.original_name,
            "MaThanhPhanHoSo": "",
        }
        for item in dossier.files.filter(kind=DossierFile.Kind.RESULT).order_by("id")
    ]


def actor_name(event: Event) -> str:
    if event.actor_id:
        return display_name(event.actor)
    return event.actor_name or SYSTEM_ACTOR


def _titles(events: list[Event]) -> dict[tuple[int, int], str]:
    """ChucDanh: the role each actor held in the event's agency (one query)."""
    actors = {e.actor_id for e in events if e.actor_id}
    agencies = {e.agency_id for e in events}
    titles: dict[tuple[int, int], str] = {}
    for user_id, agency_id, role in Membership.objects.filter(
        user_id__in=actors, agency_id__in=agencies, is_active=True
    ).values_list("user_id", "agency_id", "role"):
        titles.setdefault((user_id, agency_id), str(Role(role).label))
    return titles


def process(dossier: Dossier, events: list[Event]) -> list[dict[str, Any]]:
    """QuaTrinhXuLy: one entry per event of the process, oldest first."""
    titles = _titles(events)
    rows = []
    for event in events:
        step = event.step
        content = str(Action(event.action).label)
        if event.reason:
            content = f"{content}: {event.reason}"
        rows.append(
            {
                "MaHoSo": dossier.code,
                "NguoiXuLy": actor_name(event),
                "ChucDanh": titles.get((event.actor_id or 0, event.agency_id), ""),
                "ThoiDiemXuLy": dvcqg_time(event.at),
                "PhongBanXuLy": (step.agency if step else event.agency).name,
                "NoiDungXuLy": content,
                "TrangThai": status_code(event.to_status),
                "NgayBatDau": dvcqg_time(step.started_at if step else event.at),
                "NgayKetThucTheoQuyDinh": dvcqg_time(step.due_at if step else None),
            }
        )
    return rows
