"""Helpers of ``tools/prod-check.sh`` (``make prod-check``); not part of the app.

    prod_check.py cert DIR           a self-signed certificate for 127.0.0.1
    prod_check.py seed               a file on a demo dossier (Django settings)
    prod_check.py wait URL           until URL answers (bounded)
    prod_check.py smoke URL SEED     the smoke test through nginx
    prod_check.py load URL           a short wrk run, figures, fails on errors

Everything talks to 127.0.0.1 only. Every wait has a deadline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.cookiejar
import ipaddress
import json
import os
import re
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

OFFICER = "tiepnhan.hoacuong"  # a one-stop desk officer of the demo data
PDF = b"%PDF-1.4\n% MotCua prod-check\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


def fail(message: str) -> None:
    print(f"prod-check: FAILED: {message}", file=sys.stderr)
    raise SystemExit(1)


def check(condition: bool, label: str) -> None:
    if not condition:
        fail(label)
    print(f"  ok  {label}")


# --- cert -------------------------------------------------------------------
def make_cert(folder: Path) -> None:
    """nginx terminates TLS as in production (the production profile sends
    HSTS and Secure cookies, which a plain-HTTP check could not exercise)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                    x509.DNSName("localhost"),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


# --- seed -------------------------------------------------------------------
def seed() -> None:
    """Attach a PDF to a dossier the demo's desk officer may write on; print
    what the smoke test needs as JSON."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from motcua.core.errors import DomainError
    from motcua.dossiers import files
    from motcua.dossiers.models import Dossier

    officer = get_user_model().objects.get(username=OFFICER)
    for dossier in Dossier.objects.order_by("-pk")[:50]:
        upload = SimpleUploadedFile("kiem-tra.pdf", PDF, "application/pdf")
        try:
            item = files.dossier_file_upload(officer, dossier, upload=upload)
        except (DomainError, PermissionError):
            continue
        url = reverse("backoffice:dossier_file", args=[dossier.code, item.pk])
        print(
            json.dumps(
                {
                    "file_url": url + "?tai=1",
                    "stored": item.file.name,
                    "sha256": hashlib.sha256(PDF).hexdigest(),
                    "username": OFFICER,
                }
            )
        )
        return
    fail("no demo dossier accepts a file from the desk officer")


# --- HTTP -------------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """A cookie-keeping client that shows redirects instead of following them."""

    def __init__(self, base: str, cafile: str) -> None:
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        context = ssl.create_default_context(cafile=cafile)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.jar),
            _NoRedirect(),
        )

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        return self._send(urllib.request.Request(self.base + path, headers=headers))

    def post(
        self, path: str, form: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode(form).encode(),
            headers={"Referer": self.base + path, "Origin": self.base},
            method="POST",
        )
        return self._send(request)

    def _send(
        self, request: urllib.request.Request
    ) -> tuple[int, dict[str, str], bytes]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.jar if c.name == name), "")


def wait(url: str, cafile: str, seconds: float = 90.0) -> None:
    browser = Browser(url, cafile)
    deadline = time.monotonic() + seconds
    while True:
        try:
            status, _, _ = browser.get("/")
            if status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            fail(f"{url} did not answer within {seconds:.0f} s")
        time.sleep(0.2)


def smoke(url: str, cafile: str, seed_json: str, gunicorn_log: str) -> None:
    facts = json.loads(seed_json)
    password = os.environ["MOTCUA_DEMO_PASSWORD"]
    web = Browser(url, cafile)
    print("smoke test through nginx (TLS) -> gunicorn:")

    status, headers, body = web.get("/")
    check(status == 200 and b"<html" in body.lower(), "home page 200")
    check("max-age=" in headers.get("Strict-Transport-Security", ""), "HSTS sent")
    check(
        "default-src 'self'" in headers.get("Content-Security-Policy", ""), "CSP sent"
    )

    status, headers, body = web.get("/static/motcua/motcua.css")
    check(status == 200 and len(body) > 0, "static file 200")
    check("Expires" in headers, "static file served by nginx (Expires header)")
    status, headers, _ = web.get(
        "/static/motcua/motcua.css", **{"Accept-Encoding": "gzip"}
    )
    check(headers.get("Content-Encoding") == "gzip", "static file pre-compressed (.gz)")

    status, _, body = web.get("/healthz/")
    ready = json.loads(body) if status == 200 else {}
    check(
        ready.get("status") == "ok"
        and ready["checks"]["migrations"] == {"status": "ok"},
        "readiness check 200: database and migrations ok",
    )
    access = Path(os.environ["PROD_CHECK_DIR"], "nginx", "access.log").read_text()
    check(
        "/static/motcua/motcua.css" in access and "/healthz/" not in access,
        "readiness checks kept out of nginx's access log",
    )

    status, _, _ = web.get("/internal-files/" + facts["stored"])
    check(status == 404, "internal files unreachable directly (404)")
    status, _, _ = web.get("/media/" + facts["stored"])
    check(status == 404, "media folder not served (404)")

    anonymous = Browser(url, cafile)
    status, headers, body = anonymous.get(facts["file_url"])
    check(
        status in (302, 403, 404) and b"%PDF" not in body,
        f"protected file refused to an anonymous visitor ({status})",
    )

    status, _, _ = web.get("/accounts/login/")
    token = web.cookie("csrftoken")
    check(status == 200 and bool(token), "sign-in page with CSRF cookie")
    status, headers, _ = web.post(
        "/accounts/login/",
        {
            "csrfmiddlewaretoken": token,
            "login": facts["username"],
            "password": password,
        },
    )
    check(status == 302 and bool(web.cookie("sessionid")), "officer signs in (302)")
    status, _, body = web.get("/can-bo/")
    check(status == 200, "back office home 200")

    status, headers, body = web.get("/api/v1/dossiers/", Accept="application/json")
    check(status == 200 and "results" in json.loads(body), "API dossier list 200")
    status, _, body = anonymous.get("/api/v1/calendar/days?year=2026")
    check(status == 200 and body.startswith(b"{"), "public calendar API 200")

    status, headers, body = web.get(facts["file_url"])
    check(status == 200, "protected file 200 for the officer")
    check(hashlib.sha256(body).hexdigest() == facts["sha256"], "same bytes as uploaded")
    check(
        headers.get("Content-Type") == "application/pdf", "Content-Type application/pdf"
    )
    check(
        headers.get("Content-Disposition", "").startswith("attachment"),
        "Content-Disposition attachment",
    )
    check("no-store" in headers.get("Cache-Control", ""), "Cache-Control no-store")
    check(headers.get("X-Content-Type-Options") == "nosniff", "nosniff")
    check("X-Accel-Redirect" not in headers, "X-Accel-Redirect not shown to the client")
    path = urllib.parse.urlsplit(facts["file_url"]).path
    sent = _gunicorn_bytes(gunicorn_log, path)
    check(sent == ["0"], f"gunicorn sent no byte of the file (access log: {sent})")

    Path(os.environ["PROD_CHECK_DIR"], "session").write_text(web.cookie("sessionid"))


def _gunicorn_bytes(log: str, path: str) -> list[str]:
    """Bytes field of gunicorn's access lines for ``path`` answered 200."""
    pattern = re.compile(r'"GET (\S+)" (\d{3}) (\S+) ')
    found = []
    for line in Path(log).read_text(errors="replace").splitlines():
        match = pattern.search(line)
        if match and match.group(1) == path and match.group(2) == "200":
            found.append("0" if match.group(3) == "-" else match.group(3))
    return found


