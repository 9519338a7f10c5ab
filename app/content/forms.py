"""Forms of the content editor and the catalog translation screens."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.accounts.forms import required

TOO_LONG = _l("This is too long.")


class ContentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[required(), Length(max=200, message=TOO_LONG)])
    body = TextAreaField(_l("Text (Markdown)"), validators=[Length(max=50000, message=TOO_LONG)])
    items = TextAreaField(_l("Links"), validators=[Length(max=2000, message=TOO_LONG)])
    banner = FileField(_l("Banner picture (JPEG, PNG or WebP, at most 5 MB)"))
    remove_banner = BooleanField(_l("Remove the banner picture"))
    publish_at = DateTimeLocalField(_l("Publish at (local time of the country)"), format="%Y-%m-%dT%H:%M",
                                    validators=[Optional()])
    version = IntegerField(validators=[InputRequired(), NumberRange(min=0, max=2**31)])


class RestoreForm(FlaskForm):
    version = IntegerField(validators=[InputRequired(), NumberRange(min=0, max=2**31)])


class CategoryTextForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(), Length(max=120, message=TOO_LONG)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000, message=TOO_LONG)])


class ProductTextForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(), Length(max=200, message=TOO_LONG)])
    description = TextAreaField(_l("Description"), validators=[Length(max=10000, message=TOO_LONG)])


class GradeTextForm(FlaskForm):
    summary = TextAreaField(_l("Summary"), validators=[required(), Length(max=2000, message=TOO_LONG)])
    screen = TextAreaField(_l("Screen"), validators=[Length(max=2000, message=TOO_LONG)])
    body = TextAreaField(_l("Body"), validators=[Length(max=2000, message=TOO_LONG)])
    functions = TextAreaField(_l("Functions"), validators=[Length(max=2000, message=TOO_LONG)])
    battery = TextAreaField(_l("Battery"), validators=[Length(max=2000, message=TOO_LONG)])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or XLIFF file"))
