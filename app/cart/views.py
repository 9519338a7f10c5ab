"""The cart page and its controls: plain forms that htmx enhances, the header badge kept in step."""
from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, user_logged_in
from sqlalchemy import func, select

from app.extensions import db
from app.web.htmx import is_htmx, render
from app.web.safety import db_int
from app.web.security import private_pages

from . import services
from .models import Cart, CartLine

bp = Blueprint("cart", __name__, template_folder="templates", url_prefix="/<edition>/cart")
private_pages(bp)
COOKIE = "cart"
COOKIE_MAX_AGE = 90 * 24 * 3600

CART_FRAGMENTS = {"cart-body": ("cart_body", {"cart-badge": "cart_badge"})}
ERRORS = {
    "unavailable": lambda: _("Sorry, this offer has just sold out or is no longer available."),
    "stock": lambda: _("There are not that many left in stock."),
    "quantity": lambda: _("Please choose a quantity between 1 and %(num)s.", num=services.MAX_QUANTITY),
    "line": lambda: _("This item is no longer in your cart."),
}


def cart_token() -> str | None:
    """The visitor's cart cookie (or the one this request has just given them)."""
    return g.get("cart_token") or request.cookies.get(COOKIE)


def user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def current_cart() -> Cart | None:
    if "cart" not in g:
        g.cart = services.find_cart(db.session, cart_token(), g.market, user_id())
    return g.cart


@user_logged_in.connect
def _merge_visitor_cart(_app, user, **_extra) -> None:
    """Signing in brings the cart along: the visitor's lines join the account's cart."""
    services.merge_into_account(db.session, cart_token(), user.id)
    db.session.commit()


@bp.app_template_global()
def cart_count() -> int:
    """How many items the visitor's cart holds in this market (one query, once per request)."""
    if g.get("market") is None or not (cart_token() or user_id()):
        return 0
    if "cart_count" not in g:
        owner = (Cart.user_id == user_id()) if user_id() else ((Cart.token == cart_token()) & Cart.user_id.is_(None))
        g.cart_count = db.session.scalar(
            select(func.coalesce(func.sum(CartLine.quantity), 0)).join(Cart)
            .where(owner, Cart.market_id == g.market.id)) or 0
    return g.cart_count


@bp.get("/")
def page():
    view = services.review(db.session, current_cart(), g.market, g.languages)
    g.cart_count = view.count
    html = render("cart/cart.html", fragments=CART_FRAGMENTS, view=view)
    db.session.commit()       # after drawing: a commit expires the rows, and reloading them costs a query a line
    return html


@bp.post("/add")
def add():
    token = cart_token() or services.new_token()
    g.cart_token = token
    cart = services.cart_for(db.session, token, g.market, user_id())
    listing_id = request.form.get("listing_id", type=db_int)
    quantity = request.form.get("quantity", 1, type=db_int)
    error = None
    try:
        if listing_id is None:
            raise services.CartError("unavailable")
        services.add(db.session, cart, g.market, listing_id, quantity)
        db.session.commit()
    except services.CartError as problem:
        db.session.rollback()
        error = ERRORS[problem.code]()
    g.pop("cart_count", None)
    if is_htmx():
        response = current_app.make_response(render("cart/_added.html", error=error, listing_id=listing_id))
        if error:
            response.status_code = 409
    else:
        response = redirect(url_for(".page"), code=303) if not error else \
            current_app.make_response((render("cart/cart.html", view=_view(), error=error), 409))
        db.session.commit()
    response.set_cookie(COOKIE, token, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.post("/lines/<int:line_id>")
def update_line(line_id: int):
    return _change(lambda cart: services.set_quantity(db.session, cart, line_id,
                                                      request.form.get("quantity", -1, type=db_int)))


@bp.post("/lines/<int:line_id>/remove")
def remove_line(line_id: int):
    return _change(lambda cart: services.remove(db.session, cart, line_id))


def _change(action):
    cart = current_cart()
    error = None
    try:
        if cart is None:
            raise services.CartError("line")
        action(cart)
        db.session.commit()
    except services.CartError as problem:
        db.session.rollback()
        error = ERRORS[problem.code]()
    if not is_htmx() and not error:
        return redirect(url_for(".page"), code=303)
    g.pop("cart", None)
    g.pop("cart_count", None)
    view = _view()
    g.cart_count = view.count
    body = render("cart/cart.html", fragments=CART_FRAGMENTS, view=view, error=error)
    db.session.commit()
    return (body, 409) if error else body


def _view() -> services.CartView:
    """Today's cart, its fixes flushed; the caller commits them once the page is drawn."""
    return services.review(db.session, current_cart(), g.market, g.languages)
