"""The attempt counter itself (motcua.security.throttle): free tries, a delay
that doubles, refusals that count nothing, success that clears or gives back
one try, forgetting, no personal data in the table, and the race."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import RequestFactory

from motcua.core import clock
from motcua.security import throttle
from motcua.security.models import AttemptCounter
from motcua.security.throttle import Policy

pytestmark = pytest.mark.django_db

TRY = Policy("test_try", free=3, base_delay=10, max_delay=60, forget_after=3600)
OTHER = Policy("test_other", free=100, base_delay=1, max_delay=1, forget_after=3600)


def test_the_free_tries_pass_then_the_next_one_waits():
    now = clock.now()
    for _ in range(TRY.free):
        assert throttle.attempt([(TRY, "an")], now=now).allowed
    refused = throttle.attempt([(TRY, "an")], now=now)
    assert not refused.allowed and refused.retry_after == 10


def test_the_delay_doubles_up_to_the_cap():
    assert [TRY.delay(n) for n in range(1, 9)] == [0, 0, 10, 20, 40, 60, 60, 60]


def test_a_refused_attempt_counts_nothing():
    now = clock.now()
    for _ in range(TRY.free):
        throttle.attempt([(TRY, "an")], now=now)
    for _ in range(50):
        assert not throttle.attempt([(TRY, "an")], now=now).allowed
    assert throttle.failures(TRY, "an", now=now) == TRY.free


def test_after_the_delay_one_more_try_is_allowed_and_the_delay_grows():
    now = clock.now()
    for _ in range(TRY.free):
        throttle.attempt([(TRY, "an")], now=now)
    later = now + timedelta(seconds=11)
    assert throttle.attempt([(TRY, "an")], now=later).allowed
    refused = throttle.attempt([(TRY, "an")], now=later)
    assert not refused.allowed and refused.retry_after == 20


def test_one_blocked_key_refuses_the_whole_attempt_and_counts_no_other():
    now = clock.now()
    for _ in range(TRY.free):
        throttle.attempt([(TRY, "an")], now=now)
    assert not throttle.attempt([(OTHER, "1.2.3.4"), (TRY, "an")], now=now).allowed
    assert throttle.failures(OTHER, "1.2.3.4", now=now) == 0


def test_clear_forgets_and_release_gives_back_one_try():
    now = clock.now()
    for _ in range(2):
        throttle.attempt([(TRY, "an"), (TRY, "binh")], now=now)
    throttle.clear([(TRY, "an")])
    throttle.release([(TRY, "binh")])
    assert throttle.failures(TRY, "an", now=now) == 0
    assert throttle.failures(TRY, "binh", now=now) == 1


def test_release_after_the_delay_started_unblocks_when_back_under_the_free_tries():
    now = clock.now()
    for _ in range(TRY.free):
        throttle.attempt([(TRY, "an")], now=now)
    throttle.release([(TRY, "an")])
    assert throttle.attempt([(TRY, "an")], now=now).allowed


def test_counts_are_forgotten_after_a_quiet_period():
    now = clock.now()
    for _ in range(TRY.free):
        throttle.attempt([(TRY, "an")], now=now)
    much_later = now + timedelta(seconds=TRY.forget_after + 1)
    assert throttle.failures(TRY, "an", now=much_later) == 0
    assert throttle.attempt([(TRY, "an")], now=much_later).allowed
    assert throttle.failures(TRY, "an", now=much_later) == 1
    assert throttle.forget_stale(now=much_later + timedelta(days=8)) == 1


def test_check_reads_without_counting():
    now = clock.now()
    assert throttle.check([(TRY, "an")], now=now).allowed
    assert not AttemptCounter.objects.exists()
    for _ in range(TRY.free):
        throttle.attempt([(TRY, "an")], now=now)
    decision = throttle.check([(TRY, "an")], now=now)
    assert not decision.allowed and decision.retry_after == 10
    assert throttle.failures(TRY, "an", now=now) == TRY.free


def test_the_table_holds_no_user_name_or_address():
    throttle.attempt([(TRY, "nguyen.van.an"), (OTHER, "203.0.113.7")])
    for row in AttemptCounter.objects.all():
        assert "nguyen" not in row.key and "203.0" not in row.key
        assert len(row.key) == 64


def test_the_client_address_is_remote_addr_unless_a_trusted_proxy_says(settings):
    factory = RequestFactory()
    spoofed = factory.get(
        "/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="1.1.1.1"
    )
    assert throttle.client_address(spoofed) == "198.51.100.9"
    settings.MOTCUA_TRUSTED_PROXIES = ("10.0.0.1",)
    proxied = factory.get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert throttle.client_address(proxied) == "203.0.113.7"


def test_the_refusal_message_is_vietnamese_with_the_seconds():
    assert throttle.refusal_message(42) == (
        "Bạn đã thử quá nhiều lần. Vui lòng thử lại sau 42 giây."
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_guessers_never_get_more_than_the_free_tries():
    """Twelve threads, each with its own connection, try at once: exactly the
    free tries are allowed, however the scheduler interleaves them."""
    now = clock.now()
    results: list[bool] = []
    lock = threading.Lock()
    barrier = threading.Barrier(12)

    def guess() -> None:
        try:
            barrier.wait()
            for _ in range(3):
                allowed = throttle.attempt([(TRY, "an")], now=now).allowed
                with lock:
                    results.append(allowed)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 36
    assert results.count(True) == TRY.free


def test_sequential_guessers_never_get_more_than_the_free_tries():
    now = clock.now()
    allowed = [throttle.attempt([(TRY, "an")], now=now).allowed for _ in range(36)]
    assert allowed.count(True) == TRY.free
    assert connection.vendor in {"sqlite", "postgresql"}
