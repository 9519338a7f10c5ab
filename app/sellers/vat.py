"""VAT (or tax) identification numbers: the format each country issues them in.

Only the shape is checked here (country prefix, length, digits or letters where the country puts
them), as the application form asks; whether the number is registered is for the admin's review.
"""
from __future__ import annotations

import re

FORMATS: dict[str, re.Pattern[str]] = {
    "FR": re.compile(r"FR[0-9A-HJ-NP-Z]{2}[0-9]{9}"),   # 2-character key + SIREN
    "BE": re.compile(r"BE[01][0-9]{9}"),                # enterprise number
    "ES": re.compile(r"ES[0-9A-Z][0-9]{7}[0-9A-Z]"),     # NIF
    "DE": re.compile(r"DE[0-9]{9}"),                    # USt-IdNr.
    "IT": re.compile(r"IT[0-9]{11}"),                   # partita IVA
    "GB": re.compile(r"GB(?:[0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})"),
    "US": re.compile(r"[0-9]{2}-[0-9]{7}"),             # employer identification number (no VAT)
}
EXAMPLES = {"FR": "FR40303265045", "BE": "BE0403019261", "ES": "ESA28015865", "DE": "DE136695976",
            "IT": "IT00743110157", "GB": "GB980780684", "US": "12-3456789"}


def normalise(country: str, number: str) -> str:
    """Upper case without spaces or dots; a missing EU prefix is added; a US EIN gets its dash."""
    cleaned = re.sub(r"[\s.]", "", number or "").upper()
    if country == "US":
        digits = cleaned.replace("-", "")
        return f"{digits[:2]}-{digits[2:]}" if digits.isdigit() and len(digits) == 9 else cleaned
    cleaned = cleaned.replace("-", "")
    if cleaned and not cleaned.startswith(country) and cleaned[:1].isdigit():
        cleaned = country + cleaned
    return cleaned


def is_valid(country: str, number: str) -> bool:
    pattern = FORMATS.get(country)
    return bool(pattern and pattern.fullmatch(normalise(country, number)))
