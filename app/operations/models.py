"""The last time each piece of background work reported, kept in the database so that every app host sees it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models_base import utcnow


class Heartbeat(db.Model):
    """One row per kind of background work: ``worker`` (a round of `flask worker`), ``backup``
    (`flask backup` wrote an archive), ``drill`` (`flask backup --verify` restored one)."""
    __tablename__ = "ops_heartbeat"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ok: Mapped[bool] = mapped_column(Boolean, default=True)
    detail: Mapped[str] = mapped_column(Text, default="")


def beat(session, name: str, *, ok: bool = True, detail: str = "") -> Heartbeat:
    """Record that `name` ran now (the caller commits)."""
    row = session.get(Heartbeat, name)
    if row is None:
        row = Heartbeat(name=name)
        session.add(row)
    row.at, row.ok, row.detail = utcnow(), ok, detail
    return row
