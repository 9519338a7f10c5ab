"""Relevance set: judged queries in the five languages (typos, synonyms, model numbers, configuration
and colour words, features and kinds, brands and categories) against the demo catalog, scored by mean
reciprocal rank; every target is in the catalog, so no query may come back empty. The test prints
the score, the zero-result rate and every miss."""
from __future__ import annotations

import json
from pathlib import Path

from flask import g, request
from sqlalchemy import select

from app.catalog.models import Product
from app.catalog.queries import category_tree
from app.extensions import db
from app.search.service import Catalog, listing_page

RELEVANCE_SET = json.loads((Path(__file__).parent / "relevance_set.json").read_text(encoding="utf-8"))["queries"]
TOP = 10
FLOOR = 0.95


def top_keys(app, edition: str, query: str) -> list[str]:
    with app.test_request_context(f"/{edition}/search", query_string={"q": query}):
        app.preprocess_request()
        catalog = Catalog(db.session, category_tree(db.session, g.languages))
        page = listing_page(db.session, market=g.market, languages=g.languages, args=request.args,
                            catalog=catalog, per_page=TOP)
        keys = dict(db.session.execute(select(Product.id, Product.key).where(
            Product.id.in_([card.product_id for card in page.cards]))).all())
        return [keys[card.product_id] for card in page.cards]


def test_the_relevance_set_has_two_hundred_queries_in_every_language():
    languages = {entry["edition"][:2] for entry in RELEVANCE_SET}
    assert len(RELEVANCE_SET) >= 200 and languages == {"en", "fr", "de", "es", "it"}


def test_mean_reciprocal_rank(demo_app, capsys):
    reciprocal_ranks, misses, empty = [], [], []
    for entry in RELEVANCE_SET:
        found = top_keys(demo_app, entry["edition"], entry["query"])
        if not found:
            empty.append(entry["query"])
        rank = next((i for i, key in enumerate(found, 1) if key in entry["expected"]), None)
        reciprocal_ranks.append(1 / rank if rank else 0.0)
        if rank != 1:
            misses.append(f"  {entry['edition']} {entry['query']!r}: right answer at {rank or 'none'}, "
                          f"top 3 {found[:3]}")
    mrr = sum(reciprocal_ranks) / len(reciprocal_ranks)
    with capsys.disabled():
        print(f"\nRelevance set: {len(RELEVANCE_SET)} queries, MRR@{TOP} = {mrr:.3f}, "
              f"first result right for {reciprocal_ranks.count(1.0)}, "
              f"zero-result rate {len(empty) / len(RELEVANCE_SET):.3f} ({len(empty)} empty)")
        print("\n".join(misses))
    assert mrr >= FLOOR and empty == []
