"""The read log is append-only and holds no personal data."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from motcua.core import clock
from motcua.privacy.models import ReadLog, ReadLogImmutable
from motcua.privacy.services import record_read

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer() -> Any:
    return get_user_model().objects.create_user("canbo1", password="x")


def test_record_read_appends_a_row_at_the_clock_time(agency: Any, officer: Any) -> None:
    ward = agency()
    instant = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)
    with clock.frozen_at(instant):
        record_read(officer, agency=ward, what="export", detail="so-theo-doi", count=42)
    row = ReadLog.objects.get()
    assert (row.at, row.username, row.agency_id, row.what, row.count) == (
        instant,
        "canbo1",
        ward.pk,
        "export",
        42,
    )
    assert row.dossier_id is None and row.dossier_code == ""


def test_unknown_kind_is_refused(agency: Any, officer: Any) -> None:
    with pytest.raises(ValueError):
        record_read(officer, agency=agency(), what="peek")


def test_a_row_cannot_be_changed_or_deleted_through_the_orm(
    agency: Any, officer: Any
) -> None:
    record_read(officer, agency=agency(), what="export")
    row = ReadLog.objects.get()
    row.username = "someone-else"
    with pytest.raises(ReadLogImmutable):
        row.save()
    with pytest.raises(ReadLogImmutable):
        row.delete()
    with pytest.raises(ReadLogImmutable):
        ReadLog.objects.filter(pk=row.pk).update(username="x")
    with pytest.raises(ReadLogImmutable):
        ReadLog.objects.all().delete()
    with pytest.raises(ReadLogImmutable):
        ReadLog.objects.bulk_update([row], ["username"])
    with pytest.raises(ReadLogImmutable):
        ReadLog._base_manager.all().delete()
    with pytest.raises(ReadLogImmutable):
        ReadLog.objects.update_or_create(pk=row.pk, defaults={"username": "x"})
    assert ReadLog.objects.get().username == "canbo1"


def test_deleting_the_user_keeps_the_row_and_the_user_name(
    agency: Any, officer: Any
) -> None:
    record_read(officer, agency=agency(), what="export")
    officer.delete()
    row = ReadLog.objects.get()
    assert row.username == "canbo1"
