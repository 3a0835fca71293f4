"""The dossier code by period (issue 10, LAW-2025.md §2.4): the 2018 form until
30/06/2025; from 01/07/2025 the agency's electronic identifier (Circular 03/2025
Art. 13(1): text not found, so "chưa đối chiếu"); from 25/01/2026 the
centralised-service form of Art. 13(3), added by Circular 04/2025 Art. 23(2)
(quoted verbatim, R/1d956). docs/law.md lists them; ADR 0015."""

from datetime import date

from django.db import migrations, models

OK, UNVERIFIED = "confirmed", "unverified"

ROWS = [
    # key, from, to, value, source, confidence, note
    (
        "code.format",
        None,
        date(2025, 6, 30),
        "2018",
        "Thông tư 01/2018/TT-VPCP, Điều 19 (mã cơ quan theo QCVN 102:2016/BTTTT)",
        OK,
        "<mã cơ quan QCVN 102>-YYMMDD-NNNN (DOMAIN.md §3 [law]).",
    ),
    (
        "code.format",
        date(2025, 7, 1),
        None,
        "2025",
        "Thông tư 03/2025/TT-VPCP, khoản 1 Điều 13 (nội dung chưa tìm thấy); mã "
        "định danh điện tử theo Điều 4 Quyết định 20/2020/QĐ-TTg",
        UNVERIFIED,
        "LAW-2025.md §2.4: khoản 1, 2 Điều 13 [not found]. Dạng <mã định danh "
        "điện tử>-YYMMDD-<số thứ tự, tối thiểu 04 chữ số> là suy luận từ khoản 3 "
        "Điều 13 (đã đối chiếu, R/1d956) và Điều 4 Quyết định 20/2020/QĐ-TTg (đã "
        "đối chiếu, R/1747c). Áp dụng từ 01/07/2025, ngày Nghị định 118/2025 thay "
        "Nghị định 61/2018 mà Thông tư 01/2018 hướng dẫn; quản trị viên có thể tách "
        "giai đoạn khi đối chiếu được văn bản. Cơ quan chưa có mã định danh điện "
        "tử: giữ mã cơ quan theo QCVN 102.",
    ),
    (
        "code.centralised",
        date(2026, 1, 25),
        None,
        "AAXXXX",
        "Thông tư 03/2025/TT-VPCP, khoản 3 Điều 13 (bổ sung bởi khoản 2 Điều 23 "
        "Thông tư 04/2025/TT-VPCP, hiệu lực 25/01/2026) — R/1d956",
        OK,
        "<mã định danh cơ quan giải quyết>-YYMMDD-AAXXXX, AA = 2 chữ số từ mã "
        "định danh của cơ quan quản lý hệ thống tập trung; chỉ cho thủ tục khai "
        "báo tại «Thủ tục trên hệ thống tập trung toàn quốc». Để trống giá trị: "
        "không dùng dạng này.",
    ),
]


def seed(apps, schema_editor):
    LegalRule = apps.get_model("law", "LegalRule")
    for key, start, end, value, source, confidence, note in ROWS:
        LegalRule.objects.create(
            key=key,
            valid_from=start,
            valid_to=end,
            value=value,
            source=source,
            confidence=confidence,
            note=note,
        )


def unseed(apps, schema_editor):
    apps.get_model("law", "LegalRule").objects.filter(
        key__in=["code.format", "code.centralised"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("law", "0002_seed_periods")]

    operations = [
        migrations.AlterField(
            model_name="legalrule",
            name="key",
            field=models.CharField(
                choices=[
                    ("forms.set", "Bộ mẫu phiếu (2018 hoặc 2025)"),
                    ("forms.basis", "Dòng căn cứ in dưới số mẫu"),
                    ("desk.name", "Tên bộ phận một cửa in trên phiếu"),
                    ("cite.decree", "Nghị định về cơ chế một cửa"),
                    ("cite.supplement", "Căn cứ in trên phiếu yêu cầu bổ sung"),
                    ("cite.extension", "Căn cứ in trên văn bản xin lỗi, gia hạn"),
                    ("cite.stop", "Căn cứ in trên thông báo dừng giải quyết"),
                    ("code.format", "Dạng mã số hồ sơ (2018 hoặc 2025)"),
                    (
                        "code.centralised",
                        "Mã số hồ sơ của thủ tục trên hệ thống tập trung toàn quốc "
                        "(AAXXXX)",
                    ),
                ],
                max_length=32,
                verbose_name="quy định",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
