"""The catalogue search with the words people use (issue 12 item 1).

A query is folded (:func:`search_fold`: no accents, no case, đ → d, no
punctuation) and compared with three things, in this order of rank:

1. the procedure's **name** (stored folded in ``search_name``): the name holds
   the whole query ("khai sinh"), or the query holds the whole name ("đăng ký
   khai sinh cho con");
2. its **aliases** (:class:`~motcua.catalog.models.SearchAlias`, the words
   people use: "sổ đỏ", "làm giấy khai sinh", "báo tử"), the same two ways;
3. the rest of its **text** (code, name, other names, field: ``search_text``):
   every word of the query appears there as a whole word. When nothing at all
   matches so, a query of three words or more falls back on versions holding
   three in five of its words ("xin lam giay chung tu" still finds death
   registration).

Within a rank, more matching words first, then the shorter name, then the
code. Everything is one SQL query (aliases in a subquery) on SQLite and PostgreSQL
alike, plus one EXISTS for the fallback; pages slice it.
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.db.models import (
    Case,
    F,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat, Length
from django.db.models.lookups import Contains

from motcua.core.text import fold

from .models import ProcedureVersion, SearchAlias

NAME, ALIAS, TEXT = 0, 1, 2
MAX_QUERY_CHARS = 200
MAX_WORDS = 12
# punctuation is a space; a dot stays only between digits (codes: 1.001193)
_SEPARATORS = re.compile(r"[^\w.]+|(?<!\d)\.|\.(?!\d)")


def search_fold(text: str) -> str:
    """:func:`~motcua.core.text.fold`, then punctuation as spaces, so that a
    word next to a comma is still a word: "nhận cha, mẹ, con" → "nhan cha me
    con". What the search stores and what it compares are both made so."""
    return " ".join(_SEPARATORS.sub(" ", fold(text)).split())


def _padded(column: str) -> Concat:
    return Concat(Value(" "), F(column), Value(" "), output_field=TextField())


def _either_holds(column: str, phrase: str) -> Q:
    """``column`` holds ``phrase`` as whole words, or the other way round."""
    padded_phrase = Value(f" {phrase} ", output_field=TextField())
    return Q(Contains(_padded(column), padded_phrase)) | Q(
        Contains(padded_phrase, _padded(column))
    )


def query_words(q: str) -> tuple[str, list[str]]:
    """The folded query, bounded, and its distinct words in order."""
    phrase = search_fold((q or "")[:MAX_QUERY_CHARS])
    words = list(dict.fromkeys(phrase.split()))[:MAX_WORDS]
    return " ".join(phrase.split()[: MAX_WORDS * 2]), words


def words_needed(count: int) -> int:
    """How many of the query's words the text must hold (rank 3)."""
    return count if count <= 2 else math.ceil(count * 3 / 5)


def alias_codes(phrase: str) -> QuerySet[SearchAlias, Any]:
    """Codes of the procedures an alias names, for this folded query (a
    subquery: the search stays one SQL statement)."""
    rows = SearchAlias.objects.filter(_either_holds("folded", phrase))
    return rows.values("procedure_code")


def rank(versions: QuerySet[ProcedureVersion], q: str) -> QuerySet[ProcedureVersion]:
    """``versions`` matching ``q``, annotated with ``match_rank`` (0 name, 1
    alias, 2 text) and ``match_words``, best first. An empty query keeps every
    version, by code."""
    phrase, words = query_words(q)
    if not words:
        return versions.order_by("procedure__code")
    text = _padded("search_text")
    hits = [
        Case(
            When(Contains(text, Value(f" {w} ")), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for w in words
    ]
    ranked = versions.annotate(
        match_words=sum(hits[1:], hits[0]),
        match_rank=Case(
            When(_either_holds("search_name", phrase), then=Value(NAME)),
            When(procedure__code__in=alias_codes(phrase), then=Value(ALIAS)),
            default=Value(TEXT),
            output_field=IntegerField(),
        ),
    )
    found = ranked.filter(Q(match_rank__lt=TEXT) | Q(match_words=len(words)))
    if len(words) > 2 and not found.exists():
        # nothing holds every word: fall back on most of them
        found = ranked.filter(match_words__gte=words_needed(len(words)))
    return found.order_by(
        "match_rank", "-match_words", Length("search_name"), "procedure__code"
    )
