"""The committed OpenAPI schema (docs/openapi.json) is the one the code
generates: an API change without its schema change fails here (issue 14).

When it fails, regenerate and commit the file:

    make schema
    # i.e. .venv/bin/motcua spectacular --format openapi-json --lang vi \
    #      --validate --fail-on-warn --file docs/openapi.json
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command

from motcua.core.schema import neutral_integer_bounds

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"
REGENERATE = (
    "docs/openapi.json differs from the schema the code generates. Regenerate "
    "it with `make schema` (.venv/bin/motcua spectacular --format openapi-json "
    "--lang vi --validate --fail-on-warn --file docs/openapi.json), review the "
    "diff and commit it."
)


def generated() -> dict[str, Any]:
    out = StringIO()
    call_command(
        "spectacular",
        "--format",
        "openapi-json",
        "--lang",
        "vi",
        "--validate",
        "--fail-on-warn",
        stdout=out,
    )
    # The hook is idempotent: applied here too, the comparison holds whether or
    # not SPECTACULAR_SETTINGS lists it yet.
    return neutral_integer_bounds(json.loads(out.getvalue()))


def differences(old: Any, new: Any, where: str = "") -> list[str]:
    """Where two JSON documents differ (JSON-pointer-like paths)."""
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(set(old) | set(new)):
            if key not in new:
                found.append(f"{where}/{key}: only in docs/openapi.json")
            elif key not in old:
                found.append(f"{where}/{key}: only in the generated schema")
            else:
                found += differences(old[key], new[key], f"{where}/{key}")
        return found
    return [] if old == new else [f"{where}: changed"]


def test_the_differences_are_named_by_path():
    old = {"paths": {"/a/": {"get": 1}, "/b/": {}}, "info": {"version": "1"}}
    new = {"paths": {"/a/": {"get": 2}, "/c/": {}}, "info": {"version": "1"}}
    assert differences(old, new) == [
        "/paths//a//get: changed",
        "/paths//b/: only in docs/openapi.json",
        "/paths//c/: only in the generated schema",
    ]


def test_storage_bounds_are_dropped_and_rule_bounds_kept():
    sqlite = {"type": "integer", "maximum": 9223372036854775807, "format": "int64"}
    postgres = {"type": "integer", "maximum": 2147483647, "minimum": 0}
    rule = {"type": "integer", "maximum": 200, "minimum": 1}
    assert neutral_integer_bounds({"a": [sqlite]}) == {"a": [{"type": "integer"}]}
    assert neutral_integer_bounds(postgres) == {"type": "integer", "minimum": 0}
    assert neutral_integer_bounds(dict(rule)) == rule


def test_the_committed_schema_is_the_generated_one():
    assert COMMITTED.exists(), REGENERATE
    committed = neutral_integer_bounds(json.loads(COMMITTED.read_text("utf-8")))
    found = differences(committed, generated())
    assert not found, REGENERATE + "\n" + "\n".join(found[:40])


def test_every_error_answer_uses_the_house_error_body():
    schema = generated()
    refs = {"#/components/schemas/Error", "#/components/schemas/ValidationError"}
    wrong = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation.get("responses", {}).items():
                if status.startswith(("2", "3")):
                    continue
                body = answer.get("content", {}).get("application/json", {})
                if body.get("schema", {}).get("$ref") not in refs:
                    wrong.append(f"{method.upper()} {path} {status}")
    assert not wrong, wrong
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"code", "message", "fields"}
    assert error["required"] == ["code", "message"]


def test_every_parameter_is_described():
    schema = generated()
    bare = [
        f"{method.upper()} {path} {parameter['name']}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
        if not parameter.get("description")
    ]
    assert not bare, bare
