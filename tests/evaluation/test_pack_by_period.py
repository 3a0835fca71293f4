"""The evaluation pack by period (issue 10, law rule ``evaluation.pack``): the
nine indicators of Circular 01/2018 are the 2018 pack; from 01/07/2025 the
current index is Decision 766. Each page says which pack its figures follow."""

from __future__ import annotations

import pytest

from motcua.core import clock
from motcua.law.keys import RuleKey
from motcua.law.models import LegalRule
from tests.dossiers.builders import vn

from .world import evaluated_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.evaluation.urls")]


@pytest.fixture
def world():
    with clock.frozen_at(vn(2025, 6, 20, 10)):
        yield evaluated_world()


def page(client, world, name, period):
    with clock.frozen_at(vn(2025, 12, 1, 10)):
        response = client.get(
            f"/danh-gia/{name}/", {"co-quan": world.world.ward.code, "ky": period}
        )
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_the_circular01_page_names_its_pack_by_the_periods_last_day(client, world):
    client.force_login(world.world.leader)
    q2 = page(client, world, "thong-tu-01", "2025-Q2")
    assert 'data-pack="2018"' in q2
    assert "bộ chỉ số áp dụng cho kỳ này" in q2
    q3 = page(client, world, "thong-tu-01", "2025-Q3")
    assert 'data-pack="766"' in q3
    assert "chỉ để tham khảo" in q3 and "Quyết định 766/QĐ-TTg" in q3
    year = page(client, world, "thong-tu-01", "2025")  # ends 31/12/2025
    assert 'data-pack="766"' in year


def test_the_766_page_says_it_is_the_current_index_from_07_2025(client, world):
    client.force_login(world.world.leader)
    assert 'data-pack="766"' not in page(client, world, "chi-so-766", "2025-06")
    assert 'data-pack="766"' in page(client, world, "chi-so-766", "2025-07")


def test_an_administrator_may_move_the_pack_of_a_period(client, world):
    LegalRule.objects.filter(
        key=RuleKey.EVALUATION_PACK, valid_from__isnull=False
    ).update(value="2018")
    client.force_login(world.world.leader)
    assert 'data-pack="2018"' in page(client, world, "thong-tu-01", "2025-Q3")
