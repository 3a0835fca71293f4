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


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", _("Đã đối chiếu văn bản")
    UNVERIFIED = "unverified", _("Chưa đối chiếu")
