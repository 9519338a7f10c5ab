"""Forms of the trade-in back offices (the storefront questionnaire is read from `questionnaire`)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Regexp

from app.sellers.forms import CheckboxList


class ProfileForm(FlaskForm):
    is_active = BooleanField(_l("Take part in trade-in: show my bids to shoppers"))
    payout_days = IntegerField(_l("Working days I take to pay after a device is accepted"),
                               validators=[InputRequired(message=_l("Please enter a whole number.")),
                                           NumberRange(min=1, max=10, message=_l("From 1 to 10 working days."))])


class BidImportForm(FlaskForm):
    file = FileField(_l("CSV file"))


class MarketTermsForm(FlaskForm):
    is_offered = BooleanField(_l("Trade-in is offered in this country"))
    voucher_bonus = StringField(_l("Bonus on a shop voucher, in %"), validators=[
        InputRequired(message=_l("Please enter a percentage.")),
        Regexp(r"^\d{1,3}(?:[.,]\d{1,2})?$", message=_l("A percentage such as 10 or 12.5."))])

    def bonus_basis_points(self) -> int | None:
        whole, _, fraction = self.voucher_bonus.data.replace(",", ".").partition(".")
        value = int(whole) * 100 + int(fraction.ljust(2, "0") or 0)
        return value if value <= 10000 else None


TOO_LONG = _l("This is too long.")


def _required():
    from wtforms.validators import DataRequired
    return DataRequired(message=_l("This field is required."))


class AcceptForm(FlaskForm):
    """Who is paid and where the parcel comes from; the bank fields shown depend on the market's currency."""
    seller = StringField()
    holder_name = StringField(_l("Account holder's full name"), validators=[_required(), Length(max=120, message=TOO_LONG)])
    address_line1 = StringField(_l("Address"), validators=[_required(), Length(max=200, message=TOO_LONG)])
    address_postcode = StringField(_l("Postcode"), validators=[_required(), Length(max=20, message=TOO_LONG)])
    address_city = StringField(_l("City"), validators=[_required(), Length(max=80, message=TOO_LONG)])
    iban = StringField(_l("IBAN"), validators=[Length(max=50, message=TOO_LONG)])
    sort_code = StringField(_l("Sort code"), validators=[Length(max=10, message=TOO_LONG)])
    routing = StringField(_l("Routing number"), validators=[Length(max=12, message=TOO_LONG)])
    account = StringField(_l("Account number"), validators=[Length(max=20, message=TOO_LONG)])


class InspectionForm(FlaskForm):
    """The bench report: identity of the device, the checks, the condition found and the decision."""
    imei_or_serial = StringField(_l("IMEI or serial number"),
                                 validators=[_required(), Length(max=40, message=TOO_LONG)])
    activation_lock = RadioField(_l("Activation lock (Find My, Google account)"), choices=[
        ("off", _l("Off: signed out")), ("on", _l("On: still locked to an account"))],
        validators=[_required()])
    blacklist = RadioField(_l("Blacklist check (lost or stolen)"), choices=[
        ("clean", _l("Clean")), ("reported", _l("Reported lost or stolen"))], validators=[_required()])
    functions = RadioField(_l("Functions (cameras, buttons, speakers, sensors, ports, charging)"), choices=[
        ("ok", _l("All work")), ("faulty", _l("Something does not work"))], validators=[_required()])
    condition_found = SelectField(_l("Condition found"), validators=[_required()])
    decision = RadioField(_l("Decision"), choices=[
        ("matches", _l("It matches the shopper's answers: pay the quoted price")),
        ("counter", _l("It is worse than declared: make a counter-offer"))], validate_choice=False)
    counter_amount = StringField(_l("Counter-offer"), validators=[Length(max=12, message=TOO_LONG)])
    counter_reasons = CheckboxList(_l("Reasons for the counter-offer"), validate_choice=False)
    is_symbolic = BooleanField(_l("Not worth repairing: this is a symbolic offer"))
    notes = TextAreaField(_l("Notes for the shopper"), validators=[Length(max=2000, message=TOO_LONG)])
    photos = MultipleFileField(_l("Photos"))


class CounterAnswerForm(FlaskForm):
    answer = RadioField(choices=[("accept", "accept"), ("refuse", "refuse")])
