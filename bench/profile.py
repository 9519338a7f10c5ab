"""Where the time of one request goes, per page type: pyinstrument through the test client.

    .venv/bin/python bench/profile.py --db /tmp/bench/shop.db
    .venv/bin/python bench/profile.py --pages product,cart --requests 20
    make profile

Against the benchmark catalog (the same database as `bench/run.py`, built or reused the same way),
with the production configuration, each page type gets one warm-up request and then `--requests`
identical requests under one profiler session (one request of 20 ms gives too few samples to read).
Reports go to bench/profiles/<page type>.html (open in a browser) and .txt; the top of each text
report is printed. Times are inside the app (no server, no network); the sampler counts wall-clock time, so on a busy
machine a frame that was merely descheduled looks slow: compare the wall and CPU times printed, and
read several requests (`--requests`) rather than one.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import re
import secrets
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# This file's name shadows the standard library's `profile` (which cProfile imports): keep bench/ off the path.
sys.path[:] = [ROOT.as_posix()] + [p for p in sys.path if Path(p or ".").resolve() != BENCH]

_spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
harness = importlib.util.module_from_spec(_spec)
sys.modules["bench_run"] = harness
_spec.loader.exec_module(harness)

PAGE_TYPES = ["home", "category", "category-filtered", "search-page", "search-fragment", "product",
              "grade-fragment", "add-to-cart", "cart"]
EDITION = harness.EDITION


def requests_for(app, client) -> dict:
    """page type -> a function that makes its request with `client` (a visitor with a cart once added)."""
    mix = harness.load_search_mix()
    listing_urls = mix.urls(app)
    category = next(path for kind, path in listing_urls if kind == "browse" and path.startswith("/fr-fr/"))
    filtered = next(path for kind, path in listing_urls if kind == "browse+filters")
    product = f"/{EDITION}/p/{harness.SINGLE_PRODUCT}"
    page = client.get(product).get_data(as_text=True)
    grade = next(url for url, current in re.findall(
        r'<a id="pick-grade-\w+" href="([^"]+)"[^>]*?( aria-current="true")?>', page) if not current)
    grade = grade.replace("&amp;", "&")
    form = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
            "listing_id": re.search(r'name="listing_id" value="(\d+)"', page).group(1)}
    search = f"/{EDITION}/search?q=iphone+13"
    fragment = harness.htmx("div#search-results", "http://localhost" + search, "form#listing-form")
    client.post(f"/{EDITION}/cart/add", data=form)                 # the cart the cart page shows
    return {
        "home": lambda: client.get(f"/{EDITION}/"),
        "category": lambda: client.get(category),
        "category-filtered": lambda: client.get(filtered),
        "search-page": lambda: client.get(search),
        "search-fragment": lambda: client.get(search, headers=fragment),
        "product": lambda: client.get(product),
        "grade-fragment": lambda: client.get(grade, headers=harness.htmx("div#purchase", "http://localhost" + product)),
        "add-to-cart": lambda: client.post(f"/{EDITION}/cart/add", data=form,
                                           headers=harness.htmx("div#add-result", "http://localhost" + product)),
        "cart": lambda: client.get(f"/{EDITION}/cart/"),
    }, {"category": category, "category-filtered": filtered, "grade-fragment": grade}


def body_of(report: str) -> str:
    """A text report without pyinstrument's banner."""
    lines = report.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Profile at")), -1) + 1
    return "\n".join(lines[start:]).strip("\n")


