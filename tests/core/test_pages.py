"""The home page, the shared layout, the language switch and the pure-Python
translation compiler (``motcua compiletranslations``)."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from motcua.core.management.commands.compiletranslations import (
    MO_MAGIC,
    catalog,
    compile_po,
    parse_po,
)

PROJECT_LOCALE = Path(django_settings.LOCALE_PATHS[0])


@pytest.fixture
def english_compiled(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    """The project's translations compiled into a scratch copy (the source tree
    keeps no ``.mo``), installed as LOCALE_PATHS for the test."""
    locale = tmp_path / "locale"
    shutil.copytree(PROJECT_LOCALE, locale, ignore=shutil.ignore_patterns("*.mo"))
    call_command("compiletranslations", locale_dirs=[str(locale)], verbosity=0)
    settings.LOCALE_PATHS = [locale]
    return locale


# ------------------------------------------------------------------ home page
def test_home_page_says_what_motcua_is_and_links_to_every_service(client) -> None:
    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "hệ thống một cửa điện tử" in html
    assert "đúng hạn, minh bạch" in html
    for url in (
        reverse("calendar:year"),
        reverse("calendar:due"),
        "/api/docs/",
        reverse("admin:index"),
    ):
        assert f'href="{url}"' in html


def test_layout_is_vietnamese_and_accessible_by_default(client) -> None:
    html = client.get("/").content.decode()

    assert '<html lang="vi">' in html
    assert 'href="#main"' in html and 'id="main"' in html  # skip link
    assert "Bỏ qua, đến nội dung chính" in html
    for item in ("Trang chủ", "Lịch làm việc", "API", "Quản trị"):
        assert f">{item}</a>" in html
    assert 'aria-current="page"' in html
    assert 'action="/i18n/setlang/"' in html
    assert '<label for="lang-select">Ngôn ngữ</label>' in html
    assert "/static/motcua/motcua.css" in html


# ---------------------------------------------------------------- English UI
def test_compiled_english_translates_a_known_string(english_compiled: Path) -> None:
    assert (english_compiled / "en/LC_MESSAGES/django.mo").exists()
    with translation.override("en"):
        assert translation.gettext("Lịch làm việc") == "Working calendar"
        assert translation.gettext("thứ Bảy") == "Saturday"
        assert translation.pgettext("loại ngày", "Ngày làm việc") == "Working day"


def test_english_cookie_gives_an_english_home_page(client, english_compiled) -> None:
    client.cookies["django_language"] = "en"

    html = client.get("/").content.decode()

    assert '<html lang="en">' in html
    assert "Working calendar" in html
    assert "Skip to main content" in html
    assert "Due-date calculator" in html


def test_language_switch_form_sets_english(client, english_compiled) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Electronic one-stop shop" in html


def test_every_english_message_is_translated() -> None:
    entries = parse_po(PROJECT_LOCALE / "en/LC_MESSAGES/django.po")
    untranslated = [e.msgid for e in entries if e.msgid and not e.msgstr.get(0)]
    fuzzy = [e.msgid for e in entries if e.msgid and e.fuzzy]

    assert untranslated == []
    assert fuzzy == []


# ------------------------------------------------------- the .mo compiler
SAMPLE_PO = r"""# A comment
#, fuzzy
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: views.py:1
msgid "Lịch làm việc"
msgstr "Working calendar"

msgctxt "loại ngày"
msgid "Ngày làm việc"
msgstr "Working day"

msgid "%(n)s ngày"
msgid_plural "%(n)s ngày"
msgstr[0] "%(n)s day"
msgstr[1] "%(n)s days"

#, fuzzy
msgid "Đoán"
msgstr "Guess"

msgid "Chưa dịch"
msgstr ""

msgid ""
"Dòng một "
"dòng hai\n"
msgstr "Line one \"quoted\"\tline two\n"

#~ msgid "Cũ"
#~ msgstr "Old"
"""


def _compile_sample(tmp_path: Path) -> Path:
    po = tmp_path / "en/LC_MESSAGES/django.po"
    po.parent.mkdir(parents=True)
    po.write_text(SAMPLE_PO, encoding="utf-8")
    mo, _count = compile_po(po)
    return mo


def test_compiler_writes_a_gnu_mo_that_python_gettext_reads(tmp_path: Path) -> None:
    mo = _compile_sample(tmp_path)
    data = mo.read_bytes()
    assert int.from_bytes(data[:4], "little") == MO_MAGIC
    assert int.from_bytes(data[4:8], "little") == 0  # revision
    assert int.from_bytes(data[20:24], "little") == 0  # no hash table

    with mo.open("rb") as fp:
        catalog_ = gettext.GNUTranslations(fp)

    assert catalog_.gettext("Lịch làm việc") == "Working calendar"
    assert catalog_.pgettext("loại ngày", "Ngày làm việc") == "Working day"
    assert catalog_.ngettext("%(n)s ngày", "%(n)s ngày", 1) == "%(n)s day"
    assert catalog_.ngettext("%(n)s ngày", "%(n)s ngày", 3) == "%(n)s days"
    assert catalog_.gettext("Dòng một dòng hai\n") == 'Line one "quoted"\tline two\n'
    assert catalog_.gettext("Đoán") == "Đoán"  # fuzzy: left out
    assert catalog_.gettext("Chưa dịch") == "Chưa dịch"  # untranslated: left out
    assert catalog_.gettext("Cũ") == "Cũ"  # obsolete: left out
    assert catalog_.info()["content-type"] == "text/plain; charset=UTF-8"


def test_compiler_keeps_the_header_even_when_fuzzy(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(SAMPLE_PO, encoding="utf-8")

    compiled = catalog(parse_po(po))

    assert compiled[""].startswith("Content-Type: text/plain; charset=UTF-8")
    assert "Đoán" not in compiled
    assert compiled["loại ngày\x04Ngày làm việc"] == "Working day"
    assert compiled["%(n)s ngày\0%(n)s ngày"] == "%(n)s day\0%(n)s days"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_compiler_agrees_with_gnu_msgfmt(tmp_path: Path) -> None:
    ours = _compile_sample(tmp_path)
    theirs = tmp_path / "msgfmt.mo"
    po = ours.with_suffix(".po")
    subprocess.run(["msgfmt", "-o", str(theirs), str(po)], check=True)

    with ours.open("rb") as a, theirs.open("rb") as b:
        assert (
            gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog
        )  # type: ignore[attr-defined]


def test_compiler_reports_a_broken_po_file(tmp_path: Path) -> None:
    po = tmp_path / "en/LC_MESSAGES/django.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "a"\nmsgstr "b"\nnonsense\n', encoding="utf-8")

    with pytest.raises(Exception, match=r"django\.po:3"):
        call_command("compiletranslations", locale_dirs=[str(tmp_path)], verbosity=0)
