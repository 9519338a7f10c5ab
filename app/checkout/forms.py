"""Checkout forms. Every message is a UI string, so it reaches the shopper in their language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField, TelField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from .addresses import COUNTRIES, normalise_phone, normalise_postcode

REQUIRED = _l("Please fill in this field.")


class AddressForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(REQUIRED), Length(max=254),
                                                  Email(_l("Please enter a valid e-mail address."))])
    phone = TelField(_l("Phone"), validators=[InputRequired(REQUIRED), Length(max=32)])
    first_name = StringField(_l("First name"), validators=[InputRequired(REQUIRED), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[InputRequired(REQUIRED), Length(max=80)])
    line1 = StringField(_l("Address"), validators=[InputRequired(REQUIRED), Length(max=120)])
    line2 = StringField(_l("Address line 2 (optional)"), validators=[Optional(), Length(max=120)])
    postcode = StringField(_l("Postcode"), validators=[InputRequired(REQUIRED), Length(max=12)])
    city = StringField(_l("City"), validators=[InputRequired(REQUIRED), Length(max=80)])
    region = SelectField(_l("State"), choices=[], validate_choice=False)

    def __init__(self, country: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country
        self.rules = COUNTRIES[country]
        self.region.choices = [("", "")] + list(self.rules.regions)

    def validate_postcode(self, field):
        value = normalise_postcode(self.country, field.data or "")
        if value is None:
            raise ValidationError(_l("This postcode is not valid here (example: %(example)s).",
                                     example=self.rules.postcode_example))
        field.data = value

    def validate_phone(self, field):
        value = normalise_phone(self.country, field.data or "")
        if value is None:
            raise ValidationError(_l("Please enter a phone number that can be reached in this country."))
        field.data = value

    def validate_region(self, field):
        if self.rules.regions and field.data not in dict(self.rules.regions):
            raise ValidationError(_l("Please choose your state."))
        if not self.rules.regions:
            field.data = ""

    def contact(self) -> dict:
        return {name: getattr(self, name).data or "" for name in
                ("email", "phone", "first_name", "last_name", "line1", "line2", "postcode", "city", "region")}


class PaymentForm(FlaskForm):
    """The review page's form. Card fields are for the built-in test provider only; with Stripe the
    card is entered on Stripe's page and never reaches this server."""
    method = RadioField(_l("Payment method"), choices=[], validators=[InputRequired(_l("Please choose how to pay."))])
    card_number = StringField(_l("Card number"), validators=[Optional(), Length(max=23)])
    card_expiry = StringField(_l("Expiry (MM/YY)"), validators=[Optional(), Length(max=7)])
    card_cvc = StringField(_l("Security code"), validators=[Optional(), Length(max=4)])
