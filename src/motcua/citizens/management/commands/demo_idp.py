"""``motcua demo_idp``: the demo's "VNeID thử" OpenID Connect provider.

Listens on 127.0.0.1 (``--port``, default 8098) until stopped. MotCua signs in
with it when started with ``MOTCUA_OIDC_SERVER_URL=http://127.0.0.1:8098``,
``MOTCUA_OIDC_CLIENT_ID=motcua-demo`` and ``MOTCUA_OIDC_CLIENT_SECRET=demo-secret``
(docs/admin-identity.md). Anyone can be anyone here: never outside a demo.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.citizens.devidp import IdentityProvider, IdentityServer


class Command(BaseCommand):
    help = "Nhà cung cấp định danh thử (OpenID Connect) cho bản trình diễn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8098)
        parser.add_argument("--client-id", default="motcua-demo")
        parser.add_argument("--client-secret", default="demo-secret")
        parser.add_argument(
            "--redirect-uri",
            action="append",
            default=[],
            help="Địa chỉ quay về được phép (lặp lại được); mặc định: mọi địa chỉ "
            "http(s) trên 127.0.0.1 hoặc localhost.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        provider = IdentityProvider(
            client_id=options["client_id"],
            client_secret=options["client_secret"],
            redirect_uris=tuple(options["redirect_uri"]),
        )
        server = IdentityServer(provider, options["port"], out=self.stdout)
        self.stdout.write(f"demo_idp: {server.url} (client {provider.client_id})")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
