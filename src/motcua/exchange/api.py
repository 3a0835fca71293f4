"""The exchange endpoints (docs/exchange.md): a peer's signed requests.

Each request is authenticated by its signature alone (no session, no token):
the key id names the peer, the HMAC proves the secret, the timestamp must be
fresh. Then, in one transaction, the idempotency key decides: first seen — the
request is carried out and its answer kept; seen with the same body and a newer
signature — the kept answer again, nothing done twice; seen with another body —
409; a signature not newer than the last accepted one — a replay, 401.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core import clock
from motcua.core.api import ErrorSerializer
from motcua.core.errors import Conflict, DomainError

from . import inbound, signing
from .models import Peer, ReceivedRequest
from .serializers import (
    ExchangeCancelAnswerSerializer,
    ExchangeCancelSerializer,
    ExchangeTransferAnswerSerializer,
    ExchangeTransferSerializer,
    ExchangeUpdateAnswerSerializer,
    ExchangeUpdateSerializer,
)

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024 * 1024  # the package carries its scans (base64)

Handler = Callable[[Peer, dict[str, Any]], dict[str, Any]]


class TooLarge(DomainError):
    status = 413


class InProgress(DomainError):
    status = 425


def _raw_body(request: Request) -> bytes:
    django_request = request._request
    if hasattr(django_request, "_body"):
        return bytes(django_request._body)
    length = int(django_request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY_BYTES:
        raise TooLarge("exchange.too_large", _("Yêu cầu liên thông quá lớn."))
    return django_request.read(MAX_BODY_BYTES + 1)[:MAX_BODY_BYTES]


def _peer(signed: signing.Signed) -> Peer:
    peer = (
        Peer.objects.select_related("account")
        .filter(key_id=signed.key_id, is_active=True)
        .first()
    )
    if peer is None:
        raise signing.Refused(
            "exchange.unknown_key", _("Mã khóa không thuộc hệ thống liên thông nào.")
        )
    return peer


def _parse(raw: bytes, serializer_class: type[drf_serializers.Serializer]) -> Any:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DomainError(
            "request.invalid_json", _("Dữ liệu JSON gửi lên không hợp lệ.")
        ) from None
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def handle_signed(
    request: Request,
    serializer_class: type[drf_serializers.Serializer],
    handler: Handler,
    created: int,
) -> Response:
    raw = _raw_body(request)
    signed = signing.read({k: v for k, v in request.headers.items()})
    peer = _peer(signed)
    signing.verify(
        signed,
        secret=peer.secret,
        method=request.method or "",
        path=request.path,
        body=raw,
        now=int(clock.now().timestamp()),
    )
    digest = signing.body_hash(raw)
    try:
        with transaction.atomic():
            kept = (
                ReceivedRequest.objects.select_for_update()
                .filter(peer=peer, key=signed.key)
                .first()
            )
            if kept is not None:
                return _again(kept, signed, digest)
            answer = handler(peer, _parse(raw, serializer_class))
            ReceivedRequest.objects.create(
                peer=peer,
                key=signed.key,
                body_sha256=digest,
                signed_at=signed.timestamp,
                status=created,
                answer=answer,
                created_at=clock.now(),
            )
    except IntegrityError:  # the same key at the same instant, from a retry
        raise InProgress(
            "exchange.in_progress",
            _("Yêu cầu cùng khóa chống trùng lặp đang được xử lý; hãy gửi lại sau."),
        ) from None
    log.info("exchange.request peer=%s status=%s", peer.code, created)
    return Response(answer, status=created)


def _again(kept: ReceivedRequest, signed: signing.Signed, digest: str) -> Response:
    if signed.timestamp <= kept.signed_at:
        raise signing.Refused(
            "exchange.replayed",
            _("Yêu cầu này đã được nhận (gửi lại phải ký lại với thời điểm mới)."),
        )
    if kept.body_sha256 != digest:
        raise Conflict(
            "exchange.idempotency_mismatch",
            _("Khóa chống trùng lặp đã dùng cho một nội dung khác."),
        )
    kept.signed_at = signed.timestamp
    kept.save(update_fields=["signed_at"])
    return Response(kept.answer, status=200)


_SIGNED_HEADERS = [
    OpenApiParameter(
        signing.KEY_HEADER, str, OpenApiParameter.HEADER, True,
        "Mã khóa của cặp hệ thống liên thông.",
    ),
    OpenApiParameter(
        signing.TIMESTAMP_HEADER, int, OpenApiParameter.HEADER, True,
        "Thời điểm ký (giây Unix); lệch quá 300 giây bị từ chối.",
    ),
    OpenApiParameter(
        signing.IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER, True,
        "Khóa chống trùng lặp: gửi lại cùng khóa không tạo thêm hồ sơ.",
    ),
    OpenApiParameter(
        signing.SIGNATURE_HEADER, str, OpenApiParameter.HEADER, True,
        "v1=<HMAC-SHA256 hex> (docs/exchange.md).",
    ),
]  # fmt: skip
_ERRORS = {
    code: OpenApiResponse(ErrorSerializer, description=text)
    for code, text in {
        400: "Nội dung không hợp lệ (code invalid, có fields).",
        401: "Chữ ký thiếu, sai, quá hạn hoặc yêu cầu bị phát lại.",
        403: "Hệ thống gửi không có quyền tại cơ quan nhận.",
        404: "Không có cơ quan, thủ tục hoặc hồ sơ liên thông được nêu.",
        409: "Khóa chống trùng lặp dùng cho nội dung khác, hoặc hồ sơ đã kết thúc.",
        413: "Yêu cầu quá lớn.",
        425: "Yêu cầu cùng khóa đang được xử lý; gửi lại sau.",
    }.items()
}


class _SignedView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    # Declared for the schema only: the raw body is read and verified first
    # (``_raw_body``), ``request.data`` is never used.
    parser_classes = [JSONParser]


class TransferView(_SignedView):
    @extend_schema(
        operation_id="exchange_transfer_receive",
        summary="Nhận một bước hồ sơ liên thông",
        description=(
            "Hệ thống khác giao một bước xử lý của hồ sơ cho cơ quan tại đây, kèm "
            "các tệp. 201: đã tiếp nhận; 200: gửi lại cùng khóa, trả lời như lần đầu."
        ),
        tags=["exchange"],
        parameters=_SIGNED_HEADERS,
        request=ExchangeTransferSerializer,
        responses={
            201: ExchangeTransferAnswerSerializer,
            200: ExchangeTransferAnswerSerializer,
            **_ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        return handle_signed(
            request, ExchangeTransferSerializer, inbound.transfer_receive, 201
        )


class UpdateView(_SignedView):
    @extend_schema(
        operation_id="exchange_transfer_update",
        summary="Nhận trạng thái hoặc kết quả của bước đã gửi liên thông",
        description=(
            "Hệ thống nhận liên thông báo trạng thái (type=status) hoặc kết quả "
            "kèm tệp (type=result) của bước đã được giao."
        ),
        tags=["exchange"],
        parameters=[
            OpenApiParameter(
                "transfer_id",
                str,
                OpenApiParameter.PATH,
                description="Mã liên thông (UUID) do hệ thống gửi đặt.",
            ),
            *_SIGNED_HEADERS,
        ],
        request=ExchangeUpdateSerializer,
        responses={200: ExchangeUpdateAnswerSerializer, **_ERRORS},
    )
    def post(self, request: Request, transfer_id: str) -> Response:
        def record(peer: Peer, data: dict[str, Any]) -> dict[str, Any]:
            return inbound.transfer_record_update(peer, transfer_id, data)

        return handle_signed(request, ExchangeUpdateSerializer, record, 200)


class CancelView(_SignedView):
    @extend_schema(
        operation_id="exchange_transfer_cancel",
        summary="Hủy bước đã giao liên thông",
        description=(
            "Hệ thống gửi không còn cần bước đã giao (hồ sơ đã rút, dừng…): hồ sơ "
            "tương ứng tại đây được rút, trừ khi đã kết thúc."
        ),
        tags=["exchange"],
        parameters=[
            OpenApiParameter(
                "transfer_id",
                str,
                OpenApiParameter.PATH,
                description="Mã liên thông (UUID) do hệ thống gửi đặt.",
            ),
            *_SIGNED_HEADERS,
        ],
        request=ExchangeCancelSerializer,
        responses={200: ExchangeCancelAnswerSerializer, **_ERRORS},
    )
    def post(self, request: Request, transfer_id: str) -> Response:
        def cancel(peer: Peer, data: dict[str, Any]) -> dict[str, Any]:
            return inbound.transfer_cancel(peer, transfer_id, data)

        return handle_signed(request, ExchangeCancelSerializer, cancel, 200)
