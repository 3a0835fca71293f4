"""The official form sets, as versioned data (ARCHITECTURE principle 4).

Circular 01/2018/TT-VPCP Art. 9 lists six forms (01–06); the 2025 set has seven
(the stop notice is new, so the control sheet and register move to 06 and 07).
Each agency chooses its set (``Agency.form_set``); a new set is a new entry here
plus its templates under ``templates/slips/<set>/`` — no code change elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.core.errors import DomainError


@dataclass(frozen=True)
class FormSpec:
    number: str  # "01" … printed as "Mẫu số 01"
    title: str  # the form's title, printed in capitals
    template: str  # Django template name


@dataclass(frozen=True)
class FormSet:
    code: str
    name: str
    basis: str  # legal basis printed under the form number ("" when not verified)
    desk: str  # the one-stop section's name in this set's wording
    forms: dict[str, FormSpec]


RECEIPT, SUPPLEMENT, REFUSAL, APOLOGY = "receipt", "supplement", "refusal", "apology"
STOP, CONTROL, REGISTER = "stop", "control", "register"
# Kinds rendered per dossier (``render_slip``); the register covers a period.
DOSSIER_KINDS = (RECEIPT, SUPPLEMENT, REFUSAL, APOLOGY, STOP, CONTROL)

_TITLES = {
    RECEIPT: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    SUPPLEMENT: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    REFUSAL: "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    APOLOGY: "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    STOP: "Thông báo dừng giải quyết hồ sơ",
    CONTROL: "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    REGISTER: "Sổ theo dõi hồ sơ",
}


def _set(
    code: str, name: str, basis: str, desk: str, numbers: dict[str, str]
) -> FormSet:
    forms = {
        kind: FormSpec(number, _TITLES[kind], f"slips/{code}/{kind}.html")
        for kind, number in numbers.items()
    }
    return FormSet(code, name, basis, desk, forms)


FORM_SETS: dict[str, FormSet] = {
    "2018": _set(
        "2018",
        "Bộ mẫu 2018",
        "Ban hành kèm theo Thông tư số 01/2018/TT-VPCP",
        "Bộ phận Tiếp nhận và Trả kết quả",
        {
            RECEIPT: "01",
            SUPPLEMENT: "02",
            REFUSAL: "03",
            APOLOGY: "04",
            CONTROL: "05",
            REGISTER: "06",
        },
    ),
    # [verify] the 2025 circular's exact wording and basis line before printing
    # it: DOMAIN.md §4. Until then the basis line stays empty.
    "2025": _set(
        "2025",
        "Bộ mẫu 2025",
        "",
        "Bộ phận Một cửa",  # the name since Decree 107/2021/NĐ-CP
        {
            RECEIPT: "01",
            SUPPLEMENT: "02",
            REFUSAL: "03",
            APOLOGY: "04",
            STOP: "05",
            CONTROL: "06",
            REGISTER: "07",
        },
    ),
}
DEFAULT_SET = "2018"


def form_set_for(code: str) -> FormSet:
    """The agency's set; an unknown value falls back to the 2018 set."""
    return FORM_SETS.get(code) or FORM_SETS[DEFAULT_SET]


def form_for(set_code: str, kind: str) -> tuple[FormSet, FormSpec]:
    """The set and form for ``kind``, or a ``DomainError`` when the kind does not
    exist or the agency's set has no such form."""
    if kind not in DOSSIER_KINDS and kind != REGISTER:
        raise DomainError("slip.unknown_kind", "Không có loại phiếu này.", status=404)
    form_set = form_set_for(set_code)
    spec = form_set.forms.get(kind)
    if spec is None:
        raise DomainError(
            "slip.not_applicable",
            f"{form_set.name} không có mẫu «{_TITLES[kind]}».",
        )
    return form_set, spec
