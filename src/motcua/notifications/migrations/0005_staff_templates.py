"""The first versions of the staff e-mails written by ``motcua scheduler``
(issue 11 items 3 and 5): due soon, overdue, extension due, the leaders'
digest and the nightly alert."""

from django.db import migrations

SIGNATURE = "Hệ thống một cửa điện tử"

TEMPLATES = {
    "due_soon": (
        "Sắp đến hạn: hồ sơ {code}",
        "Kính gửi đồng chí {officer},\n\n"
        "Hồ sơ {code} ({procedure}) — {item} tại {unit} — đến hạn ngày "
        "{due_date}, còn không quá một ngày làm việc.\n\n"
        "Đề nghị đồng chí mở hồ sơ trên trang cán bộ để hoàn thành đúng hạn.\n\n"
        + SIGNATURE,
    ),
    "overdue": (
        "Quá hạn: hồ sơ {code}",
        "Kính gửi đồng chí {officer},\n\n"
        "Hồ sơ {code} ({procedure}) — {item} tại {unit} — đã quá hạn "
        "(hạn ngày {due_date}).\n\n"
        "Đề nghị đồng chí xử lý ngay; nếu hồ sơ giải quyết quá hạn, cơ quan "
        "phải gửi phiếu xin lỗi và hẹn lại ngày trả kết quả.\n\n" + SIGNATURE,
    ),
    "extension_due": (
        "Cần xin lỗi, hẹn lại trước hạn: hồ sơ {code}",
        "Kính gửi đồng chí {leader},\n\n"
        "Hồ sơ {code} ({procedure}) có hạn giải quyết ngày {due_date} và chưa "
        "được gia hạn. Nếu hồ sơ không thể giải quyết đúng hạn, phiếu xin lỗi "
        "và hẹn lại ngày trả kết quả phải được ban hành chậm nhất {notice_days} "
        "ngày làm việc trước hạn (Nghị định 61/2018/NĐ-CP, Điều 19).\n\n" + SIGNATURE,
    ),
    "digest": (
        "Bản tin ngày {date}: {overdue_count} hồ sơ quá hạn — {agency}",
        "Kính gửi đồng chí {leader},\n\n"
        "Tình hình giải quyết hồ sơ của {agency} đầu ngày {date}:\n\n"
        "Hồ sơ quá hạn: {overdue_count}\n{overdue_list}\n\n"
        "Bước xử lý quá hạn: {late_steps_count}\n\n"
        "Theo đơn vị:\n{by_unit}\n\n"
        "Theo cán bộ:\n{by_officer}\n\n"
        "Chi tiết trên bảng điều hành của lãnh đạo.\n\n" + SIGNATURE,
    ),
    "nightly_alert": (
        "Cảnh báo kiểm tra hằng đêm ngày {date}",
        "Kính gửi quản trị hệ thống,\n\n"
        "Kiểm tra hằng đêm ngày {date} phát hiện sai khác:\n"
        "- lịch sử hồ sơ: {history_count}\n"
        "- số liệu thống kê: {figures_count}\n\n"
        "{problems}\n\n"
        "Đề nghị kiểm tra bằng lệnh «motcua verify_history» và "
        "«motcua recompute_figures --verify».\n\n" + SIGNATURE,
    ),
}


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for key, (subject, body) in TEMPLATES.items():
        MessageTemplate.objects.get_or_create(
            key=key,
            channel="email",
            version=1,
            defaults={"subject": subject, "body": body},
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_webhook_channel")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
