"""Facet vocabulary: the values each facet can take and how they are stored in `SearchProduct`.

Offer-level facets (grade, storage, colour, battery) are bit masks of what a product's purchasable
offers include; a product matches a selected value when one of its offers has it. Values of one
facet are ORed ("Good or Excellent"), facets are ANDed ("Excellent, and 256 GB"). Price bands apply
to the product's "from" price for the selected grades.
"""
from __future__ import annotations

from collections.abc import Iterator

from babel.numbers import get_currency_precision

from app.offers.grades import Grade

from .colors import FAMILY_CODES

GRADES: tuple[str, ...] = tuple(g.value for g in Grade)
GRADE_BITS = {grade: 1 << index for index, grade in enumerate(GRADES)}
# Storage sizes in GB, one bit each; another size counts as the nearest one below it.
STORAGE_SIZES: tuple[int, ...] = (8, 16, 32, 64, 128, 256, 500, 512, 825, 1024, 2048, 4096, 8192)
COLOR_BITS = {code: 1 << index for index, code in enumerate(FAMILY_CODES)}
BATTERY_VALUES = ("new",)
# Price bands in major units of the market's currency: [0, 100), [100, 200), … [1500, ∞).
PRICE_BOUNDS: tuple[int, ...] = (100, 200, 300, 500, 750, 1000, 1500)

OFFER_FACETS = ("grade", "storage", "color", "battery")
PRODUCT_FACETS = ("category", "brand")
FACETS = ("category", "brand", "price", "grade", "storage", "color", "battery")


def storage_bit(storage_gb: int | None) -> int:
    if not storage_gb:
        return 0
    index = 0
    for position, size in enumerate(STORAGE_SIZES):
        if size <= storage_gb:
            index = position
    return 1 << index


def bits(mask: int) -> Iterator[int]:
    """Indexes of the bits set in `mask`."""
    index = 0
    while mask:
        if mask & 1:
            yield index
        mask >>= 1
        index += 1


def mask_of(codes, table: dict) -> int:
    mask = 0
    for code in codes:
        mask |= table.get(code, 0)
    return mask


def storage_mask_of(sizes) -> int:
    return mask_of(sizes, {size: 1 << i for i, size in enumerate(STORAGE_SIZES)})


def price_band(amount: int, currency: str) -> int:
    """Index of the band an amount in minor units falls in."""
    unit = 10 ** get_currency_precision(currency)
    band = 0
    for bound in PRICE_BOUNDS:
        if amount >= bound * unit:
            band += 1
    return band


def band_range(band: int, currency: str) -> tuple[int, int | None]:
    """[low, high) of a band in minor units; high is None for the last band."""
    unit = 10 ** get_currency_precision(currency)
    low = 0 if band == 0 else PRICE_BOUNDS[band - 1] * unit
    high = PRICE_BOUNDS[band] * unit if band < len(PRICE_BOUNDS) else None
    return low, high


def band_code(band: int) -> str:
    """The URL value of a band: ``100-200``, ``0-100``, ``1500-``."""
    low = 0 if band == 0 else PRICE_BOUNDS[band - 1]
    high = str(PRICE_BOUNDS[band]) if band < len(PRICE_BOUNDS) else ""
    return f"{low}-{high}"


def band_from_code(code: str) -> int | None:
    for band in range(len(PRICE_BOUNDS) + 1):
        if band_code(band) == code:
            return band
    return None


def contributions(row: dict, currency: str) -> Iterator[tuple[str, str]]:
    """The (facet, value) pairs one product summary counts towards, plus ("all", "").

    Category and brand are not among them: they are keys of `SearchFacetCount`.
    """
    yield "all", ""
    yield "price", str(price_band(row["from_amount"], currency))
    for index in bits(row["grade_mask"]):
        yield "grade", GRADES[index]
    for index in bits(row["storage_mask"]):
        yield "storage", str(STORAGE_SIZES[index])
    for index in bits(row["color_mask"]):
        yield "color", FAMILY_CODES[index]
    if row["has_new_battery"]:
        yield "battery", "new"
