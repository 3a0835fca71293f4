"""Forms of the feedback box: they read and check what is typed; the rules
(files by content, deadlines, who may act) are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Membership
from motcua.core import clock
from motcua.core.dates import input_formats
from motcua.core.names import display_name

from . import access
from .models import Category
from .services import MAX_FILES, Submission

FILE_ACCEPT = "application/pdf,image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": FILE_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def receiving_agencies() -> QuerySet[Agency]:
    """Active agencies, not merged into another by today."""
    today = clock.today()
    return (
        Agency.objects.filter(is_active=True)
        .filter(Q(merged_on__isnull=True) | Q(merged_on__gt=today))
        .order_by("name")
    )


def clean_phone(value: str) -> str:
    """A Vietnamese phone number as typed (spaces, dots allowed): 10–11 digits
    from 0, or +84 and 9–10 digits."""
    phone = "".join(c for c in (value or "") if c not in " .-()")
    digits = phone.lstrip("+")
    if not phone:
        return ""
    ok = digits.isascii() and digits.isdigit()
    ok = ok and (
        (phone.startswith("0") and 10 <= len(digits) <= 11)
        or (phone.startswith("+84") and 11 <= len(digits) <= 12)
    )
    if not ok:
        raise forms.ValidationError(
            _("Số điện thoại chưa đúng: 10 chữ số từ số 0, ví dụ 0905 123 456.")
        )
    return phone


class FeedbackForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Cơ quan được phản ánh, kiến nghị"),
        queryset=Agency.objects.none(),
        empty_label=_("— Chọn cơ quan —"),
        error_messages={
            "required": _("Chọn cơ quan mà ông/bà phản ánh, kiến nghị."),
            "invalid_choice": _("Cơ quan này không có trong danh sách; chọn lại."),
        },
    )
    category = forms.ChoiceField(
        label=_("Nội dung liên quan đến"),
        choices=[("", _("— Chọn một mục —")), *Category.choices],
        error_messages={"required": _("Chọn nội dung phản ánh liên quan đến.")},
    )
    title = forms.CharField(
        label=_("Tiêu đề"),
        max_length=200,
        help_text=_("Một câu ngắn, ví dụ: Hồ sơ đăng ký khai sinh trễ hẹn."),
        error_messages={"required": _("Nhập tiêu đề.")},
    )
    content = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Nêu sự việc, thời gian, địa điểm và đề nghị của ông/bà."),
        error_messages={
            "required": _("Nhập nội dung phản ánh, kiến nghị."),
            "max_length": _("Nội dung quá dài: tối đa %(limit_value)d ký tự."),
        },
    )
    dossier_code = forms.CharField(
        label=_("Mã hồ sơ liên quan (nếu có)"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    attachments = MultipleFileField(
        label=_("Tệp đính kèm (nếu có)"),
        required=False,
        help_text=_("Tối đa %(n)d tệp PDF, JPEG hoặc PNG (ảnh chụp, giấy tờ).")
        % {"n": MAX_FILES},
    )
    contact_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        help_text=_("Để nhận mã phản ánh và thông báo khi có trả lời."),
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "type": "tel"}
        ),
    )
    contact_email = forms.CharField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    may_contact = forms.BooleanField(
        label=_("Đồng ý để cán bộ liên hệ với tôi khi cần làm rõ nội dung"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = receiving_agencies()

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    content_min = 20

    def clean_content(self) -> str:
        text = self.cleaned_data["content"].replace("\x00", "").strip()
        if len(text) < self.content_min:
            raise forms.ValidationError(
                _("Nội dung quá ngắn: ít nhất %(n)d ký tự.") % {"n": self.content_min}
            )
        return text

    def clean_dossier_code(self) -> str:
        return self.cleaned_data["dossier_code"].strip().upper()

    def clean_contact_name(self) -> str:
        return " ".join(self.cleaned_data["contact_name"].split())

    def clean_contact_phone(self) -> str:
        return clean_phone(self.cleaned_data["contact_phone"])

    def clean_contact_email(self) -> str:
        email = self.cleaned_data["contact_email"].strip()
        if email:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("Địa chỉ thư điện tử chưa đúng, ví dụ ten@example.vn.")
                ) from None
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reach = data.get("contact_phone") or data.get("contact_email")
        typed_wrong = {"contact_phone", "contact_email"} & set(self.errors)
        if data.get("may_contact") and not reach and not typed_wrong:
            self.add_error(
                "contact_phone",
                _("Để cán bộ liên hệ được, nhập số điện thoại hoặc thư điện tử."),
            )
        if len(data.get("attachments") or []) > MAX_FILES:
            self.add_error(
                "attachments", _("Chỉ gửi kèm tối đa %(n)d tệp.") % {"n": MAX_FILES}
            )
        return data

    def submission(self, agency: Agency | None = None) -> Submission:
        d = self.cleaned_data
        return Submission(
            agency=agency or d["agency"],
            category=d["category"],
            title=d["title"],
            content=d["content"],
            dossier_code=d["dossier_code"],
            contact_name=d["contact_name"],
            contact_phone=d["contact_phone"],
            contact_email=d["contact_email"],
            may_contact=d["may_contact"],
            uploads=d["attachments"],
        )


class BoxEntryForm(FeedbackForm):
    """A letter from the suggestion box, typed in at the officer's agency."""

    opened_on = forms.DateField(
        label=_("Ngày mở hòm thư"),
        input_formats=input_formats("DATE"),
        help_text=_(
            "Ngày lấy thư ra khỏi hòm (dd/mm/yyyy); thời hạn trả lời tính từ ngày này."
        ),
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={
            "required": _("Nhập ngày mở hòm thư."),
            "invalid": _("Ngày chưa đúng: dạng dd/mm/yyyy."),
        },
    )
    field_order = ["opened_on", "category", "title", "content"]
    content_min = 1

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["agency"]
        self.fields["content"].help_text = _("Chép nguyên văn nội dung thư góp ý.")
        self.fields["attachments"].help_text = _("Bản chụp thư (PDF, JPEG hoặc PNG).")
        self.fields["may_contact"].label = _("Thư có đề nghị được liên hệ lại")


def handler_choices(agency: Agency) -> QuerySet[Any]:
    """Officers of ``agency`` who may handle an item."""
    ids = Membership.objects.filter(
        agency=agency, is_active=True, role__in=list(access.HANDLERS)
    ).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)


class AssignForm(forms.Form):
    assignee = OfficerChoiceField(
        label=_("Giao cho cán bộ"),
        queryset=get_user_model().objects.none(),
        empty_label=_("— Chọn cán bộ —"),
        error_messages={"required": _("Chọn cán bộ xử lý.")},
    )
    note = forms.CharField(label=_("Ghi chú (nếu có)"), max_length=200, required=False)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = handler_choices(agency)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung trả lời"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Người gửi đọc câu trả lời này bằng mã phản ánh."),
        error_messages={"required": _("Nhập nội dung trả lời.")},
    )


class PublishForm(forms.Form):
    public_question = forms.CharField(
        label=_("Nội dung phản ánh (bản công khai)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Nhập nội dung phản ánh để công khai.")},
    )
    public_answer = forms.CharField(
        label=_("Nội dung trả lời (bản công khai)"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Nhập nội dung trả lời để công khai.")},
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã phản ánh"),
        max_length=32,
        help_text=_("Mã gồm PA- và 8 ký tự, ví dụ PA-7K3M9QXT."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
            }
        ),
        error_messages={"required": _("Nhập mã phản ánh.")},
    )
