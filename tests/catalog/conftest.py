"""Builders for catalogue tests: a test states only what matters to it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from motcua.catalog import services
from motcua.catalog.models import Field, ProcedureVersion
from motcua.catalog.services import ComponentData, StepData, VersionData


def version_data(**overrides: Any) -> VersionData:
    values: dict[str, Any] = {
        "name": "Đăng ký khai sinh",
        "effective_from": date(2025, 1, 1),
        "time_value": Decimal(3),
        "time_unit": "working_days",
        "components": [ComponentData("Tờ khai đăng ký khai sinh", "original")],
        "steps": [
            StepData(1, "Tiếp nhận hồ sơ", "reception", Decimal("0.5")),
            StepData(2, "Xử lý", "specialist", Decimal(20)),
            StepData(3, "Phê duyệt", "leader", Decimal(1)),
        ],
    }
    values.update(overrides)
    return VersionData(**values)


@pytest.fixture
def field(db: None) -> Field:
    return services.field_save("HT", "Hộ tịch")


@pytest.fixture
def make_version(field: Field) -> Callable[..., ProcedureVersion]:
    """``make_version(code="1.001193", **VersionData fields)``."""

    def make(code: str = "1.001193", **overrides: Any) -> ProcedureVersion:
        return services.procedure_version_create(
            code=code, field=field, data=version_data(**overrides)
        )

    return make


@pytest.fixture
def write_json(tmp_path: Path):
    def write(doc: dict[str, Any], name: str = "catalogue.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        return path

    return write
