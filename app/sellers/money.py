"""Prices typed by people (forms, CSV files) into integer minor units, and back. Never a float."""
from __future__ import annotations

import re

from babel.numbers import get_currency_precision, get_decimal_symbol

MAX_MAJOR_UNITS = 1_000_000


class PriceError(ValueError):
    """`code` says what is wrong: negative, zero, format, decimals, too_high."""
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_price(text: str, currency: str) -> int:
    """'349', '349.5', '349,50' → 34950 (EUR). A decimal point or comma; no thousands separators."""
    text = (text or "").strip()
    if text.startswith("-"):
        raise PriceError("negative")
    match = re.fullmatch(r"(\d{1,9})(?:[.,](\d+))?", text)
    if not match:
        raise PriceError("format")
    digits = get_currency_precision(currency)
    whole, fraction = match.group(1), match.group(2) or ""
    if len(fraction) > digits:
        raise PriceError("decimals")
    if int(whole) >= MAX_MAJOR_UNITS:
        raise PriceError("too_high")
    amount = int(whole) * 10 ** digits + int(fraction.ljust(digits, "0") or 0)
    if amount <= 0:
        raise PriceError("zero")
    return amount


def format_plain(amount: int, currency: str) -> str:
    """34950 EUR → '349.50': the machine-readable form used in CSV files and form fields."""
    digits = get_currency_precision(currency)
    if digits == 0:
        return str(amount)
    return f"{amount // 10 ** digits}.{amount % 10 ** digits:0{digits}d}"


def format_input(amount: int, currency: str, locale) -> str:
    """34950 EUR → '349,50' in French, '349.50' in English: a form field's value as the person types it
    (parse_price reads either mark back)."""
    plain = format_plain(amount, currency)
    mark = get_decimal_symbol(locale)
    return plain.replace(".", mark) if mark in (".", ",") else plain
