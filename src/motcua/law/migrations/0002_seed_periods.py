"""The periods of LAW-2025.md (../shared/design/LAW-2025.md) as rows: the 2018
frame until 30/06/2025, Decree 118/2025/NĐ-CP from 01/07/2025, the forms of
Circular 03/2025/TT-VPCP from 15/09/2025. Where the research found no text
([not found]) the previous rule is kept — never a citation of a text no longer
in force — and the row is "chưa đối chiếu" (unverified). docs/law.md lists them."""

from datetime import date

from django.db import migrations

END_2018 = date(2025, 6, 30)  # Decree 61/2018 ceases (S-VNVN, S-VNE, S-HT)
DECREE_118 = date(2025, 7, 1)  # Decree 118/2025 in force (same sources)
END_FORMS_2018 = date(2025, 9, 14)
CIRCULAR_03 = date(2025, 9, 15)  # forms apply "từ ngày 15/9/2025" (S-TVND)
OK, UNVERIFIED = "confirmed", "unverified"
DATES = (
    "Ngày 01/07/2025 (Nghị định 118/2025 có hiệu lực, Nghị định 61/2018 và "
    "107/2021 hết hiệu lực) theo tin tổng hợp (S-VNVN, S-VNE, S-HT); điều khoản "
    "hiệu lực chưa đọc được."
)
FORMS_DATE = (
    "Ngày 15/09/2025: ngày ký Thông tư 03/2025 (đã đối chiếu, S-TT03); ngày áp "
    "dụng biểu mẫu theo tin tổng hợp (S-TVND), điều khoản hiệu lực chưa đọc được."
)