def app_functions(session, limit: int) -> list[str]:
    """The app's own functions and templates by inclusive time (a recursive call counted once)."""
    app_dir = str(ROOT / "app") + os.sep
    root = session.root_frame()
    totals: dict[str, float] = {}

    def walk(frame, inside: frozenset) -> None:
        path = frame.file_path or ""
        key = None
        if path.startswith(app_dir):
            key = f"{frame.function}  {path.removeprefix(str(ROOT) + os.sep)}:{frame.line_no}"
            if key not in inside:
                totals[key] = totals.get(key, 0.0) + frame.time
                inside = inside | {key}
        for child in frame.children:
            walk(child, inside)

    if root is None:
        return []
    walk(root, frozenset())
    whole = root.time or 1.0
    ranked = sorted(totals.items(), key=lambda item: -item[1])[:limit]
    return [f"{share / whole:6.1%}  {name}" for name, share in ranked]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench-dir", default=os.environ.get("BENCH_DIR", "/var/tmp/refurb-bench"))
    parser.add_argument("--db", default=os.environ.get("BENCH_DB"), help="an existing SQLite benchmark database")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"), help="a PostgreSQL URL")
    parser.add_argument("--pages", default=",".join(PAGE_TYPES), help=f"comma-separated subset of {PAGE_TYPES}")
    parser.add_argument("--requests", type=int, default=10, help="profiled requests per page type (default 10)")
    parser.add_argument("--lines", type=int, default=40, help="lines of each call tree to print (default 40)")
    parser.add_argument("--flat", type=int, default=12, help="functions by self time to print (default 12)")
    parser.add_argument("--catalog-products", type=int, default=200_000)
    options = parser.parse_args()
    pages = [p for p in options.pages.split(",") if p]
    if set(pages) - set(PAGE_TYPES):
        parser.error(f"unknown page types: {sorted(set(pages) - set(PAGE_TYPES))}")

    from pyinstrument import Profiler

    bench_dir = Path(options.bench_dir)
    url = harness.database_url(options)
    harness.prepare_catalog(url, bench_dir, options.catalog_products)
    env = harness.flask_env(url, bench_dir, production=True, secret=secrets.token_urlsafe(48))
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "MEDIA_ROOT", "APP_ENV", "SECRET_KEY", "PUBLIC_URL")})
    from app import create_app
    app = create_app({"SESSION_COOKIE_SECURE": False})
    out = BENCH / "profiles"
    out.mkdir(exist_ok=True)
    watermark = harness.cart_watermark(app)
    try:
        client = app.test_client()
        make, urls = requests_for(app, client)
        for name in pages:
            request = make[name]
            response = request()                                    # warm-up
            if response.status_code >= 400:
                raise SystemExit(f"{name} answered {response.status_code}")
            profiler = Profiler(interval=0.0005)
            started, cpu = time.perf_counter(), time.process_time()
            profiler.start()
            for _ in range(options.requests):
                request()
            profiler.stop()
            elapsed = (time.perf_counter() - started) / options.requests * 1000
            cpu = (time.process_time() - cpu) / options.requests * 1000
            (out / f"{name}.html").write_text(profiler.output_html())
            tree = profiler.output_text(unicode=True, color=False, show_all=False)
            flat = profiler.output_text(unicode=True, color=False, flat=True, flat_time="self")
            (out / f"{name}.txt").write_text(tree + "\n\nSelf time by function:\n" + body_of(flat))
            where = urls.get(name, "")
            print(f"\n=== {name} {where}: {elapsed:.1f} ms wall, {cpu:.1f} ms CPU per request over "
                  f"{options.requests} (bench/profiles/{name}.html, .txt)")
            print("\n".join(body_of(tree).splitlines()[3:3 + options.lines]))
            print("  -- self time, top functions:")
            print("\n".join("  " + line for line in body_of(flat).splitlines()[:options.flat]))
            ours = app_functions(profiler.last_session, options.flat)
            (out / f"{name}.txt").write_text((out / f"{name}.txt").read_text()
                                             + "\n\nApp functions and templates, inclusive:\n" + "\n".join(ours))
            print("  -- app functions and templates, share of the request (inclusive):")
            print("\n".join("  " + line for line in ours))
    finally:
        harness.remove_bench_carts(app, watermark)


if __name__ == "__main__":
    main()
