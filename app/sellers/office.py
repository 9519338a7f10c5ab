"""The seller back office (`/seller/…`), in the staff member's language.

Every route is guarded by `permissions.protect_seller_office` and reads rows only through the scoped
queries of `app.accounts.permissions`: staff of one seller never see another seller's data.
"""
from __future__ import annotations

import time
import uuid
from datetime import date

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts import permissions
from app.accounts.emails import queue_email, recently_sent
from app.accounts.permissions import recent_sign_in_required, seller_owner_required, staff_seller
from app.accounts.tokens import Purpose, make_token
from app.catalog.models import Variant
from app.extensions import db
from app.models_base import utcnow
from app.offers.grades import Grade, grade_label
from app.offers.models import Listing
from app.sites.routing import editions
from app.web.htmx import is_htmx, render
from app.web.jinja import country_name, whole_percent
from app.web.links import public_url_for
from app.web.safety import db_int, local_path, search_text

from . import csv_io, listings, onboarding, payouts, standing
from .charts import bar_chart
from .forms import ImportForm, LegalIdentityForm, ListingForm, ModelSearchForm, StaffForm
from .imports import AlreadySent, import_progress, run_import
from .money import PriceError, format_input, parse_price

bp = Blueprint("seller", __name__, template_folder="templates", url_prefix="/seller")
permissions.protect_seller_office(bp)


@bp.get("/")
def dashboard():
    seller = staff_seller()
    overview = standing.overview(db.session, seller)
    shares = standing.best_offer_shares(db.session, seller)
    share_chart = bar_chart([(country_name(s.market.code), s.percent, whole_percent(s.percent)) for s in shares],
                            maximum=100)
    grade_chart = bar_chart([(grade_label(grade), overview.units_by_grade.get(grade, 0),
                              format_decimal(overview.units_by_grade.get(grade, 0))) for grade in Grade])
    offered = sum(s.offered for s in shares)
    won = sum(s.won for s in shares)
    figures = payouts.order_figures(db.session, seller)
    return render("sellers/dashboard.html", seller=seller, overview=overview, shares=shares,
                  share_chart=share_chart, grade_chart=grade_chart,
                  overall=won * 100 // offered if offered else None, figures=figures,
                  sales_charts=_sales_charts(figures))