ROWS = [
    # key, from, to, value, source, confidence, note
    (
        "forms.set",
        None,
        END_2018,
        "2018",
        "Thông tư 01/2018/TT-VPCP, Điều 9 (mẫu 01–06)",
        OK,
        "",
    ),
    (
        "forms.set",
        DECREE_118,
        END_FORMS_2018,
        "2018",
        "Thông tư 01/2018/TT-VPCP (giữ đến khi Thông tư 03/2025/TT-VPCP áp dụng)",
        UNVERIFIED,
        "Không tìm thấy văn bản quy định biểu mẫu cho giai đoạn 01/07–14/09/2025 "
        "(LAW-2025.md [not found]): giữ bộ mẫu 2018. " + DATES,
    ),
    (
        "forms.set",
        CIRCULAR_03,
        None,
        "2025",
        "Thông tư 03/2025/TT-VPCP, Phụ lục I (mẫu 01–07)",
        UNVERIFIED,
        "Tên mẫu theo danh mục Phụ lục I do S-TVND liệt kê (tin tổng hợp); Hà Nội "
        "dùng «Mẫu số 01, Thông tư số 03/2025/TT-VPCP» (đã đối chiếu, R/82483). "
        "Nội dung Phụ lục I chưa đọc được. " + FORMS_DATE,
    ),
    (
        "forms.basis",
        None,
        END_FORMS_2018,
        "Ban hành kèm theo Thông tư số 01/2018/TT-VPCP",
        "Thông tư 01/2018/TT-VPCP, Phụ lục",
        UNVERIFIED,
        "Cách ghi dòng căn cứ chưa đối chiếu với Phụ lục của Thông tư 01/2018.",
    ),
    (
        "forms.basis",
        CIRCULAR_03,
        None,
        "Ban hành kèm theo Thông tư số 03/2025/TT-VPCP ngày 15 tháng 9 năm 2025 "
        "của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ",
        "Thông tư 03/2025/TT-VPCP (ngày ký, người ký: S-TT03)",
        UNVERIFIED,
        "Ngày ký và người ký đã đối chiếu (S-TT03); dòng căn cứ in trên mẫu chưa "
        "tìm thấy (LAW-2025.md §2.2 [not found]). " + FORMS_DATE,
    ),
    (
        "desk.name",
        None,
        END_2018,
        "Bộ phận Tiếp nhận và Trả kết quả",
        "Thông tư 01/2018/TT-VPCP, Phụ lục",
        UNVERIFIED,
        "Nghị định 107/2021/NĐ-CP gọi là «Bộ phận Một cửa»; ngày áp dụng tên mới "
        "chưa đối chiếu — quản trị viên có thể tách giai đoạn.",
    ),
    (
        "desk.name",
        DECREE_118,
        None,
        "Trung tâm Phục vụ hành chính công",
        "Nghị định 118/2025/NĐ-CP, khoản 1 Điều 1 (Trung tâm Phục vụ hành chính "
        "công cấp tỉnh, cấp xã)",
        OK,
        "Tên trong khoản 1 Điều 1 đã đối chiếu (S-ND118). Cấp bộ: «Bộ phận Tiếp "
        "nhận và Trả kết quả»; điểm tiếp nhận do UBND cấp xã quyết định (Điều 7, "
        "tin tổng hợp). " + DATES,
    ),
    (
        "cite.decree",
        None,
        END_2018,
        "Nghị định số 61/2018/NĐ-CP (sửa đổi, bổ sung bởi Nghị định số 107/2021/NĐ-CP)",
        "Nghị định 61/2018/NĐ-CP; Nghị định 107/2021/NĐ-CP",
        OK,
        "",
    ),
    (
        "cite.decree",
        DECREE_118,
        None,
        "Nghị định số 118/2025/NĐ-CP",
        "Nghị định 118/2025/NĐ-CP, Điều 1 (S-ND118)",
        OK,
        "Sửa đổi bởi Nghị định 367/2025/NĐ-CP (tin tổng hợp, S-LD3; ngày hiệu lực "
        "chưa tìm thấy). " + DATES,
    ),
    (
        "cite.supplement",
        None,
        END_2018,
        "Điều 19 Nghị định số 61/2018/NĐ-CP",
        "Nghị định 61/2018/NĐ-CP, khoản 4 Điều 19",
        OK,
        "DOMAIN.md §2 [law]: bổ sung trong 03 ngày làm việc, thời hạn tính lại.",
    ),
    (
        "cite.supplement",
        DECREE_118,
        None,
        "",
        "Nghị định 118/2025/NĐ-CP (điều khoản chưa tìm thấy)",
        UNVERIFIED,
        "LAW-2025.md §1.3 [not found]: giữ quy tắc 03 ngày làm việc và tính lại "
        "thời hạn như năm 2018, nhưng không in căn cứ cho đến khi đối chiếu được "
        "điều khoản của Nghị định 118/2025 (không trích Nghị định 61/2018 đã hết "
        "hiệu lực).",
    ),
    (
        "cite.extension",
        None,
        END_2018,
        "Điều 19 Nghị định số 61/2018/NĐ-CP",
        "Nghị định 61/2018/NĐ-CP, điểm c khoản 8 Điều 19",
        UNVERIFIED,
        "Điều khoản theo ghi chú trong mã nguồn (deadlines/engine.py); DOMAIN.md "
        "không đánh dấu [law] cho dòng này.",
    ),
    (
        "cite.extension",
        DECREE_118,
        None,
        "",
        "Nghị định 118/2025/NĐ-CP (điều khoản chưa tìm thấy)",
        UNVERIFIED,
        "LAW-2025.md §1.3 [not found]: giữ quy tắc 2018 (xin lỗi, hẹn lại một "
        "lần, trước hạn ít nhất 01 ngày làm việc) nhưng không in căn cứ.",
    ),
    (
        "cite.stop",
        CIRCULAR_03,
        None,
        "Điều 21 Nghị định số 118/2025/NĐ-CP; Điều 7 Thông tư số 03/2025/TT-VPCP",
        "Thông tư 03/2025/TT-VPCP, Điều 7 (trích nguyên văn, dẫn khoản 1, 2 Điều "
        "21 Nghị định 118/2025) — R/9ce97",
        OK,
        "Dừng giải quyết theo đề nghị của người nộp khi chưa có quyết định hoặc "
        "thông báo kết quả. Bộ mẫu 2018 không có thông báo dừng (không có dòng "
        "trước ngày 15/09/2025). " + FORMS_DATE,
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
    apps.get_model("law", "LegalRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("law", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
