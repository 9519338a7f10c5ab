"""Languages, the content fallback rule, and the `flask i18n` catalog commands."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "es", "it")
FALLBACK_LANGUAGE = "en"


def fallback_chain(language: str, market_language: str | None = None) -> tuple[str, ...]:
    """The order in which translated content is looked up for a page.

    The rule: the page's language, then the market's main language (Belgium's German edition
    falls back to French, the language most of that market's content is written in first),
    then English. The first language that has a row wins; a text never mixes languages.
    """
    chain: list[str] = []
    for lang in (language, market_language, FALLBACK_LANGUAGE):
        if lang and lang not in chain:
            chain.append(lang)
    return tuple(chain)


class _HasLanguage(Protocol):
    language: str


T = TypeVar("T", bound=_HasLanguage)


def pick_translation(rows: Iterable[T], chain: Sequence[str]) -> T | None:
    """The row of the first language in `chain` that has one; else any row, else None."""
    by_language = {row.language: row for row in rows}
    for lang in chain:
        if lang in by_language:
            return by_language[lang]
    return next(iter(by_language.values()), None)
