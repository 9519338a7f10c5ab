"""The seller's trade-in screens (`/seller/trade-in/…`): opt-in, payout speed, the bid grid, and the
queue of devices coming in, each with its receipt and inspection form.

Guarded like the rest of the seller office (`permissions.protect_seller_office`); every query is
scoped to `staff_seller()`.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts import permissions
from app.accounts.permissions import staff_seller
from app.catalog.models import Variant
from app.extensions import db
from app.sellers.money import PriceError, parse_price
from app.web.htmx import render

from . import bid_csv, bids, display, inspection
from .errors import InvalidInspection, StaleTradeIn
from .forms import BidImportForm, InspectionForm, ProfileForm
from .models import DEFAULT_PAYOUT_DAYS, Condition, TradeIn, TradeInBid, TradeInStatus

bp = Blueprint("seller_tradein", __name__, template_folder="templates", url_prefix="/seller/trade-in")
permissions.protect_seller_office(bp)


def _grid_summary(seller):
    """Bids per condition and market: what the seller's grid covers, at a glance."""
    rows = db.session.execute(
        select(TradeInBid.condition, TradeInBid.market_id, func.count(TradeInBid.id))
        .where(TradeInBid.seller_id == seller.id).group_by(TradeInBid.condition, TradeInBid.market_id))
    counts = {(condition, market_id): count for condition, market_id, count in rows}
    models = db.session.scalar(select(func.count(func.distinct(Variant.product_id)))
                               .join(TradeInBid, TradeInBid.variant_id == Variant.id)
                               .where(TradeInBid.seller_id == seller.id)) or 0
    return counts, models


def _page(form, import_form, result=None, status=200):
    seller = staff_seller()
    counts, models = _grid_summary(seller)
    return render("tradein/seller_grid.html", fragments={"import-panel": "import_panel"}, seller=seller,
                  form=form, import_form=import_form, result=result, counts=counts, models=models,
                  conditions=list(Condition), columns=bid_csv.columns_for(seller)), status


@bp.route("/", methods=["GET", "POST"])
def grid():
    seller = staff_seller()
    profile = bids.profile_of(db.session, seller)
    form = ProfileForm(data={"is_active": profile.is_active if profile else False,
                             "payout_days": profile.payout_days if profile else DEFAULT_PAYOUT_DAYS}
                       if request.method == "GET" else None)
    if form.validate_on_submit():
        bids.save_profile(db.session, seller, is_active=bool(form.is_active.data), payout_days=form.payout_days.data)
        db.session.commit()
        flash(_("Your trade-in settings are saved."))
        return redirect(url_for(".grid"), code=303)
    return _page(form, BidImportForm(), status=422 if form.is_submitted() else 200)


