"""Who may touch what: the one place where roles and scopes are decided (DESIGN "People and what
they may touch").

| role            | scope               | here                                                |
| --------------- | ------------------- | --------------------------------------------------- |
| customer        | self                | `owned_by_current_user`, `addresses_of`             |
| seller staff    | one seller          | `protect_seller_office`, `staff_seller`, `seller_listings`, `listing_for_staff`, `seller_orders`, `seller_order_for_staff` |
| country manager | the markets granted | `managed_markets`, `require_market`, `manages_market`, `require_content_scope` |
| admin           | everything          | `protect_admin`, `admin_required`                   |

Blueprints call `protect_*` once, so every route they own is guarded before its view runs; views
then read their rows only through the scoped queries below, so a row outside the caller's scope is
a 404, never a leak. Later back-office screens (orders to ship, payouts) join the seller office and
are scoped by `staff_seller()` the same way.
"""
from __future__ import annotations

import enum
import functools
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.offers.models import Listing
from app.sellers.models import Seller
from app.sites.models import Edition, Market
from app.sites.routing import ensure_edition
from app.web.htmx import is_htmx
from app.web.safety import local_path

from .models import Address, User

SIGNED_IN_AT = "signed_in_at"


class Role(enum.StrEnum):
    CUSTOMER = "customer"
    SELLER_STAFF = "seller_staff"
    COUNTRY_MANAGER = "country_manager"
    ADMIN = "admin"


def roles_of(user: User) -> set[Role]:
    if not user or not user.is_authenticated:
        return set()
    roles = {Role.CUSTOMER}
    if user.seller_id is not None:
        roles.add(Role.SELLER_STAFF)
    if user.managed_markets:
        roles.add(Role.COUNTRY_MANAGER)
    if user.is_admin:
        roles.add(Role.ADMIN)
    return roles


def sees_shop_as_the_public() -> bool:
    """Whether the current visitor sees shop pages exactly as any shopper does (bar the header).

    Staff and managers see more (a manager sees which texts fall back to another language), so the
    page cache never serves them a shared page, nor stores one drawn for them.
    """
    return roles_of(current_user) <= {Role.CUSTOMER}


def has_role(role: Role) -> bool:
    return role in roles_of(current_user)


# --- answers for anonymous and wrong-role requests ------------------------------------------------

def deny_anonymous():
    """Anonymous: a full page goes to the sign-in form (and comes back); htmx gets 401 and a redirect."""
    if ensure_edition() is None:      # a database without markets has no sign-in page to send anyone to
        abort(401)
    target = url_for("accounts.sign_in", next=request.full_path.rstrip("?"))
    if is_htmx():
        response = current_app.response_class(status=401)
        response.headers["HX-Location"] = target
        return response
    return redirect(target, code=302)


def _check(allowed: Callable[[User], bool]):
    if not current_user.is_authenticated:
        return deny_anonymous()
    if not allowed(current_user):
        abort(403)
    return None


def signed_in_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return _check(lambda user: True) or view(*args, **kwargs)
    return wrapper


def admin_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return _check(lambda user: user.is_admin) or view(*args, **kwargs)
    return wrapper


# --- fresh sign-in for sensitive actions ----------------------------------------------------------

def mark_signed_in() -> None:
    session[SIGNED_IN_AT] = int(time.time())


def signed_in_recently() -> bool:
    at = session.get(SIGNED_IN_AT)
    return isinstance(at, int) and time.time() - at <= current_app.config["RECENT_SIGN_IN_SECONDS"]


def recent_sign_in_required(view):
    """Password, e-mail, roles and staff changes: ask for the password again after a while."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        denied = _check(lambda user: True)
        if denied:
            return denied
        if not signed_in_recently():
            target = url_for("accounts.confirm", next=_way_back())
            if is_htmx():
                response = current_app.response_class(status=401)
                response.headers["HX-Location"] = target
                return response
            return redirect(target, code=303)
        return view(*args, **kwargs)
    return wrapper


def _way_back() -> str | None:
    """Where to return after confirming: this page for a GET, the page the form was on for a POST."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host:
        return None
    return local_path(parts.path + (f"?{parts.query}" if parts.query else ""))


# --- back offices ----------------------------------------------------------------------------------

def _back_office(bp: Blueprint) -> None:
    """What every back office shares once its guard has let the user in: pages in the user's own
    language, kept out of search engines and shared caches."""
    @bp.before_request
    def _speak_user_language():
        g.ui_language = current_user.preferred_language

    @bp.after_request
    def _keep_out_of_search_engines(response):
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Cache-Control"] = "private, no-store"
        return response


