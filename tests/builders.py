"""Data builders: each takes a session, accepts overrides, creates missing parents and flushes."""
from __future__ import annotations

import itertools

from sqlalchemy import select

from app.catalog.models import (
    Brand,
    Category,
    CategoryTranslation,
    Color,
    ColorTranslation,
    Product,
    ProductTranslation,
    Variant,
    VariantNewPrice,
)
from app.i18n import LANGUAGES
from app.offers.models import Listing, ListingPrice
from app.sellers.models import Seller, SellerStatus
from app.sites.models import Market
from app.sites.services import sync_markets

_ids = itertools.count(1)


def make_markets(session) -> dict[str, Market]:
    """The seven real markets and their eight editions."""
    sync_markets(session)
    return {m.code: m for m in session.scalars(select(Market))}


def market(session, code: str) -> Market:
    found = session.scalar(select(Market).where(Market.code == code))
    return found or make_markets(session)[code]


def make_category(session, *, key=None, names=None, parent=None, illustration="phone", languages=LANGUAGES):
    n = next(_ids)
    key = key or f"category-{n}"
    category = Category(key=key, parent=parent, illustration=illustration, position=n)
    for lang in languages:
        name = (names or {}).get(lang, f"{key} {lang}")
        category.translations.append(CategoryTranslation(language=lang, name=name, slug=f"{key}-{lang}"))
    session.add(category)
    session.flush()
    return category


def make_color(session, *, code=None, hex="#1c1c1e", names=None):
    code = code or f"color-{next(_ids)}"
    color = Color(code=code, hex=hex)
    for lang in LANGUAGES:
        color.translations.append(ColorTranslation(language=lang, name=(names or {}).get(lang, f"{code} {lang}")))
    session.add(color)
    session.flush()
    return color


def make_product(session, *, key=None, category=None, brand="Apple", names=None, year=2021,
                 languages=LANGUAGES, specs=None, new_prices=None, colors=None, storages=(128,)):
    """A product with one variant per storage × colour, each with launch prices."""
    n = next(_ids)
    key = key or f"product-{n}"
    brand_row = session.scalar(select(Brand).where(Brand.name == brand)) or Brand(name=brand, slug=brand.lower())
    product = Product(key=key, category=category or make_category(session), brand=brand_row,
                      release_year=year, specs=specs or {"screen_in": "6.1"})
    for lang in languages:
        name = (names or {}).get(lang, f"Model {n} {lang}")
        product.translations.append(ProductTranslation(language=lang, name=name, slug=f"{key}-{lang}",
                                                       description=f"Description {lang}"))
    new_prices = new_prices or {"EUR": 90900, "GBP": 77900, "USD": 79900}
    position = 0
    for storage in storages:
        for color in (colors or [None]):
            variant = Variant(sku=f"{key}-{storage}-{color.code if color else 'std'}", storage_gb=storage,
                              color=color, position=position)
            variant.new_prices = [VariantNewPrice(currency=c, amount=a) for c, a in new_prices.items()]
            product.variants.append(variant)
            position += 1
    session.add(product)
    session.flush()
    return product


def make_seller(session, *, name=None, status=SellerStatus.APPROVED, ships_to=("FR", "BE", "ES", "DE", "IT"),
                rating=45, country="FR", dispatch_days=1):
    n = next(_ids)
    markets = make_markets(session)
    seller = Seller(slug=f"seller-{n}", name=name or f"Workshop {n}", country_code=country, city="Lyon",
                    status=status, rating_tenths=rating, dispatch_days=dispatch_days,
                    markets=[markets[code] for code in ships_to])
    session.add(seller)
    session.flush()
    return seller


def make_listing(session, *, variant=None, seller=None, grade="good", quantity=3, prices=None, **overrides):
    """A listing priced in the given markets: prices={"FR": 34900, "GB": 29900}."""
    variant = variant or make_product(session).variants[0]
    seller = seller or make_seller(session)
    listing = Listing(variant=variant, seller=seller, grade=grade, quantity=quantity, **overrides)
    for code, amount in (prices or {"FR": 34900}).items():
        m = market(session, code)
        listing.prices.append(ListingPrice(market_id=m.id, amount=amount, currency=m.currency))
    session.add(listing)
    session.flush()
    return listing


PASSWORD = "correct horse battery"


def make_user(session, *, email=None, password=PASSWORD, name="Test Person", language="en", verified=True,
              admin=False, seller=None, owner=True, markets=()):
    """An account; `seller` makes it staff (owner by default), `markets` (codes) a country manager."""
    from argon2 import PasswordHasher

    from app.accounts.models import User
    from app.models_base import utcnow
    hash_password = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash   # the tests' config
    n = next(_ids)
    user = User(email=email or f"person{n}@shop.example", password_hash=hash_password(password) if password else None,
                name=name, preferred_language=language, email_verified_at=utcnow() if verified else None,
                is_admin=admin, seller_id=seller.id if seller else None, is_seller_owner=bool(seller) and owner)
    if markets:
        user.managed_markets = [market(session, code) for code in markets]
    session.add(user)
    session.flush()
    return user


def sign_in(client, user_or_email, *, password=PASSWORD, edition="en-gb"):
    """Sign in through the real form; returns the response (303 on success)."""
    email = getattr(user_or_email, "email", user_or_email)
    return client.post(f"/{edition}/account/sign-in", data={"email": email, "password": password})
