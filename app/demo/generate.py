"""`flask demo generate`: a synthetic benchmark catalog (~200,000 products, ~1,000,000 listings).

It builds on whatever `flask demo load` created: markets are synced, and categories, colours, brands
and grade descriptions are reused (a minimal set is created when there are none). Each generated
product is a variation of a real demo device ("Galaxy S22 Ultra 5G Edition 1234"), with the five
translations, 2–8 variants with launch prices in EUR, GBP and USD, and about five listings from
generated sellers, priced in every market the seller ships to with `pricing.refurbished_price`.

Every generated key (`product.key`, `variant.sku`, seller slug) starts with ``gen-``, so generated
rows never collide with demo ones, and a second run only tops the ``gen-`` rows up to the size asked.
Output is deterministic for a seed and a starting database.

Speed over the ORM: rows are plain dicts written with Core bulk inserts, parent ids are assigned
here (no RETURNING round trip), and the work is committed chunk by chunk, so memory stays flat and
an interrupted run leaves whole products and whole listings behind, which the next run tops up.
That per-chunk commit is the caller's: `generate_catalog` calls the `checkpoint` it is given.
"""
from __future__ import annotations

import random
import sys
import time
import zlib
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import click
from flask.cli import with_appcontext
from sqlalchemy import exists, func, select, text
from sqlalchemy.orm import Session
from tqdm import tqdm

from app.catalog.models import (
    Product,
    ProductTranslation,
    Variant,
    VariantNewPrice,
)
from app.extensions import db
from app.i18n import FALLBACK_LANGUAGE, LANGUAGES
from app.offers.models import Listing, ListingPrice, VatScheme
from app.sellers.models import Seller, SellerStatus, SellerTranslation, seller_market
from app.sites.models import Market
from app.sites.services import sync_markets

from .bulk import ROWS_PER_INSERT, assign_ids, bulk_write_settings, insert_rows
from .generate_data import (
    DEFAULT_BATTERY_HEALTH,
    EDITION_WORD,
    GRADE_DRAW,
    MODIFIERS,
    PREFIX,
    PRODUCT_TEXTS,
    REGIONS,
    SELLER_COUNTRIES,
    SELLER_TEXTS,
)
from .generate_reference import Reference, load_reference
from .loader import slugify
from .pricing import refurbished_price, seller_jitter

DEFAULT_SEED = 2026
# Prices and ages are computed against a fixed year, like the demo loader, so a seed gives the same
# prices whatever the date of the run.
REFERENCE_YEAR = 2026
PRODUCTS_PER_CHUNK = 2_000          # ~10k variants, ~30k launch prices, ~10k listings per commit
# Where a seller may ship: within its region only (EU sellers to EU markets, GB to GB, US to US).


class ProgressBar(Protocol):
    def update(self, n: int = 1) -> Any: ...


Progress = Callable[[str, int, str], AbstractContextManager[ProgressBar]]


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass


def no_progress(description: str, total: int, unit: str) -> AbstractContextManager[ProgressBar]:
    return nullcontext(_NoBar())


@dataclass(frozen=True)
class Target:
    """How many ``gen-`` rows the catalog should hold once the run is over."""
    products: int = 200_000
    listings: int = 1_000_000
    sellers: int = 2_000


@dataclass
class GenerateReport:
    products: int = 0
    translations: int = 0
    variants: int = 0
    new_prices: int = 0
    sellers: int = 0
    listings: int = 0
    prices: int = 0
    products_total: int = 0
    listings_total: int = 0
    sellers_total: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def nothing_to_do(self) -> bool:
        return not (self.products or self.sellers or self.listings)

    def summary(self) -> str:
        return (f"{self.products} products ({self.translations} translations, {self.variants} variants, "
                f"{self.new_prices} launch prices), {self.sellers} sellers, {self.listings} listings, "
                f"{self.prices} listing prices; generated catalog now {self.products_total} products, "
                f"{self.sellers_total} sellers, {self.listings_total} listings")


@dataclass(frozen=True)
class _Seller:
    id: int
    slug: str
    markets: tuple[tuple[int, str, str], ...]               # id, code, currency


