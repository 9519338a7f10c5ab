"""After-sales routes.

- `aftersales` (buyer, under `/<edition>/orders/<number>`): confirm receipt, withdraw in two steps.
  Reached like the order page: its signed-in owner, or the guest's secret link (`token`); anyone
  else gets a 404. Plain forms; step one answers htmx with the `withdrawal_panel` block.
- `carrier_webhooks`: `POST /carriers/<carrier>/webhook`, authenticated by its HMAC signature.
- `aftersales_seller` (seller office): mark a shipped seller order delivered.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.accounts import permissions
from app.extensions import csrf, db
from app.orders.models import Order, SellerOrder
from app.web.htmx import render

from . import delivery, refunds, withdrawal
from .errors import AftersalesError, RefundFailed, StaleState
from .queries import find_order, order_aftersales

PRIVATE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}
PANEL = {"withdrawal-panel": "withdrawal_panel"}

buyer = Blueprint("aftersales", __name__, template_folder="templates", url_prefix="/<edition>/orders")
carriers = Blueprint("carrier_webhooks", __name__)
seller = Blueprint("aftersales_seller", __name__, template_folder="templates", url_prefix="/seller/aftersales")
permissions.protect_seller_office(seller)


def _token() -> str:
    return (request.values.get("token") or "")[:100]


def _order(number: str) -> Order:
    order = find_order(db.session, number, _token(), current_user)
    if order is None:
        abort(404)
    return order


def _order_page(order: Order):
    return redirect(url_for("orders.detail", number=order.number, token=order.access_token), code=303)


def _problem(order: Order, exc: AftersalesError):
    return render("aftersales/problem.html", order=order, error=exc.message, token=_token()), exc.status, PRIVATE


def _chosen_ids() -> list[int]:
    ids = []
    for raw in request.form.getlist("unit")[:200]:
        if not raw.isdigit() or len(raw) > 12:
            abort(400)
        ids.append(int(raw))
    return ids


@buyer.post("/<number>/received/<int:seller_order_id>")
def confirm_receipt(number: str, seller_order_id: int):
    order = _order(number)
    seller_order = next((s for s in order.seller_orders if s.id == seller_order_id), None)
    if seller_order is None:
        abort(404)
    try:
        delivery.buyer_confirms(db.session, seller_order)
    except AftersalesError as exc:
        db.session.rollback()
        return _problem(order, exc)
    db.session.commit()
    flash(_("Thank you: the delivery is recorded. The periods to withdraw and return count from today."))
    return _order_page(order)


def _withdraw_page(order: Order, *, step: str, chosen=None, error=None, status=200):
    view = order_aftersales(db.session, order)
    lines = withdrawal.preview(db.session, order, chosen) if chosen else []
    return render("aftersales/withdraw.html", fragments=PANEL, order=order, aftersales=view, step=step,
                  preview=lines, total=sum(amount for *_, amount in lines), error=error, token=_token()), \
        status, PRIVATE


@buyer.get("/<number>/withdraw")
def withdraw(number: str):
    page = _withdraw_page(_order(number), step="choose")
    db.session.commit()        # the units' rows, created on their first reading: the form names them by id
    return page


@buyer.post("/<number>/withdraw")
def review_withdrawal(number: str):
    order = _order(number)
    try:
        chosen = withdrawal.check_choice(db.session, order, _chosen_ids())
    except AftersalesError as exc:
        db.session.rollback()
        return _withdraw_page(order, step="choose", error=exc.message, status=exc.status)
    db.session.commit()        # the units' rows, if this is the first time they are read
    return _withdraw_page(order, step="confirm", chosen=chosen)


@buyer.post("/<number>/withdraw/confirm")
def confirm_withdrawal(number: str):
    order = _order(number)
    try:
        made = withdrawal.withdraw(db.session, order, _chosen_ids())
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _withdraw_page(order, step="choose", error=StaleState().message, status=409)
    except AftersalesError as exc:
        db.session.rollback()
        status = 409 if exc.status == 422 and request.form.getlist("unit") else exc.status
        return _withdraw_page(order, step="choose", error=exc.message, status=status)
    # The refunds are network calls: made once the withdrawal is safely committed.
    for item in made:
        if item.refund is None:
            continue
        try:
            refunds.pay(db.session, item.refund)
            db.session.commit()
        except RefundFailed:
            db.session.commit()
            current_app.logger.warning("refund of withdrawal %s failed; the worker will retry", item.reference)
    flash(_("Your withdrawal is received. A confirmation is on its way to %(email)s.", email=order.email))
    return _order_page(order)


@carriers.post("/carriers/<carrier>/webhook")
@csrf.exempt
def carrier_webhook(carrier: str):
    secret = current_app.config.get("CARRIER_WEBHOOK_SECRET")
    if not secret:
        abort(404)
    body = request.get_data(cache=False)
    if len(body) > 64 * 1024:
        return jsonify(error="payload too large"), 413
    try:
        delivery.verify(secret, request.headers.get("X-Carrier-Signature", ""), body)
        call = delivery.parse(body)
        outcome, duplicate = delivery.carrier_event(db.session, carrier, call)
    except delivery.WebhookRejected as exc:
        return jsonify(error=str(exc)), 400
    except AftersalesError:
        return jsonify(error="unknown carrier"), 404
    db.session.commit()
    return jsonify(received=True, outcome=outcome, duplicate=duplicate)


@seller.post("/orders/<int:seller_order_id>/delivered")
def mark_delivered(seller_order_id: int):
    seller_order = permissions.seller_order_for_staff(
        db.session, seller_order_id, joinedload(SellerOrder.order).joinedload(Order.market),
        selectinload(SellerOrder.lines))
    try:
        day = date.fromisoformat(request.form.get("delivered_on", "")[:10])
    except ValueError:
        day = None
    try:
        delivery.seller_marks(db.session, seller_order, day)
    except AftersalesError as exc:
        db.session.rollback()
        return render("aftersales/seller_delivery.html", seller_order=seller_order, order=seller_order.order,
                      error=exc.message, form=request.form), exc.status
    db.session.commit()
    flash(_("The order is marked delivered on the date you gave."))
    return redirect(url_for("seller_sales.order", seller_order_id=seller_order_id), code=303)
