"""Old slugs keep working: when a product's or category's slug changes, the old one is retired, not lost.

A retired slug answers a 301 to the current URL (see `queries.find_product_by_slug`). A live slug
always wins: taking a slug that was retired frees it.
"""
from __future__ import annotations

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.orm import Session, attributes

from .models import CategoryTranslation, ProductTranslation, RetiredSlug

KINDS = {ProductTranslation: ("product", "product_id"), CategoryTranslation: ("category", "category_id")}


def retire_changed_slugs(session: Session, _flush_context) -> None:
    """After each flush (a step of `app.derived`): keep every changed slug as a retired one."""
    retired, taken = [], []
    for row in list(session.new) + list(session.dirty):
        kind = KINDS.get(type(row))
        if kind is None:
            continue
        history = attributes.get_history(row, "slug")
        if not history.added:
            continue
        taken.append((kind[0], row.slug, row.language))
        for old in history.deleted or ():
            if old and old != row.slug:
                retired.append({"kind": kind[0], "owner_id": getattr(row, kind[1]),
                                "language": row.language, "slug": old})
    if not taken:
        return
    connection = session.connection()
    keys = [(r["kind"], r["slug"], r["language"]) for r in retired] + taken
    connection.execute(delete(RetiredSlug).where(
        tuple_(RetiredSlug.kind, RetiredSlug.slug, RetiredSlug.language).in_(keys)))
    if retired:
        connection.execute(insert(RetiredSlug), retired)


def retired_owner(session: Session, kind: str, slug: str, language: str) -> int | None:
    """The product or category that used `slug`, preferring the page's language."""
    rows = session.execute(select(RetiredSlug.owner_id, RetiredSlug.language)
                           .where(RetiredSlug.kind == kind, RetiredSlug.slug == slug)).all()
    if not rows:
        return None
    return next((r.owner_id for r in rows if r.language == language), rows[0].owner_id)
