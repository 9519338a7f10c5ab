"""Forms of the trade-in back offices (the storefront questionnaire is read from `questionnaire`)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Regexp


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
