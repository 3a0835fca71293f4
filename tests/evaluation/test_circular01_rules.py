"""Circular 01/2018/TT-VPCP Art. 12–15: point rules, rounding and rating bands,
with hand-computed expectations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.evaluation import circular01 as c01
from tests.dossiers.builders import vn

D = Decimal


def test_registry_has_nine_indicators_for_eighteen_points():
    assert sorted(c01.INDICATORS) == list(range(1, 10))
    assert c01.AGENCY_MAX == 18
    assert c01.STAFF_INDICATORS == (1, 2, 3, 4, 7)
    assert c01.INDICATORS[8].computed and c01.INDICATORS[8].enterable


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1.25", "1.3"), ("1.249", "1.2"), ("1.35", "1.4"), ("0.05", "0.1"),
     ("1.04999", "1.0"), ("2", "2.0")],
)  # fmt: skip
def test_averages_round_to_one_decimal_half_up(value, expected):
    assert c01.round1(D(value)) == D(expected)


def test_average_over_dossiers_is_rounded_half_up():
    assert c01.average([2, 2, 1, 0]) == D("1.3")  # 5/4 = 1.25
    assert c01.average([2, 1, 1]) == D("1.3")  # 4/3 = 1.333…
    assert c01.average([2, 0, 0]) == D("0.7")  # 2/3 = 0.666…
    assert c01.average([1] * 1249 + [0] * 751 + [2] * 0) == D("0.6")  # 0.6245
    assert c01.average([]) is None


def test_a_1249_in_1000_average_rounds_down():
    # 1 249 points over 1 000 dossiers (249 × 2 + 751 × 1 = 1 249): 1.249 → 1.2
    assert c01.average([2] * 249 + [1] * 751) == D("1.2")
    # 1 250 points: 1.25 → 1.3
    assert c01.average([2] * 250 + [1] * 750) == D("1.3")


@pytest.mark.parametrize(
    ("total", "rating"),
    [("18", "Xuất sắc"), ("15", "Xuất sắc"), ("14.9", "Tốt"), ("12", "Tốt"),
     ("11.9", "Khá"), ("9", "Khá"), ("8.9", "Trung bình"), ("6", "Trung bình"),
     ("5.9", "Yếu"), ("0", "Yếu")],
)  # fmt: skip
def test_agency_rating_bands(total, rating):
    assert c01.agency_rating(D(total)) == rating


@pytest.mark.parametrize(
    ("total", "rating"),
    [("10", "Hoàn thành 100% nhiệm vụ"), ("5", "Hoàn thành 100% nhiệm vụ"),
     ("4.9", "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"),
     ("3.5", "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"),
     ("3.4", "Hoàn thành dưới 70% nhiệm vụ"), ("0", "Hoàn thành dưới 70% nhiệm vụ")],
)  # fmt: skip
def test_staff_rating_bands(total, rating):
    assert c01.staff_rating(D(total)) == rating


def test_indicator_1_early_on_time_late():
    assert [c01.timing_points(t) for t in ("early", "on_time", "late", "")] == [
        2, 1, 0, None,
    ]  # fmt: skip


def test_indicator_2_steps_within_budget_on_due_day_or_after():
    due = vn(2025, 6, 3, 16)
    assert c01.steps_points([(vn(2025, 6, 3, 15), due)]) == 2
    assert c01.steps_points([(vn(2025, 6, 3, 15), due), (vn(2025, 6, 3, 17), due)]) == 1
    assert c01.steps_points([(vn(2025, 6, 3, 15), due), (vn(2025, 6, 4, 8), due)]) == 0
    assert c01.steps_points([]) is None


def test_indicators_3_and_4_count_rules():
    assert [c01.count_points(n, c01.CONTACT_POINTS) for n in (0, 1, 2, 5)] == [
        2,
        1,
        0,
        0,
    ]
    assert [c01.count_points(n, c01.AGENCY_POINTS) for n in (1, 2, 3)] == [2, 1, 0]


def test_unit_share_rules_and_empty_denominator():
    assert c01.rate_points(10, 10, c01.DESK_SHARE_BANDS) == 2
    assert c01.rate_points(8, 10, c01.DESK_SHARE_BANDS) == 1
    assert c01.rate_points(7, 10, c01.DESK_SHARE_BANDS) == 0
    assert c01.rate_points(1, 2, c01.ONLINE_SHARE_BANDS) == 2
    assert c01.rate_points(1, 5, c01.ONLINE_SHARE_BANDS) == 1
    assert c01.rate_points(1, 6, c01.ONLINE_SHARE_BANDS) == 0
    assert c01.rate_points(0, 0, c01.ONLINE_SHARE_BANDS) is None


def test_indicator_6_publicity():
    assert c01.publicity_points(True, True) == 2
    assert c01.publicity_points(False, True) == 1
    assert c01.publicity_points(False, False) == 0
