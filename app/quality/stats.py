"""The statistics of a failure rate, apart from any database: exact, small and tested.

A cell (for example one seller's iPhone 13 in grade Good) has `units` sold units whose cohort has
matured and `events` of them failed. Its estimate is the mean of a Beta posterior whose prior is the
parent cell's rate (the same model × grade across sellers) weighted as `pseudo_count` units:

    rate = (events + k · parent) / (units + k)

so a seller with 3 units and 1 failure is not called 33 % bad, and one with 3 000 units is judged on
its own figures. The 95 % interval is the Wilson score interval of that posterior mean on its
`units + k` (pseudo-)units, which stays inside [0, 1] and is wide when the evidence is thin. Rates
are kept in parts per million (integers), so stored figures and comparisons are exact.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

PPM = 1_000_000
Z95 = 1.959964          # the two-sided 95 % normal quantile


@dataclass(frozen=True)
class Estimate:
    units: int
    events: int
    rate_ppm: int          # the shrunk estimate
    low_ppm: int           # the 95 % interval
    high_ppm: int
    raw_ppm: int           # events / units, unshrunk (0 without units)

    def published(self, minimum_units: int) -> bool:
        """Whether the figure may be shown: enough matured units."""
        return self.units >= minimum_units


def ppm(numerator: int, denominator: int) -> int:
    """numerator / denominator in parts per million, rounded half up; 0 for an empty denominator."""
    if denominator <= 0:
        return 0
    return (2 * numerator * PPM + denominator) // (2 * denominator)


def wilson(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion p observed on n units."""
    if n <= 0:
        return 0.0, 1.0
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def estimate(events: int, units: int, *, parent_ppm: int | None, pseudo_count: int) -> Estimate:
    """The shrunk rate and its interval; without a parent (the platform itself) the raw rate."""
    if events < 0 or units < 0 or events > units:
        raise ValueError("events must be between 0 and units")
    k = pseudo_count if parent_ppm is not None else 0
    n = units + k
    if n == 0:
        return Estimate(0, 0, parent_ppm or 0, 0, PPM, 0)
    # (events + k · parent) / (units + k), in exact integer arithmetic on ppm
    mean_ppm = (2 * (events * PPM + k * (parent_ppm or 0)) + n) // (2 * n)
    low, high = wilson(mean_ppm / PPM, n)
    return Estimate(units, events, mean_ppm, int(low * PPM), math.ceil(high * PPM), ppm(events, units))


def median(values: list[int]) -> int | None:
    """The median of integers (the lower middle of an even count, so it is one of the values)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]
