"""Schemathesis against our own schema (issue 14, "Checked by").

Every operation of the committed ``docs/openapi.json`` is called with inputs
generated from the schema itself — valid ones and invalid ones — through the
real Django stack (in-process WSGI: middleware, authentication, views,
database). Each answer must not be a server error, and its status code,
content type, headers and body must be the ones the schema documents.

The callers are the real ones: an integration client with a credential for a
ward (``mcc_…``, every endpoint group, read and write) for the bearer
endpoints, a signed-in citizen (session and CSRF token) for the citizen
endpoints, a kiosk tablet for the kiosk endpoints, nobody for the public ones.
The world (``tests.online.builders.build_online``: a city, a ward whose
procedure has an e-form, staff) holds a dossier with a file, one being
processed, a citizen's draft with a file; three generated paths out of four
name these, so that requests reach the views and the rules behind them rather
than all being 404. The schema's example of a reception is valid in this world;
in the stateful test three receptions out of four are, so that chains start from
a real dossier.

The run is bounded and deterministic: a few examples per operation and
generation mode (valid and invalid inputs), ``derandomize``, no deadline (the
first request of a test warms caches), no example database. Each operation is
its own test with its own database (rolled back after it), on SQLite and on
PostgreSQL like the rest of the suite. The stateful test chains operations
through the schema's links.

A failure names the operation and prints a curl command that reproduces it;
fix the code or its ``extend_schema`` at the source, regenerate the schema
(``make schema``). An operation is left out only with its reason in EXCLUDED.
"""

from __future__ import annotations

import os
import secrets
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.db import transaction
from django.test.client import ClientHandler
from hypothesis import HealthCheck, Phase, settings
from requests.structures import CaseInsensitiveDict
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from motcua.agencies.models import Counter
from tests.dossiers.builders import vn

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"
# Bounded for CI; MOTCUA_SCHEMATHESIS_EXAMPLES=50 explores further on demand.
EXAMPLES = int(os.environ.get("MOTCUA_SCHEMATHESIS_EXAMPLES", "5"))  # per operation
STATEFUL_SCENARIOS = 4 * EXAMPLES
STATEFUL_STEPS = 6
WHEN = vn(2025, 6, 2)
EXAMPLE_AGENCY = "000.01.01.H12"  # the agency of the schema's examples
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Operations not called, each with its reason. Keep this short.
EXCLUDED: dict[str, str] = {}


def django_wsgi_app() -> Callable[..., Iterable[bytes]]:
    """The project as a WSGI application for the test database.

    Django's own test handler, not ``get_wsgi_application()``: it keeps the
    database connection of the test's transaction open between requests (the
    production handler closes it at the end of each request) and answers a
    server error as a 500 response, which is what the checks look at."""
    handler = ClientHandler(enforce_csrf_checks=True)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        environ = {**environ, "HTTP_HOST": "testserver", "SERVER_NAME": "testserver"}
        response: Any = handler(environ)  # an HttpResponse or a streaming one
        headers = list(response.items())
        headers += [
            ("Set-Cookie", morsel.output(header="").strip())
            for morsel in response.cookies.values()
        ]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        if getattr(response, "streaming", False):
            return [b"".join(response.streaming_content)]
        return [response.content]

    return app


schema = schemathesis.openapi.from_path(SCHEMA)
schema.app = django_wsgi_app()


@dataclass
class Callers:
    """The credentials each kind of operation is called with, and the real
    identifiers of the world (used in most generated paths, so that requests
    reach the views instead of all being 404)."""

    client_key: str
    session: str
    kiosk: str
    dossier: str
    agency: str
    procedure: str
    draft: int
    draft_file: int
    dossier_file: int
    csrf: str = secrets.token_hex(16)  # what a browser got with its page

    def headers(self, case: schemathesis.Case) -> dict[str, str]:
        if self._needs(case, "tokenAuth"):
            return {"Authorization": f"Bearer {self.client_key}"}
        if self._needs(case, "kioskAuth") or self._needs(case, "cookieAuth"):
            return {"X-CSRFToken": self.csrf}
        return {}

    def cookies(self, case: schemathesis.Case) -> dict[str, str]:
        if self._needs(case, "tokenAuth"):
            return {}
        cookies = {django_settings.CSRF_COOKIE_NAME: self.csrf}
        if self._needs(case, "kioskAuth"):
            cookies["motcua_kiosk"] = self.kiosk
        if self._needs(case, "cookieAuth"):
            cookies[django_settings.SESSION_COOKIE_NAME] = self.session
        return cookies

    def real_path(self, case: schemathesis.Case) -> None:
        """Put the world's identifiers in the path of three cases out of four
        (chosen from the generated value, so the run stays deterministic); the
        fourth keeps the generated one, which checks the 404 answers."""
        path = case.operation.path
        values: dict[str, Any] = {
            "code": (
                self.dossier
                if path.startswith("/api/v1/dossiers/")
                else self.agency
                if path.startswith("/api/v1/agencies/")
                else self.procedure
            ),
            "draft_id": self.draft,
            "file_id": (
                self.draft_file
                if path.startswith("/api/v1/citizen/")
                else self.dossier_file
            ),
        }
        for name, generated in (case.path_parameters or {}).items():
            if name in values and zlib.crc32(repr(generated).encode()) % 4:
                case.path_parameters[name] = values[name]

    def real_dossier(self, case: schemathesis.Case) -> None:
        """Make three receptions out of four valid (the ward, the procedure, an
        applicant of the world, a fresh idempotency key), so that chains start
        from a real dossier; the fourth stays as generated."""
        if case.operation.label != "POST /api/v1/dossiers/":
            return
        seed = zlib.crc32(repr((case.body, case.headers)).encode())
        if not seed % 4:
            return
        case.body = {
            "agency": self.agency,
            "procedure": self.procedure,
            "channel": ("direct", "online", "postal")[seed % 3],
            "applicant": {"name": "Lê Văn Cường", "id_number": "048090004321"},
        }
        if case.headers is None:
            case.headers = CaseInsensitiveDict()
        case.headers["Idempotency-Key"] = f"st-{seed}"

    @staticmethod
    def _needs(case: schemathesis.Case, scheme: str) -> bool:
        security = case.operation.definition.raw.get("security") or []
        return any(scheme in requirement for requirement in security)


