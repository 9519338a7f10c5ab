"""Latency of the listing engine: a query with its facets, in-process and over HTTP under gunicorn.

Run it against the benchmark catalog (`flask demo generate`, which also builds the search index):

    DATABASE_URL=sqlite:////tmp/bench/shop.db .venv/bin/python bench/search.py
    DATABASE_URL=sqlite:////tmp/bench/shop.db .venv/bin/python bench/search.py --http
    DATABASE_URL=postgresql://shop:shop@127.0.0.1:54339/bench .venv/bin/python bench/search.py --http

It replays a fixed mix of shopper requests (text searches in the five languages with typos,
synonyms and model numbers; category pages; both with filters, sorts and pages) `--rounds` times
after one warm-up round, and prints p50, p95 and max per kind of request and overall.

- in-process: the time of `app.search.service.listing_page` (text analysis, the results page, total
  and facet counts, product cards); the request context is set up outside the timing;
- HTTP: the wall time of a GET of the full page from gunicorn (``--preload -w 2``), one request at a
  time, templates and all, with the page cache off (every page is drawn: what a page costs the
  first time after a change of data). gunicorn is started and stopped by this script.

`--engine memory` (the default) answers from the summaries kept in memory (app/search/memory.py);
`--engine sql` from SQL alone (app/search/engine.py, `SEARCH_IN_MEMORY=False`). With the memory
engine, the time to read each market's columns (once per process) is printed first.

Not part of `make test`: it measures, it does not assert.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (kind, edition, category key or None, query arguments)
MIX: list[tuple[str, str, str | None, dict]] = [
    *[("text", e, None, {"q": q}) for e, q in [
        ("fr-fr", "iphone 13"), ("fr-fr", "iphone 12 pro"), ("de-de", "galaxy s22"), ("en-gb", "galaxy s23 ultra"),
        ("en-us", "pixel 7"), ("en-gb", "macbook air"), ("de-de", "macbook pro m1"), ("it-it", "ipad air"),
        ("es-es", "apple watch series 8"), ("fr-be", "airpods pro"), ("en-us", "ps5"), ("it-it", "nintendo switch"),
        ("en-gb", "xbox series x"), ("de-de", "dyson v11"), ("fr-fr", "nespresso vertuo"),
        ("en-gb", "sony wh-1000xm5"), ("fr-fr", "ipone 13"), ("de-de", "samsng galaxy s22"), ("en-gb", "macbok air"),
        ("fr-fr", "iphone13"), ("it-it", "s22ultra"), ("de-de", "fernseher samsung"), ("fr-fr", "télé"),
        ("fr-fr", "portable"), ("es-es", "samsung"), ("en-us", "apple"), ("fr-fr", "samsung galaxy"),
        ("de-de", "apple iphone"), ("de-de", "kopfhörer"), ("fr-fr", "aspirateur dyson"), ("es-es", "cafetera"),
        ("it-it", "televisori lg"), ("fr-fr", "iphone 11 reconditionné"), ("es-es", "portátil lenovo"),
        ("en-gb", "thinkpad x1 carbon"), ("it-it", "galaxy tab s8"), ("de-de", "garmin forerunner"),
        ("en-us", "surface laptop"), ("es-es", "xiaomi 13"), ("fr-fr", "oneplus 12")]],
    *[("text+filters", e, None, {"q": q, **f}) for e, q, f in [
        ("fr-fr", "iphone 13", {"grade": "excellent"}), ("de-de", "galaxy", {"storage": "256"}),
        ("en-gb", "macbook air", {"sort": "price_asc"}), ("it-it", "ipad", {"color": "blue"}),
        ("fr-fr", "iphone", {"grade": ["good", "excellent"], "storage": "128"}),
        ("es-es", "samsung", {"category": "tablets"}), ("en-us", "pixel", {"price": "300-500"}),
        ("de-de", "iphone 14", {"sort": "newest", "page": "2"})]],
    # How shoppers type (issue 20): configuration, colour, feature and kind words read as filters.
    *[("understood", e, None, {"q": q}) for e, q in [
        ("en-gb", "galaxy s23 256gb black"), ("en-us", "pixel 7 128 gb"), ("fr-fr", "iphone 12 64 go noir"),
        ("de-de", "iphone 14 256gb schwarz"), ("en-gb", "ipad wifi cellular"), ("fr-fr", "casque reduction de bruit"),
        ("de-de", "kabellose kopfhörer"), ("es-es", "auriculares inalambricos"), ("en-gb", "foldable phone"),
        ("it-it", "telefono pieghevole"), ("en-gb", "15 inch laptop"), ("es-es", "portatil 15 pulgadas"),
        ("en-gb", "robot vacuum"), ("en-gb", "16gb ram")]],
    *[("browse", e, c, a) for e, c, a in [
        ("fr-fr", "smartphones", {}), ("de-de", "laptops", {}), ("en-gb", "tablets", {}), ("it-it", "smartwatches", {}),
        ("es-es", "consoles", {}), ("fr-be", "headphones", {}), ("de-be", "tvs", {}), ("en-us", "coffee-machines", {}),
        ("fr-fr", "vacuum-cleaners", {}), ("de-de", "speakers", {}), ("fr-fr", "phones-tablets", {}),
        ("en-gb", "computers", {}), ("fr-fr", "smartphones", {"page": "2"}),
        ("de-de", "smartphones", {"sort": "price_asc"}),
        ("it-it", "laptops", {"sort": "newest"}), ("es-es", "tablets", {"sort": "price_desc", "page": "3"})]],
    *[("browse+filters", e, c, a) for e, c, a in [
        ("fr-fr", "smartphones", {"brand": "apple"}), ("de-de", "smartphones", {"grade": "excellent"}),
        ("en-gb", "laptops", {"price": "500-750"}), ("it-it", "tvs", {"brand": "lg"}),
        ("es-es", "smartphones", {"storage": "128"}), ("fr-fr", "tablets", {"color": "blue"}),
        ("de-de", "smartphones", {"grade": "good", "storage": "256"}), ("en-us", "headphones", {"battery": "new"}),
        ("fr-fr", "laptops", {"brand": ["apple", "dell"], "sort": "price_asc"}),
        ("it-it", "smartwatches", {"grade": "premium", "brand": "samsung"})]],
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def report(title: str, samples: dict[str, list[float]]) -> None:
    print(f"\n{title}")
    print(f"  {'kind':<16}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    everything = [v for values in samples.values() for v in values]
    for kind, values in [*samples.items(), ("all", everything)]:
        print(f"  {kind:<16}{len(values):>9}{statistics.median(values):>9.1f}{percentile(values, 95):>9.1f}"
              f"{max(values):>9.1f}")


SLOWEST: dict[str, float] = {}


def load_columns(app) -> None:
    """Read every market's columns into this process, as the first listing of each market does."""
    from app.extensions import db
    from app.search.memory import read_markets
    with app.app_context():
        for code, products, seconds in read_markets(db.session):
            print(f"  columns of {code}: {products:,} products read in {seconds * 1000:.0f} ms")
        db.session.remove()


