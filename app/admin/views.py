"""The platform back office (`/manage/…`), in the signed-in person's language.

`permissions.protect_admin` guards every route: admins only, except the market pages that country
managers may open for the markets granted to them (`permissions.require_market`).
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from app.accounts import permissions
from app.accounts.emails import queue_email
from app.accounts.models import User
from app.accounts.permissions import recent_sign_in_required
from app.catalog.models import Category
from app.extensions import db
from app.i18n import LANGUAGES, pick_translation
from app.orders.models import CommissionRate
from app.sellers import onboarding
from app.sellers.models import (
    ApplicationStatus,
    Seller,
    SellerApplication,
    SellerStatus,
)
from app.sites.models import Market
from app.web.choices import choices
from app.web.htmx import render
from app.web.jinja import country_name
from app.web.links import public_url_for
from app.web.safety import db_int, search_text

from . import services
from .forms import (
    CategoryForm,
    CommissionRateForm,
    DecisionForm,
    MarketSettingsForm,
    UserRolesForm,
    percent_to_basis_points,
)

bp = Blueprint("manage", __name__, template_folder="templates", url_prefix="/manage")
permissions.protect_admin(bp, open_to_managers={"home", "markets", "market"})
USERS_PER_PAGE = 50


@bp.get("/")
def home():
    markets = permissions.managed_markets(db.session, current_user)
    pending = db.session.scalar(select(func.count(SellerApplication.id)).where(
        SellerApplication.status == ApplicationStatus.PENDING)) if current_user.is_admin else 0
    return render("admin/home.html", markets=markets, pending=pending)


@bp.get("/markets")
def markets():
    return render("admin/markets.html", markets=permissions.managed_markets(db.session, current_user))


@bp.get("/markets/<code>")
def market(code: str):
    market = permissions.require_market(db.session, code)
    return render("admin/market.html", market=market, figures=services.market_figures(db.session, market))


@bp.route("/markets/<code>/settings", methods=["GET", "POST"])
def market_settings(code: str):
    market = permissions.require_market(db.session, code)
    form = MarketSettingsForm(obj=market if request.method == "GET" else None)
    if request.method == "GET":
        bp_ = market.standard_vat_rate_bp
        form.vat_rate.data = f"{bp_ // 100}" + (f".{bp_ % 100:02d}".rstrip("0") if bp_ % 100 else "")
    if form.validate_on_submit():
        market.standard_vat_rate_bp = percent_to_basis_points(form.vat_rate.data)
        for name in ("legal_guarantee_months", "min_warranty_months", "transit_days_min", "transit_days_max"):
            setattr(market, name, getattr(form, name).data)
        market.is_active = bool(form.is_active.data)
        db.session.commit()
        flash(_("The settings of %(country)s are saved.", country=country_name(market.code)))
        return redirect(url_for(".market", code=market.code.lower()), code=303)
    return render("admin/market_settings.html", market=market, form=form), 422 if form.is_submitted() else 200


@bp.get("/categories")
def categories():
    rows = db.session.scalars(select(Category).order_by(Category.parent_id.is_not(None), Category.position)).all()
    return render("admin/categories.html", categories=rows,
                  names={c.id: pick_translation(c.translations, (g.ui_language, "en")) for c in rows})


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
def category(category_id: int):
    category = db.session.get(Category, category_id) or abort(404)
    names = {t.language: t.name for t in category.translations}
    form = CategoryForm(data={"position": category.position, "is_active": category.is_active,
                              **{f"name_{lang}": names.get(lang, "") for lang in LANGUAGES}}
                        if request.method == "GET" else None)
    if form.validate_on_submit():
        services.set_category(db.session, category, position=form.position.data, is_active=bool(form.is_active.data),
                              names={lang: getattr(form, f"name_{lang}").data for lang in LANGUAGES})
        db.session.commit()
        flash(_("The category is saved."))
        return redirect(url_for(".categories"), code=303)
    return render("admin/category.html", category=category, form=form, languages=LANGUAGES), \
        422 if form.is_submitted() else 200


@bp.route("/commissions", methods=["GET", "POST"])
def commissions():
    """The platform's commission by category and market; the default applies wherever no row does."""
    categories = db.session.scalars(select(Category).order_by(Category.parent_id.is_not(None), Category.position)).all()
    texts = {c.id: pick_translation(c.translations, (g.ui_language, "en")) for c in categories}
    category_names = {c.id: texts[c.id].name if texts[c.id] else c.key for c in categories}
    markets = db.session.scalars(select(Market).order_by(Market.position)).all()
    form = CommissionRateForm()
    form.category_id.choices = choices([("", _("All categories")),
                                        *((str(c.id), category_names[c.id]) for c in categories)])
    form.market_id.choices = choices([("", _("All countries")), *((str(m.id), country_name(m.code)) for m in markets)])
    if form.validate_on_submit():
        try:
            services.set_commission_rate(db.session, category_id=int(form.category_id.data) if form.category_id.data else None,
                                         market_id=int(form.market_id.data) if form.market_id.data else None,
                                         rate_bp=percent_to_basis_points(form.rate.data))
        except services.AdminError as error:
            form.market_id.errors = [*form.market_id.errors, error.message]
        else:
            db.session.commit()
            flash(_("The commission rate is saved. It applies to orders placed from now on."))
            return redirect(url_for(".commissions"), code=303)
    return render("admin/commissions.html", form=form, rates=services.commission_rates(db.session),
                  category_names=category_names, markets={m.id: m for m in markets},
                  default_bp=current_app.config["COMMISSION_DEFAULT_BP"]), 422 if form.is_submitted() else 200


