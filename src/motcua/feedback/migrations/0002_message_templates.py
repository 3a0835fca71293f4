"""The first version of the feedback box's messages to the sender (issue 11
item 5, issue 13 item 3): the acknowledgement with the tracking code, and
"your feedback was answered". Later versions are made in the admin."""

from django.db import migrations

RECEIVED_SHORT = (
    "{agency} đã nhận phản ánh, kiến nghị của ông/bà. Mã tra cứu: {code}. "
    "Hạn trả lời: {due_date}. Xem tại {lookup_url}"
)
RECEIVED_SUBJECT = "Đã nhận phản ánh, kiến nghị — mã {code}"
RECEIVED_EMAIL = (
    "Kính gửi ông/bà,\n\n"
    "{agency} đã nhận phản ánh, kiến nghị của ông/bà.\n\n"
    "Mã tra cứu: {code}\n"
    "Hạn trả lời: {due_date}\n\n"
    "Ông/bà xem tình trạng xử lý và câu trả lời tại {lookup_url} bằng mã trên. "
    "Vui lòng giữ mã này: đây là cách duy nhất để xem câu trả lời.\n\n"
    "Hệ thống một cửa điện tử"
)
ANSWERED_SHORT = (
    "Phản ánh, kiến nghị {code} đã được {agency} trả lời. Xem câu trả lời tại "
    "{lookup_url} bằng mã {code}."
)
ANSWERED_SUBJECT = "Phản ánh, kiến nghị {code} đã được trả lời"
ANSWERED_EMAIL = (
    "Kính gửi ông/bà,\n\n"
    "{agency} đã trả lời phản ánh, kiến nghị mã {code} của ông/bà.\n\n"
    "Ông/bà xem câu trả lời tại {lookup_url}: nhập mã {code} rồi bấm "
    "«Tra cứu».\n\n"
    "Hệ thống một cửa điện tử"
)
TEXTS = [
    ("feedback_received", "sms", "", RECEIVED_SHORT),
    ("feedback_received", "zalo", "", RECEIVED_SHORT),
    ("feedback_received", "email", RECEIVED_SUBJECT, RECEIVED_EMAIL),
    ("feedback_answered", "sms", "", ANSWERED_SHORT),
    ("feedback_answered", "zalo", "", ANSWERED_SHORT),
    ("feedback_answered", "email", ANSWERED_SUBJECT, ANSWERED_EMAIL),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for key, channel, subject, body in TEXTS:
        MessageTemplate.objects.get_or_create(
            key=key,
            channel=channel,
            version=1,
            defaults={"subject": subject, "body": body},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("notifications", "0006_assigned_template"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
