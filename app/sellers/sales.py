"""The seller back office's orders to ship and payouts (`/seller/orders…`, `/seller/payouts…`).

Guarded like the rest of the office (`permissions.protect_seller_office`); every seller order is read
through `permissions.seller_orders` / `seller_order_for_staff`, so another seller's is a 404. The
actions are plain POST forms (CSRF) that htmx posts too: htmx gets the order panel back (`#order-panel`),
a plain form a redirect to the order page. Status rules live in `app.orders.fulfilment`.
"""
from __future__ import annotations

import csv
import io
import re

from babel.dates import format_skeleton
from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts import permissions
from app.accounts.permissions import staff_seller
from app.extensions import db
from app.orders import fulfilment
from app.orders.models import Order, SellerOrder, SellerOrderStatus
from app.web.htmx import is_htmx, render
from app.web.safety import db_int

from . import payouts
from .money import format_plain

bp = Blueprint("seller_sales", __name__, template_folder="templates", url_prefix="/seller")
permissions.protect_seller_office(bp)

# The list's status filter: "open" (to ship or accepted) first, as the work of the day.
FILTERS = {
    "open": [SellerOrderStatus.TO_SHIP, SellerOrderStatus.ACCEPTED],
    "to_ship": [SellerOrderStatus.TO_SHIP],
    "accepted": [SellerOrderStatus.ACCEPTED],
    "shipped": [SellerOrderStatus.SHIPPED],
    "delivered": [SellerOrderStatus.DELIVERED],
    "cancelled": [SellerOrderStatus.CANCELLED],
    "all": None,
}
PANEL = {"order-panel": "order_panel"}


@bp.app_template_filter("month_year")
def month_year(day) -> str:
    """A calendar month as the locale names it: "November 2026", "novembre 2026", "noviembre de 2026"."""
    return format_skeleton("yMMMM", day, locale=get_locale())


@bp.get("/orders")
def orders():
    seller = staff_seller()
    status = request.args.get("status") if request.args.get("status") in FILTERS else "open"
    page = max(request.args.get("page", 1, type=db_int) or 1, 1)
    per_page = current_app.config["SELLER_LISTINGS_PER_PAGE"]
    query = permissions.seller_orders(seller)
    if FILTERS[status]:
        query = query.where(SellerOrder.status.in_(FILTERS[status]))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    if page > pages:
        abort(404)
    oldest_first = status in ("open", "to_ship", "accepted")      # the longest waiting first
    rows = list(db.session.scalars(
        query.options(joinedload(SellerOrder.order).joinedload(Order.market), selectinload(SellerOrder.lines))
        .order_by(SellerOrder.paid_at.asc() if oldest_first else SellerOrder.paid_at.desc(), SellerOrder.id)
        .offset((page - 1) * per_page).limit(per_page)))
    return render("sellers/orders.html", fragments={"order-results": "order_results"}, seller=seller, rows=rows,
                  total=total, page=page, pages=pages, status=status, **_helpers(seller))


def _helpers(seller):
    return {"dispatch_by": lambda so: fulfilment.dispatch_by(so, seller.dispatch_days, so.order.market.timezone),
            "is_late": lambda so: fulfilment.is_late(so, seller.dispatch_days, so.order.market.timezone),
            "status_label": fulfilment.status_label, "carrier_name": fulfilment.carrier_name}


def _seller_order(seller_order_id: int) -> SellerOrder:
    return permissions.seller_order_for_staff(
        db.session, seller_order_id, joinedload(SellerOrder.order).joinedload(Order.market),
        selectinload(SellerOrder.lines), selectinload(SellerOrder.events))


def _page(seller_order: SellerOrder, *, status: int = 200, error=None, errors=None, message=None):
    seller = staff_seller()
    return render("sellers/order.html", fragments=PANEL, seller=seller, seller_order=seller_order,
                  order=seller_order.order, imei=fulfilment.needs_imei(db.session, seller_order.lines),
                  carriers=fulfilment.CARRIERS, reasons=fulfilment.CANCEL_REASONS, refund_due=fulfilment.refund_due,
                  error=error,
                  errors=errors or {}, message=message, form=request.form if status != 200 else {},
                  **_helpers(seller)), status


@bp.get("/orders/<int:seller_order_id>")
def order(seller_order_id: int):
    return _page(_seller_order(seller_order_id))


def _done(seller_order_id: int, message: str):
    """After an action: htmx gets the refreshed panel, a plain form a redirect to the order page."""
    if is_htmx():
        db.session.expire_all()
        return _page(_seller_order(seller_order_id), message=message)
    flash(message)
    return redirect(url_for(".order", seller_order_id=seller_order_id), code=303)


