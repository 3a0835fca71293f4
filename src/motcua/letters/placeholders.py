"""The placeholders a letter's text may use, and their substitution.

Only what a dossier really holds: the applicant, the child's name when the
birth e-form gave it, the agency, the date, the signing leader. A placeholder
is written ``{name}``; any other brace is refused (Vietnamese message).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLACEHOLDERS: dict[str, str] = {
    "nguoi_nop": "họ tên người nộp hồ sơ",
    "ten_tre": "họ tên của cháu (tờ khai đăng ký khai sinh trực tuyến; "
    "không có thì «cháu»)",
    "co_quan": "tên cơ quan giải quyết",
    "ngay": "ngày trả kết quả (dd/mm/yyyy)",
    "ma_ho_so": "mã hồ sơ",
    "nguoi_ky": "họ tên lãnh đạo đã ký kết quả",
    "chuc_vu": "chức vụ người ký (của mẫu thư)",
}
TOKEN = re.compile(r"\{([^{}]*)\}")


def unknown_placeholders(text: str) -> list[str]:
    """Names written between braces that are not placeholders, and stray braces."""
    bad = [name for name in TOKEN.findall(text or "") if name not in PLACEHOLDERS]
    rest = TOKEN.sub("", text or "")
    if "{" in rest or "}" in rest:
        bad.append("{" if "{" in rest else "}")
    return bad


def validate_placeholders(text: str) -> None:
    bad = unknown_placeholders(text)
    if bad:
        raise ValidationError(
            _(
                "Trường thay thế không hợp lệ: %(bad)s. Chỉ dùng được: %(known)s "
                "(viết trong dấu ngoặc nhọn, ví dụ {nguoi_nop})."
            )
            % {
                "bad": ", ".join(f"«{b}»" for b in bad),
                "known": ", ".join(f"{{{k}}}" for k in PLACEHOLDERS),
            },
            code="letters.unknown_placeholder",
        )


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each known placeholder replaced (validated text only)."""
    return TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), text or "")
