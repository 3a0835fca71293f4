"""Import from the national procedure database: the sample files (JSON and
Excel), the preview, versions from the publishing decision's date, dossiers
keeping their version, idempotence, per-line errors, the command."""

from __future__ import annotations

import copy
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from motcua.catalog import selectors
from motcua.catalog.changes import CHANGED, NEW, UNCHANGED
from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.national import import_national, import_national_file
from motcua.catalog.national_values import (
    NationalValueError,
    counts,
    fee_from_text,
    procedure_code,
    time_from_text,
)
from motcua.core.errors import Conflict
from tests.catalog.national_sample import write as write_xlsx
from tests.dossiers.builders import build_world, vn

DATA = Path(__file__).parent / "data"
JSON_SAMPLE = DATA / "national_sample.json"
XLSX_SAMPLE = DATA / "national_sample.xlsx"
CODES = ["1.001193", "1.000894", "1.000656", "1.004873", "2.000635"]
PUBLISHED = date(2020, 9, 4)


def sample() -> list[dict[str, Any]]:
    return json.loads(JSON_SAMPLE.read_text("utf-8"))["result"]


def as_json(items: list[dict[str, Any]]) -> bytes:
    return json.dumps({"result": items}, ensure_ascii=False).encode("utf-8")


def kinds(report) -> dict[str, str]:
    return {c.code: c.kind for c in report.changes}


# --- reading the national values ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("05 ngày làm việc", 5, "working_days"),
        ("Trong ngày", 0, "same_day"),
        ("07 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", 7, "working_days"),
        (
            "Ngay trong ngày tiếp nhận hồ sơ; trường hợp nhận hồ sơ sau 15 giờ mà "
            "không giải quyết được ngay thì trả kết quả trong ngày làm việc tiếp theo",
            0,
            "same_day",
        ),
        ("Không quá 30 ngày", 30, "calendar_days"),
    ],
)
def test_time_sentences_are_read(text, value, unit):
    assert time_from_text(text) == (Decimal(value), unit)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("vài ngày", "national.time_unparsed"),
        ("Trong ngày; trường hợp xác minh 05 ngày làm việc", "national.time_ambiguous"),
        ("01 tháng", "national.time_unit"),
        ("", "national.time_missing"),
    ],
)
def test_time_sentences_that_could_mean_anything_are_refused(text, code):
    with pytest.raises(NationalValueError) as caught:
        time_from_text(text)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Không", 0),
        ("Lệ phí: Miễn lệ phí", 0),
        ("50.000 đồng/hồ sơ", 50000),
        ("Lệ phí theo Nghị quyết của HĐND tỉnh", 0),
    ],
)
def test_fee_sentences_are_read(text, amount):
    assert fee_from_text(text) == amount


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Miễn lệ phí đúng hạn; quá hạn 10.000 đồng", "national.fee_ambiguous"),
        ("20.000 đồng hoặc 50.000 đồng", "national.fee_ambiguous"),
        ("Theo thỏa thuận", "national.fee_unparsed"),
    ],
)
def test_fee_sentences_that_could_mean_two_amounts_are_refused(text, code):
    with pytest.raises(NationalValueError) as caught:
        fee_from_text(text)
    assert caught.value.code == code


def test_codes_and_counts_of_the_national_layout():
    assert procedure_code("1.001193.000.00.00.H12") == "1.001193"
    assert procedure_code("2.000986") == "2.000986"
    assert counts("Bản chính: 1 - Bản sao: 2") == (1, 2)
    with pytest.raises(NationalValueError):
        procedure_code("TT-01")


# --- preview and apply ----------------------------------------------------------------


def test_the_sample_previews_as_five_new_procedures_and_writes_nothing(db, field):
    national, report = import_national_file(JSON_SAMPLE)
    assert report.ok and not report.applied
    assert kinds(report) == dict.fromkeys(CODES, NEW)
    assert not Procedure.objects.exists()
    assert len(national.sha256) == 64


def test_json_and_excel_forms_give_the_same_catalogue(db, field):
    import_national_file(JSON_SAMPLE, apply=True)
    _, report = import_national_file(XLSX_SAMPLE)
    assert report.ok
    assert kinds(report) == dict.fromkeys(CODES, UNCHANGED)


