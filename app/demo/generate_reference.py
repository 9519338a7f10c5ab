"""What the benchmark generator builds on: the demo catalog's categories, colours, brands and
device families (or a minimal set of its own on an empty database), read once into plain data."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.models import (
    Brand,
    Category,
    CategoryTranslation,
    Color,
    ColorTranslation,
    Product,
    ProductTranslation,
    Variant,
    VariantNewPrice,
)
from app.i18n import FALLBACK_LANGUAGE, LANGUAGES
from app.offers.models import GradeDescription
from app.sites.models import Market

from .generate_data import (
    CURRENCIES,
    MINIMAL_CATEGORIES,
    MINIMAL_COLORS,
    MINIMAL_FAMILIES,
    PREFIX,
    REGIONS,
)
from .loader import BATTERY_ILLUSTRATIONS, slugify


@dataclass(frozen=True)
class Config:
    code: str
    options: dict[str, Any]              # storage_gb, ram_gb, connectivity, size (absent: NULL)
    prices: dict[str, int]               # launch price per currency, minor units


@dataclass(frozen=True)
class Family:
    """A real product that generated products are variations of."""
    key: str
    brand_id: int
    brand: str
    category_id: int
    year: int | None
    specs: dict[str, Any]
    names: dict[str, str]
    configs: tuple[Config, ...]
    color_ids: tuple[int, ...]


@dataclass
class Reference:
    """What generated rows point at: markets, families, colours, category texts, battery rules."""
    markets: list[tuple[int, str, str]]                     # id, code, currency
    families: list[Family]
    color_codes: dict[int, str]
    brand_colors: dict[int, list[int]]
    category_keys: dict[int, str]
    category_names: dict[int, dict[str, str]]
    category_battery: dict[int, bool]
    min_battery: dict[tuple[int | None, str], int | None]
    taken_slugs: set[tuple[str, str]]                       # (language, slug) of non-generated products


def load_reference(session: Session) -> Reference:
    families = load_families(session)
    if not families:
        families = ensure_minimal_reference(session)
    markets = [(m.id, m.code, m.currency) for m in session.execute(
        select(Market.id, Market.code, Market.currency).order_by(Market.position, Market.id))
        if m.code in REGIONS and m.currency in CURRENCIES]
    color_codes = dict(session.execute(select(Color.id, Color.code).order_by(Color.id)).all())
    brand_colors: dict[int, set[int]] = defaultdict(set)
    for family in families:
        brand_colors[family.brand_id].update(family.color_ids)
    categories = session.execute(select(Category.id, Category.key, Category.illustration)).all()
    category_names: dict[int, dict[str, str]] = defaultdict(dict)
    for row in session.execute(select(CategoryTranslation.category_id, CategoryTranslation.language,
                                      CategoryTranslation.name)):
        category_names[row.category_id][row.language] = row.name
    taken = {(row.language, row.slug) for row in session.execute(
        select(ProductTranslation.language, ProductTranslation.slug).join(Product)
        .where(~Product.key.like(f"{PREFIX}%")))}
    min_battery = {(g.category_id, g.grade): g.min_battery_health for g in session.execute(
        select(GradeDescription.category_id, GradeDescription.grade, GradeDescription.min_battery_health))}
    return Reference(
        markets=markets, families=families, color_codes=color_codes,
        brand_colors={brand: sorted(ids) for brand, ids in brand_colors.items()},
        category_keys={c.id: c.key for c in categories},
        category_names={c.id: category_names.get(c.id, {}) for c in categories},
        category_battery={c.id: c.illustration in BATTERY_ILLUSTRATIONS for c in categories},
        min_battery=min_battery, taken_slugs=taken)


def config_code(options: dict[str, Any]) -> str:
    parts = []
    for key, suffix in (("size", ""), ("ram_gb", "ram"), ("storage_gb", "gb"), ("connectivity", "")):
        if options.get(key) is not None:
            parts.append(f"{options[key]}{suffix}")
    return "-".join(parts) or "std"


def load_families(session: Session) -> list[Family]:
    """The demo (non-generated) products, with their configurations and colours, as templates."""
    real = ~Product.key.like(f"{PREFIX}%")
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for row in session.execute(select(ProductTranslation.product_id, ProductTranslation.language,
                                      ProductTranslation.name).join(Product).where(real)):
        names[row.product_id][row.language] = row.name
    prices: dict[int, dict[str, int]] = defaultdict(dict)
    for row in session.execute(select(VariantNewPrice.variant_id, VariantNewPrice.currency, VariantNewPrice.amount)
                               .join(Variant).join(Product).where(real)):
        prices[row.variant_id][row.currency] = row.amount
    configs: dict[int, dict[str, Config]] = defaultdict(dict)
    colors: dict[int, list[int]] = defaultdict(list)
    option_keys = ("storage_gb", "ram_gb", "connectivity", "size")
    option_columns = [getattr(Variant, key) for key in option_keys]
    for variant in session.execute(
            select(Variant.id, Variant.product_id, Variant.color_id, *option_columns)
            .join(Product).where(real).order_by(Variant.product_id, Variant.position, Variant.id)):
        options = {key: getattr(variant, key) for key in option_keys if getattr(variant, key) is not None}
        code = config_code(options)
        variant_prices = prices.get(variant.id, {})
        if code not in configs[variant.product_id] and all(c in variant_prices for c in CURRENCIES):
            configs[variant.product_id][code] = Config(code, options, {c: variant_prices[c] for c in CURRENCIES})
        if variant.color_id is not None and variant.color_id not in colors[variant.product_id]:
            colors[variant.product_id].append(variant.color_id)
    families = []
    for p in session.execute(select(Product.id, Product.key, Product.brand_id, Brand.name, Product.category_id,
                                    Product.release_year, Product.specs).join(Brand).where(real)
                             .order_by(Product.id)):
        texts = names.get(p.id)
        if not texts or not configs.get(p.id):
            continue
        fallback = texts.get(FALLBACK_LANGUAGE) or next(iter(texts.values()))
        families.append(Family(
            key=p.key, brand_id=p.brand_id, brand=p.name, category_id=p.category_id, year=p.release_year,
            specs=dict(p.specs or {}), names={lang: texts.get(lang, fallback) for lang in LANGUAGES},
            configs=tuple(configs[p.id].values()), color_ids=tuple(colors.get(p.id, ()))))
    return families


def ensure_minimal_reference(session: Session) -> list[Family]:
    """Create the few categories, colours and brands the built-in families need, where missing."""
    categories = {c.key: c for c in session.scalars(select(Category))}
    taken = {(t.language, t.slug) for t in session.scalars(select(CategoryTranslation))}
    for position, (key, parent, illustration, names) in enumerate(MINIMAL_CATEGORIES):
        if key in categories:
            continue
        category = Category(key=key, parent=categories.get(parent) if parent else None, position=position,
                            illustration=illustration)
        for language, name in zip(LANGUAGES, names, strict=True):
            slug = slugify(name)
            while (language, slug) in taken:
                slug += "-1"
            taken.add((language, slug))
            category.translations.append(CategoryTranslation(language=language, name=name, slug=slug))
        session.add(category)
        categories[key] = category
    colors = {c.code: c for c in session.scalars(select(Color))}
    if not colors:
        for code, (hex_value, names) in MINIMAL_COLORS.items():
            colors[code] = Color(code=code, hex=hex_value, translations=[
                ColorTranslation(language=language, name=name) for language, name in zip(LANGUAGES, names,
                                                                                          strict=True)])
            session.add(colors[code])
    brands = {b.name: b for b in session.scalars(select(Brand))}
    for brand_name, *_ in MINIMAL_FAMILIES:
        if brand_name not in brands:
            brands[brand_name] = Brand(name=brand_name, slug=slugify(brand_name))
            session.add(brands[brand_name])
    session.flush()
    fallback_colors = tuple(sorted(c.id for c in colors.values()))[:3]
    families = []
    for brand_name, model, category_key, year, specs, color_codes, configs in MINIMAL_FAMILIES:
        color_ids = tuple(colors[code].id for code in color_codes if code in colors) or fallback_colors
        families.append(Family(
            key=slugify(f"{brand_name} {model}"), brand_id=brands[brand_name].id, brand=brand_name,
            category_id=categories[category_key].id, year=year, specs=specs,
            names={lang: model for lang in LANGUAGES},
            configs=tuple(Config(config_code(options), options, dict(zip(CURRENCIES, amounts, strict=True)))
                          for options, *amounts in configs),
            color_ids=color_ids))
    return families
