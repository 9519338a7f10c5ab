"""A small shop for the search tests: real categories (their synonyms apply), real-looking models,
listings in France, Germany and the UK. Everything is committed, so the index is built the way the
shop builds it: by the session's commit hook."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.demo.loader import load_demo
from app.extensions import db
from app.i18n import LANGUAGES
from app.search import index
from app.search.tracking import paused
from tests import conftest as base
from tests.builders import make_category, make_color, make_listing, make_markets, make_product, make_seller

CATEGORY_NAMES = {
    "smartphones": {"en": "Smartphones", "fr": "Smartphones", "de": "Smartphones", "es": "Smartphones",
                    "it": "Smartphone"},
    "laptops": {"en": "Laptops", "fr": "Ordinateurs portables", "de": "Laptops", "es": "Portátiles",
                "it": "Portatili"},
    "tvs": {"en": "TVs", "fr": "Téléviseurs", "de": "Fernseher", "es": "Televisores", "it": "Televisori"},
    "consoles": {"en": "Consoles", "fr": "Consoles", "de": "Konsolen", "es": "Consolas", "it": "Console"},
}


def same(name: str) -> dict[str, str]:
    return {language: name for language in LANGUAGES}


@dataclass
class Shop:
    ids: dict[str, int]
    categories: dict[str, object]
    sellers: dict[str, object]

    def __getitem__(self, key: str) -> int:
        return self.ids[key]


def build_shop(session) -> Shop:
    make_markets(session)
    categories = {key: make_category(session, key=key, names=names) for key, names in CATEGORY_NAMES.items()}
    black = make_color(session, code="black", hex="#1c1c1e", names={"en": "Black", "fr": "Noir", "de": "Schwarz"})
    blue = make_color(session, code="blue", hex="#2f5d8a", names={"en": "Blue", "fr": "Bleu", "de": "Blau"})
    sellers = {"main": make_seller(session, name="Main", ships_to=("FR", "DE", "GB")),
               "other": make_seller(session, name="Other", ships_to=("FR", "DE"))}
    specs = [
        # key, brand, name, category, year, storages, colours, grades with FR prices
        ("iphone-13", "Apple", "iPhone 13", "smartphones", 2021, (128, 256), (black, blue),
         {"good": 45000, "excellent": 52000}),
        ("iphone-13-pro", "Apple", "iPhone 13 Pro", "smartphones", 2021, (256,), (black,), {"premium": 70000}),
        ("iphone-12", "Apple", "iPhone 12", "smartphones", 2020, (64,), (blue,), {"fair": 30000}),
        ("galaxy-s22", "Samsung", "Galaxy S22", "smartphones", 2022, (128,), (black,), {"good": 40000}),
        ("galaxy-s22-ultra", "Samsung", "Galaxy S22 Ultra", "smartphones", 2022, (256, 512), (black,),
         {"excellent": 65000, "good": 60000}),
        ("macbook-air", "Apple", 'MacBook Air 13" (M1, 2020)', "laptops", 2020, (256,), (black,),
         {"good": 75000}),
        ("xps-13", "Dell", "XPS 13 (9310)", "laptops", 2020, (512,), (black,), {"excellent": 80000}),
        ("bravia", "Sony", "BRAVIA XR A80J", "tvs", 2021, (None,), (black,), {"good": 110000}),
        ("ps5", "Sony", "PlayStation 5", "consoles", 2020, (825,), (None,), {"good": 38000}),
    ]
    ids = {}
    for key, brand, name, category, year, storages, colors, prices in specs:
        product = make_product(session, key=key, brand=brand, names=same(name), category=categories[category],
                               year=year, storages=storages, colors=[c for c in colors if c] or None)
        ids[key] = product.id
        for position, (grade, amount) in enumerate(prices.items()):
            variant = product.variants[position % len(product.variants)]
            make_listing(session, variant=variant, seller=sellers["main"], grade=grade,
                         prices={"FR": amount, "DE": amount + 1000, "GB": amount - 5000})
    # A second offer of the iPhone 13, from another seller, cheaper, with a new battery.
    make_listing(session, variant=session.get(type(product), ids["iphone-13"]).variants[-1],
                 seller=sellers["other"], grade="good", has_new_battery=True, prices={"FR": 43000, "DE": 44000})
    session.commit()
    return Shop(ids, categories, sellers)


@pytest.fixture
def shop(session) -> Shop:
    return build_shop(session)


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The demo catalog, loaded and indexed as `flask demo load` does, once for the module."""
    from app import create_app
    folder = tmp_path_factory.mktemp("relevance")
    config = base.test_config(folder)
    if config["SQLALCHEMY_DATABASE_URI"] == "sqlite://":
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{folder / 'demo.db'}"
    app = create_app(config)
    with app.app_context():
        db.create_all()
        base.empty_database()
    with app.test_request_context():
        with paused(db.session):
            load_demo(db.session)
            index.rebuild(db.session)
            db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        base.empty_database()
        db.engine.dispose()
