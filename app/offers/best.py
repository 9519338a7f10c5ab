"""The best-offer rule, in one place.

DESIGN: for a variant, grade and market, the best offer is the cheapest eligible listing; eligible
means purchasable (`queries.purchasable_prices`: in stock, active, seller approved and shipping to
the market, priced there); ties go to the better seller. Every list of offers on the site is ranked
by `RANKING`, so "best" is simply "first", and the page can say which criterion decided.

Reliability (`app.quality`) enters in three places, read by the outer joins of `with_quality`:

1. where the market makes at-risk sellers ineligible (`MarketQuality.at_risk_ineligible`), their
   offers come after every other one;
2. the price compared is the **effective price**: price × (1 + λ · excess), where excess is the
   pessimistic end (95 % upper bound) of the seller × model × grade failure rate over the median of
   its peers (same model and grade), 0 when the figure is not published, and λ the market's
   `reliability_weight` (hundredths). In integers: price × (100 000 000 + λ × excess ppm);
3. at the same effective price, a seller at risk (or under review) loses the tie.

`rank_key` and `price_to_win` are the same rule in Python; a test holds them in step with the SQL.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Select, and_, case, cast, false, func, literal
from sqlalchemy.orm import Session, aliased

from app.catalog.models import Variant
from app.quality.models import DEFAULTS, RANKING_HORIZON, Cut, MarketQuality, QualityRate, SellerStanding, Standing
from app.sellers.models import Seller
from app.sites.models import Market

from .models import Listing, ListingPrice
from .queries import purchasable_prices

SCALE = 100 * 1_000_000          # λ in hundredths × the excess in parts per million
AT_RISK_STANDINGS = (Standing.AT_RISK, Standing.REVIEW)

_cell = aliased(QualityRate, name="quality_cell")
_standing = aliased(SellerStanding, name="quality_standing")
_rules = aliased(MarketQuality, name="quality_rules")

EXCESS = func.coalesce(_cell.excess_ppm, 0)
WEIGHT = func.coalesce(_rules.reliability_weight, DEFAULTS["reliability_weight"])
AT_RISK = case((_standing.standing.in_(AT_RISK_STANDINGS), 1), else_=0)
INELIGIBLE = case((and_(func.coalesce(_rules.at_risk_ineligible, false()),
                        _standing.standing.in_(AT_RISK_STANDINGS)), 1), else_=0)
RELIABLE = func.coalesce(_cell.is_reliable, false())
EFFECTIVE = cast(ListingPrice.amount, BigInteger) * (literal(SCALE, BigInteger) + cast(WEIGHT, BigInteger) * EXCESS)


def with_quality(query: Select, market: Market) -> Select:
    """`purchasable_prices(market)` with the outer joins `RANKING` reads (rates, standing, the market's rules)."""
    return (query
            .outerjoin(_cell, and_(_cell.cut == Cut.CELL, _cell.horizon_days == RANKING_HORIZON,
                                   _cell.seller_id == Seller.id, _cell.product_id == Variant.product_id,
                                   _cell.grade == Listing.grade))
            .outerjoin(_standing, and_(_standing.seller_id == Seller.id, _standing.market_id == market.id))
            .outerjoin(_rules, _rules.market_id == market.id))


# What each term of `RANKING` means, in its order, for the "how offers are ranked" page (a test holds
# the two in step, so the page cannot describe another rule than the one applied).
CRITERIA = (
    _l("Offers whose seller is at risk come last where the country makes them ineligible."),
    _l("The lowest effective price: the price, raised by the seller's excess failure rate on this model "
       "and condition over its peers' median (the pessimistic end of its interval), times the country's weight."),
    _l("At the same effective price, a seller in good standing before one at risk or under review."),
    _l("Then the better seller rating."),
    _l("Then the longer warranty."),
    _l("Then the faster dispatch."),
    _l("Then the offer listed first."),
)

# Eligible first; then the cheapest effective price; at the same one a seller in good standing, then
# the better seller: higher rating, then the longer warranty, then the faster dispatch; the oldest
# listing last of all, so the order is total and stable.
RANKING = (
    INELIGIBLE.asc(),
    EFFECTIVE.asc(),
    AT_RISK.asc(),
    Seller.rating_tenths.desc().nulls_last(),
    Listing.warranty_months.desc(),
    Seller.dispatch_days.asc(),
    Listing.id.asc(),
)


@dataclass(frozen=True)
class Offer:
    """One purchasable listing as a shopper in one market sees it."""
    listing_id: int
    price_id: int
    product_id: int
    variant_id: int
    grade: str
    has_new_battery: bool
    battery_health_min: int | None
    warranty_months: int
    vat_scheme: str
    quantity: int
    amount: int
    currency: str
    seller_id: int
    seller_name: str
    seller_rating_tenths: int | None
    dispatch_days: int
    excess_ppm: int = 0          # the reliability term's failure-rate excess (0: none or not published)
    weight: int = 0              # the market's λ, hundredths
    at_risk: bool = False        # the seller is at risk or under review in this market
    ineligible: bool = False     # ... and the market makes that ineligible for the best offer
    reliable: bool = False       # the "reliable seller" badge: upper bound under the peer median
    seller_slug: str = ""        # the public seller page

    @property
    def effective(self) -> int:
        """The effective price, scaled by `SCALE`: price × (1 + λ · excess)."""
        return self.amount * (SCALE + self.weight * self.excess_ppm)

    @property
    def key(self) -> tuple[int, str, bool]:
        """What a best offer is chosen for: the variant, the grade and the battery option."""
        return self.variant_id, self.grade, self.has_new_battery


class Reason(enum.StrEnum):
    """Why the first offer of a ranked list beat the second."""
    ONLY = "only"              # nothing to beat
    ELIGIBILITY = "eligibility"  # the other offers' sellers are at risk, which this market excludes
    PRICE = "price"            # strictly cheaper
    RELIABILITY = "reliability"  # not cheaper, but its lower failure rate makes it the better buy
    STANDING = "standing"      # same effective price, the other seller is at risk
    RATING = "rating"          # same price, better rated seller
    WARRANTY = "warranty"      # same price and rating, longer warranty
    DISPATCH = "dispatch"      # same price, rating and warranty, ships sooner
    SENIORITY = "seniority"    # identical on every criterion: listed first


def _offers_query(market: Market) -> Select:
    return (with_quality(purchasable_prices(market), market)
            .with_only_columns(
                Listing.id, ListingPrice.id, Variant.product_id, Listing.variant_id, Listing.grade,
                Listing.has_new_battery, Listing.battery_health_min, Listing.warranty_months,
                Listing.vat_scheme, Listing.quantity, ListingPrice.amount, ListingPrice.currency,
                Seller.id, Seller.name, Seller.rating_tenths, Seller.dispatch_days,
                EXCESS, WEIGHT, AT_RISK, INELIGIBLE, RELIABLE, Seller.slug)
            .order_by(*RANKING))


def ranked_offers(session: Session, market: Market, *, product_id: int | None = None,
                  variant_ids: Sequence[int] | None = None, listing_ids: Sequence[int] | None = None,
                  grade: str | None = None,
                  new_battery: bool | None = None, limit: int | None = None) -> list[Offer]:
    """Every purchasable offer matching the filters, best first. One query."""
    query = _offers_query(market)
    if product_id is not None:
        query = query.where(Variant.product_id == product_id)
    if variant_ids is not None:
        query = query.where(Listing.variant_id.in_(list(variant_ids)))
    if listing_ids is not None:
        query = query.where(Listing.id.in_(list(listing_ids)))
    if grade is not None:
        query = query.where(Listing.grade == grade)
    if new_battery is not None:
        query = query.where(Listing.has_new_battery.is_(new_battery))
    if limit is not None:
        query = query.limit(limit)
    return [Offer(*row[:16], excess_ppm=int(row[16]), weight=int(row[17]), at_risk=bool(row[18]),
                  ineligible=bool(row[19]), reliable=bool(row[20]), seller_slug=row[21])
            for row in session.execute(query)]


def best_offer(session: Session, market: Market, variant_id: int, grade: str, *,
               new_battery: bool = False) -> Offer | None:
    """The listing that wins for this variant, grade, battery option and market, if any."""
    found = ranked_offers(session, market, variant_ids=[variant_id], grade=grade,
                          new_battery=new_battery, limit=1)
    return found[0] if found else None


def best_by_key(offers: Iterable[Offer]) -> dict[tuple[int, str, bool], Offer]:
    """From offers ranked by `RANKING`, the best per (variant, grade, battery option)."""
    best: dict[tuple[int, str, bool], Offer] = {}
    for offer in offers:
        best.setdefault(offer.key, offer)
    return best


def rank_key(offer: Offer) -> tuple:
    """`RANKING` as a Python sort key, for offers that are not (or not yet) in the database's order."""
    rating = offer.seller_rating_tenths
    return (offer.ineligible, offer.effective, offer.at_risk, rating is None, -(rating or 0),
            -offer.warranty_months, offer.dispatch_days, offer.listing_id)


def price_to_win(mine: Offer, rival: Offer) -> int | None:
    """The highest price at which `mine` would rank before `rival`, its own reliability term
    included: the price whose effective price equals the rival's when the tie-breaks favour `mine`,
    one minor unit less otherwise; None when no price would do (nothing, or `mine` is ineligible)."""
    if mine.ineligible and not rival.ineligible:
        return None
    rival = replace(rival, ineligible=mine.ineligible)   # an ineligible rival: the price that wins even so
    price = rival.effective // (SCALE + mine.weight * mine.excess_ppm)
    if rank_key(replace(mine, amount=price)) > rank_key(rival):
        price -= 1
    return price if price > 0 else None


def reason(ranked: Sequence[Offer]) -> Reason:
    """Which criterion of the rule put `ranked[0]` ahead of `ranked[1]`."""
    if len(ranked) < 2:
        return Reason.ONLY
    first, second = ranked[0], ranked[1]
    if first.ineligible != second.ineligible:
        return Reason.ELIGIBILITY
    if first.effective != second.effective:
        return Reason.PRICE if first.amount < second.amount else Reason.RELIABILITY
    if first.at_risk != second.at_risk:
        return Reason.STANDING
    if (first.seller_rating_tenths or 0) != (second.seller_rating_tenths or 0):
        return Reason.RATING
    if first.warranty_months != second.warranty_months:
        return Reason.WARRANTY
    if first.dispatch_days != second.dispatch_days:
        return Reason.DISPATCH
    return Reason.SENIORITY
