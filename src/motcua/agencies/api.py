"""Agency API: the public agency list (published by law, no login) and the
staff's API key (from a signed-in session, never from a password). Errors are
``{"code", "message"}`` (``motcua.core.api``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.api import ErrorSerializer
from motcua.core.auth import TwoFactorSessionAuthentication
from motcua.core.errors import DomainError
from motcua.security.tokens import token_issue

from .models import Agency
from .selectors import is_staff_member, public_agencies


class LeaderPhoneSerializer(serializers.Serializer):
    name = serializers.CharField(required=False)
    title = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)


class AgencySerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(
        source="parent.code", allow_null=True, default=None, read_only=True
    )
    leader_phones = LeaderPhoneSerializer(many=True, read_only=True)
    desk_phones = LeaderPhoneSerializer(many=True, read_only=True)

    class Meta:
        model = Agency
        fields = [
            "code",
            "e_identifier",
            "name",
            "level",
            "parent_code",
            "address",
            "hotline",
            "leader_phones",
            "desk_phones",
        ]


class AgencyPages(CursorPagination):
    """Keyset pages by code: one query per page, whatever the page number."""

    ordering = "code"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def decode_cursor(self, request: Request) -> Any:
        """A damaged cursor is the caller's mistake: 400, as on the dossier list
        (DRF's own answer is a 404, which reads as "no such agency list")."""
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise DomainError(
                "filter.invalid",
                "Tham số cursor không hợp lệ; hãy dùng đường dẫn next/previous "
                "của trang trước.",
            ) from None


LEVELS = [level.value for level in Agency.Level]


@extend_schema(
    tags=["agencies"],
    parameters=[
        OpenApiParameter("parent", str, description="Mã cơ quan cấp trên."),
        OpenApiParameter("level", str, enum=LEVELS, description="Cấp cơ quan."),
    ],
    responses={200: AgencySerializer(many=True), 400: ErrorSerializer},
)
class AgencyListView(ListAPIView):
    """Danh sách cơ quan đang hoạt động (công khai, không cần đăng nhập)."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    serializer_class = AgencySerializer
    pagination_class = AgencyPages

    def get_queryset(self) -> Any:
        level = self.request.query_params.get("level") or None
        if level is not None and level not in LEVELS:
            raise DomainError(
                "agency.invalid_level",
                "Cấp cơ quan không hợp lệ; dùng một trong: " + ", ".join(LEVELS) + ".",
            )
        parent = self.request.query_params.get("parent") or None
        return public_agencies(parent_code=parent, level=level)


@extend_schema(
    tags=["agencies"],
    parameters=[
        OpenApiParameter(
            "code",
            str,
            OpenApiParameter.PATH,
            description="Mã cơ quan (QCVN 102:2016), ví dụ 000.01.01.H17.",
        )
    ],
    responses={200: AgencySerializer, 404: ErrorSerializer},
)
class AgencyDetailView(RetrieveAPIView):
    """Một cơ quan theo mã (QCVN 102:2016)."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    serializer_class = AgencySerializer
    lookup_field = "code"

    def get_queryset(self) -> Any:
        return public_agencies()


class TokenRequestSerializer(serializers.Serializer):
    name = serializers.CharField(
        required=False, max_length=100, help_text="Tên gợi nhớ của khóa."
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Khóa API; chỉ hiện một lần.")
    name = serializers.CharField()
    prefix = serializers.CharField()
    expires_at = serializers.DateTimeField()


PASSWORD_GRANT_REMOVED = (
    "Không còn đổi tên đăng nhập và mật khẩu lấy khóa API. Hãy đăng nhập "
    "(kèm xác thực 2 lớp nếu tài khoản được yêu cầu) rồi tạo khóa ở trang "
    "«Khóa API», hoặc đề nghị quản trị cấp khóa cho hệ thống tích hợp."
)


@extend_schema(
    tags=["auth"],
    request=TokenRequestSerializer,
    responses={
        201: TokenSerializer,
        400: ErrorSerializer,
        403: ErrorSerializer,
        415: OpenApiResponse(
            ErrorSerializer,
            "http.unsupported_media_type: một thân yêu cầu không đọc được theo "
            "định dạng đã khai (JSON, biểu mẫu).",
        ),
    },
)
class TokenView(APIView):
    """Tạo khóa API cho cán bộ đang đăng nhập (phiên trình duyệt, kèm mã CSRF,
    đã qua xác thực 2 lớp nếu được yêu cầu). Khóa chỉ hiện một lần, có hạn
    dùng; dùng trong tiêu đề ``Authorization: Bearer <khóa>``.

    Không nhận tên đăng nhập và mật khẩu (``auth.password_grant_removed``)."""

    # Only a browser session mints keys: never a key, never a password.
    authentication_classes = [TwoFactorSessionAuthentication]
    permission_classes: list[Any] = []

    def post(self, request: Request) -> Response:
        if isinstance(request.data, dict) and (
            "password" in request.data or "username" in request.data
        ):
            raise DomainError("auth.password_grant_removed", PASSWORD_GRANT_REMOVED)
        user = request.user
        if user is None or not user.is_authenticated:
            raise NotAuthenticated()
        if not is_staff_member(user):
            raise DomainError(
                "auth.not_staff",
                "Tài khoản này chưa được giao vai trò cán bộ tại cơ quan nào.",
                status=403,
            )
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        name = data.validated_data.get("name") or "Khóa API"
        issued = token_issue(user, name=name, created_by=user)
        return Response(
            {
                "token": issued.key,
                "name": issued.token.name,
                "prefix": issued.token.prefix,
                "expires_at": issued.token.expires_at,
            },
            status=201,
        )
