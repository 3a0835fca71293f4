"""``motcua demo_payment_gateway --port 8098``: the fake VNPay-style gateway
(:mod:`motcua.payments.fakegateway`) for the demo, with the merchant code and
secret of this installation's settings (``MOTCUA_VNPAY_TMN_CODE``,
``MOTCUA_VNPAY_HASH_SECRET``) and the IPN URL of the local site."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.payments import conf
from motcua.payments.fakegateway import RESPONSES, FakeGateway


class Command(BaseCommand):
    help = (
        "Cổng thanh toán giả (kiểu VNPay) cho bản trình diễn: trang thanh toán, "
        "gọi IPN và chuyển người dùng về trang kết quả, tại 127.0.0.1."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--port", type=int, default=8098, help="Cổng lắng nghe (mặc định 8098)."
        )
        parser.add_argument(
            "--ipn-url",
            default="http://127.0.0.1:8000/api/v1/payments/ipn/vnpay/",
            help="Địa chỉ IPN của hệ thống (mặc định của bản trình diễn).",
        )
        parser.add_argument(
            "--outcome",
            choices=["", *sorted(set(RESPONSES) - {"pay"})],
            default="",
            help="Buộc mọi giao dịch thất bại (fail) hoặc bị hủy (cancel).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tmn_code = conf.get("MOTCUA_VNPAY_TMN_CODE")
        secret = conf.get("MOTCUA_VNPAY_HASH_SECRET")
        if not tmn_code or not secret:
            raise CommandError(
                "Cần đặt MOTCUA_VNPAY_TMN_CODE và MOTCUA_VNPAY_HASH_SECRET "
                "(giống cấu hình của hệ thống)."
            )
        try:
            server = FakeGateway(
                options["port"],
                tmn_code=tmn_code,
                secret=secret,
                ipn_url=options["ipn_url"],
                outcome=options["outcome"],
                out=self.stdout,
            )
        except OSError as exc:
            raise CommandError(
                f"Không mở được cổng {options['port']} trên 127.0.0.1: {exc}"
            ) from None
        server.say(f"listening on {server.url}/paymentv2/vpcpay.html")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
