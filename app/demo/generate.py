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
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select, text
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
from app.offers.models import Listing, ListingPrice
from app.search.cli import rebuild_with_progress
from app.search.tracking import paused
from app.sellers.models import Seller, SellerTranslation, seller_market
from app.sites.services import sync_markets

from .bulk import assign_ids, bulk_write_settings, insert_rows
from .generate_common import (
    PRODUCTS_PER_CHUNK,
    REFERENCE_YEAR,
    GenerateReport,
    Progress,
    ProgressBar,
    count,
    next_number,
    no_progress,
)
from .generate_data import (
    EDITION_WORD,
    MODIFIERS,
    PREFIX,
    PRODUCT_TEXTS,
)
from .generate_offers import (
    count_generated_listings,
    generate_listings,
    generate_sellers,
)
from .generate_reference import Reference, load_reference
from .loader import slugify

DEFAULT_SEED = 2026


@dataclass(frozen=True)
class Target:
    """How many ``gen-`` rows the catalog should hold once the run is over."""
    products: int = 200_000
    listings: int = 1_000_000
    sellers: int = 2_000


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

    have_products = count(session, select(func.count()).where(Product.key.like(f"{PREFIX}%")))
    have_sellers = count(session, select(func.count()).where(Seller.slug.like(f"{PREFIX}%")))
    have_listings = count_generated_listings(session)
    new_products = max(target.products - have_products, 0)
    new_sellers = max(target.sellers - have_sellers, 0)
    new_listings = max(target.listings - have_listings, 0)
    if new_listings and have_products + new_products == 0:
        raise ValueError("listings need generated products: ask for at least one product")
    if new_listings and have_sellers + new_sellers == 0:
        raise ValueError("listings need generated sellers: ask for at least one seller")

    now = datetime.now(UTC)
    if new_sellers:
        generate_sellers(session, reference, new_sellers, seed=seed, now=now, report=report,
                          progress=progress, checkpoint=checkpoint)
    if new_products:
        _generate_products(session, reference, new_products, seed=seed, now=now, report=report,
                           progress=progress, checkpoint=checkpoint)
    if new_listings:
        generate_listings(session, reference, new_listings, seed=seed, now=now, round_key=have_listings,
                           report=report, progress=progress, checkpoint=checkpoint)
    if not report.nothing_to_do:
        _analyze(session, progress)
        checkpoint()
    report.products_total = have_products + report.products
    report.sellers_total = have_sellers + report.sellers
    report.listings_total = have_listings + report.listings
    return report


def _generate_products(session: Session, reference: Reference, count: int, *, seed: int, now: datetime,
                       report: GenerateReport, progress: Progress, checkpoint: Callable[[], None]) -> None:
    first_number = next_number(session, Product.key)
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
                           "source": "estimate"})

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
            # Row-by-row index upkeep would redo the work of the rebuild below many times over.
            with paused(session):
                report = generate_catalog(session, target, seed=seed, progress=_tqdm_progress,
                                          checkpoint=session.commit)
                session.commit()
                if not report.nothing_to_do:
                    click.echo("Rebuilding the search index …", err=True)
                    rebuild_with_progress(session)
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
