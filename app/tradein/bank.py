"""Bank details a shopper is paid to: format and check-digit validation, and sealed storage.

Accepted per currency of the market: an IBAN for EUR (ISO 13616 mod-97 check), a UK sort code and
account number for GBP, an ABA routing number (its weighted check digit) and account number for USD.
The full details are stored encrypted (Fernet, a key derived from `PAYOUT_DETAILS_KEY` or else the
app's SECRET_KEY); pages only ever show the last four digits.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from flask_babel import lazy_gettext as _l

from .errors import TradeInError

# Length of an IBAN per country (SEPA countries the shop's euro markets pay into, and more).
IBAN_LENGTHS = {"AT": 20, "BE": 16, "CH": 21, "CY": 28, "DE": 22, "EE": 20, "ES": 24, "FI": 18, "FR": 27,
                "GB": 22, "GR": 27, "HR": 21, "IE": 22, "IT": 27, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
                "MT": 31, "NL": 18, "PL": 28, "PT": 25, "SI": 19, "SK": 24, "SM": 27}
SCHEMES = {"EUR": "iban", "GBP": "gb", "USD": "us"}


class BankDetailsInvalid(TradeInError):
    """`field` names the form field that is wrong."""
    def __init__(self, field: str, message):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class BankAccount:
    scheme: str                  # iban, gb, us
    fields: dict[str, str]       # normalised: {"iban": …} or {"sort_code": …, "account": …} or {"routing": …, …}

    @property
    def last_digits(self) -> str:
        number = self.fields.get("iban") or self.fields["account"]
        return number[-4:]


def _digits(value: str | None) -> str:
    return re.sub(r"[\s-]", "", value or "")


def iban_is_valid(iban: str) -> bool:
    iban = _digits(iban).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return False
    if IBAN_LENGTHS.get(iban[:2], len(iban)) != len(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def routing_is_valid(routing: str) -> bool:
    """An ABA routing number: nine digits whose weighted sum (3, 7, 1, …) is a multiple of ten."""
    if not re.fullmatch(r"\d{9}", routing):
        return False
    return sum(int(d) * w for d, w in zip(routing, (3, 7, 1) * 3, strict=True)) % 10 == 0


def parse(currency: str, form: dict[str, str]) -> BankAccount:
    """The bank account in `form` for a payout in `currency`; raises BankDetailsInvalid naming the field."""
    scheme = SCHEMES.get(currency)
    if scheme == "iban":
        iban = _digits(form.get("iban")).upper()
        if not iban_is_valid(iban):
            raise BankDetailsInvalid("iban", _l("This IBAN is not valid: check it against your bank statement."))
        return BankAccount("iban", {"iban": iban})
    if scheme == "gb":
        sort_code, account = _digits(form.get("sort_code")), _digits(form.get("account"))
        if not re.fullmatch(r"\d{6}", sort_code):
            raise BankDetailsInvalid("sort_code", _l("A sort code has six digits, such as 12-34-56."))
        if not re.fullmatch(r"\d{8}", account):
            raise BankDetailsInvalid("account", _l("A UK account number has eight digits."))
        return BankAccount("gb", {"sort_code": sort_code, "account": account})
    if scheme == "us":
        routing, account = _digits(form.get("routing")), _digits(form.get("account"))
        if not routing_is_valid(routing):
            raise BankDetailsInvalid("routing", _l("This routing number is not valid: it has nine digits."))
        if not re.fullmatch(r"\d{4,17}", account):
            raise BankDetailsInvalid("account", _l("An account number has 4 to 17 digits."))
        return BankAccount("us", {"routing": routing, "account": account})
    raise BankDetailsInvalid("iban", _l("Payouts are not possible in this currency."))


def _fernet() -> Fernet:
    secret = current_app.config.get("PAYOUT_DETAILS_KEY") or current_app.config["SECRET_KEY"]
    key = hashlib.sha256(b"tradein-payout-details:" + str(secret).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(account: BankAccount) -> str:
    return _fernet().encrypt(json.dumps({"scheme": account.scheme, **account.fields}).encode()).decode()


def unseal(token: str) -> BankAccount | None:
    """The stored account, or None when the key has changed since it was sealed."""
    try:
        data = json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        return None
    scheme = data.pop("scheme")
    return BankAccount(scheme, data)
