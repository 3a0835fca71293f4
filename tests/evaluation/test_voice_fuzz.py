"""Random input never makes a server error on the citizen's voice: the kiosk
and rating API (random JSON) and the public kiosk and rating forms (random
fields, NUL, huge text) answer 2xx/3xx/4xx. Deterministic (``derandomize``)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.core import clock
from motcua.evaluation import kiosks
from motcua.portal.qr import token_for
from tests.dossiers.builders import vn

from .voice import voice_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.evaluation.urls")]
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NASTY = st.sampled_from(
    ["\x00", "a\x00b", "' OR 1=1 --", "<script>alert(1)</script>", "-1", "1e309",
     "NaN", "unsatisfied", "very_satisfied", "x" * 5000, "0" * 40, "９", "late"]
)  # fmt: skip
TEXT = st.one_of(NASTY, st.text(max_size=60))
VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), TEXT,
    st.lists(TEXT, max_size=3), st.dictionaries(TEXT, st.integers(), max_size=3),
)  # fmt: skip
KEYS = st.sampled_from(
    ["client_id", "level", "cast_at", "dossier_token", "answers", "token",
     "reasons", "comment", "may_contact", "contact_phone", "text"]
)  # fmt: skip
BODY = st.dictionaries(KEYS, VALUE, max_size=8)
FORM = st.dictionaries(
    st.one_of(KEYS, st.sampled_from(["q-attitude", "q-contacts"]), TEXT),
    st.one_of(TEXT, st.lists(TEXT, max_size=3)),
    max_size=8,
)


@FUZZ
@given(body=BODY)
def test_the_api_never_fails_on_random_json(body, db):
    v = voice_world()
    client = Client()
    client.cookies[kiosks.COOKIE] = v.credential
    if body.get("token") == "late":
        body["token"] = token_for(v.e.early)
    with clock.frozen_at(vn(2025, 6, 20, 10)):
        for url in ("/danh-gia-hai-long/api/kiosk/votes/",
                    "/danh-gia-hai-long/api/kiosk/scan/",
                    "/danh-gia-hai-long/api/ratings/"):  # fmt: skip
            response = client.post(
                url, json.dumps(body), content_type="application/json"
            )
            assert response.status_code < 500, (url, body, response.content[:300])


@FUZZ
@given(form=FORM)
def test_the_public_forms_never_fail_on_random_fields(form, db):
    v = voice_world()
    client = Client()
    client.cookies[kiosks.COOKIE] = v.credential
    with clock.frozen_at(vn(2025, 6, 20, 10)):
        for url in (f"/danh-gia-hai-long/quay/{v.counter.pk}/",
                    f"/danh-gia-hai-long/ho-so/{token_for(v.e.early)}/"):  # fmt: skip
            response = client.post(url, form)
            assert response.status_code < 500, (url, form, response.content[:300])
