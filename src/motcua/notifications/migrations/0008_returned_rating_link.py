"""Version 2 of the "returned" message: the rating link opens the dossier's own
online rating page (issue 13) instead of the tracking page. Version 1 stays, so
messages written with it still render as they were."""

from django.db import migrations

TEXT = (
    "Hồ sơ {code} đã trả kết quả. Mời ông/bà đánh giá mức độ hài lòng tại {rating_url}"
)
SUBJECT = "Hồ sơ {code} đã trả kết quả"
EMAIL = "Kính gửi ông/bà,\n\n{text}\n\nTrân trọng,\nBộ phận Một cửa"


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for channel in ("sms", "zalo"):
        MessageTemplate.objects.get_or_create(
            key="returned", channel=channel, version=2, defaults={"body": TEXT}
        )
    MessageTemplate.objects.get_or_create(
        key="returned",
        channel="email",
        version=2,
        defaults={"subject": SUBJECT, "body": EMAIL.replace("{text}", TEXT)},
    )


def unseed(apps, schema_editor):
    apps.get_model("notifications", "MessageTemplate").objects.filter(
        key="returned", version=2
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0007_citizen_code_template")]

    operations = [migrations.RunPython(seed, unseed)]