def test_apply_maps_the_published_content(db, field):
    _, report = import_national_file(JSON_SAMPLE, apply=True)
    assert report.applied and report.versions_created == 5
    birth = ProcedureVersion.objects.get(procedure__code="1.001193")
    assert birth.effective_from == PUBLISHED and birth.effective_to is None
    assert (birth.time_unit, birth.time_value) == ("same_day", 0)
    assert birth.procedure.field == field  # matched by name, not a second field
    assert birth.level == "commune" and birth.online_level == "full"
    assert birth.fee_amount == 0 and birth.fee_text == "Lệ phí: Miễn lệ phí"
    assert birth.decision == "1872/QĐ-BTP"
    assert birth.legal_basis.splitlines()[0] == (
        "60/2014/QH13 — Luật Hộ tịch (ban hành 20/11/2014; Quốc hội)"
    )
    components = list(birth.components.values_list("kind", "count", "required"))
    assert components == [
        ("original", 1, True),
        ("original", 1, True),
        ("shown", 1, True),
    ]
    status = ProcedureVersion.objects.get(procedure__code="1.004873")
    assert (status.time_unit, status.time_value) == ("working_days", 3)
    copy_fee = ProcedureVersion.objects.get(procedure__code="2.000635")
    assert copy_fee.fee_amount == 8000
    marriage = ProcedureVersion.objects.get(procedure__code="1.000894")
    assert marriage.online_level == "partial" and marriage.channel_times == {}
    assert Field.objects.count() == 1


def test_a_changed_procedure_gets_a_new_version_closing_the_old_one(
    db, field, make_version
):
    old = make_version(
        code="1.001193",
        name="Khai sinh",
        effective_from=date(2016, 1, 1),
        aliases=["làm giấy khai sinh"],
    )
    _, preview = import_national_file(JSON_SAMPLE)
    change = next(c for c in preview.changes if c.code == "1.001193")
    assert change.kind == CHANGED and change.closes == old.number
    by_key = {f.key: f for f in change.fields}
    assert by_key["name"].old == "Khai sinh"
    assert by_key["name"].new == "Đăng ký khai sinh"
    assert by_key["time"].old == "3 ngày làm việc"
    assert by_key["time"].new == "Trong ngày"
    assert "aliases" not in by_key  # not published: kept from the stored version
    assert by_key["fee_text"].old == "(trống)"
    assert by_key["steps"].old.startswith(
        "1. Tiếp nhận hồ sơ (Cán bộ một cửa, 0,5 giờ)"
    )
    assert by_key["steps"].new == "Quy trình mặc định theo thời hạn giải quyết"
    old.refresh_from_db()
    assert old.effective_to is None  # the preview wrote nothing

    import_national_file(JSON_SAMPLE, apply=True)
    old.refresh_from_db()
    new = ProcedureVersion.objects.get(procedure__code="1.001193", number=2)
    assert old.effective_to == PUBLISHED  # last day in force: 03/09/2020
    assert new.effective_from == PUBLISHED and new.aliases == ["làm giấy khai sinh"]
    # the old steps (24 h) do not fit "trong ngày": the default workflow applies
    assert not new.steps.exists()


def test_a_date_chosen_by_the_admin_replaces_the_decisions(db, field, make_version):
    make_version(code="1.001193", effective_from=date(2016, 1, 1))
    chosen = date(2021, 1, 1)
    import_national_file(JSON_SAMPLE, effective=chosen, apply=True)
    assert (
        ProcedureVersion.objects.get(
            procedure__code="1.001193", number=2
        ).effective_from
        == chosen
    )
    assert set(ProcedureVersion.objects.values_list("effective_from", flat=True)) == {
        date(2016, 1, 1),
        chosen,
    }


def test_a_dossier_received_under_the_old_version_keeps_it(db):
    world = build_world(value=3)
    items = sample()[:1]
    items[0]["MATTHC"] = world.procedure.code
    before = world.receive(vn(2020, 3, 2))
    assert before.procedure_version == world.version

    _, report = import_national(as_json(items), ".json", apply=True)
    assert report.ok and kinds(report) == {world.procedure.code: CHANGED}

    before.refresh_from_db()
    assert before.procedure_version_id == world.version.pk
    assert before.due_at is not None
    newer = selectors.version_in_force(world.procedure, date(2020, 10, 1))
    assert newer.number == 2 and newer.time_unit == "same_day"
    assert selectors.version_in_force(world.procedure, date(2020, 9, 3)).number == 1
    after = world.receive(vn(2020, 10, 1))
    assert after.procedure_version == newer


