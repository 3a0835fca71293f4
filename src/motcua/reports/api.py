"""Figures API (thin): Biểu 06 and the dossiers behind each of its numbers.

Input and permission checks live in ``selectors.parse_query``; errors are
``{"code", "message"}`` in Vietnamese (``motcua.core.api``), never a 500.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.api import ErrorSerializer
from motcua.core.errors import DomainError

from .selectors import CELLS, bieu06, cell_dossiers, parse_query

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000


class _Received(serializers.Serializer):
    total = serializers.IntegerField()
    carried_over = serializers.IntegerField(help_text="Số kỳ trước chuyển qua")
    online = serializers.IntegerField(help_text="Mới tiếp nhận trực tuyến")
    direct_postal = serializers.IntegerField(
        help_text="Mới tiếp nhận trực tiếp, qua bưu chính công ích"
    )


class _Settled(serializers.Serializer):
    total = serializers.IntegerField()
    early = serializers.IntegerField(help_text="Trả trước hạn")
    on_time = serializers.IntegerField(help_text="Trả đúng hạn")
    late = serializers.IntegerField(help_text="Trả quá hạn")


class _InProgress(serializers.Serializer):
    total = serializers.IntegerField()
    within_time = serializers.IntegerField(help_text="Trong hạn")
    overdue = serializers.IntegerField(help_text="Quá hạn")
    paused = serializers.IntegerField(help_text="Tạm dừng: chờ bổ sung, chờ nộp phí")


class FiguresSerializer(serializers.Serializer):
    received = _Received()
    settled = _Settled()
    in_progress = _InProgress()
    withdrawn = serializers.IntegerField(help_text="Rút hồ sơ trong kỳ")
    stopped = serializers.IntegerField(help_text="Dừng giải quyết trong kỳ")


class RowSerializer(FiguresSerializer):
    key = serializers.CharField(help_text="Mã lĩnh vực hoặc mã thủ tục")
    name = serializers.CharField()


class _AgencyRef(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class _Predecessor(_AgencyRef):
    merged_on = serializers.DateField()
    into = serializers.CharField(help_text="Mã cơ quan kế thừa")


class _MergedInto(_AgencyRef):
    merged_on = serializers.DateField()


class _Merger(serializers.Serializer):
    predecessors = _Predecessor(
        many=True,
        help_text="Các đơn vị đã sáp nhập vào cơ quan (tên như trước ngày sáp nhập)",
    )
    merged_into = _MergedInto(
        allow_null=True, help_text="Cơ quan kế thừa, khi cơ quan này đã sáp nhập"
    )
    until = serializers.DateField(
        allow_null=True,
        help_text="Ngày cuối cơ quan còn là đơn vị riêng trong kỳ",
    )


class _Section(serializers.Serializer):
    agency = _AgencyRef(help_text="Đơn vị, tên như vào ngày cuối của phần")
    former = serializers.BooleanField(help_text="Đơn vị cũ (trước sáp nhập)")
    from_ = serializers.DateField()
    to = serializers.DateField()
    totals = FiguresSerializer()
    rows = RowSerializer(many=True)

    def get_fields(self) -> dict:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class _ReportAgency(_AgencyRef):
    level = serializers.CharField(help_text="Cấp của cơ quan (Agency.Level)")


class Bieu06Serializer(serializers.Serializer):
    agency = _ReportAgency()
    from_ = serializers.DateField()
    to = serializers.DateField()
    subtree = serializers.BooleanField()
    group_by = serializers.ChoiceField(choices=["field", "procedure"])
    totals = FiguresSerializer()
    rows = RowSerializer(many=True)
    merger = _Merger(
        allow_null=True, help_text="Sáp nhập đơn vị hành chính liên quan (nếu có)"
    )
    sections = _Section(
        many=True,
        help_text="Khi kỳ báo cáo có ngày sáp nhập hoặc trước đó: số liệu từng đơn vị "
        "theo từng phần của kỳ (đơn vị cũ trước ngày sáp nhập, cơ quan kế thừa từ "
        "ngày đó)",
    )

    def get_fields(self) -> dict:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class CellDossierSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    channel = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)
    original_due_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)


class CellPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Bằng con số trên báo cáo")
    next = serializers.CharField(allow_null=True, help_text="Con trỏ trang sau")
    results = CellDossierSerializer(many=True)


QUERY = [
    OpenApiParameter("agency", str, required=True, description="Mã cơ quan"),
    OpenApiParameter("from", str, required=True, description="Từ ngày YYYY-MM-DD"),
    OpenApiParameter("to", str, required=True, description="Đến ngày YYYY-MM-DD"),
    OpenApiParameter(
        "subtree",
        bool,
        description="Gồm số liệu của các đơn vị trực thuộc (mặc định: có, nếu "
        "cơ quan có đơn vị trực thuộc và người dùng xem được tất cả)",
    ),
    OpenApiParameter(
        "group_by",
        str,
        enum=["field", "procedure"],
        description="Dòng theo lĩnh vực (mặc định) hoặc theo thủ tục",
    ),
    OpenApiParameter(
        "unit",
        str,
        description="Mã đơn vị của một phần (sections) báo cáo có sáp nhập; "
        "from/to là ngày đầu, ngày cuối của phần đó",
    ),
]
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, "Tham số không hợp lệ."),
    401: OpenApiResponse(ErrorSerializer, "Chưa đăng nhập."),
    403: OpenApiResponse(ErrorSerializer, "Không có quyền xem số liệu cơ quan này."),
    429: OpenApiResponse(
        ErrorSerializer,
        "Quá nhiều yêu cầu (auth.throttled, client.rate_limited); chờ theo "
        "Retry-After.",
    ),
}


class Bieu06View(APIView):
    """Biểu 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP): tình hình, kết quả giải quyết
    thủ tục hành chính của cơ quan trong kỳ, theo lĩnh vực hoặc thủ tục."""

    @extend_schema(
        operation_id="reports_bieu06",
        parameters=QUERY,
        responses={200: Bieu06Serializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = parse_query(request.query_params, request.user)
        return Response(bieu06(query))


def _limit(value: str | None) -> int:
    if not value:
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise DomainError("report.invalid_limit", f"limit phải từ 1 đến {MAX_LIMIT}.")
    return int(value)


def _cursor(value: str | None) -> int:
    if not value:
        return 0
    if not value.isdigit() or len(value) > 18:
        raise DomainError("report.invalid_cursor", "Con trỏ trang không hợp lệ.")
    return int(value)


class Bieu06DossiersView(APIView):
    """Các hồ sơ đứng sau một con số của Biểu 06 (phân trang theo con trỏ);
    ``count`` bằng con số đó."""

    @extend_schema(
        operation_id="reports_bieu06_dossiers",
        parameters=[
            *QUERY,
            OpenApiParameter(
                "cell",
                str,
                required=True,
                enum=list(CELLS),
                description="Ô (cột) của Biểu 06 có các hồ sơ cần xem",
            ),
            OpenApiParameter("key", str, description="Mã lĩnh vực / thủ tục của dòng"),
            OpenApiParameter(
                "cursor", str, description="Con trỏ trang sau (next của trang trước)"
            ),
            OpenApiParameter(
                "limit",
                int,
                description=f"Số hồ sơ mỗi trang: {DEFAULT_LIMIT}, tối đa {MAX_LIMIT}",
            ),
        ],
        responses={200: CellPageSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        query = parse_query(params, request.user)
        limit, after = _limit(params.get("limit")), _cursor(params.get("cursor"))
        rows = cell_dossiers(query, params.get("cell", ""), params.get("key"))
        count = rows.count()
        page = list(
            rows.filter(pk__gt=after).only(
                "pk",
                "code",
                "status",
                "channel",
                "received_at",
                "original_due_at",
                "due_at",
                "ended_at",
            )[: limit + 1]
        )
        more = len(page) > limit
        page = page[:limit]
        return Response(
            {
                "count": count,
                "next": str(page[-1].pk) if more else None,
                "results": CellDossierSerializer(page, many=True).data,
            }
        )
