"""Account e-mails (address confirmation, password links, staff invitations, seller decisions).

They go through the outbox like every other e-mail (`app.mail`): written in the caller's transaction,
sent by `flask worker` over SMTP (or to .eml files in development). Each is a text template whose
first line is the subject, rendered in the recipient's language.
"""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from app.mail.models import OutboxMessage


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
