"""Upgrades: a database of the oldest supported schema (migration 0001, the first release's), with a catalog
in it, is upgraded to the head as an operator would (`flask db upgrade`, `sites sync`, `search reindex`), and
the shop serves what was there: readiness, the home page, the product page with its price, search."""
from __future__ import annotations

from datetime import UTC, datetime

from flask_migrate import upgrade
from sqlalchemy import MetaData

from app import create_app
from app.extensions import db
from tests.conftest import test_config

OLDEST_SUPPORTED = "0001"


def test_the_oldest_supported_database_upgrades_to_head_and_the_shop_serves_its_catalog(empty_database_url,
                                                                                        tmp_path):
    app = create_app(test_config(tmp_path, SQLALCHEMY_DATABASE_URI=empty_database_url, PAGE_CACHE_SECONDS=0))
    now = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    with app.app_context():
        # given a shop at the oldest supported schema, with the rows it could hold then
        upgrade(revision=OLDEST_SUPPORTED)
        old = MetaData()
        old.reflect(db.engine)
        with db.engine.begin() as connection:
            def insert(table: str, **values) -> int:
                return connection.execute(old.tables[table].insert().values(**values)).inserted_primary_key[0]

            fr = insert("market", code="FR", currency="EUR", prices_include_tax=True, standard_vat_rate_bp=2000,
                        legal_guarantee_months=24, min_warranty_months=12, transit_days_min=1, transit_days_max=3,
                        timezone="Europe/Paris", position=0, is_active=True)
            insert("edition", code="fr-fr", market_id=fr, language="fr", is_market_default=True,
                   is_language_default=True, position=0, is_active=True)
            brand = insert("brand", name="Apple", slug="apple")
            category = insert("category", key="smartphones", position=0, illustration="phone", is_active=True)
            insert("category_translation", category_id=category, language="fr", name="Smartphones",
                   slug="smartphones")
            product = insert("product", key="iphone-12", category_id=category, brand_id=brand,
                             specs={"screen_in": "6.1"}, is_active=True, created_at=now, updated_at=now)
            insert("product_translation", product_id=product, language="fr", name="iPhone 12 d'avant",
                   slug="iphone-12")
            variant = insert("variant", product_id=product, sku="iphone-12-128", position=0)
            seller = insert("seller", slug="atelier", name="Atelier Lumière", country_code="FR", city="Lyon",
                            status="approved", dispatch_days=1, created_at=now, updated_at=now)
            insert("seller_market", seller_id=seller, market_id=fr)
            listing = insert("listing", seller_id=seller, variant_id=variant, grade="good", quantity=4,
                             warranty_months=12, has_new_battery=False, vat_scheme="margin", is_active=True,
                             created_at=now, updated_at=now)
            insert("listing_price", listing_id=listing, market_id=fr, amount=29_900, currency="EUR")

        # when it is upgraded as the README's production steps do
        upgrade()
        runner = app.test_cli_runner()
        for command in (["sites", "sync"], ["search", "reindex"]):
            result = runner.invoke(args=command)
            assert result.exit_code == 0, result.output
        db.session.remove()

    # then the shop is ready and serves the catalog it had
    client = app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.json
    assert client.get("/fr-fr/").status_code == 200
    page = client.get("/fr-fr/p/iphone-12")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "iPhone 12 d&#39;avant" in html or "iPhone 12 d'avant" in html
    assert "299,00" in html and "Atelier Lumière" in html
    found = client.get("/fr-fr/search?q=iphone").get_data(as_text=True)
    assert "/fr-fr/p/iphone-12" in found
    with app.app_context():
        db.engine.dispose()
