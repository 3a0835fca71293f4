"""Shapes of the dossier API: what comes in (checked types, resolved codes) and
what goes out. No business rule here: services decide, serializers translate."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.agencies.models import Agency
from motcua.catalog.models import Component, Procedure
from motcua.core import clock, configstamp

from . import output_plans, timing
from .applicants import NOTIFY_CHANNELS, REPRESENTATIVE_FIELDS
from .models import (
    Applicant,
    Channel,
    Consultation,
    Dossier,
    DossierComponent,
    DossierFile,
    Event,
    Step,
)
from .selectors import actions_for
from .workflow import DVCQG_STATUS, Action, Status

MAX_ID = 2**63 - 1
MAX_TEXT = 5000
OUTCOMES = [
    Action.RECEIVE.value,
    Action.REQUEST_SUPPLEMENT.value,
    Action.REFUSE.value,
    Action.SUBMIT_ONLINE.value,
]


# ------------------------------------------------------------------ input
class AwareDateTimeField(serializers.DateTimeField):
    """A date and time with its zone: a naive one is ambiguous, so refused."""

    default_error_messages = {
        "naive": "Ngày giờ phải kèm múi giờ, ví dụ 2025-06-10T17:00:00+07:00.",
    }

    def to_internal_value(self, value: Any) -> datetime:
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        return super().to_internal_value(value)


class LookupField(serializers.SlugRelatedField):
    """A row named by a short text (code, username). Anything but a short text
    without NUL is refused before the database sees it (PostgreSQL rejects NUL
    characters in text: that would be a 500)."""

    def to_internal_value(self, data: Any) -> Any:
        return super().to_internal_value(self.short_text(data))

    def short_text(self, data: Any) -> str:
        if not isinstance(data, str) or "\x00" in data or len(data) > 150:
            self.fail("invalid")
        return data.strip()


# an active agency or procedure by its code: configuration, kept (ADR 0032)
_BY_CODE = configstamp.reader(
    "dossiers.active_by_code", "agencies.Agency", "catalog.Procedure"
)


class ActiveByCodeField(LookupField):
    """An active agency or procedure named by its code, read once per change of
    the configuration within requests (ADR 0032): a copy of the row each time."""

    def to_internal_value(self, data: Any) -> Any:
        code = self.short_text(data)
        rows = self.get_queryset()
        assert rows is not None  # always given (``_by_code``)
        found = configstamp.kept(
            _BY_CODE,
            (rows.model._meta.label, code),
            lambda: rows.filter(code=code).first(),
        )
        if found is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=code)
        return copy.copy(found)


def _by_code(model: Any, what: str, **kwargs: Any) -> serializers.SlugRelatedField:
    return ActiveByCodeField(
        slug_field="code",
        queryset=model.objects.filter(is_active=True),
        **kwargs,
        error_messages={
            "does_not_exist": f"Không tìm thấy {what} có mã «{{value}}».",
            "invalid": f"Mã {what} không hợp lệ.",
        },
    )


def _username(**kwargs: Any) -> serializers.SlugRelatedField:
    return LookupField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        error_messages={
            "does_not_exist": "Không tìm thấy cán bộ có tên đăng nhập «{value}».",
            "invalid": "Tên đăng nhập không hợp lệ.",
        },
        **kwargs,
    )


def _text(**kwargs: Any) -> serializers.CharField:
    kwargs.setdefault("max_length", MAX_TEXT)
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


def _id(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class DossierApplicantInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(
        choices=Applicant.Kind.choices, default=Applicant.Kind.PERSON
    )
    id_kind = serializers.ChoiceField(
        choices=Applicant.IdKind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="cccd (12 số), cmnd (9 số), passport, tax_code, other; bỏ trống: "
        "cccd cho cá nhân, tax_code cho tổ chức.",
    )
    id_number = _text(max_length=32)
    birth_date = serializers.DateField(required=False, allow_null=True)
    phone = _text(max_length=32)
    email = _text(max_length=254)
    address = _text(max_length=500)
    no_contact_reason = _text(
        max_length=500,
        help_text="Bắt buộc khi không có số giấy tờ, điện thoại, thư điện tử và "
        "địa chỉ.",
    )
    representative_name = _text(
        max_length=255,
        help_text="Người được ủy quyền nộp hồ sơ (nếu có): họ tên; khi có thì "
        "bắt buộc cả số định danh cá nhân.",
    )
    representative_id_number = _text(
        max_length=32, help_text="Số định danh cá nhân (12 số) hoặc số hộ chiếu."
    )
    representative_phone = _text(max_length=32)
    representative_email = _text(max_length=254)
    representative_address = _text(max_length=500)
    representative_document = _text(
        max_length=255, help_text="Giấy tờ ủy quyền: loại, số, ngày."
    )
    notify_channels = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(NOTIFY_CHANNELS)),
        required=False,
        max_length=3,
        help_text="Kênh người nộp chọn để nhận thông báo: sms, zalo, email; bỏ "
        "trống: mọi kênh cơ quan dùng mà người nộp có thông tin liên hệ.",
    )


class DossierComponentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    kind = serializers.CharField(
        max_length=16,
        default=Component.Kind.ORIGINAL,
        help_text="original, copy, certified_copy hoặc shown.",
    )
    count = serializers.IntegerField(min_value=0, max_value=999, default=1)
    received = serializers.BooleanField(default=True)

    def validate_kind(self, value: str) -> str:
        if value not in Component.Kind.values:
            raise serializers.ValidationError(
                "Loại giấy tờ phải là: " + ", ".join(Component.Kind.values) + "."
            )
        return value


class DossierCreateSerializer(serializers.Serializer):
    """Receive (or register) a dossier at the desk: ``outcome`` says what the
    desk decided — receive, ask for a supplement (slip 02), refuse (slip 03) —
    or ``submit_online`` for a submission waiting for the desk."""

    agency = _by_code(Agency, "cơ quan")
    procedure = _by_code(Procedure, "thủ tục")
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_by_agency = _by_code(
        Agency,
        "nơi tiếp nhận",
        required=False,
        allow_null=True,
        help_text="Trung tâm tiếp nhận thay cho cơ quan giải quyết «agency» (cùng "
        "tỉnh, thành phố; Nghị định 118/2025): bỏ trống khi chính «agency» tiếp "
        "nhận. Quầy «counter» là quầy của nơi tiếp nhận.",
    )
    applicant = DossierApplicantInputSerializer()
    components = DossierComponentInputSerializer(  # type: ignore[call-arg]
        many=True, required=False, max_length=200
    )
    counter = serializers.IntegerField(
        min_value=1, max_value=32767, required=False, allow_null=True
    )
    outcome = serializers.ChoiceField(choices=OUTCOMES, default=Action.RECEIVE.value)
    reason = _text()
    items = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=100
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        number = attrs.get("counter")
        if number is not None:
            desk = attrs.get("received_by_agency") or attrs["agency"]
            counter = desk.counters.filter(number=number).first()
            if counter is None:
                raise serializers.ValidationError(
                    {"counter": f"Cơ quan không có quầy số {number}."}
                )
            attrs["counter"] = counter
        return attrs


class DossierActionSerializer(serializers.Serializer):
    """Every action accepts the version read (or the ``If-Match`` header)."""

    lock_version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        help_text="Phiên bản hồ sơ đã đọc (thay cho tiêu đề If-Match).",
    )


class DossierReasonSerializer(DossierActionSerializer):
    reason = _text()


class DossierNoteSerializer(DossierActionSerializer):
    note = _text()


class DossierSupplementSerializer(DossierReasonSerializer):
    items = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=100
    )


class DossierAssignSerializer(DossierActionSerializer):
    assignee = _username()
    step = _id(source="step_id", required=False, allow_null=True)


class DossierForwardSerializer(DossierNoteSerializer):
    step = _id(source="step_id", required=False, allow_null=True)
    assignee = _username(required=False, allow_null=True)


class DossierApproveSerializer(DossierNoteSerializer):
    step = _id(source="step_id", required=False, allow_null=True)


class DossierSendBackSerializer(DossierReasonSerializer):
    step = _id(source="step_id", required=False, allow_null=True)


class DossierConsultSerializer(DossierActionSerializer):
    agency = _by_code(Agency, "cơ quan")
    question = _text()
    working_days = serializers.IntegerField(min_value=1, max_value=60, default=5)


class DossierAnswerConsultSerializer(DossierActionSerializer):
    consultation = _id(source="consultation_id")
    answer = _text()


class DossierPaymentSerializer(DossierActionSerializer):
    amount = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, help_text="Số tiền (đồng)."
    )


class DossierFinishSerializer(DossierActionSerializer):
    result_summary = _text()


class DossierReturnResultSerializer(DossierActionSerializer):
    method = serializers.ChoiceField(
        choices=Dossier.RETURN_WITHOUT_VISIT, default=Dossier.ReturnMethod.DESK
    )
    to_name = _text(max_length=255)
    to_id_number = _text(max_length=32)
    is_applicant = serializers.BooleanField(default=True)


class DossierRemindSerializer(DossierNoteSerializer):
    step_id = _id(
        required=False,
        allow_null=True,
        help_text="Bước đang xử lý cần nhắc (mặc định: bước đến hạn sớm nhất).",
    )


class DossierExtendSerializer(DossierReasonSerializer):
    new_due_at = AwareDateTimeField()
    override = serializers.BooleanField(default=False)


class DossierFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField(max_length=255, allow_empty_file=False)
    kind = serializers.CharField(
        max_length=16,
        default=DossierFile.Kind.SCAN,
        help_text="scan (bản số hóa, mặc định) hoặc result (kết quả).",
    )
    component = _id(required=False, allow_null=True)


# ------------------------------------------------------------------ output
class DossierRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DossierProcedureRefSerializer(serializers.Serializer):
    code = serializers.CharField(source="procedure.code")
    name = serializers.CharField(source="procedure_version.name")
    version = serializers.IntegerField(source="procedure_version.number")


class DvcqgSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    name = serializers.CharField()


class DossierApplicantBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Applicant
        fields = ["name", "kind"]


class DossierApplicantSerializer(serializers.ModelSerializer):
    # As received: "" when none was given, which is not an e-mail address
    # (a model EmailField would be documented with format "email").
    email = serializers.CharField(
        read_only=True, help_text="Thư điện tử; chuỗi rỗng khi không có."
    )
    representative_email = serializers.CharField(
        read_only=True,
        help_text="Người được ủy quyền: thư điện tử; chuỗi rỗng khi không có.",
    )
    notify_channels = serializers.SerializerMethodField()

    def get_notify_channels(self, applicant: Applicant) -> list[str]:
        return [c for c in applicant.notify_channels.split(",") if c]

    class Meta:
        model = Applicant
        fields = [
            "name",
            "kind",
            "id_kind",
            "id_number",
            "birth_date",
            "phone",
            "email",
            "address",
            "no_contact_reason",
            *REPRESENTATIVE_FIELDS,
            "notify_channels",
        ]


def _username_of(user: Any) -> str | None:
    return user.username if user is not None else None


class ChoiceLabelField(serializers.CharField):
    """The label of a model field's choice (what ``get_<field>_display`` says),
    from a map built once per process and language. DRF's
    ``source="get_status_display"`` probes the callable with
    ``inspect.signature`` and translates the label again on every row (issue
    15: 12 % and 9 % of a list page's CPU)."""

    _labels: dict[tuple[str, str, str | None], dict[Any, str]] = {}

    def __init__(self, model: type[Any], name: str, **kwargs: Any) -> None:
        self.model, self.name = model, name
        kwargs.setdefault("source", name)
        super().__init__(**kwargs)

    def _labels_now(self) -> dict[Any, str]:
        key = (self.model._meta.label, self.name, translation.get_language())
        labels = self._labels.get(key)
        if labels is None:
            choices = self.model._meta.get_field(self.name).flatchoices
            labels = {value: str(label) for value, label in choices}
            self._labels[key] = labels
        return labels

    def to_representation(self, value: Any) -> str:
        label = self._labels_now().get(value)
        return label if label is not None else str(value)


class DossierListSerializer(serializers.ModelSerializer):
    agency = DossierRefSerializer()
    procedure = DossierProcedureRefSerializer(source="*")
    field = DossierRefSerializer()
    applicant = DossierApplicantBriefSerializer()
    status_label = ChoiceLabelField(Dossier, "status")
    outcome = serializers.CharField(help_text="approved, refused hoặc rỗng.")
    timing = serializers.CharField(
        help_text="Tiến độ khi kết thúc: early, on_time, late hoặc rỗng."
    )
    dvcqg_status = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "agency",
            "procedure",
            "field",
            "applicant",
            "channel",
            "status",
            "status_label",
            "dvcqg_status",
            "submitted_at",
            "received_at",
            "due_at",
            "original_due_at",
            "extended",
            "overdue",
            "finished_at",
            "returned_at",
            "outcome",
            "timing",
            "lock_version",
        ]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        # DRF's output, from fields read once per class (issue 15).
        return output_plans.render(self, instance)

    @extend_schema_field(DvcqgSerializer)
    def get_dvcqg_status(self, dossier: Dossier) -> dict[str, Any]:
        number, name = DVCQG_STATUS[Status(dossier.status)]
        return {"code": number, "name": name}

    def get_overdue(self, dossier: Dossier) -> bool:
        return timing.is_overdue(dossier, clock.now())


class DossierComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierComponent
        fields = ["id", "name", "kind", "count", "received"]


class DossierFileSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="scan, result hoặc other.")
    uploaded_by = serializers.CharField(source="uploaded_by.username")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DossierFile
        fields = [
            "id",
            "kind",
            "component",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, item: DossierFile) -> str:
        url = reverse("api-dossier-file", args=[item.dossier.code, item.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


def step_timing(step: Step) -> str:
    """``open`` while active, else the step against its own budget
    (:func:`motcua.dossiers.timing.step_timing`; ``""`` without a budget)."""
    if step.ended_at is None:
        return "open"
    return timing.step_timing(step)


class DossierStepSerializer(serializers.ModelSerializer):
    agency = DossierRefSerializer()
    assignee = serializers.SerializerMethodField()
    ended_by = serializers.SerializerMethodField()
    timing = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = [
            "id",
            "position",
            "name",
            "role",
            "agency",
            "assignee",
            "state",
            "budget_hours",
            "started_at",
            "due_at",
            "ended_at",
            "ended_by",
            "timing",
            "note",
        ]

    def get_assignee(self, step: Step) -> str | None:
        return _username_of(step.assignee)

    def get_ended_by(self, step: Step) -> str | None:
        return _username_of(step.ended_by)

    @extend_schema_field(
        serializers.CharField(
            help_text="open, early, on_time, late; rỗng nếu bước không có hạn riêng."
        )
    )
    def get_timing(self, step: Step) -> str:
        return step_timing(step)


class DossierConsultationSerializer(serializers.ModelSerializer):
    agency = DossierRefSerializer()
    requested_by = serializers.CharField(source="requested_by.username")
    answered_by = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "agency",
            "question",
            "requested_by",
            "requested_at",
            "due_at",
            "answer",
            "answered_by",
            "answered_at",
        ]

    def get_answered_by(self, item: Consultation) -> str | None:
        return _username_of(item.answered_by)


class DossierEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name")
    payload = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "seq",
            "action",
            "actor",
            "at",
            "from_status",
            "to_status",
            "step",
            "reason",
            "payload",
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_payload(self, event: Event) -> dict[str, Any]:
        return {k: v for k, v in (event.payload or {}).items() if k != "snapshot"}


class DossierDetailSerializer(DossierListSerializer):
    applicant = DossierApplicantSerializer()  # type: ignore[assignment]
    counter = serializers.IntegerField(source="counter.number", allow_null=True)
    received_by = serializers.SerializerMethodField()
    # Nơi tiếp nhận (ADR 0015); null on dossiers recorded before the field.
    received_by_agency = DossierRefSerializer(allow_null=True)
    signed_by = serializers.SerializerMethodField()
    components = DossierComponentSerializer(many=True)
    files = DossierFileSerializer(many=True)
    steps = DossierStepSerializer(many=True)
    consultations = DossierConsultationSerializer(many=True)
    events = DossierEventSerializer(many=True)
    allowed_actions = serializers.SerializerMethodField()
    return_method = serializers.CharField(help_text="desk, post, online hoặc rỗng.")

    class Meta(DossierListSerializer.Meta):
        fields = [
            *DossierListSerializer.Meta.fields,
            "counter",
            "received_by",
            "received_by_agency",
            "clock_started_at",
            "paused_at",
            "supplement_count",
            "ended_at",
            "result_summary",
            "signed_by",
            "signed_at",
            "fee_amount",
            "payment_status",
            "paid_at",
            "return_method",
            "returned_to_name",
            "returned_to_id_number",
            "returned_to_is_applicant",
            "components",
            "files",
            "steps",
            "consultations",
            "events",
            "allowed_actions",
        ]

    def get_received_by(self, dossier: Dossier) -> str | None:
        return _username_of(dossier.received_by)

    def get_signed_by(self, dossier: Dossier) -> str | None:
        return _username_of(dossier.signed_by)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, dossier: Dossier) -> list[str]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return actions_for(user, dossier)


class DossierPageSerializer(serializers.Serializer):
    results = DossierListSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)
    next = serializers.URLField(allow_null=True)
