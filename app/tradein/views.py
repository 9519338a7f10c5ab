"""The storefront's trade-in (`/<edition>/trade-in/`): pick the device, answer the questions, see the bids.

One page, one template: each step is a plain link or form (the page works without JavaScript) and,
with htmx, only the `#tradein-step` block is swapped and the step's URL pushed. The choices live in
the URL (`?category=…&model=…&sku=…`); a quote has its own URL under its unguessable reference.
Pages are not cached: a quote is one shopper's.
"""
from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, g, make_response, redirect, request, url_for
from flask_babel import gettext as _

from app.accounts.permissions import signed_in_required
from app.extensions import db
from app.i18n import pick_translation
from app.web.htmx import render, target_id, wants_fragment

from . import accepting, bank, bids, display, inspection, questionnaire, quotes
from .display import variant_label
from .errors import NotOffered, TradeInError, UnknownDevice
from .forms import AcceptForm, CounterAnswerForm
from .models import TradeIn, TradeInStatus
from .questionnaire import IncompleteAnswers

bp = Blueprint("tradein", __name__, template_folder="templates", url_prefix="/<edition>/trade-in")
STEP = {"tradein-step": "step"}


@bp.app_template_global()
def tradein_offered() -> bool:
    """Whether this edition's market offers trade-in (the footer links to it only then)."""
    market = g.get("market")
    return market is not None and bids.market_terms(db.session, market).is_offered


def _require_offered():
    try:
        quotes.require_offered(db.session, g.market)
    except NotOffered as exc:
        abort(404, description=exc.message)


def _selection(args):
    """The category, model and configuration named in `args`, as far as they go; 404 on an unknown one."""
    category = product = variant = None
    try:
        if args.get("category"):
            category = quotes.find_category(db.session, g.market, args.get("category"))
        if category is not None and args.get("model"):
            product = quotes.find_model(db.session, category, args.get("model"))
        if product is not None and args.get("sku"):
            variant = quotes.find_configuration(db.session, g.market, product, args.get("sku"))
    except UnknownDevice as exc:
        abort(404, description=exc.message)
    return category, product, variant


def _context(category, product, variant, **extra):
    context = {"category": category, "product": product, "variant": variant, "variant_label": variant_label,
               "category_name": _name(category), "product_name": _name(product), "choices": [],
               "questions": questionnaire.questions_for(category.illustration) if variant else (),
               "answers": {}, "missing": [], "error": None, "quote": None, "terms": bids.market_terms(db.session, g.market)}
    if category is None:
        context["choices"] = quotes.list_categories(db.session, g.market, g.languages)
    elif product is None:
        context["choices"] = quotes.list_models(db.session, g.market, category, g.languages)
    elif variant is None:
        context["choices"] = quotes.list_configurations(db.session, g.market, product)
    context.update(extra)
    return context


def _name(row) -> str | None:
    if row is None:
        return None
    text = pick_translation(row.translations, g.languages)
    return text.name if text else row.key


@bp.get("/")
def start():
    _require_offered()
    category, product, variant = _selection(request.args)
    return render("tradein/trade_in.html", fragments=STEP, **_context(category, product, variant))


@bp.post("/quote")
def create_quote():
    _require_offered()
    category, product, variant = _selection(request.form)
    if variant is None:
        abort(404, description=str(UnknownDevice.message))
    answers = {q.key: request.form.get(q.key, "") for q in questionnaire.questions_for(category.illustration)}
    try:
        quote = quotes.create_quote(db.session, g.market, variant, answers)
    except IncompleteAnswers as exc:
        return _questionnaire_again(category, product, variant, answers, exc, missing=exc.missing)
    except TradeInError as exc:
        return _questionnaire_again(category, product, variant, answers, exc)
    db.session.commit()
    target = url_for(".quote", reference=quote.reference)
    if wants_fragment() and target_id() in STEP:
        response = _quote_response(quote)
        response.headers["HX-Push-Url"] = target
        return response
    return redirect(target, code=303)


def _questionnaire_again(category, product, variant, answers, exc, missing=()):
    db.session.rollback()
    return render("tradein/trade_in.html", fragments=STEP,
                  **_context(category, product, variant, answers=answers, missing=list(missing),
                             error=exc.message)), exc.status


@bp.get("/quote/<reference>")
def quote(reference: str):
    _require_offered()
    found = quotes.find_quote(db.session, reference[:40], g.market)
    if found is None:
        abort(404)
    return _quote_response(found)


def _quote_response(quote):
    variant = quote.variant
    product = variant.product
    rates = bids.counter_offer_rates(db.session, [o.seller_id for o in quote.offers])
    expires = quote.expires_at if quote.expires_at.tzinfo else quote.expires_at.replace(tzinfo=UTC)
    context = _context(product.category, product, variant, quote=quote, rates=rates,
                       expired=quotes.is_expired(quote), voucher_value=quotes.voucher_value,
                       valid_until=expires.astimezone(ZoneInfo(g.market.timezone)).date())
    response = make_response(render("tradein/trade_in.html", fragments=STEP, **context))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# --- accepting and following a trade-in: the shopper's own, signed in -------------------------------

