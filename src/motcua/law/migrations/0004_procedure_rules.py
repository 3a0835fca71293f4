"""The procedure rules still written in code, as rows by period (issue 10;
LAW-2025.md §1.3, §2.5 and "What the product must change" 7, 14, 15, 16): the
supplement window and restart, the same-day cut-off, the extension notice and
once-only limit, the stop rule and the evaluation pack. Where LAW-2025.md found
no 2025 text ([not found]) the 2018 value is kept from 01/07/2025 and the row is
"chưa đối chiếu", so behaviour does not change until an administrator corrects
it. docs/law.md lists them; ADR 0016."""

from datetime import date

from django.db import migrations, models

END_2018 = date(2025, 6, 30)  # Decree 61/2018 ceases (S-VNVN, S-VNE, S-HT)
DECREE_118 = date(2025, 7, 1)  # Decree 118/2025 in force (same sources)
OK, UNVERIFIED = "confirmed", "unverified"
ND61 = "Nghị định 61/2018/NĐ-CP"
ND118 = "Nghị định 118/2025/NĐ-CP"
KEPT = (
    "LAW-2025.md §1.3: không tìm thấy điều khoản tương ứng của Nghị định "
    "118/2025 [not found]; giữ giá trị của giai đoạn trước cho đến khi đối chiếu "
    "được văn bản."
)

ROWS = [
    # key, from, to, value, source, confidence, note
    (
        "supplement.window",
        None,
        END_2018,
        "3",
        f"{ND61}, khoản 4 Điều 19",
        OK,
        "Trả hồ sơ để bổ sung trong 03 ngày làm việc kể từ ngày tiếp nhận "
        "(DOMAIN.md §2 [law]).",
    ),
    (
        "supplement.window",
        DECREE_118,
        None,
        "3",
        f"{ND118} (điều khoản chưa tìm thấy)",
        UNVERIFIED,
        KEPT,
    ),
    (
        "supplement.restart",
        None,
        END_2018,
        "restart",
        f"{ND61}, khoản 4 Điều 19",
        OK,
        "Thời hạn giải quyết được tính lại từ đầu khi nhận đủ hồ sơ (DOMAIN.md §2 "
        "[law]). Cơ quan đặt «Lùi hạn theo thời gian chờ bổ sung» giữ cách tính "
        "đó.",
    ),
    (
        "supplement.restart",
        DECREE_118,
        None,
        "restart",
        f"{ND118} (điều khoản chưa tìm thấy)",
        UNVERIFIED,
        KEPT,
    ),
    (
        "sameday.cutoff",
        None,
        END_2018,
        "15:00",
        f"{ND61}, Điều 18",
        OK,
        "Thủ tục trả trong ngày: nhận sau 15 giờ thì chuyển, giải quyết trong ngày "
        "làm việc tiếp theo.",
    ),
    (
        "sameday.cutoff",
        DECREE_118,
        None,
        "15:00",
        f"{ND118}, Điều 18 (chuyển hồ sơ; giờ chốt chưa tìm thấy)",
        UNVERIFIED,
        KEPT + " Các văn bản thủ tục sau 2025 vẫn dùng «nhận sau 15 giờ → ngày làm "
        "việc tiếp theo» (LAW-2025.md §1.3).",
    ),
    (
        "extension.notice",
        None,
        END_2018,
        "1",
        f"{ND61}, Điều 19 (điểm c khoản 8 theo ghi chú của dự án)",
        UNVERIFIED,
        "Xin lỗi và hẹn lại chậm nhất 01 ngày làm việc trước hạn; điều khoản chưa "
        "được đánh dấu [law] trong DOMAIN.md.",
    ),
    (
        "extension.notice",
        DECREE_118,
        None,
        "1",
        f"{ND118} (điều khoản chưa tìm thấy); Mẫu 04 Thông tư 03/2025/TT-VPCP",
        UNVERIFIED,
        KEPT,
    ),
    (
        "extension.limit",
        None,
        END_2018,
        "1",
        f"{ND61}, Điều 19 (điểm c khoản 8 theo ghi chú của dự án)",
        UNVERIFIED,
        "Chỉ hẹn lại một lần; điều khoản chưa được đánh dấu [law] trong DOMAIN.md.",
    ),
    (
        "extension.limit",
        DECREE_118,
        None,
        "1",
        f"{ND118} (điều khoản chưa tìm thấy)",
        UNVERIFIED,
        KEPT,
    ),
    (
        "stop.rule",
        None,
        END_2018,
        "agency",
        f"{ND61} (cách làm của MotCua trước 2025; điều khoản chưa đối chiếu)",
        UNVERIFIED,
        "Cơ quan dừng giải quyết hồ sơ, ghi lý do.",
    ),
    (
        "stop.rule",
        DECREE_118,
        None,
        "applicant",
        f"{ND118}, Điều 21; Điều 7 Thông tư 03/2025/TT-VPCP",
        OK,
        "Dừng giải quyết theo đề nghị của người nộp hồ sơ, chỉ khi chưa có quyết "
        "định hoặc thông báo kết quả giải quyết (Điều 7 Thông tư 03/2025 trích "
        "nguyên văn, R/9ce97). Ngày bắt đầu 01/07/2025 theo tin tổng hợp.",
    ),
    (
        "evaluation.pack",
        None,
        END_2018,
        "2018",
        "Thông tư 01/2018/TT-VPCP, Điều 12–15 (09 chỉ số)",
        OK,
        "Bộ chỉ số 2018 (DOMAIN.md [law]).",
    ),
    (
        "evaluation.pack",
        DECREE_118,
        None,
        "766",
        "Quyết định 766/QĐ-TTg (Bộ chỉ số 766)",
        UNVERIFIED,
        "Bộ chỉ số 766 đang được áp dụng sau 07/2025 (đã đối chiếu: Chỉ thị "
        "012/CT-UBND Đắk Lắk, R/541cd); văn bản thay thế Điều 12–15 Thông tư "
        "01/2018 chưa tìm thấy (LAW-2025.md §2.5 [not found]). Bảng 09 chỉ số "
        "2018 vẫn xem được, ghi rõ là bộ chỉ số 2018.",
    ),
]

KEYS = sorted({row[0] for row in ROWS})


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
    apps.get_model("law", "LegalRule").objects.filter(key__in=KEYS).delete()


class Migration(migrations.Migration):
    dependencies = [("law", "0003_code_format_rules")]

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
                        "Mã số hồ sơ của thủ tục trên hệ thống tập trung toàn quốc (AAXXXX)",
                    ),
                    (
                        "supplement.window",
                        "Thời hạn yêu cầu bổ sung sau khi tiếp nhận (số ngày làm việc)",
                    ),
                    (
                        "supplement.restart",
                        "Thời hạn giải quyết sau khi bổ sung (restart: tính lại từ đầu)",
                    ),
                    (
                        "sameday.cutoff",
                        "Giờ chốt của thủ tục trả trong ngày (GG:PP; để trống: không chốt)",
                    ),
                    (
                        "extension.notice",
                        "Xin lỗi, gia hạn chậm nhất trước hạn (số ngày làm việc)",
                    ),
                    (
                        "extension.limit",
                        "Số lần được gia hạn (1: một lần; để trống: không giới hạn)",
                    ),
                    (
                        "stop.rule",
                        "Dừng giải quyết (agency: cơ quan dừng; applicant: theo đề nghị)",
                    ),
                    (
                        "evaluation.pack",
                        "Bộ chỉ số đánh giá (2018: Thông tư 01/2018; 766: Quyết định 766)",
                    ),
                ],
                max_length=32,
                verbose_name="quy định",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
