"""Account forms. Every message is a gettext string, so errors read in the visitor's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, Length, Optional, Regexp, ValidationError

from app.i18n import LANGUAGES
from app.web.choices import choices, offered
from app.web.jinja import language_name

from .passwords import MAX_LENGTH, MIN_LENGTH

REQUIRED = _l("Please fill in this field.")


def required():
    return DataRequired(message=REQUIRED)


def email_field(label=_l("E-mail address")):
    return EmailField(label, validators=[required(), Length(max=254, message=_l("This is too long.")),
                                         Email(message=_l("Please enter a valid e-mail address."),
                                               check_deliverability=False)])


def new_password_field(label=_l("New password")):
    return PasswordField(label, validators=[
        required(), Length(min=MIN_LENGTH, max=MAX_LENGTH,
                           message=_l("Use between %(min)d and %(max)d characters."))])


def confirm_field():
    return PasswordField(_l("Repeat the password"), validators=[
        required(), EqualTo("password", message=_l("The two passwords are not the same."))])


def language_field(label):
    return SelectField(label, choices=choices((code, language_name(code)) for code in LANGUAGES), validate_choice=False,
                       validators=[AnyOf(LANGUAGES, message=_l("Please choose a language from the list."))])


class SignInForm(FlaskForm):
    # No format check: whatever is typed is looked up (and counted) like any other attempt.
    email = EmailField(_l("E-mail address"), validators=[required(), Length(max=254, message=_l("This is too long."))])
    password = PasswordField(_l("Password"), validators=[required(), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class SignUpForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[required(), Length(max=120, message=_l("This is too long."))])
    email = email_field()
    password = new_password_field(_l("Password"))
    confirm = confirm_field()
    language = language_field(_l("Language for e-mails and the back office"))


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password = new_password_field()
    confirm = confirm_field()


class ConfirmPasswordForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[required(), Length(max=MAX_LENGTH)])
    next = HiddenField()


class ProfileForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[required(), Length(max=120, message=_l("This is too long."))])
    preferred_language = language_field(_l("Language for e-mails and the back office"))


class EmailChangeForm(FlaskForm):
    email = email_field(_l("New e-mail address"))


class PasswordChangeForm(FlaskForm):
    password = new_password_field()
    confirm = confirm_field()


class AddressForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[required(), Length(max=120, message=_l("This is too long."))])
    line1 = StringField(_l("Address"), validators=[required(), Length(max=200, message=_l("This is too long."))])
    line2 = StringField(_l("Address line 2 (optional)"),
                        validators=[Optional(), Length(max=200, message=_l("This is too long."))])
    postcode = StringField(_l("Postcode"), validators=[
        required(), Regexp(r"^[A-Za-z0-9][A-Za-z0-9 -]{1,14}$", message=_l("Please enter a valid postcode."))])
    city = StringField(_l("City"), validators=[required(), Length(max=100, message=_l("This is too long."))])
    country_code = SelectField(_l("Country"), validate_choice=False)
    phone = StringField(_l("Phone (optional)"), validators=[
        Optional(), Regexp(r"^\+?[0-9 ().-]{6,30}$", message=_l("Please enter a valid phone number."))])
    is_default = BooleanField(_l("Use as my default address"))

    def validate_country_code(self, field):
        if field.data not in offered(self.country_code):
            raise ValidationError(_l("Please choose a country from the list."))
