from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from motcua.catalog import services
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.services import StepData
from motcua.core.errors import DomainError

from .conftest import version_data


def test_first_version_is_number_one_and_open_ended(make_version):
    version = make_version()
    assert version.number == 1
    assert version.effective_to is None
    assert [c.name for c in version.components.all()] == ["Tờ khai đăng ký khai sinh"]
    assert version.steps.count() == 3


def test_later_version_gets_next_number_and_closes_the_previous(make_version):
    first = make_version()
    second = make_version(effective_from=date(2025, 7, 1), name="Đăng ký khai sinh mới")
    first.refresh_from_db()
    assert second.number == 2
    assert first.effective_to == date(2025, 7, 1)
    assert second.effective_to is None


@pytest.mark.parametrize("start", [date(2025, 1, 1), date(2024, 6, 1)])
def test_version_starting_on_or_before_an_existing_one_is_refused(make_version, start):
    make_version()
    with pytest.raises(DomainError) as exc:
        make_version(effective_from=start)
    assert exc.value.code == "catalog.version_overlap"
    assert ProcedureVersion.objects.count() == 1


def test_version_inside_a_closed_range_is_refused(make_version):
    make_version(effective_to=date(2025, 12, 31))
    with pytest.raises(DomainError) as exc:
        make_version(effective_from=date(2025, 6, 1))
    assert exc.value.code == "catalog.version_overlap"


def test_version_after_a_closed_range_leaves_it_alone(make_version):
    first = make_version(effective_to=date(2025, 3, 1))
    make_version(effective_from=date(2025, 6, 1))
    first.refresh_from_db()
    assert first.effective_to == date(2025, 3, 1)


def test_end_before_start_is_refused(make_version):
    with pytest.raises(DomainError) as exc:
        make_version(effective_to=date(2024, 12, 31))
    assert exc.value.code == "catalog.invalid_effective_range"
    assert not Procedure.objects.exists()


def test_search_text_is_folded_code_name_aliases_and_field(make_version):
    version = make_version(aliases=["Làm giấy khai sinh"])
    assert version.search_text == (
        "1.001193 dang ky khai sinh lam giay khai sinh ho tich"
    )


def test_renaming_a_field_refreshes_search_text(make_version):
    version = make_version()
    services.field_save("HT", "Hộ tịch – Đăng ký")
    version.refresh_from_db()
    assert version.search_text.endswith("ho tich dang ky")


def test_update_in_place_keeps_the_number(make_version):
    version = make_version()
    services.procedure_version_update(
        version, version_data(name="Tên đã sửa", components=[])
    )
    version.refresh_from_db()
    assert (version.number, version.name) == (1, "Tên đã sửa")
    assert version.components.count() == 0
    assert "ten da sua" in version.search_text


def _steps(*pairs):
    return [
        StepData(position, f"Bước {n}", "specialist", Decimal(str(budget)))
        for n, (position, budget) in enumerate(pairs)
    ]


def test_budget_exceeding_legal_time_is_refused(make_version):
    with pytest.raises(DomainError) as exc:
        make_version(steps=_steps((1, 12), (2, 13)))  # 25 h > 3 days × 8 h
    assert exc.value.code == "catalog.budget_exceeds_legal_time"
    assert "25 giờ" in exc.value.message and "24 giờ" in exc.value.message
    assert not ProcedureVersion.objects.exists()


def test_parallel_steps_count_as_their_longest(make_version):
    version = make_version(steps=_steps((1, 4), (2, 16), (2, 19), (3, 1)))
    assert version.steps.count() == 4  # 4 + max(16, 19) + 1 = 24 h


def test_parallel_steps_over_the_limit_are_refused(make_version):
    with pytest.raises(DomainError):
        make_version(steps=_steps((1, 4), (2, 16), (2, 20), (3, 1)))  # 25 h


@pytest.mark.parametrize(
    ("unit", "value", "hours"),
    [
        ("working_days", 3, Decimal(24)),
        ("working_hours", Decimal("4.5"), Decimal("4.5")),
        ("same_day", 0, Decimal(8)),
        ("calendar_days", 30, Decimal(240)),
        ("immediate", 0, Decimal(0)),
        ("none", 0, None),
    ],
)
def test_legal_time_in_working_hours(unit, value, hours):
    assert services.legal_time_hours(unit, value) == hours


def test_immediate_procedure_accepts_only_zero_budgets(make_version):
    make_version(time_unit="immediate", time_value=0, steps=_steps((1, 0), (2, 0)))
    with pytest.raises(DomainError):
        make_version(
            code="1.000001",
            time_unit="immediate",
            time_value=0,
            steps=_steps((1, "0.25")),
        )


def test_no_time_limit_accepts_any_budget(make_version):
    make_version(time_unit="none", time_value=0, steps=_steps((1, 500)))


@pytest.mark.parametrize(
    ("unit", "value"),
    [
        ("same_day", 0),
        ("working_days", 3),
        ("working_days", Decimal("0.25")),
        ("working_hours", 1),
        ("working_hours", Decimal("0.01")),
        ("calendar_days", 30),
        ("immediate", 0),
        ("none", 0),
    ],
)
def test_default_steps_fit_any_legal_time(db, unit, value):
    version = ProcedureVersion(time_unit=unit, time_value=Decimal(value))
    steps = services.default_steps(version)
    assert [s["role"] for s in steps] == [
        "reception",
        "specialist",
        "leader",
        "reception",
    ]
    assert all(s["unit"] is None and s["budget_hours"] >= 0 for s in steps)
    services.check_budget(
        unit, value, [(s["position"], s["budget_hours"]) for s in steps]
    )
    limit = services.legal_time_hours(unit, value)
    if limit is not None:
        assert sum(s["budget_hours"] for s in steps) == limit


def test_default_steps_of_three_working_days():
    version = ProcedureVersion(time_unit="working_days", time_value=Decimal(3))
    budgets = [s["budget_hours"] for s in services.default_steps(version)]
    assert budgets == [Decimal("0.5"), Decimal("22.5"), Decimal(1), Decimal(0)]


def test_offering_a_procedure_at_agencies(make_version, agency):
    version = make_version()
    ward = agency()
    services.procedure_offer(version.procedure, [ward])
    assert list(version.procedure.agencies.all()) == [ward]
