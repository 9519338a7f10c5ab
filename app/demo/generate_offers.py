"""Benchmark generator, sellers and listings phases: generated workshops, where they ship, and
about five listings per generated product, priced in every market the seller ships to."""
from __future__ import annotations

import random
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from app.catalog.models import Product, Variant, VariantNewPrice
from app.i18n import LANGUAGES
from app.offers.models import Listing, ListingPrice, VatScheme
from app.sellers.models import Seller, SellerStatus, SellerTranslation, seller_market
from app.sites.models import Market

from .bulk import ROWS_PER_INSERT, assign_ids, insert_rows
from .generate_common import (
    PRODUCTS_PER_CHUNK,
    REFERENCE_YEAR,
    GenerateReport,
    Progress,
    count,
    next_number,
)
from .generate_data import (
    DEFAULT_BATTERY_HEALTH,
    GRADE_DRAW,
    PREFIX,
    REGIONS,
    SELLER_COUNTRIES,
    SELLER_TEXTS,
)
from .generate_reference import Reference
from .loader import slugify
from .pricing import refurbished_price, seller_jitter

_ChunkProduct = tuple[str, int, int | None, list[tuple[int, dict[str, int]]]]   # key, category, year, variants


@dataclass(frozen=True)
class _Seller:
    id: int
    slug: str
    markets: tuple[tuple[int, str, str], ...]               # id, code, currency


def count_generated_listings(session: Session) -> int:
    return count(session, select(func.count()).select_from(Listing).join(Seller, Seller.id == Listing.seller_id)
                  .where(Seller.slug.like(f"{PREFIX}%")))


def generate_sellers(session: Session, reference: Reference, count: int, *, seed: int, now: datetime,
                      report: GenerateReport, progress: Progress, checkpoint: Callable[[], None]) -> None:
    """Approved workshops spread over the countries, shipping within their region only (as in the demo)."""
    first_number = next_number(session, Seller.slug)
    countries = [code for code in SELLER_COUNTRIES if any(m[1] == code for m in reference.markets)]
    if not countries:
        raise ValueError("no market to attach generated sellers to")
    weights = [SELLER_COUNTRIES[code][0] for code in countries]
    by_region: dict[str, list[int]] = defaultdict(list)
    market_ids = {}
    for market_id, code, _currency in reference.markets:
        by_region[REGIONS[code]].append(market_id)
        market_ids[code] = market_id
    sellers, translations, links = [], [], []
    with progress("sellers", count, "sellers") as bar:
        for offset in range(count):
            number = first_number + offset
            rng = random.Random(f"{seed}:seller:{number}")
            country = rng.choices(countries, weights)[0]
            _weight, cities, kinds, words = SELLER_COUNTRIES[country]
            city = rng.choice(cities)
            name = f"{rng.choice(words)} {rng.choice(kinds)} {city}"
            founded = rng.randint(1995, 2024)
            seller_id = len(sellers)            # chunk-local until _assign_ids
            sellers.append({
                "id": seller_id, "slug": f"{PREFIX}{number:06d}-{slugify(name)}"[:80], "name": name,
                "country_code": country, "city": city, "founded_year": founded,
                "status": SellerStatus.APPROVED.value, "rating_tenths": rng.randint(36, 50),
                "dispatch_days": rng.choice((1, 1, 1, 2, 2, 3)), "created_at": now, "updated_at": now})
            translations.extend({"seller_id": seller_id, "language": language,
                                 "description": SELLER_TEXTS[language].format(city=city, year=founded)}
                                for language in LANGUAGES)
            home = market_ids[country]
            others = [m for m in by_region[REGIONS[country]] if m != home]
            ships_everywhere = rng.random() < 0.3
            links.extend({"seller_id": seller_id, "market_id": market_id}
                         for market_id in [home] + [m for m in others if ships_everywhere or rng.random() < 0.5])
            if len(sellers) >= ROWS_PER_INSERT // 5 or offset == count - 1:
                assign_ids(session, Seller.__table__, sellers,
                            ((translations, "seller_id"), (links, "seller_id")))
                insert_rows(session, Seller.__table__, sellers)
                insert_rows(session, SellerTranslation.__table__, translations)
                insert_rows(session, seller_market, links)
                checkpoint()
                bar.update(len(sellers))
                report.sellers += len(sellers)
                sellers, translations, links = [], [], []


