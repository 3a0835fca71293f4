"""Agency API: the public agency list (published by law, no login) and the
staff token exchange. Errors are ``{"code", "message"}`` (``motcua.core.api``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.api import ErrorSerializer
from motcua.core.errors import DomainError

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

    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "level",
            "parent_code",
            "address",
            "hotline",
            "leader_phones",
        ]


class AgencyPages(CursorPagination):
    """Keyset pages by code: one query per page, whatever the page number."""

    ordering = "code"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


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
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


@extend_schema(
    tags=["auth"],
    request=TokenRequestSerializer,
    responses={200: TokenSerializer, 400: ErrorSerializer},
)
class TokenView(APIView):
    """Đổi tài khoản cán bộ (tên đăng nhập, mật khẩu) lấy mã truy cập API.

    Dùng mã trong tiêu đề ``Authorization: Bearer <mã>``."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise DomainError(
                "auth.invalid_credentials",
                "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khoá.",
            )
        if not is_staff_member(user):
            raise DomainError(
                "auth.not_staff",
                "Tài khoản này chưa được giao vai trò cán bộ tại cơ quan nào.",
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
