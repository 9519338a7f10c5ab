"""Forms of seller onboarding and of the seller back office."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.forms import email_field, required
from app.offers.grades import GRADE_LABELS
from app.offers.models import VatScheme
from app.web.choices import choices, offered

from . import vat

TOO_LONG = _l("This is too long.")


def required_number():
    from wtforms.validators import InputRequired
    return InputRequired(message=_l("Please enter a whole number."))


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApplicationForm(FlaskForm):
    company_name = StringField(_l("Company name"), validators=[required(), Length(max=120, message=TOO_LONG)])
    country_code = SelectField(_l("Country of the company"), validate_choice=False)
    city = StringField(_l("City"), validators=[required(), Length(max=80, message=TOO_LONG)])
    vat_number = StringField(_l("VAT number"), validators=[required(), Length(max=20, message=TOO_LONG)])
    refurbishes = TextAreaField(_l("What do you refurbish?"),
                                validators=[required(), Length(max=2000, message=TOO_LONG)])
    ships_to = CheckboxList(_l("Countries you will ship to"), validate_choice=False)

    def validate_country_code(self, field):
        if field.data not in offered(self.country_code):
            raise ValidationError(_l("Please choose a country from the list."))

    def validate_vat_number(self, field):
        country = self.country_code.data
        if country in vat.FORMATS and not vat.is_valid(country, field.data or ""):
            raise ValidationError(_l("This is not a VAT number of the country chosen. Example: %(example)s",
                                     example=vat.EXAMPLES[country]))

    def validate_ships_to(self, field):
        allowed = offered(self.ships_to)
        if not field.data:
            raise ValidationError(_l("Choose at least one country."))
        if any(code not in allowed for code in field.data):
            raise ValidationError(_l("Please choose countries from the list."))


class LegalIdentityForm(FlaskForm):
    """The seller's registered identity, printed on its invoices and in the buyers' order e-mails. The
    country is the one the platform approved (not editable here): the VAT number and postcode follow it."""
    legal_name = StringField(_l("Registered company name"),
                             validators=[required(), Length(max=160, message=TOO_LONG)])
    street = StringField(_l("Registered address"), validators=[required(), Length(max=160, message=TOO_LONG)])
    postcode = StringField(_l("Postcode"), validators=[required(), Length(max=16, message=TOO_LONG)])
    city = StringField(_l("City"), validators=[required(), Length(max=80, message=TOO_LONG)])
    vat_number = StringField(_l("VAT number"), validators=[required(), Length(max=20, message=TOO_LONG)])

    def __init__(self, country: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country
        if country == "US":
            self.postcode.label.text = _l("ZIP code")
            self.vat_number.label.text = _l("Employer identification number (EIN)")

    def validate_postcode(self, field):
        from app.checkout.addresses import COUNTRIES, normalise_postcode
        if self.country in COUNTRIES:
            cleaned = normalise_postcode(self.country, field.data or "")
            if cleaned is None:
                raise ValidationError(_l("This postcode is not valid. Example: %(example)s",
                                         example=COUNTRIES[self.country].postcode_example))
            field.data = cleaned

    def validate_vat_number(self, field):
        if self.country in vat.FORMATS:
            if not vat.is_valid(self.country, field.data or ""):
                raise ValidationError(_l("This is not a VAT number of the country chosen. Example: %(example)s",
                                         example=vat.EXAMPLES[self.country]))
            field.data = vat.normalise(self.country, field.data)


class StaffForm(FlaskForm):
    email = email_field()


GRADE_CHOICES = [(grade.value, label) for grade, label in GRADE_LABELS.items()]
VAT_CHOICES = [(VatScheme.MARGIN.value, _l("Margin scheme (no VAT shown)")),
               (VatScheme.STANDARD.value, _l("Standard VAT"))]


class ListingForm(FlaskForm):
    """Stock, condition and warranty of a listing; prices per market are read by the view (one field
    per market the seller ships to, named price_<code>)."""
    grade = SelectField(_l("Grade"), choices=choices(GRADE_CHOICES), validate_choice=False)
    has_new_battery = BooleanField(_l("New battery fitted"))
    battery_health_min = IntegerField(_l("Guaranteed battery health (%)"), validators=[
        Optional(), NumberRange(min=50, max=100, message=_l("Enter a number from %(min)s to %(max)s."))])
    quantity = IntegerField(_l("Units in stock"), validators=[
        required_number(), NumberRange(min=0, max=100000, message=_l("Enter a number from %(min)s to %(max)s."))])
    warranty_months = IntegerField(_l("Warranty (months)"), validators=[
        required_number(), NumberRange(min=0, max=60, message=_l("Enter a number from %(min)s to %(max)s."))])
    vat_scheme = SelectField(_l("VAT scheme"), choices=choices(VAT_CHOICES), validate_choice=False)

    def validate_grade(self, field):
        if field.data not in {value for value, _ in GRADE_CHOICES}:
            raise ValidationError(_l("Please choose a grade from the list."))

    def validate_vat_scheme(self, field):
        if field.data not in {value for value, _ in VAT_CHOICES}:
            raise ValidationError(_l("Please choose a VAT scheme from the list."))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"))
    key = StringField()


class ModelSearchForm(FlaskForm):
    class Meta:
        csrf = False
    q = StringField(_l("Find the model"), validators=[Optional(), Length(max=100, message=TOO_LONG)])