BANK_FIELDS = {"iban": ("iban",), "gb": ("sort_code", "account"), "us": ("routing", "account")}


def _own_trade_in(reference: str):
    from flask_login import current_user
    trade_in = db.session.scalar(accepting.trade_ins_of(current_user).where(
        TradeIn.reference == reference[:16], TradeIn.market_id == g.market.id))
    if trade_in is None:
        abort(404)
    return trade_in


@bp.route("/quote/<reference>/accept", methods=["GET", "POST"])
@signed_in_required
def accept(reference: str):
    from flask_login import current_user
    _require_offered()
    quote = quotes.find_quote(db.session, reference[:40], g.market) or abort(404)
    form = AcceptForm(data={"seller": request.args.get("seller", ""), "holder_name": current_user.name or ""}
                      if request.method == "GET" else None)
    chosen = form.seller.data or request.args.get("seller", "")
    offer = next((o for o in quote.offers if str(o.seller_id) == chosen), None)
    if offer is None:
        abort(404)
    scheme = bank.SCHEMES.get(quote.currency, "iban")
    status = 200
    error = None
    if form.validate_on_submit():
        try:
            account = bank.parse(quote.currency, {name: getattr(form, name).data for name in BANK_FIELDS[scheme]})
            identity = accepting.PayoutIdentity(form.holder_name.data.strip(), form.address_line1.data.strip(),
                                                form.address_postcode.data.strip(), form.address_city.data.strip(),
                                                account)
            trade_in = accepting.accept_quote(db.session, quote, seller_id=offer.seller_id, user=current_user,
                                              identity=identity, language=g.language)
        except bank.BankDetailsInvalid as exc:
            getattr(form, exc.field).errors = [exc.message]
            status = 422
        except TradeInError as exc:
            db.session.rollback()
            error, status = exc.message, exc.status
        else:
            db.session.commit()
            flash(_("Your trade-in is confirmed: print the label and ship the device within 14 days."))
            return redirect(url_for(".detail", reference=trade_in.reference), code=303)
    elif form.is_submitted():
        status = 422
    response = make_response(render("tradein/accept.html", quote=quote, offer=offer, form=form, error=error,
                                     bank_fields=[getattr(form, name) for name in BANK_FIELDS[scheme]],
                                     expired=quotes.is_expired(quote), variant_label=variant_label,
                                     product_name=_name(quote.variant.product)), status)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/mine")
@signed_in_required
def mine():
    from flask_login import current_user
    rows = db.session.scalars(accepting.trade_ins_of(current_user).where(TradeIn.market_id == g.market.id)
                              .order_by(TradeIn.id.desc())).all()
    return _private(render("tradein/mine.html", trade_ins=rows, variant_label=variant_label, name_of=_name))


@bp.get("/mine/<reference>")
@signed_in_required
def detail(reference: str):
    return _detail_page(_own_trade_in(reference))


def _detail_page(trade_in, error=None, status=200):
    def when(moment):
        return accepting.market_date(g.market, moment, g.language) if moment else None
    return _private(render("tradein/detail.html", fragments={"counter-offer": "counter_offer"}, trade_in=trade_in,
                           variant_label=variant_label, product_name=_name(trade_in.quote.variant.product),
                           ship_by=when(trade_in.ship_by), inspect_by=when(trade_in.inspect_by),
                           answer_by=when(trade_in.answer_by), pay_by=when(trade_in.pay_by), error=error,
                           form=CounterAnswerForm(formdata=None)), status)


@bp.post("/mine/<reference>/counter-offer")
@signed_in_required
def answer_counter_offer(reference: str):
    trade_in = _own_trade_in(reference)
    form = CounterAnswerForm()
    if not form.validate():
        return _detail_page(trade_in, error=_("Please choose whether you accept the counter-offer."), status=422)
    try:
        inspection.answer_counter_offer(db.session, trade_in, accept=form.answer.data == "accept")
    except TradeInError as exc:
        db.session.rollback()
        return _detail_page(_own_trade_in(reference), error=exc.message, status=exc.status)
    db.session.commit()
    flash(_("Thank you: the counter-offer is accepted and the payment is on its way.") if form.answer.data == "accept"
          else _("The counter-offer is refused: the device is sent back to you free."))
    target = url_for(".detail", reference=trade_in.reference)
    if wants_fragment():
        response = _detail_page(trade_in)
        response.headers["HX-Push-Url"] = target
        return response
    return redirect(target, code=303)


@bp.get("/mine/<reference>/photos/<int:photo_id>")
@signed_in_required
def photo(reference: str, photo_id: int):
    return display.photo_response(_own_trade_in(reference), photo_id)


@bp.get("/mine/<reference>/label.pdf")
@signed_in_required
def shipping_label(reference: str):
    from .label import render_label
    trade_in = _own_trade_in(reference)
    if trade_in.status != TradeInStatus.AWAITING_DEVICE:
        abort(409)
    response = make_response(render_label(trade_in))
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="trade-in-label-{trade_in.reference}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _private(body, status=200):
    response = make_response(body, status)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