@bp.get("/bids.csv")
def export_bids():
    seller = staff_seller()
    response = Response(bid_csv.export_csv(db.session, seller), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="trade-in-bids-{seller.slug}.csv"'
    return response


@bp.post("/bids")
def import_bids():
    seller = staff_seller()
    form = BidImportForm()
    if not form.validate():
        abort(400)
    upload = request.files.get("file")
    data = upload.read(bid_csv.MAX_BYTES + 1) if upload else b""
    result = bid_csv.import_csv(db.session, seller, data)
    if result.ok:
        db.session.commit()
    else:
        db.session.rollback()
    profile = bids.profile_of(db.session, seller)
    settings = ProfileForm(data={"is_active": profile.is_active if profile else False,
                                 "payout_days": profile.payout_days if profile else DEFAULT_PAYOUT_DAYS})
    return _page(settings, BidImportForm(), result, 200 if result.ok else 422)


# --- devices coming in: the queue, receipt, inspection ------------------------------------------------

OPEN_STATES = (TradeInStatus.AWAITING_DEVICE, TradeInStatus.RECEIVED, TradeInStatus.COUNTER_OFFERED,
               TradeInStatus.TO_PAY, TradeInStatus.RETURNING)


@bp.get("/devices")
def queue():
    seller = staff_seller()
    show = request.args.get("show", "open")
    query = inspection.seller_trade_ins(seller)
    if show != "all":
        show = "open"
        query = query.where(TradeIn.status.in_([s.value for s in OPEN_STATES]))
    # Device names come with the quote and variant in the same statement: the page's queries do not
    # grow with its rows.
    from sqlalchemy.orm import joinedload

    from app.catalog.models import Product
    from app.catalog.models import Variant as VariantRow

    from .models import TradeInQuote
    rows = db.session.scalars(query.options(
        joinedload(TradeIn.quote).joinedload(TradeInQuote.variant).joinedload(VariantRow.product)
        .selectinload(Product.translations)).order_by(TradeIn.status, TradeIn.id.desc()).limit(200)).unique().all()
    return render("tradein/seller_queue.html", trade_ins=rows, show=show, name_of=display.product_name, variant_label=display.variant_label)


def _trade_in_for_staff(reference: str) -> TradeIn:
    trade_in = db.session.scalar(inspection.seller_trade_ins(staff_seller()).where(
        TradeIn.reference == reference[:16]))
    if trade_in is None:
        abort(404)
    return trade_in


def _device_page(trade_in, form=None, error=None, status=200):
    form = form or _inspection_form(trade_in, formdata=None)
    response = make_response(render(
        "tradein/seller_device.html", trade_in=trade_in, form=form, error=error, product_name=display.product_name(
            trade_in.quote.variant.product), variant_label=display.variant_label), status)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _inspection_form(trade_in, **kwargs):
    form = InspectionForm(**kwargs)
    form.condition_found.choices = display.condition_choices()
    form.counter_reasons.choices = display.reason_choices()
    if kwargs.get("formdata", True) is None:
        form.condition_found.data = trade_in.quote.condition
    return form


@bp.get("/devices/<reference>")
def device(reference: str):
    return _device_page(_trade_in_for_staff(reference))


@bp.post("/devices/<reference>/received")
def mark_received(reference: str):
    trade_in = _trade_in_for_staff(reference)
    form = BidImportForm()            # a CSRF-only form
    if not form.validate():
        abort(400)
    try:
        inspection.mark_received(db.session, trade_in)
    except StaleTradeIn as exc:
        db.session.rollback()
        return _device_page(_trade_in_for_staff(reference), error=exc.message, status=exc.status)
    db.session.commit()
    flash(_("Marked as received: inspect it by the date shown."))
    return redirect(url_for(".device", reference=trade_in.reference), code=303)


@bp.post("/devices/<reference>/inspection")
def inspect(reference: str):
    trade_in = _trade_in_for_staff(reference)
    form = _inspection_form(trade_in)
    if not form.validate():
        return _device_page(trade_in, form, status=422)
    counter_amount = None
    if form.decision.data == "counter":
        try:
            counter_amount = parse_price(form.counter_amount.data, trade_in.currency)
        except PriceError:
            form.counter_amount.errors = [_("A counter-offer is lower than the quoted price and above zero.")]
            return _device_page(trade_in, form, status=422)
    findings = inspection.InspectionFindings(
        imei_or_serial=form.imei_or_serial.data, is_activation_locked=form.activation_lock.data == "on",
        is_blacklisted=form.blacklist.data == "reported", functions_ok=form.functions.data == "ok",
        condition_found=form.condition_found.data, decision=form.decision.data or "",
        counter_amount=counter_amount, counter_reasons=tuple(form.counter_reasons.data or ()),
        is_symbolic=bool(form.is_symbolic.data), notes=form.notes.data or "")
    from flask_login import current_user
    try:
        inspection.record_inspection(db.session, trade_in, findings, inspector=current_user,
                                     photos=request.files.getlist("photos"))
    except InvalidInspection as exc:
        db.session.rollback()
        for name, message in exc.errors.items():
            getattr(form, name).errors = [str(message)]
        return _device_page(_trade_in_for_staff(reference), form, status=422)
    except StaleTradeIn as exc:
        db.session.rollback()
        return _device_page(_trade_in_for_staff(reference), error=exc.message, status=exc.status)
    db.session.commit()
    flash(_("The inspection is recorded and the shopper is told."))
    return redirect(url_for(".device", reference=trade_in.reference), code=303)


@bp.get("/devices/<reference>/photos/<int:photo_id>")
def photo(reference: str, photo_id: int):
    return display.photo_response(_trade_in_for_staff(reference), photo_id)
