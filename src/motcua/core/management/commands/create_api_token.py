"""``motcua create_api_token USERNAME --client NAME``: issue an API key for an
integration client that acts as ``USERNAME``.

The key is printed once (only its hash is kept) and goes in
``Authorization: Bearer <key>``. It expires after ``--days`` (default
``MOTCUA_API_TOKEN_DAYS``); ``--reset`` first revokes the keys already issued
to that client for that account. Keys are listed and revoked in the admin site
(Khóa API).

Deprecated for integrations (ADR 0021): an integration client
(``motcua integration_client``) has its own scopes, rate limit and request log
instead of a person's account. The command keeps working and says so.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core import clock
from motcua.core.dates import vn_date_time
from motcua.core.errors import DomainError

DEPRECATION = (
    "Lưu ý: create_api_token --client sẽ bị bỏ; hãy tạo hệ thống tích hợp "
    "bằng «motcua integration_client create» rồi «motcua integration_client "
    "issue» (phạm vi cơ quan, giới hạn tần suất, nhật ký yêu cầu — docs/api.md)."
)


class Command(BaseCommand):
    help = (
        "Cấp khóa API (Bearer) cho một hệ thống tích hợp, dùng tài khoản đã "
        "cho; khóa chỉ in ra một lần."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Tên đăng nhập")
        parser.add_argument(
            "--client", required=True, help="Tên hệ thống tích hợp dùng khóa."
        )
        parser.add_argument("--name", default="", help="Tên gợi nhớ của khóa.")
        parser.add_argument(
            "--days", type=int, default=None, help="Số ngày hiệu lực (mặc định 90)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Thu hồi các khóa đã cấp cho hệ thống này trước khi cấp khóa mới.",
        )

    def handle(
        self,
        *args: Any,
        username: str,
        client: str,
        name: str,
        days: int | None,
        reset: bool,
        **options: Any,
    ) -> None:
        from motcua.security import tokens, twofactor
        from motcua.security.models import ApiToken

        self.stderr.write(DEPRECATION)

        user_model = get_user_model()
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist as exc:
            raise CommandError(f"Không có tài khoản «{username}».") from exc
        if not user.is_active:
            raise CommandError(f"Tài khoản «{username}» đã bị khoá.")
        if twofactor.required_for(user) and not twofactor.has_totp(user):
            raise CommandError(
                f"Tài khoản «{username}» phải bật xác thực 2 lớp trước khi dùng "
                "API; nên dùng một tài khoản riêng cho hệ thống tích hợp."
            )
        if days is not None and not 1 <= days <= 3650:
            raise CommandError("Số ngày hiệu lực phải từ 1 đến 3650.")
        if not client.strip():
            raise CommandError("Cần tên hệ thống tích hợp (--client).")
        if reset:
            for token in ApiToken.objects.filter(
                user=user, client=client.strip(), revoked_at__isnull=True
            ):
                tokens.token_revoke(token)
        try:
            issued = tokens.token_issue(
                user,
                name=name or client,
                client=client,
                created_by=None,
                lifetime=timedelta(days=days) if days else None,
                now=clock.now(),
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(issued.key)
        self.stderr.write(
            f"Hết hạn: {vn_date_time(issued.token.expires_at)}. "
            "Khóa chỉ hiện một lần; hãy lưu vào nơi an toàn."
        )
