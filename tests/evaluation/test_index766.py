"""Decision 766/QĐ-TTg index: the formula, empty denominators, the roll-up,
and the world's month computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.agencies.selectors import subtree
from motcua.evaluation import index766 as ix
from motcua.evaluation.definitions import read_definition
from motcua.evaluation.models import IndexGroup, IndexIndicator, Rating
from motcua.evaluation.periods import month
from motcua.evaluation.services import rating_record
from tests.dossiers.builders import vn

from .world import evaluated_world

D = Decimal


def test_formula_with_and_without_target():
    assert ix.indicator_score(D(90), D(10), D(80)) == D("10.00")  # reached
    assert ix.indicator_score(D(80), D(10), D(80)) == D("10.00")
    assert ix.indicator_score(D(50), D(10), D(80)) == D("6.25")  # 50/80 × 10
    assert ix.indicator_score(D(40), D(12), D(100)) == D("4.80")
    # no target: rate × Pmax / 100 — 99.57% of 18 = 17.9226
    assert ix.indicator_score(D("99.57"), D(18), None) == D("17.92")
    assert ix.indicator_score(D(0), D(18), None) == D("0.00")


def test_measures_add_up_and_never_divide_by_zero():
    assert ix.Measure(D(0), D(0)).rate is None
    assert ix.NO_DATA.rate is None
    assert ix.Measure(D(3), D(4)).rate == D(75)
    assert ix.Measure(D(5), D(4)).rate == D(100)  # capped
    # roll-up weighted by denominators: 1/2 and 3/3 → 4/5 = 80%, not 75%
    assert (ix.Measure(D(1), D(2)) + ix.Measure(D(3), D(3))).rate == D(80)
    assert (ix.NO_DATA + ix.Measure(D(1), D(2))).rate == D(50)


def test_definition_file_weights_add_up_to_100():
    data = read_definition()
    weights = {g["code"]: g["weight"] for g in data["groups"]}
    assert weights == {
        "cong_khai": 18, "tien_do": 20, "dvctt": 12, "thanh_toan": 10,
        "so_hoa": 22, "hai_long": 18,
    }  # fmt: skip


@pytest.mark.django_db
def test_the_migration_installs_the_six_groups():
    groups = ix.index_groups()
    assert [g.weight for g in groups] == [18, 20, 12, 10, 22, 18]
    for g in groups:
        assert sum(i.weight for i in g.indicators.all()) == g.weight


@pytest.mark.django_db
def test_an_indicator_without_data_is_left_out_and_its_group_shrinks():
    group = IndexGroup.objects.create(version="t", code="g", name="G", weight=20)
    IndexIndicator.objects.create(group=group, code="a", name="A", weight=12,
                                  target=D(100), formula="a")  # fmt: skip
    IndexIndicator.objects.create(group=group, code="b", name="B", weight=8,
                                  target=None, formula="b")  # fmt: skip
    empty = IndexGroup.objects.create(version="t", code="e", name="E", weight=10)
    IndexIndicator.objects.create(group=empty, code="c", name="C", weight=10,
                                  target=D(50), formula="c")  # fmt: skip
    groups = list(IndexGroup.objects.filter(version="t").order_by("id"))
    result = ix.score_index(
        groups, {"a": ix.Measure(D(3), D(4)), "b": ix.Measure(D(0), D(0))}
    )
    g, e = result.groups
    assert g.indicators[0].score == D("9.00")  # 75/100 × 12
    assert g.indicators[1].score is None  # empty denominator: không có dữ liệu
    assert (g.score, g.max) == (D("9.00"), D(12))
    assert (e.score, e.max) == (None, D(0))
    assert (result.score, result.max, result.percent) == (D("9.00"), D(12), D("75.00"))


@pytest.mark.django_db
def test_the_worlds_june_index_by_hand():
    e = evaluated_world()
    for d, level in ((e.early, "very_satisfied"), (e.late, "satisfied"),
                     (e.on_time, "satisfied")):  # fmt: skip
        rating_record(d, level, at=vn(2025, 6, 9))
    assert Rating.objects.count() == 3
    report = ix.index_report(e.world.city, subtree(e.world.city), month(2025, 6))
    scores = {
        i.indicator.code: i.score for g in report.total.groups for i in g.indicators
    }
    assert scores == {
        "1.1": D("0.00"),  # 0 of 1 procedure has a publishing decision
        "1.2": None,  # national sync: no data
        "2.1": D("8.00"),  # 2 of 3 not late = 66.67% of target 100 × 12
        "2.2": D("8.00"),  # legal 216 h ≥ taken 177.75 h: 100% × 8 / 100
        "3.1": D("0.00"),  # partly online only
        "3.2": D("0.00"),  # 0 of 3 online
        "4.1": None,  # online payment: no data
        "5.1": D("0.00"),
        "5.2": D("0.00"),
        "6.1": D("18.00"),  # 3 of 3 satisfied, no target
    }
    assert report.total.score == D("34.00")
    assert report.total.max == D(82)  # 100 − 8 (sync) − 10 (payment)
    assert report.total.percent == D("41.46")
    assert [m.result.score for m in report.months] == [D("34.00")]
    by_unit = {u.agency.pk: u.result for u in report.units}
    assert by_unit[e.world.ward.pk].score == D("34.00")
    # the other ward offers the procedure but has no dossiers: only the
    # catalogue indicators have data there
    other = by_unit[e.world.other_ward.pk]
    assert other.max == D(16) and other.score == D("0.00")


@pytest.mark.django_db
def test_online_payment_is_the_share_of_fees_paid_through_a_gateway():
    """Three dossiers pay their fee in June 2025: one online through the
    gateway, two at the desk → 1/3 = 33.33 % of the 50 % target × 10 points."""
    from motcua.dossiers import services
    from tests.dossiers.builders import build_world

    world = build_world(fee=50000)
    paid = []
    for day in (2, 3, 4):
        dossier = world.processing(vn(2025, 6, day, 9))
        with world.at(vn(2025, 6, day, 10)):
            paid.append(services.dossier_request_payment(world.specialist, dossier))
    with world.at(vn(2025, 6, 5, 9)):
        services.dossier_record_online_payment(
            paid[0],
            provider="vnpay",
            reference="TT250605A",
            amount=50000,
            paid_at=vn(2025, 6, 5, 9),
        )
        for dossier in paid[1:]:
            services.dossier_record_payment(world.reception, dossier)
    rows = ix.rate_online_payment(subtree(world.city), month(2025, 6))
    assert rows == {(world.ward.pk, (2025, 6)): ix.Measure(D(1), D(3))}
    report = ix.index_report(world.city, subtree(world.city), month(2025, 6))
    scores = {
        i.indicator.code: i.score for g in report.total.groups for i in g.indicators
    }
    assert scores["4.1"] == D("6.67")  # 33.33 / 50 × 10
