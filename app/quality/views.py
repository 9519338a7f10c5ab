"""Quality pages: the public seller page and "how offers are ranked" (per edition), the seller's own
figures in the back office."""
from __future__ import annotations

from flask import Blueprint, abort, g

from app.accounts import permissions
from app.accounts.permissions import staff_seller
from app.extensions import db
from app.offers.best import CRITERIA, RANKING
from app.web.htmx import render
from app.web.page_cache import cached_page

from . import pages
from .standing import standing_label

shop = Blueprint("quality", __name__, template_folder="templates", url_prefix="/<edition>")
seller = Blueprint("seller_quality", __name__, template_folder="templates", url_prefix="/seller/quality")
permissions.protect_seller_office(seller)

assert len(CRITERIA) == len(RANKING), "every ranking term is described on the ranking page"


@shop.get("/sellers/<slug>")
@cached_page
def seller_page(slug: str):
    found = pages.public_seller(db.session, slug)
    if found is None:
        abort(404)
    return render("quality/seller.html", found=found, minimum=pages.market_rules(db.session, g.market)["minimum_units"])


@shop.get("/how-offers-are-ranked")
@cached_page
def ranking():
    return render("quality/ranking.html", criteria=CRITERIA, rules=pages.market_rules(db.session, g.market))


@seller.get("/")
def figures():
    me = staff_seller()
    standings, own, comparisons, names = pages.seller_figures(db.session, me)
    markets = {m.id: m for m in me.markets}
    return render("quality/seller_figures.html", seller=me, standings=standings, own=own, comparisons=comparisons,
                  names=names, markets=markets, standing_label=standing_label)
