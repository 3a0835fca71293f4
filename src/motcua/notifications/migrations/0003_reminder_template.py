"""The first version of the staff reminder e-mail (issue 11 item 6)."""

from django.db import migrations

SUBJECT = "Lãnh đạo nhắc nhở: hồ sơ {code}"
BODY = (
    "Kính gửi đồng chí,\n\n"
    "{leader} nhắc nhở về hồ sơ {code} ({procedure}), bước «{step}»:\n\n"
    "{note}\n\n"
    "Đề nghị đồng chí mở hồ sơ trên trang cán bộ để hoàn thành.\n\n"
    "Hệ thống một cửa điện tử"
)


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    MessageTemplate.objects.get_or_create(
        key="reminder",
        channel="email",
        version=1,
        defaults={"subject": SUBJECT, "body": BODY},
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_seed_templates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
