"""Forms of the back office: they read and check input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Counter
from motcua.core.dates import input_formats
from motcua.core.names import display_name
from motcua.dossiers.applicants import NOTIFY_LABELS
from motcua.dossiers.models import Applicant, Dossier

OUTCOMES = (
    ("receive", _("Tiếp nhận")),
    ("supplement", _("Yêu cầu bổ sung")),
    ("refuse", _("Từ chối tiếp nhận")),
)


class ApplicantForm(forms.Form):
    id_kind = forms.ChoiceField(
        label=_("Loại giấy tờ"),
        choices=[
            ("", _("Theo loại người nộp (CCCD / mã số thuế)")),
            *[c for c in Applicant.IdKind.choices if c[0]],
        ],
        required=False,
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân / mã số thuế"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    name = forms.CharField(label=_("Họ tên / tên tổ chức"), max_length=255)
    kind = forms.ChoiceField(
        label=_("Loại người nộp"),
        choices=Applicant.Kind.choices,
        initial=Applicant.Kind.PERSON,
    )
    birth_date = forms.DateField(
        label=_("Ngày sinh"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    no_contact_reason = forms.CharField(
        label=_("Lý do không có giấy tờ, điện thoại, thư điện tử, địa chỉ"),
        max_length=500,
        required=False,
        help_text=_("Chỉ ghi khi người nộp không có thông tin nào để liên hệ."),
    )
    notify_channels = forms.MultipleChoiceField(
        label=_("Nhận thông báo qua"),
        choices=[(k, _(v)) for k, v in NOTIFY_LABELS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Người nộp chọn; không chọn: mọi kênh cơ quan dùng mà người nộp có "
            "thông tin liên hệ."
        ),
    )
    # The authorised person who hands the dossier in for the applicant (if any).
    representative_name = forms.CharField(
        label=_("Họ tên người được ủy quyền"), max_length=255, required=False
    )
    representative_id_number = forms.CharField(
        label=_("Số định danh cá nhân / hộ chiếu của người được ủy quyền"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    representative_phone = forms.CharField(
        label=_("Điện thoại người được ủy quyền"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    representative_email = forms.EmailField(
        label=_("Thư điện tử người được ủy quyền"), required=False
    )
    representative_address = forms.CharField(
        label=_("Địa chỉ người được ủy quyền"), max_length=500, required=False
    )
    representative_document = forms.CharField(
        label=_("Giấy tờ ủy quyền"),
        max_length=255,
        required=False,
        help_text=_("Loại, số, ngày của văn bản ủy quyền (nếu có)."),
    )


class DeskForm(ApplicantForm):
    """The reception of one dossier at the desk (components are read apart)."""

    procedure = forms.CharField(widget=forms.HiddenInput)
    counter: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Quầy"),
        queryset=Counter.objects.none(),
        required=False,
        empty_label=_("(không chọn)"),
    )
    reason = forms.CharField(
        label=_("Lý do / nội dung cần bổ sung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi yêu cầu bổ sung hoặc từ chối tiếp nhận."),
    )
    outcome = forms.ChoiceField(choices=OUTCOMES, widget=forms.HiddenInput)
    competent = forms.TypedChoiceField(
        label=_("Cơ quan giải quyết"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_(
            "Thủ tục tiếp nhận không phụ thuộc địa giới hành chính: trung tâm tiếp "
            "nhận thay cho cơ quan có thẩm quyền trong tỉnh, thành phố."
        ),
    )

    def __init__(
        self,
        *args: Any,
        agency: Agency,
        competent: list[Agency] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["counter"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agency.counters.filter(is_active=True)
        self.competent_agencies = competent or [agency]
        choice = self.fields["competent"]
        assert isinstance(choice, forms.TypedChoiceField)
        choice.choices = [(a.pk, a.name) for a in self.competent_agencies]
        if len(self.competent_agencies) == 1:  # its own agency, or only one
            choice.widget = forms.HiddenInput()
            self.initial.setdefault("competent", self.competent_agencies[0].pk)

    def clean_competent(self) -> Agency:
        chosen = self.cleaned_data.get("competent")
        if chosen in (None, "") and len(self.competent_agencies) == 1:
            return self.competent_agencies[0]
        for agency in self.competent_agencies:
            if agency.pk == chosen:
                return agency
        raise forms.ValidationError(_("Chọn cơ quan giải quyết hồ sơ."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("outcome") in ("supplement", "refuse")
            and not (data.get("reason") or "").strip()
        ):
            self.add_error(
                "reason",
                _("Cần nhập lý do hoặc nội dung cần bổ sung cho kết quả này."),
            )
        return data


# ---------------------------------------------------------------- actions
class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SupplementForm(ReasonForm):
    items = forms.CharField(
        label=_("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)  # family name first, as officers say it


class AssignForm(forms.Form):
    step_id = forms.IntegerField(widget=forms.HiddenInput)
    assignee = StaffChoiceField(
        label=_("Cán bộ được phân công"), queryset=get_user_model().objects.none()
    )


class ForwardForm(NoteForm):
    step_id = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ConsultForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Cơ quan được hỏi ý kiến"), queryset=Agency.objects.none()
    )
    question = forms.CharField(
        label=_("Nội dung xin ý kiến"), widget=forms.Textarea(attrs={"rows": 3})
    )
    working_days = forms.IntegerField(
        label=_("Thời hạn trả lời (ngày làm việc)"),
        min_value=1,
        max_value=60,
        initial=5,
    )


class AnswerForm(forms.Form):
    consultation_id = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PaymentForm(forms.Form):
    amount = forms.IntegerField(label=_("Số tiền (đồng)"), min_value=1)


class FinishForm(forms.Form):
    result_summary = forms.CharField(
        label=_("Kết quả giải quyết"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApproveForm(NoteForm):
    result_file = forms.FileField(
        label=_("Tệp kết quả (PDF) để ký số"),
        required=False,
        help_text=_("Để trống nếu chỉ phê duyệt, không ký số."),
    )
    password = forms.CharField(
        label=_("Mật khẩu chứng thư số"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class ReturnForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Hình thức trả"),
        choices=Dossier.RETURN_WITHOUT_VISIT,
        initial=Dossier.ReturnMethod.DESK,
    )
    is_applicant = forms.TypedChoiceField(
        label=_("Người nhận"),
        choices=(("1", _("Chính người nộp hồ sơ")), ("0", _("Người được ủy quyền"))),
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    to_name = forms.CharField(
        label=_("Họ tên người nhận thay"), max_length=255, required=False
    )
    to_id_number = forms.CharField(
        label=_("Số giấy tờ tùy thân đã kiểm tra"), max_length=32, required=False
    )
    id_checked = forms.BooleanField(
        label=_("Đã kiểm tra giấy tờ tùy thân của người nhận"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == Dossier.ReturnMethod.DESK and not data.get(
            "id_checked"
        ):
            self.add_error(
                "id_checked",
                _("Khi trả tại bộ phận một cửa phải kiểm tra giấy tờ tùy thân."),
            )
        return data


class ExtendForm(forms.Form):
    new_due_at = forms.DateTimeField(
        label=_("Ngày giờ hẹn trả mới"),
        input_formats=input_formats("DATETIME"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = forms.CharField(
        label=_("Lý do chậm trễ"), widget=forms.Textarea(attrs={"rows": 3})
    )
    override = forms.BooleanField(
        label=_("Quản trị cơ quan: cho phép hẹn lại dù còn dưới 1 ngày làm việc"),
        required=False,
    )


class CallForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú cuộc gọi"), max_length=255, required=False)


class RemindForm(forms.Form):
    note = forms.CharField(
        label=_("Nội dung nhắc nhở"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Gửi người đang giữ bước xử lý chậm nhất (hoặc đơn vị, khi chưa phân "
            "công); ghi vào lịch sử hồ sơ."
        ),
    )


class InternalNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Ghi chú nội bộ"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