# --- seller office ---------------------------------------------------------------------------------

def protect_seller_office(bp: Blueprint) -> None:
    """Every route of `bp` needs a signed-in member of a seller's staff; `g.seller` is their seller."""
    @bp.before_request
    def _guard():
        denied = _check(lambda user: user.seller_id is not None)
        if denied:
            return denied
        g.seller = current_user.seller
        return None

    _back_office(bp)


def staff_seller() -> Seller:
    """The seller the current request acts for (set by `protect_seller_office`)."""
    return g.seller


def seller_owner_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_seller_owner:
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def seller_listings(seller: Seller) -> Select:
    """The listings a seller's staff may see: their own, never another seller's."""
    return select(Listing).where(Listing.seller_id == seller.id)


def listing_for_staff(db_session: Session, listing_id: int) -> Listing:
    listing = db_session.scalar(seller_listings(staff_seller()).where(Listing.id == listing_id))
    if listing is None:
        abort(404)
    return listing


def seller_orders(seller: Seller) -> Select:
    """The seller orders a seller's staff may see: their own, once paid (an unpaid order is not theirs
    to ship yet, and one whose payment failed never was)."""
    from app.orders.models import SellerOrder
    return select(SellerOrder).where(SellerOrder.seller_id == seller.id, SellerOrder.paid_at.is_not(None))


def seller_order_for_staff(db_session: Session, seller_order_id: int, *options):
    """One of the current staff's seller orders; another seller's is a 404, never a 403 that confirms it exists."""
    from app.orders.models import SellerOrder
    found = db_session.scalar(seller_orders(staff_seller()).where(SellerOrder.id == seller_order_id).options(*options))
    if found is None:
        abort(404)
    return found


def seller_staff(db_session: Session, seller: Seller) -> list[User]:
    return list(db_session.scalars(select(User).where(User.seller_id == seller.id).order_by(User.email)))


# --- back office (/manage): admins, and country managers for their markets -------------------------

def protect_admin(bp: Blueprint, *, open_to_managers: set[str] = frozenset()) -> None:
    """Every route of `bp` needs an admin, except the endpoints named in `open_to_managers`, which
    country managers may also reach (each then checks the market with `require_market`)."""
    @bp.before_request
    def _guard():
        endpoint = (request.endpoint or "").rsplit(".", 1)[-1]
        if endpoint in open_to_managers:
            return _check(lambda user: user.is_admin or bool(user.managed_markets))
        return _check(lambda user: user.is_admin)

    _back_office(bp)


def managed_markets(db_session: Session, user: User) -> list[Market]:
    """The markets `user` runs: all of them for an admin, the granted ones for a country manager."""
    if user.is_admin:
        return list(db_session.scalars(select(Market).order_by(Market.position)))
    return list(user.managed_markets)


def require_market(db_session: Session, code: str) -> Market:
    """The market `code` if the current user runs it; 404 when it does not exist, 403 when not theirs."""
    market = db_session.scalar(select(Market).where(Market.code == code.upper()))
    if market is None:
        abort(404)
    if not current_user.is_admin and market.id not in {m.id for m in current_user.managed_markets}:
        abort(403)
    return market


def manages_market(user: User, market: Market | None) -> bool:
    """Whether `user` runs `market` (admins run every market); for hints on public pages only."""
    if market is None or not user or not user.is_authenticated:
        return False
    return user.is_admin or any(m.id == market.id for m in user.managed_markets)


def require_content_scope(db_session: Session, code: str, language: str, *, shared: bool = False
                          ) -> tuple[Market, Edition]:
    """The market and edition whose content the current user edits; 404/403 like `require_market`.

    The language must be one the market is offered in (else 404). A text `shared` by every market of
    a language is edited from the market that language belongs to first (its `is_language_default`
    edition: French from France, German from Germany) or by an admin; other markets' managers
    override it for their own market only (403 on the shared text).
    """
    market = require_market(db_session, code)
    edition = next((e for e in market.editions if e.language == language and e.is_active), None)
    if edition is None:
        abort(404)
    if shared and not (current_user.is_admin or edition.is_language_default):
        abort(403)
    return market, edition


# --- customers: their own rows ----------------------------------------------------------------------

def addresses_of(user: User) -> Select:
    return select(Address).where(Address.user_id == user.id).order_by(Address.id)


def own_address(db_session: Session, address_id: int) -> Address:
    address = db_session.scalar(addresses_of(current_user).where(Address.id == address_id))
    if address is None:
        abort(404)
    return address
