"""Write-side services for markets and editions."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Edition, Market


@dataclass(frozen=True)
class MarketSpec:
    code: str
    currency: str
    prices_include_tax: bool
    standard_vat_rate_bp: int
    legal_guarantee_months: int
    min_warranty_months: int
    transit_days: tuple[int, int]
    timezone: str
    languages: tuple[str, ...]        # first one is the market's main language
    express: tuple[int, int]          # express delivery: price in minor units, transit working days
    instalments: dict[str, tuple[int, int]]  # pay in 3 / pay in 4: order total bounds, minor units


# The markets the platform opens with. More markets are more rows: add a spec here (or insert rows)
# and run `flask sites sync`; nothing else in the code names a country.
# Legal guarantee: 24 months of conformity guarantee in the EU (Directive 2019/771); the UK's
# Consumer Rights Act has no fixed period, the platform commits to 12 months; the US has none
# by federal law, so the commercial warranty is the only promise.
# Instalments: pay in 3 or 4 where the market offers it, for order totals within the bounds.
_EURO_INSTALMENTS = {"pay_in_3": (10000, 200000), "pay_in_4": (30000, 300000)}
MARKETS: tuple[MarketSpec, ...] = (
    MarketSpec("FR", "EUR", True, 2000, 24, 12, (1, 3), "Europe/Paris", ("fr",), (990, 1), _EURO_INSTALMENTS),
    MarketSpec("BE", "EUR", True, 2100, 24, 12, (2, 4), "Europe/Brussels", ("fr", "de"), (1290, 1),
               {"pay_in_3": (10000, 200000)}),
    MarketSpec("ES", "EUR", True, 2100, 24, 12, (2, 4), "Europe/Madrid", ("es",), (990, 1), _EURO_INSTALMENTS),
    MarketSpec("DE", "EUR", True, 1900, 24, 12, (1, 3), "Europe/Berlin", ("de",), (990, 1), _EURO_INSTALMENTS),
    MarketSpec("IT", "EUR", True, 2200, 24, 12, (2, 5), "Europe/Rome", ("it",), (990, 1), _EURO_INSTALMENTS),
    MarketSpec("GB", "GBP", True, 2000, 12, 12, (1, 3), "Europe/London", ("en",), (799, 1),
               {"pay_in_3": (3000, 150000)}),
    MarketSpec("US", "USD", False, 0, 0, 12, (2, 5), "America/New_York", ("en",), (1499, 2),
               {"pay_in_4": (5000, 200000)}),
)

# Where a bare language goes when several markets speak it ("de" → Germany, not Belgium).
LANGUAGE_HOME = {"fr": "FR", "de": "DE", "es": "ES", "it": "IT", "en": "GB"}


def sync_markets(session: Session, specs: tuple[MarketSpec, ...] = MARKETS) -> tuple[int, int]:
    """Create or update markets and their editions from `specs`. Idempotent; returns (markets, editions).

    Existing rows keep their id; settings an admin changed are overwritten by the spec, which is the
    point of a sync. Editions not in a spec are left alone (deactivate them rather than delete).
    """
    markets = {m.code: m for m in session.scalars(select(Market))}
    editions = {e.code: e for e in session.scalars(select(Edition))}
    edition_count = 0
    for position, spec in enumerate(specs):
        market = markets.get(spec.code) or Market(code=spec.code)
        market.currency = spec.currency
        market.prices_include_tax = spec.prices_include_tax
        market.standard_vat_rate_bp = spec.standard_vat_rate_bp
        market.legal_guarantee_months = spec.legal_guarantee_months
        market.min_warranty_months = spec.min_warranty_months
        market.transit_days_min, market.transit_days_max = spec.transit_days
        market.timezone = spec.timezone
        market.express_shipping_amount, market.express_transit_days = spec.express
        market.instalment_bounds = {plan: list(bounds) for plan, bounds in spec.instalments.items()}
        market.position = position
        session.add(market)
        session.flush()
        for lang_position, language in enumerate(spec.languages):
            code = f"{language}-{spec.code.lower()}"
            edition = editions.get(code) or Edition(code=code)
            edition.market_id = market.id
            edition.language = language
            edition.is_market_default = lang_position == 0
            edition.is_language_default = LANGUAGE_HOME.get(language) == spec.code
            edition.position = lang_position
            session.add(edition)
            edition_count += 1
    session.flush()
    return len(specs), edition_count
