"""Cart operations, and the re-check of every line against today's prices and stock.

Each line remembers the price the shopper last saw. `review` compares it, and the quantity, with
what can be bought now (`offers.best.ranked_offers`, the one eligibility rule), fixes the cart and
says what changed, so that nothing reaches the order the shopper did not see.
"""
from __future__ import annotations

import enum
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.catalog.images import images_for
from app.catalog.models import Product, ProductImage, Variant
from app.catalog.product_page import option_label
from app.catalog.selection import DIMENSIONS, options_of
from app.offers.best import Offer, ranked_offers
from app.sites.models import Market

from .models import Cart, CartLine

MAX_QUANTITY = 10       # per line: a shop for people, not for resellers


class CartError(Exception):
    """A cart change that cannot be made; `code` picks the message shown."""
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class Notice(enum.StrEnum):
    PRICE_DOWN = "price_down"
    PRICE_UP = "price_up"
    LESS_STOCK = "less_stock"
    GONE = "gone"


@dataclass(frozen=True)
class Change:
    notice: Notice
    title: str
    before: int
    after: int


@dataclass(frozen=True)
class Line:
    line: CartLine
    offer: Offer
    title: str
    options: str
    slug: str
    image: ProductImage | None

    @property
    def amount(self) -> int:
        return self.offer.amount * self.line.quantity

    @property
    def max_quantity(self) -> int:
        return min(self.offer.quantity, MAX_QUANTITY)


@dataclass(frozen=True)
class Shipment:
    seller_id: int
    seller_name: str
    dispatch_days: int
    lines: list[Line]

    @property
    def goods_amount(self) -> int:
        return sum(line.amount for line in self.lines)


