"""The questions asked with a dossier's rating and the standard reasons for
being unsatisfied — both data (``RatingQuestion``, ``UnhappyReason``) — and
the one reading of a citizen's answers into Circular 01/2018 points."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db.models import Q

from motcua.core.errors import DomainError

from .models import RatingQuestion, UnhappyReason


def questions_on(day: date) -> list[RatingQuestion]:
    """The questions that apply on ``day`` (one per code: the latest period)."""
    rows = RatingQuestion.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    latest: dict[str, RatingQuestion] = {}
    for q in rows.order_by("valid_from", "id"):
        latest[q.code] = q
    return sorted(latest.values(), key=lambda q: (q.position, q.pk))


def active_reasons() -> list[UnhappyReason]:
    return list(UnhappyReason.objects.filter(is_active=True))


def _invalid_answer(text: str) -> DomainError:
    return DomainError(
        "rating.invalid_answer", f"Câu trả lời cho «{text[:80]}» không hợp lệ."
    )


def _option_points(question: RatingQuestion, answer: Any) -> int:
    options = question.options or []
    if isinstance(answer, str) and answer.isascii() and answer.isdigit():
        answer = int(answer)
    if not isinstance(answer, int) or isinstance(answer, bool):
        raise _invalid_answer(question.text)
    if not 0 <= answer < len(options):
        raise _invalid_answer(question.text)
    return int(options[answer]["points"])


def points_from_answers(
    questions: Iterable[RatingQuestion], answers: Mapping[str, Any] | None
) -> dict[str, int]:
    """``{question code: option index}`` → ``{"contacts_points": 2, …}`` (the
    Rating fields). Unanswered questions give nothing; an unknown question or
    option is refused (``rating.invalid_answer``)."""
    answers = answers or {}
    if not isinstance(answers, Mapping):
        raise DomainError("rating.invalid_answer", "Câu trả lời không hợp lệ.")
    by_code = {q.code: q for q in questions}
    unknown = [code for code in answers if code not in by_code]
    if unknown:
        raise DomainError(
            "rating.invalid_answer", "Câu hỏi không có trong bộ câu hỏi đang áp dụng."
        )
    points: dict[str, int] = {}
    for code, answer in answers.items():
        if answer in (None, ""):
            continue
        question = by_code[code]
        points[question.target] = _option_points(question, answer)
    return points


def reasons_from_codes(codes: Iterable[str]) -> list[UnhappyReason]:
    """The active reasons named by ``codes``; an unknown code is refused."""
    wanted = {str(c)[:32] for c in codes if c}
    found = list(UnhappyReason.objects.filter(is_active=True, code__in=wanted))
    if len(found) != len(wanted):
        raise DomainError("rating.invalid_reason", "Lý do không hài lòng không hợp lệ.")
    return found


def check_options(options: Any) -> None:
    """The answers of a question, as an administrator types them: a list of
    ``{"label": text, "points": 0|1|2}`` (at least two)."""
    ok = isinstance(options, list) and len(options) >= 2
    for option in options if isinstance(options, list) else []:
        label = option.get("label") if isinstance(option, dict) else None
        points = option.get("points") if isinstance(option, dict) else None
        if not (isinstance(label, str) and label.strip()):
            ok = False
        if type(points) is not int or not 0 <= points <= 2:
            ok = False
    if not ok:
        raise DomainError(
            "rating.invalid_options",
            'Các câu trả lời phải là danh sách, ít nhất hai mục dạng {"label": '
            '"…", "points": 0, 1 hoặc 2}.',
        )
