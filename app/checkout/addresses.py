"""Address rules per country: postcode format, whether a region (US state) is asked, phone checks."""
from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers


@dataclass(frozen=True)
class CountryRules:
    postcode: re.Pattern
    postcode_example: str
    regions: tuple[tuple[str, str], ...] = ()      # (code, name) when the address needs one
    # The order of the last address line's parts, as the country writes them and its forms ask for
    # them: "75011 Paris" in Europe, "San Francisco, CA 94103" in the US.
    locality: tuple[str, ...] = ("postcode", "city")

    def locality_line(self, address: dict) -> str:
        """The address's last line (before the country) in the country's order."""
        if self.locality == US_LOCALITY:
            city, region, postcode = (address.get(k) or "" for k in US_LOCALITY)
            return f"{city}, {region} {postcode}".strip(" ,")
        parts = [address.get(k) or "" for k in (*self.locality, "region")]
        return " ".join(p for p in parts if p)


US_LOCALITY = ("city", "region", "postcode")


US_STATES = (
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
    ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("DC", "District of Columbia"),
    ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"),
    ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"),
    ("ME", "Maine"), ("MD", "Maryland"), ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"),
    ("MS", "Mississippi"), ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"), ("OR", "Oregon"),
    ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"), ("SD", "South Dakota"),
    ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"),
    ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
)

COUNTRIES = {
    "FR": CountryRules(re.compile(r"\d{5}"), "75011"),
    "BE": CountryRules(re.compile(r"[1-9]\d{3}"), "1050"),
    "ES": CountryRules(re.compile(r"(0[1-9]|[1-4]\d|5[0-2])\d{3}"), "28013"),
    "DE": CountryRules(re.compile(r"\d{5}"), "10115"),
    "IT": CountryRules(re.compile(r"\d{5}"), "00184"),
    "GB": CountryRules(re.compile(r"(GIR 0AA|[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2})"), "SW1A 1AA"),
    "US": CountryRules(re.compile(r"\d{5}(-\d{4})?"), "10001", US_STATES, US_LOCALITY),
}


def normalise_postcode(country: str, value: str) -> str | None:
    """The postcode as the country writes it, or None when it is not one."""
    rules = COUNTRIES[country]
    cleaned = " ".join(value.upper().split())
    if country == "GB" and " " not in cleaned and len(cleaned) >= 5:
        cleaned = f"{cleaned[:-3]} {cleaned[-3:]}"
    return cleaned if rules.postcode.fullmatch(cleaned) else None


def normalise_phone(country: str, value: str) -> str | None:
    """The phone number in E.164 (+33612345678), or None when it is not a valid number."""
    try:
        number = phonenumbers.parse(value, country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
