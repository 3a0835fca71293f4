"""766 indicator 1.2 (dossiers synchronised with the national portal) is
measured now that the sync exists (issue 14 item 2): its note no longer says
there is no data."""

from django.db import migrations

NOTE = (
    "Hồ sơ tiếp nhận trong kỳ: tỷ lệ hồ sơ đã được Cổng DVCQG chấp nhận đồng bộ "
    "(không tính hồ sơ đồng bộ không thành công); không có dữ liệu khi chưa cấu "
    "hình đồng bộ."
)
OLD = "Chưa có phân hệ liên thông: không có dữ liệu."


def forwards(apps, schema_editor):
    apps.get_model("evaluation", "IndexIndicator").objects.filter(
        formula="national_sync", note=OLD
    ).update(note=NOTE)


def backwards(apps, schema_editor):
    apps.get_model("evaluation", "IndexIndicator").objects.filter(
        formula="national_sync", note=NOTE
    ).update(note=OLD)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0005_online_payment_measured")]
    operations = [migrations.RunPython(forwards, backwards)]
