"""766 indicator 4.1 (online payment) is measured now that fees can be paid
online (issue 12): its note no longer says there is no data."""

from django.db import migrations

NOTE = "Hồ sơ có phí, lệ phí đã nộp trong kỳ: tỷ lệ nộp trực tuyến qua cổng thanh toán."
OLD = "Chưa có phân hệ thanh toán: không có dữ liệu."


def forwards(apps, schema_editor):
    apps.get_model("evaluation", "IndexIndicator").objects.filter(
        formula="online_payment", note=OLD
    ).update(note=NOTE)


def backwards(apps, schema_editor):
    apps.get_model("evaluation", "IndexIndicator").objects.filter(
        formula="online_payment", note=NOTE
    ).update(note=OLD)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0004_questions_reasons")]
    operations = [migrations.RunPython(forwards, backwards)]
