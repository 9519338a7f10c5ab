"""Always fresh: whatever changes an offer shows on the next request, and the incremental upkeep
always lands exactly where a full rebuild would."""
from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select, text, update

from app.offers.models import Listing, ListingPrice
from app.search import index
from app.search.models import SearchDocument, SearchFacetCount, SearchProduct, SearchTerm
from app.sellers.models import Seller
from app.sites.models import Market
from tests.builders import make_listing


def results(client, query: str, edition: str = "fr-fr") -> dict[str, str]:
    """Product name → displayed price on the search page."""
    html = client.get(f"/{edition}/search?q={query}").get_data(as_text=True)
    cards = re.findall(r'class="name">([^<]+)</h3>\s*</a>\s*<p class="price">\s*([^<]+?)\s*</p>', html)
    return dict(cards)


def offers_of(session, product_id: int) -> list[Listing]:
    return list(session.scalars(select(Listing).where(Listing.variant.has(product_id=product_id))))


def test_a_listing_that_sells_out_disappears_at_once(client, session, shop):
    assert "Galaxy S22" in results(client, "galaxy")
    for listing in offers_of(session, shop["galaxy-s22"]):
        listing.quantity = 0
    session.commit()
    assert "Galaxy S22" not in results(client, "galaxy") and "Galaxy S22 Ultra" in results(client, "galaxy")


def test_a_paused_listing_disappears_and_comes_back(client, session, shop):
    listing = offers_of(session, shop["ps5"])[0]
    listing.is_active = False
    session.commit()
    assert results(client, "playstation") == {}
    listing.is_active = True
    session.commit()
    assert "PlayStation 5" in results(client, "playstation")


def test_a_price_change_shows_on_the_next_request(client, session, shop):
    before = results(client, "playstation")["PlayStation 5"]
    france = session.scalar(select(Market.id).where(Market.code == "FR"))
    price = session.scalar(select(ListingPrice).join(Listing)
                           .where(Listing.variant.has(product_id=shop["ps5"]), ListingPrice.market_id == france))
    price.amount = 12345
    session.commit()
    after = results(client, "playstation")["PlayStation 5"]
    assert before != after and "123,45" in after


def test_a_suspended_seller_takes_its_offers_away(client, session, shop):
    seller = session.get(Seller, shop.sellers["main"].id)
    seller.status = "suspended"
    session.commit()
    found = results(client, "iphone 13")
    assert list(found) == ["iPhone 13"] and "430,00" in found["iPhone 13"]    # the other seller's offer remains


def test_a_seller_that_stops_shipping_to_a_market_leaves_it(client, session, shop):
    seller = session.get(Seller, shop.sellers["main"].id)
    seller.markets = [m for m in seller.markets if m.code != "DE"]
    session.commit()
    assert "PlayStation 5" not in results(client, "playstation", "de-de")
    assert "PlayStation 5" in results(client, "playstation", "fr-fr")


def test_statements_run_through_the_session_are_seen_too(client, session, shop):
    # given: a bulk update, as a checkout decrementing stock might write it
    ids = [listing.id for listing in offers_of(session, shop["bravia"])]
    session.execute(update(Listing).where(Listing.id.in_(ids)).values(quantity=0))
    session.commit()
    assert "BRAVIA XR A80J" not in results(client, "bravia")

    # when: stock comes back through an update by primary key
    session.execute(update(Listing), [{"id": i, "quantity": 4} for i in ids])
    session.commit()
    assert "BRAVIA XR A80J" in results(client, "bravia")


def test_raw_inserts_and_updates_by_primary_key_are_seen(client, session, shop):
    # given: prices repriced by primary key, then a listing and its price written as raw SQL
    # with parameters named after the columns (the seller's CSV import writes them so)
    ids = [p.id for listing in offers_of(session, shop["ps5"]) for p in listing.prices if p.currency == "EUR"]
    session.execute(update(ListingPrice), [{"id": i, "amount": 11100} for i in ids])
    session.commit()
    assert all("111,00" in price for price in results(client, "playstation").values())

    variant = offers_of(session, shop["ps5"])[0].variant
    session.execute(text("INSERT INTO listing (seller_id, variant_id, grade, has_new_battery, quantity, "
                         "warranty_months, vat_scheme, is_active, created_at, updated_at) VALUES (:seller_id, "
                         ":variant_id, 'fair', false, 2, 12, 'margin', true, :now, :now)"),
                    [{"seller_id": shop.sellers["other"].id, "variant_id": variant.id, "now": datetime.now(UTC)}])
    listing_id = session.scalar(select(Listing.id).where(Listing.grade == "fair", Listing.variant_id == variant.id))
    france = session.scalar(select(Market.id).where(Market.code == "FR"))
    session.execute(text("INSERT INTO listing_price (listing_id, market_id, amount, currency) "
                         "VALUES (:listing_id, :market_id, 9900, 'EUR')"),
                    [{"listing_id": listing_id, "market_id": france}])
    session.commit()

    # then
    assert "99,00" in results(client, "playstation")["PlayStation 5"]


