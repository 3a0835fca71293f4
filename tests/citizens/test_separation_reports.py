"""A citizen's account is not staff: the statistics pages refuse it (403)."""

from __future__ import annotations

import pytest

from .factories import citizen_client, make_citizen

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/bao-cao/bieu-06/",
        "/bao-cao/bieu-06/ho-so",
        "/bao-cao/bieu-06/xlsx",
        "/bao-cao/bieu-06/pdf",
    ],
)
def test_a_citizen_gets_403_on_the_reports(path):
    response = citizen_client(make_citizen()).get(path)
    assert response.status_code == 403
    assert "dành cho cán bộ" in response.content.decode()