def build_callers() -> Callers:
    """A ward with a procedure that has an e-form (``tests.online.builders``),
    one dossier received by the integration client, one being processed, a
    citizen with a draft, a kiosk at the ward's desk. The ward and procedure
    carry the codes of the schema's examples, so the examples are valid."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client as DjangoClient

    from motcua.evaluation import kiosks
    from motcua.integrations import services as integrations
    from motcua.integrations.scopes import GROUPS
    from tests.citizens.factories import sign_in
    from tests.online.builders import BIRTH_ANSWERS, build_online, mother_citizen

    online = build_online()
    world = online.world
    world.ward.code = EXAMPLE_AGENCY
    world.ward.save(update_fields=["code"])
    client = integrations.client_create(
        name="Cổng DVC tỉnh (schemathesis)",
        access="read_write",
        endpoint_groups=GROUPS,
        scopes=[
            integrations.Scope(world.ward),
            integrations.Scope(world.district, covers_subtree=True),
        ],
        rate_limit=100_000,
    )
    key = integrations.credential_issue(client).key  # valid today
    with world.at(WHEN):
        dossier = world.receive(WHEN, actor=client.user)
        world.processing(WHEN)
    pdf = SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")
    uploaded = DjangoClient(HTTP_AUTHORIZATION=f"Bearer {key}").post(
        f"/api/v1/dossiers/{dossier.code}/files/", {"file": pdf}
    )
    assert uploaded.status_code == 201, uploaded.content

    counter = Counter.objects.create(agency=world.ward, number=1, name="Quầy 1")
    _, kiosk = kiosks.kiosk_set_up(world.reception, counter, name="Máy đánh giá")

    browser = sign_in(DjangoClient(), mother_citizen())
    draft = browser.post(
        "/api/v1/citizen/online/drafts/",
        {
            "procedure": world.procedure.code,
            "agency": world.ward.code,
            "answers": BIRTH_ANSWERS,
        },
        content_type="application/json",
    )
    assert draft.status_code == 201, draft.content
    draft_id = draft.json()["id"]
    attached = browser.post(
        f"/api/v1/citizen/online/drafts/{draft_id}/files/",
        {
            "component": online.birth_certificate.pk,
            "file": SimpleUploadedFile("chung-sinh.pdf", PDF, "application/pdf"),
        },
    )
    assert attached.status_code == 201, attached.content
    return Callers(
        client_key=key,
        session=browser.cookies[django_settings.SESSION_COOKIE_NAME].value,
        kiosk=kiosk,
        dossier=dossier.code,
        agency=world.ward.code,
        procedure=world.procedure.code,
        draft=draft_id,
        draft_file=attached.json()["id"],
        dossier_file=uploaded.json()["id"],
    )


@pytest.fixture
def callers(db: None) -> Callers:
    return build_callers()


def call_and_check(case: schemathesis.Case, callers: Callers) -> None:
    callers.real_path(case)
    response = case.call(headers=callers.headers(case), cookies=callers.cookies(case))
    case.validate_response(response, checks=CHECKS)


tested = schema.exclude(operation_id=list(EXCLUDED)) if EXCLUDED else schema


@tested.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(
    case: schemathesis.Case, callers: Callers
) -> None:
    call_and_check(case, callers)


# ------------------------------------------------------------------ stateful
class Workflow(schema.as_state_machine()):  # type: ignore[misc]
    """Scenarios that chain operations through the schema's links: those the
    schema declares (a dossier's ``code`` from its reception or its detail to
    every action and the upload, an upload's ``id`` to its download —
    ``motcua.dossiers.schema_links``) and those schemathesis infers (an
    agency's or a procedure's code from the lists, a draft's id)."""

    callers: Callers
    savepoint: str

    def setup(self) -> None:
        # Every scenario starts from the same world: hypothesis replays and
        # shrinks scenarios, and links draw from the answers.
        self.savepoint = transaction.savepoint()

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    def before_call(self, case: schemathesis.Case) -> None:
        self.callers.real_dossier(case)

    def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
        return {
            "headers": self.callers.headers(case),
            "cookies": self.callers.cookies(case),
        }

    def validate_response(
        self, response: Any, case: schemathesis.Case, **kwargs: Any
    ) -> None:
        case.validate_response(response, checks=CHECKS)


def test_chained_operations_answer_as_documented(callers: Callers) -> None:
    Workflow.callers = callers
    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
