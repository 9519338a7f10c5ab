"""Query analysis that needs the index: words every product has are dropped, abbreviations
rewritten, unknown words corrected against the vocabulary (see `app.search.text` for the rest)."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from .backends import backend_for
from .models import SearchTerm
from .synonyms import synonyms
from .text import ParsedQuery, query_tokens


def parse_text(session: Session, language: str, raw: str, *, complete_last: bool = False) -> ParsedQuery:
    """Clean a query: drop words every product has, apply rewrites, correct unknown words.

    With `complete_last` (type-ahead), the last word may be the beginning of a longer one.
    """
    query = ParsedQuery(raw=raw, last_is_prefix=complete_last)
    words = synonyms(language)
    for token in query_tokens(raw):
        if token in words.everything:
            query.dropped.append(token)
        else:
            query.tokens.append(token)
    for token in query.tokens:
        if token in words.rewrites:
            query.rewrites[token] = words.rewrites[token]
    suspects = [t for t in dict.fromkeys(query.tokens) if t.isalpha() and len(t) >= 4 and t not in query.rewrites]
    if suspects:
        last = query.tokens[-1] if complete_last else None
        known = known_words(session, language, suspects, prefix_of=last)
        unknown = [t for t in suspects if t not in known]
        if unknown:
            query.corrections = backend_for(session).corrections(session, language, unknown)
            query.tokens = [query.corrections.get(t, t) for t in query.tokens]
    return query


def known_words(session: Session, language: str, tokens: Sequence[str], *, prefix_of: str | None) -> set[str]:
    """Tokens that are vocabulary words (or, for `prefix_of`, the beginning of one), in one statement."""
    checks = [exists(select(SearchTerm.term).where(
        SearchTerm.language == language,
        SearchTerm.term.like(f"{token}%") if token == prefix_of else SearchTerm.term == token)).label(f"k{i}")
        for i, token in enumerate(tokens)]
    row = session.execute(select(*checks)).one()
    return {token for token, found in zip(tokens, row, strict=True) if found}
