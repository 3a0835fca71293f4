from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .tracking import MAX_CODE_LENGTH, clean_factor


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=200,  # longer input is refused by the form, not the database
        help_text=_("In trên giấy tiếp nhận, ví dụ 000.00.15.H12-250602-0001."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
            }
        ),
    )
    factor = forms.CharField(
        label=_("4 số cuối số định danh cá nhân hoặc số điện thoại"),
        max_length=20,
        help_text=_("Của người nộp hồ sơ, để bảo vệ thông tin hồ sơ."),
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "pattern": "[0-9]{4}",
                "maxlength": "4",
            }
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if len(code) > MAX_CODE_LENGTH:
            raise forms.ValidationError(_("Mã hồ sơ quá dài."))
        return code

    def clean_factor(self) -> str:
        factor = clean_factor(self.cleaned_data["factor"])
        if not factor:
            raise forms.ValidationError(_("Nhập đúng 4 chữ số."))
        return factor


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs=dict(_FILE_ATTRS)))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


_FILE_ATTRS = {"accept": "application/pdf,image/jpeg,image/png"}


class SupplementForm(forms.Form):
    """One file input per missing item the request lists, one for other
    papers, and a note. The files' content and size are checked by
    ``dossiers.files`` when stored."""

    other = MultipleFileField(
        label=_("Giấy tờ khác (nếu có)"),
        required=False,
        help_text=_("Có thể chọn nhiều tệp. Tệp PDF, JPEG hoặc PNG."),
    )
    note = forms.CharField(
        label=_("Ghi chú gửi cơ quan (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, items: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        fields = {
            f"item_{n}": forms.FileField(
                label=item,
                required=False,
                help_text=_("Tệp PDF, JPEG hoặc PNG (ảnh chụp rõ nét)."),
                widget=forms.ClearableFileInput(attrs=dict(_FILE_ATTRS)),
            )
            for n, item in enumerate(items)
        }
        self.fields = {**fields, **self.fields}
        if not items:
            self.fields["other"].label = _("Tệp giấy tờ bổ sung")

    def labelled_uploads(self) -> list[tuple[str, Any]]:
        """``(item, file)`` pairs; ``""`` for the other papers."""
        pairs = [
            (item, self.cleaned_data.get(f"item_{n}"))
            for n, item in enumerate(self.items)
        ]
        pairs += [("", f) for f in self.cleaned_data.get("other") or []]
        return [(item, f) for item, f in pairs if f]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.labelled_uploads():
            raise forms.ValidationError(
                _("Cần chọn ít nhất một tệp giấy tờ để bổ sung.")
            )
        return data


class VerifyForm(forms.Form):
    document = forms.FileField(
        label=_("Tệp PDF cần kiểm tra"),
        help_text=_("Tệp kết quả có chữ ký số, dạng PDF."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
