"""The first version of every applicant-facing text (issue 11), in Vietnamese.
Later versions are made in the admin; these rows are never changed in place."""

from django.db import migrations

SHORT = {
    "received": (
        "Hồ sơ {code} ({procedure}) đã được tiếp nhận. Hẹn trả kết quả ngày "
        "{due_date}. Tra cứu: {tracking_url}"
    ),
    "supplement_requested": (
        "Hồ sơ {code} cần bổ sung: {missing_items}. Lý do: {reason}. "
        "Tra cứu: {tracking_url}"
    ),
    "refused": (
        "Hồ sơ {code} không được giải quyết. Lý do: {reason}. Tra cứu: {tracking_url}"
    ),
    "extended": (
        "Cơ quan xin lỗi vì hồ sơ {code} chưa có kết quả đúng hẹn. Ngày hẹn "
        "trả mới: {new_date}. Lý do: {reason}. Tra cứu: {tracking_url}"
    ),
    "result_ready": (
        "Hồ sơ {code} ({procedure}) đã có kết quả. Mời ông/bà đến nhận kết quả. "
        "Tra cứu: {tracking_url}"
    ),
    "result_ready_early": (
        "Hồ sơ {code} ({procedure}) có kết quả sớm, trước ngày hẹn {due_date}. "
        "Mời ông/bà đến nhận kết quả. Tra cứu: {tracking_url}"
    ),
    "returned": (
        "Hồ sơ {code} đã trả kết quả. Mời ông/bà đánh giá mức độ hài lòng tại "
        "{tracking_url}"
    ),
}

SUBJECTS = {
    "received": "Hồ sơ {code} đã được tiếp nhận",
    "supplement_requested": "Hồ sơ {code} cần bổ sung",
    "refused": "Hồ sơ {code} không được giải quyết",
    "extended": "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
    "result_ready": "Hồ sơ {code} đã có kết quả",
    "result_ready_early": "Hồ sơ {code} có kết quả sớm",
    "returned": "Hồ sơ {code} đã trả kết quả",
}

EMAIL = "Kính gửi ông/bà,\n\n{text}\n\nTrân trọng,\nBộ phận Một cửa"


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for key, text in SHORT.items():
        for channel in ("sms", "zalo"):
            MessageTemplate.objects.get_or_create(
                key=key, channel=channel, version=1, defaults={"body": text}
            )
        MessageTemplate.objects.get_or_create(
            key=key,
            channel="email",
            version=1,
            defaults={
                "subject": SUBJECTS[key],
                "body": EMAIL.replace("{text}", text),
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("notifications", "MessageTemplate").objects.filter(
        version=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
