"""Checkout steps: address → delivery → review and pay. Each step is a GET page and a POST that saves
to the cart and redirects (Post/Redirect/Get), so Back, Forward and reload are always safe."""
from __future__ import annotations

import stripe
from flask import Blueprint, abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.cart.services import review
from app.cart.views import current_cart
from app.extensions import csrf, db
from app.offers.delivery import market_today
from app.orders.models import Order, OrderStatus, Payment, PaymentStatus
from app.web.htmx import render, wants_fragment
from app.web.links import public_url_for
from app.web.security import private_pages

from . import placing
from .addresses import COUNTRIES
from .forms import AddressForm, PaymentForm
from .payments import CardDetails, provider_for
from .payments.stripe_provider import StripeProvider
from .payments.test_provider import card_problems
from .summary import DeliveryMethod, summarise
from .taxes import margin_scheme_mention

bp = Blueprint("checkout", __name__, template_folder="templates", url_prefix="/<edition>/checkout")
private_pages(bp)
webhooks = Blueprint("payment_webhooks", __name__)

FAILURES = {
    "declined": lambda: _("Your bank declined the payment. No money was taken; please try another card."),
    "insufficient_funds": lambda: _("The card has insufficient funds. No money was taken; please try another card."),
    "challenge_failed": lambda: _("The payment was not confirmed with your bank. No money was taken."),
    "expired": lambda: _("The payment was not finished in time. No money was taken."),
}
CARD_ERRORS = {
    "card_number": lambda: _("This card number is not valid."),
    "card_expiry": lambda: _("Please enter a valid expiry date in the future, as MM/YY."),
    "card_cvc": lambda: _("Please enter the 3 or 4 digits of the security code."),
}


SUMMARY = {"checkout-summary": "summary"}   # the htmx fragment every step exposes: its order summary


def _step(template: str, status: int = 200, fragments=SUMMARY, **context):
    """A checkout step's page, its order summary beside it (or that summary alone, for htmx; the review
    step is its own summary, so it has no fragment)."""
    return render(template, fragments=fragments, margin_mention=margin_scheme_mention(g.market), **context), status


def _cart_or_back():
    cart = current_cart()
    if cart is None or not cart.lines:
        return None
    return cart


@bp.route("/address", methods=["GET", "POST"])
def address():
    cart = _cart_or_back()
    if cart is None:
        return redirect(url_for("cart.page"), code=303)
    form = AddressForm(g.market.code, data=cart.contact or {})
    if form.validate_on_submit():
        cart.contact = form.contact()
        cart.checkout_key = None
        db.session.commit()
        return redirect(url_for(".delivery"), code=303)
    view = review(db.session, cart, g.market, g.languages)
    summary = summarise(view, g.market, cart.delivery, (cart.contact or {}).get("region"), market_today(g.market))
    db.session.commit()
    status = 422 if request.method == "POST" else 200
    return _step("checkout/address.html", status, form=form, rules=COUNTRIES[g.market.code], summary=summary)


@bp.route("/delivery", methods=["GET", "POST"])
def delivery():
    cart = _cart_or_back()
    if cart is None or not cart.contact:
        return redirect(url_for(".address" if cart else "cart.page"), code=303)
    view = review(db.session, cart, g.market, g.languages)
    db.session.commit()
    if not view.lines:
        return redirect(url_for("cart.page"), code=303)
    if request.method == "POST":
        choices = {}
        for shipment in view.shipments:
            wanted = request.form.get(f"delivery-{shipment.seller_id}", DeliveryMethod.STANDARD)
            if wanted not in set(DeliveryMethod):
                abort(400)
            choices[str(shipment.seller_id)] = wanted
        cart.delivery = choices
        cart.checkout_key = None
        db.session.commit()
        if not wants_fragment():
            return redirect(url_for(".review_page"), code=303)
        # htmx saved a changed choice: the summary beside the form shows its new total.
    summary = summarise(view, g.market, cart.delivery, cart.contact.get("region"), market_today(g.market))
    return _step("checkout/delivery.html", summary=summary, view=view)


def _methods(total: int) -> list[tuple[str, str]]:
    methods = [("card", _("Card"))]
    labels = {"pay_in_3": _("Pay in 3 instalments"), "pay_in_4": _("Pay in 4 instalments")}
    for plan, (low, high) in sorted((g.market.instalment_bounds or {}).items()):
        if low <= total <= high and plan in labels:
            methods.append((plan, labels[plan]))
    return methods


