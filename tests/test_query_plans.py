"""Every statement of every benchmarked page is served by an index, on a catalog large enough that a
sequential scan of a big table would lose (PostgreSQL's EXPLAIN, SQLite's EXPLAIN QUERY PLAN).

The catalog is made by `flask demo generate` (as the benchmark's is, smaller), analysed as it
does. Each page is requested twice in-process with the page cache off, and the statements of the
second request (the steady state: per-process memos filled, the search columns read) are
explained with their own parameters. A plan that reads a whole table holding more than `LARGE`
rows fails the test, naming the page, the table and the statement.
"""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import event, select, text

from app.catalog.models import Product, ProductTranslation
from app.extensions import db
from app.search.models import SearchProduct
from app.settings import normalise_database_url
from app.sites.models import Edition
from tests.conftest import HX, TEST_DATABASE_URL, make_test_app

PRODUCTS, LISTINGS, SELLERS = 4000, 20000, 100
LARGE = 2000            # rows: reading a whole table of more than this is a scan that loses at scale
EDITION = "en-gb"


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("plans")
    url = normalise_database_url(TEST_DATABASE_URL) if TEST_DATABASE_URL else f"sqlite:///{tmp_path / 'shop.db'}"
    apps = make_test_app(tmp_path, SQLALCHEMY_DATABASE_URI=url)
    app = next(apps)
    app.extensions.pop("page_cache", None)          # every request renders: its statements are the page's
    result = app.test_cli_runner().invoke(args=["demo", "generate", "--products", str(PRODUCTS), "--listings",
                                                str(LISTINGS), "--sellers", str(SELLERS), "--seed", "19"])
    assert result.exit_code == 0, result.output
    yield app
    next(apps, None)


def pages(app) -> dict[str, tuple[str, dict]]:
    """The page types `bench/run.py` measures, on URLs of the generated catalog."""
    with app.app_context():
        market_id = db.session.scalar(select(Edition.market_id).where(Edition.code == EDITION))
        slug = db.session.scalar(
            select(ProductTranslation.slug)
            .join(SearchProduct, SearchProduct.product_id == ProductTranslation.product_id)
            .where(SearchProduct.market_id == market_id, SearchProduct.offers_count > 1,
                   ProductTranslation.language == "en").order_by(SearchProduct.offers_count.desc()).limit(1))
        name = db.session.scalar(select(ProductTranslation.name).where(ProductTranslation.slug == slug))
        category = db.session.scalar(text(
            "SELECT ct.slug FROM category_translation ct JOIN product p ON p.category_id = ct.category_id "
            "WHERE ct.language = 'en' GROUP BY ct.slug ORDER BY count(*) DESC LIMIT 1"))
        assert db.session.scalar(select(Product.id).where(Product.key.like("gen-%")).limit(1))
    # A search a few products answer (a word shared by a third of them is rightly read in full).
    words = "+".join(name.split()[:3])
    product = f"/{EDITION}/p/{slug}"
    fragment = {**HX, "HX-Target": "div#search-results"}
    return {
        "home": (f"/{EDITION}/", {}),
        "category": (f"/{EDITION}/c/{category}", {}),
        "category-filtered": (f"/{EDITION}/c/{category}?grade=good&sort=price_asc", {}),
        "search-fragment": (f"/{EDITION}/search?q={words}", fragment),
        "product": (product, {}),
        "grade-fragment": (f"{product}?grade=excellent", {**HX, "HX-Target": "div#purchase"}),
    }


def statements_of(app, path: str, headers: dict) -> list[tuple[str, object]]:
    with app.app_context():
        engine = db.engine
    seen: list[tuple[str, object]] = []

    def note(_connection, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))
    client = app.test_client()
    assert client.get(path, headers=headers).status_code == 200, path
    event.listen(engine, "before_cursor_execute", note)
    try:
        assert client.get(path, headers=headers).status_code == 200, path
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return [(s, p) for s, p in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def table_sizes(connection) -> dict[str, int]:
    if connection.dialect.name == "postgresql":
        return {name: int(rows) for name, rows in connection.exec_driver_sql(
            "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")}
    names = [n for (n,) in connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {n: connection.exec_driver_sql(f'SELECT count(*) FROM "{n}"').scalar() for n in names
            if not n.startswith("sqlite_")}


def leading_columns(connection) -> dict[str, str]:
    """PostgreSQL: each index's first column."""
    return dict(connection.exec_driver_sql(
        "SELECT i.indexrelid::regclass::text, a.attname FROM pg_index i "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]").all())


def full_scans(connection, statement: str, parameters, leading: dict[str, str]) -> list[str]:
    """The tables a statement's plan reads whole: a sequential scan, or (PostgreSQL) an index read
    from end to end because its condition misses the index's first column (what a slug looked up
    in any language through the (language, slug) index would be), or read unbounded."""
    if connection.dialect.name == "postgresql":
        plan = connection.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters).scalar()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        found = []

        def walk(node):
            kind = node.get("Node Type", "")
            if kind == "Seq Scan":
                found.append(node["Relation Name"])
            elif kind in ("Index Scan", "Index Only Scan", "Bitmap Index Scan"):
                condition = node.get("Index Cond", "")
                first = leading.get(node["Index Name"], "")
                table = node.get("Relation Name") or _table_of_index(connection, node["Index Name"])
                if condition and not re.search(rf"\b{re.escape(first)}\b", condition):
                    found.append(table)
                elif not condition and node.get("Actual Rows", 0) * node.get("Actual Loops", 1) > 100:
                    found.append(table)
            for child in node.get("Plans", ()):
                walk(child)
        walk(plan[0]["Plan"])
        return found
    rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    # "SCAN listing" reads the table; "SCAN x USING (COVERING) INDEX" reads a whole index as well;
    # "SCAN x VIRTUAL TABLE INDEX n:M..." is a full-text MATCH answered by the FTS5 index. (SQLite's
    # skip-scan of an index's first column shows as SEARCH: it reads one range per distinct value.)
    return [m.group(1) for *_ids, detail in rows
            if (m := re.match(r"SCAN (\w+)", detail)) and "VIRTUAL TABLE INDEX" not in detail]


def _table_of_index(connection, index: str) -> str:
    return connection.exec_driver_sql("SELECT indrelid::regclass::text FROM pg_index "
                                      "WHERE indexrelid = %(i)s::regclass", {"i": index}).scalar()


def test_every_statement_of_every_benchmarked_page_is_served_by_an_index(shop):
    problems = []
    for page, (path, headers) in pages(shop).items():
        statements = statements_of(shop, path, headers)
        assert statements, page
        with shop.app_context(), db.engine.connect() as connection:
            sizes = table_sizes(connection)
            leading = leading_columns(connection) if connection.dialect.name == "postgresql" else {}
            for statement, parameters in statements:
                for table in full_scans(connection, statement, parameters, leading):
                    if sizes.get(table, 0) > LARGE:
                        problems.append(f"{page}: whole {table} ({sizes[table]:,} rows) read by {statement[:300]}")
    assert sizes["product_translation"] > LARGE and sizes["listing_price"] > LARGE     # large enough to tell
    assert problems == []
