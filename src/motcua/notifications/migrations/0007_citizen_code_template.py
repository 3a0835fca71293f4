"""The one-time code a citizen receives to sign in with a phone number or an
e-mail address (issue 12 item 2; motcua.citizens.codes). The code travels in
the message's variables and is erased from the row once used, replaced or
expired; the message has no agency, so no agency's sent-messages page lists
it."""

from django.db import migrations

SMS = (
    "Mã xác thực đăng nhập cổng công dân: {code} (hiệu lực {minutes} phút). "
    "Không đưa mã này cho bất kỳ ai, kể cả cán bộ."
)
SUBJECT = "Mã xác thực đăng nhập: {code}"
EMAIL = (
    "Xin chào,\n\n"
    "Mã xác thực để đăng nhập cổng công dân của hệ thống một cửa điện tử là: "
    "{code}\n\n"
    "Mã có hiệu lực trong {minutes} phút và chỉ dùng được một lần. Không đưa mã "
    "này cho bất kỳ ai, kể cả cán bộ. Nếu bạn không yêu cầu mã, hãy bỏ qua thư "
    "này.\n\n"
    "Hệ thống một cửa điện tử"
)
TEXTS = [
    ("sms", "", SMS),
    ("zalo", "", SMS),
    ("email", SUBJECT, EMAIL),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for channel, subject, body in TEXTS:
        MessageTemplate.objects.get_or_create(
            key="citizen_code",
            channel=channel,
            version=1,
            defaults={"subject": subject, "body": body},
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_assigned_template")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
