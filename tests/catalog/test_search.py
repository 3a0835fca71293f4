"""The catalogue search with the words people use: no accents needed, aliases
("sổ đỏ", "báo tử", "làm giấy khai sinh cho con"), ranked name > alias > text,
and aliases are data an administrator edits."""

from __future__ import annotations

from datetime import date
from importlib import import_module

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog import services
from motcua.catalog.models import SearchAlias
from motcua.catalog.search import ALIAS, NAME, TEXT, query_words, words_needed
from motcua.catalog.selectors import search_procedures
from motcua.core.errors import DomainError
from motcua.core.text import fold

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)
BIRTH, LATE_BIRTH, DEATH, SINGLE = "1.001193", "1.004884", "1.000656", "1.004873"
LAND = {"1.012789", "1.013992", "2.001035"}


@pytest.fixture
def reference(db: None) -> None:
    services.load_reference_catalogue()


def codes(q: str, **kwargs: object) -> list[str]:
    return [v.procedure.code for v in search_procedures(q, at=TODAY, **kwargs)]


def test_a_sentence_as_people_say_it_finds_birth_registration_first(reference):
    assert codes("lam giay khai sinh cho con")[0] == BIRTH
    assert codes("Làm giấy khai sinh cho con")[0] == BIRTH


@pytest.mark.parametrize(
    "q", ["đăng ký khai sinh", "dang ky khai sinh", "ĐĂNG KÝ KHAI SINH"]
)
def test_the_name_with_or_without_accents_ranks_first(reference, q):
    found = list(search_procedures(q, at=TODAY))
    assert found[0].procedure.code == BIRTH
    assert found[0].match_rank == NAME


def test_so_do_finds_the_land_use_right_certificate_procedures(reference):
    assert set(codes("sổ đỏ")) == LAND
    assert set(codes("so do")) == LAND


def test_bao_tu_finds_death_registration(reference):
    assert codes("báo tử")[0] == DEATH
    assert codes("bao tu") == codes("báo tử")


def test_xac_nhan_doc_than_finds_marriage_status_certification_only(reference):
    assert codes("xác nhận độc thân") == [SINGLE]
    assert codes("xac nhan doc than") == [SINGLE]


def test_name_beats_alias_beats_text(reference):
    # "khai sinh": in the names of birth and late birth registration, in the
    # aliases of the civil-status correction, in the text of the copy extract
    found = list(search_procedures("khai sinh", at=TODAY))
    ranks = [v.match_rank for v in found]
    assert ranks == sorted(ranks)
    by_code = {v.procedure.code: v.match_rank for v in found}
    assert by_code[BIRTH] == NAME and by_code[LATE_BIRTH] == NAME
    assert by_code["1.004859"] == ALIAS  # "sửa thông tin khai sinh"
    assert next(c for c in by_code if by_code[c] == NAME) == BIRTH  # shorter name


def test_a_word_matches_whole_words_only(reference):
    # "con" is not "công" (chứng thực, người có công …)
    assert "1.010833" not in codes("con")
    assert "1.001022" in codes("con")


def test_a_query_with_an_unknown_word_falls_back_on_most_words(reference):
    # nothing holds "xin": three words of four still find death registration
    assert codes("xin giấy chứng tử")[0] == DEATH


def test_nonsense_finds_nothing(reference):
    assert codes("xyzzy qwerty") == []


def test_the_field_and_the_agency_narrow_the_search(reference):
    assert set(codes("so do", field=_field("DD"))) == {"1.012789", "1.013992"}


def _field(code: str):
    from motcua.catalog.models import Field

    return Field.objects.get(code=code)


def test_an_alias_added_by_an_administrator_is_searched_at_once(reference):
    alias = SearchAlias(procedure_code=DEATH, phrase="  làm giấy  chết ")
    services.search_alias_save(alias)
    assert alias.folded == "lam giay chet" and alias.phrase == "làm giấy chết"
    found = list(search_procedures("lam giay chet cho ba", at=TODAY))
    assert found[0].procedure.code == DEATH and found[0].match_rank == ALIAS


def test_an_alias_twice_or_empty_is_refused(reference):
    with pytest.raises(DomainError) as twice:
        services.search_alias_save(SearchAlias(procedure_code=DEATH, phrase="Báo Tử"))
    assert twice.value.code == "catalog.duplicate_alias"
    with pytest.raises(DomainError) as empty:
        services.search_alias_save(SearchAlias(procedure_code=DEATH, phrase=" ̀ "))
    assert empty.value.code == "catalog.empty_alias"