def test_reimporting_the_same_file_changes_nothing(db, field):
    import_national_file(JSON_SAMPLE, apply=True)
    versions = list(ProcedureVersion.objects.values_list("pk", "effective_to"))
    _, again = import_national_file(JSON_SAMPLE, apply=True)
    assert again.ok and again.versions_created == 0 and again.unchanged == 5
    assert list(ProcedureVersion.objects.values_list("pk", "effective_to")) == versions


def test_a_broken_line_names_its_row_and_field_and_nothing_is_written(db, field):
    items = sample()
    items[1]["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0].update(
        {"THOIGIANGIAIQUYET": "", "DONVITINH": "", "MOTA": "vài ngày"}
    )
    items[3]["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0].update(
        {"SOTIEN": "", "MOTA": "Theo thỏa thuận"}
    )
    _, report = import_national(as_json(items), ".json", apply=True)
    assert not report.applied and not Procedure.objects.exists()
    found = {(i.location, i.code) for i in report.issues}
    assert ("mục 2 (1.000894), CACHTHUCTHUCHIEN 1", "national.time_unparsed") in found
    assert ("mục 4 (1.004873), CACHTHUCTHUCHIEN 1", "national.fee_unparsed") in found
    message = next(str(i) for i in report.issues if i.code == "national.time_unparsed")
    assert "Thời hạn giải quyết" in message and "vài ngày" in message


def test_a_broken_excel_row_is_named_by_sheet_and_row(db, field, tmp_path):
    items = sample()
    items[2]["CACHTHUCTHUCHIEN"][1]["THOIGIAN"][0].update(
        {"DONVITINH": "", "MOTA": "Trong ngày; trường hợp xác minh 03 ngày làm việc"}
    )
    path = write_xlsx(items, tmp_path / "broken.xlsx")
    _, report = import_national_file(path, apply=True)
    assert not Procedure.objects.exists()
    assert [(i.location, i.code) for i in report.issues] == [
        ("Cách thức thực hiện/dòng 8", "national.time_ambiguous")
    ]


def test_a_file_without_the_decisions_date_needs_one(db, field):
    items = sample()[:1]
    del items[0]["NGAYHIEULUC"]
    _, report = import_national(as_json(items), ".json")
    assert [i.code for i in report.issues] == ["national.no_effective_date"]
    _, chosen = import_national(as_json(items), ".json", effective=PUBLISHED)
    assert chosen.ok


def test_applying_another_file_than_the_previewed_one_is_refused(db, field):
    national, _ = import_national_file(JSON_SAMPLE)
    items = sample()
    items[0]["TENTTHC"] = "Đăng ký khai sinh (sửa)"
    with pytest.raises(Conflict) as caught:
        import_national(
            as_json(items), ".json", apply=True, expected_sha256=national.sha256
        )
    assert caught.value.code == "catalog.national_file_changed"
    assert not Procedure.objects.exists()


def test_applying_after_the_catalogue_moved_is_refused(db, field, make_version):
    from motcua.catalog.changes import digest

    _, preview = import_national_file(JSON_SAMPLE)
    make_version(code="1.000656", effective_from=date(2016, 1, 1))
    with pytest.raises(Conflict) as caught:
        import_national(
            JSON_SAMPLE.read_bytes(),
            ".json",
            apply=True,
            expected_digest=digest(preview.changes),
        )
    assert caught.value.code == "catalog.national_preview_stale"
    assert Procedure.objects.count() == 1


def test_several_levels_keep_the_stored_one_or_ask(db, field, make_version):
    items = sample()[:1]
    items[0]["CAPTHUCHIEN"] = [{"CAPTHUCHIEN": "Cấp Xã"}, {"CAPTHUCHIEN": "Cấp Huyện"}]
    _, new = import_national(as_json(items), ".json")
    assert [i.code for i in new.issues] == ["national.several_levels"]
    make_version(code="1.001193", effective_from=date(2016, 1, 1))
    _, known = import_national(as_json(items), ".json")
    assert known.ok