def _sales_charts(figures: payouts.OrderFigures) -> list[tuple[str, object]]:
    """One bar chart of monthly sales per currency sold in (currencies are never added together)."""
    from babel.dates import format_skeleton
    from flask_babel import get_locale

    from app.web.jinja import money
    months = payouts.recent_months(utcnow().date(), 6)
    charts = []
    for currency in sorted({row.currency for row in figures.by_month if row.sales}):
        sales = {row.month: row.sales for row in figures.by_month if row.currency == currency}
        # Scaled to 1.5 × the best month: an amount is wider than a percentage and must fit after its bar.
        charts.append((currency, bar_chart([
            (format_skeleton("yMMM", date(int(m[:4]), int(m[5:]), 1), locale=get_locale()), sales.get(m, 0),
             money(sales.get(m, 0), currency)) for m in months], maximum=max(sales.values()) * 3 // 2 or None)))
    return charts


def _listing_page(seller, args):
    q = search_text(args.get("q"))
    state = args.get("state") if args.get("state") in ("active", "paused") else None
    page = max(args.get("page", 1, type=db_int) or 1, 1)
    per_page = current_app.config["SELLER_LISTINGS_PER_PAGE"]
    query = permissions.seller_listings(seller)
    if q:
        from app.catalog.models import ProductTranslation
        matching = select(ProductTranslation.product_id).where(ProductTranslation.name.ilike(f"%{q}%"))
        query = query.join(Variant, Variant.id == Listing.variant_id).where(
            (Variant.product_id.in_(matching)) | (Variant.sku.ilike(f"%{q}%")))
    if state:
        query = query.where(Listing.is_active.is_(state == "active"))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(db.session.scalars(
        query.options(selectinload(Listing.variant).selectinload(Variant.product))
        .order_by(Listing.id).offset((page - 1) * per_page).limit(per_page)))
    return rows, total, page, max(1, -(-total // per_page)), q, state


@bp.get("/listings")
def listings_page():
    seller = staff_seller()
    rows, total, page, pages, q, state = _listing_page(seller, request.args)
    return render("sellers/listings.html", fragments={"listing-results": "listing_results"},
                  seller=seller, rows=rows, total=total, page=page, pages=pages, q=q, state=state,
                  standings=standing.standings(db.session, seller, rows))


def _price_fields(seller, listing=None) -> list[dict]:
    fields = []
    for market in seller.markets:
        name = f"price_{market.code.lower()}"
        current = listing.price_in(market) if listing else None
        value = request.form.get(name) if request.method == "POST" else (
            format_input(current.amount, market.currency, get_locale()) if current else "")
        fields.append({"name": name, "market": market, "value": value or "", "error": None})
    return fields


def _read_prices(fields) -> dict | None:
    prices, ok = {}, True
    messages = {"negative": _("The price cannot be negative."), "zero": _("The price must be more than zero."),
                "format": _("Enter a price like 349.90."), "decimals": _("Too many decimals."),
                "too_high": _("This price is too high.")}
    for f in fields:
        if not f["value"].strip():
            prices[f["market"]] = None
            continue
        try:
            prices[f["market"]] = parse_price(f["value"], f["market"].currency)
        except PriceError as exc:
            f["error"], ok = messages[exc.code], False
    return prices if ok else None


def _listing_fields(form: ListingForm) -> dict:
    return {"grade": form.grade.data, "has_new_battery": bool(form.has_new_battery.data),
            "battery_health_min": form.battery_health_min.data, "quantity": form.quantity.data,
            "warranty_months": form.warranty_months.data, "vat_scheme": form.vat_scheme.data}


@bp.route("/listings/new", methods=["GET", "POST"])
def new_listing():
    seller = staff_seller()
    search = ModelSearchForm(request.args)
    found = listings.find_models(db.session, search_text(search.q.data), g.ui_language) if search.validate() else []
    variant = None
    variant_id = request.values.get("variant", type=db_int)
    if variant_id:
        variant = db.session.get(Variant, variant_id)
        if variant is None or not variant.product.is_active:
            abort(404)
    form = ListingForm(data={"quantity": 1, "warranty_months": 12, "grade": "good"} if request.method == "GET" else None)
    prices = _price_fields(seller)
    status = 200
    if request.method == "POST":
        if variant is None:
            abort(400)
        amounts = _read_prices(prices)
        if form.validate() and amounts is not None:
            try:
                listing = listings.save_listing(db.session, seller, None, variant=variant,
                                                fields=_listing_fields(form), prices=amounts)
            except listings.ListingError as exc:
                form.grade.errors = [exc.message]
            else:
                db.session.commit()
                flash(_("The listing is created."))
                return redirect(url_for(".edit_listing", listing_id=listing.id), code=303)
        status = 422
    return render("sellers/listing_new.html", fragments={"model-results": "model_results"},
                  seller=seller, search=search, found=found, variant=variant, form=form, prices=prices), status


@bp.route("/listings/<int:listing_id>", methods=["GET", "POST"])
def edit_listing(listing_id: int):
    seller = staff_seller()
    listing = permissions.listing_for_staff(db.session, listing_id)
    form = ListingForm(obj=listing if request.method == "GET" else None)
    prices = _price_fields(seller, listing)
    status = 200
    if request.method == "POST":
        amounts = _read_prices(prices)
        if form.validate() and amounts is not None:
            try:
                listings.save_listing(db.session, seller, listing, variant=listing.variant,
                                      fields=_listing_fields(form), prices=amounts)
            except listings.ListingError as exc:
                form.grade.errors = [exc.message]
            else:
                db.session.commit()
                flash(_("The listing is saved."))
                return redirect(url_for(".edit_listing", listing_id=listing.id), code=303)
        db.session.rollback()
        listing = permissions.listing_for_staff(db.session, listing_id)
        status = 422
    return render("sellers/listing_edit.html", seller=seller, listing=listing, form=form, prices=prices,
                  standings=standing.standings(db.session, seller, [listing])[listing.id],
                  shop_links=_shop_links(listing)), status


def _shop_links(listing: Listing) -> dict[int, str]:
    """Per market, the product page showing this listing's configuration, in the market's main edition."""
    from app.catalog.selection import Selection, active_dimensions
    from app.i18n import pick_translation
    from app.sites.routing import editions, languages_for
    product = listing.variant.product
    params = Selection(listing.variant, listing.grade, listing.has_new_battery).params(
        active_dimensions(list(product.variants)))
    links = {}
    for edition in editions():
        if edition.is_market_default and edition.market_id not in links:
            text = pick_translation(product.translations, languages_for(edition))
            if text is not None:
                links[edition.market_id] = url_for("catalog.product", edition=edition.code, slug=text.slug, **params)
    return links


@bp.post("/listings/<int:listing_id>/<any(pause, resume):action>")
def toggle_listing(listing_id: int, action: str):
    seller = staff_seller()
    listing = permissions.listing_for_staff(db.session, listing_id)
    listings.set_active(db.session, listing, action == "resume")
    db.session.commit()
    if is_htmx():
        return render("sellers/_listing_row.html", seller=seller, listing=listing,
                      standings=standing.standings(db.session, seller, [listing]))
    flash(_("The listing is paused.") if action == "pause" else _("The listing is on sale again."))
    back = local_path(request.form.get("next"))       # refuses CR/LF: a header cannot carry them
    return redirect(back if back and back.startswith("/seller/")
                    else url_for(".edit_listing", listing_id=listing.id), code=303)


@bp.get("/listings/export.csv")
def export_listings():
    seller = staff_seller()
    response = Response(csv_io.export_csv(db.session, seller), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="listings-{seller.slug}.csv"'
    return response


@bp.route("/listings/import", methods=["GET", "POST"])
def import_listings():
    seller = staff_seller()
    form = ImportForm(key=str(uuid.uuid4()))
    if request.method == "GET":
        return render("sellers/import.html", seller=seller, form=form, result=None,
                      columns=csv_io.columns_for(seller))
    if not form.validate():
        abort(400)
    upload = request.files.get("file")
    data = upload.read(current_app.config["LISTING_IMPORT_MAX_BYTES"] + 1) if upload else b""
    started = time.perf_counter()
    try:
        result = run_import(seller, form.key.data or "", data)
    except AlreadySent:
        return render("sellers/import.html", fragments={"import-panel": "import_panel"}, seller=seller,
                      form=_fresh_import_form(), result=None, already_sent=True,
                      columns=csv_io.columns_for(seller)), 409
    return render("sellers/import.html", fragments={"import-panel": "import_panel"}, seller=seller,
                  form=_fresh_import_form(), result=result,
                  columns=csv_io.columns_for(seller), seconds=time.perf_counter() - started), \
        200 if result.ok else 422


def _fresh_import_form() -> ImportForm:
    """The form shown under a result: a new key, never the one just posted (formdata=None), so the
    next file is a new import and the one just sent cannot run twice."""
    return ImportForm(formdata=None, key=str(uuid.uuid4()))


@bp.get("/imports/<key>")
def import_status(key: str):
    progress = import_progress(db.session, staff_seller(), key)
    return render("sellers/_import_progress.html", progress=progress)


@bp.get("/staff")
def staff():
    seller = staff_seller()
    return render("sellers/staff.html", seller=seller, form=StaffForm(),
                  members=permissions.seller_staff(db.session, seller))


@bp.route("/legal", methods=["GET", "POST"])
def legal_identity():
    """The seller's registered name, address and VAT number: its invoices and the buyers' order e-mails
    print them. Staff read them; the owner changes them."""
    seller = staff_seller()
    form = LegalIdentityForm(seller.country_code, data={
        "legal_name": seller.legal_name or seller.name, "street": seller.street, "postcode": seller.postcode,
        "city": seller.city, "vat_number": seller.vat_number})
    if request.method == "POST":
        if not current_user.is_seller_owner:
            abort(403)
        if form.validate_on_submit():
            form.populate_obj(seller)
            db.session.commit()
            flash(_("Your legal details are saved. The next invoices and order e-mails show them."))
            return redirect(url_for(".legal_identity"), code=303)
    status = 422 if request.method == "POST" else 200
    return render("sellers/legal.html", seller=seller, form=form), status


def edition_for(language: str) -> str | None:
    """The edition a link in an e-mail to someone speaking `language` opens (None: the current one)."""
    speaking = [e for e in editions() if e.language == language]
    chosen = next((e for e in speaking if e.is_market_default), speaking[0] if speaking else None)
    return chosen.code if chosen else None


@bp.post("/staff")
@seller_owner_required
@recent_sign_in_required
def add_staff():
    seller = staff_seller()
    form = StaffForm()
    if form.validate():
        try:
            user, created = onboarding.add_staff(db.session, seller, email=form.email.data,
                                                 language=current_user.preferred_language)
        except onboarding.OnboardingError as exc:
            form.email.errors.append(exc.message)
        else:
            if created:
                link = public_url_for("accounts.reset_password", token=make_token(user, Purpose.RESET))
                queue_email(db.session, to=user.email, template="staff_invitation", language=user.preferred_language,
                            seller=seller, inviter=current_user, link=link)
                flash(_("%(email)s is now on your staff.", email=user.email))
            else:
                # An existing account joins only if its owner accepts: they get a link, nothing changes yet.
                if not recently_sent(db.session, to=user.email, template="staff_invitation_existing"):
                    link = public_url_for("onboarding.staff_invitation", edition=edition_for(user.preferred_language),
                                          token=onboarding.invitation_token(user, seller, current_user))
                    queue_email(db.session, to=user.email, template="staff_invitation_existing",
                                language=user.preferred_language, seller=seller, inviter=current_user, user=user,
                                link=link)
                flash(_("We e-mailed %(email)s an invitation: they join your staff once they accept it.",
                        email=user.email))
            db.session.commit()
            return redirect(url_for(".staff"), code=303)
    return render("sellers/staff.html", seller=seller, form=form,
                  members=permissions.seller_staff(db.session, seller)), 422


@bp.post("/staff/<int:user_id>/remove")
@seller_owner_required
@recent_sign_in_required
def remove_staff(user_id: int):
    seller = staff_seller()
    member = next((m for m in permissions.seller_staff(db.session, seller) if m.id == user_id), None)
    if member is None:
        abort(404)
    try:
        onboarding.remove_staff(db.session, seller, member)
    except onboarding.OnboardingError as exc:
        flash(str(exc.message))
        return redirect(url_for(".staff"), code=303)
    db.session.commit()
    flash(_("%(email)s is no longer on your staff.", email=member.email))
    return redirect(url_for(".staff"), code=303)


