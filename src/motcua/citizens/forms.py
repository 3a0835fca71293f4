"""Forms of the citizen sign-in pages (Vietnamese labels and errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError

from . import codes


class AddressForm(forms.Form):
    address = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử"),
        max_length=254,
        help_text=_("Chúng tôi gửi một mã gồm 6 chữ số đến địa chỉ này."),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "inputmode": "email"}
        ),
    )
    full_name = forms.CharField(
        label=_("Họ và tên (khi đăng ký lần đầu)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_address(self) -> codes.Address:
        try:
            return codes.parse_address(self.cleaned_data["address"])
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
            }
        ),
    )

    def clean_code(self) -> Any:
        return self.cleaned_data["code"].strip()
