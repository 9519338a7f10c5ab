"""`flask demo load`: the real-device demo catalog, deterministic and idempotent.

Catalog rows are matched on their stable keys and updated in place; listings are created only
where missing, so running the loader again never resets stock or prices a shop has changed.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import exists, insert, literal, select, text, update
from sqlalchemy.orm import Session

from app.catalog.images import add_illustration
from app.catalog.models import (
    Brand,
    Category,
    CategoryTranslation,
    Color,
    ColorTranslation,
    NewPriceSource,
    Product,
    ProductTranslation,
    Variant,
    VariantNewPrice,
)
from app.i18n import LANGUAGES
from app.models_base import utcnow
from app.offers.history import open_missing_periods
from app.offers.models import (
    GradeDescription,
    GradeDescriptionTranslation,
    Listing,
    ListingPrice,
    ListingPricePeriod,
    VatScheme,
)
from app.sellers.models import Seller, SellerStatus, SellerTranslation
from app.sites.models import Market
from app.sites.services import sync_markets

from .pricing import refurbished_price, seller_jitter

DATA = Path(__file__).parent / "data"
GRADES = ("fair", "good", "excellent", "premium")
# Categories whose devices run on a battery whose health a grade guarantees.
BATTERY_ILLUSTRATIONS = {"phone", "tablet", "watch", "laptop", "headphones", "camera", "vacuum", "console"}
SEED = 20261123


@dataclass
class LoadReport:
    markets: int = 0
    categories: int = 0
    products: int = 0
    variants: int = 0
    images: int = 0
    sellers: int = 0
    listings_created: int = 0
    prices_created: int = 0
    listings_total: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.markets} markets, {self.categories} categories, {self.products} products, "
                f"{self.variants} variants, {self.images} pictures, {self.sellers} sellers, "
                f"{self.listings_created} new listings ({self.listings_total} in all), "
                f"{self.prices_created} new prices")


def read_json(pattern: str) -> list[Any]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(DATA.glob(pattern))]


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def stable_rng(*parts: object) -> random.Random:
    """A generator seeded from names, not from run order: adding a product changes nothing else."""
    digest = hashlib.sha256("|".join(map(str, (SEED, *parts))).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def load_demo(session: Session, *, progress: Callable[[str], None] = lambda message: None,
              today: date | None = None) -> LoadReport:
    """Load (or bring up to date) the whole demo catalog. Flushes; the caller commits."""
    report = LoadReport()
    report.markets, _ = sync_markets(session)
    markets = {m.code: m for m in session.scalars(select(Market))}
    progress("markets")
    categories = _load_categories(session, report)
    progress("categories")
    colors = _load_colors(session)
    products = _load_products(session, categories, colors, report)
    progress("products")
    _load_grades(session, categories)
    sellers = _load_sellers(session, markets, report)
    progress("sellers")
    _load_listings(session, products, sellers, markets, report, today or date(2026, 11, 1))
    _seed_price_history(session)
    _refresh_planner_statistics(session)
    progress("listings")
    from app.tradein.demo import load_demo_bids
    load_demo_bids(session)
    progress("trade-in bids")
    from app.content.demo import load_demo_content
    load_demo_content(session)
    progress("content")
    from app.reviews.demo import load_demo_reviews
    from app.reviews.rules import policy
    load_demo_reviews(session, policy())
    progress("reviews")
    return report


def _refresh_planner_statistics(session: Session) -> None:
    """On PostgreSQL, ANALYZE the tables just filled: until autovacuum sees them (never, inside a test's open
    transaction) the planner takes them for empty and joins the catalog by nested loops that run for minutes.
    ANALYZE counts the rows the current transaction inserted, so it works before the commit too."""
    if session.get_bind().dialect.name == "postgresql":
        for table in ("listing", "listing_price", "variant", "product", "seller", "product_translation"):
            session.execute(text(f"ANALYZE {table}"))  # nosec B608: fixed table names


def _seed_price_history(session: Session) -> None:
    """Prices inserted in bulk get a history: on sale for 45 days, and one price in eleven cut six
    days ago from 15 % higher, so the product pages show what an Omnibus-compliant reduction looks like.
    Only prices with no history yet are touched, so loading again changes nothing."""
    now = utcnow()
    fresh = list(session.scalars(select(ListingPrice.id).where(
        ~exists().where(ListingPricePeriod.listing_price_id == ListingPrice.id))))
    open_missing_periods(session, started_at=now - timedelta(days=45))
    cut = [price_id for price_id in fresh if price_id % 11 == 0]
    for start in range(0, len(cut), 500):
        chunk = cut[start:start + 500]
        session.execute(insert(ListingPricePeriod).from_select(
            ["listing_price_id", "amount", "started_at", "ended_at"],
            select(ListingPrice.id, ListingPrice.amount * 115 // 10000 * 100,
                   literal(now - timedelta(days=45), ListingPricePeriod.started_at.type),
                   literal(now - timedelta(days=6), ListingPricePeriod.ended_at.type))
            .where(ListingPrice.id.in_(chunk))))
        session.execute(update(ListingPricePeriod)
                        .where(ListingPricePeriod.listing_price_id.in_(chunk), ListingPricePeriod.ended_at.is_(None))
                        .values(started_at=now - timedelta(days=6)))


def _upsert_translations(owner, rows: list, factory, values_by_language: dict[str, dict[str, Any]]) -> None:
    existing = {row.language: row for row in rows}
    for language in LANGUAGES:
        values = values_by_language.get(language)
        if values is None:
            continue
        row = existing.get(language)
        if row is None:
            rows.append(factory(language=language, **values))
        else:
            for key, value in values.items():
                setattr(row, key, value)


def _load_categories(session: Session, report: LoadReport) -> dict[str, Category]:
    by_key = {c.key: c for c in session.scalars(select(Category))}
    for spec in read_json("categories.json")[0]:
        category = by_key.get(spec["key"]) or Category(key=spec["key"])
        category.parent = by_key[spec["parent"]] if spec.get("parent") else None
        category.position = spec.get("position", 0)
        category.illustration = spec["illustration"]
        _upsert_translations(category, category.translations, CategoryTranslation, {
            lang: {"name": spec["names"][lang], "slug": spec["slugs"][lang],
                   "description": spec.get("descriptions", {}).get(lang)} for lang in LANGUAGES})
        session.add(category)
        by_key[spec["key"]] = category
    session.flush()
    report.categories = len(by_key)
    return by_key


def _load_colors(session: Session) -> dict[str, Color]:
    merged: dict[str, dict] = {}
    for colors in read_json("colors_*.json"):
        for code, spec in colors.items():
            if code in merged and merged[code] != spec:
                raise ValueError(f"colour {code!r} is defined twice with different values")
            merged[code] = spec
    by_code = {c.code: c for c in session.scalars(select(Color))}
    for code, spec in merged.items():
        color = by_code.get(code) or Color(code=code)
        color.hex = spec["hex"].lower()
        _upsert_translations(color, color.translations, ColorTranslation,
                             {lang: {"name": spec["names"][lang]} for lang in LANGUAGES})
        session.add(color)
        by_code[code] = color
    session.flush()
    return by_code


def _config_code(config: dict) -> str:
    parts = []
    for key in ("size", "ram_gb", "storage_gb", "connectivity"):
        if config.get(key) is not None:
            value = config[key]
            parts.append(f"{value}{'ram' if key == 'ram_gb' else 'gb' if key == 'storage_gb' else ''}")
    return "-".join(str(p) for p in parts) or "std"


def _load_products(session: Session, categories: dict[str, Category], colors: dict[str, Color],
                   report: LoadReport) -> list[Product]:
    brands = {b.name: b for b in session.scalars(select(Brand))}
    by_key = {p.key: p for p in session.scalars(select(Product))}
    taken_slugs = {(t.language, t.slug): t.product_id for t in session.scalars(select(ProductTranslation))}
    loaded: list[Product] = []
    specs = [spec for batch in read_json("products_*.json") for spec in batch]
    for spec in specs:
        brand = brands.get(spec["brand"])
        if brand is None:
            brand = brands[spec["brand"]] = Brand(name=spec["brand"], slug=slugify(spec["brand"]))
            session.add(brand)
        product = by_key.get(spec["key"]) or Product(key=spec["key"])
        product.brand = brand
        product.category = categories[spec["category"]]
        product.release_year = spec.get("year")
        product.specs = spec.get("specs", {})
        session.add(product)
        session.flush()
        texts = {}
        for lang in LANGUAGES:
            name = spec["names"][lang]
            slug = slugify(f"{brand.name} {name}")
            owner = taken_slugs.get((lang, slug))
            if owner is not None and owner != product.id:
                slug = f"{slug}-{spec.get('year', product.id)}"
            taken_slugs[(lang, slug)] = product.id
            texts[lang] = {"name": name, "slug": slug, "description": spec["descriptions"][lang]}
        _upsert_translations(product, product.translations, ProductTranslation, texts)
        _load_variants(session, product, spec, colors, report)
        report.images += _illustrate(session, product, spec, colors)
        loaded.append(product)
    session.flush()
    report.products = len(loaded)
    return loaded


def _load_variants(session: Session, product: Product, spec: dict, colors: dict[str, Color],
                   report: LoadReport) -> None:
    existing = {v.sku: v for v in product.variants}
    color_codes = spec.get("colors") or [None]
    position = 0
    for config in spec["configs"]:
        for code in color_codes:
            sku = f"{product.key}-{_config_code(config)}" + (f"-{code}" if code else "")
            variant = existing.get(sku)
            if variant is None:
                variant = Variant(sku=sku)
                product.variants.append(variant)
            variant.color = colors[code] if code else None
            variant.storage_gb = config.get("storage_gb")
            variant.ram_gb = config.get("ram_gb")
            variant.connectivity = config.get("connectivity")
            variant.size = config.get("size")
            variant.position = position
            prices = {p.currency: p for p in variant.new_prices}
            source = spec.get("new_price_source", NewPriceSource.LAUNCH)
            for currency, amount in config["new_price"].items():
                if currency in prices:
                    prices[currency].amount = int(amount)
                    prices[currency].source = source
                else:
                    variant.new_prices.append(VariantNewPrice(currency=currency, amount=int(amount), source=source))
            position += 1
            report.variants += 1


def _illustrate(session: Session, product: Product, spec: dict, colors: dict[str, Color]) -> int:
    count = 0
    for code in spec.get("colors") or [None]:
        add_illustration(session, product, color=colors[code] if code else None, position=0)
        count += 1
    return count


def _load_grades(session: Session, categories: dict[str, Category]) -> None:
    existing = {(g.category_id, g.grade): g for g in session.scalars(select(GradeDescription))}
    for key, grades in read_json("grades.json")[0].items():
        category = None if key == "default" else categories[key]
        for grade, spec in grades.items():
            row = existing.get((category.id if category else None, grade))
            if row is None:
                row = GradeDescription(category_id=category.id if category else None, grade=grade)
                session.add(row)
            row.min_battery_health = spec.get("min_battery_health")
            _upsert_translations(row, row.translations, GradeDescriptionTranslation, {
                lang: {field: spec[field][lang] for field in ("summary", "screen", "body", "functions", "battery")
                       if spec.get(field)} for lang in LANGUAGES})
    session.flush()


DEMO_LEGAL_FORMS = {"FR": "SAS", "BE": "SRL", "DE": "GmbH", "ES": "S.L.", "IT": "S.r.l.", "GB": "Ltd", "US": "LLC"}
DEMO_STREETS = {"FR": "{n} rue de l'Atelier", "BE": "Rue de l'Atelier {n}", "DE": "Werkstattstraße {n}",
                "ES": "Calle del Taller {n}", "IT": "Via dell'Officina {n}", "GB": "{n} Workshop Lane",
                "US": "{n}0 Workshop Street"}
DEMO_POSTCODES = {"Brussels": "1000", "Ghent": "9000", "Liège": "4000", "Berlin": "10115", "Hamburg": "20095",
                  "Leipzig": "04109", "Munich": "80331", "Barcelona": "08001", "Madrid": "28013",
                  "Valencia": "46001", "Bordeaux": "33000", "Lille": "59000", "Lyon": "69002", "Nantes": "44000",
                  "Birmingham": "B1 1AA", "Bristol": "BS1 4DJ", "Glasgow": "G1 1XQ", "London": "EC1V 9HX",
                  "Manchester": "M1 1AE", "Milan": "20121", "Naples": "80133", "Turin": "10121",
                  "Austin": "78701", "New York": "10001", "Oakland": "94607", "Pittsburgh": "15222",
                  "Seattle": "98101"}


def demo_legal_identity(spec: dict) -> dict:
    """A made-up but well-formed registered identity for a demo workshop: derived from its key, so every
    load gives the same one (VAT numbers have their country's shape, not a registered number)."""
    digits = "".join(str(int(c, 16) % 10) for c in hashlib.sha256(spec["key"].encode()).hexdigest())
    country = spec["country"]
    vat_number = {"FR": f"FR{digits[:11]}", "BE": f"BE0{digits[:9]}", "DE": f"DE{digits[:9]}",
                  "ES": f"ESB{digits[:8]}", "IT": f"IT{digits[:11]}", "GB": f"GB{digits[:9]}",
                  "US": f"{digits[:2]}-{digits[2:9]}"}[country]
    return {"legal_name": f"{spec['name']} {DEMO_LEGAL_FORMS[country]}",
            "street": DEMO_STREETS[country].format(n=int(digits[9:11]) + 1),
            "postcode": DEMO_POSTCODES.get(spec["city"]), "vat_number": vat_number}


def _load_sellers(session: Session, markets: dict[str, Market], report: LoadReport) -> list[tuple[Seller, dict]]:
    by_slug = {s.slug: s for s in session.scalars(select(Seller))}
    loaded = []
    for spec in read_json("sellers.json")[0]:
        seller = by_slug.get(spec["key"])
        if seller is None:
            # New demo sellers start approved; a seller the platform later suspended stays suspended.
            seller = Seller(slug=spec["key"], status=SellerStatus.APPROVED)
            session.add(seller)
        seller.name = spec["name"]
        seller.country_code = spec["country"]
        seller.city = spec["city"]
        seller.founded_year = spec.get("founded")
        seller.rating_tenths = spec.get("rating")
        seller.dispatch_days = spec.get("dispatch_days", 1)
        if seller.legal_name is None:          # a demo seller's own edits in its back office are kept
            for name, value in demo_legal_identity(spec).items():
                setattr(seller, name, value)
        seller.markets = [markets[code] for code in spec["ships_to"]]
        _upsert_translations(seller, seller.translations, SellerTranslation,
                             {lang: {"description": spec["descriptions"][lang]} for lang in LANGUAGES})
        loaded.append((seller, spec))
    session.flush()
    report.sellers = len(loaded)
    return loaded


def _load_listings(session: Session, products: list[Product], sellers: list[tuple[Seller, dict]],
                   markets: dict[str, Market], report: LoadReport, today: date) -> None:
    """Each workshop stocks part of the models of the categories it refurbishes, in several grades."""
    min_battery = {(g.category_id, g.grade): g.min_battery_health
                   for g in session.scalars(select(GradeDescription))}
    existing = {(l.seller_id, l.variant_id, l.grade, l.has_new_battery)
                for l in session.execute(select(Listing.seller_id, Listing.variant_id, Listing.grade,
                                                Listing.has_new_battery))}
    listing_rows: list[dict] = []
    pending_prices: list[list[dict]] = []
    for product in products:
        category = product.category
        leaf_key = category.key
        has_battery = category.illustration in BATTERY_ILLUSTRATIONS
        age = max(today.year - (product.release_year or today.year), 0)
        stockists = [s for s, spec in sellers if leaf_key in spec.get("specialties", [])]
        for seller in stockists:
            rng = stable_rng("listing", seller.slug, product.key)
            if rng.random() > 0.7:        # a workshop does not stock every model it could
                continue
            jitter = seller_jitter(rng)
            variants = [v for v in product.variants if rng.random() < 0.55] or product.variants[:1]
            for variant in variants:
                for grade in GRADES:
                    if rng.random() > (0.35 if grade == "premium" else 0.6):
                        continue
                    battery_options = [False]
                    if has_battery and grade in ("good", "excellent") and rng.random() < 0.2:
                        battery_options.append(True)
                    for new_battery in battery_options:
                        # Draw every random value before deciding to skip, so that a listing that
                        # already exists leaves the sequence, and so every later listing, unchanged.
                        quantity = 0 if rng.random() < 0.08 else rng.randint(1, 14)
                        warranty = rng.choice((12, 12, 12, 18, 24))
                        vat_scheme = VatScheme.STANDARD if rng.random() < 0.25 else VatScheme.MARGIN
                        key = (seller.id, variant.id, grade, new_battery)
                        if key in existing:
                            continue
                        existing.add(key)
                        battery = (100 if new_battery else
                                   min_battery.get((category.id, grade), min_battery.get((None, grade))))
                        listing_rows.append({
                            "seller_id": seller.id, "variant_id": variant.id, "grade": grade,
                            "quantity": quantity, "warranty_months": warranty,
                            "has_new_battery": new_battery,
                            "battery_health_min": battery if has_battery else None,
                            "vat_scheme": vat_scheme, "is_active": True,
                        })
                        pending_prices.append([
                            {"market_id": market.id, "currency": market.currency,
                             "amount": refurbished_price(variant.new_price(market.currency), grade=grade,
                                                         age_years=age, market_code=market.code,
                                                         seller_jitter_permille=jitter,
                                                         new_battery=new_battery)}
                            for market in seller.markets if variant.new_price(market.currency)])
    if listing_rows:
        ids = list(session.scalars(insert(Listing).returning(Listing.id, sort_by_parameter_order=True),
                                   listing_rows))
        price_rows = [dict(row, listing_id=listing_id)
                      for listing_id, rows in zip(ids, pending_prices, strict=True) for row in rows]
        for start in range(0, len(price_rows), 5000):
            session.execute(insert(ListingPrice), price_rows[start:start + 5000])
        report.prices_created = len(price_rows)
    report.listings_created = len(listing_rows)
    report.listings_total = len(existing)
    session.flush()
