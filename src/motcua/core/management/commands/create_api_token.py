"""``motcua create_api_token USERNAME``: print the user's API token.

The token goes in ``Authorization: Bearer <token>``. Made when missing;
``--reset`` replaces it (the old one stops working at once).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "In mã truy cập API (Bearer) của một tài khoản; tạo mới nếu chưa có."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Tên đăng nhập")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Thu hồi mã cũ và cấp mã mới.",
        )

    def handle(self, *args: Any, username: str, reset: bool, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist as exc:
            raise CommandError(f"Không có tài khoản «{username}».") from exc
        if not user.is_active:
            raise CommandError(f"Tài khoản «{username}» đã bị khoá.")
        if reset:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
