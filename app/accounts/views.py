"""Account pages under each edition: sign up, sign in and out, e-mail links, profile, addresses."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.extensions import db, login_manager
from app.orders.queries import orders_of
from app.web.choices import choices
from app.web.htmx import is_htmx, render
from app.web.links import public_url_for
from app.web.safety import local_path
from app.web.security import private_pages

from . import permissions, services
from .emails import queue_email, recently_sent
from .errors import AccountError, InvalidLink, TooManyAttempts
from .forms import (
    AddressForm,
    ConfirmPasswordForm,
    EmailChangeForm,
    ForgotPasswordForm,
    PasswordChangeForm,
    ProfileForm,
    ResetPasswordForm,
    SignInForm,
    SignUpForm,
)
from .models import User
from .permissions import recent_sign_in_required, signed_in_required
from .tokens import Purpose, make_token

bp = Blueprint("accounts", __name__, template_folder="templates", url_prefix="/<edition>/account")
private_pages(bp)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The session holds "<id>:<security stamp>": a changed password ends the other sessions."""
    user_id, _, stamp = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.security_stamp != stamp:
        return None
    return user


def client_ip() -> str:
    return (request.remote_addr or "unknown")[:45]


def send_link(user: User, purpose: Purpose) -> None:
    """Queue an e-mail with a verification or reset link, in the user's language; the caller commits."""
    endpoint, template = {Purpose.VERIFY: (".verify", "verify_email"),
                          Purpose.RESET: (".reset_password", "reset_password")}[purpose]
    if recently_sent(db.session, to=user.email, template=template):
        return
    link = public_url_for(endpoint, token=make_token(user, purpose))
    queue_email(db.session, to=user.email, template=template, language=user.preferred_language, user=user, link=link)


def _next_or(default: str) -> str:
    return local_path(request.values.get("next")) or default


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(db.session, email=form.email.data, password=form.password.data,
                                         ip=client_ip())
        except AccountError as exc:
            db.session.commit()     # the failed attempt counts even though the answer is an error
            form.password.errors.append(exc.message)
            status = 429 if isinstance(exc, TooManyAttempts) else 422
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            permissions.mark_signed_in()
            return redirect(_next_or(url_for(".profile")), code=303)
    elif form.is_submitted():
        status = 422
    return render("accounts/sign_in.html", form=form), status


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        # A new stamp: a copy of this session cookie or of the remember-me cookie opens nothing any more.
        services.end_sessions(db.session, current_user)
        db.session.commit()
    logout_user()
    return redirect(url_for("catalog.home"), code=303)


@bp.route("/sign-up", methods=["GET", "POST"])
def sign_up():
    form = SignUpForm(language=g.language)
    status = 200
    if form.validate_on_submit():
        try:
            user = services.sign_up(db.session, email=form.email.data, password=form.password.data,
                                    name=form.name.data, language=form.language.data)
        except AccountError as exc:
            form.email.errors.append(exc.message)
            status = 422
        else:
            send_link(user, Purpose.VERIFY)
            db.session.commit()
            login_user(user)
            permissions.mark_signed_in()
            flash(_("Welcome! We sent you an e-mail to confirm your address."))
            return redirect(_next_or(url_for(".profile")), code=303)
    elif form.is_submitted():
        status = 422
    return render("accounts/sign_up.html", form=form), status


@bp.get("/verify/<token>")
def verify(token: str):
    try:
        services.verify_email(db.session, token)
    except InvalidLink as exc:
        return render("accounts/message.html", title=_("E-mail confirmation"), message=exc.message), 400
    db.session.commit()
    flash(_("Thank you, your e-mail address is confirmed."))
    return redirect(url_for(".profile" if current_user.is_authenticated else ".sign_in"), code=303)


