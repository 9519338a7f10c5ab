"""VAT inside EU and UK prices, the margin-scheme mention, and US sales tax by state.

Amounts are integers in minor units; rates are integers (VAT in basis points, sales tax in
thousandths of a percent, since states use rates such as 6.875 %). Rounding is half up, once per line.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

from app.offers.models import VatScheme
from app.sites.models import Market

# The invoice mention the VAT directive (art. 226(14)) requires for goods sold under the margin scheme.
MARGIN_SCHEME_MENTION = _l("Margin scheme – second-hand goods. VAT is not shown separately.")
SALES_TAX_FILE = Path(__file__).parent / "data" / "us_sales_tax.json"


def margin_scheme_mention(market: Market):
    """The margin-scheme mention for goods sold in `market`, or None where no VAT applies (the US:
    the mention is an EU and UK invoicing rule, meaningless and confusing on a sales-tax order)."""
    return MARGIN_SCHEME_MENTION if market.prices_include_tax else None


def divide_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def line_vat(amount: int, scheme: str, market: Market) -> tuple[int, int]:
    """(rate in basis points, VAT included in `amount`) for a line sold in `market`.

    Under the margin scheme the VAT is due on the seller's margin and is never shown: (0, 0).
    Where prices are shown before tax (the US), there is no VAT either.
    """
    if scheme == VatScheme.MARGIN or not market.prices_include_tax:
        return 0, 0
    rate = market.standard_vat_rate_bp
    return rate, divide_half_up(amount * rate, 10000 + rate)


@cache
def us_sales_tax_rates() -> dict[str, int]:
    """State code → state-level sales tax rate in thousandths of a percent (CA: 7250 = 7.25 %)."""
    data = json.loads(SALES_TAX_FILE.read_text(encoding="utf-8"))
    return {state: int(rate) for state, rate in data["rates"].items()}


def sales_tax(goods_amount: int, market: Market, region: str | None) -> tuple[int, int]:
    """(rate in thousandths of a percent, tax) added at checkout on the goods, US only."""
    if market.prices_include_tax or not region:
        return 0, 0
    rate = us_sales_tax_rates().get(region, 0)
    return rate, divide_half_up(goods_amount * rate, 100000)