def _refused(seller_order_id: int, exc: fulfilment.FulfilmentError):
    db.session.rollback()
    status = 409 if isinstance(exc, fulfilment.TransitionRefused) else 422
    errors = exc.errors if isinstance(exc, fulfilment.InvalidShipment) else {}
    return _page(_seller_order(seller_order_id), status=status, error=exc.message, errors=errors)


@bp.post("/orders/<int:seller_order_id>/accept")
def accept(seller_order_id: int):
    seller_order = _seller_order(seller_order_id)
    try:
        fulfilment.accept(db.session, seller_order)
    except fulfilment.FulfilmentError as exc:
        return _refused(seller_order_id, exc)
    db.session.commit()
    return _done(seller_order_id, _("The order is accepted. Ship it by the date shown."))


@bp.post("/orders/<int:seller_order_id>/ship")
def ship(seller_order_id: int):
    seller_order = _seller_order(seller_order_id)
    units = {line.id: [request.form.get(f"unit-{line.id}-{n}", "")[:100] for n in range(line.quantity)]
             for line in seller_order.lines}
    try:
        fulfilment.ship(db.session, seller_order, carrier=request.form.get("carrier", "")[:100],
                        carrier_other=request.form.get("carrier_other", "")[:200],
                        tracking_number=request.form.get("tracking_number", "")[:200], units=units)
    except fulfilment.FulfilmentError as exc:
        return _refused(seller_order_id, exc)
    db.session.commit()
    return _done(seller_order_id, _("The order is marked shipped; the buyer is told by e-mail."))


@bp.post("/orders/<int:seller_order_id>/cancel")
def cancel(seller_order_id: int):
    seller_order = _seller_order(seller_order_id)
    try:
        fulfilment.cancel(db.session, seller_order, reason=request.form.get("reason", "")[:100],
                          note=request.form.get("note", "")[:2000])
    except fulfilment.FulfilmentError as exc:
        return _refused(seller_order_id, exc)
    db.session.commit()
    # The refund is a network call: made once the cancellation is safely committed.
    try:
        fulfilment.refund(db.session, seller_order)
    except fulfilment.RefundFailed:
        db.session.rollback()
        current_app.logger.exception("refund of seller order %s failed", seller_order_id)
        return _done(seller_order_id, _("The order is cancelled, but the refund could not be made now."))
    db.session.commit()
    return _done(seller_order_id, _("The order is cancelled and the buyer is refunded."))


@bp.post("/orders/<int:seller_order_id>/refund")
def retry_refund(seller_order_id: int):
    """A cancellation whose refund the provider could not make at the time: try again."""
    seller_order = _seller_order(seller_order_id)
    try:
        fulfilment.refund(db.session, seller_order)
    except fulfilment.RefundFailed as exc:
        db.session.rollback()
        return _page(_seller_order(seller_order_id), status=409, error=exc.message)
    except fulfilment.FulfilmentError as exc:
        return _refused(seller_order_id, exc)
    db.session.commit()
    return _done(seller_order_id, _("The buyer is refunded."))


@bp.get("/payouts")
def payouts_page():
    seller = staff_seller()
    return render("sellers/payouts.html", seller=seller, rows=payouts.monthly(db.session, seller))


MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
CSV_COLUMNS = ["order", "seller_order", "status", "shipped_on", "cancelled_on", "currency", "goods", "shipping",
               "sales", "commission", "refund", "net"]


def _plain(amount: int, currency: str) -> str:
    return ("-" if amount < 0 else "") + format_plain(abs(amount), currency)


@bp.get("/payouts/<month>.csv")
def payout_csv(month: str):
    seller = staff_seller()
    if not MONTH.fullmatch(month):
        abort(404)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    period = payouts.period_orders(db.session, seller, month)
    reversed_by_order = payouts.commission_reversed(db.session, [so.id for so in period])
    for so in period:
        currency = so.order.currency
        shipped = so.shipped_at is not None
        sales = so.goods_amount + so.shipping_amount if shipped else 0
        commission = so.commission_amount - reversed_by_order.get(so.id, 0) if shipped else 0
        refund = so.refund_amount
        net = sales - commission - (refund if shipped else 0)
        writer.writerow([so.order.number, so.id, so.status, f"{so.shipped_at:%Y-%m-%d}" if shipped else "",
                         f"{so.cancelled_at:%Y-%m-%d}" if so.cancelled_at else "", currency,
                         _plain(so.goods_amount, currency), _plain(so.shipping_amount, currency),
                         _plain(sales, currency), _plain(commission, currency),
                         _plain(refund, currency), _plain(net, currency)])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="payout-{seller.slug}-{month}.csv"'
    return response
