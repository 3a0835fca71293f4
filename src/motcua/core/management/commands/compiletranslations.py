"""``motcua compiletranslations``: compile every ``.po`` under the locale folders
into a GNU ``.mo``, in pure Python.

Django's own ``compilemessages`` shells out to GNU gettext's ``msgfmt``; MotCua
must install and run on a machine without gettext (a ward's single laptop), so
``make install`` calls this instead. ``.mo`` files are build output, never
committed.

The ``.mo`` format (GNU gettext manual, "The Format of GNU MO Files"): a 28-byte
header (magic 0x950412de, revision 0, number of strings N, offset of the table of
originals, offset of the table of translations, hash table size 0 and offset),
then the two tables of (length, offset) pairs, then the NUL-terminated strings.
Originals are sorted; a context is ``ctxt + "\\x04" + msgid``; plural forms are
NUL-joined (``msgid\\0msgid_plural`` → ``msgstr[0]\\0msgstr[1]``). Fuzzy and
untranslated entries are left out; the header (empty msgid) is always kept, as
``msgfmt`` does, because it carries the charset and the plural rule.
"""

from __future__ import annotations

import os
import re
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

MO_MAGIC = 0x950412DE
_HEADER_SIZE = 28
_KEYWORD = re.compile(
    r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$'
)
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))")
_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    '"': '"',
    "\\": "\\",
    "'": "'",
    "?": "?",
}


class PoSyntaxError(ValueError):
    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")


@dataclass
class PoEntry:
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    def key(self) -> str:
        assert self.msgid is not None
        original = self.msgid
        if self.msgid_plural is not None:
            original += "\0" + self.msgid_plural
        if self.msgctxt is not None:
            original = self.msgctxt + "\x04" + original
        return original

    def translation(self) -> str | None:
        """The compiled translation; None when untranslated."""
        if not self.msgstr:
            return None
        forms = [self.msgstr.get(i, "") for i in range(max(self.msgstr) + 1)]
        if any(not form for form in forms):
            return None
        return "\0".join(forms)


def _unquote(literal: str, path: Path, line: int) -> str:
    if len(literal) < 2 or not (literal.startswith('"') and literal.endswith('"')):
        raise PoSyntaxError(path, line, "expected a quoted string")

    def replace(match: re.Match[str]) -> str:
        octal, hexa, char = match.groups()
        if octal:
            return chr(int(octal, 8))
        if hexa:
            return chr(int(hexa, 16))
        if char in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[char]
        raise PoSyntaxError(path, line, f"unknown escape \\{char}")

    return _ESCAPE.sub(replace, literal[1:-1])


def parse_po(path: Path) -> list[PoEntry]:
    """The entries of a UTF-8 ``.po`` file (obsolete ``#~`` entries dropped)."""
    reader = _PoReader(path)
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        reader.feed(raw.strip(), number)
    reader.finish()
    return reader.entries


