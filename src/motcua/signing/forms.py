"""Forms of the signing pages. Passwords are never rendered back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.core.dates import in_supported_years, input_formats, years_message
from motcua.core.names import display_name
from motcua.dossiers.models import Dossier, DossierFile

from .models import DutyRota
from .selectors import leaders_of

User = get_user_model()


def _choices(form: forms.Form, name: str) -> forms.ModelChoiceField[Any]:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)


class CertificateUploadForm(forms.Form):
    leader = LeaderChoiceField(label=_("Lãnh đạo"), queryset=User.objects.none())
    p12 = forms.FileField(
        label=_("Tệp chứng thư số (.p12, .pfx)"),
        help_text=_("Tệp PKCS#12 chứa chứng thư và khóa bí mật của lãnh đạo."),
    )
    password = forms.CharField(
        label=_("Mật khẩu của tệp"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "new-password"}
        ),
    )
    ask_password_each_time = forms.BooleanField(
        label=_("Không lưu mật khẩu: lãnh đạo nhập mật khẩu mỗi lần ký"),
        required=False,
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "leader").queryset = leaders_of(agency)

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        if not in_supported_years(day):
            raise forms.ValidationError(years_message(), code="duty.invalid_week")
        return day


class TrustedRootForm(forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=255)
    certificate = forms.FileField(
        label=_("Chứng thư gốc (PEM hoặc DER)"),
        help_text=_("Chứng thư gốc của tổ chức cung cấp dịch vụ chứng thực chữ ký số."),
    )


class DutyForm(forms.Form):
    date = forms.DateField(label=_("Ngày"), input_formats=input_formats("DATE"))
    session = forms.ChoiceField(label=_("Buổi"), choices=DutyRota.Session.choices)
    leader = LeaderChoiceField(label=_("Lãnh đạo trực"), queryset=User.objects.none())
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "leader").queryset = leaders_of(agency)


class ApproveSignForm(forms.Form):
    result_file: forms.ModelChoiceField[DossierFile] = forms.ModelChoiceField(
        label=_("Tệp kết quả cần ký"),
        queryset=DossierFile.objects.none(),
        empty_label=None,
    )
    password = forms.CharField(
        label=_("Mật khẩu chứng thư số"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Ý kiến phê duyệt"), required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(
        self, *args: Any, dossier: Dossier, ask_password: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "result_file").queryset = DossierFile.objects.filter(
            dossier=dossier,
            kind=DossierFile.Kind.RESULT,
            content_type="application/pdf",
        ).order_by("-id")
        if not ask_password:
            del self.fields["password"]
