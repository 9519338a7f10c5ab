"""The platform's trade-in screen (`/manage/trade-in/`): where trade-in is offered, the voucher bonus
per market, and each seller's counter-offer rate. Admins only (`permissions.protect_admin`)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts import permissions
from app.extensions import db
from app.sellers.models import Seller
from app.sites.models import Market
from app.web.htmx import render
from app.web.jinja import country_name

from . import bids
from .forms import MarketTermsForm
from .models import TradeInSellerProfile

bp = Blueprint("tradein_admin", __name__, template_folder="templates", url_prefix="/manage/trade-in")
permissions.protect_admin(bp)


def _forms() -> list[tuple[Market, MarketTermsForm]]:
    rows = []
    for market in db.session.scalars(select(Market).order_by(Market.position)):
        terms = bids.market_terms(db.session, market)
        rows.append((market, MarketTermsForm(prefix=market.code.lower(), formdata=None, data={
            "is_offered": terms.is_offered, "voucher_bonus": _percent(terms.voucher_bonus_bp)})))
    return rows


def _percent(basis_points: int) -> str:
    return f"{basis_points // 100}" + (f".{basis_points % 100:02d}".rstrip("0") if basis_points % 100 else "")


def _page(forms, status=200):
    sellers = list(db.session.scalars(select(Seller).join(TradeInSellerProfile,
                                                          TradeInSellerProfile.seller_id == Seller.id)
                                      .order_by(Seller.name)))
    profiles = {p.seller_id: p for p in db.session.scalars(select(TradeInSellerProfile))}
    rates = bids.counter_offer_rates(db.session, [s.id for s in sellers])
    return render("tradein/admin_overview.html", forms=forms, sellers=sellers, profiles=profiles,
                  rates=rates), status


@bp.get("/")
def overview():
    return _page(_forms())


@bp.post("/markets/<code>")
def market_terms(code: str):
    market = db.session.scalar(select(Market).where(Market.code == code.upper()))
    if market is None:
        abort(404)
    form = MarketTermsForm(prefix=market.code.lower())
    basis_points = form.bonus_basis_points() if form.validate_on_submit() else None
    if basis_points is None:
        if form.is_submitted() and not form.voucher_bonus.errors:
            form.voucher_bonus.errors = [_("At most 100 %.")]
        forms = [(m, form if m.id == market.id else f) for m, f in _forms()]
        return _page(forms, 422)
    bids.set_market_terms(db.session, market, is_offered=bool(form.is_offered.data), voucher_bonus_bp=basis_points)
    db.session.commit()
    flash(_("The trade-in settings of %(country)s are saved.", country=country_name(market.code)))
    return redirect(url_for(".overview"), code=303)
