"""Content of the country sites: pages and home-page blocks, their revisions and the audit log.

A `ContentText` is one slot of text: a page or block (`key`) in one language, either shared by every
market speaking that language (`market` is empty) or overriding it for one market (`market` is the
country code). The public side picks, for an edition, the market's own slot, then the shared one,
along the edition's language fallback chain (`app.content.queries.public_text`).

What a slot says is its revisions: every save adds one. A revision is public once its `published_at`
is in the past; the latest such revision is the one shown. Publishing at a set time is therefore
only a future `published_at`: it resolves when read, so no scheduler has to run.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.data_versions import EVERY_PAGE
from app.extensions import db
from app.models_base import utcnow

SHARED = ""      # `ContentText.market` of a text shared by every market of its language


class ContentText(db.Model):
    """One page or block in one language, shared (market "") or for one market ("BE").

    `version` grows by one with every save; an editor sends back the version it started from, and a
    save from an older version is refused as a conflict instead of overwriting the other save.
    """
    __tablename__ = "content_text"
    __table_args__ = (UniqueConstraint("key", "language", "market"), {"info": EVERY_PAGE})

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(2))
    market: Mapped[str] = mapped_column(String(2), default=SHARED)
    version: Mapped[int] = mapped_column(Integer, default=0)

    revisions: Mapped[list[ContentRevision]] = relationship(
        back_populates="text", cascade="all, delete-orphan", order_by="ContentRevision.number")


class ContentRevision(db.Model):
    """What a text said after one save. Never changed afterwards, except `published_at` when a draft
    is published. `body` is Markdown; it is rendered and sanitised when shown."""
    __tablename__ = "content_revision"
    __table_args__ = (UniqueConstraint("text_id", "number"),
                      Index("ix_content_revision_published", "text_id", "published_at"), {"info": EVERY_PAGE})

    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("content_text.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # A block's links: category or product keys, one per line (featured categories and products),
    # or the address a promotion banner leads to.
    items: Mapped[str] = mapped_column(Text, default="")
    image_key: Mapped[str | None] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    restored_from: Mapped[int | None] = mapped_column(Integer)

    text: Mapped[ContentText] = relationship(back_populates="revisions")
    author = relationship("User", lazy="joined")


class ContentAudit(db.Model):
    """Who changed which content or catalog text, what they did and when. Rows are only added."""
    __tablename__ = "content_audit"
    __table_args__ = (Index("ix_content_audit_market_at", "market", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    market: Mapped[str] = mapped_column(String(2), default=SHARED)
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(80))          # "page:about", "category:smartphones"
    action: Mapped[str] = mapped_column(String(24))           # saved, published, scheduled, restored…
    detail: Mapped[str] = mapped_column(String(300), default="")

    user = relationship("User", lazy="joined")


class TranslationSource(db.Model):
    """The source text a catalog translation was last written from, as a digest.

    Written whenever a manager saves or imports a catalog text; when the source text (English, or
    French for English) changes afterwards, the translation is "changed" and goes back into the
    translators' export. Texts written before this existed (the demo data) have no mark and count as
    current.
    """
    __tablename__ = "translation_source"
    __table_args__ = (UniqueConstraint("kind", "key", "field", "language"), {"info": EVERY_PAGE})

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))            # category, product, grade
    key: Mapped[str] = mapped_column(String(160))
    field: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2))
    source_digest: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