def test_an_unknown_field_needs_its_code(db):
    items = sample()[:1]
    items[0]["LINHVUCTHUCHIEN"] = [{"TENLINHVUC": "Hộ tịch"}]
    _, report = import_national(as_json(items), ".json")
    assert [i.code for i in report.issues] == ["national.unknown_field"]
    items[0]["LINHVUCTHUCHIEN"] = [{"MALINHVUC": "G01", "TENLINHVUC": "Hộ tịch"}]
    _, created = import_national(as_json(items), ".json", apply=True)
    assert created.fields_created == 1 and Field.objects.get().code == "G01"


# --- the command ---------------------------------------------------------------------


def test_the_command_previews_by_default_and_applies_on_request(db, field):
    out = io.StringIO()
    call_command("import_national_catalog", str(JSON_SAMPLE), stdout=out)
    assert "Thủ tục mới: 5" in out.getvalue() and not Procedure.objects.exists()
    call_command(
        "import_national_catalog", str(XLSX_SAMPLE), "--apply", stdout=io.StringIO()
    )
    assert Procedure.objects.count() == 5


def test_the_command_lists_errors_and_fails(db, field, tmp_path):
    items = copy.deepcopy(sample())
    items[0]["MATTHC"] = "KS-01"
    path = tmp_path / "broken.json"
    path.write_bytes(as_json(items))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_national_catalog", str(path), "--apply", stderr=err, stdout=err
        )
    assert "[national.bad_code] mục 1 (KS-01): Mã thủ tục" in err.getvalue()
    assert not Procedure.objects.exists()


def test_a_blank_form_uploaded_for_a_component_follows_it_to_the_new_version(
    db, field, make_version
):
    from motcua.catalog.services import ComponentData

    name = "Tờ khai đăng ký khai sinh theo mẫu"
    old = make_version(
        code="1.001193",
        effective_from=date(2016, 1, 1),
        components=[ComponentData(name, "original")],
    )
    old.components.update(blank_form="catalog/forms/to-khai-khai-sinh.pdf")
    import_national_file(JSON_SAMPLE, apply=True)
    new = ProcedureVersion.objects.get(procedure__code="1.001193", number=2)
    assert new.components.get(name=name).blank_form.name == (
        "catalog/forms/to-khai-khai-sinh.pdf"
    )
    assert old.components.get().blank_form.name  # the old version keeps its own


def test_a_missing_level_or_time_is_an_error_not_a_default(db, field):
    items = sample()[:1]
    items[0]["CAPTHUCHIEN"] = []
    items[0]["CACHTHUCTHUCHIEN"][1]["THOIGIAN"] = []
    _, report = import_national(as_json(items), ".json")
    assert sorted((i.location, i.code) for i in report.issues) == [
        ("mục 1 (1.001193.000.00.00.H12)", "national.no_level"),
        ("mục 1 (1.001193.000.00.00.H12), CACHTHUCTHUCHIEN 2", "national.time_missing"),
    ]


def test_a_code_typed_as_a_number_in_a_spreadsheet_keeps_its_zeros():
    assert procedure_code(2.00063) == "2.000630"


def test_another_channels_time_and_fee_text_are_kept_per_channel(db, field):
    items = sample()[3:4]  # 1.004873: three channels, 3 working days
    online = items[0]["CACHTHUCTHUCHIEN"][1]["THOIGIAN"][0]
    online.update({"THOIGIANGIAIQUYET": 2})
    online["PHILEPHI"] = [{"SOTIEN": 0, "MOTA": "Miễn lệ phí khi nộp trực tuyến"}]
    import_national(as_json(items), ".json", apply=True)
    version = ProcedureVersion.objects.get()
    assert (version.time_unit, version.time_value) == ("working_days", 3)
    assert version.channel_times == {"online": {"value": 2, "unit": "working_days"}}
    assert version.fee_text == (
        "Trực tiếp: Lệ phí theo Nghị quyết của Hội đồng nhân dân cấp tỉnh; "
        "Trực tuyến: Miễn lệ phí khi nộp trực tuyến; "
        "Bưu chính: Lệ phí theo Nghị quyết của Hội đồng nhân dân cấp tỉnh"
    )
