import pytest

from app.search.colors import color_family
from app.search.facets import STORAGE_SIZES, band_code, band_from_code, price_band, storage_bit
from app.search.text import (
    MAX_QUERY_TOKENS,
    ParsedQuery,
    edit_distance,
    fold,
    folded_words,
    joined_tokens,
    query_tokens,
    splits,
    words,
)


def test_fold_removes_case_and_accents():
    assert fold("Téléviseur Größe Œuvre Ærø") == "televiseur grosse oeuvre aero"


def test_words_keep_accents_for_the_backends_to_fold():
    assert words("Télé 4K, WH-1000XM4!") == ["télé", "4k", "wh", "1000xm4"]
    assert folded_words("Télé 4K") == ["tele", "4k"]


def test_names_are_also_found_by_joined_model_numbers():
    tokens = joined_tokens("Samsung Galaxy S22 Ultra")
    assert {"galaxys22", "s22ultra", "galaxys22ultra", "samsunggalaxy"} <= set(tokens)
    assert "iphone13" in joined_tokens("Apple iPhone 13")
    assert {"delonghi", "wh1000xm4"} <= set(joined_tokens("De'Longhi WH-1000XM4"))


def test_catalogue_numbers_are_not_glued_to_their_neighbours():
    assert not any("9310" in token for token in joined_tokens("XPS 13 (9310)"))
    assert not any("12345" in token for token in joined_tokens("Pixel 7 Edition 12345"))


def test_glued_tokens_are_read_split_at_letter_digit_boundaries():
    assert ("s22", "ultra") in splits("s22ultra")
    assert ("iphone", "13") in splits("iphone13")
    assert splits("iphone") == [] and splits("13") == []


def test_query_input_is_bounded():
    assert len(query_tokens("a " * 500)) == MAX_QUERY_TOKENS
    assert query_tokens("x" * 100 + " iphone") == ["iphone"]
    assert query_tokens('"NEAR(iphone* 13)" -{name}:') == ["near", "iphone", "13", "name"]


def test_terms_offer_each_reading_and_complete_only_the_last_word():
    query = ParsedQuery(raw="", tokens=["s22ultra", "ipho"], last_is_prefix=True)
    first, last = query.terms()
    assert ("s22ultra",) in first.alternatives and ("s22", "ultra") in first.alternatives
    assert not first.prefix and last.prefix


@pytest.mark.parametrize("a, b, distance", [("ipone", "iphone", 1), ("samsng", "samsung", 1),
                                            ("macbok", "macbook", 1), ("galxay", "galaxy", 1),
                                            ("iphone", "iphone", 0), ("pixel", "xbox", 3)])
def test_edit_distance_counts_transpositions_as_one(a, b, distance):
    assert edit_distance(a, b) == distance


@pytest.mark.parametrize("hex_value, family", [("#1c1c1e", "black"), ("#f5f5f0", "white"), ("#2f5d8a", "blue"),
                                               ("#d8d8d8", "silver"), ("#5c5d60", "grey"), ("#b3262e", "red"),
                                               ("#f2c4ce", "pink"), ("#e6cba5", "gold"), ("#3e6b48", "green")])
def test_colour_families(hex_value, family):
    assert color_family(hex_value) == family


def test_storage_sizes_and_price_bands():
    assert storage_bit(256) == 1 << STORAGE_SIZES.index(256)
    assert storage_bit(300) == storage_bit(256)
    assert price_band(9999, "EUR") == 0 and price_band(10000, "EUR") == 1 and price_band(10 ** 9, "USD") == 7
    assert [band_from_code(band_code(b)) for b in range(8)] == list(range(8))
    assert band_code(0) == "0-100" and band_code(7) == "1500-" and band_from_code("7-8") is None
