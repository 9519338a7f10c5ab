"""Writing e-mails to the outbox, rendered in the recipient's language, in the caller's transaction."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.orders.models import Order
from app.web.links import public_url_for

from .models import OutboxMessage


def enqueue(session: Session, *, recipient: str, subject: str, template: str, locale: str, kind: str,
            reference: str | None = None, **context) -> OutboxMessage:
    """Render `mail/<template>.txt` and `.html` and queue them; the caller's commit sends nothing yet."""
    message = OutboxMessage(
        recipient=recipient, subject=subject, language=locale, kind=kind, reference=reference,
        body_text=render_template(f"mail/{template}.txt", **context),
        body_html=render_template(f"mail/{template}.html", **context))
    session.add(message)
    return message


def enqueue_order_confirmation(session: Session, order: Order) -> OutboxMessage:
    edition = order.locale.replace("_", "-").lower()
    with force_locale(order.locale):
        link = public_url_for("orders.detail", edition=edition, number=order.number, token=order.access_token)
        return enqueue(session, recipient=order.email, locale=order.locale, kind="order_confirmation",
                       reference=order.number, template="order_confirmation",
                       subject=_("Your order %(number)s is confirmed", number=order.number),
                       order=order, link=link)