def test_a_new_offer_makes_a_product_appear(client, session, shop):
    from tests.builders import make_product
    product = make_product(session, key="pixel-8", brand="Google", names={"fr": "Pixel 8", "en": "Pixel 8"},
                           category=shop.categories["smartphones"])
    session.commit()
    assert results(client, "pixel") == {}
    make_listing(session, variant=product.variants[0], seller=shop.sellers["main"], prices={"FR": 39900})
    session.commit()
    assert "Pixel 8" in results(client, "pixel")


def test_a_rolled_back_change_leaves_no_trace(client, session, shop):
    listing = offers_of(session, shop["ps5"])[0]
    listing.quantity = 0
    session.flush()
    session.rollback()
    session.commit()
    assert "PlayStation 5" in results(client, "playstation")


def snapshot(session) -> dict[str, list]:
    out = {}
    for model, order in ((SearchProduct, (SearchProduct.market_id, SearchProduct.product_id)),
                         (SearchDocument, (SearchDocument.product_id, SearchDocument.language)),
                         (SearchTerm, (SearchTerm.language, SearchTerm.term))):
        out[model.__tablename__] = [tuple(row) for row in session.execute(select(model.__table__).order_by(*order))]
    counts = session.execute(select(SearchFacetCount.__table__).where(SearchFacetCount.products > 0)
                             .order_by(*SearchFacetCount.__table__.primary_key.columns))
    out["search_facet_count"] = [tuple(row) for row in counts]
    return out


def test_incremental_upkeep_lands_where_a_rebuild_does(session, shop):
    # given: a series of changes of every kind, each committed
    for listing in offers_of(session, shop["iphone-13"])[:1]:
        listing.quantity = 0
    session.commit()
    session.get(Seller, shop.sellers["other"].id).status = "suspended"
    session.commit()
    make_listing(session, variant=offers_of(session, shop["xps-13"])[0].variant, seller=shop.sellers["other"],
                 grade="fair", prices={"FR": 20000, "DE": 21000})
    session.commit()
    session.execute(update(ListingPrice).where(ListingPrice.amount > 60000).values(amount=ListingPrice.amount - 100))
    session.commit()
    incremental = snapshot(session)

    # when
    index.rebuild(session)
    session.commit()

    # then
    rebuilt = snapshot(session)
    for table in rebuilt:
        assert incremental[table] == rebuilt[table], table


def test_changes_made_while_paused_wait_for_a_rebuild(session, shop):
    from app.search.tracking import paused
    with paused(session):
        for listing in offers_of(session, shop["ps5"]):
            listing.quantity = 0
        session.commit()
    assert session.scalar(select(SearchProduct.product_id).where(SearchProduct.product_id == shop["ps5"])) \
        == shop["ps5"]
    index.rebuild(session)
    session.commit()
    assert session.scalar(select(SearchProduct.product_id).where(SearchProduct.product_id == shop["ps5"])) is None


def test_changes_narrowed_to_their_markets_land_where_a_rebuild_does(session, shop):
    # given: changes refreshed in the markets they can affect only (a price in its market, a
    # listing in the markets it is priced in), each committed
    from sqlalchemy import delete
    france, germany = (session.scalar(select(Market.id).where(Market.code == code)) for code in ("FR", "DE"))
    ps5 = offers_of(session, shop["ps5"])
    ps5[0].prices[0].amount = 100                  # the cheapest now, in one market
    session.commit()
    ps5[0].prices[0].amount = 99_999               # the dearest: the lowest price moves back
    session.commit()
    make_listing(session, variant=ps5[0].variant, seller=shop.sellers["other"], grade="premium",
                 prices={"FR": 70000, "DE": 71000})
    session.commit()
    newest = session.scalar(select(Listing).where(Listing.variant_id == ps5[0].variant_id, Listing.grade == "premium"))
    newest.prices.remove(next(p for p in newest.prices if p.market_id == germany))     # a price taken off
    session.commit()
    moved = next(p for p in newest.prices if p.market_id == france)
    moved.market_id = germany                       # a price moved to another market
    session.commit()
    newest.quantity = 0                             # sold out where it is priced
    session.commit()
    newest.quantity = 3
    newest.variant_id = offers_of(session, shop["galaxy-s22"])[0].variant_id      # moved to another product
    session.commit()
    session.execute(delete(ListingPrice).where(ListingPrice.listing_id == ps5[-1].id,
                                               ListingPrice.market_id == france))
    session.commit()
    incremental = snapshot(session)

    # when
    index.rebuild(session)
    session.commit()

    # then
    rebuilt = snapshot(session)
    for table in rebuilt:
        assert incremental[table] == rebuilt[table], table
