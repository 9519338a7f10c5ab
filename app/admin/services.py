"""Back-office use cases: market settings, categories, roles. They flush; the view commits."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.catalog.models import Category, CategoryTranslation, Variant
from app.offers.models import ListingPrice
from app.offers.queries import purchasable_prices
from app.orders.models import CommissionRate
from app.sellers.models import seller_market
from app.sites.models import Market


class AdminError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def market_figures(session: Session, market: Market) -> dict[str, int]:
    """What a market holds now: products and listings on sale, sellers shipping there (three queries)."""
    on_sale = purchasable_prices(market)
    return {
        "products": session.scalar(on_sale.with_only_columns(func.count(func.distinct(Variant.product_id)))) or 0,
        "listings": session.scalar(on_sale.with_only_columns(func.count(ListingPrice.id))) or 0,
        "sellers": session.scalar(select(func.count()).select_from(seller_market)
                                  .where(seller_market.c.market_id == market.id)) or 0,
    }


def set_category(session: Session, category: Category, *, position: int, is_active: bool,
                 names: dict[str, str]) -> None:
    category.position = position
    category.is_active = is_active
    by_language = {t.language: t for t in category.translations}
    for language, name in names.items():
        row = by_language.get(language)
        if row is None:
            from app.demo.loader import slugify
            slug = slugify(name)[:120] or category.key
            taken = session.scalar(select(CategoryTranslation.id).where(CategoryTranslation.language == language,
                                                                        CategoryTranslation.slug == slug))
            category.translations.append(CategoryTranslation(
                language=language, name=name.strip(), slug=f"{slug}-{category.id}" if taken else slug))
        else:
            row.name = name.strip()
    session.flush()


def set_roles(session: Session, user: User, *, actor: User, is_active: bool, is_admin: bool,
              seller_id: int | None, is_seller_owner: bool, market_codes: list[str]) -> None:
    """Roles and scopes of one account. An admin cannot take their own admin role or account away."""
    if user.id == actor.id and (not is_admin or not is_active):
        raise AdminError(_l("You cannot remove your own administrator role or deactivate yourself."))
    user.is_active = is_active
    user.is_admin = is_admin
    user.seller_id = seller_id or None
    user.is_seller_owner = bool(seller_id) and is_seller_owner
    user.managed_markets = list(session.scalars(select(Market).where(Market.code.in_(market_codes or []))))
    session.flush()



def commission_rates(session: Session) -> list[CommissionRate]:
    """Every configured rate, the broadest first: by category (none first), then by market."""
    return list(session.scalars(select(CommissionRate).order_by(
        CommissionRate.category_id.is_not(None), CommissionRate.category_id,
        CommissionRate.market_id.is_not(None), CommissionRate.market_id)))


def set_commission_rate(session: Session, *, category_id: int | None, market_id: int | None,
                        rate_bp: int) -> CommissionRate:
    """Create the rate for this category and market, or change it: one row per pair.

    Orders already placed keep the rate their lines copied; the new one applies to the next orders.
    """
    if category_id is None and market_id is None:
        raise AdminError(_l("Choose a category, a country or both: the rate for everything else is "
                            "the platform's default."))
    # NULLs never collide in a unique constraint: look the pair up instead of relying on it.
    row = session.scalar(select(CommissionRate).where(
        CommissionRate.category_id.is_(None) if category_id is None else CommissionRate.category_id == category_id,
        CommissionRate.market_id.is_(None) if market_id is None else CommissionRate.market_id == market_id))
    if row is None:
        row = CommissionRate(category_id=category_id, market_id=market_id, rate_bp=rate_bp)
        session.add(row)
    row.rate_bp = rate_bp
    session.flush()
    return row