def instalments(total: int, plan: str) -> list[int]:
    """The amounts of each instalment: equal parts, the first one taking the remainder."""
    count = {"pay_in_3": 3, "pay_in_4": 4}[plan]
    part = total // count
    return [total - part * (count - 1)] + [part] * (count - 1)


@bp.route("/review", methods=["GET"])
def review_page():
    cart = _cart_or_back()
    if cart is None or not cart.contact:
        return redirect(url_for(".address" if cart else "cart.page"), code=303)
    return _review(cart, PaymentForm(method="card"))


def _review(cart, form: PaymentForm, status: int = 200):
    view = review(db.session, cart, g.market, g.languages)
    if not view.lines:
        db.session.commit()
        return redirect(url_for("cart.page"), code=303)
    summary = summarise(view, g.market, cart.delivery, cart.contact.get("region"), market_today(g.market))
    if not cart.checkout_key:
        cart.checkout_key = placing.new_checkout_key()
    db.session.commit()
    form.method.choices = _methods(summary.total_amount)
    plans = {plan: instalments(summary.total_amount, plan) for plan, _label in form.method.choices if plan != "card"}
    return _step("checkout/review.html", status, fragments=None, view=view, summary=summary, form=form, contact=cart.contact,
                 rules=COUNTRIES[g.market.code],
                 key=cart.checkout_key, plans=plans, provider=provider_for())


@bp.post("/place")
def place():
    cart = _cart_or_back()
    key = request.form.get("key", "")
    if cart is None or not key:
        return _existing_or_cart(key)
    if not cart.contact:
        return redirect(url_for(".address"), code=303)
    form = PaymentForm()
    # The form's own order first, before the cart is checked again: the stock that order holds must
    # not read as sold out to the buyer who is paying for it.
    order = placing.order_for_key(db.session, key)
    if order is not None and not placing.resumable(order, cart):
        return _after(order, key_holder=True)       # a replayed POST: the order exists, its payment already started
    if order is not None:
        form.method.choices = _methods(order.total_amount)
    else:
        view = review(db.session, cart, g.market, g.languages)
        summary = summarise(view, g.market, cart.delivery, cart.contact.get("region"), market_today(g.market))
        form.method.choices = _methods(summary.total_amount)
        if key != cart.checkout_key:
            # The page was older than the cart (changed in another tab, or an order was already placed).
            existing = placing.order_for_key(db.session, key)
            if existing is not None:
                return _after(existing, key_holder=True)
            flash(_("Your cart changed since you looked at it. Please check your order again."))
            return redirect(url_for(".review_page"), code=303)
    provider = provider_for()
    if order is None and not provider.available:
        return _review(cart, form, 503)       # no real payment provider: nothing is placed, the page says why
    if not form.validate_on_submit():
        return _after(order, key_holder=True) if order is not None else _review(cart, form, 422)
    card = None
    if provider.collects_card:
        card = CardDetails(form.card_number.data or "", form.card_expiry.data or "", form.card_cvc.data or "")
        problems = card_problems(card, market_today(g.market))
        if problems and order is not None:
            return _after(order, key_holder=True)
        for problem in problems:
            getattr(form, problem).errors.append(CARD_ERRORS[problem]())
        if problems:
            return _review(cart, form, 422)
    if order is None:
        locale, method, today = str(get_locale()), form.method.data, market_today(g.market)
        try:
            order = placing.committed(db.session, lambda: placing.place_order(
                db.session, cart, g.market, locale=locale, languages=g.languages, method=method, key=key,
                today=today))
        except placing.CheckoutError as problem:
            db.session.rollback()
            if problem.code == "stock":
                flash(_("Sorry, one of your items sold out while you were ordering. Please check your cart."))
            else:
                db.session.commit()      # keep the cart's corrections, told on the cart page
            return redirect(url_for("cart.page"), code=303)
        if not placing.resumable(order, cart):
            return _after(order, key_holder=True)   # placed at the same moment by the same form, its payment started
    # A new order, or one whose payment never started (its request died): start the payment now.
    payment = order.payments[-1]
    outcome = provider.start(order, payment, card=card,
                             return_url=public_url_for("orders.detail", number=order.number, token=order.access_token),
                             cancel_url=public_url_for(".review_page"))

    def record() -> bool:
        started = placing.record_start(db.session, payment, provider.name, outcome.status,
                                       reference=outcome.reference, card_last4=outcome.card_last4)
        if started and outcome.status in (PaymentStatus.SUCCEEDED, PaymentStatus.FAILED):
            placing.settle(db.session, payment, outcome.status, failure_code=outcome.failure_code)
        if started and outcome.status == PaymentStatus.FAILED:
            cart.checkout_key = None   # a new attempt is a new order
        return started

    started = placing.committed(db.session, record)
    if started and outcome.status == PaymentStatus.REQUIRES_ACTION and outcome.reference:
        _remember_challenge(outcome.reference)
    if started and outcome.redirect_url:
        return redirect(outcome.redirect_url, code=303)
    return _after(order, key_holder=True)   # also when the same form, posted twice at once, started it first


