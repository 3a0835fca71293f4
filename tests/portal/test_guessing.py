"""The tracking factor is only 4 digits: what an attacker guessing it gets.

Every typed look-up is counted — per client address and per code — in a table,
before the factor is checked. Past the free tries each further try waits a
delay that doubles up to a cap of minutes. Time is frozen and moved by hand
(``clock.frozen_at``), never slept.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.core import clock
from motcua.portal.tracking import (
    NOT_FOUND,
    TRACK_ADDRESS,
    TRACK_CODE,
    wait_message,
)
from motcua.security import throttle
from tests.slips import scenarios as s

from .helpers import ID_LAST4, check, new_address

pytestmark = pytest.mark.django_db
T0 = s.MON + timedelta(days=1)


def guess(code: str, n: int, *, first: int = 0):
    """``n`` wrong factors on ``code``, each from a fresh address."""
    return [check(code, f"{first + i:04d}", new_address()) for i in range(n)]


def test_ten_free_guesses_per_code_then_a_short_delay_for_everyone():
    world = s.world_with("2018")
    dossier = s.received(world)
    with clock.frozen_at(T0):
        assert [r.status_code for r in guess(dossier.code, TRACK_CODE.free)] == [
            404
        ] * TRACK_CODE.free
        refused = check(dossier.code, ID_LAST4, new_address())  # even the owner
        assert refused.status_code == 429
        assert refused["Retry-After"] == "2"
        html = refused.content.decode()
        assert "Vui lòng chờ 2 giây rồi thử lại" in html and "mã QR" in html
        assert f'value="{ID_LAST4}"' not in html  # the digits are not echoed
        assert "no-store" in refused["Cache-Control"]
    other = s.received(world)  # another code is not affected
    with clock.frozen_at(T0):
        assert check(other.code, ID_LAST4, new_address()).status_code == 200


def test_five_hundred_lookups_of_other_codes_do_not_reset_a_codes_count():
    world = s.world_with("2018")
    dossier = s.received(world)
    with clock.frozen_at(T0):
        guess(dossier.code, TRACK_CODE.free - 1)
        for n in range(500):  # what once culled the cache-held counter
            check(f"000.00.99.X{n % 100:02d}-250602-{n:04d}", "0000", new_address())
        assert throttle.failures(TRACK_CODE, dossier.code) == TRACK_CODE.free - 1
        assert guess(dossier.code, 1, first=50)[0].status_code == 404  # the 10th
        assert check(dossier.code, ID_LAST4, new_address()).status_code == 429


def test_a_strangers_guesses_delay_the_owner_but_never_lock_them_out():
    world = s.world_with("2018")
    dossier = s.received(world)
    now = T0
    with clock.frozen_at(now):
        guess(dossier.code, TRACK_CODE.free + 8)  # only the first 10 are counted
        owner = check(dossier.code, ID_LAST4, "198.51.100.9")
    assert owner.status_code == 429
    wait = int(owner["Retry-After"])
    assert 0 < wait <= TRACK_CODE.max_delay
    with clock.frozen_at(now + timedelta(seconds=wait)):
        owner = check(dossier.code, ID_LAST4, "198.51.100.9")
        assert owner.status_code == 200 and "Bước tiếp theo" in owner.content.decode()
        # the owner's success forgets the stranger's guesses
        assert throttle.failures(TRACK_CODE, dossier.code) == 0


def test_guessing_around_the_clock_gets_a_few_hundred_tries_a_day_and_waits_minutes():
    world = s.world_with("2018")
    dossier = s.received(world)
    now, end = T0, T0 + timedelta(days=1)
    tried, waits = 0, []
    while now < end:
        with clock.frozen_at(now):
            response = check(dossier.code, f"{tried % 10000:04d}", new_address())
        if response.status_code == 429:
            waits.append(int(response["Retry-After"]))
            now += timedelta(seconds=waits[-1])
        else:
            assert response.status_code == 404
            tried += 1
    assert max(waits) == TRACK_CODE.max_delay <= 15 * 60  # minutes, never an hour
    # a day of guessing covers under 2 % of the 10,000 possible factors
    assert tried <= 24 * 3600 // TRACK_CODE.max_delay + 20
    # …and the owner, after the running delay, still gets in
    with clock.frozen_at(now + timedelta(seconds=TRACK_CODE.max_delay)):
        assert check(dossier.code, ID_LAST4, new_address()).status_code == 200


def test_one_address_trying_many_codes_is_slowed_down():
    world = s.world_with("2018")
    dossier = s.received(world)
    spray = "192.0.2.66"
    with clock.frozen_at(T0):
        for n in range(TRACK_ADDRESS.free):
            code = f"{dossier.code[:-4]}{n + 100:04d}"
            assert check(code, ID_LAST4, spray).status_code == 404
        refused = check(dossier.code, ID_LAST4, spray)
        assert refused.status_code == 429
        # another address is not concerned
        assert check(dossier.code, ID_LAST4, "192.0.2.67").status_code == 200
    with clock.frozen_at(T0 + timedelta(seconds=int(refused["Retry-After"]))):
        assert check(dossier.code, ID_LAST4, spray).status_code == 200


def test_citizens_behind_one_address_are_not_slowed_by_their_own_right_answers():
    world = s.world_with("2018")
    dossier = s.received(world)
    operator = "192.0.2.80"  # a mobile operator's shared address
    with clock.frozen_at(T0):
        for _ in range(TRACK_ADDRESS.free * 2):
            assert check(dossier.code, ID_LAST4, operator).status_code == 200
        assert throttle.failures(TRACK_ADDRESS, operator) == 0
        # a wrong answer still counts, and a right one does not wipe it
        assert check(dossier.code, "0000", operator).status_code == 404
        assert check(dossier.code, ID_LAST4, operator).status_code == 200
        assert throttle.failures(TRACK_ADDRESS, operator) == 1


def test_unknown_codes_are_counted_the_same_so_the_delay_reveals_nothing():
    world = s.world_with("2018")
    real = s.received(world)
    unknown = real.code[:-4] + "9999"
    with clock.frozen_at(T0):
        answers = {}
        for code in (real.code, unknown):
            responses = guess(code, TRACK_CODE.free + 1, first=2000)
            answers[code] = [r.status_code for r in responses]
            assert NOT_FOUND in responses[0].content.decode()
    assert answers[real.code] == answers[unknown] == [404] * TRACK_CODE.free + [429]


def test_a_lower_case_code_shares_the_count_of_the_upper_case_one():
    world = s.world_with("2018")
    dossier = s.received(world)
    with clock.frozen_at(T0):
        for n in range(TRACK_CODE.free):
            typed = dossier.code.lower() if n % 2 else f" {dossier.code} "
            check(typed, f"{n + 7000:04d}", new_address())
        assert check(dossier.code.lower(), ID_LAST4, new_address()).status_code == 429


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(1, "1 giây"), (59, "59 giây"), (60, "1 phút"), (61, "2 phút"), (600, "10 phút")],
)
def test_the_wait_is_told_in_seconds_then_whole_minutes(seconds: int, said: str):
    assert f"Vui lòng chờ {said} rồi thử lại" in wait_message(seconds)
