"""Seed the questions asked with a dossier's rating (Circular 01/2018/TT-VPCP
indicators 3 and 7) and the standard reasons for being unsatisfied. Both are
data: an administrator edits them, or adds a question for a later period."""

from datetime import date

from django.db import migrations

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


def forwards(apps, schema_editor):
    question = apps.get_model("evaluation", "RatingQuestion")
    reason = apps.get_model("evaluation", "UnhappyReason")
    for position, q in enumerate(QUESTIONS):
        question.objects.get_or_create(
            code=q["code"],
            valid_from=date(2018, 1, 1),
            defaults={
                "text": q["text"],
                "target": q["target"],
                "options": q["options"],
                "position": position,
                "source_text": CIRCULAR_01,
            },
        )
    for position, (code, text) in enumerate(REASONS):
        reason.objects.get_or_create(
            code=code, defaults={"text": text, "position": position}
        )


def backwards(apps, schema_editor):
    apps.get_model("evaluation", "RatingQuestion").objects.filter(
        code__in=[q["code"] for q in QUESTIONS], valid_from=date(2018, 1, 1)
    ).delete()
    apps.get_model("evaluation", "UnhappyReason").objects.filter(
        code__in=[c for c, _ in REASONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_kiosk_online_followups")]
    operations = [migrations.RunPython(forwards, backwards)]