def generate_listings(session: Session, reference: Reference, count: int, *, seed: int, now: datetime,
                       round_key: int, report: GenerateReport, progress: Progress,
                       checkpoint: Callable[[], None]) -> None:
    """About `count / products` listings per product, from sellers specialised in its category.

    Listings go to the generated products that have none yet (those of this run, or of a run that
    stopped half-way); when every one has some, they are spread over all generated products.
    """
    sellers = _load_generated_sellers(session)
    stockists = _stockists(reference, sellers)
    generated = Product.key.like(f"{PREFIX}%")
    has_listing = exists(select(Variant.id).join(Listing, Listing.variant_id == Variant.id)
                         .where(Variant.product_id == Product.id))
    targets = list(session.scalars(select(Product.id).where(generated, ~has_listing).order_by(Product.id)))
    if not targets:
        targets = list(session.scalars(select(Product.id).where(generated).order_by(Product.id)))
    counts = _spread(count, len(targets), random.Random(f"{seed}:spread:{round_key}"))
    shortfall = 0
    with progress("listings", count, "listings") as bar:
        for chunk_start in range(0, len(targets), PRODUCTS_PER_CHUNK):
            chunk = targets[chunk_start:chunk_start + PRODUCTS_PER_CHUNK]
            wanted = dict(zip(chunk, counts[chunk_start:chunk_start + PRODUCTS_PER_CHUNK], strict=True))
            catalog, taken = _load_chunk(session, chunk[0], chunk[-1], wanted)
            listings: list[dict[str, Any]] = []
            prices: list[dict[str, Any]] = []
            for product_id, (key, category_id, year, variants) in catalog.items():
                # Seeded by key, not id: ids depend on the database, keys only on the seed.
                rng = random.Random(f"{seed}:listings:{round_key}:{key}")
                shortfall += _listing_rows(reference, rng, wanted[product_id], category_id, year, variants,
                                           stockists.get(category_id) or sellers, taken, now, listings, prices)
            assign_ids(session, Listing.__table__, listings, ((prices, "listing_id"),))
            insert_rows(session, Listing.__table__, listings)
            insert_rows(session, ListingPrice.__table__, prices)
            checkpoint()
            bar.update(sum(wanted.values()))
            report.listings += len(listings)
            report.prices += len(prices)
    if shortfall:
        report.notes.append(f"{shortfall} listings skipped: no free seller/variant/grade combination left")


def _spread(total: int, buckets: int, rng: random.Random) -> list[int]:
    """`total` split over `buckets` unevenly (some models are more popular), summing exactly to `total`."""
    if not buckets:
        return []
    weights = [rng.uniform(0.3, 1.7) for _ in range(buckets)]
    scale = total / sum(weights)
    counts, running, assigned = [], 0.0, 0
    for weight in weights:
        running += weight * scale
        upto = round(running)
        counts.append(upto - assigned)
        assigned = upto
    counts[-1] += total - assigned
    return counts


def _load_generated_sellers(session: Session) -> list[_Seller]:
    markets = {m[0]: m for m in session.execute(select(Market.id, Market.code, Market.currency))}
    reach: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for row in session.execute(select(seller_market.c.seller_id, seller_market.c.market_id)
                               .join(Seller, Seller.id == seller_market.c.seller_id)
                               .where(Seller.slug.like(f"{PREFIX}%"))
                               .order_by(seller_market.c.seller_id, seller_market.c.market_id)):
        market = markets[row.market_id]
        reach[row.seller_id].append((market.id, market.code, market.currency))
    return [_Seller(row.id, row.slug, tuple(reach[row.id])) for row in session.execute(
        select(Seller.id, Seller.slug)
        .where(Seller.slug.like(f"{PREFIX}%"), Seller.status == SellerStatus.APPROVED)
        .order_by(Seller.slug)) if reach[row.id]]