def test_the_data_migration_seeds_the_common_names(db):
    # run the migration's own function (a transactional test elsewhere in the
    # suite may have emptied the table the migration filled)
    from django.apps import apps

    seeding = import_module("motcua.catalog.migrations.0005_seed_search_aliases")
    SearchAlias.objects.all().delete()
    seeding.seed(apps, None)
    seeding.seed(apps, None)  # twice: nothing doubles
    assert SearchAlias.objects.filter(
        procedure_code=BIRTH, folded="lam giay khai sinh"
    ).exists()
    assert SearchAlias.objects.filter(
        procedure_code=SINGLE, folded="xac nhan doc than"
    ).exists()
    land = SearchAlias.objects.filter(folded="so do")
    assert set(land.values_list("procedure_code", flat=True)) >= LAND
    seeded = SearchAlias.objects.count()
    assert seeded == len(
        {(c, fold(p)) for c, ps in seeding.COMMON_NAMES.items() for p in ps}
    )
    seeding.unseed(apps, None)
    assert SearchAlias.objects.count() == 0


def test_a_versions_other_names_become_search_aliases(db):
    field = services.field_save("HT", "Hộ tịch")
    services.procedure_version_create(
        code="1.999999",
        field=field,
        data=services.VersionData(
            name="Thủ tục thử", effective_from=date(2025, 1, 1), aliases=["tên gọi mới"]
        ),
    )
    assert SearchAlias.objects.filter(
        procedure_code="1.999999", folded="ten goi moi"
    ).exists()
    assert codes("ten goi moi") == ["1.999999"]


def test_search_is_one_statement_whatever_the_query(reference):
    with CaptureQueriesContext(connection) as short:
        list(search_procedures("so do", at=TODAY).prefetch_related(None))
    with CaptureQueriesContext(connection) as long:
        list(
            search_procedures("lam giay khai sinh cho con", at=TODAY).prefetch_related(
                None
            )
        )
    assert len(short) == 1
    assert len(long) <= 2  # the fallback's EXISTS


def test_hostile_queries_are_bounded_and_never_fail(reference):
    for q in [
        "%",
        "_",
        "\\",
        "' OR 1=1 --",
        "a" * 5000,
        "so\x00do",
        " ".join(["x"] * 100),
    ]:
        list(search_procedures(q, at=TODAY))
    _phrase, words = query_words("a " * 100)
    assert len(words) == 1
    assert codes("_") == []
    assert codes("%") == codes("")  # punctuation only: no words, every procedure


def test_words_needed_for_the_fallback():
    assert [words_needed(n) for n in (1, 2, 3, 4, 5, 6)] == [1, 2, 2, 3, 3, 4]
    assert TEXT > ALIAS > NAME


def test_an_administrator_adds_an_alias_in_the_admin(admin_client):
    url = "/admin/catalog/searchalias/add/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, {"procedure_code": DEATH, "phrase": "Giấy báo tử bố"}
    )
    assert response.status_code == 302
    assert SearchAlias.objects.get(procedure_code=DEATH, folded="giay bao tu bo")
    again = admin_client.post(
        url, {"procedure_code": DEATH, "phrase": "giay bao tu bo"}
    )
    assert again.status_code == 200
    assert "đã có cách gọi" in again.content.decode()
    bad = admin_client.post(url, {"procedure_code": "12345", "phrase": "x"})
    assert bad.status_code == 200 and "1.001193" in bad.content.decode()
    listing = admin_client.get("/admin/catalog/searchalias/?q=bao tu")
    assert "Giấy báo tử bố" in listing.content.decode()


def test_punctuation_is_a_space_on_both_sides(reference):
    # the name is "Đăng ký nhận cha, mẹ, con": commas in the name, none typed
    assert codes("nhận cha mẹ con")[0] == "1.001022"
    assert codes("Sổ đỏ?") == codes("so do")
    assert codes("khai sinh, kết hôn") == codes("khai sinh ket hon")
    assert codes("1.001193") == [BIRTH]  # a code keeps its dot


def test_the_punctuation_migration_recomputes_what_is_stored(reference):
    from django.apps import apps

    from motcua.catalog.models import ProcedureVersion

    migration = import_module(
        "motcua.catalog.migrations.0007_search_without_punctuation"
    )
    ProcedureVersion.objects.update(search_text="old, text", search_name="old,")
    SearchAlias.objects.create(procedure_code=DEATH, phrase="báo tử!", folded="bao tu!")
    migration.recompute(apps, None)
    version = ProcedureVersion.objects.filter(procedure__code="1.001022").first()
    assert version.search_name == "dang ky nhan cha me con"
    assert "nhan cha me con" in version.search_text
    # "báo tử!" now reads as the alias "báo tử" the catalogue had: kept once
    assert (
        SearchAlias.objects.filter(procedure_code=DEATH, folded="bao tu").count() == 1
    )
    assert not SearchAlias.objects.filter(folded__contains="!").exists()