def in_process(app, rounds: int) -> dict[str, list[float]]:
    from flask import g, request

    from app.catalog.queries import category_tree
    from app.extensions import db
    from app.search.service import Catalog, listing_page

    samples: dict[str, list[float]] = defaultdict(list)
    for round_number in range(rounds + 1):
        for kind, edition, category, args in MIX:
            with app.test_request_context(f"/{edition}/search?{urlencode(args, doseq=True)}"):
                app.preprocess_request()
                catalog = Catalog(db.session, category_tree(db.session, g.languages))
                scope = catalog.nodes[category] if category else None
                started = time.perf_counter()
                listing_page(db.session, market=g.market, languages=g.languages, args=request.args, catalog=catalog,
                             scope=scope, per_page=app.config["PRODUCTS_PER_PAGE"])
                elapsed = (time.perf_counter() - started) * 1000
                db.session.remove()
            if round_number:                      # round 0 warms caches
                samples[kind].append(elapsed)
                label = f"{edition} {category or ''} {urlencode(args, doseq=True)}"
                SLOWEST[label] = max(SLOWEST.get(label, 0.0), elapsed)
    return samples


def urls(app) -> list[tuple[str, str]]:
    from app.catalog.queries import category_tree
    from app.extensions import db
    from app.sites.routing import edition_by_code, languages_for

    out = []
    with app.test_request_context("/"):
        for kind, edition, category, args in MIX:
            path = f"/{edition}/search"
            if category:
                tree = category_tree(db.session, languages_for(edition_by_code(edition)))
                slugs = {}

                def walk(nodes):
                    for node in nodes:
                        slugs[node.category.key] = node.slug
                        walk(node.children)
                walk(tree)
                path = f"/{edition}/c/{slugs[category]}"
            query = urlencode(args, doseq=True)
            out.append((kind, path + (f"?{query}" if query else "")))
    return out


