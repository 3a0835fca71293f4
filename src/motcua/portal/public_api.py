"""Public catalogue API (``/api/v1/public/``): the same catalogue, search and
procedure details as the ``/thu-tuc/`` pages, read-only and anonymous —
publishing procedures is a legal duty (Decree 63/2010/NĐ-CP Art. 15–17).

``GET procedures/?q=&agency=&field=&limit=&offset=`` searches (the page's own
function, ranked name > alias > text); ``GET procedures/<code>/`` gives the
version in force today; ``GET procedures/<code>/agencies/`` the agencies that
offer it; ``GET fields/`` the fields. Errors: ``{"code", "message",
"fields"?}`` (``motcua.core.api``), never a 500.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

from motcua.agencies.models import Agency
from motcua.catalog.models import Component, Field, ProcedureVersion
from motcua.catalog.search import MAX_QUERY_CHARS
from motcua.catalog.selectors import search_procedures, version_in_force_by_code
from motcua.core.api import ErrorSerializer
from motcua.core.errors import DomainError

from .catalogue import (
    agencies_offering,
    can_submit_online,
    channel_times,
    fee_label,
    legal_texts,
    steps_of,
    time_label,
)
from .catalogue_forms import offering_agencies

PUBLIC: dict[str, Any] = {"authentication_classes": [], "permission_classes": []}
PROCEDURE_CODE = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="Mã thủ tục trong CSDL quốc gia, ví dụ 1.001193.",
)


def _absolute(request: Request | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# ------------------------------------------------------------- serializers
class PublicFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["code", "name"]


class PublicAgencySerializer(serializers.ModelSerializer):
    level = serializers.CharField(help_text="province, district, commune, …")
    working_hours = serializers.SerializerMethodField(
        help_text="Giờ làm việc các ngày làm việc, ví dụ 07:30-11:30, 13:30-17:00"
    )

    class Meta:
        model = Agency
        fields = ["code", "name", "level", "address", "hotline", "working_hours"]

    def get_working_hours(self, agency: Agency) -> str:
        return str(agency.hours)


class PublicProcedureSummarySerializer(serializers.Serializer):
    code = serializers.CharField(source="procedure.code")
    name = serializers.CharField()
    field = PublicFieldSerializer(source="procedure.field")
    level = serializers.CharField(help_text="commune, district, province, central")
    online_level = serializers.CharField(help_text="full, partial, none")
    time = serializers.SerializerMethodField(
        help_text="Thời hạn giải quyết khi nộp trực tiếp, như thủ tục ghi"
    )
    fee = serializers.SerializerMethodField(help_text="Phí, lệ phí như thủ tục ghi")
    url = serializers.SerializerMethodField(help_text="Trang công khai của thủ tục")

    def get_time(self, version: ProcedureVersion) -> str:
        return time_label(version)

    def get_fee(self, version: ProcedureVersion) -> str:
        return fee_label(version)

    def get_url(self, version: ProcedureVersion) -> str:
        path = reverse("catalogue:procedure", args=[version.procedure.code])
        return _absolute(self.context.get("request"), path)


class PublicComponentSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="original, copy, certified_copy, shown")
    blank_form_url = serializers.SerializerMethodField(
        help_text="Mẫu đơn, tờ khai để trống; null khi danh mục không có"
    )

    class Meta:
        model = Component
        fields = ["name", "kind", "count", "required", "blank_form_url"]

    def get_blank_form_url(self, component: Component) -> str | None:
        if not component.blank_form:
            return None
        code = component.version.procedure.code
        path = reverse("catalogue:blank_form", args=[code, component.pk])
        return _absolute(self.context.get("request"), path)


class PublicChannelTimeSerializer(serializers.Serializer):
    channel = serializers.CharField(help_text="direct, online, postal")
    time = serializers.CharField()


class PublicOnlineSerializer(serializers.Serializer):
    available = serializers.BooleanField()
    level = serializers.CharField(help_text="full, partial, none")
    submit_url = serializers.CharField(allow_null=True)


class PublicProcedureDetailSerializer(PublicProcedureSummarySerializer):
    version = serializers.IntegerField(source="number")
    effective_from = serializers.DateField()
    times = serializers.SerializerMethodField()
    components = PublicComponentSerializer(many=True)
    steps = serializers.SerializerMethodField()
    result_documents = serializers.ListField(child=serializers.CharField())
    legal_basis = serializers.SerializerMethodField()
    online = serializers.SerializerMethodField()
    agencies = serializers.SerializerMethodField()
    poster_url = serializers.SerializerMethodField()

    @extend_schema_field(PublicChannelTimeSerializer(many=True))
    def get_times(self, version: ProcedureVersion) -> list[dict[str, str]]:
        return [{"channel": t.channel, "time": t.time} for t in channel_times(version)]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_steps(self, version: ProcedureVersion) -> list[str]:
        return steps_of(version)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_legal_basis(self, version: ProcedureVersion) -> list[str]:
        return legal_texts(version)

    @extend_schema_field(PublicOnlineSerializer)
    def get_online(self, version: ProcedureVersion) -> dict[str, Any]:
        available = can_submit_online(version)
        path = reverse("online:submit", args=[version.procedure.code])
        request = self.context.get("request")
        return {
            "available": available,
            "level": version.online_level,
            "submit_url": _absolute(request, path) if available else None,
        }

    @extend_schema_field(PublicAgencySerializer(many=True))
    def get_agencies(self, version: ProcedureVersion) -> list[dict[str, Any]]:
        return list(PublicAgencySerializer(agencies_offering(version), many=True).data)

    def get_poster_url(self, version: ProcedureVersion) -> str:
        path = reverse("catalogue:poster", args=[version.procedure.code])
        return _absolute(self.context.get("request"), path)


# ------------------------------------------------------------------- views
class ProcedurePagination(LimitOffsetPagination):
    default_limit = 20
    max_limit = 100


def _filter(params: Any, name: str, rows: QuerySet[Any], message: str) -> Any:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    found = rows.filter(code=value[:64]).first()
    if found is None:
        raise DomainError(f"catalog.unknown_{name}", message)
    return found


def _query(params: Any) -> str:
    q = params.get("q") or ""
    if len(q) > MAX_QUERY_CHARS or "\x00" in q:
        raise DomainError(
            "catalog.invalid_query",
            f"Từ khóa tìm kiếm không hợp lệ (tối đa {MAX_QUERY_CHARS} ký tự).",
        )
    return str(q)


@extend_schema(
    summary="Tìm thủ tục hành chính",
    description=(
        "Công khai, không cần đăng nhập. Phiên bản có hiệu lực hôm nay của mỗi "
        "thủ tục đang áp dụng; `q` tìm như ô tìm kiếm của trang /thu-tuc/: không "
        'phân biệt dấu, theo cả cách gọi thông dụng ("so do", "bao tu"), xếp '
        "tên thủ tục trước, cách gọi sau, rồi đến nội dung khác."
    ),
    parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="Từ khóa (≤ 200 ký tự)"),
        OpenApiParameter("agency", OpenApiTypes.STR, description="Mã cơ quan"),
        OpenApiParameter("field", OpenApiTypes.STR, description="Mã lĩnh vực"),
    ],
    responses={200: PublicProcedureSummarySerializer(many=True), 400: ErrorSerializer},
    tags=["Danh mục thủ tục công khai"],
)
class ProcedureSearchView(generics.ListAPIView):
    serializer_class = PublicProcedureSummarySerializer
    pagination_class = ProcedurePagination
    authentication_classes = PUBLIC["authentication_classes"]
    permission_classes = PUBLIC["permission_classes"]

    def get_queryset(self) -> QuerySet[ProcedureVersion]:
        params = self.request.query_params
        agency = _filter(
            params,
            "agency",
            offering_agencies(),
            "Không có cơ quan này trong danh mục thủ tục.",
        )
        field = _filter(params, "field", Field.objects.all(), "Không có lĩnh vực này.")
        return search_procedures(
            _query(params), agency=agency, field=field
        ).prefetch_related(None)


@extend_schema(
    summary="Một thủ tục hành chính",
    description=(
        "Phiên bản có hiệu lực hôm nay: hồ sơ cần chuẩn bị (và mẫu để trống), "
        "trình tự, thời hạn theo kênh nộp, phí, căn cứ pháp lý, nơi nộp (địa chỉ, "
        "giờ làm việc) và cách nộp trực tuyến."
    ),
    parameters=[PROCEDURE_CODE],
    responses={200: PublicProcedureDetailSerializer, 404: ErrorSerializer},
    tags=["Danh mục thủ tục công khai"],
)
class ProcedureDetailView(generics.RetrieveAPIView):
    serializer_class = PublicProcedureDetailSerializer
    authentication_classes = PUBLIC["authentication_classes"]
    permission_classes = PUBLIC["permission_classes"]

    def get_object(self) -> ProcedureVersion:
        return version_in_force_by_code(self.kwargs["code"][:40])


@extend_schema(
    summary="Cơ quan thực hiện một thủ tục",
    description="Nơi nộp hồ sơ: địa chỉ, điện thoại và giờ làm việc.",
    parameters=[PROCEDURE_CODE],
    responses={200: PublicAgencySerializer(many=True), 404: ErrorSerializer},
    tags=["Danh mục thủ tục công khai"],
)
class ProcedureAgenciesView(generics.ListAPIView):
    serializer_class = PublicAgencySerializer
    pagination_class = None
    authentication_classes = PUBLIC["authentication_classes"]
    permission_classes = PUBLIC["permission_classes"]

    def get_queryset(self) -> list[Agency]:  # type: ignore[override]
        version = version_in_force_by_code(self.kwargs["code"][:40])
        return agencies_offering(version)


@extend_schema(
    summary="Lĩnh vực thủ tục hành chính",
    responses={200: PublicFieldSerializer(many=True), 400: ErrorSerializer},
    tags=["Danh mục thủ tục công khai"],
)
class FieldListView(generics.ListAPIView):
    serializer_class = PublicFieldSerializer
    pagination_class = None
    authentication_classes = PUBLIC["authentication_classes"]
    permission_classes = PUBLIC["permission_classes"]
    queryset = Field.objects.order_by("code")