# --- load -------------------------------------------------------------------
def load(url: str, label: str, seconds: int, cookie: str = "") -> None:
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    run = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 30
    )
    out = run.stdout
    if run.returncode != 0:
        fail(f"wrk failed: {run.stderr.strip() or out}")
    requests = re.search(r"(\d+) requests in", out)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"50%\s+(\S+)", out)
    p99 = re.search(r"99%\s+(\S+)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    total = int(requests.group(1)) if requests else 0
    print(
        f"  load {label}: {total} requests in {seconds} s, "
        f"{rate.group(1) if rate else '?'} req/s, "
        f"p50 {p50.group(1) if p50 else '?'}, p99 {p99.group(1) if p99 else '?'}, "
        f"non-2xx/3xx {bad.group(1) if bad else 0}"
        + (f", socket errors: {errors.group(1)}" if errors else "")
    )
    check(total > 0, f"load {label}: requests answered")
    check(bad is None, f"load {label}: every answer 2xx/3xx")
    check(errors is None or "timeout 0" in errors.group(1), f"load {label}: no timeout")


def main(argv: list[str]) -> None:
    command, args = argv[1], argv[2:]
    if command == "cert":
        make_cert(Path(args[0]))
    elif command == "seed":
        seed()
    elif command == "wait":
        wait(args[0], args[1])
    elif command == "smoke":
        smoke(args[0], args[1], args[2], args[3])
    elif command == "load":
        cookie = Path(args[1]).read_text().strip() if len(args) > 1 else ""
        seconds = int(os.environ.get("PROD_CHECK_LOAD_SECONDS", "8"))
        load(args[0], "public home page", seconds)
        if cookie:
            base = args[0].rstrip("/")
            load(base + "/can-bo/", "officer's back office", seconds, cookie)
    else:
        fail(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)