@bp.post("/verify")
@signed_in_required
def resend_verification():
    if not current_user.is_verified:
        send_link(current_user, Purpose.VERIFY)
        db.session.commit()
    flash(_("We sent you a new confirmation e-mail."))
    return redirect(url_for(".profile"), code=303)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_user(db.session, form.email.data)
        if user is not None and user.is_active:
            send_link(user, Purpose.RESET)
            db.session.commit()
        # The same answer whether or not the address has an account: it reveals nothing.
        return render("accounts/message.html", title=_("Check your e-mail"), message=_(
            "If an account uses this address, we sent it a link to choose a new password. "
            "The link works for two hours."))
    return render("accounts/forgot_password.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    form = ResetPasswordForm()
    try:
        services.user_from_token(db.session, token, Purpose.RESET)
    except InvalidLink as exc:
        return render("accounts/message.html", title=_("Choose a new password"), message=exc.message), 400
    if form.validate_on_submit():
        user = services.reset_password(db.session, token, form.password.data)
        db.session.commit()
        login_user(user)
        permissions.mark_signed_in()
        flash(_("Your new password is saved."))
        return redirect(url_for(".profile"), code=303)
    return render("accounts/reset_password.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/confirm", methods=["GET", "POST"])
@signed_in_required
def confirm():
    """Ask for the password again before a sensitive action."""
    form = ConfirmPasswordForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        try:
            services.confirm_password(db.session, current_user, form.password.data, ip=client_ip())
        except AccountError as exc:
            db.session.commit()     # the failed attempt counts even though the answer is an error
            form.password.errors.append(exc.message)
            status = 429 if isinstance(exc, TooManyAttempts) else 422
        else:
            db.session.commit()
            permissions.mark_signed_in()
            return redirect(_next_or(url_for(".profile")), code=303)
    elif form.is_submitted():
        status = 422
    return render("accounts/confirm.html", form=form), status


@bp.route("/", methods=["GET", "POST"])
@signed_in_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.name = form.name.data.strip()
        current_user.preferred_language = form.preferred_language.data
        db.session.commit()
        flash(_("Your profile is saved."))
        return redirect(url_for(".profile"), code=303)
    return render("accounts/profile.html", form=form, roles=permissions.roles_of(current_user)), \
        422 if form.is_submitted() else 200


@bp.get("/security")
@recent_sign_in_required
def security():
    return render("accounts/security.html", email_form=EmailChangeForm(), password_form=PasswordChangeForm())


@bp.post("/security/email")
@recent_sign_in_required
def change_email():
    email_form = EmailChangeForm()
    if email_form.validate_on_submit():
        try:
            services.change_email(db.session, current_user, email_form.email.data)
        except AccountError as exc:
            email_form.email.errors.append(exc.message)
        else:
            send_link(current_user, Purpose.VERIFY)
            db.session.commit()
            flash(_("Your e-mail address is changed. We sent a confirmation link to it."))
            return redirect(url_for(".security"), code=303)
    return render("accounts/security.html", email_form=email_form, password_form=PasswordChangeForm()), 422


@bp.post("/security/password")
@recent_sign_in_required
def change_password():
    password_form = PasswordChangeForm()
    if password_form.validate_on_submit():
        services.set_password(db.session, current_user, password_form.password.data)
        db.session.commit()
        login_user(current_user._get_current_object())   # the session id carries the new security stamp
        permissions.mark_signed_in()
        flash(_("Your new password is saved. Other devices are signed out."))
        return redirect(url_for(".security"), code=303)
    return render("accounts/security.html", email_form=EmailChangeForm(), password_form=password_form), 422


def _address_form(address=None) -> AddressForm:
    form = AddressForm(obj=address)
    form.country_code.choices = choices(address_countries())
    if address is None and not form.is_submitted() and g.market is not None:
        form.country_code.data = g.market.code
    return form


def address_countries() -> list[tuple[str, str]]:
    from app.sites.routing import editions
    from app.web.jinja import country_name
    codes = dict.fromkeys(e.market.code for e in editions())
    return [(code, country_name(code)) for code in codes]


def _address_fields(form: AddressForm) -> dict:
    return {name: getattr(form, name).data or "" for name in
            ("full_name", "line1", "line2", "postcode", "city", "country_code", "phone")} | {
        "is_default": bool(form.is_default.data)}


@bp.route("/addresses", methods=["GET", "POST"])
@signed_in_required
def addresses():
    form = _address_form()
    if form.validate_on_submit():
        services.save_address(db.session, current_user, None, **_address_fields(form))
        db.session.commit()
        flash(_("The address is saved."))
        return redirect(url_for(".addresses"), code=303)
    rows = db.session.scalars(permissions.addresses_of(current_user)).all()
    return render("accounts/addresses.html", form=form, addresses=rows), 422 if form.is_submitted() else 200


@bp.route("/addresses/<int:address_id>", methods=["GET", "POST"])
@signed_in_required
def edit_address(address_id: int):
    address = permissions.own_address(db.session, address_id)
    form = _address_form(address)
    if form.validate_on_submit():
        services.save_address(db.session, current_user, address, **_address_fields(form))
        db.session.commit()
        flash(_("The address is saved."))
        return redirect(url_for(".addresses"), code=303)
    return render("accounts/address_edit.html", form=form, address=address), 422 if form.is_submitted() else 200


@bp.post("/addresses/<int:address_id>/delete")
@signed_in_required
def delete_address(address_id: int):
    address = permissions.own_address(db.session, address_id)
    services.delete_address(db.session, current_user, address)
    db.session.commit()
    if is_htmx():
        return ""
    flash(_("The address is deleted."))
    return redirect(url_for(".addresses"), code=303)


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "basic"

    @login_manager.unauthorized_handler
    def _unauthorized():
        return permissions.deny_anonymous()


@bp.get("/orders")
@signed_in_required
def orders():
    """The customer's own orders, newest first (scoped by account on the server)."""
    return render("accounts/orders.html", orders=orders_of(db.session, current_user.id))
