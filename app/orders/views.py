"""The order page: confirmation right after payment, then the status of each seller's shipment.

A guest reaches it with the secret link from the confirmation e-mail (`?token=`); nothing about an
order is shown without it.
"""
from __future__ import annotations

import hmac

from flask import Blueprint, Response, abort, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.checkout.taxes import margin_scheme_mention
from app.extensions import db
from app.web.htmx import render

from .fulfilment import CANCEL_REASONS, carrier_name
from .invoice import invoice_number, render_invoice
from .models import Order, OrderStatus, SellerOrder

PRIVATE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}
bp = Blueprint("orders", __name__, template_folder="templates", url_prefix="/<edition>/orders")


@bp.get("/<number>")
def detail(number: str):
    order = _order(number, request.args.get("token", ""))
    response = render("orders/detail.html", order=order, margin_scheme_mention=margin_scheme_mention(order.market),
                      carrier_name=carrier_name, cancel_reasons=CANCEL_REASONS)
    return response, 200, PRIVATE


@bp.get("/<number>/invoice/<int:seller_order_id>.pdf")
def invoice(number: str, seller_order_id: int):
    order = _order(number, request.args.get("token", ""))
    seller_order = next((s for s in order.seller_orders if s.id == seller_order_id), None)
    if seller_order is None or order.status != OrderStatus.PAID:
        abort(404)
    pdf = render_invoice(order, seller_order)
    return Response(pdf, mimetype="application/pdf", headers={
        **PRIVATE, "Content-Disposition": f'inline; filename="{invoice_number(seller_order)}.pdf"'})


def _order(number: str, token: str) -> Order:
    order = db.session.scalar(select(Order).where(Order.number == number).options(
        selectinload(Order.seller_orders).selectinload(SellerOrder.lines),
        selectinload(Order.seller_orders).selectinload(SellerOrder.events),
        selectinload(Order.seller_orders).selectinload(SellerOrder.seller),
        selectinload(Order.payments)))
    if order is None:
        abort(404)
    owner = current_user.is_authenticated and order.user_id == current_user.id
    # Bytes: compare_digest refuses a str with non-ASCII characters (a TypeError, once a 500).
    if not owner and not hmac.compare_digest(order.access_token.encode(), token.encode("utf-8", "replace")):
        abort(404)
    return order
