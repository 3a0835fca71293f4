"""The rules that come from a legal text and are kept as data by period
(ARCHITECTURE principle 9). Each key is one thing a slip or page prints; its
rows in :class:`motcua.law.models.LegalRule` say which value applies when."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKey(models.TextChoices):
    FORM_SET = "forms.set", _("Bộ mẫu phiếu (2018 hoặc 2025)")
    FORM_BASIS = "forms.basis", _("Dòng căn cứ in dưới số mẫu")
    DESK_NAME = "desk.name", _("Tên bộ phận một cửa in trên phiếu")
    DECREE = "cite.decree", _("Nghị định về cơ chế một cửa")
    CITE_SUPPLEMENT = "cite.supplement", _("Căn cứ in trên phiếu yêu cầu bổ sung")
    CITE_EXTENSION = "cite.extension", _("Căn cứ in trên văn bản xin lỗi, gia hạn")
    CITE_STOP = "cite.stop", _("Căn cứ in trên thông báo dừng giải quyết")
    # Values: "2018" = <QCVN 102 agency code>-YYMMDD-NNNN; "2025" = the agency's
    # electronic identifier (QĐ 20/2020) when it has one (dossiers/codes.py).
    CODE_FORMAT = "code.format", _("Dạng mã số hồ sơ (2018 hoặc 2025)")
    # Non-empty: procedures set up as run on a nationwide centralised system get
    # <e-id>-YYMMDD-, then AA and the daily sequence of at least 4 digits
    # (Circular 03/2025 Art. 13(3), from Circular 04/2025).
    CODE_CENTRALISED = (
        "code.centralised",
        _("Mã số hồ sơ của thủ tục trên hệ thống tập trung toàn quốc (AA + số thứ tự)"),
    )
    # Procedure rules (docs/law.md "Procedure rules"; law/procedure.py reads
    # and checks their values). Working days are whole numbers.
    SUPPLEMENT_WINDOW = (
        "supplement.window",
        _("Thời hạn yêu cầu bổ sung sau khi tiếp nhận (số ngày làm việc)"),
    )
    SUPPLEMENT_RESTART = (
        "supplement.restart",
        _("Thời hạn giải quyết sau khi bổ sung (restart: tính lại từ đầu)"),
    )
    SAME_DAY_CUTOFF = (
        "sameday.cutoff",
        _("Giờ chốt của thủ tục trả trong ngày (GG:PP; để trống: không chốt)"),
    )
    EXTENSION_NOTICE = (
        "extension.notice",
        _("Xin lỗi, gia hạn chậm nhất trước hạn (số ngày làm việc)"),
    )
    EXTENSION_LIMIT = (
        "extension.limit",
        _("Số lần được gia hạn (1: một lần; để trống: không giới hạn)"),
    )
    STOP_RULE = (
        "stop.rule",
        _("Dừng giải quyết (agency: cơ quan dừng; applicant: theo đề nghị)"),
    )
    EVALUATION_PACK = (
        "evaluation.pack",
        _("Bộ chỉ số đánh giá (2018: Thông tư 01/2018; 766: Quyết định 766)"),
    )


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", _("Đã đối chiếu văn bản")
    UNVERIFIED = "unverified", _("Chưa đối chiếu")
