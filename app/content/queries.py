"""Read side: which revision of a page or block an edition shows, and the state of a text."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models_base import utcnow

from .models import SHARED, ContentRevision, ContentText


@dataclass(frozen=True)
class ShownText:
    """The revision a page shows, and where it came from.

    `is_fallback` is true when its language is not the edition's own: the public sees the text as it
    is (marked with its `lang`), a country manager also sees a badge saying so.
    """
    revision: ContentRevision
    language: str
    market: str

    def is_fallback(self, language: str) -> bool:
        return self.language != language


def lookup_order(market: str, languages: Sequence[str]) -> list[tuple[str, str]]:
    """(market, language) slots in the order they are tried: for each language of the fallback chain,
    the market's own text first, then the text shared by every market of that language."""
    return [(scope, language) for language in languages for scope in (market, SHARED)]


def published_revisions(session: Session, text_ids: Iterable[int], *, now: datetime | None = None
                        ) -> dict[int, ContentRevision]:
    """The public revision of each text: the latest one whose publication time has come."""
    ids = list(text_ids)
    if not ids:
        return {}
    now = now or utcnow()
    found: dict[int, ContentRevision] = {}
    for revision in session.scalars(
            select(ContentRevision)
            .where(ContentRevision.text_id.in_(ids), ContentRevision.published_at.is_not(None),
                   ContentRevision.published_at <= now)
            .order_by(ContentRevision.text_id, ContentRevision.published_at.desc(), ContentRevision.number.desc())):
        found.setdefault(revision.text_id, revision)
    return found


def public_texts(session: Session, keys: Sequence[str], *, market: str, languages: Sequence[str],
                 now: datetime | None = None) -> dict[str, ShownText]:
    """What an edition shows for each of `keys` (two queries whatever the number of keys)."""
    texts = session.scalars(select(ContentText).where(
        ContentText.key.in_(list(keys)), ContentText.language.in_(list(languages)),
        ContentText.market.in_([market, SHARED]))).all()
    published = published_revisions(session, (t.id for t in texts), now=now)
    by_slot = {(t.key, t.market, t.language): t for t in texts}
    shown: dict[str, ShownText] = {}
    order = lookup_order(market, languages)
    for key in keys:
        for scope, language in order:
            text = by_slot.get((key, scope, language))
            if text is not None and text.id in published:
                shown[key] = ShownText(published[text.id], language, scope)
                break
    return shown


def public_text(session: Session, key: str, *, market: str, languages: Sequence[str],
                now: datetime | None = None) -> ShownText | None:
    return public_texts(session, [key], market=market, languages=languages, now=now).get(key)


def find_text(session: Session, key: str, *, language: str, market: str) -> ContentText | None:
    return session.scalar(select(ContentText).where(
        ContentText.key == key, ContentText.language == language, ContentText.market == market))


@dataclass(frozen=True)
class TextState:
    """Where a text stands: its latest revision (what the editor starts from), the public one, and
    the next one waiting for its publication time."""
    text: ContentText | None
    latest: ContentRevision | None
    published: ContentRevision | None
    scheduled: ContentRevision | None

    @property
    def version(self) -> int:
        return self.text.version if self.text else 0

    @property
    def has_draft(self) -> bool:
        return self.latest is not None and self.latest.published_at is None


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every time stored here is UTC."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def text_state(session: Session, text: ContentText | None, *, now: datetime | None = None) -> TextState:
    if text is None:
        return TextState(None, None, None, None)
    now = now or utcnow()
    revisions = list(text.revisions)
    published = published_revisions(session, [text.id], now=now).get(text.id)
    upcoming = [r for r in revisions if r.published_at is not None and aware(r.published_at) > now]
    scheduled = min(upcoming, key=lambda r: aware(r.published_at)) if upcoming else None
    return TextState(text, revisions[-1] if revisions else None, published, scheduled)
