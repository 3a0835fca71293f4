"""``motcua demo_gateway``: the demo's fake SMS / Zalo gateway answers the real
adapters with a receipt, gives a reference the same receipt twice, and logs
no number or text."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from io import StringIO

import pytest

from motcua.notifications import channels, conf
from motcua.notifications.management.commands.demo_gateway import DemoGateway


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def outgoing(reference: str = "ward:1:1:sms:received") -> channels.Outgoing:
    return channels.Outgoing(
        channel="sms",
        to="0905123456",
        subject="",
        text="Hồ sơ của ông/bà đã được tiếp nhận.",
        reference=reference,
        template="received",
    )


def sms(url: str) -> channels.HttpGateway:
    return channels.HttpGateway(
        url=url, payload=conf.DEFAULTS["MOTCUA_SMS_PAYLOAD"], brandname="MOTCUA"
    )


@pytest.fixture
def command() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """The real command in its own process, on a free port."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "motcua", "demo_gateway", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "MOTCUA_SECRET_KEY": "test-only"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise AssertionError(process.communicate()[0]) from None
            time.sleep(0.2)
    yield url, process
    if process.poll() is None:
        process.terminate()
        process.wait(10)


def test_the_command_answers_the_sms_adapter_with_a_receipt(command) -> None:
    url, process = command
    outcome = sms(url + "/sms").send(outgoing())
    assert outcome.status == channels.DELIVERED
    assert outcome.receipt.startswith("demo-")
    again = sms(url + "/sms").send(outgoing())
    assert again.receipt == outcome.receipt  # the same reference, the same receipt
    other = sms(url + "/sms").send(outgoing("ward:1:2:sms:received"))
    assert other.receipt != outcome.receipt
    process.terminate()
    log = process.communicate(timeout=10)[0]
    assert f"receipt={outcome.receipt}" in log
    assert "0905123456" not in log and "tiếp nhận" not in log


def test_the_zalo_adapter_and_a_bad_body() -> None:
    out = StringIO()
    server = DemoGateway(0, out=out)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        zalo = channels.HttpGateway(
            url=url + "/zalo", payload=conf.DEFAULTS["MOTCUA_ZALO_PAYLOAD"]
        )
        outcome = zalo.send(outgoing("ward:1:1:zalo:received"))
        assert outcome.status == channels.DELIVERED and outcome.receipt == "demo-1"
        request = urllib.request.Request(url + "/sms", data=b"{not json", method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 400
    finally:
        server.shutdown()
        server.server_close()
    assert "/zalo accepted receipt=demo-1" in out.getvalue()
    assert "0905123456" not in out.getvalue()


def test_a_busy_port_is_a_clear_error() -> None:
    from django.core.management import CommandError, call_command

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        with pytest.raises(CommandError, match="Không mở được cổng"):
            call_command("demo_gateway", "--port", str(s.getsockname()[1]))


class HeldGateway(DemoGateway):
    """The demo gateway whose receipts wait for ``release()``. On SQLite the
    live server shares the test's in-memory connection: a receipt arriving
    while the worker still writes would run two transactions on one
    connection. Released, each goes through the gateway's own timer and
    request, as in the demo."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.held: list[tuple[str, str]] = []

    def report_later(self, reference: str, receipt: str) -> None:
        with self.lock:
            self.held.append((reference, receipt))

    def release(self) -> None:
        with self.lock:
            held, self.held = self.held, []
        for reference, receipt in held:
            super().report_later(reference, receipt)


@pytest.mark.django_db(transaction=True)  # so the texts are seeded again (conftest)
def test_the_gateway_reports_delivery_to_the_receipts_endpoint(live_server) -> None:
    """As a real gateway does, the demo's posts a delivery receipt for each new
    message to our receipts endpoint; the message records it."""
    from django.test import override_settings

    from motcua.core import clock
    from motcua.notifications import worker
    from motcua.notifications.models import Message, State
    from tests.dossiers.builders import build_world, vn

    from .test_outbox import APPLICANT

    out = StringIO()
    server = HeldGateway(
        0,
        out=out,
        receipts_url=live_server.url + "/api/v1/notifications/receipts/",
        receipt_token="demo-receipt-token",
        receipt_delay=0,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monday = vn(2025, 6, 2)
    try:
        with override_settings(
            MOTCUA_SMS_URL=url + "/sms",
            MOTCUA_NOTIFY_CHANNELS="sms",
            MOTCUA_RECEIPT_TOKEN="demo-receipt-token",
        ):
            dossier = build_world().receive(monday, applicant=APPLICANT)
            with clock.frozen_at(monday):
                worker.run_once()
            message = Message.objects.get(dossier=dossier, channel="sms")
            # The gateway accepted it; its receipt goes once the worker is done
            # (posted from another thread), so the time is checked below.
            assert message.receipt_id and server.held
            server.release()
            deadline = time.monotonic() + 20  # bounds the wait, asserts no speed
            while "reported delivered" not in out.getvalue():
                assert time.monotonic() < deadline, out.getvalue()
                time.sleep(0.05)
    finally:
        server.shutdown()
        server.server_close()
    assert f"receipt={message.receipt_id} reported delivered: 200" in out.getvalue()
    message.refresh_from_db()
    assert message.state == State.DELIVERED
    assert message.delivered_at > monday  # the receipt's time, not the hand-over's
    assert "0905" not in out.getvalue()
