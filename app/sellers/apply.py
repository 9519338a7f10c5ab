"""The storefront side of onboarding: a signed-in visitor applies to sell (`/<edition>/sell`)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import signed_in_required
from app.accounts.views import address_countries
from app.extensions import db
from app.web.choices import choices
from app.web.htmx import render

from . import onboarding
from .forms import ApplicationForm
from .models import SellerApplication

bp = Blueprint("onboarding", __name__, template_folder="templates", url_prefix="/<edition>/sell")


@bp.route("/", methods=["GET", "POST"])
@signed_in_required
def apply():
    form = ApplicationForm()
    countries = address_countries()
    form.country_code.choices = choices(countries)
    form.ships_to.choices = choices(countries)
    status = 200
    if form.is_submitted() and not current_user.is_verified:
        form.company_name.errors = [_("Please confirm your e-mail address first (see your account page).")]
        status = 422
    elif form.validate_on_submit():
        try:
            onboarding.submit_application(db.session, current_user, company_name=form.company_name.data,
                                          country_code=form.country_code.data, city=form.city.data,
                                          vat_number=form.vat_number.data, refurbishes=form.refurbishes.data,
                                          ships_to=form.ships_to.data)
        except onboarding.OnboardingError as exc:
            form.company_name.errors = [exc.message]
            status = 422
        else:
            db.session.commit()
            flash(_("Thank you! We will review your application and answer by e-mail."))
            return redirect(url_for(".apply"), code=303)
    elif form.is_submitted():
        status = 422
    applications = db.session.scalars(select(SellerApplication)
                                      .where(SellerApplication.applicant_id == current_user.id)
                                      .order_by(SellerApplication.id.desc())).all()
    pending = any(a.status == "pending" for a in applications)
    return render("sellers/apply.html", form=form, applications=applications, pending=pending), status


@bp.route("/staff-invitation/<token>", methods=["GET", "POST"])
@signed_in_required
def staff_invitation(token: str):
    """An existing account joins a seller's staff only when its owner, signed in, accepts the e-mailed link."""
    invitation = onboarding.read_invitation(db.session, token)
    if invitation is None:
        return render("sellers/staff_invitation.html", invitation=None, message=_(
            "This invitation is invalid or has expired. Ask the seller to invite you again.")), 400
    if invitation.user_id != current_user.id:
        return render("sellers/staff_invitation.html", invitation=None, message=_(
            "This invitation was sent to another account. Sign out, then sign in with the address it was "
            "sent to.")), 403
    if request.method == "GET":
        return render("sellers/staff_invitation.html", invitation=invitation, message=None)
    if request.form.get("decision") != "accept":
        flash(_("You declined the invitation of %(seller)s.", seller=invitation.seller.name))
        return redirect(url_for("accounts.profile"), code=303)
    try:
        onboarding.accept_invitation(db.session, invitation, current_user)
    except onboarding.OnboardingError as exc:
        db.session.rollback()
        return render("sellers/staff_invitation.html", invitation=None, message=exc.message), 409
    db.session.commit()
    flash(_("Welcome to the staff of %(seller)s.", seller=invitation.seller.name))
    return redirect(url_for("seller.dashboard"), code=303)
