"""The nine indicators of Circular 01/2018/TT-VPCP (Art. 12–15) as data, and their
point rules as small pure functions.

Each indicator scores 0, 1 or 2 points. Per-dossier indicators are averaged over
the dossiers settled in the period; every average is rounded to one decimal,
half up (1.25 → 1.3). The agency's total is out of 18; the staff total (indicators
1, 2, 3, 4, 7) out of 10. Where the Circular's exact wording is not at hand the
rule is marked ``verify`` and documented in docs/evaluation.md: the thresholds
below are the place to change it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext, gettext_noop

from motcua.dossiers.timing import LATE
from motcua.dossiers.timing import timing as finish_timing

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Indicator:
    number: int
    name: str
    scope: str  # "dossier" or "unit"
    how: str  # the rule in words (Vietnamese, gettext_noop), shown translated
    enterable: bool = False  # an evaluator may enter (or override) the points
    computed: bool = True  # False: only an evaluator can give it
    verify: bool = False  # the mapping is our best reading of the Circular
    staff: bool = False  # part of the staff rating (indicators 1, 2, 3, 4, 7)

    @property
    def how_text(self) -> str:
        """``how`` in the active language (the template cannot translate it: its
        ``translate`` tag doubles the ``%`` signs of a variable's value)."""
        return gettext(self.how)


_REGISTRY: Sequence[Indicator] = (
    Indicator(1, "Tổng thời gian giải quyết so với thời gian quy định", "dossier",
              gettext_noop(
                  "Trước hạn: 2 điểm; đúng hạn: 1 điểm; quá hạn: 0 điểm (ngày có kết "
                  "quả so với ngày hẹn trả ban đầu)."
              ), staff=True),
    Indicator(2, "Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết",
              "dossier",
              gettext_noop(
                  "Mọi bước xong trong định mức giờ của bước: 2 điểm; có bước vượt định"
                  " mức nhưng xong trong ngày đến hạn: 1 điểm; có bước xong sau ngày "
                  "đến hạn: 0 điểm."
              ), verify=True, staff=True),
    Indicator(3, "Số lần phải liên hệ để hoàn thiện hồ sơ", "dossier",
              gettext_noop(
                  "Không phải bổ sung: 2 điểm; bổ sung 1 lần: 1 điểm; từ 2 lần: 0 điểm "
                  "(hoặc điểm người dân tự chấm khi đánh giá)."
              ), verify=True, staff=True),
    Indicator(4, "Số cơ quan, đơn vị, tổ chức phải liên hệ", "dossier",
              gettext_noop(
                  "1 cơ quan: 2 điểm; 2 cơ quan: 1 điểm; từ 3 cơ quan: 0 điểm (cơ quan "
                  "tiếp nhận cộng các cơ quan được xin ý kiến)."
              ), verify=True, staff=True),
    Indicator(5, "Tỷ lệ hồ sơ được tiếp nhận, giải quyết tại Bộ phận Một cửa", "unit",
              gettext_noop(
                  "Tỷ lệ hồ sơ do cán bộ một cửa tiếp nhận: 100%: 2 điểm; từ 80%: 1 "
                  "điểm; dưới 80%: 0 điểm."
              ), enterable=True, verify=True),
    Indicator(6, "Công khai thủ tục hành chính", "dossier",
              gettext_noop(
                  "Thủ tục có quyết định công bố: 2 điểm; chỉ niêm yết trên danh mục "
                  "của hệ thống: 1 điểm; không công khai: 0 điểm."
              ),
              enterable=True, verify=True),
    Indicator(7, "Thái độ của cán bộ, công chức, viên chức", "dossier",
              gettext_noop(
                  "Theo đánh giá của người dân: rất hài lòng 2 điểm, hài lòng 1 điểm, "
                  "không hài lòng 0 điểm (hoặc điểm thái độ người dân chấm)."
              ), verify=True,
              staff=True),
    Indicator(8, "Tiếp thu, giải trình ý kiến phản ánh, kiến nghị đúng hạn", "unit",
              gettext_noop(
                  "Tỷ lệ phản ánh, kiến nghị đến hạn trong kỳ được trả lời đúng hạn "
                  "(phân hệ phản ánh, kiến nghị): 100%: 2 điểm; từ 80%: 1 điểm; dưới "
                  "80%: 0 điểm; người đánh giá có thể nhập điểm thay."
              ),
              enterable=True, verify=True),
    Indicator(9, "Cung cấp dịch vụ công trực tuyến", "unit",
              gettext_noop(
                  "Tỷ lệ hồ sơ nộp trực tuyến trên hồ sơ của các thủ tục có dịch vụ "
                  "công trực tuyến: từ 50%: 2 điểm; từ 20%: 1 điểm; dưới 20%: 0 điểm."
              ),
              enterable=True, verify=True),
)  # fmt: skip
INDICATORS: dict[int, Indicator] = {i.number: i for i in _REGISTRY}
STAFF_INDICATORS = tuple(i.number for i in _REGISTRY if i.staff)
AGENCY_MAX = Decimal(2 * len(_REGISTRY))  # 18

# Agency rating (Art. 15): minimum total → rating, best first.
AGENCY_BANDS: Sequence[tuple[Decimal, str]] = (
    (Decimal(15), "Xuất sắc"),
    (Decimal(12), "Tốt"),
    (Decimal(9), "Khá"),
    (Decimal(6), "Trung bình"),
    (Decimal(0), "Yếu"),
)
# Staff rating on indicators 1, 2, 3, 4, 7 (total out of 10).
STAFF_BANDS: Sequence[tuple[Decimal, str]] = (
    (Decimal(5), "Hoàn thành 100% nhiệm vụ"),
    (Decimal("3.5"), "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"),
    (Decimal(0), "Hoàn thành dưới 70% nhiệm vụ"),
)

# Count-based rules: count → points; larger counts score 0.
CONTACT_POINTS = {0: 2, 1: 1}  # supplement requests (indicator 3)
AGENCY_POINTS = {1: 2, 2: 1}  # agencies involved (indicator 4)
TIMING_POINTS = {"early": 2, "on_time": 1, "late": 0}  # indicator 1
LEVEL_POINTS = {"very_satisfied": 2, "satisfied": 1, "unsatisfied": 0}  # 7
# Rate-based rules (per unit): minimum share → points, best first.
DESK_SHARE_BANDS: Sequence[tuple[Decimal, int]] = ((Decimal(1), 2), (Decimal("0.8"), 1))
# Indicator 8: our reading (verify=True), the same bands as the desk share.
FEEDBACK_ON_TIME_BANDS: Sequence[tuple[Decimal, int]] = (
    (Decimal(1), 2),
    (Decimal("0.8"), 1),
)
ONLINE_SHARE_BANDS: Sequence[tuple[Decimal, int]] = (
    (Decimal("0.5"), 2),
    (Decimal("0.2"), 1),
)


def round1(value: Decimal) -> Decimal:
    """One decimal, half up: 1.25 → 1.3, 1.249 → 1.2."""
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def average(points: Iterable[int]) -> Decimal | None:
    """The average of per-dossier points, rounded; None when there are none."""
    values = list(points)
    if not values:
        return None
    return round1(Decimal(sum(values)) / Decimal(len(values)))


def band(total: Decimal, bands: Sequence[tuple[Decimal, str]]) -> str:
    for minimum, label in bands:
        if total >= minimum:
            return label
    return bands[-1][1]


def agency_rating(total: Decimal) -> str:
    return band(total, AGENCY_BANDS)


def staff_rating(total: Decimal) -> str:
    return band(total, STAFF_BANDS)


def count_points(count: int, table: dict[int, int]) -> int:
    return table.get(count, 0)


def rate_points(
    numerator: int, denominator: int, bands: Sequence[tuple[Decimal, int]]
) -> int | None:
    if denominator <= 0:
        return None
    share = Decimal(numerator) / Decimal(denominator)
    for minimum, points in bands:
        if share >= minimum:
            return points
    return 0


# ------------------------------------------------------- per-dossier rules
def timing_points(timing: str) -> int | None:
    """Indicator 1: the dossier's early / on-time / late (Biểu 06 date rule)."""
    return TIMING_POINTS.get(timing)


def steps_points(steps: Iterable[tuple[datetime, datetime]]) -> int | None:
    """Indicator 2 from (ended, due) of each step with a budget: 2 if every step
    ended within its budget; 0 if one ended after its due *date*; otherwise (over
    budget but on the due date) 1."""
    worst: int | None = None
    for ended, due in steps:
        if ended <= due:
            points = 2
        elif finish_timing(ended, due) == LATE:  # the one date rule
            return 0
        else:
            points = 1
        worst = points if worst is None else min(worst, points)
    return worst


def publicity_points(has_decision: bool, listed: bool) -> int:
    """Indicator 6: a publishing decision recorded → 2; listed in the public
    catalogue only → 1; otherwise 0."""
    if has_decision:
        return 2
    return 1 if listed else 0
