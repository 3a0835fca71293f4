"""Satisfaction API (thin): the kiosk's votes and the online rating, both
idempotent by the client's id of the answer; in the OpenAPI schema.

Kiosk endpoints are authenticated by the tablet's kiosk credential (cookie
``motcua_kiosk``, set on the kiosk set-up page) and, being cookie-based, check
the CSRF token like a session. The online rating needs no account: the
dossier's tracking token is the proof. Errors are ``{"code", "message",
"fields"}``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication, CSRFCheck
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.api import ErrorSerializer, error_response
from motcua.core.errors import DomainError

from . import kiosks, online
from .models import Kiosk, Rating

# The request field a domain error is about (for ``fields``).
ERROR_FIELDS = {
    "rating.invalid_level": "level",
    "rating.invalid_answer": "answers",
    "rating.invalid_points": "answers",
    "rating.invalid_reason": "reasons",
    "rating.reason_required": "reasons",
    "rating.invalid_phone": "contact_phone",
    "rating.invalid_client_id": "client_id",
    "rating.client_id_taken": "client_id",
    "rating.too_old": "cast_at",
    "kiosk.unknown_receipt": "dossier_token",
    "rating.unknown_dossier": "token",
}


def domain_error(exc: DomainError) -> Response:
    field = ERROR_FIELDS.get(exc.code)
    response = error_response(
        exc.code,
        exc.message,
        exc.status,
        fields={field: [exc.message]} if field else {},
    )
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


# ------------------------------------------------------------ kiosk auth
class KioskAuthentication(BaseAuthentication):
    """The tablet's kiosk credential; the CSRF token is checked as for a
    session (the credential is a cookie the browser sends by itself)."""

    def authenticate(self, request: Request) -> tuple[Any, Kiosk] | None:
        kiosk = kiosks.kiosk_from_credential(request.COOKIES.get(kiosks.COOKIE))
        if kiosk is None:
            return None
        check = CSRFCheck(lambda req: None)  # type: ignore[arg-type]
        check.process_request(request)
        reason = check.process_view(request, None, (), {})  # type: ignore[arg-type]
        if reason:
            raise PermissionDenied(f"CSRF: {reason}")
        return AnonymousUser(), kiosk


class KioskCookieScheme(OpenApiAuthenticationExtension):
    target_class = "motcua.evaluation.api.KioskAuthentication"
    name = "kioskAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": kiosks.COOKIE}


class IsKiosk(BasePermission):
    message = "Thiết bị chưa được cài đặt làm máy đánh giá."

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, Kiosk)


class KioskView(APIView):
    authentication_classes = [KioskAuthentication]
    permission_classes = [IsKiosk]

    @property
    def kiosk(self) -> Kiosk:
        assert isinstance(self.request.auth, Kiosk)
        return self.request.auth


# ------------------------------------------------------------ serializers
class DossierCardSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="mã tra cứu của hồ sơ (mã QR)")
    code = serializers.CharField(help_text="mã hồ sơ")
    procedure = serializers.CharField(help_text="tên thủ tục")


class KioskStateSerializer(serializers.Serializer):
    counter = serializers.CharField(help_text="tên quầy")
    officer = serializers.CharField(help_text="cán bộ đang làm việc tại quầy")
    dossier = DossierCardSerializer(
        allow_null=True, help_text="hồ sơ được mời đánh giá"
    )


class ScanSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=300, help_text="nội dung mã QR trên phiếu hẹn (đường dẫn tra cứu)"
    )


class KioskVoteSerializer(serializers.Serializer):
    client_id = serializers.CharField(
        max_length=64, help_text="mã phiếu do thiết bị sinh; gửi lại không tính hai lần"
    )
    level = serializers.ChoiceField(choices=Rating.Level.choices)
    cast_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="lúc người dân bấm (phiếu gửi chậm)"
    )
    dossier_token = serializers.CharField(
        required=False, allow_blank=True, max_length=300, default=""
    )
    answers = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=20),
        required=False,
        default=dict,
        help_text="mã câu hỏi → số thứ tự câu trả lời (từ 0)",
    )


class OnlineRatingSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200, help_text="mã tra cứu của hồ sơ")
    client_id = serializers.CharField(max_length=64)
    level = serializers.ChoiceField(choices=Rating.Level.choices)
    answers = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=20),
        required=False,
        default=dict,
    )
    reasons = serializers.ListField(
        child=serializers.CharField(max_length=32),
        required=False,
        default=list,
        max_length=20,
        help_text="mã lý do không hài lòng",
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=""
    )
    may_contact = serializers.BooleanField(required=False, default=False)
    contact_phone = serializers.CharField(
        required=False, allow_blank=True, max_length=20, default=""
    )


class RatingResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    state = serializers.ChoiceField(
        choices=Rating.State.choices, help_text="held: bất thường, chờ xem xét"
    )
    at = serializers.DateTimeField()
    created = serializers.BooleanField(help_text="sai: phiếu đã nhận trước đó")
    follow_up = serializers.BooleanField(help_text="đã mở mục theo dõi cho lãnh đạo")


def _result(rating: Rating, created: bool) -> Response:
    data = {
        "id": rating.pk,
        "level": rating.level,
        "source": rating.source,
        "state": rating.state,
        "at": rating.at,
        "created": created,
        "follow_up": hasattr(rating, "follow_up"),
    }
    return Response(
        RatingResultSerializer(data).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


ERRORS = {
    400: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
    409: ErrorSerializer,
}


# ------------------------------------------------------------------ views
class KioskStateView(KioskView):
    @extend_schema(
        operation_id="satisfaction_kiosk_state",
        summary="Trạng thái máy đánh giá: cán bộ tại quầy, hồ sơ được mời đánh giá",
        responses={200: KioskStateSerializer, 403: ErrorSerializer},
        tags=["satisfaction"],
    )
    def get(self, request: Request) -> Response:
        response = Response(KioskStateSerializer(kiosks.kiosk_state(self.kiosk)).data)
        response["Cache-Control"] = "no-store"
        return response


class KioskScanView(KioskView):
    @extend_schema(
        operation_id="satisfaction_kiosk_scan",
        summary="Người dân quét mã QR trên phiếu hẹn tại máy đánh giá",
        request=ScanSerializer,
        responses={200: DossierCardSerializer, **ERRORS},
        tags=["satisfaction"],
    )
    def post(self, request: Request) -> Response:
        data = ScanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            dossier = kiosks.dossier_from_scan(self.kiosk, data.validated_data["text"])
        except DomainError as exc:
            return domain_error(exc)
        return Response(DossierCardSerializer(kiosks.dossier_card(dossier)).data)


class KioskVoteView(KioskView):
    @extend_schema(
        operation_id="satisfaction_kiosk_vote",
        summary="Gửi một phiếu đánh giá từ máy tại quầy (gửi lại không tính hai lần)",
        request=KioskVoteSerializer,
        responses={
            200: RatingResultSerializer,
            201: RatingResultSerializer,
            **ERRORS,
            429: ErrorSerializer,
        },
        tags=["satisfaction"],
    )
    def post(self, request: Request) -> Response:
        data = KioskVoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        vote = kiosks.Vote(
            client_id=v["client_id"],
            level=v["level"],
            at=v.get("cast_at"),
            token=v["dossier_token"],
            answers=v["answers"],
        )
        try:
            rating, created = kiosks.kiosk_vote(self.kiosk, vote)
        except DomainError as exc:
            return domain_error(exc)
        return _result(rating, created)


class OnlineRatingView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="satisfaction_online_rating",
        summary="Đánh giá trực tuyến hồ sơ đã trả kết quả (theo mã tra cứu)",
        request=OnlineRatingSerializer,
        responses={200: RatingResultSerializer, 201: RatingResultSerializer, **ERRORS},
        tags=["satisfaction"],
    )
    def post(self, request: Request) -> Response:
        data = OnlineRatingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        answer = online.OnlineAnswer(
            level=v["level"],
            answers=v["answers"],
            reasons=tuple(v["reasons"]),
            comment=v["comment"],
            may_contact=v["may_contact"],
            contact_phone=v["contact_phone"],
            client_id=v["client_id"],
        )
        try:
            rating, created = online.online_rate(v["token"], answer)
        except DomainError as exc:
            return domain_error(exc)
        return _result(rating, created)
