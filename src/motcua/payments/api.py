"""Payments API (thin, public, in the OpenAPI schema).

``GET /api/v1/payments/ipn/<provider>/``: the gateway's server-to-server
notification (IPN). It needs no account: the signature is the proof. The
answer is always HTTP 200 with the gateway's own body (``{"RspCode",
"Message"}`` for VNPay) so the gateway knows whether to send it again.

``GET /api/v1/payments/<token>/``: what the holder of a dossier's tracking
token may know about its fees — amount, payment status, the orders' states
and the receipt's address. No personal data.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.api import ErrorSerializer, error_response
from motcua.portal.qr import dossier_for_token

from . import selectors, services
from .models import PaymentOrder


class IpnAnswerSerializer(serializers.Serializer):
    RspCode = serializers.CharField(help_text="00, 01, 02, 04, 97 hoặc 99")
    Message = serializers.CharField()


class OrderSerializer(serializers.Serializer):
    reference = serializers.CharField()
    provider = serializers.CharField()
    amount = serializers.IntegerField(help_text="đồng")
    state = serializers.ChoiceField(choices=PaymentOrder.State.choices)
    applied = serializers.BooleanField(
        help_text="đã ghi nhận vào hồ sơ (sai: bộ phận một cửa đối chiếu)"
    )
    transaction_no = serializers.CharField()
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)


class PaymentStatusSerializer(serializers.Serializer):
    dossier_code = serializers.CharField()
    status = serializers.CharField(help_text="trạng thái hồ sơ")
    fee_amount = serializers.IntegerField(help_text="số tiền phải nộp (đồng)")
    payment_status = serializers.CharField(help_text="not_required, unpaid, paid")
    payable_online = serializers.BooleanField()
    pay_url = serializers.CharField()
    receipt_url = serializers.CharField(allow_null=True)
    orders = OrderSerializer(many=True)


class IpnView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="payments_ipn",
        summary="Thông báo kết quả thanh toán từ cổng (IPN)",
        parameters=[
            OpenApiParameter(
                "provider",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Tên cổng thanh toán đã cấu hình, ví dụ vnpay.",
            ),
            OpenApiParameter(
                "vnp_*",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                description="Các trường cổng thanh toán gửi, có chữ ký vnp_SecureHash",
            ),
        ],
        responses={200: IpnAnswerSerializer, 404: ErrorSerializer},
        tags=["payments"],
    )
    def get(self, request: Request, provider: str) -> Response:
        params = {k: str(v) for k, v in request.query_params.items()}
        taken = services.callback_receive(provider[:32], params, channel="ipn")
        if taken is None:
            return error_response(
                "payment.unknown_provider", "Không có cổng thanh toán này.", 404
            )
        return Response(taken.answer)


class StatusView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="payments_status",
        summary="Tình trạng nộp phí của hồ sơ theo mã tra cứu (token của mã QR)",
        parameters=[
            OpenApiParameter(
                "token",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Mã tra cứu của hồ sơ (trong mã QR thanh toán).",
            )
        ],
        responses={200: PaymentStatusSerializer, 404: ErrorSerializer},
        tags=["payments"],
    )
    def get(self, request: Request, token: str) -> Response:
        dossier = dossier_for_token(token[:200])
        if dossier is None:
            return error_response("payment.not_found", "Không tìm thấy hồ sơ.", 404)
        receipt = selectors.receipt_order(dossier)
        data = {
            "dossier_code": dossier.code,
            "status": dossier.status,
            "fee_amount": dossier.fee_amount,
            "payment_status": dossier.payment_status,
            "payable_online": services.payable_refusal(dossier) is None,
            "pay_url": reverse("payments:pay", kwargs={"token": token}),
            "receipt_url": (
                reverse("payments:receipt", kwargs={"token": token})
                if receipt
                else None
            ),
            "orders": [
                {
                    "reference": o.reference,
                    "provider": o.provider,
                    "amount": o.amount,
                    "state": o.state,
                    "applied": o.applied,
                    "transaction_no": o.transaction_no,
                    "created_at": o.created_at,
                    "paid_at": o.paid_at,
                }
                for o in selectors.orders_of(dossier)[:20]
            ],
        }
        response = Response(PaymentStatusSerializer(data).data)
        response["Cache-Control"] = "no-store"
        return response
