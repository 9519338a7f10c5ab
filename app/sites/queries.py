"""Read-side helpers for markets and editions."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from .models import Edition, Market


def list_editions(session: Session) -> list[Edition]:
    """Active editions of active markets, in display order (one query, market joined)."""
    return list(session.scalars(
        select(Edition).join(Edition.market).options(contains_eager(Edition.market))
        .where(Edition.is_active, Market.is_active)
        .order_by(Market.position, Edition.position)
    ))


def negotiate_edition(editions: list[Edition], accept_languages: list[tuple[str, float]],
                      default_code: str) -> Edition | None:
    """Pick the edition that best serves an Accept-Language header.

    A language-and-region tag (``fr-BE``) matches that edition exactly; a bare language, or a region
    we do not serve (``es-MX``), goes to the language's default edition. The header's order wins.
    """
    by_code = {e.code: e for e in editions}
    by_language: dict[str, Edition] = {}
    for edition in editions:
        if edition.language not in by_language or edition.is_language_default:
            by_language[edition.language] = edition
    for tag, _quality in accept_languages:
        tag = tag.lower().replace("_", "-")
        if tag in by_code:
            return by_code[tag]
        language = tag.split("-")[0]
        if language in by_language:
            return by_language[language]
    return by_code.get(default_code) or (editions[0] if editions else None)