def over_http(app, rounds: int, workers: int) -> dict[str, list[float]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, "APP_ENV": os.environ.get("APP_ENV", "development"),
                   "FLASK_PAGE_CACHE_SECONDS": "0",
                   "FLASK_SEARCH_IN_MEMORY": "true" if app.config["SEARCH_IN_MEMORY"] else "false"}
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--preload", "-w", str(workers), "-b",
                               f"127.0.0.1:{port}", "--access-logfile", "/dev/null", "wsgi:app"],
                              cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(f"{base}/en-gb/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        samples: dict[str, list[float]] = defaultdict(list)
        targets = urls(app)
        for round_number in range(rounds + 1):
            for kind, path in targets:
                started = time.perf_counter()
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    response.read()
                    assert response.status == 200, path
                elapsed = (time.perf_counter() - started) * 1000
                if round_number:
                    samples[kind].append(elapsed)
        return samples
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds over the mix (after one warm-up)")
    parser.add_argument("--http", action="store_true", help="also measure full pages over HTTP under gunicorn")
    parser.add_argument("--slowest", type=int, default=0, help="list the N slowest in-process requests")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for --http")
    parser.add_argument("--engine", choices=("memory", "sql"), default="memory",
                        help="answer from the summaries in memory (default) or from SQL alone")
    options = parser.parse_args()
    os.environ.setdefault("APP_ENV", "development")

    from sqlalchemy import func, select

    from app import create_app
    from app.catalog.models import Product
    from app.extensions import db
    from app.offers.models import Listing
    from app.search.backends import backend_for
    app = create_app()
    app.config["SEARCH_IN_MEMORY"] = options.engine == "memory"
    with app.app_context():
        products = db.session.scalar(select(func.count()).select_from(Product))
        listings = db.session.scalar(select(func.count()).select_from(Listing))
        backend = backend_for(db.session).name
    print(f"Catalog: {products:,} products, {listings:,} listings; backend {backend}; "
          f"{len(MIX)} requests in the mix, {options.rounds} rounds; {options.engine} engine")
    if options.engine == "memory":
        load_columns(app)
    report("In-process: listing_page (query + facets + cards)", in_process(app, options.rounds))
    if options.slowest:
        print(f"\n  slowest in-process requests (worst of {options.rounds} rounds):")
        for label, elapsed in sorted(SLOWEST.items(), key=lambda item: -item[1])[:options.slowest]:
            print(f"  {elapsed:8.1f} ms  {label}")
    if options.http:
        report(f"HTTP: full page from gunicorn -w {options.workers}, one request at a time",
               over_http(app, options.rounds, options.workers))


if __name__ == "__main__":
    main()
