"""Public catalogue API, no login: the law requires procedures to be published
(Decree 63/2010/NĐ-CP Art. 15–17 on publishing administrative procedures).

``GET /api/v1/procedures/?agency=&field=&q=`` lists the versions in force today;
``GET /api/v1/procedures/<code>/`` shows one. Bad filters are 400 with
``{"code", "message"}`` (``motcua.core.api``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.pagination import LimitOffsetPagination

from motcua.core.api import ErrorSerializer
from motcua.deadlines.services import get_agency

from .models import ProcedureVersion
from .rows import plain_number
from .selectors import get_field, search_procedures, version_in_force_by_code


class TimeSerializer(serializers.Serializer):
    value = serializers.FloatField(help_text="Số nguyên khi tròn, ví dụ 3.")
    unit = serializers.CharField(help_text="same_day, working_days, working_hours, …")


class FieldRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class FeeSerializer(serializers.Serializer):
    text = serializers.CharField()
    amount = serializers.IntegerField(
        help_text="Số tiền (đồng), 0 nếu miễn hoặc thay đổi."
    )


class ComponentSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField(help_text="original, copy, certified_copy, shown")
    count = serializers.IntegerField()
    required = serializers.BooleanField()  # type: ignore[assignment]


class ProcedureSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="procedure.code")
    field = serializers.SerializerMethodField()
    fee = serializers.SerializerMethodField()
    components = ComponentSerializer(many=True)
    time = serializers.SerializerMethodField()
    channel_times = serializers.DictField(child=TimeSerializer())
    result_documents = serializers.ListField(child=serializers.CharField())
    aliases = serializers.ListField(child=serializers.CharField())
    agencies = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="number")

    class Meta:
        model = ProcedureVersion
        fields = [
            "code",
            "name",
            "field",
            "level",
            "online_level",
            "fee",
            "components",
            "time",
            "channel_times",
            "result_documents",
            "legal_basis",
            "aliases",
            "agencies",
            "version",
            "effective_from",
        ]

    @extend_schema_field(FieldRefSerializer)
    def get_field(self, version: ProcedureVersion) -> dict[str, str]:
        field = version.procedure.field
        return {"code": field.code, "name": field.name}

    @extend_schema_field(FeeSerializer)
    def get_fee(self, version: ProcedureVersion) -> dict[str, Any]:
        return {"text": version.fee_text, "amount": version.fee_amount}

    @extend_schema_field(TimeSerializer)
    def get_time(self, version: ProcedureVersion) -> dict[str, Any]:
        return {"value": plain_number(version.time_value), "unit": version.time_unit}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_agencies(self, version: ProcedureVersion) -> list[str]:
        return sorted(a.code for a in version.procedure.agencies.all())


class ProcedurePagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


@extend_schema(
    summary="Danh mục thủ tục hành chính đang áp dụng",
    description=(
        "Công khai, không cần đăng nhập. Phiên bản có hiệu lực hôm nay của mỗi thủ "
        'tục; `q` tìm không phân biệt dấu, hoa thường ("so do" tìm được "sổ đỏ").'
    ),
    parameters=[
        OpenApiParameter(
            "agency", OpenApiTypes.STR, description="Mã cơ quan thực hiện"
        ),
        OpenApiParameter(
            "field", OpenApiTypes.STR, description="Mã lĩnh vực, ví dụ HT"
        ),
        OpenApiParameter("q", OpenApiTypes.STR, description="Từ khóa"),
    ],
    responses={200: ProcedureSerializer(many=True), 400: ErrorSerializer},
)
class ProcedureListView(generics.ListAPIView):
    serializer_class = ProcedureSerializer
    pagination_class = ProcedurePagination
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    def get_queryset(self) -> QuerySet[ProcedureVersion]:
        params = self.request.query_params
        agency = get_agency(params["agency"]) if params.get("agency") else None
        field = get_field(params["field"]) if params.get("field") else None
        return search_procedures(params.get("q", ""), agency=agency, field=field)


@extend_schema(
    summary="Một thủ tục hành chính",
    description="Phiên bản có hiệu lực hôm nay của thủ tục mang mã `code`.",
    parameters=[
        OpenApiParameter(
            "code",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            description="Mã thủ tục trong CSDL quốc gia, ví dụ 1.001193.",
        )
    ],
    responses={200: ProcedureSerializer, 404: ErrorSerializer},
)
class ProcedureDetailView(generics.RetrieveAPIView):
    serializer_class = ProcedureSerializer
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    def get_object(self) -> ProcedureVersion:
        return version_in_force_by_code(self.kwargs["code"])
