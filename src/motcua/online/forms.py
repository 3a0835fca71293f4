"""The submission form: the agency, the applicant, the e-form generated from
its schema, how to receive the result and be told. Fields only read input: a
draft keeps what was typed; ``services.problems`` checks it all on review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.core.dates import parse_date, vn_date
from motcua.dossiers.applicants import NOTIFY_LABELS

from . import eform
from .models import Draft

APPLICANT_LABELS = {
    "name": _("Họ, chữ đệm, tên"),
    "id_number": _("Số định danh cá nhân"),
    "birth_date": _("Ngày sinh"),
    "phone": _("Điện thoại"),
    "email": _("Thư điện tử"),
    "address": _("Nơi cư trú (địa chỉ)"),
}
APPLICANT_WIDGETS = {
    "name": {"autocomplete": "name"},
    "id_number": {"inputmode": "numeric", "autocomplete": "off"},
    "birth_date": {"type": "date"},
    "phone": {"type": "tel", "inputmode": "tel", "autocomplete": "tel"},
    "email": {"type": "email", "autocomplete": "email"},
    "address": {"autocomplete": "street-address"},
}
WIDGET_ATTRS = {
    "date": {"type": "date"},
    "id_number": {"inputmode": "numeric", "autocomplete": "off"},
    "phone": {"type": "tel", "inputmode": "tel"},
    "email": {"type": "email"},
}


def eform_name(section: str, field: str) -> str:
    return f"ef__{section}__{field}"


def error_target(key: str) -> str:
    """The form field an error of ``services.problems`` belongs to."""
    if key.startswith("applicant."):
        return "a_" + key.split(".", 1)[1]
    if key.startswith("answers."):
        section, field = key.split(".", 1)[1].split(".", 1)
        return eform_name(section, field)
    return key.replace(".", "_")


def _eform_field(spec: Mapping[str, Any], required: bool) -> forms.Field:
    label: Any = str(spec["label"])
    if required:
        label = format_lazy("{} ({})", label, _("bắt buộc"))
    kind = spec.get("type")
    common: dict[str, Any] = {
        "label": label,
        "required": False,
        "help_text": str(spec.get("help") or ""),
    }
    if kind in ("choice", "yes_no"):
        choices = eform.YES_NO if kind == "yes_no" else spec["choices"]
        return forms.ChoiceField(
            choices=[(str(v), str(t)) for v, t in choices],
            widget=forms.RadioSelect(attrs={"aria-required": _req(required)}),
            **common,
        )
    attrs = {**WIDGET_ATTRS.get(str(kind), {}), "aria-required": _req(required)}
    return forms.CharField(
        max_length=eform.MAX_TEXT, widget=forms.TextInput(attrs=attrs), **common
    )


def _req(required: bool) -> str:
    return "true" if required else "false"


class SubmissionForm(forms.Form):
    """Built for one version: ``schema`` (or None), the ``agencies`` to choose
    from; ``locked`` applicant fields come from a verified identity."""

    return_method = forms.ChoiceField(
        label=_("Cách nhận kết quả"),
        choices=Draft.ReturnMethod.choices,
        widget=forms.RadioSelect,
        initial=Draft.ReturnMethod.ONLINE,
    )
    notify_channels = forms.MultipleChoiceField(
        label=_("Nhận thông báo về hồ sơ qua"),
        choices=[(k, _(v)) for k, v in NOTIFY_LABELS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Không chọn: mọi kênh cơ quan dùng mà bạn có thông tin liên hệ "
            "(điện thoại, thư điện tử)."
        ),
    )

    def __init__(
        self,
        *args: Any,
        schema: Mapping[str, Any] | None,
        agencies: Sequence[Agency],
        locked: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.schema = schema
        self.agencies = list(agencies)
        self._add_agency()
        self._add_applicant(locked)
        if "birth_date" in locked:
            day = parse_date(str(self.initial.get("a_birth_date") or ""))
            self.initial["a_birth_date"] = vn_date(day) if day else ""
        self.sections = self._add_eform()

    def _add_agency(self) -> None:
        self.fields["agency"] = forms.ChoiceField(
            label=_("Cơ quan giải quyết"),
            choices=[("", _("— Chọn cơ quan —"))]
            + [(str(a.pk), a.name) for a in self.agencies],
            required=False,
        )

    def _add_applicant(self, locked: Sequence[str]) -> None:
        for name, label in APPLICANT_LABELS.items():
            attrs = dict(APPLICANT_WIDGETS[name])
            help_text: Any = ""
            if name in locked:
                attrs["readonly"] = "readonly"
                attrs["type"] = "text"  # shown dd/mm/yyyy, as on the papers
                help_text = _("Theo tài khoản định danh điện tử (VNeID).")
            self.fields[f"a_{name}"] = forms.CharField(
                label=format_lazy("{} ({})", label, _("bắt buộc"))
                if name == "name"
                else label,
                required=False,
                max_length=500,
                disabled=name in locked,
                help_text=help_text,
                widget=forms.TextInput(attrs=attrs),
            )

    def _add_eform(self) -> list[dict[str, Any]]:
        sections: list[dict[str, Any]] = []
        if not self.schema:
            return sections
        for section in self.schema.get("sections", ()):
            names = []
            for spec in section.get("fields", ()):
                name = eform_name(section["key"], spec["key"])
                self.fields[name] = _eform_field(spec, bool(spec.get("required")))
                names.append(name)
            sections.append(
                {
                    "key": section["key"],
                    "title": section["title"],
                    "help": section.get("help", ""),
                    "fields": [self[n] for n in names],
                }
            )
        return sections

    # ------------------------------------------------------------ reading
    def answers(self) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for ref in eform.fields_of(self.schema or {}):
            name = eform_name(ref.section["key"], ref.field["key"])
            value = str(self.cleaned_data.get(name) or "")
            found.setdefault(ref.section["key"], {})[ref.field["key"]] = value
        return found

    def applicant(self) -> dict[str, str]:
        return {
            name: str(self.cleaned_data.get(f"a_{name}") or "")
            for name in APPLICANT_LABELS
        }

    def agency(self) -> Agency | None:
        chosen = self.cleaned_data.get("agency") or ""
        return next((a for a in self.agencies if str(a.pk) == chosen), None)


def initial_for(draft: Draft) -> dict[str, Any]:
    """The form's values from a draft."""
    initial: dict[str, Any] = {
        "agency": str(draft.agency_id or ""),
        "return_method": draft.return_method,
        "notify_channels": list(draft.notify_channels or ()),
    }
    for name, value in (draft.applicant or {}).items():
        initial[f"a_{name}"] = value
    for section, values in (draft.answers or {}).items():
        for field, value in (values or {}).items():
            initial[eform_name(section, field)] = value
    return initial


def show_errors(form: SubmissionForm, errors: Mapping[str, str]) -> dict[str, str]:
    """Put ``services.problems`` on the form's fields; the rest (components,
    the applicant as a whole) is returned for the page to show."""
    others = {}
    for key, message in errors.items():
        target = error_target(key)
        if target in form.fields:
            form.add_error(target, message)
        else:
            others[target] = message
    return others
