"""``motcua integration_client create|update|issue|revoke|list|purge``.

* ``create NAME --agency CODE[:subtree] … --access read|read_write
  --group dossiers.read … [--rate-limit N]``: a client and its technical user;
* ``update NAME`` with the same options: replace its scopes (given ones only);
* ``issue NAME [--days N]``: a new credential, printed once (the others stay
  live, for a rotation with an overlap);
* ``revoke NAME`` (the whole client) or ``revoke --credential PREFIX``;
* ``list``: clients, scopes, live credentials, last use;
* ``purge [--days N]``: delete request-log rows older than N days
  (``MOTCUA_CLIENT_LOG_DAYS``, 90 by default).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core import clock
from motcua.core.dates import vn_date_time
from motcua.core.errors import DomainError
from motcua.deadlines.services import get_agency

from ... import selectors, services
from ...models import Client
from ...scopes import GROUPS


def _scopes(values: list[str]) -> list[services.Scope]:
    scopes = []
    for value in values:
        code, _, flag = value.partition(":")
        if flag not in ("", "subtree"):
            raise CommandError(f"«{value}»: viết MÃ hoặc MÃ:subtree.")
        try:
            agency = get_agency(code)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        scopes.append(services.Scope(agency, covers_subtree=flag == "subtree"))
    return scopes


def _client(name: str) -> Client:
    client = selectors.client_by_name(name)
    if client is None:
        raise CommandError(f"Không có hệ thống tích hợp «{name}».")
    return client


class Command(BaseCommand):
    help = "Quản lý hệ thống tích hợp: tạo, cấp khóa, thu hồi, liệt kê, xóa nhật ký."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "operation",
            choices=["create", "update", "issue", "revoke", "list", "purge"],
        )
        parser.add_argument("name", nargs="?", default="", help="Tên hệ thống.")
        parser.add_argument("--description", default="")
        parser.add_argument(
            "--agency",
            action="append",
            default=[],
            help="Mã cơ quan (thêm :subtree để xem cả đơn vị trực thuộc); lặp lại.",
        )
        parser.add_argument("--access", choices=Client.Access.values, default=None)
        parser.add_argument(
            "--group", action="append", default=[], choices=list(GROUPS)
        )
        parser.add_argument("--rate-limit", type=int, default=None)
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--credential", default="", help="Đầu khóa cần thu hồi.")

    def handle(self, *args: Any, operation: str, **options: Any) -> None:
        try:
            getattr(self, f"_{operation}")(**options)
        except DomainError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from exc

    def _create(self, *, name: str, **o: Any) -> None:
        client = services.client_create(
            name=name,
            description=o["description"],
            access=o["access"] or Client.Access.READ,
            endpoint_groups=o["group"],
            scopes=_scopes(o["agency"]),
            rate_limit=o["rate_limit"] or 120,
        )
        self.stdout.write(f"Đã tạo «{client.name}» (tài khoản {client.user.username}).")

    def _update(self, *, name: str, **o: Any) -> None:
        client = services.client_update(
            _client(name),
            access=o["access"],
            endpoint_groups=o["group"] or None,
            rate_limit=o["rate_limit"],
            scopes=_scopes(o["agency"]) if o["agency"] else None,
        )
        self.stdout.write(f"Đã cập nhật «{client.name}».")

    def _issue(self, *, name: str, **o: Any) -> None:
        issued = services.credential_issue(_client(name), days=o["days"])
        self.stdout.write(issued.key)
        self.stderr.write(
            f"Hết hạn: {vn_date_time(issued.credential.expires_at)}. "
            "Khóa chỉ hiện một lần; hãy chuyển ngay cho hệ thống tích hợp."
        )

    def _revoke(self, *, name: str, **o: Any) -> None:
        if o["credential"]:
            credential = selectors.credential_by_prefix(o["credential"])
            if credential is None or (name and credential.client.name != name):
                raise CommandError(f"Không có khóa «{o['credential']}».")
            services.credential_revoke(credential)
            self.stdout.write(f"Đã thu hồi khóa {credential.prefix}….")
            return
        client = _client(name)
        services.client_revoke(client)
        self.stdout.write(f"Đã thu hồi «{client.name}» và mọi khóa của hệ thống này.")

    def _list(self, **o: Any) -> None:
        now = clock.now()
        for client in selectors.clients():
            state = "đang hoạt động" if client.is_active else "đã thu hồi"
            scopes = ", ".join(
                s.agency.code + (":subtree" if s.covers_subtree else "")
                for s in client.agency_scopes.all()
            )
            last = selectors.last_used_at(client)
            self.stdout.write(
                f"{client.name} [{state}] {client.access} "
                f"{' '.join(client.endpoint_groups)} | {scopes} | "
                f"{client.rate_limit}/phút | dùng lần cuối: "
                f"{vn_date_time(last) if last else '—'}"
            )
            for credential in client.credentials.all():
                live = credential.revoked_at is None and credential.expires_at > now
                state = "còn hiệu lực" if live else "hết hiệu lực"
                self.stdout.write(
                    f"  {credential.prefix}… {state}, "
                    f"hết hạn {vn_date_time(credential.expires_at)}"
                )

    def _purge(self, **o: Any) -> None:
        days = o["days"] if o["days"] is not None else selectors.log_days()
        deleted = services.requests_purge(days)
        self.stdout.write(f"Đã xóa {deleted} dòng nhật ký cũ hơn {days} ngày.")
