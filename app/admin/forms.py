"""Back-office forms."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError

from app.accounts.forms import required
from app.i18n import LANGUAGES
from app.sellers.forms import CheckboxList
from app.web.choices import offered

RANGE = _l("Enter a number from %(min)s to %(max)s.")


def whole(label, low, high):
    return IntegerField(label, validators=[InputRequired(message=_l("Please enter a whole number.")),
                                           NumberRange(min=low, max=high, message=RANGE)])


def percent_to_basis_points(text: str) -> int:
    """'20' → 2000, '5,5' → 550: a VAT rate typed in percent, at most two decimals. Never a float."""
    match = re.fullmatch(r"(\d{1,2})(?:[.,](\d{1,2}))?", (text or "").strip())
    if not match:
        raise ValueError(text)
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))


class MarketSettingsForm(FlaskForm):
    vat_rate = StringField(_l("Standard VAT rate, in percent"), validators=[required()])
    legal_guarantee_months = whole(_l("Legal guarantee (months)"), 0, 60)
    min_warranty_months = whole(_l("Minimum seller warranty (months)"), 0, 60)
    transit_days_min = whole(_l("Delivery: fewest days in transit"), 0, 30)
    transit_days_max = whole(_l("Delivery: most days in transit"), 0, 30)
    is_active = BooleanField(_l("Open to shoppers"))

    def validate_vat_rate(self, field):
        try:
            percent_to_basis_points(field.data)
        except ValueError:
            raise ValidationError(_l("Enter a rate like 20 or 5.5.")) from None

    def validate_transit_days_max(self, field):
        if self.transit_days_min.data is not None and field.data is not None and field.data < self.transit_days_min.data:
            raise ValidationError(_l("This must not be less than the fewest days."))


class CategoryForm(FlaskForm):
    position = whole(_l("Position in menus"), 0, 10000)
    is_active = BooleanField(_l("Shown to shoppers"))


for _language in LANGUAGES:
    setattr(CategoryForm, f"name_{_language}", StringField(
        _l("Name (%(language)s)", language=_language),
        validators=[required(), Length(max=120, message=_l("This is too long."))]))


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reason (the applicant or seller reads it)"),
                           validators=[Length(max=2000, message=_l("This is too long."))])


class UserRolesForm(FlaskForm):
    is_active = BooleanField(_l("Account active"))
    is_admin = BooleanField(_l("Administrator"))
    seller_id = SelectField(_l("Staff of the seller"), coerce=int, validate_choice=False)
    is_seller_owner = BooleanField(_l("Owner of the seller account"))
    markets = CheckboxList(_l("Country manager of"), validate_choice=False)

    def validate_seller_id(self, field):
        if str(field.data) not in offered(self.seller_id):
            raise ValidationError(_l("Please choose a seller from the list."))

    def validate_markets(self, field):
        if any(code not in offered(self.markets) for code in field.data or []):
            raise ValidationError(_l("Please choose countries from the list."))


MAX_COMMISSION_BP = 5000


class CommissionRateForm(FlaskForm):
    """A commission rate for a category, a market, or a category in one market."""
    category_id = SelectField(_l("Category (and its subcategories)"), validate_choice=False)
    market_id = SelectField(_l("Country"), validate_choice=False)
    rate = StringField(_l("Commission, in percent"), validators=[required()])

    def validate_category_id(self, field):
        if field.data not in offered(field):
            raise ValidationError(_l("Please choose a category from the list."))

    def validate_market_id(self, field):
        if field.data not in offered(field):
            raise ValidationError(_l("Please choose a country from the list."))
        if not field.data and not self.category_id.data:
            raise ValidationError(_l("Choose a category, a country or both: the rate for everything else is "
                                     "the platform's default."))

    def validate_rate(self, field):
        try:
            value = percent_to_basis_points(field.data)
        except ValueError:
            raise ValidationError(_l("Enter a rate like 10 or 12.5.")) from None
        if value > MAX_COMMISSION_BP:
            raise ValidationError(_l("A commission may not exceed %(max)s %%.", max=MAX_COMMISSION_BP // 100))
