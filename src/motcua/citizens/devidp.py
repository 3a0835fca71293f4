"""A small OpenID Connect provider for the demo and the tests ("VNeID thử").

It plays the national identity provider: a citizen picks one of a few demo
people (fixed identities), consents, and comes back to MotCua with an
authorization code. It implements what allauth's OpenID Connect client uses:

* discovery (``/.well-known/openid-configuration``) and a JWKS (``/jwks``)
  with an RSA key made with ``cryptography`` at start;
* the authorization-code flow (``/authorize``): the client and its redirect
  URI are checked, ``state`` and ``nonce`` are returned as given, PKCE
  (``S256``) is enforced when the client sent a challenge — and required with
  ``require_pkce=True``;
* the token endpoint (``/token``, client secret by POST or HTTP Basic): a code
  is used once, expires after a minute and must come with the same redirect
  URI and the PKCE verifier; the answer carries an RS256 ID token (``iss``,
  ``sub``, ``aud``, ``exp``, ``iat``, ``nonce``, the identity claims);
* userinfo (``/userinfo``, Bearer access token).

Claims: ``sub``, ``identity_number`` (số định danh cá nhân), ``name``,
``birthdate`` (YYYY-MM-DD), ``phone_number``, ``email`` — the claim name of the
identity number can be changed (``identity_claim``) to test MotCua's mapping.

It listens on 127.0.0.1 only, keeps everything in memory and logs no personal
data. Never use it outside a demo or a test: anyone can be anyone here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CODE_SECONDS = 60
TOKEN_SECONDS = 600
MAX_BODY = 16 * 1024


@dataclass(frozen=True)
class DemoPerson:
    sub: str
    identity_number: str
    name: str
    birthdate: str  # YYYY-MM-DD
    phone_number: str
    email: str = ""


DEMO_PEOPLE = (
    DemoPerson("demo-an", "001090012345", "Nguyễn Văn An", "1990-05-12", "0905123456"),
    DemoPerson(
        "demo-binh",
        "048185000123",
        "Trần Thị Bình",
        "1985-11-02",
        "0912345678",
        "binh@example.vn",
    ),
    DemoPerson(
        "demo-cuong", "079201004567", "Lê Hoàng Cường", "2001-01-30", "0987654321"
    ),
)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_bytes(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


@dataclass
class Grant:
    person: DemoPerson
    client_id: str
    redirect_uri: str
    nonce: str
    challenge: str
    expires: float
    scope: str


@dataclass
class IdentityProvider:
    """The provider's state: clients, people, codes, tokens and its key."""

    client_id: str = "motcua-demo"
    client_secret: str = "demo-secret"
    redirect_uris: tuple[str, ...] = ()  # empty: any http(s) URI on this host
    people: tuple[DemoPerson, ...] = DEMO_PEOPLE
    identity_claim: str = "identity_number"
    require_pkce: bool = False
    issuer: str = ""
    grants: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, tuple[DemoPerson, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(65537, 2048)
    )
    seen: list[dict[str, str]] = field(default_factory=list)  # authorize requests

    @property
    def kid(self) -> str:
        numbers = self.key.public_key().public_numbers()
        return hashlib.sha256(_int_bytes(numbers.n)).hexdigest()[:16]

    def person(self, sub: str) -> DemoPerson | None:
        return next((p for p in self.people if p.sub == sub), None)

    def update_person(self, sub: str, **changes: Any) -> None:
        """Change what the provider asserts about ``sub`` (tests)."""
        self.people = tuple(
            replace(p, **changes) if p.sub == sub else p for p in self.people
        )

    # ----------------------------------------------------------- documents
    def discovery(self) -> dict[str, Any]:
        base = self.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "jwks_uri": f"{base}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "phone", "email"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_post",
                "client_secret_basic",
            ],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": [
                "sub",
                self.identity_claim,
                "name",
                "birthdate",
                "phone_number",
                "email",
            ],
        }

    def jwks(self) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": self.kid,
                    "n": b64url(_int_bytes(numbers.n)),
                    "e": b64url(_int_bytes(numbers.e)),
                }
            ]
        }

    def claims(self, person: DemoPerson) -> dict[str, Any]:
        found: dict[str, Any] = {
            "sub": person.sub,
            self.identity_claim: person.identity_number,
            "name": person.name,
            "birthdate": person.birthdate,
            "phone_number": person.phone_number,
        }
        if person.email:
            found["email"] = person.email
            found["email_verified"] = True
        return found

    def id_token(self, grant: Grant, now: float) -> str:
        payload = {
            "iss": self.issuer,
            "aud": grant.client_id,
            "iat": int(now),
            "exp": int(now) + TOKEN_SECONDS,
            "auth_time": int(now),
            **self.claims(grant.person),
        }
        if grant.nonce:
            payload["nonce"] = grant.nonce
        header = {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        signing_input = (
            b64url(json.dumps(header).encode())
            + "."
            + b64url(json.dumps(payload, ensure_ascii=False).encode())
        )
        signature = self.key.sign(
            signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
        return signing_input + "." + b64url(signature)

    # ----------------------------------------------------------- checks
    def redirect_allowed(self, uri: str) -> bool:
        if self.redirect_uris:
            return uri in self.redirect_uris
        parts = urlsplit(uri)
        return parts.scheme in {"http", "https"} and parts.hostname in {
            "127.0.0.1",
            "localhost",
        }

    def check_request(self, params: dict[str, str]) -> str:
        """'' when the authorization request may be shown, else the reason."""
        if params.get("client_id") != self.client_id:
            return "Ứng dụng không được đăng ký (client_id)."
        if not self.redirect_allowed(params.get("redirect_uri", "")):
            return "Địa chỉ quay về (redirect_uri) không được đăng ký."
        if params.get("response_type") != "code":
            return "Chỉ hỗ trợ response_type=code."
        if "openid" not in params.get("scope", "").split():
            return "Thiếu phạm vi openid."
        if params.get("code_challenge") and params.get("code_challenge_method") != (
            "S256"
        ):
            return "Chỉ hỗ trợ PKCE S256."
        if self.require_pkce and not params.get("code_challenge"):
            return "Thiếu PKCE (code_challenge)."
        return ""

    def issue_code(self, params: dict[str, str], person: DemoPerson) -> str:
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.grants[code] = Grant(
                person=person,
                client_id=params["client_id"],
                redirect_uri=params["redirect_uri"],
                nonce=params.get("nonce", ""),
                challenge=params.get("code_challenge", ""),
                expires=time.monotonic() + CODE_SECONDS,
                scope=params.get("scope", ""),
            )
        return code

    def client_ok(self, form: dict[str, str], authorization: str) -> bool:
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if authorization.startswith("Basic "):
            try:
                raw = base64.b64decode(authorization[6:]).decode()
            except (ValueError, UnicodeDecodeError):
                return False
            client_id, _, secret = raw.partition(":")
        return client_id == self.client_id and hmac.compare_digest(
            secret, self.client_secret
        )

    def exchange(self, form: dict[str, str], authorization: str) -> dict[str, Any]:
        """The token answer, or ``{"error": …}``."""
        if not self.client_ok(form, authorization):
            return {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return {"error": "unsupported_grant_type"}
        with self.lock:
            grant = self.grants.pop(form.get("code", ""), None)  # used once
        if grant is None or grant.expires < time.monotonic():
            return {"error": "invalid_grant"}
        if grant.redirect_uri != form.get("redirect_uri"):
            return {"error": "invalid_grant"}
        if grant.challenge:
            verifier = form.get("code_verifier", "").encode()
            expected = b64url(hashlib.sha256(verifier).digest())
            if not hmac.compare_digest(expected, grant.challenge):
                return {"error": "invalid_grant"}
        access = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[access] = (grant.person, time.monotonic() + TOKEN_SECONDS)
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": TOKEN_SECONDS,
            "scope": grant.scope,
            "id_token": self.id_token(grant, time.time()),
        }

    def userinfo(self, authorization: str) -> dict[str, Any] | None:
        token = authorization[7:] if authorization.startswith("Bearer ") else ""
        with self.lock:
            found = self.tokens.get(token)
        if found is None or found[1] < time.monotonic():
            return None
        person = self.person(found[0].sub) or found[0]
        return self.claims(person)


class IdentityServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, provider: IdentityProvider, port: int = 0, out: Any = None):
        self.provider = provider
        self.out = out
        super().__init__(("127.0.0.1", port), IdentityHandler)
        if not provider.issuer:
            provider.issuer = f"http://127.0.0.1:{self.server_address[1]}"
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return self.provider.issuer

    def say(self, line: str) -> None:
        if self.out is not None:
            self.out.write(line + "\n")
            self.out.flush()

    def start(self) -> IdentityServer:
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>VNeID thử nghiệm — đăng nhập</title>
<style>body{{font-family:sans-serif;margin:0 auto;max-width:32rem;padding:1rem;
line-height:1.5}}fieldset{{border:1px solid #888;padding:.75rem}}
label{{display:block;padding:.5rem 0}}button{{font-size:1rem;padding:.6rem 1rem;
margin:.75rem .5rem 0 0}}.note{{background:#fff4ce;padding:.5rem}}</style>
</head><body><main>
<h1>VNeID thử nghiệm</h1>
<p class="note">Nhà cung cấp định danh dùng cho bản trình diễn và kiểm thử: chọn
một công dân mẫu. Không dùng cho hệ thống thật.</p>
<form method="post" action="/authorize">
{hidden}
<fieldset><legend>Đăng nhập với tư cách</legend>
{people}
</fieldset>
<p>Ứng dụng <strong>{client}</strong> xin đọc: số định danh cá nhân, họ tên, ngày
sinh, số điện thoại.</p>
<button type="submit" name="decision" value="allow" id="consent">Đồng ý</button>
<button type="submit" name="decision" value="deny" id="deny">Từ chối</button>
</form></main></body></html>"""

PASSED = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
)


class IdentityHandler(BaseHTTPRequestHandler):
    server: IdentityServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        # the path only: a query may hold codes and states
        self.server.say(f"demo_idp {self.command} {self.path.split('?')[0]}")

    # ----------------------------------------------------------- answers
    def _send(
        self, status: int, body: bytes, content_type: str, **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict[str, Any], **headers: str) -> None:
        body = json.dumps(data, ensure_ascii=False).encode()
        self._send(status, body, "application/json; charset=utf-8", **headers)

    def _html(self, status: int, text: str) -> None:
        self._send(status, text.encode(), "text/html; charset=utf-8")

    def _redirect(self, uri: str, params: dict[str, str]) -> None:
        sep = "&" if "?" in uri else "?"
        target = uri + sep + urlencode({k: v for k, v in params.items() if v})
        self._send(302, b"", "text/plain", Location=target)

    def _form(self) -> dict[str, str]:
        length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
        raw = self.rfile.read(length).decode("utf-8", "replace")
        return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    # ----------------------------------------------------------- routes
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        provider = self.server.provider
        if parts.path == "/.well-known/openid-configuration":
            self._json(200, provider.discovery())
        elif parts.path == "/jwks":
            self._json(200, provider.jwks())
        elif parts.path == "/authorize":
            query = parse_qs(parts.query)
            self._authorize_page({k: v[0] for k, v in query.items()})
        elif parts.path == "/userinfo":
            claims = provider.userinfo(self.headers.get("Authorization", ""))
            if claims is None:
                self._json(401, {"error": "invalid_token"})
            else:
                self._json(200, claims)
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        form = self._form()
        if path == "/authorize":
            self._authorize_answer(form)
        elif path == "/token":
            answer = self.server.provider.exchange(
                form, self.headers.get("Authorization", "")
            )
            self._json(400 if "error" in answer else 200, answer)
        else:
            self._json(404, {"error": "not_found"})

    def _authorize_page(self, params: dict[str, str]) -> None:
        provider = self.server.provider
        with provider.lock:
            provider.seen.append(dict(params))
        problem = provider.check_request(params)
        if problem:
            self._html(400, f"<!doctype html><p>{html.escape(problem)}</p>")
            return
        hidden = "\n".join(
            f'<input type="hidden" name="{k}" value="{html.escape(params[k])}">'
            for k in PASSED
            if params.get(k)
        )
        people = "\n".join(
            f'<label><input type="radio" name="person" value="{html.escape(p.sub)}"'
            f' id="person-{html.escape(p.sub)}"{" checked" if i == 0 else ""}> '
            f"{html.escape(p.name)} — {html.escape(p.identity_number)}</label>"
            for i, p in enumerate(provider.people)
        )
        page = PAGE.format(
            hidden=hidden, people=people, client=html.escape(provider.client_id)
        )
        self._html(200, page)

    def _authorize_answer(self, form: dict[str, str]) -> None:
        provider = self.server.provider
        problem = provider.check_request(form)
        if problem:
            self._html(400, f"<!doctype html><p>{html.escape(problem)}</p>")
            return
        state = form.get("state", "")
        person = provider.person(form.get("person", ""))
        if form.get("decision") != "allow" or person is None:
            self._redirect(
                form["redirect_uri"], {"error": "access_denied", "state": state}
            )
            return
        code = provider.issue_code(form, person)
        self._redirect(form["redirect_uri"], {"code": code, "state": state})
