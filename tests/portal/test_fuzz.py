"""Whatever is typed into the tracking form, or put in a QR link, the answer
is a page — never a 500: any unicode, NUL bytes, huge strings."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.core import clock
from tests.slips import scenarios as s

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
junk = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.builds(
        lambda t, n: t * n, st.text(min_size=1, max_size=3), st.integers(1, 4000)
    ),
    st.sampled_from(["\x00", "1234\x00", "000.00.15.H12-250602-0001\x00", "１２３４"]),
)


@FUZZ
@given(code=junk, factor=junk, address=st.sampled_from(["10.0.0.1", "::1", "", "x"]))
def test_the_tracking_form_never_answers_500(code: str, factor: str, address: str):
    with clock.frozen_at(s.MON):
        response = Client().post(
            "/tra-cuu/", {"code": code, "factor": factor}, REMOTE_ADDR=address
        )
    assert response.status_code in (200, 400, 404, 429)
    assert "Tra cứu hồ sơ" in response.content.decode()


@FUZZ
@given(token=st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_a_qr_link_never_answers_500(token: str):
    response = Client().get(f"/tra-cuu/qr/{quote(token, safe='')}/")
    assert response.status_code in (200, 400, 404)
