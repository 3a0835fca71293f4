"""Validation of the bodies a peer sends (docs/exchange.md); a body that does
not fit is answered 400 ``invalid`` with the fields at fault."""

from __future__ import annotations

from rest_framework import serializers

from motcua.catalog.models import Component
from motcua.dossiers.models import Applicant, Channel, Dossier
from motcua.dossiers.workflow import Status

from .package import PROTOCOL


class _Protocol(serializers.Serializer):
    protocol = serializers.ChoiceField(choices=[PROTOCOL])
    transfer_id = serializers.UUIDField()


class ExchangeFileSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    content_type = serializers.CharField(max_length=100)
    size = serializers.IntegerField(min_value=1)
    sha256 = serializers.RegexField(r"^[0-9a-f]{64}$")
    component = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    content = serializers.CharField(help_text="Nội dung tệp, mã hóa base64.")


class ExchangeOriginSerializer(serializers.Serializer):
    agency_code = serializers.CharField(max_length=64)
    agency_name = serializers.CharField(max_length=255)
    dossier_code = serializers.CharField(max_length=100)


class ExchangeProcedureSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ExchangeStepSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    started_at = serializers.DateTimeField(allow_null=True, required=False)
    due_at = serializers.DateTimeField(allow_null=True, required=False)
    budget_hours = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False
    )


class ExchangeDossierSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_at = serializers.DateTimeField(allow_null=True, required=False)
    due_at = serializers.DateTimeField(allow_null=True, required=False)


def _one_of(value: str, choices: list[str]) -> str:
    """A choice checked without an enum of its own in the schema (the field
    name ``kind`` has other meanings in the API)."""
    if value not in choices:
        raise serializers.ValidationError(
            f"Giá trị «{value}» không hợp lệ; chọn một trong: {', '.join(choices)}."
        )
    return value


class ExchangeApplicantSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="person, organisation")
    name = serializers.CharField(max_length=255)
    id_kind = serializers.ChoiceField(
        choices=Applicant.IdKind.choices, allow_blank=True, required=False
    )
    id_number = serializers.CharField(max_length=32, allow_blank=True, required=False)
    birth_date = serializers.DateField(allow_null=True, required=False)
    address = serializers.CharField(max_length=500, allow_blank=True, required=False)

    def validate_kind(self, value: str) -> str:
        return _one_of(value, list(Applicant.Kind.values))


class ExchangeComponentSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    kind = serializers.CharField(help_text="original, copy, certified_copy, shown")
    count = serializers.IntegerField(min_value=0, max_value=100)

    def validate_kind(self, value: str) -> str:
        return _one_of(value, list(Component.Kind.values))


class ExchangeTransferSerializer(_Protocol):
    """A step of a dossier handed to an agency of this system."""

    to_agency = serializers.CharField(max_length=64)
    origin = ExchangeOriginSerializer()
    procedure = ExchangeProcedureSerializer()
    step = ExchangeStepSerializer()
    dossier = ExchangeDossierSerializer()
    applicant = ExchangeApplicantSerializer()
    components = serializers.ListField(
        child=ExchangeComponentSerializer(), max_length=100
    )
    files = serializers.ListField(child=ExchangeFileSerializer(), max_length=50)


class ExchangeTransferAnswerSerializer(serializers.Serializer):
    transfer_id = serializers.UUIDField()
    reference = serializers.CharField(help_text="Mã hồ sơ tại hệ thống nhận.")
    status = serializers.CharField()


class ExchangeUpdateSerializer(_Protocol):
    """A status of the handed-over step, or its result (``type``)."""

    sequence = serializers.IntegerField(min_value=1)
    type = serializers.ChoiceField(choices=["status", "result"])
    status = serializers.ChoiceField(choices=Status.choices)
    dvcqg_status = serializers.IntegerField(required=False)
    dvcqg_name = serializers.CharField(required=False)
    at = serializers.DateTimeField()
    note = serializers.CharField(allow_blank=True, required=False, max_length=4000)
    outcome = serializers.ChoiceField(
        choices=Dossier.Outcome.choices, required=False, allow_blank=True
    )
    reference = serializers.CharField(required=False, allow_blank=True)
    summary = serializers.CharField(allow_blank=True, required=False, max_length=4000)
    files = serializers.ListField(
        child=ExchangeFileSerializer(), required=False, max_length=50
    )


class ExchangeUpdateAnswerSerializer(serializers.Serializer):
    transfer_id = serializers.UUIDField()
    sequence = serializers.IntegerField()
    recorded = serializers.BooleanField()


class ExchangeCancelSerializer(_Protocol):
    """The origin no longer needs the step (its dossier was withdrawn, stopped…)."""

    at = serializers.DateTimeField()
    reason = serializers.CharField(allow_blank=True, required=False, max_length=4000)


class ExchangeCancelAnswerSerializer(serializers.Serializer):
    transfer_id = serializers.UUIDField()
    cancelled = serializers.BooleanField(
        help_text="false: the dossier here had already ended."
    )
    status = serializers.CharField(help_text="Trạng thái hồ sơ tại hệ thống nhận.")
