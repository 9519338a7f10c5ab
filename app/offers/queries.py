"""Read-side offer queries: what can be bought in a market, and from how much."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, and_, func, select

from app.catalog.models import Variant
from app.sellers.models import Seller, SellerStatus, seller_market
from app.sites.models import Market

from .models import Listing, ListingPrice


def purchasable_prices(market: Market) -> Select:
    """Prices of listings a shopper in `market` can buy now, joined to their listing and variant.

    The one definition of "purchasable": the listing is active and in stock, its seller is approved
    and ships to the market, and it has a price there. Callers add columns, filters and grouping.
    """
    return _purchasable(ListingPrice.market_id == market.id)


def purchasable_prices_in(market_ids: Iterable[int]) -> Select:
    """`purchasable_prices` of several markets at once (callers select `ListingPrice.market_id`): what
    the search summaries of one product are refreshed from, in one statement for all its markets."""
    return _purchasable(ListingPrice.market_id.in_(sorted(market_ids)))


def _purchasable(in_market) -> Select:
    return (
        select(ListingPrice)
        .join(Listing, Listing.id == ListingPrice.listing_id)
        .join(Variant, Variant.id == Listing.variant_id)
        .join(Seller, Seller.id == Listing.seller_id)
        .join(seller_market, and_(seller_market.c.seller_id == Seller.id,
                                  seller_market.c.market_id == ListingPrice.market_id))
        .where(in_market,
               Listing.is_active.is_(True),
               Listing.quantity > 0,
               Seller.status == SellerStatus.APPROVED)
    )


def product_price_summary(market: Market) -> Select:
    """Per product: the lowest purchasable price and the number of purchasable listings."""
    return (
        purchasable_prices(market)
        .with_only_columns(Variant.product_id.label("product_id"),
                           func.min(ListingPrice.amount).label("from_amount"),
                           func.count(ListingPrice.id).label("offers_count"))
        .group_by(Variant.product_id)
    )


def grade_prices(session, product_id: int, market: Market) -> dict[str, tuple[int, int]]:
    """For one product: per grade, the lowest purchasable price and how many listings offer it."""
    rows = session.execute(
        purchasable_prices(market)
        .with_only_columns(Listing.grade, func.min(ListingPrice.amount), func.count(ListingPrice.id))
        .where(Variant.product_id == product_id)
        .group_by(Listing.grade)).all()
    return {grade: (amount, count) for grade, amount, count in rows}


def variant_from_prices(session, product_id: int, market: Market) -> dict[int, int]:
    """For one product: per variant id, the lowest purchasable price in the market."""
    rows = session.execute(
        purchasable_prices(market)
        .with_only_columns(Variant.id, func.min(ListingPrice.amount))
        .where(Variant.product_id == product_id)
        .group_by(Variant.id)).all()
    return dict(rows)
