"""The order page: confirmation right after payment, then the status of each seller's shipment.

A guest reaches it with the secret link from the confirmation e-mail (`?token=`); nothing about an
order is shown without it.
"""
from __future__ import annotations

import hmac

from flask import Blueprint, abort, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.checkout.taxes import MARGIN_SCHEME_MENTION
from app.extensions import db
from app.web.htmx import render

from .models import Order, SellerOrder

bp = Blueprint("orders", __name__, template_folder="templates", url_prefix="/<edition>/orders")


@bp.get("/<number>")
def detail(number: str):
    order = db.session.scalar(select(Order).where(Order.number == number).options(
        selectinload(Order.seller_orders).selectinload(SellerOrder.lines),
        selectinload(Order.seller_orders).selectinload(SellerOrder.events),
        selectinload(Order.seller_orders).selectinload(SellerOrder.seller),
        selectinload(Order.payments)))
    token = request.args.get("token", "")
    if order is None or not hmac.compare_digest(order.access_token, token):
        abort(404)
    response = render("orders/detail.html", order=order, margin_scheme_mention=MARGIN_SCHEME_MENTION)
    return response, 200, {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}
