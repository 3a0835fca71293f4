"""The demo city: Đà Nẵng as it is today — two wards of the two-tier government
(phường Hòa Cường and phường Hải Vân, from 01/07/2025), the former wards and
districts they replaced kept as history — and a demo administrator. Idempotent:
running it again changes nothing.

The wards were merged by Nghị quyết 1659/NQ-UBTVQH15 (LAW-2025.md Part 3): Hòa
Cường Bắc, Hòa Cường Nam, Bình Thuận and Hòa Thuận Tây became phường Hòa Cường;
Hòa Hiệp Bắc, Hòa Hiệp Nam and xã Hòa Bắc became phường Hải Vân. The demo's
dossiers start in the spring of 2025 at Hòa Cường Nam and Hòa Hiệp Bắc; the
merger runs at 01/07/2025 00:00 through the real merger service (their open
dossiers, desks and staff roles move to the successors) and the dossiers go on
at the successors up to now.

Agency codes follow the QCVN 102:2016 *form* and electronic identifiers the
Quyết định 20/2020 *form*; the numbers are demo values, not the official
registries'.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import monotonic

from django.contrib.auth import get_user_model
from django.db import transaction

from motcua.agencies.models import Agency
from motcua.agencies.services import agency_create, agency_save
from motcua.catalog.services import load_reference_catalogue
from motcua.core import clock
from motcua.core.dates import vn_date
from motcua.deadlines.engine import VN_TZ
from motcua.dossiers import observers
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import agencies_merge, bulk_work
from motcua.dossiers.workflow import Status
from motcua.evaluation.demo import add_demo_ratings

from .citizens import load_demo_citizens
from .generator import Consultee, Merger, at_successor, generate
from .staff import WardStaff, hashed_password, other_staff, ward_staff

DEMO_ADMIN = "admin"
DEFAULT_DEMO_PASSWORD = "motcua-demo-2026"

L = Agency.Level
CITY_CODE = "000.00.00.H17"
HAI_CHAU, LIEN_CHIEU, HOA_VANG = "000.00.01.H17", "000.00.02.H17", "000.00.03.H17"
HOA_CUONG_NAM, HOA_HIEP_BAC = "000.01.01.H17", "000.02.02.H17"
HOA_CUONG, HAI_VAN = "000.10.00.H17", "000.11.00.H17"
DEPARTMENT_CODE = "000.00.20.H17"


@dataclass(frozen=True)
class DemoAgency:
    code: str
    name: str
    level: str
    parent: str | None
    e_identifier: str = ""


# Parents first. The former units keep the codes of the earlier demo, so data
# made with it (a history import, docs/import.md) still finds them.
DEMO_AGENCIES: list[DemoAgency] = [
    DemoAgency(CITY_CODE, "UBND thành phố Đà Nẵng", L.PROVINCE, None),
    DemoAgency(
        DEPARTMENT_CODE,
        "Sở Nông nghiệp và Môi trường thành phố Đà Nẵng",
        L.DEPARTMENT,
        CITY_CODE,
    ),
    # Today's wards (from 01/07/2025).
    DemoAgency(HOA_CUONG, "UBND phường Hòa Cường", L.WARD, CITY_CODE, "H17.10"),
    DemoAgency(HAI_VAN, "UBND phường Hải Vân", L.WARD, CITY_CODE, "H17.11"),
    # History: the districts abolished and the wards merged on 01/07/2025.
    DemoAgency(HAI_CHAU, "UBND quận Hải Châu", L.DISTRICT, CITY_CODE),
    DemoAgency(HOA_CUONG_NAM, "UBND phường Hòa Cường Nam", L.WARD, HAI_CHAU),
    DemoAgency("000.02.01.H17", "UBND phường Hòa Cường Bắc", L.WARD, HAI_CHAU),
    DemoAgency("000.03.01.H17", "UBND phường Bình Thuận", L.WARD, HAI_CHAU),
    DemoAgency("000.04.01.H17", "UBND phường Hòa Thuận Tây", L.WARD, HAI_CHAU),
    DemoAgency(LIEN_CHIEU, "UBND quận Liên Chiểu", L.DISTRICT, CITY_CODE),
    DemoAgency(HOA_HIEP_BAC, "UBND phường Hòa Hiệp Bắc", L.WARD, LIEN_CHIEU),
    DemoAgency("000.03.02.H17", "UBND phường Hòa Hiệp Nam", L.WARD, LIEN_CHIEU),
    DemoAgency(HOA_VANG, "UBND huyện Hòa Vang", L.DISTRICT, CITY_CODE),
    DemoAgency("000.01.03.H17", "UBND xã Hòa Bắc", L.COMMUNE, HOA_VANG),
]

# Nghị quyết 1659/NQ-UBTVQH15, in force from 01/07/2025: successor ← formers.
MERGER_DAY = date(2025, 7, 1)
MERGER_AT = datetime.combine(MERGER_DAY, time(0), tzinfo=VN_TZ)
MERGERS: dict[str, list[str]] = {
    HOA_CUONG: ["000.02.01.H17", HOA_CUONG_NAM, "000.03.01.H17", "000.04.01.H17"],
    HAI_VAN: [HOA_HIEP_BAC, "000.03.02.H17", "000.01.03.H17"],
}
# The demo's officers: one team per today's ward, who worked at one of its
# former wards before the merger (which gave them their roles at the successor).
TEAMS: dict[str, tuple[str, str]] = {  # successor → (account slug, former ward)
    HOA_CUONG: ("hoacuong", HOA_CUONG_NAM),
    HAI_VAN: ("haivan", HOA_HIEP_BAC),
}
DISTRICT_SLUGS = {HAI_CHAU: "haichau", LIEN_CHIEU: "lienchieu"}
# The demo's dossiers start here (or a year before today, if earlier): a
# quarter under the former wards, then the successors up to today.
DEMO_SINCE = date(2025, 4, 1)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    created: bool


def demo_password() -> str:
    return os.environ.get("MOTCUA_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


@dataclass(frozen=True)
class DemoSummary:
    agencies_created: int
    admin: DemoAccount
    procedures: int
    dossiers_created: int
    actions: int
    skipped: list[str]


def _agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


@transaction.atomic
def _load_city() -> tuple[int, DemoAccount]:
    """The demo agencies and the demo administrator, when missing."""
    created = 0
    for row in DEMO_AGENCIES:
        parent = _agency(row.parent) if row.parent else None
        agency = Agency.objects.filter(code=row.code).first()
        if agency is None:
            agency_create(
                code=row.code,
                name=row.name,
                level=row.level,
                parent=parent,
                e_identifier=row.e_identifier,
            )
            created += 1
        elif not agency.path:  # loaded before tree paths were kept
            agency_save(agency)
    user_model = get_user_model()
    password = demo_password()
    admin_created = False
    if not user_model.objects.filter(username=DEMO_ADMIN).exists():
        user_model.objects.create(
            username=DEMO_ADMIN,
            password=hashed_password(password),
            is_staff=True,
            is_superuser=True,
        )
        admin_created = True
    return created, DemoAccount(DEMO_ADMIN, password, admin_created)


def _merge_wards(report: Callable[[str], None]) -> None:
    """The merger of 01/07/2025 through the merger service (as ``motcua
    merge_agencies`` does), the clock at its instant; the abolished districts
    stop operating. Once: a merger already recorded is left as it is."""
    today = clock.today()
    for successor_code, former_codes in MERGERS.items():
        formers = [_agency(code) for code in former_codes]
        if any(f.merged_into_id is not None for f in formers) or today < MERGER_DAY:
            continue
        late = Dossier.objects.filter(agency__in=formers, received_at__gte=MERGER_AT)
        if late.exists():  # a database of the earlier demo: leave it be
            report(
                f"Không sáp nhập {successor_code}: đã có hồ sơ tiếp nhận ở đơn vị cũ "
                "sau ngày sáp nhập (cơ sở dữ liệu của bản demo cũ; hãy xóa nó)."
            )
            continue
        with clock.frozen_at(MERGER_AT):
            summary = agencies_merge(
                None, formers, _agency(successor_code), on=MERGER_DAY
            )
        report(
            f"Sáp nhập {', '.join(f.name for f in formers)} vào "
            f"{summary.record.successor.name} từ ngày {vn_date(MERGER_DAY)}: "
            f"{summary.dossiers} hồ sơ chuyển, {summary.stayed} hồ sơ đã kết thúc "
            f"ở lại, {summary.record.memberships} vai trò cán bộ."
        )
    if today >= MERGER_DAY:
        for code in (HAI_CHAU, LIEN_CHIEU, HOA_VANG):
            district = _agency(code)
            if district.is_active:
                district.is_active = False
                agency_save(district)


def _consultees(
    teams: dict[str, WardStaff], others: dict[str, object]
) -> dict[int, Consultee]:
    """Before the merger a ward asks its district; today's wards ask the
    department (there are no districts since 01/07/2025)."""
    department = _agency(DEPARTMENT_CODE)
    asks: dict[int, Consultee] = {}
    for successor_code, (_, former_code) in TEAMS.items():
        former = teams[former_code].agency
        assert former.parent is not None
        asks[former.pk] = Consultee(
            former.parent, others[f"specialist:{former.parent.code}"]
        )
        asks[_agency(successor_code).pk] = Consultee(
            department, others[f"specialist:{DEPARTMENT_CODE}"]
        )
    return asks


def demo_start(today: date, days: int | None) -> date:
    """The first day of demo dossiers: ``days`` before today when given, else
    the earlier of :data:`DEMO_SINCE` and a year before today — so the demo
    crosses the merger of 01/07/2025 whatever today is."""
    if days is not None:
        return today - timedelta(days=days)
    return min(DEMO_SINCE, today - timedelta(days=365))


def _since(started: float) -> str:
    return f"{monotonic() - started:.1f} giây"


def load_demo(
    *,
    with_dossiers: bool = True,
    days: int | None = None,
    per_day: float = 3.0,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """The demo city, its staff, the reference catalogue and — once, when there are
    no dossiers yet — the dossiers from :func:`demo_start` to now, across the
    merger of 01/07/2025."""
    report = progress or (lambda _: None)
    started = monotonic()
    created, admin = _load_city()
    password = demo_password()
    offering = Agency.objects.filter(
        code__in=[a.code for a in DEMO_AGENCIES if a.level in (L.WARD, L.COMMUNE)]
    )
    catalogue = load_reference_catalogue(offering)
    report(
        f"thành phố và danh mục: {len(DEMO_AGENCIES)} cơ quan, "
        f"{len(catalogue.procedure_codes)} thủ tục ({_since(started)})"
    )
    started = monotonic()
    teams = {
        former: ward_staff(_agency(former), slug, password)
        for slug, former in TEAMS.values()
    }
    districts = {slug: _agency(code) for code, slug in DISTRICT_SLUGS.items()}
    others = other_staff(
        _agency(CITY_CODE), districts, _agency(DEPARTMENT_CODE), password
    )
    report(f"cán bộ: {6 * len(teams) + len(others)} tài khoản ({_since(started)})")
    dossiers = actions = 0
    skipped: list[str] = []
    if with_dossiers and not Dossier.objects.exists():
        end = clock.now()
        start = demo_start(end.astimezone(VN_TZ).date(), days)
        successors = {code: _agency(code) for code in MERGERS}
        merger = Merger(
            at=MERGER_AT,
            run=lambda: _merge_wards(report),
            wards=[
                at_successor(teams[former], successors[code])
                for code, (_, former) in TEAMS.items()
            ],
            successor_of={
                teams[former].agency.pk: successors[code]
                for code, (_, former) in TEAMS.items()
            },
        )
        # One transaction; the figures of every action are folded in memory and
        # written once at the end (the observers' batch, as the import does).
        with transaction.atomic(), bulk_work(), observers.batched() as figures:
            result = generate(
                list(teams.values()),
                consultees=_consultees(teams, others),
                start=start,
                end=end,
                per_day=per_day,
                merger=merger if clock.today() >= MERGER_DAY else None,
                progress=report,
                line=figures.line,
            )
            started = monotonic()
            add_demo_ratings(
                random.Random(2015),
                Dossier.objects.filter(status=Status.RETURNED).order_by("id"),
            )
            if clock.today() >= MERGER_DAY:  # today's ward receives them
                load_demo_citizens(
                    _agency(HOA_CUONG), teams[HOA_CUONG_NAM].reception[0], report
                )
            report(f"đánh giá và công dân mẫu ({_since(started)})")
            started = monotonic()
        report(f"ghi các số liệu và lưu ({_since(started)})")
        dossiers, actions, skipped = result.dossiers, result.actions, result.skipped
    _merge_wards(report)  # without dossiers, or already done: nothing to move
    return DemoSummary(
        agencies_created=created,
        admin=admin,
        procedures=len(catalogue.procedure_codes),
        dossiers_created=dossiers,
        actions=actions,
        skipped=skipped,
    )