class _PoReader:
    """Line by line: comments and flags, keywords, string continuations."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: list[PoEntry] = []
        self.entry = PoEntry()
        self.target: tuple[str, int] | None = None
        self.line = 0

    def error(self, problem: str) -> PoSyntaxError:
        return PoSyntaxError(self.path, self.line, problem)

    def finish(self) -> None:
        if self.entry.msgid is not None:
            self.entries.append(self.entry)
        elif self.entry.msgstr or self.entry.msgctxt is not None:
            raise self.error("entry without msgid")
        self.entry, self.target = PoEntry(), None

    def feed(self, line: str, number: int) -> None:
        self.line = number
        if not line:
            self.finish()
        elif line.startswith("#~"):
            return
        elif line.startswith("#"):
            self.comment(line)
        elif line.startswith('"'):
            if self.target is None:
                raise self.error("string continuation without keyword")
            self.append(_unquote(line, self.path, number))
        else:
            self.keyword(line)

    def comment(self, line: str) -> None:
        if self.entry.msgstr:  # a comment after a complete entry opens the next one
            self.finish()
        if line.startswith("#,") and "fuzzy" in line[2:].replace(",", " ").split():
            self.entry.fuzzy = True

    def keyword(self, line: str) -> None:
        match = _KEYWORD.match(line)
        if match is None:
            raise self.error(f"cannot read {line[:40]!r}")
        keyword, index, literal = match.groups()
        if keyword in ("msgctxt", "msgid") and self.entry.msgstr:
            self.finish()  # entries not separated by a blank line
        value = _unquote(literal, self.path, self.line)
        if keyword.startswith("msgstr"):
            self.target = ("msgstr", int(index or 0))
            self.entry.msgstr[self.target[1]] = value
            return
        if getattr(self.entry, keyword) is not None:
            raise self.error(f"duplicate {keyword}")
        self.target = (keyword, 0)
        setattr(self.entry, keyword, value)

    def append(self, value: str) -> None:
        assert self.target is not None
        name, index = self.target
        if name == "msgstr":
            self.entry.msgstr[index] += value
        else:
            setattr(self.entry, name, (getattr(self.entry, name) or "") + value)


def catalog(entries: list[PoEntry]) -> dict[str, str]:
    """original → translation, as compiled: no fuzzy, no untranslated entries,
    the header always."""
    compiled: dict[str, str] = {}
    for entry in entries:
        is_header = entry.msgid == "" and entry.msgctxt is None
        if entry.fuzzy and not is_header:
            continue
        translation = entry.translation()
        if translation is not None:
            compiled[entry.key()] = translation
    return compiled


def mo_bytes(messages: dict[str, str]) -> bytes:
    """A GNU ``.mo`` file (little-endian, no hash table) for ``messages``."""
    originals = sorted(
        (k.encode("utf-8"), v.encode("utf-8")) for k, v in messages.items()
    )
    n = len(originals)
    originals_at = _HEADER_SIZE
    translations_at = originals_at + 8 * n
    strings_at = translations_at + 8 * n
    ids = b""
    strs = b""
    id_table: list[int] = []
    str_table: list[int] = []
    for original, _translation in originals:
        id_table += [len(original), strings_at + len(ids)]
        ids += original + b"\0"
    strs_at = strings_at + len(ids)
    for _original, translation in originals:
        str_table += [len(translation), strs_at + len(strs)]
        strs += translation + b"\0"
    header = struct.pack(
        "<7I", MO_MAGIC, 0, n, originals_at, translations_at, 0, strings_at
    )
    return (
        header
        + struct.pack(f"<{2 * n}I", *id_table)
        + struct.pack(f"<{2 * n}I", *str_table)
        + ids
        + strs
    )


def compile_po(po_path: Path) -> tuple[Path, int]:
    """Write ``<name>.mo`` next to ``po_path``; returns it and the message count."""
    messages = catalog(parse_po(po_path))
    mo_path = po_path.with_suffix(".mo")
    fd, tmp = tempfile.mkstemp(dir=po_path.parent, prefix=".", suffix=".mo.tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(mo_bytes(messages))
        os.chmod(tmp, 0o644)
        os.replace(tmp, mo_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return mo_path, len(messages)


class Command(BaseCommand):
    help = (
        "Biên dịch mọi tệp .po trong thư mục locale thành .mo (thuần Python, "
        "không cần GNU gettext)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--locale-dir",
            action="append",
            dest="locale_dirs",
            metavar="DIR",
            help="Thư mục locale cần biên dịch (mặc định: LOCALE_PATHS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dirs = [Path(d) for d in (options["locale_dirs"] or settings.LOCALE_PATHS)]
        po_files = sorted(p for d in dirs if d.is_dir() for p in d.rglob("*.po"))
        if not po_files:
            raise CommandError(
                "Không tìm thấy tệp .po nào trong: " + ", ".join(str(d) for d in dirs)
            )
        for po_path in po_files:
            try:
                mo_path, count = compile_po(po_path)
            except (PoSyntaxError, UnicodeDecodeError) as exc:
                raise CommandError(f"Không đọc được {po_path}: {exc}") from exc
            if options["verbosity"] >= 1:
                self.stdout.write(f"{mo_path}: {count} chuỗi")
