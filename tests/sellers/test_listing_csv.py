"""Listing CSV import and export: the whole file is checked first; any error and nothing is applied."""
import io
import time

import pytest
from sqlalchemy import func, insert, select

from app.catalog.models import Brand, Category, Product, Variant
from app.offers.models import Listing, ListingPrice, ListingPricePeriod
from app.sellers.models import ListingImport
from tests.builders import make_listing, make_product, make_seller, make_user, sign_in

HEADER = "sku,grade,new_battery,battery_health_min,quantity,warranty_months,vat_scheme,active,price_fr,price_de"


@pytest.fixture
def world(session):
    seller = make_seller(session, ships_to=("FR", "DE"))
    product = make_product(session, storages=(64, 128))
    first, second = product.variants
    listing = make_listing(session, seller=seller, variant=first, prices={"FR": 30000, "DE": 31000})
    staff = make_user(session, seller=seller, language="fr")
    session.commit()
    return {"seller": seller, "first": first.sku, "second": second.sku, "listing_id": listing.id, "staff": staff}


def upload(client, text: str | bytes, key="import-1"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post("/seller/listings/import", data={"file": (io.BytesIO(data), "listings.csv"), "key": key},
                       content_type="multipart/form-data")


def snapshot(session):
    session.expire_all()
    return (session.execute(select(Listing.id, Listing.quantity, Listing.is_active).order_by(Listing.id)).all(),
            session.execute(select(ListingPrice.id, ListingPrice.amount).order_by(ListingPrice.id)).all())


def test_export_lists_the_sellers_listings_in_the_documented_format(client, world):
    sign_in(client, world["staff"])
    response = client.get("/seller/listings/export.csv")
    assert response.mimetype == "text/csv"
    assert response.text.splitlines() == [HEADER, f"{world['first']},good,no,,3,12,margin,yes,300.00,310.00"]


def test_import_creates_updates_and_keeps_the_price_history(client, session, world):
    sign_in(client, world["staff"])
    response = upload(client, "\n".join([
        HEADER,
        f"{world['first']},good,no,,5,24,margin,yes,279.90,",      # cheaper in France, no longer sold in Germany
        f"{world['second']},excellent,yes,100,2,12,standard,no,410,420.5",
    ]))

    assert response.status_code == 200, response.text
    session.expire_all()
    old = session.get(Listing, world["listing_id"])
    assert (old.quantity, old.warranty_months, [(p.market.code, p.amount) for p in old.prices]) == (5, 24, [("FR", 27990)])
    new = session.scalar(select(Listing).where(Listing.id != old.id))
    assert (new.grade, new.has_new_battery, new.is_active) == ("excellent", True, False)
    assert sorted(p.amount for p in new.prices) == [41000, 42050]
    # the French price's old period is closed and a new one open; the new prices have their first period
    periods = session.execute(select(ListingPricePeriod.amount, ListingPricePeriod.ended_at.is_(None))
                              .order_by(ListingPricePeriod.id)).all()
    assert sorted(periods) == sorted([(30000, False), (27990, True), (41000, True), (42050, True)])
    assert session.scalar(select(ListingImport.status)) == "done"


def test_an_exported_file_imports_back_unchanged(client, session, world):
    sign_in(client, world["staff"])
    before = snapshot(session)
    response = upload(client, client.get("/seller/listings/export.csv").data)
    assert response.status_code == 200
    assert snapshot(session) == before


@pytest.mark.parametrize("body, message", [
    (HEADER.replace(",price_de", "") + "\n{first},good,no,,1,12,margin,yes,300.00",
     "Colonnes manquantes : price_de."),
    (HEADER + ",colour\n{first},good,no,,1,12,margin,yes,300.00,300.00,red",
     "Colonnes inattendues : colour."),
    (HEADER + "\n{first},good,no,,1,12,margin,yes,-300.00,300.00", "Ligne 2 : Le prix dans price_fr est négatif."),
    (HEADER + "\nNOPE-1,good,no,,1,12,margin,yes,300.00,300.00", "Ligne 2 : Référence produit inconnue « NOPE-1 »."),
    (HEADER + "\n{first},good,no,,1,12,margin,yes,300.00,300.00\n{second},good,no,,1,12,margin,yes,1,1"
              "\n{first},good,no,,9,12,margin,yes,200.00,200.00",
     "Ligne 4 : Même annonce (référence, état et batterie) qu’à la ligne 2."),
    (HEADER + "\n{first},mint,maybe,,-1,12,margin,yes,300.00,300.00", "Ligne 2 : L’état doit être"),
    (HEADER + "\n{first},good,no,,1,12,margin", "Ligne 2 : 7 valeurs au lieu de 10."),
])
def test_a_wrong_file_is_refused_with_errors_by_line_in_the_staff_language_and_nothing_applied(
        client, session, world, body, message):
    sign_in(client, world["staff"])
    before = snapshot(session)

    response = upload(client, body.format(first=world["first"], second=world["second"]))

    assert response.status_code == 422
    assert message in response.text.replace("\u202f", " ").replace("\xa0", " ")
    assert snapshot(session) == before
    assert session.scalar(select(ListingImport.status)) == "failed"


def test_a_file_in_another_encoding_is_refused_naming_the_line(client, session, world):
    sign_in(client, world["staff"])
    before = snapshot(session)
    body = f"{HEADER}\n{world['first']},good,no,,1,12,margin,yes,300.00,300.00\n{world['second']},good,no,,1,12,margin,yes,1,1 é"
    response = upload(client, body.encode("latin-1"))
    assert response.status_code == 422
    assert "Ligne 3 : Le fichier n’est pas du texte UTF-8" in response.text
    assert snapshot(session) == before


def test_one_bad_line_at_the_end_of_a_long_file_applies_nothing(client, session, world, bulk_variants):
    skus = bulk_variants(session, 300)
    sign_in(client, world["staff"])
    before = snapshot(session)
    lines = [HEADER] + [f"{sku},good,no,,1,12,margin,yes,100.00,100.00" for sku in skus]
    lines.append(f"{world['first']},good,no,,1,12,margin,yes,abc,100.00")
    response = upload(client, "\n".join(lines))
    assert response.status_code == 422
    assert "Ligne 302 :" in response.text
    assert snapshot(session) == before


def test_a_file_over_the_line_limit_is_refused_before_anything_else(app, client, session, world):
    sign_in(client, world["staff"])
    limit = app.config["LISTING_IMPORT_MAX_ROWS"]
    body = "\n".join([HEADER] + [f"SKU-{n},good,no,,1,12,margin,yes,1.00,1.00" for n in range(limit + 1)])
    before = snapshot(session)
    response = upload(client, body)
    assert response.status_code == 422
    assert f"{limit + 1:,}".replace(",", "\u202f") in response.text or str(limit + 1) in response.text
    assert snapshot(session) == before


def test_ten_thousand_lines_import_in_under_ten_seconds_with_progress(client, session, world, bulk_variants):
    # given: 2,500 variants, so 10,000 distinct listings in four grades
    skus = bulk_variants(session, 2500)
    lines = [HEADER] + [f"{sku},{grade},no,90,4,12,margin,yes,{100 + n % 50}.90,{120 + n % 40}.00"
                        for n, (sku, grade) in enumerate((s, g) for s in skus for g in ("fair", "good", "excellent", "premium"))]
    assert len(lines) == 10001
    sign_in(client, world["staff"])

    # when
    started = time.perf_counter()
    response = upload(client, "\n".join(lines), key="big-import")
    elapsed = time.perf_counter() - started

    # then
    assert response.status_code == 200, response.text[:500]
    assert elapsed < 10, f"{elapsed:.1f} s"
    print(f"\n10,000-line import: {elapsed:.2f} s on {session.bind.dialect.name}")
    assert session.scalar(select(func.count(Listing.id))) == 10001
    assert session.scalar(select(func.count(ListingPricePeriod.id))) == 2 + 20000
    progress = client.get("/seller/imports/big-import").text
    assert "Terminé." in progress and "hx-get" not in progress     # finished: it stops polling


@pytest.fixture
def bulk_variants():
    """Insert n variants of fresh products with Core statements (fast), returning their SKUs."""
    def build(session, n):
        brand = session.scalar(select(Brand)) or Brand(name="Bulk", slug="bulk")
        category = session.scalar(select(Category))
        session.add(brand)
        session.flush()
        product_ids = session.execute(insert(Product).returning(Product.id, sort_by_parameter_order=True), [
            {"key": f"bulk-{i}", "category_id": category.id, "brand_id": brand.id, "specs": {}}
            for i in range(n // 4 + 1)]).scalars().all()
        skus = [f"BULK-{i:05d}" for i in range(n)]
        session.execute(insert(Variant), [{"product_id": product_ids[i // 4], "sku": sku, "position": i % 4}
                                          for i, sku in enumerate(skus)])
        session.commit()
        return skus
    return build


def test_progress_of_a_running_import_polls_until_it_is_done(client, session, world):
    session.add(ListingImport(key="running", seller_id=world["seller"].id, status="checking", total_lines=10000,
                              checked_lines=4000))
    session.commit()
    sign_in(client, world["staff"])
    running = client.get("/seller/imports/running").text
    assert 'hx-trigger="load delay:400ms"' in running and 'value="40"' in running
    assert "Vérification de la ligne 4\u202f000 sur 10\u202f000" in running
    waiting = client.get("/seller/imports/not-started-yet").text
    assert "hx-get" in waiting and "Envoi du fichier" in waiting
