from __future__ import annotations

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
