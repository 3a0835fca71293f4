"""Citizen API (``/api/v1/citizen/``): the signed-in citizen's account and
dossiers, behind the citizen's session (the same selector as the page)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.auth import TwoFactorSessionAuthentication
from motcua.core.errors import DomainError

from .access import current_citizen
from .models import Citizen
from .rows import dossier_rows, profile_facts


class IsCitizen(BasePermission):
    """A signed-in citizen (never a staff account)."""

    message = "Chỉ công dân đã đăng nhập mới dùng được API này."

    def has_permission(self, request: Request, view: Any) -> bool:
        if current_citizen(request._request) is None:
            raise DomainError("citizens.not_citizen", self.message, status=403)
        return True


class CitizenSerializer(serializers.Serializer):
    verified_by = serializers.ChoiceField(choices=Citizen.VerifiedBy.choices)
    verified_by_label = serializers.CharField()
    identity_number = serializers.CharField(allow_blank=True)
    full_name = serializers.CharField(allow_blank=True)
    birth_date = serializers.DateField(allow_null=True)
    phone = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)


class DossierRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    procedure = serializers.CharField()
    agency = serializers.CharField()
    status = serializers.CharField(help_text="Tình trạng, bằng lời (tiếng Việt).")
    next_step = serializers.CharField(allow_blank=True)
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    tracking_url = serializers.CharField(
        help_text="Trang tra cứu công khai (liên kết ký)."
    )


class CitizenView(APIView):
    authentication_classes = [TwoFactorSessionAuthentication]
    permission_classes = [IsCitizen]


class MeView(CitizenView):
    @extend_schema(
        operation_id="citizen_me",
        summary="Tài khoản công dân đang đăng nhập",
        responses=CitizenSerializer,
        tags=["citizen"],
    )
    def get(self, request: Request) -> Response:
        citizen = current_citizen(request._request)
        assert citizen is not None
        facts = profile_facts(citizen)
        data = {
            **facts,
            "verified_by": citizen.verified_by,
            "verified_by_label": facts["verified_by"],
        }
        return Response(CitizenSerializer(data).data)


class DossiersView(CitizenView):
    @extend_schema(
        operation_id="citizen_dossiers",
        summary="Hồ sơ của tôi",
        description=(
            "Mọi hồ sơ của công dân đang đăng nhập, ở mọi cơ quan, mới nhất trước."
        ),
        responses=DossierRowSerializer(many=True),
        tags=["citizen"],
    )
    def get(self, request: Request) -> Response:
        citizen = current_citizen(request._request)
        assert citizen is not None
        listed = dossier_rows(
            request._request, citizen, detail="api/citizen/dossiers", what="api_list"
        )
        data = [
            {
                **row.__dict__,
                "tracking_url": request.build_absolute_uri(row.tracking_path),
            }
            for row in listed
        ]
        return Response(DossierRowSerializer(data, many=True).data)
