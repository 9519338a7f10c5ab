"""Template filters and globals: money, numbers and dates through Babel; versioned static URLs."""
from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_interval
from babel.numbers import format_percent as babel_format_percent
from babel.numbers import get_currency_precision
from flask import Flask, current_app, request, url_for
from flask_babel import format_currency, format_date, format_datetime, format_decimal, format_percent, get_locale

from app.offers.grades import GRADE_LABELS, Grade, grade_label


def to_decimal(amount: int, currency: str) -> Decimal:
    """Minor units to a Decimal in major units: 129900 EUR → Decimal('1299.00'). Never a float."""
    return Decimal(amount).scaleb(-get_currency_precision(currency))


def money(amount: int | None, currency: str) -> str:
    """Format an integer amount in minor units for the page's locale (1.299,00 € on de-de)."""
    if amount is None:
        return ""
    return format_currency(to_decimal(amount, currency), currency)


def date_range(dates: tuple[date, date]) -> str:
    """A span of days in the page's locale: "Tue 24 – Thu 26 Nov", "Di., 24. – Do., 26. Nov."."""
    start, end = dates
    return format_interval(start, end, "MMMEd", locale=get_locale())


def whole_percent(percent: int) -> str:
    """A whole percentage (32) as the locale writes it: "32%", "32 %"."""
    return format_percent(Decimal(percent).scaleb(-2))


def rate(value: int, decimals: int) -> str:
    """A tax rate kept as an integer (2000 bp with decimals=4, 7250 with decimals=5) as a percentage."""
    return babel_format_percent(Decimal(value).scaleb(-decimals), locale=get_locale(), decimal_quantization=False)


def rating(tenths: int | None) -> str:
    """A seller rating kept in tenths (46) as the locale writes it: "4.6", "4,6"."""
    if tenths is None:
        return ""
    return format_decimal(Decimal(tenths).scaleb(-1), format="0.0")


@lru_cache(maxsize=256)
def _file_digest(path: str, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """A static file's URL carrying a hash of its content, so it can be cached for a year."""
    path = Path(current_app.static_folder or "") / filename
    try:
        version = _file_digest(str(path), path.stat().st_mtime_ns)
    except FileNotFoundError:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=version)


def country_name(code: str, locale: str | None = None) -> str:
    """A country's name from CLDR, in `locale` (default: the page's)."""
    return Locale.parse(locale or str(get_locale())).territories.get(code, code)


def language_name(language: str) -> str:
    """A language's own name for itself (Deutsch, français), capitalised for a menu."""
    name = Locale.parse(language).get_display_name(language) or language
    return name[:1].upper() + name[1:]


def init_app(app: Flask) -> None:
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["date_range"] = date_range
    app.jinja_env.filters["rating"] = rating
    app.jinja_env.filters["whole_percent"] = whole_percent
    app.jinja_env.filters["language_name_filter"] = language_name
    app.jinja_env.filters["date_medium"] = lambda value: format_date(value, "medium") if value else ""
    app.jinja_env.filters["datetime_short"] = lambda value: format_datetime(value, "short") if value else ""
    app.jinja_env.filters["rate"] = rate
    app.jinja_env.globals.update(asset_url=asset_url, grade_label=grade_label, GRADES=list(Grade),
                                 GRADE_LABELS=GRADE_LABELS, country_name=country_name,
                                 language_name=language_name)

    @app.context_processor
    def dates():
        return {"current_year": datetime.now(UTC).year}

    @app.after_request
    def cache_versioned_assets(response):
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 31536000
            response.cache_control.immutable = True
        return response
