"""The seller's trade-in screens (`/seller/trade-in/…`): opt-in, payout speed and the bid grid.

Guarded like the rest of the seller office (`permissions.protect_seller_office`); every query is
scoped to `staff_seller()`.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts import permissions
from app.accounts.permissions import staff_seller
from app.catalog.models import Variant
from app.extensions import db
from app.web.htmx import render

from . import bid_csv, bids
from .forms import BidImportForm, ProfileForm
from .models import DEFAULT_PAYOUT_DAYS, Condition, TradeInBid

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
