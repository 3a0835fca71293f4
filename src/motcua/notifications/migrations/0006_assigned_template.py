"""The first version of the "assigned to you" staff e-mail (issue 11 item 5)."""

from django.db import migrations

SUBJECT = "Hồ sơ {code} được giao cho đồng chí"
BODY = (
    "Kính gửi đồng chí,\n\n"
    "{by} đã giao hồ sơ {code} ({procedure}) cho đồng chí. Hạn trả kết quả của hồ "
    "sơ: {due_date}.\n\n"
    "Đề nghị đồng chí mở hồ sơ trên trang cán bộ («Việc của tôi») để xử lý.\n\n"
    "Hệ thống một cửa điện tử"
)


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    MessageTemplate.objects.get_or_create(
        key="assigned",
        channel="email",
        version=1,
        defaults={"subject": SUBJECT, "body": BODY},
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_staff_templates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