def generate_catalog(session: Session, target: Target, *, seed: int = DEFAULT_SEED,
                     progress: Progress = no_progress,
                     checkpoint: Callable[[], None] | None = None) -> GenerateReport:
    """Top the ``gen-`` part of the catalog up to `target`; returns what was added.

    `checkpoint` is called after each chunk of rows (the CLI passes `session.commit`), so a full-size
    run never holds more than a chunk in memory or in one transaction. Without it everything is only
    flushed, and the caller commits once.
    """
    checkpoint = checkpoint or session.flush
    report = GenerateReport()
    sync_markets(session)
    reference = load_reference(session)
    checkpoint()

    have_products = _count(session, select(func.count()).where(Product.key.like(f"{PREFIX}%")))
    have_sellers = _count(session, select(func.count()).where(Seller.slug.like(f"{PREFIX}%")))
    have_listings = _count_generated_listings(session)
    new_products = max(target.products - have_products, 0)
    new_sellers = max(target.sellers - have_sellers, 0)
    new_listings = max(target.listings - have_listings, 0)
    if new_listings and have_products + new_products == 0:
        raise ValueError("listings need generated products: ask for at least one product")
    if new_listings and have_sellers + new_sellers == 0:
        raise ValueError("listings need generated sellers: ask for at least one seller")

    now = datetime.now(UTC)
    if new_sellers:
        _generate_sellers(session, reference, new_sellers, seed=seed, now=now, report=report,
                          progress=progress, checkpoint=checkpoint)
    if new_products:
        _generate_products(session, reference, new_products, seed=seed, now=now, report=report,
                           progress=progress, checkpoint=checkpoint)
    if new_listings:
        _generate_listings(session, reference, new_listings, seed=seed, now=now, round_key=have_listings,
                           report=report, progress=progress, checkpoint=checkpoint)
    if not report.nothing_to_do:
        _analyze(session, progress)
        checkpoint()
    report.products_total = have_products + report.products
    report.sellers_total = have_sellers + report.sellers
    report.listings_total = have_listings + report.listings
    return report


def _count(session: Session, statement) -> int:
    return int(session.scalar(statement) or 0)


def _count_generated_listings(session: Session) -> int:
    return _count(session, select(func.count()).select_from(Listing).join(Seller, Seller.id == Listing.seller_id)
                  .where(Seller.slug.like(f"{PREFIX}%")))


def _next_number(session: Session, column) -> int:
    """The number after the highest one in the fixed-width ``gen-<number>-…`` keys of `column`."""
    highest = session.scalar(select(func.max(column)).where(column.like(f"{PREFIX}%")))
    return int(highest.split("-")[1]) + 1 if highest else 1


def _generate_sellers(session: Session, reference: Reference, count: int, *, seed: int, now: datetime,
                      report: GenerateReport, progress: Progress, checkpoint: Callable[[], None]) -> None:
    """Approved workshops spread over the countries, shipping within their region only (as in the demo)."""
    first_number = _next_number(session, Seller.slug)
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


def _generate_products(session: Session, reference: Reference, count: int, *, seed: int, now: datetime,
                       report: GenerateReport, progress: Progress, checkpoint: Callable[[], None]) -> None:
    first_number = _next_number(session, Product.key)
    all_colors = sorted(reference.color_codes)
    with progress("products", count, "products") as bar:
        for chunk_start in range(0, count, PRODUCTS_PER_CHUNK):
            products, translations, variants, prices = [], [], [], []
            chunk = range(chunk_start, min(chunk_start + PRODUCTS_PER_CHUNK, count))
            for offset in chunk:
                rng = random.Random(f"{seed}:product:{first_number + offset}")
                _product_rows(reference, rng, first_number + offset, all_colors, now,
                              products, translations, variants, prices)
            assign_ids(session, Product.__table__, products,
                        ((translations, "product_id"), (variants, "product_id")))
            assign_ids(session, Variant.__table__, variants, ((prices, "variant_id"),))
            insert_rows(session, Product.__table__, products)
            insert_rows(session, ProductTranslation.__table__, translations)
            insert_rows(session, Variant.__table__, variants)
            insert_rows(session, VariantNewPrice.__table__, prices)
            checkpoint()
            bar.update(len(chunk))
            report.products += len(products)
            report.translations += len(translations)
            report.variants += len(variants)
            report.new_prices += len(prices)


