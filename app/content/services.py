"""Write side of content: saving, publishing, scheduling and restoring texts, and the audit log.

Every function flushes and leaves the commit to its caller (the request or the command).
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models_base import utcnow

from .errors import EditConflict
from .models import SHARED, ContentAudit, ContentRevision, ContentText
from .queries import find_text


def record(session: Session, *, user, market: str, language: str, subject: str, action: str,
           detail: str = "") -> ContentAudit:
    """Add one line to the audit log."""
    entry = ContentAudit(user_id=user.id if user is not None else None, market=market, language=language,
                         subject=subject[:80], action=action, detail=detail[:300], at=utcnow())
    session.add(entry)
    session.flush()
    return entry


def _claim(session: Session, key: str, language: str, market: str, expected_version: int) -> ContentText:
    """The text row, its version moved on by one; EditConflict when someone saved since
    `expected_version`. The check and the bump are one UPDATE, so two saves racing cannot both win."""
    text = find_text(session, key, language=language, market=market)
    if text is None:
        if expected_version != 0:
            raise EditConflict(None)
        text = ContentText(key=key, language=language, market=market, version=0)
        try:
            # Added inside the savepoint: added before it, the row would be flushed by the SAVEPOINT's
            # own autoflush, outside it, and a duplicate would break the whole transaction.
            with session.begin_nested():
                session.add(text)
                session.flush()
        except IntegrityError:
            # Another editor created this text at the same moment: theirs stands, and the version
            # check below reports the conflict.
            text = find_text(session, key, language=language, market=market)
            if text is None:
                raise
    claimed = session.execute(update(ContentText).where(ContentText.id == text.id,
                                                        ContentText.version == expected_version)
                              .values(version=ContentText.version + 1)
                              .execution_options(synchronize_session=False)).rowcount
    session.refresh(text)
    if claimed != 1:
        latest = text.revisions[-1] if text.revisions else None
        raise EditConflict(latest)
    return text


def save_text(session: Session, *, key: str, language: str, market: str = SHARED, expected_version: int,
              title: str, body: str, items: str = "", image_key: str | None = None, author=None,
              publish_at: datetime | None = None) -> ContentRevision:
    """Save a new revision of a text: a draft when `publish_at` is None, else published from then on
    (now, or a future time: the public side shows it once that time has passed)."""
    if publish_at is not None:
        publish_at = publish_at.astimezone(UTC)     # SQLite keeps the wall time only: store UTC
    text = _claim(session, key, language, market, expected_version)
    number = (text.revisions[-1].number if text.revisions else 0) + 1
    revision = ContentRevision(text=text, number=number, title=title.strip(), body=body, items=items.strip(),
                               image_key=image_key, author_id=author.id if author is not None else None,
                               published_at=publish_at, created_at=utcnow())
    session.add(revision)
    session.flush()
    if publish_at is None:
        action = "saved"
    else:
        action = "published" if publish_at <= utcnow() else "scheduled"
    record(session, user=author, market=market, language=language, subject=f"page:{key}", action=action,
           detail=f"#{number}" + (f" {publish_at.isoformat(timespec='minutes')}" if action == "scheduled" else ""))
    return revision


def restore_revision(session: Session, revision: ContentRevision, *, expected_version: int, author=None
                     ) -> ContentRevision:
    """Bring back an older revision as a new draft (history is never rewritten)."""
    text = revision.text
    restored = save_text(session, key=text.key, language=text.language, market=text.market,
                         expected_version=expected_version, title=revision.title, body=revision.body,
                         items=revision.items, image_key=revision.image_key, author=author)
    restored.restored_from = revision.number
    record(session, user=author, market=text.market, language=text.language, subject=f"page:{text.key}",
           action="restored", detail=f"#{revision.number} → #{restored.number}")
    return restored


def revisions_of(session: Session, text: ContentText) -> list[ContentRevision]:
    return list(session.scalars(select(ContentRevision).where(ContentRevision.text_id == text.id)
                                .order_by(ContentRevision.number.desc())))
