"""Contract of the full-text backends: the suite runs it on SQLite (FTS5) and, under
`.ci/with-postgres`, on PostgreSQL (tsvector + unaccent + pg_trgm). Same cases, same answers."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.catalog.models import Product, ProductTranslation
from app.search.analysis import parse_text
from app.search.backends import backend_for


def find(session, language: str, text: str, *, complete_last: bool = False) -> set[int]:
    query = parse_text(session, language, text, complete_last=complete_last)
    terms = query.terms()
    if not terms:
        return set()
    statement = backend_for(session).hits(language, terms, ranked=True)
    return {row.product_id for row in session.execute(statement)}


def ranked(session, language: str, text: str) -> list[int]:
    query = parse_text(session, language, text)
    statement = backend_for(session).hits(language, query.terms(), ranked=True).subquery()
    return list(session.scalars(select(statement.c.product_id).order_by(statement.c.rank, statement.c.product_id)))


@pytest.mark.parametrize("language", ["en", "fr", "de", "es", "it"])
def test_a_model_name_finds_that_model_in_every_language(session, shop, language):
    assert find(session, language, "iphone 13") == {shop["iphone-13"], shop["iphone-13-pro"]}
    assert find(session, language, "Galaxy S22") == {shop["galaxy-s22"], shop["galaxy-s22-ultra"]}


def test_the_closest_name_ranks_first(session, shop):
    assert ranked(session, "en", "iphone 13")[0] == shop["iphone-13"]
    assert ranked(session, "fr", "galaxy s22 ultra")[0] == shop["galaxy-s22-ultra"]


@pytest.mark.parametrize("text, expected", [
    ("iphone13", {"iphone-13", "iphone-13-pro"}),
    ("iphone13pro", {"iphone-13-pro"}),
    ("s22ultra", {"galaxy-s22-ultra"}),
    ("galaxys22", {"galaxy-s22", "galaxy-s22-ultra"}),
    ("IPHONE-13", {"iphone-13", "iphone-13-pro"}),
    ("xps 9310", {"xps-13"}),
])
def test_model_numbers_are_found_however_they_are_written(session, shop, text, expected):
    assert find(session, "en", text) == {shop[key] for key in expected}


@pytest.mark.parametrize("language, text, expected", [
    ("fr", "ipone 13", {"iphone-13", "iphone-13-pro"}),
    ("de", "samsng galaxy", {"galaxy-s22", "galaxy-s22-ultra"}),
    ("en", "macbok air", {"macbook-air"}),
    ("it", "playstaton", {"ps5"}),
    ("es", "galaxi s22 ultra", {"galaxy-s22-ultra"}),
])
def test_one_typo_per_word_still_finds_the_product(session, shop, language, text, expected):
    assert find(session, language, text) == {shop[key] for key in expected}


def test_a_correction_is_reported(session, shop):
    query = parse_text(session, "fr", "ipone 13")
    assert query.corrections == {"ipone": "iphone"} and query.corrected_text == "iphone 13"
    assert parse_text(session, "fr", "iphone 13").corrections == {}


@pytest.mark.parametrize("language, text, expected", [
    ("fr", "tele", {"bravia"}),                 # accents fold: "télé" (synonym of the category)
    ("fr", "téléviseurs", {"bravia"}),
    ("fr", "TELEVISEURS", {"bravia"}),
    ("de", "fernseher", {"bravia"}),
    ("es", "televisores", {"bravia"}),
    ("en", "tv", {"bravia"}),
    # In French a "portable" is a laptop, a mobile phone, and a handheld console ("console portable").
    ("fr", "portable", {"macbook-air", "xps-13", "iphone-13", "iphone-13-pro", "iphone-12", "galaxy-s22",
                        "galaxy-s22-ultra", "ps5"}),
    ("fr", "ordinateur portable", {"macbook-air", "xps-13"}),
    ("de", "notebook", {"macbook-air", "xps-13"}),
    ("en", "laptop", {"macbook-air", "xps-13"}),
    ("it", "notebook dell", {"xps-13"}),
    ("fr", "ps5", {"ps5"}),
    ("de", "Konsole", {"ps5"}),
])
def test_synonyms_and_folded_accents(session, shop, language, text, expected):
    assert find(session, language, text) == {shop[key] for key in expected}


@pytest.mark.parametrize("language, word", [("fr", "reconditionné"), ("de", "generalüberholt"),
                                            ("it", "ricondizionato"), ("es", "reacondicionado"),
                                            ("en", "refurbished")])
def test_words_every_product_has_are_ignored(session, shop, language, word):
    assert find(session, language, f"iphone 13 {word}") == {shop["iphone-13"], shop["iphone-13-pro"]}
    assert parse_text(session, language, word).is_empty


def test_a_colour_name_narrows_in_the_page_language(session, shop):
    assert find(session, "fr", "iphone bleu") == {shop["iphone-13"], shop["iphone-12"]}
    assert find(session, "de", "iphone schwarz") == {shop["iphone-13"], shop["iphone-13-pro"]}


@pytest.mark.parametrize("text", ['"iphone', "iphone*", "NEAR(iphone 13)", "iphone OR", "-iphone 13", "name:iphone",
                                  "{name}: iphone", "iphone AND NOT 13", "^iphone", "iphone'13", "(((", "*", '"',
                                  "iphone:* & !13 | (", "iphone <-> 13", "\\", "%_"])
def test_query_syntax_of_either_engine_is_just_text(session, shop, text):
    found = find(session, "en", text)
    assert found <= set(shop.ids.values())


def test_the_word_being_typed_is_completed(session, shop):
    assert find(session, "en", "ipho", complete_last=True) == {shop["iphone-13"], shop["iphone-13-pro"],
                                                               shop["iphone-12"]}
    assert find(session, "en", "playst", complete_last=True) == {shop["ps5"]}
    assert find(session, "en", "ipho") == set()


def test_a_renamed_product_is_found_by_its_new_name_only(session, shop):
    # when
    session.execute(update(ProductTranslation).where(ProductTranslation.product_id == shop["ps5"])
                    .values(name="PlayStation 5 Slim"))
    session.commit()

    # then
    assert find(session, "en", "slim") == {shop["ps5"]}
    session.execute(update(ProductTranslation).where(ProductTranslation.product_id == shop["ps5"])
                    .values(name="Switch"))
    session.commit()
    assert find(session, "en", "slim") == set() and find(session, "en", "switch") == {shop["ps5"]}


def test_an_inactive_product_is_not_found(session, shop):
    product = session.get(Product, shop["bravia"])
    product.is_active = False
    session.commit()
    assert find(session, "de", "fernseher") == set()