def _product_rows(reference: Reference, rng: random.Random, number: int, all_colors: list[int], now: datetime,
                  products: list, translations: list, variants: list, prices: list) -> None:
    """Append the rows of one generated product, with chunk-local ids (see `_assign_ids`)."""
    product_id = len(products)
    family = reference.families[rng.randrange(len(reference.families))]
    modifier = rng.choice(MODIFIERS)
    if modifier and modifier.lower() in family.names[FALLBACK_LANGUAGE].lower().split():
        modifier = ""
    year = min(family.year + rng.randint(0, 3), REFERENCE_YEAR) if family.year else None
    price_permille = rng.randint(850, 1250)
    key = f"{PREFIX}{number:07d}-{family.key}"[:120]
    products.append({"id": product_id, "key": key, "category_id": family.category_id,
                     "brand_id": family.brand_id, "release_year": year, "specs": _vary_specs(family.specs, rng),
                     "is_active": True, "created_at": now, "updated_at": now})

    colors = list(family.color_ids)
    wanted = rng.randint(2, 8)
    if len(family.configs) * len(colors) < wanted:
        # More colours than the real model had: the brand's other colours first, then any.
        for pool in (reference.brand_colors.get(family.brand_id, []), all_colors):
            spare = [c for c in pool if c not in colors]
            while len(family.configs) * len(colors) < wanted and spare:
                colors.append(spare.pop(rng.randrange(len(spare))))
    combos = [(config, color) for config in family.configs for color in colors]
    picked = sorted(rng.sample(range(len(combos)), min(wanted, len(combos))))
    for position, index in enumerate(picked):
        config, color = combos[index]
        variant_id = len(variants)
        variants.append({"id": variant_id, "product_id": product_id, "color_id": color,
                         "sku": f"{PREFIX}{number:07d}-{config.code}-{reference.color_codes[color]}"[:160],
                         "storage_gb": config.options.get("storage_gb"), "ram_gb": config.options.get("ram_gb"),
                         "connectivity": config.options.get("connectivity"), "size": config.options.get("size"),
                         "position": position})
        for currency, amount in config.prices.items():
            # Launch prices end in 9.00 (or .99 below 10), like the demo's real ones.
            value = amount * price_permille // 1000
            prices.append({"variant_id": variant_id, "currency": currency,
                           "amount": max(value // 1000 * 1000 - 100, 999),
                           "source": f"generated from {family.key}"[:200]})

    category_names = reference.category_names.get(family.category_id, {})
    category_fallback = category_names.get(FALLBACK_LANGUAGE) or reference.category_keys[family.category_id]
    template = rng.randrange(2)
    for language in LANGUAGES:
        base = family.names[language]
        word = EDITION_WORD[language]
        parts = [base, modifier, "" if base.lower().endswith(word.lower()) else word, str(number)]
        name = " ".join(p for p in parts if p)[:200]
        slug = slugify(f"{family.brand} {name}")[:212]
        if (language, slug) in reference.taken_slugs:
            slug += "-gen"
        translations.append({
            "product_id": product_id, "language": language, "name": name, "slug": slug,
            "description": PRODUCT_TEXTS[language][template].format(
                brand=family.brand, name=name, count=len(picked),
                category=category_names.get(language, category_fallback))})


def _vary_specs(specs: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    varied = dict(specs)
    for key in ("battery_mah", "weight_g", "power_w"):
        value = varied.get(key)
        if isinstance(value, str) and value.isdigit():
            varied[key] = str(max(1, int(value) * rng.randint(900, 1120) // 1000))
    return varied


def _generate_listings(session: Session, reference: Reference, count: int, *, seed: int, now: datetime,
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


_ChunkProduct = tuple[str, int, int | None, list[tuple[int, dict[str, int]]]]   # key, category, year, variants


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


TOUCHED_TABLES = (Seller.__table__, SellerTranslation.__table__, seller_market, Product.__table__,
                  ProductTranslation.__table__, Variant.__table__, VariantNewPrice.__table__,
                  Listing.__table__, ListingPrice.__table__)


def _analyze(session: Session, progress: Progress) -> None:
    """Refresh the planner's statistics: the tables just grew a hundredfold."""
    if session.get_bind().dialect.name == "sqlite":
        with progress("analyze", 1, "db") as bar:
            session.execute(text("ANALYZE"))
            bar.update(1)
        return
    with progress("analyze", len(TOUCHED_TABLES), "tables") as bar:
        for table in TOUCHED_TABLES:
            session.execute(text(f"ANALYZE {table.name}"))
            bar.update(1)


def _tqdm_progress(description: str, total: int, unit: str) -> AbstractContextManager[ProgressBar]:
    return tqdm(total=total, desc=f"{description:>9}", unit=f" {unit}", unit_scale=total >= 1000,
                file=sys.stderr, dynamic_ncols=True, mininterval=0.5)


@click.command("generate")
@click.option("--products", default=Target.products, show_default=True, type=click.IntRange(min=0),
              help="Generated products the catalog should hold.")
@click.option("--listings", default=Target.listings, show_default=True, type=click.IntRange(min=0),
              help="Generated listings the catalog should hold (about five per product).")
@click.option("--sellers", default=Target.sellers, show_default=True, type=click.IntRange(min=0),
              help="Generated sellers the catalog should hold.")
@click.option("--seed", default=DEFAULT_SEED, show_default=True, type=int,
              help="Same seed and same starting database: same catalog.")
@with_appcontext
def generate_command(products: int, listings: int, sellers: int, seed: int) -> None:
    """Fill the schema with a synthetic benchmark catalog, or top it up to the size asked."""
    started = time.perf_counter()
    target = Target(products=products, listings=listings, sellers=sellers)
    with db.engine.connect() as connection, bulk_write_settings(connection):
        session = Session(bind=connection)
        try:
            report = generate_catalog(session, target, seed=seed, progress=_tqdm_progress,
                                      checkpoint=session.commit)
            session.commit()
        except ValueError as exc:
            session.rollback()
            raise click.UsageError(str(exc)) from exc
        finally:
            session.close()
    elapsed = time.perf_counter() - started
    if report.nothing_to_do:
        click.echo(f"Benchmark catalog already at the size asked: {report.products_total} generated products, "
                   f"{report.sellers_total} sellers, {report.listings_total} listings "
                   f"(asked for {products}, {sellers}, {listings}); nothing added.")
        return
    for note in report.notes:
        click.echo(f"  note: {note}")
    click.echo(f"Benchmark catalog: added {report.summary()} in {elapsed:.1f} s")
