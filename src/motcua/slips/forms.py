"""The official form sets, as versioned data (ARCHITECTURE principles 4 and 9).

Circular 01/2018/TT-VPCP Art. 9 lists six forms (01–06); Circular 03/2025/TT-VPCP
Annex I has seven (the stop notice is new, so the control sheet and register
move to 06 and 07, and form 04 is renamed). Which set, basis line, desk name and
citations a slip prints is **not** decided here: it is the law in force on the
dossier's own law day (:mod:`motcua.law.selectors`, ADR 0014), gathered by
:func:`slip_law`. A new set = a new entry here plus its templates under
``templates/slips/<set>/`` and a row of the rule ``forms.set`` from its date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from motcua.core.errors import DomainError
from motcua.law.keys import RuleKey
from motcua.law.selectors import Rules, rules_on


@dataclass(frozen=True)
class FormSpec:
    number: str  # "01" … printed as "Mẫu số 01"
    title: str  # the form's title, printed in capitals
    template: str  # Django template name


@dataclass(frozen=True)
class FormSet:
    code: str
    name: str
    forms: dict[str, FormSpec]
    sign_note: str = ""  # under the officer's signature (electronic forms)


RECEIPT, SUPPLEMENT, REFUSAL, APOLOGY = "receipt", "supplement", "refusal", "apology"
STOP, CONTROL, REGISTER = "stop", "control", "register"
# Kinds rendered per dossier (``render_slip``); the register covers a period.
DOSSIER_KINDS = (RECEIPT, SUPPLEMENT, REFUSAL, APOLOGY, STOP, CONTROL)
KIND_NAMES = {
    RECEIPT: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    SUPPLEMENT: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    REFUSAL: "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    APOLOGY: "Phiếu xin lỗi, hẹn lại hoặc đề nghị gia hạn",
    STOP: "Thông báo dừng giải quyết hồ sơ",
    CONTROL: "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    REGISTER: "Sổ theo dõi hồ sơ",
}


def _set(
    code: str, name: str, forms: dict[str, tuple[str, str]], sign_note: str = ""
) -> FormSet:
    return FormSet(
        code,
        name,
        {
            kind: FormSpec(number, title, f"slips/{code}/{kind}.html")
            for kind, (number, title) in forms.items()
        },
        sign_note,
    )


FORM_SETS: dict[str, FormSet] = {
    "2018": _set(
        "2018",
        "Bộ mẫu 2018 (Thông tư 01/2018/TT-VPCP)",
        {
            RECEIPT: ("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
            SUPPLEMENT: ("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
            REFUSAL: ("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
            APOLOGY: ("04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
            CONTROL: ("05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
            REGISTER: ("06", "Sổ theo dõi hồ sơ"),
        },
    ),
    # Titles as listed for Annex I of Circular 03/2025/TT-VPCP (LAW-2025.md §2.2,
    # third-party summary S-TVND): verify against the Annex before production.
    "2025": _set(
        "2025",
        "Bộ mẫu 2025 (Thông tư 03/2025/TT-VPCP)",
        {
            RECEIPT: ("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
            SUPPLEMENT: ("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
            REFUSAL: ("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
            APOLOGY: (
                "04",
                "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
            ),
            STOP: ("05", "Thông báo dừng giải quyết hồ sơ"),
            CONTROL: ("06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
            REGISTER: ("07", "Sổ theo dõi hồ sơ"),
        },
        "(Chữ ký số, nếu là biểu mẫu điện tử)",
    ),
}
FALLBACK_SET = "2018"  # when the rule table has no (or an unknown) form set
GENERIC_DESK = "Bộ phận Một cửa"  # the generic legal term, when no row names it


@dataclass(frozen=True)
class SlipLaw:
    """What the law in force on one day makes a slip print."""

    day: date
    form_set: FormSet
    basis: str  # printed after "Mẫu số NN" ("" prints nothing)
    desk: str  # the one-stop section's name
    decree: str  # the decree on the one-stop mechanism
    cite_supplement: str
    cite_extension: str
    cite_stop: str

    def form(self, kind: str) -> FormSpec:
        """The form for ``kind``, or a ``DomainError`` when the kind does not
        exist or this set has no such form."""
        if kind not in KIND_NAMES:
            raise DomainError(
                "slip.unknown_kind", "Không có loại phiếu này.", status=404
            )
        spec = self.form_set.forms.get(kind)
        if spec is None:
            raise DomainError(
                "slip.not_applicable",
                f"{self.form_set.name} không có mẫu «{KIND_NAMES[kind]}».",
            )
        return spec


def form_set_for(code: str) -> FormSet:
    """A set by its code; an unknown value falls back to the 2018 set."""
    return FORM_SETS.get(code) or FORM_SETS[FALLBACK_SET]


def slip_law_from(rules: Rules) -> SlipLaw:
    return SlipLaw(
        day=rules.day,
        form_set=form_set_for(rules[RuleKey.FORM_SET]),
        basis=rules[RuleKey.FORM_BASIS],
        desk=rules[RuleKey.DESK_NAME] or GENERIC_DESK,
        decree=rules[RuleKey.DECREE],
        cite_supplement=rules[RuleKey.CITE_SUPPLEMENT],
        cite_extension=rules[RuleKey.CITE_EXTENSION],
        cite_stop=rules[RuleKey.CITE_STOP],
    )


def slip_law(day: date) -> SlipLaw:
    """The forms and texts of the law in force on ``day`` (one query)."""
    return slip_law_from(rules_on(day))
