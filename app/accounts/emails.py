"""Account e-mails (address confirmation, password links, staff invitations, seller decisions).

They go through the outbox like every other e-mail (`app.mail`): written in the caller's transaction,
sent by `flask worker` over SMTP (or to .eml files in development). Each is a text template whose
first line is the subject, rendered in the recipient's language.
"""
from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.mail.models import OutboxMessage
from app.models_base import utcnow

LINKS_PER_HOUR = 3


def recently_sent(session: Session, *, to: str, template: str, limit: int = LINKS_PER_HOUR,
                  window: timedelta = timedelta(hours=1)) -> bool:
    """Whether `to` already got `limit` e-mails of this kind within `window`: a form that mails a link
    cannot be used to flood someone's inbox. Counted from the outbox, so every app process agrees."""
    count = session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.recipient == to, OutboxMessage.kind == template,
        OutboxMessage.created_at > utcnow() - window))
    return (count or 0) >= limit


def queue_email(session: Session, *, to: str, template: str, language: str, reference: str | None = None,
                **context) -> OutboxMessage:
    with force_locale(language):
        text = render_template(f"mail/{template}.txt", **context)
    subject, _, body = text.strip().partition("\n")
    message = OutboxMessage(recipient=to, subject=subject.strip(), body_text=body.strip() + "\n", body_html=None,
                            language=language, kind=template, reference=reference)
    session.add(message)
    session.flush()
    return message