@dataclass(frozen=True)
class CartView:
    cart: Cart | None
    lines: list[Line]
    changes: list[Change]

    @property
    def goods_amount(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def count(self) -> int:
        return sum(line.line.quantity for line in self.lines)

    @property
    def shipments(self) -> list[Shipment]:
        grouped: dict[int, list[Line]] = {}
        for line in self.lines:
            grouped.setdefault(line.offer.seller_id, []).append(line)
        return [Shipment(seller_id, lines[0].offer.seller_name, lines[0].offer.dispatch_days, lines)
                for seller_id, lines in grouped.items()]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def find_cart(session: Session, token: str | None, market: Market, user_id: int | None = None) -> Cart | None:
    """A signed-in customer's cart by account; a visitor's by cookie, never one that belongs to an account."""
    if user_id is not None:
        where = Cart.user_id == user_id
    elif token:
        where = (Cart.token == token) & Cart.user_id.is_(None)
    else:
        return None
    return session.scalar(select(Cart).where(where, Cart.market_id == market.id).options(selectinload(Cart.lines)))


def cart_for(session: Session, token: str, market: Market, user_id: int | None = None) -> Cart:
    cart = find_cart(session, token, market, user_id)
    if cart is None:
        cart = Cart(token=token if user_id is None else new_token(), market_id=market.id, user_id=user_id)
        session.add(cart)
        session.flush()
    return cart


def merge_into_account(session: Session, token: str | None, user_id: int) -> int:
    """At sign-in, the visitor's carts join the customer's: per market, lines are added (within stock
    and the per-line limit, re-checked at the next review), and an account without a cart there takes
    the visitor's. Returns how many carts were merged."""
    if not token:
        return 0
    visiting = session.scalars(select(Cart).where(Cart.token == token, Cart.user_id.is_(None))
                               .options(selectinload(Cart.lines))).all()
    for cart in visiting:
        own = session.scalar(select(Cart).where(Cart.user_id == user_id, Cart.market_id == cart.market_id)
                             .options(selectinload(Cart.lines)))
        if own is None:
            cart.user_id = user_id
            cart.token = new_token()        # the browser's cookie no longer opens it once signed out
            continue
        for line in list(cart.lines):
            mine = next((m for m in own.lines if m.listing_id == line.listing_id), None)
            if mine is None:
                own.lines.append(CartLine(listing_id=line.listing_id, quantity=line.quantity,
                                          seen_amount=line.seen_amount))
            else:
                mine.quantity = min(mine.quantity + line.quantity, MAX_QUANTITY)
        own.checkout_key = None
        session.delete(cart)
    session.flush()
    return len(visiting)


def add(session: Session, cart: Cart, market: Market, listing_id: int, quantity: int = 1) -> CartLine:
    """Put a purchasable listing in the cart (or more of it), within its stock."""
    if quantity < 1:
        raise CartError("quantity")
    offers = ranked_offers(session, market, listing_ids=[listing_id])
    if not offers:
        raise CartError("unavailable")
    offer = offers[0]
    line = next((line for line in cart.lines if line.listing_id == listing_id), None)
    wanted = quantity + (line.quantity if line else 0)
    limit = min(offer.quantity, MAX_QUANTITY)
    if wanted > limit:
        raise CartError("stock")
    if line is None:
        line = CartLine(listing_id=listing_id, quantity=wanted, seen_amount=offer.amount)
        cart.lines.append(line)
    else:
        line.quantity = wanted
        line.seen_amount = offer.amount
    cart.checkout_key = None          # the cart changed: a new order must be reviewed
    session.flush()
    return line


def set_quantity(session: Session, cart: Cart, line_id: int, quantity: int) -> None:
    line = _line(cart, line_id)
    if quantity == 0:
        return remove(session, cart, line_id)
    if quantity < 0 or quantity > MAX_QUANTITY:
        raise CartError("quantity")
    line.quantity = quantity
    cart.checkout_key = None
    session.flush()


def remove(session: Session, cart: Cart, line_id: int) -> None:
    cart.lines.remove(_line(cart, line_id))
    cart.checkout_key = None
    session.flush()


def _line(cart: Cart, line_id: int) -> CartLine:
    line = next((line for line in cart.lines if line.id == line_id), None)
    if line is None:
        raise CartError("line")
    return line


def review(session: Session, cart: Cart | None, market: Market, languages: Sequence[str]) -> CartView:
    """Today's cart: lines priced now, stock applied, gone listings removed, and what changed.

    Fixes the cart to match (so each change is told once). A fixed number of queries.
    """
    if cart is None or not cart.lines:
        return CartView(cart, [], [])
    offers = {o.listing_id: o for o in ranked_offers(session, market, listing_ids=[l.listing_id for l in cart.lines])}
    variants = _variants(session, [o.variant_id for o in offers.values()])
    lines, changes = [], []
    for line in list(cart.lines):
        offer = offers.get(line.listing_id)
        variant = variants.get(offer.variant_id) if offer else None
        title = _title(variant or line.listing.variant, languages)
        if offer is None or variant is None:
            changes.append(Change(Notice.GONE, title, line.quantity, 0))
            cart.lines.remove(line)
            continue
        if offer.amount != line.seen_amount:
            kind = Notice.PRICE_DOWN if offer.amount < line.seen_amount else Notice.PRICE_UP
            changes.append(Change(kind, title, line.seen_amount, offer.amount))
            line.seen_amount = offer.amount
        limit = min(offer.quantity, MAX_QUANTITY)
        if line.quantity > limit:
            changes.append(Change(Notice.LESS_STOCK, title, line.quantity, limit))
            line.quantity = limit
        images = images_for(variant.product, variant.color_id)
        text = variant.product.text(languages)
        lines.append(Line(line, offer, title, option_summary(variant, languages), text.slug,
                          images[0] if images else None))
    if changes:
        cart.checkout_key = None
        session.flush()
    return CartView(cart, lines, changes)


def _variants(session: Session, ids: list[int]) -> dict[int, Variant]:
    if not ids:
        return {}
    rows = session.scalars(select(Variant).where(Variant.id.in_(ids))
                           .options(selectinload(Variant.product).selectinload(Product.images),
                                    selectinload(Variant.product).selectinload(Product.translations),
                                    selectinload(Variant.product).joinedload(Product.brand)))
    return {v.id: v for v in rows}


def _title(variant: Variant, languages: Sequence[str]) -> str:
    text = variant.product.text(languages)
    return f"{variant.product.brand.name} {text.name if text else variant.product.key}"


def option_summary(variant: Variant, languages: Sequence[str]) -> str:
    """"128 GB · Midnight": every option the variant has, as the product page names them."""
    options = options_of(variant)
    return " · ".join(option_label(name, options[name], [variant], languages)[0]
                      for name in DIMENSIONS if options[name] is not None)
