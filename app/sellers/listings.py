"""A seller's listings, written through the ORM so that every price change is kept in the price
history (`app.offers.history` records it in the same flush)."""
from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.models import Product, Variant
from app.offers.models import Listing, ListingPrice
from app.sites.models import Market

from .models import Seller


class ListingError(Exception):
    def __init__(self, message, listing_id: int | None = None):
        super().__init__(str(message))
        self.message = message
        self.listing_id = listing_id


def _clash(session: Session, seller: Seller, variant_id: int, grade: str, new_battery: bool,
           listing_id: int | None) -> int | None:
    return session.scalar(select(Listing.id).where(
        Listing.seller_id == seller.id, Listing.variant_id == variant_id, Listing.grade == grade,
        Listing.has_new_battery.is_(new_battery), Listing.id != (listing_id or 0)))


def save_listing(session: Session, seller: Seller, listing: Listing | None, *, variant: Variant,
                 fields: Mapping[str, object], prices: Mapping[Market, int | None]) -> Listing:
    """Create or update a listing of `seller` and its price in each market (None removes it).

    A seller lists one variant once per grade and battery option: a clash names the existing listing.
    """
    if variant.product is None or not variant.product.is_active:
        raise ListingError(_l("This model cannot be listed."))
    clash = _clash(session, seller, variant.id, fields["grade"], bool(fields["has_new_battery"]),
                   listing.id if listing else None)
    if clash:
        raise ListingError(_l("You already list this model in this grade: edit that listing instead."), clash)
    if listing is None:
        listing = Listing(seller_id=seller.id, variant_id=variant.id, is_active=True)
        session.add(listing)
    for name, value in fields.items():
        setattr(listing, name, value)
    shipped = {m.id for m in seller.markets}
    for market, amount in prices.items():
        if market.id not in shipped:
            continue
        current = next((p for p in listing.prices if p.market_id == market.id), None)
        if amount is None:
            if current is not None:
                listing.prices.remove(current)
        elif current is None:
            listing.prices.append(ListingPrice(market_id=market.id, amount=amount, currency=market.currency))
        else:
            current.amount = amount
    session.flush()
    return listing


def set_active(session: Session, listing: Listing, active: bool) -> None:
    listing.is_active = active
    session.flush()


def find_models(session: Session, query: str, language: str, *, limit: int = 20) -> list[Product]:
    """Active products whose name (in `language`, else English) contains `query`, for the create form."""
    from app.catalog.models import ProductTranslation
    words = [w for w in query.split() if w][:5]
    if not words:
        return []
    ids = select(ProductTranslation.product_id).where(ProductTranslation.language.in_([language, "en"]))
    for word in words:
        ids = ids.where(ProductTranslation.name.ilike(f"%{word.replace('%', '').replace('_', '')}%"))
    return list(session.scalars(select(Product).where(Product.id.in_(ids), Product.is_active)
                                .order_by(Product.release_year.desc().nulls_last(), Product.id).limit(limit)))