CHALLENGES = "payment_challenges"
CHALLENGES_KEPT = 5


def _remember_challenge(reference: str) -> None:
    """The browser that started a challenge is the only one that may see or answer it (kept in its
    signed session cookie, the last few only)."""
    kept = [r for r in session.get(CHALLENGES, []) if r != reference][-(CHALLENGES_KEPT - 1):]
    session[CHALLENGES] = [*kept, reference]


def _owns_challenge(reference: str) -> bool:
    return reference in session.get(CHALLENGES, [])


def _after(order: Order, key_holder: bool = False):
    """Where an order's shopper goes next, whatever state it is in.

    `key_holder`: the request posted the order's own (unguessable) checkout key, so it comes from the browser
    that placed it: a duplicate post that lost the race to start the payment may then open its challenge too.
    """
    payment = order.payments[-1] if order.payments else None
    if key_holder and payment is not None and payment.status == PaymentStatus.REQUIRES_ACTION \
            and payment.provider_reference:
        _remember_challenge(payment.provider_reference)
    if order.status == OrderStatus.PAID:
        return redirect(url_for("orders.detail", number=order.number, token=order.access_token), code=303)
    if order.status == OrderStatus.AWAITING_PAYMENT and payment and payment.status == PaymentStatus.REQUIRES_ACTION:
        return redirect(url_for(".challenge", reference=payment.provider_reference), code=303)
    if order.status == OrderStatus.AWAITING_PAYMENT:
        return redirect(url_for("orders.detail", number=order.number, token=order.access_token), code=303)
    code = payment.failure_code if payment else None
    flash(FAILURES.get(code, FAILURES["declined"])())
    return redirect(url_for(".review_page"), code=303)


def _existing_or_cart(key: str):
    existing = db.session.query(Order).filter_by(idempotency_key=key).one_or_none() if key else None
    return _after(existing, key_holder=True) if existing else redirect(url_for("cart.page"), code=303)


@bp.route("/challenge/<reference>", methods=["GET", "POST"])
def challenge(reference: str):
    """The test provider's 3-D Secure page: the shopper approves or refuses, as in a banking app."""
    if not _owns_challenge(reference):
        abort(404)        # another browser's payment: it does not exist for this one
    payment = db.session.query(Payment).filter_by(provider="test", provider_reference=reference).one_or_none()
    if payment is None:
        abort(404)
    order = payment.order
    if request.method == "POST":
        approved = request.form.get("decision") == "approve"
        placing.settle(db.session, payment, PaymentStatus.SUCCEEDED if approved else PaymentStatus.FAILED,
                       failure_code=None if approved else "challenge_failed")
        if not approved and order.cart_id:
            cart = current_cart()
            if cart is not None and cart.id == order.cart_id:
                cart.checkout_key = None
        db.session.commit()
        return _after(order)
    if payment.status != PaymentStatus.REQUIRES_ACTION:
        return _after(order)
    return render("checkout/challenge.html", order=order, payment=payment)


@webhooks.post("/payments/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    config = current_app.config
    if not config.get("STRIPE_SECRET_KEY") or not config.get("STRIPE_WEBHOOK_SECRET"):
        abort(404)
    provider = StripeProvider(config["STRIPE_SECRET_KEY"], config["STRIPE_WEBHOOK_SECRET"])
    try:
        result = provider.parse_webhook(request.get_data(), request.headers.get("Stripe-Signature", ""))
    except (ValueError, stripe.SignatureVerificationError):
        abort(400)
    if result is None:
        return {"received": True}
    payment = db.session.get(Payment, result.payment_id)
    if payment is None or payment.provider != "stripe":
        return {"received": True, "unknown": True}
    placing.settle(db.session, payment, result.status, reference=result.reference,
                   failure_code=result.failure_code)
    db.session.commit()
    return {"received": True}