@bp.post("/commissions/<int:rate_id>/delete")
def delete_commission(rate_id: int):
    rate = db.session.get(CommissionRate, rate_id) or abort(404)
    db.session.delete(rate)
    db.session.commit()
    flash(_("The commission rate is removed: the broader rate applies again."))
    return redirect(url_for(".commissions"), code=303)


@bp.get("/applications")
def applications():
    status = request.args.get("status", ApplicationStatus.PENDING)
    if status not in set(ApplicationStatus):
        status = ApplicationStatus.PENDING
    rows = db.session.scalars(select(SellerApplication).where(SellerApplication.status == status)
                              .order_by(SellerApplication.created_at)).all()
    return render("admin/applications.html", applications=rows, status=status)


def _application(application_id: int) -> SellerApplication:
    return db.session.get(SellerApplication, application_id) or abort(404)


@bp.get("/applications/<int:application_id>")
def application(application_id: int):
    return render("admin/application.html", application=_application(application_id), form=DecisionForm())


@bp.post("/applications/<int:application_id>/<any(approve, reject):decision>")
def decide(application_id: int, decision: str):
    application = _application(application_id)
    form = DecisionForm()
    if not form.validate():
        return render("admin/application.html", application=application, form=form), 422
    try:
        if decision == "approve":
            onboarding.approve(db.session, application, reviewer=current_user)
        else:
            onboarding.reject(db.session, application, reviewer=current_user, reason=form.reason.data or "")
    except onboarding.OnboardingError as exc:
        form.reason.errors.append(exc.message)
        db.session.rollback()
        return render("admin/application.html", application=_application(application_id), form=form), 422
    queue_email(db.session, to=application.applicant.email, template="application_decision",
                language=application.applicant.preferred_language, reference=f"application-{application.id}",
                application=application, link=public_url_for("seller.dashboard"))
    db.session.commit()
    flash(_("%(company)s: decision saved and e-mailed.", company=application.company_name))
    return redirect(url_for(".applications"), code=303)


@bp.get("/sellers")
def sellers():
    rows = db.session.scalars(select(Seller).order_by(Seller.status != SellerStatus.SUSPENDED, Seller.name)).all()
    return render("admin/sellers.html", sellers=rows, form=DecisionForm())


@bp.post("/sellers/<int:seller_id>/<any(suspend, reinstate):action>")
def seller_standing(seller_id: int, action: str):
    seller = db.session.get(Seller, seller_id) or abort(404)
    form = DecisionForm()
    try:
        if action == "suspend":
            onboarding.suspend(db.session, seller, reason=form.reason.data or "")
        else:
            onboarding.reinstate(db.session, seller)
    except onboarding.OnboardingError as exc:
        flash(str(exc.message))
        return redirect(url_for(".sellers"), code=303)
    db.session.commit()
    flash(_("%(seller)s is suspended.", seller=seller.name) if action == "suspend"
          else _("%(seller)s can sell again.", seller=seller.name))
    return redirect(url_for(".sellers"), code=303)


@bp.get("/users")
def users():
    q = search_text(request.args.get("q"))
    page = max(request.args.get("page", 1, type=db_int) or 1, 1)
    query = select(User)
    if q:
        query = query.where(or_(User.email.ilike(f"%{q}%"), User.name.ilike(f"%{q}%")))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(query.order_by(User.email).offset((page - 1) * USERS_PER_PAGE)
                              .limit(USERS_PER_PAGE)).all()
    return render("admin/users.html", fragments={"user-results": "user_results"}, users=rows, q=q, page=page,
                  pages=max(1, -(-total // USERS_PER_PAGE)), total=total)


def _roles_form(user: User) -> UserRolesForm:
    form = UserRolesForm(data={"is_active": user.is_active, "is_admin": user.is_admin, "seller_id": user.seller_id or 0,
                               "is_seller_owner": user.is_seller_owner,
                               "markets": [m.code for m in user.managed_markets]}
                         if request.method == "GET" else None)
    form.seller_id.choices = choices([(0, _("None"))] + [(s.id, s.name) for s in
                                                           db.session.scalars(select(Seller).order_by(Seller.name))])
    form.markets.choices = choices((m.code, country_name(m.code)) for m in
                                   db.session.scalars(select(Market).order_by(Market.position)))
    return form


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    return render("admin/user.html", user=user, form=_roles_form(user))


@bp.post("/users/<int:user_id>")
@recent_sign_in_required
def user_roles(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = _roles_form(user)
    if form.validate():
        try:
            services.set_roles(db.session, user, actor=current_user, is_active=bool(form.is_active.data),
                               is_admin=bool(form.is_admin.data), seller_id=form.seller_id.data,
                               is_seller_owner=bool(form.is_seller_owner.data), market_codes=form.markets.data)
        except services.AdminError as exc:
            form.is_admin.errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("The roles of %(email)s are saved.", email=user.email))
            return redirect(url_for(".user", user_id=user.id), code=303)
    return render("admin/user.html", user=user, form=form), 422
