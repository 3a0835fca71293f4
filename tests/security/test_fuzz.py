"""Random input never makes a server error: the desk's reception form (as a
reception officer) and the JSON endpoints (dossier creation, actions, and the
token endpoint anonymously) answer 2xx/3xx/4xx to random unicode, NUL, huge and
deeply nested input. Deterministic (``derandomize``) so a failure reproduces."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.backoffice.actions import SPECS as ACTION_SPECS
from motcua.backoffice.forms import DeskForm
from motcua.core import clock
from motcua.dossiers import services
from tests.dossiers.builders import World, build_world

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NASTY = st.sampled_from(
    ["\x00", "a\x00b", "=1+1", "' OR 1=1 --", "<script>alert(1)</script>",
     "0001-01-01", "9999-12-31", "31/02/2025", "-1", "1e309", "NaN", "𝔘𝔫𝔦",
     "Nguyễn Văn An", "\u202eRTL", "\ud7ff", " ", "x" * 5000, "0" * 40]
)  # fmt: skip
TEXT = st.one_of(NASTY, st.text(max_size=80), st.text(min_size=300, max_size=2000))
JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT
)
JSON = st.recursive(
    JSON_SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)
    ),
    max_leaves=12,
)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


BODIES = st.one_of(
    JSON.map(json.dumps),
    st.integers(min_value=1, max_value=100_000).map(_nested),
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
    TEXT,
)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _client(user: Any = None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _post_json(client: Client, url: str, body: str, charset: str = "") -> Any:
    """The body as UTF-8 bytes, whatever charset the header claims."""
    raw = body.encode("utf-8", "surrogatepass")
    return client.generic("POST", url, raw, content_type="application/json" + charset)


def _fine(response: Any) -> None:
    assert response.status_code < 500, response.content[:300]


DESK_FIELDS = [*DeskForm.base_fields, "desk_token", "lookup", "outcome", "reason"]


@FUZZ
@given(
    data=st.dictionaries(st.sampled_from(DESK_FIELDS), TEXT, max_size=len(DESK_FIELDS)),
    real_procedure=st.booleans(),
    urlencoded=st.booleans(),
)
def test_the_desk_reception_form_never_fails_on_random_input(
    world, data, real_procedure, urlencoded
):
    if real_procedure:
        data["procedure"] = world.procedure.code
    client = _client(world.reception)
    if urlencoded:  # as a browser without scripts sends it
        body = urlencode(data).encode()
        kind = "application/x-www-form-urlencoded"
        _fine(client.generic("POST", "/can-bo/quay/", body, content_type=kind))
    else:  # multipart, as the desk page sends it with scans
        _fine(client.post("/can-bo/quay/", data))


@FUZZ
@given(body=BODIES, charset=st.sampled_from(["", "; charset=latin-1", "; charset=x"]))
def test_dossier_creation_never_fails_on_random_json(world, body, charset):
    _fine(_post_json(_client(world.reception), "/api/v1/dossiers/", body, charset))


@FUZZ
@given(
    action=st.sampled_from(["refuse", "finish", "forward", "assign", "extend",
                            "request_supplement", "record_payment"]),
    body=st.one_of(BODIES, st.dictionaries(
        st.sampled_from(["reason", "note", "items", "lock_version", "agency",
                         "assignee", "due_at", "amount"]), JSON, max_size=4
    ).map(json.dumps)),
)  # fmt: skip
def test_dossier_actions_never_fail_on_random_json(world, action, body):
    if not hasattr(world, "_fuzzed"):
        world._fuzzed = services.dossier_receive(world.reception, data=world.input())
    url = f"/api/v1/dossiers/{world._fuzzed.code}/{action}/"
    _fine(_post_json(_client(world.reception), url, body))


@FUZZ
@given(
    body=st.one_of(
        BODIES,
        st.fixed_dictionaries(
            {"username": TEXT, "password": TEXT},
            optional={"otp": TEXT, "code": TEXT, "name": TEXT},
        ).map(json.dumps),
    )
)
def test_the_token_endpoint_never_fails_anonymously(world, body):
    _fine(_post_json(_client(), "/api/v1/auth/token/", body))


BACKOFFICE_FIELDS = [
    "reason", "note", "items", "new_due_at", "override", "assignee", "agency",
    "amount", "result_summary", "expected_version", "question", "answer",
    "return_method", "returned_to_name", "returned_to_id_number", "text", "kind",
]  # fmt: skip
DATES = st.sampled_from(
    ["9999-12-31T23:59", "0001-01-01T00:00", "2100-12-31T23:59", "31/12/9999 23:59",
     "2025-02-30T10:00", "1999-12-31 08:00"]
)  # fmt: skip


@FUZZ
@given(
    who=st.sampled_from(["reception", "specialist", "leader"]),
    action=st.sampled_from(sorted(str(a) for a in ACTION_SPECS)),
    data=st.dictionaries(
        st.sampled_from(BACKOFFICE_FIELDS), st.one_of(TEXT, DATES), max_size=6
    ),
)  # fmt: skip
def test_back_office_actions_never_fail_on_random_forms(world, who, action, data):
    if not hasattr(world, "_fuzzed"):
        world._fuzzed = world.processing(clock.now() - timedelta(days=1))
    url = f"/can-bo/ho-so/{world._fuzzed.code}/thao-tac/{action}/"
    _fine(_client(getattr(world, who)).post(url, data))


INSTANTS = st.sampled_from(
    ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "2025-06-02",
     "2025-06-02T09:00:00+07:00", "2025-06-02 09:00:00 07:00", "1999-12-31",
     "2101-01-01", "0000-00-00", "2025-W23", "+002025-06-02"]
)  # fmt: skip
GET_PAGES = {
    "/api/v1/dossiers/": ["status", "channel", "overdue", "due_before",
                          "received_from", "received_to", "q", "ordering",
                          "agency", "procedure", "field", "assignee", "cursor",
                          "limit"],
    "/can-bo/hang-doi/don-vi/": ["q", "status", "overdue", "ordering", "cursor"],
    "/can-bo/tim/": ["q"],
    "/api/v1/reports/bieu06": ["agency", "from", "to", "subtree", "group_by"],
    "/bao-cao/bieu-06/xlsx": ["agency", "from", "to", "subtree", "group_by"],
    "/danh-gia/": ["co-quan", "ky"],
    "/can-bo/ky-so/lich-truc/": ["tuan", "co-quan"],
    "/api/v1/calendar/due": ["start", "unit", "duration", "agency"],
    "/api/v1/calendar/days": ["year", "agency"],
    "/can-bo/phieu/so-theo-doi/": ["agency", "from", "to", "format"],
}  # fmt: skip


@FUZZ
@given(
    page=st.sampled_from(sorted(GET_PAGES)),
    data=st.data(),
)
def test_lists_reports_and_calendars_never_fail_on_random_parameters(world, page, data):
    names = GET_PAGES[page]
    params = data.draw(
        st.dictionaries(
            st.sampled_from(names), st.one_of(TEXT, INSTANTS), max_size=len(names)
        )
    )
    _fine(_client(world.leader).get(page, params))
