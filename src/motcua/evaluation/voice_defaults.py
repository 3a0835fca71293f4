"""Defaults of the citizen's voice: the questions asked with a dossier's rating
(Circular 01/2018/TT-VPCP indicators 3 and 7) and the standard reasons for
being unsatisfied. Installed by a migration (and by tests that flush the
database); afterwards they are data an administrator edits."""

from __future__ import annotations

from datetime import date
from typing import Any

CIRCULAR_01 = "Thông tư 01/2018/TT-VPCP, Điều 13 (chỉ số 3 và 7)"
QUESTIONS = [
    {
        "code": "contacts",
        "text": "Ông/bà đã phải liên hệ bao nhiêu lần để hoàn thiện hồ sơ?",
        "target": "contacts_points",
        "options": [
            {"label": "Một lần, hồ sơ được nhận ngay", "points": 2},
            {"label": "Phải bổ sung một lần", "points": 1},
            {"label": "Phải bổ sung từ hai lần trở lên", "points": 0},
        ],
    },
    {
        "code": "attitude",
        "text": "Thái độ của cán bộ tiếp nhận, trả kết quả?",
        "target": "attitude_points",
        "options": [
            {"label": "Lịch sự, tận tình", "points": 2},
            {"label": "Bình thường", "points": 1},
            {"label": "Chưa lịch sự, gây phiền hà", "points": 0},
        ],
    },
]
REASONS = [
    ("wait", "Phải chờ đợi lâu tại quầy"),
    ("late", "Trả kết quả trễ hẹn"),
    ("attitude", "Thái độ của cán bộ chưa tốt"),
    ("guidance", "Hướng dẫn chưa rõ, phải đi lại nhiều lần"),
    ("extra_papers", "Bị yêu cầu giấy tờ ngoài quy định"),
    ("extra_costs", "Phải trả chi phí ngoài quy định"),
    ("other", "Lý do khác"),
]


FIRST_DAY = date(2018, 1, 1)


def install_defaults(question_model: Any, reason_model: Any) -> None:
    """Create the default questions and reasons that are missing."""
    for position, q in enumerate(QUESTIONS):
        question_model.objects.get_or_create(
            code=q["code"],
            valid_from=FIRST_DAY,
            defaults={
                "text": q["text"],
                "target": q["target"],
                "options": q["options"],
                "position": position,
                "source_text": CIRCULAR_01,
            },
        )
    for position, (code, text) in enumerate(REASONS):
        reason_model.objects.get_or_create(
            code=code, defaults={"text": text, "position": position}
        )
