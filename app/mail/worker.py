"""`flask worker`: drain the outbox and give back the stock of abandoned payments.

Claims are rows, not memory: any number of workers, on any hosts, may run. PostgreSQL claims with
`FOR UPDATE SKIP LOCKED`; SQLite has one writer at a time, so a conditional UPDATE is enough. A
worker that dies leaves its claim to expire (CLAIM_SECONDS) and the next worker takes the message.
"""
from __future__ import annotations

import os
import socket
import time
from datetime import timedelta

from flask import Flask
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.models_base import utcnow

from .models import OutboxMessage
from .sender import Sender

CLAIM_SECONDS = 120
BATCH = 20
MAX_ATTEMPTS = 8


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(session: Session, name: str, limit: int = BATCH, seconds: int = CLAIM_SECONDS) -> list[OutboxMessage]:
    """Take up to `limit` messages that are due and not claimed by a live worker; commits the claim."""
    now = utcnow()
    due = (select(OutboxMessage.id)
           .where(OutboxMessage.sent_at.is_(None), OutboxMessage.available_at <= now,
                  OutboxMessage.attempts < MAX_ATTEMPTS,
                  or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
           .order_by(OutboxMessage.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(session.scalars(due))
    if not ids:
        session.rollback()
        return []
    session.execute(update(OutboxMessage)
                    .where(OutboxMessage.id.in_(ids), or_(OutboxMessage.claimed_until.is_(None),
                                                          OutboxMessage.claimed_until < now))
                    .values(claimed_until=now + timedelta(seconds=seconds), claimed_by=name,
                            attempts=OutboxMessage.attempts + 1)
                    .execution_options(synchronize_session=False))
    session.commit()
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids),
                                                            OutboxMessage.claimed_by == name)
                                .order_by(OutboxMessage.id)))


def send_pending(app: Flask, session: Session, *, pause: float = 0.0) -> int:
    """Send every message due now; each is marked sent right after the server accepts it."""
    name = worker_name()
    sent = 0
    seconds = int(app.config.get("OUTBOX_CLAIM_SECONDS") or CLAIM_SECONDS)
    while batch := claim(session, name, seconds=seconds):
        with Sender(app) as sender:
            for message in batch:
                try:
                    sender.send(message)
                except (OSError, ValueError) as error:
                    backoff = timedelta(seconds=min(3600, 30 * 2 ** message.attempts))
                    message.last_error = f"{type(error).__name__}: {error}"[:2000]
                    message.available_at = utcnow() + backoff
                    message.claimed_until = None
                else:
                    message.sent_at = utcnow()
                    message.claimed_until = None
                    sent += 1
                session.commit()
                if pause:
                    time.sleep(pause)
    return sent
