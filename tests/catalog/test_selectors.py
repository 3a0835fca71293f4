from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from motcua.catalog import selectors, services
from motcua.catalog.models import Procedure
from motcua.catalog.selectors import in_force_at, is_in_force
from motcua.core import clock
from motcua.core.errors import DomainError

from .conftest import version_data


@pytest.fixture
def two_versions(make_version):
    first = make_version(name="Khai sinh cũ")
    second = make_version(name="Khai sinh mới", effective_from=date(2025, 7, 1))
    return first, second


def test_version_in_force_on_the_boundaries(two_versions):
    first, second = two_versions
    procedure = first.procedure
    assert selectors.version_in_force(procedure, date(2025, 1, 1)) == first
    assert selectors.version_in_force(procedure, date(2025, 6, 30)) == first
    assert selectors.version_in_force(procedure, date(2025, 7, 1)) == second
    assert selectors.version_in_force(procedure, date(2099, 1, 1)) == second


def test_no_version_in_force_before_the_first(two_versions):
    with pytest.raises(DomainError) as exc:
        selectors.version_in_force(two_versions[0].procedure, date(2024, 12, 31))
    assert exc.value.code == "catalog.no_version_in_force"
    assert "31/12/2024" in exc.value.message


def test_no_version_in_force_after_a_closed_range(make_version):
    version = make_version(effective_to=date(2025, 3, 1))
    with pytest.raises(DomainError):
        selectors.version_in_force(version.procedure, date(2025, 3, 1))


def test_overlapping_versions_latest_start_then_highest_number(make_version):
    """One tie-break for the desk, the API and the catalogue: the version that
    started last wins, then the highest number (overlaps come from old data)."""
    first = make_version()
    procedure = first.procedure
    # Overlaps the checks refuse, written as an older import could have left them.
    same_start = type(first).objects.filter(pk=first.pk).get()
    same_start.pk = None
    same_start.number = first.number + 1
    same_start.save()
    later = type(first).objects.get(pk=same_start.pk)
    later.pk = None
    later.number = first.number + 2
    later.effective_from = date(2025, 5, 1)
    later.save()
    type(first).objects.filter(pk=first.pk).update(effective_to=None)
    assert selectors.version_in_force(procedure, date(2025, 3, 1)) == same_start
    assert selectors.version_in_force(procedure, date(2025, 6, 1)) == later
    by_code = selectors.version_in_force_by_code(procedure.code, date(2025, 3, 1))
    assert by_code == same_start


def test_today_follows_the_clock_in_vietnam_time():
    with clock.frozen_at(datetime(2025, 6, 30, 17, 30, tzinfo=UTC)):
        assert clock.today() == date(2025, 7, 1)  # 00:30 in Hà Nội


def test_procedures_offered_by_an_agency(make_version, agency):
    offered = make_version(code="1.001193").procedure
    make_version(code="1.000894", name="Đăng ký kết hôn")
    ward = agency()
    services.procedure_offer(offered, [ward])
    assert list(selectors.procedures_offered(ward)) == [offered]


@pytest.fixture
def catalogue(make_version):
    make_version(code="1.001193", name="Đăng ký khai sinh")
    make_version(code="1.000894", name="Đăng ký kết hôn")
    make_version(code="1.000656", name="Đăng ký khai tử", aliases=["báo tử"])
    dd = services.field_save("DD", "Đất đai")
    services.procedure_version_create(
        code="1.013992",
        field=dd,
        data=version_data(name="Chuyển mục đích sử dụng đất", aliases=["sổ đỏ"]),
    )


def _codes(q, **kwargs):
    at = date(2025, 3, 1)
    return [v.procedure.code for v in selectors.search_procedures(q, at=at, **kwargs)]


@pytest.mark.parametrize(
    ("q", "code"),
    [
        ("khai sinh", "1.001193"),
        ("Khai Sinh", "1.001193"),
        ("ket hon", "1.000894"),
        ("kết hôn", "1.000894"),
        ("bao tu", "1.000656"),
        ("so do", "1.013992"),
        ("SỔ ĐỎ", "1.013992"),
        ("1.001193", "1.001193"),
    ],
)
def test_search_ignores_accents_and_case(catalogue, q, code):
    assert _codes(q)[0] == code


def test_search_needs_every_word(catalogue):
    assert _codes("dang ky khai") == ["1.000656", "1.001193"]
    assert _codes("khai sinh ket hon") == []


def test_search_by_field_and_agency(catalogue, agency):
    assert _codes("", field=selectors.get_field("DD")) == ["1.013992"]
    ward = agency()
    services.procedure_offer(Procedure.objects.get(code="1.000894"), [ward])
    assert _codes("", agency=ward) == ["1.000894"]


def test_search_lists_only_versions_in_force(catalogue):
    assert len(_codes("")) == 4
    assert not selectors.search_procedures("", at=date(2024, 1, 1)).exists()


def test_search_is_one_query(catalogue, django_assert_num_queries):
    with django_assert_num_queries(3):  # versions + components + agencies
        versions = list(selectors.search_procedures("dang ky", at=date(2025, 3, 1)))
        for v in versions:
            _ = (v.procedure.field.name, list(v.components.all()))
            _ = list(v.procedure.agencies.all())


def test_unknown_field_is_bad_input(db):
    with pytest.raises(DomainError) as exc:
        selectors.get_field("XX")
    assert exc.value.code == "catalog.unknown_field"


def test_is_in_force_is_the_query_condition(make_version):
    """The Python check the importer uses agrees with the query on every day."""
    first = make_version(effective_from=date(2025, 1, 1), effective_to=date(2025, 3, 1))
    days = [date(2024, 12, 31), date(2025, 1, 1), date(2025, 2, 28), date(2025, 3, 1)]
    for day in days:
        in_query = type(first).objects.filter(in_force_at(day), pk=first.pk).exists()
        assert is_in_force(first, day) == in_query, day


def test_pick_in_force_is_version_in_force_for_versions_already_read(make_version):
    """Bulk work picks among versions read once; the query picks in the
    database: the same version every day, overlaps included (the tie-break)."""
    first = make_version(effective_from=date(2025, 1, 1), effective_to=date(2025, 3, 1))
    second = make_version(effective_from=date(2025, 3, 1))
    # Data imported before the overlap check: the second also covers February.
    type(second).objects.filter(pk=second.pk).update(effective_from=date(2025, 2, 1))
    procedure = first.procedure
    versions = list(procedure.versions.all())
    days = [date(2024, 12, 31), date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
    for day in days:
        picked = selectors.pick_in_force(versions, day)
        if picked is None:
            with pytest.raises(DomainError):
                selectors.version_in_force(procedure, day)
        else:
            assert picked == selectors.version_in_force(procedure, day), day
    assert selectors.pick_in_force(versions, date(2025, 2, 1)) == second
