"""Applicant rows per dossier (1/3): the new columns, still optional.

The applicant gets the agency of its dossier, the type of its ID document, the
recorded reason when there is no way to identify or reach the applicant, and
the salt of the fingerprint the history keeps. 0005 fills them and splits the
shared rows; 0006 makes them required and the link one-to-one.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0004_backfill_paths"),
        ("dossiers", "0003_search_trigram"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicant",
            name="agency",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.agency",
                verbose_name="cơ quan",
            ),
        ),
        migrations.AddField(
            model_name="applicant",
            name="fingerprint_salt",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name="applicant",
            name="id_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Không có"),
                    ("cccd", "Căn cước / căn cước công dân"),
                    ("cmnd", "Chứng minh nhân dân (9 số)"),
                    ("passport", "Hộ chiếu"),
                    ("tax_code", "Mã số thuế"),
                    ("other", "Giấy tờ khác"),
                ],
                default="",
                max_length=16,
                verbose_name="loại giấy tờ",
            ),
        ),
        migrations.AddField(
            model_name="applicant",
            name="no_contact_reason",
            field=models.CharField(
                blank=True,
                max_length=500,
                verbose_name="lý do không có thông tin định danh, liên hệ",
            ),
        ),
        migrations.AlterField(
            model_name="applicant",
            name="id_number",
            field=models.CharField(
                blank=True, max_length=32, verbose_name="số định danh / mã số thuế"
            ),
        ),
        migrations.AddIndex(
            model_name="applicant",
            index=models.Index(
                fields=["agency", "id_number"], name="applicant_agency_id"
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="action",
            field=models.CharField(
                choices=[
                    ("submit_online", "Nộp hồ sơ trực tuyến"),
                    ("receive", "Tiếp nhận"),
                    ("request_supplement", "Yêu cầu bổ sung"),
                    ("resubmit", "Bổ sung hồ sơ"),
                    ("refuse", "Từ chối"),
                    ("assign", "Phân công"),
                    ("forward", "Chuyển bước tiếp theo"),
                    ("consult", "Lấy ý kiến cơ quan khác"),
                    ("answer_consult", "Trả lời ý kiến"),
                    ("submit", "Trình lãnh đạo"),
                    ("approve", "Phê duyệt"),
                    ("send_back", "Trả lại để xử lý lại"),
                    ("request_payment", "Yêu cầu nộp phí, lệ phí"),
                    ("record_payment", "Ghi nhận đã nộp phí"),
                    ("finish", "Có kết quả"),
                    ("return_result", "Trả kết quả"),
                    ("withdraw", "Rút hồ sơ"),
                    ("stop", "Dừng xử lý"),
                    ("extend", "Gia hạn (xin lỗi, hẹn lại)"),
                    ("attach_file", "Đính kèm tệp"),
                    ("anonymise", "Ẩn danh thông tin người nộp"),
                    ("seal", "Niêm phong thông tin người nộp"),
                ],
                max_length=24,
            ),
        ),
    ]
