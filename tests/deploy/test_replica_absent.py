"""Without a configured replica, asking for replica reads changes nothing
(the embedded profile, and every deployment with one database)."""

from __future__ import annotations

import pytest
from django.db import router

from motcua.agencies.models import Agency
from motcua.core.replica import replica_configured, replica_reads
from motcua.privacy.models import ReadLog


@pytest.mark.django_db
def test_without_a_replica_every_read_stays_on_the_primary() -> None:
    assert not replica_configured()
    with replica_reads():
        assert Agency.objects.all().db == "default"
        assert ReadLog.objects.all().db == "default"
        assert router.db_for_write(Agency) == "default"
        assert list(Agency.objects.all()) == []