def _stockists(reference: Reference, sellers: list[_Seller]) -> dict[int, list[_Seller]]:
    """Per category, the sellers that refurbish it: about 40 %, fixed by slug and category key."""
    by_category: dict[int, list[_Seller]] = {}
    for category_id in {family.category_id for family in reference.families}:
        key = reference.category_keys[category_id]
        by_category[category_id] = [s for s in sellers if zlib.crc32(f"{s.slug}|{key}".encode()) % 100 < 40]
    return by_category


def _load_chunk(session: Session, first: int, last: int, wanted: dict[int, int]
                ) -> tuple[dict[int, _ChunkProduct], set[tuple]]:
    """Variants with launch prices of the products in [first, last], and the listing keys already used."""
    catalog: dict[int, _ChunkProduct] = {}
    for row in session.execute(select(Product.id, Product.key, Product.category_id, Product.release_year)
                               .where(Product.id.between(first, last)).order_by(Product.id)):
        if wanted.get(row.id):
            catalog[row.id] = (row.key, row.category_id, row.release_year, [])
    variants: dict[int, dict[str, int]] = {}
    for row in session.execute(
            select(Variant.product_id, Variant.id, VariantNewPrice.currency, VariantNewPrice.amount)
            .join(VariantNewPrice, VariantNewPrice.variant_id == Variant.id)
            .where(Variant.product_id.between(first, last))
            .order_by(Variant.product_id, Variant.position, Variant.id)):
        if row.product_id not in catalog:
            continue
        if row.id not in variants:
            variants[row.id] = {}
            catalog[row.product_id][3].append((row.id, variants[row.id]))
        variants[row.id][row.currency] = row.amount
    taken = set(map(tuple, session.execute(
        select(Listing.seller_id, Listing.variant_id, Listing.grade, Listing.has_new_battery)
        .join(Variant, Variant.id == Listing.variant_id).where(Variant.product_id.between(first, last)))))
    return {pid: entry for pid, entry in catalog.items() if entry[3]}, taken


def _listing_rows(reference: Reference, rng: random.Random, count: int, category_id: int, year: int | None,
                  variants: list[tuple[int, dict[str, int]]], stockists: list[_Seller], taken: set[tuple],
                  now: datetime, listings: list, prices: list) -> int:
    """Append `count` listings of one product and their per-market prices (chunk-local ids); returns
    how many could not be placed."""
    has_battery = reference.category_battery.get(category_id, False)
    age = max(REFERENCE_YEAR - (year or REFERENCE_YEAR), 0)
    missed = 0
    for _ in range(count):
        for _attempt in range(25):
            seller = stockists[rng.randrange(len(stockists))]
            variant_id, new_prices = variants[rng.randrange(len(variants))]
            grade = GRADE_DRAW[rng.randrange(len(GRADE_DRAW))]
            new_battery = has_battery and grade in ("good", "excellent") and rng.random() < 0.15
            key = (seller.id, variant_id, grade, new_battery)
            if key not in taken:
                break
        else:
            missed += 1
            continue
        taken.add(key)
        listing_id = len(listings)
        if not has_battery:
            battery = None
        elif new_battery:
            battery = 100
        else:
            battery = reference.min_battery.get((category_id, grade),
                                                reference.min_battery.get((None, grade),
                                                                          DEFAULT_BATTERY_HEALTH[grade]))
        jitter = seller_jitter(rng)
        listings.append({
            "id": listing_id, "seller_id": seller.id, "variant_id": variant_id, "grade": grade,
            "quantity": 0 if rng.random() < 0.08 else rng.randint(1, 14),
            "warranty_months": rng.choice((12, 12, 12, 18, 24)), "has_new_battery": new_battery,
            "battery_health_min": battery,
            "vat_scheme": (VatScheme.STANDARD if rng.random() < 0.25 else VatScheme.MARGIN).value,
            "is_active": True, "created_at": now, "updated_at": now})
        for market_id, code, currency in seller.markets:
            new_price = new_prices.get(currency)
            if new_price:
                prices.append({"listing_id": listing_id, "market_id": market_id, "currency": currency,
                               "amount": refurbished_price(new_price, grade=grade, age_years=age, market_code=code,
                                                           seller_jitter_permille=jitter,
                                                           new_battery=new_battery)})
    return missed
