"""Synonyms per language, from the data files in `synonyms/<language>.json`.

- ``everything``: words that describe every product of the shop ("reconditionné", "generalüberholt",
  "refurbished"); they are dropped from queries, so "iphone reconditionné" searches "iphone".
- ``rewrites``: a query word that is also read as other words ("ps5" → "playstation 5").
- ``categories``: words added to the search document of every product of a category and of its
  subcategories ("portable", "laptop", "notebook" for laptops; "télé", "TV" for televisions).

Editing a file takes effect for queries at once and for documents after `flask search reindex`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.i18n import LANGUAGES

from .text import fold, folded_words

FOLDER = Path(__file__).parent / "synonyms"


@dataclass(frozen=True)
class Synonyms:
    everything: frozenset[str]
    rewrites: dict[str, tuple[str, ...]]
    categories: dict[str, tuple[str, ...]]


@cache
def synonyms(language: str) -> Synonyms:
    path = FOLDER / f"{language}.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return Synonyms(
        everything=frozenset(fold(word) for word in data.get("everything", [])),
        rewrites={fold(word): tuple(folded_words(value)) for word, value in data.get("rewrites", {}).items()},
        categories={key: tuple(values) for key, values in data.get("categories", {}).items()},
    )


def all_languages() -> dict[str, Synonyms]:
    return {language: synonyms(language) for language in LANGUAGES}
