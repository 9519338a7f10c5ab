"""How the demo loader prices refurbished listings from a device's launch price.

Plain arithmetic on integers in minor units; the randomness comes from a seeded generator passed
in, so the same data gives the same prices on every machine.
"""
from __future__ import annotations

import random

# Share of the launch price a device in each grade sells for when it is one year old.
GRADE_FACTOR_PERCENT = {"fair": 58, "good": 64, "excellent": 71, "premium": 80}
# Each further year takes this share off the remaining value, down to a floor.
YEARLY_KEEP_PERCENT = 88
FLOOR_PERCENT = 22
# Small differences between euro markets (shipping costs, competition).
MARKET_ADJUST_PERCENT = {"FR": 100, "BE": 101, "ES": 98, "DE": 100, "IT": 99, "GB": 100, "US": 100}
NEW_BATTERY_PERCENT = 106


def refurbished_price(new_price: int, *, grade: str, age_years: int, market_code: str,
                      seller_jitter_permille: int, new_battery: bool = False) -> int:
    """A plausible shelf price in minor units, ending in ,00 or ,99 like real shop prices."""
    percent = GRADE_FACTOR_PERCENT[grade]
    value = new_price * percent // 100
    for _ in range(max(age_years - 1, 0)):
        value = value * YEARLY_KEEP_PERCENT // 100
    value = max(value, new_price * FLOOR_PERCENT // 100)
    value = value * MARKET_ADJUST_PERCENT[market_code] // 100
    value = value * seller_jitter_permille // 1000
    if new_battery:
        value = value * NEW_BATTERY_PERCENT // 100
    whole = max(value // 100, 9)
    return whole * 100 if whole >= 100 else whole * 100 - 1


def seller_jitter(rng: random.Random) -> int:
    """A seller's price level against the market, in permille (940–1080)."""
    return rng.randint(940, 1080)
