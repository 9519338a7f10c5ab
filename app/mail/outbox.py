"""Writing e-mails to the outbox, rendered in the recipient's language, in the caller's transaction."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.aftersales.rules import rules_for
from app.checkout.taxes import margin_scheme_mention
from app.offers.models import VatScheme
from app.orders.invoice import seller_identity
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
        rules = rules_for(session, order.market)
        withdraw_link = public_url_for("aftersales.withdraw", edition=edition, number=order.number,
                                       token=order.access_token) if rules.withdrawal_days else None
        return enqueue(session, recipient=order.email, locale=order.locale, kind="order_confirmation",
                       reference=order.number, template="order_confirmation",
                       subject=_("Your order %(number)s is confirmed", number=order.number),
                       order=order, link=link, legal=legal_mentions(order, rules), withdraw_link=withdraw_link)


def legal_mentions(order: Order, rules) -> dict:
    """What the order confirmation must say in the order's market (the durable medium of the Consumer
    Rights Directive): the VAT included or the margin-scheme mention, the withdrawal period (none in the
    US) and the legal guarantee of conformity."""
    lines = [line for seller_order in order.seller_orders for line in seller_order.lines]
    mention = margin_scheme_mention(order.market)
    return {"sellers": [seller_identity(seller_order.seller, order.locale) for seller_order in order.seller_orders],
            "vat_amount": sum(line.vat_amount for line in lines),
            "margin_mention": mention if mention and any(line.vat_scheme == VatScheme.MARGIN for line in lines)
            else None,
            "withdrawal_days": rules.withdrawal_days, "refund_days": rules.withdrawal_refund_days,
            "guarantee_months": order.market.legal_guarantee_months}
