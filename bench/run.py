"""Throughput of every page type under the production server, against a bare Flask app as the ceiling.

    .venv/bin/python bench/run.py                        # build/reuse the catalog in $BENCH_DIR, measure
    .venv/bin/python bench/run.py --db /tmp/bench/shop.db --duration 3 --repeat 1
    .venv/bin/python bench/run.py --server sync,gthread,granian --pages product,search-fragment
    make bench                                          # the same, with the defaults

What one run does:

1. makes sure the 200,000-product / 1,000,000-listing catalog exists (a SQLite file in BENCH_DIR,
   /var/tmp/refurb-bench by default, or the database of `--db`/`--database-url`): it is built once
   with `flask db upgrade`, `flask demo load` and `flask demo generate`, migrated when its revision
   is not the head, and reused otherwise;
2. starts the shop (`wsgi:app`, APP_ENV=production, a throwaway SECRET_KEY) and `bench/hello.py`
   under the same server settings (gunicorn `--preload` with sync or gthread workers, or granian);
3. for each page type, drives both over loopback with wrk (`--connections` connections, 2 threads,
   `--duration` seconds, `Accept-Encoding: gzip, br`), once rotating over many URLs of the type so no
   single cached entry answers everything, once on a single URL; each measurement `--repeat` times,
   interleaved with the ceiling's, and reports the median with the min-max spread;
4. counts the SQL statements of one request of each type in-process (test client, same database)
   and the compressed size of the HTML plus the CSS and JS it loads;
5. does all of it once per `--writes-per-second` rate (0, 2 and 12 by default), with bench/writer.py
   changing listing prices and stock through the app's session at that rate meanwhile;
6. prints a table per server and rate and writes everything to bench/results/<timestamp>.json.

It measures; it asserts nothing. Not part of `make test`.
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import html
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
PORTS = range(8200, 8300)
WRK = shutil.which("wrk") or "/usr/bin/wrk"
sys.path.insert(0, str(ROOT))
BROWSER_HEADERS = {
    "User-Agent": "refurb-bench",
    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
    "Accept-Encoding": "gzip, br",
    "Accept-Language": "en-GB,en;q=0.8",
}
# The product sampled for the single-URL case, and the edition of product, cart and grade pages.
EDITION = "en-gb"
SINGLE_PRODUCT = "apple-iphone-13"
PAGE_TYPES = ["home", "category", "category-filtered", "search-fragment", "product", "grade-fragment",
              "add-to-cart", "cart"]

try:
    import brotli
except ImportError:                      # optional: sizes are then reported for gzip only
    brotli = None


# --------------------------------------------------------------------------------------------- requests

@dataclass
class Request:
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


@dataclass
class PageType:
    name: str
    rotate: list[Request]
    single: Request
    note: str = ""


def htmx(target: str, current_url: str, source: str | None = None) -> dict[str, str]:
    """The headers htmx 4 adds to a request that swaps `target` (``tag#id``)."""
    headers = {"HX-Request": "true", "HX-Request-Type": "partial", "HX-Target": target,
               "HX-Current-URL": current_url}
    if source:
        headers["HX-Source"] = source
    return headers


def load_search_mix():
    spec = importlib.util.spec_from_file_location("bench_search", BENCH / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------------------- database

def database_url(options) -> str:
    if options.database_url:
        return options.database_url
    path = Path(options.db) if options.db else Path(options.bench_dir) / "shop.db"
    return f"sqlite:///{path.resolve()}"


def flask_env(url: str, bench_dir: Path, *, production: bool, secret: str | None = None) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media_root(url, bench_dir)),
           "APP_ENV": "production" if production else "development", "PYTHONUNBUFFERED": "1"}
    env.setdefault("PUBLIC_URL", "http://127.0.0.1")     # production refuses to start without it
    if secret:
        env["SECRET_KEY"] = secret
    return env


def media_root(url: str, bench_dir: Path) -> Path:
    """Pictures drawn by `demo load` live beside a given SQLite file (as `make bench` builds it), else in BENCH_DIR."""
    if url.startswith("sqlite:///"):
        beside = Path(url.removeprefix("sqlite:///")).parent / "media"
        if beside.exists():
            return beside
    return bench_dir / "media"


def flask(args: list[str], env: dict[str, str]) -> None:
    print(f"  $ flask --app wsgi {' '.join(args)}", flush=True)
    subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True)


def catalog_state(url: str) -> tuple[set[str], int, int]:
    """(the database's alembic revisions, its products, its generated products); empty, 0, 0 when new."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine, inspect, text

    from app.settings import normalise_database_url
    engine = create_engine(normalise_database_url(url))
    try:
        with engine.connect() as connection:
            revisions = set(MigrationContext.configure(connection).get_current_heads())
            products = generated = 0
            if inspect(connection).has_table("product"):
                products = connection.scalar(text("SELECT count(*) FROM product"))
                generated = connection.scalar(text("SELECT count(*) FROM product WHERE key LIKE 'gen-%'"))
        return revisions, products, generated
    finally:
        engine.dispose()


def head_revisions() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return set(ScriptDirectory.from_config(config).get_heads())


def prepare_catalog(url: str, bench_dir: Path, products_wanted: int) -> None:
    """Build the benchmark catalog once; afterwards only migrate it when the schema moved on."""
    bench_dir.mkdir(parents=True, exist_ok=True)
    env = flask_env(url, bench_dir, production=False)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    revisions, products, generated = catalog_state(url)
    heads = head_revisions()
    if revisions == heads and generated >= products_wanted:
        print(f"Catalog: reusing {url} ({products:,} products, revision {', '.join(sorted(revisions))})")
    else:
        started = time.monotonic()
        if revisions != heads:
            print(f"Catalog: revision {sorted(revisions) or 'none'} -> {sorted(heads)}")
            flask(["db", "upgrade"], env)
        if products == 0:
            print("Catalog: loading the demo catalog")
            flask(["demo", "load"], env)
        if generated < products_wanted:
            print(f"Catalog: {generated:,} generated products, generating {products_wanted:,} "
                  f"(about 5 minutes on SQLite for 200,000)")
            flask(["demo", "generate", "--products", str(products_wanted), "--listings", str(products_wanted * 5),
                   "--sellers", str(max(10, products_wanted // 100))], env)
        print(f"Catalog ready in {time.monotonic() - started:.0f} s")
    # Production serves compiled catalogs only (.mo files are build output).
    subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", "i18n", "compile"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


# --------------------------------------------------------------------------------------------- servers

def free_port(taken: set[int]) -> int:
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise SystemExit("no free port in 8200-8299")


def server_command(server: str, target: str, port: int, workers: int, threads: int) -> list[str]:
    if server == "granian":
        command = [str(VENV_BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
                   "--workers", str(workers), "--no-ws", "--log-level", "warning", target]
        if threads > 1:
            command[1:1] = ["--blocking-threads", str(threads)]
        return command
    command = [str(VENV_BIN / "gunicorn"), "--preload", "-w", str(workers), "-k", server, "-b",
               f"127.0.0.1:{port}", "--log-level", "warning", target]
    if server == "gthread":
        command[1:1] = ["--threads", str(threads)]
    return command


@contextlib.contextmanager
def serving(server: str, target: str, port: int, env: dict[str, str], options, log: Path):
    """Start a server in its own process group; stop the whole group however the block ends."""
    command = server_command(server, target, port, options.workers, options.threads)
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        probe = f"{base}/{EDITION}/" if target == "wsgi:app" else f"{base}/"
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise SystemExit(f"{server} {target} exited with {process.returncode}; see {log}")
            try:
                with urllib.request.urlopen(probe, timeout=30) as response:
                    response.read()
                break
            except (OSError, urllib.error.HTTPError):
                if time.monotonic() > deadline:
                    raise SystemExit(f"{server} {target} did not answer {probe} within 120 s; see {log}") from None
                time.sleep(0.25)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class Writer:
    result: dict | None = None


@contextlib.contextmanager
def writing(rate: float, env: dict[str, str], log: Path):
    """`bench/writer.py` changing prices and stock at `rate` commits a second while the block runs
    (nothing at 0); afterwards `.result` holds what it reports, the rate it really held first."""
    writer = Writer()
    if rate <= 0:
        writer.result = {"target": 0, "held": 0.0, "commits": 0, "failures": 0}
        yield writer
        return
    with log.open("ab") as errors:
        process = subprocess.Popen([str(VENV_BIN / "python"), str(BENCH / "writer.py"), "--rate", str(rate)],
                                   cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=errors, text=True,
                                   start_new_session=True)
    try:
        first = process.stdout.readline()           # "writer: ..." once the app is loaded
        if process.poll() is not None:
            raise SystemExit(f"bench/writer.py exited with {process.returncode}; see {log}")
        print(f"  {first.strip()}", flush=True)
        yield writer
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            out, _ = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            out, _ = process.communicate(timeout=10)
        line = next((x for x in out.splitlines() if x.startswith("WRITER_RESULT ")), None)
        writer.result = json.loads(line.removeprefix("WRITER_RESULT ")) if line else {"target": rate, "held": None}
        print(f"  writer: {writer.result}", flush=True)


# ------------------------------------------------------------------------------------------------ HTTP

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(base: str, request: Request, extra: dict[str, str] | None = None):
    """(status, headers, body bytes) of one request; redirects are not followed."""
    headers = {**BROWSER_HEADERS, "Accept-Encoding": "identity", **request.headers, **(extra or {})}
    data = request.body.encode() if request.body is not None else None
    prepared = urllib.request.Request(base + request.path, data=data, headers=headers, method=request.method)
    try:
        with OPENER.open(prepared, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def cookies_from(headers, jar: dict[str, str]) -> dict[str, str]:
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


# ---------------------------------------------------------------------------------------- the URL sets

def discover(app, base: str, products: int) -> tuple[list[PageType], dict]:
    """Every page type's requests: URLs read from the database, forms and links scraped from real pages."""
    from sqlalchemy import select

    from app.catalog.models import ProductTranslation
    from app.extensions import db
    from app.search.models import SearchProduct
    from app.sites.models import Edition

    mix = load_search_mix()
    with app.app_context():
        market_id = db.session.scalar(select(Edition.market_id).where(Edition.code == EDITION))
        # A spread of purchasable products: every n-th by a scrambled id, so real and generated ones mix.
        slugs = list(db.session.scalars(
            select(ProductTranslation.slug)
            .join(SearchProduct, SearchProduct.product_id == ProductTranslation.product_id)
            .where(SearchProduct.market_id == market_id, SearchProduct.offers_count > 0,
                   ProductTranslation.language == "en")
            .order_by((SearchProduct.product_id * 7919) % 100003).limit(products * 2)))
        editions = list(db.session.scalars(select(Edition.code).where(Edition.is_active).order_by(Edition.position)))
    slugs = [SINGLE_PRODUCT] + [s for s in slugs if s != SINGLE_PRODUCT]
    listing_urls = mix.urls(app)

    def ok(request: Request) -> bool:
        status, _headers, _body = fetch(base, request)
        return status == 200

    # Product pages: the page itself, its grade picker's links and its add-to-cart form.
    product_requests, grade_requests, add_forms = [], [], []
    jar: dict[str, str] = {}
    for slug in slugs:
        if len(product_requests) >= products:
            break
        path = f"/{EDITION}/p/{slug}"
        status, headers, body = fetch(base, Request(path), {"Cookie": cookie_header(jar)} if jar else None)
        if status != 200:
            continue
        cookies_from(headers, jar)
        page = body.decode()
        product_requests.append(Request(path))
        grade = next((html.unescape(href) for href, current in re.findall(
            r'<a id="pick-grade-\w+" href="([^"]+)"[^>]*?( aria-current="true")?>', page) if not current), None)
        if grade:
            grade_requests.append(Request(grade, headers=htmx("div#purchase", base + path, "a")))
        form = re.search(r'<form class="add-to-cart" method="post" action="([^"]+)".*?</form>', page, re.S)
        if form:
            fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(0)))
            add_forms.append((html.unescape(form.group(1)), fields, base + path))
    if not product_requests or not add_forms:
        raise SystemExit(f"no purchasable product found in {EDITION}: is the catalog built?")

    # Add to cart: the visitor's session cookie (it holds the CSRF secret), no cart cookie, so every
    # POST is a first add (a new cart): the same POST repeated on one cart would reach the quantity cap.
    session_cookie = cookie_header({k: v for k, v in jar.items() if k != "cart"})
    add_requests = []
    for action, fields, page_url in add_forms:
        body = "&".join(f"{k}={quote(v)}" for k, v in fields.items())
        add_requests.append(Request(action, "POST", {
            "Cookie": session_cookie, "Content-Type": "application/x-www-form-urlencoded",
            "Origin": base, "Referer": page_url, **htmx("div#add-result", page_url, "form")}, body))
    status, _headers, body = fetch(base, add_requests[0])
    if status not in (200, 303):
        raise SystemExit(f"add to cart answered {status}: {body[:300]!r}")

    # Carts of 1 to 5 lines (plain form posts, as without JavaScript), each with its own cookie.
    carts = []
    for size in (3, 1, 2, 4, 5):
        cart_jar = {k: v for k, v in jar.items() if k != "cart"}
        for action, fields, _page in add_forms[:size]:
            body = "&".join(f"{k}={quote(v)}" for k, v in fields.items())
            status, headers, _ = fetch(base, Request(action, "POST", {
                "Cookie": cookie_header(cart_jar), "Content-Type": "application/x-www-form-urlencoded"}, body))
            cookies_from(headers, cart_jar)
            if status not in (200, 303):
                raise SystemExit(f"building a cart: add answered {status}")
        carts.append(Request(f"/{EDITION}/cart/", headers={"Cookie": cookie_header(cart_jar)}))

    search_fragments = [
        Request(path, headers=htmx("div#search-results", base + path, "form#listing-form"))
        for kind, path in listing_urls if kind.startswith("text")]
    category = [Request(path) for kind, path in listing_urls if kind == "browse"]
    filtered = [Request(path) for kind, path in listing_urls if kind == "browse+filters"]
    types = [
        PageType("home", [Request(f"/{e}/") for e in editions], Request(f"/{EDITION}/")),
        PageType("category", category, next(r for r in category if r.path.startswith("/fr-fr/c/"))),
        PageType("category-filtered", filtered, filtered[0]),
        PageType("search-fragment", search_fragments, Request(
            f"/{EDITION}/search?q=iphone+13",
            headers=htmx("div#search-results", f"{base}/{EDITION}/search?q=iphone", "form#listing-form"))),
        PageType("product", product_requests, product_requests[0]),
        PageType("grade-fragment", grade_requests, grade_requests[0]),
        PageType("add-to-cart", add_requests, add_requests[0], "htmx POST, a new cart each"),
        PageType("cart", carts, carts[0], "carts of 1-5 lines"),
    ]
    for page_type in types:
        for request in [page_type.single, *page_type.rotate]:
            if request.method == "GET" and not ok(request):
                raise SystemExit(f"{page_type.name}: {request.path} does not answer 200")
    facts = {"products_sampled": len(product_requests), "editions": editions}
    return types, facts


# ---------------------------------------------------------------------------------------------- wrk

LUA = r"""
local requests = {%(requests)s}
local prepared = {}
local index = 0

function init(args)
  for k, r in ipairs(requests) do
    prepared[k] = wrk.format(r[1], r[2], r[3], r[4])
  end
  index = math.random(#prepared) - 1
end

function request()
  index = index %% #prepared + 1
  return prepared[index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %%.0f, "duration_us": %%.0f, "bytes": %%.0f, "status_errors": %%.0f, ' ..
    '"socket_errors": %%.0f, "p50_us": %%.0f, "p95_us": %%.0f, "p99_us": %%.0f, "max_us": %%.0f, "mean_us": %%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
"""


def lua_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def lua_script(requests: list[Request], host: str) -> str:
    rows = []
    for r in requests:
        headers = {**BROWSER_HEADERS, "Host": host, **r.headers}
        table = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
        body = lua_string(r.body) if r.body is not None else "nil"
        rows.append(f"{{{lua_string(r.method)}, {lua_string(r.path)}, {{{table}}}, {body}}}")
    return LUA % {"requests": ",\n  ".join(rows)}


def run_wrk(base: str, requests: list[Request], options, *, duration: float | None = None) -> dict:
    host = urlsplit(base).netloc
    duration = options.duration if duration is None else duration
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="refurb-bench-", delete=False) as script:
        script.write(lua_script(requests, host))
    try:
        completed = subprocess.run(
            [WRK, "-t", str(options.wrk_threads), "-c", str(options.connections), "-d", f"{duration}s",
             "--timeout", "10s", "--latency", "-s", script.name, base + "/"],
            capture_output=True, text=True, timeout=duration + 60)
    finally:
        os.unlink(script.name)
    line = next((x for x in completed.stdout.splitlines() if x.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{completed.stdout}\n{completed.stderr}")
    result = json.loads(line.removeprefix("BENCH_RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


# ------------------------------------------------------------------------ in-process: queries and size

def count_queries(app, page_type: PageType) -> int:
    """SQL statements of one request (the second: the first warms per-process caches)."""
    from sqlalchemy import event

    from app.extensions import db
    with app.app_context():
        engine = db.engine
    counter = {"n": 0}

    def before(*_args):
        counter["n"] += 1

    request = page_type.single
    client = app.test_client()
    headers = {k: v for k, v in request.headers.items() if k != "Cookie"}
    if page_type.name == "add-to-cart":
        # The test client keeps its own session: take its CSRF token from the product page it got.
        page = client.get(f"/{EDITION}/p/{SINGLE_PRODUCT}").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        listing = re.search(r'name="listing_id" value="(\d+)"', page).group(1)
        body = {"csrf_token": token, "listing_id": listing}
    else:
        body = None
        for name, value in re.findall(r"(\w+)=([^;]+)", request.headers.get("Cookie", "")):
            if name == "cart":
                client.set_cookie(name, value, domain="localhost")
    counts = []
    event.listen(engine, "before_cursor_execute", before)
    try:
        for _ in range(2):
            if body is not None:
                client.delete_cookie("cart")          # a first add, as under wrk: no cart cookie yet
            counter["n"] = 0
            response = client.open(request.path, method=request.method, headers=headers, data=body)
            if response.status_code >= 400:
                raise SystemExit(f"{page_type.name}: in-process {request.path} answered {response.status_code}")
            counts.append(counter["n"])
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return counts[-1]


def compressed(data: bytes, dynamic: bool) -> tuple[int, int | None]:
    """(gzip, brotli) sizes: on-the-fly levels for a page, the best levels for static files."""
    gz = len(gzip.compress(data, compresslevel=6 if dynamic else 9))
    br = len(brotli.compress(data, quality=5 if dynamic else 11)) if brotli else None
    return gz, br


def page_weight(base: str, request: Request) -> dict:
    """Raw and compressed bytes of the response's HTML and of the stylesheets and scripts it links."""
    _status, headers, body = fetch(base, request)
    page = body.decode(errors="replace")
    assets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', page)
    assets += re.findall(r'<script[^>]+src="([^"]+)"', page)
    weight = {"html_raw": len(body), "assets": []}
    weight["html_gzip"], weight["html_br"] = compressed(body, True)
    total_gzip, total_br = weight["html_gzip"], weight["html_br"]
    for href in assets:
        url = urljoin(base + request.path, html.unescape(href))
        _s, _h, data = fetch(base, Request(url.removeprefix(base)))
        gz, br = compressed(data, False)
        weight["assets"].append({"url": url.removeprefix(base), "raw": len(data), "gzip": gz, "br": br})
        total_gzip += gz
        total_br = total_br + br if br is not None else None
    weight["total_gzip"], weight["total_br"] = total_gzip, total_br
    _s, sent_headers, _b = fetch(base, request, {"Accept-Encoding": "gzip, br"})
    weight["server_encoding"] = sent_headers.get("Content-Encoding", "identity")
    return weight


# -------------------------------------------------------------------------------------------- report

def spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def summarise(runs: list[dict], ceiling: list[dict]) -> dict:
    rps = [r["rps"] for r in runs]
    summary = {"rps": spread(rps)}
    for key in ("p50_us", "p95_us", "p99_us"):
        summary[key.removesuffix("_us") + "_ms"] = spread([r[key] / 1000 for r in runs])
    summary["errors"] = sum(r["status_errors"] + r["socket_errors"] for r in runs)
    summary["requests"] = sum(r["requests"] for r in runs)
    summary["bytes_per_request"] = sum(r["bytes"] for r in runs) / max(1, summary["requests"])
    if ceiling:
        # Each run against the ceiling measured just before its page type, in the same round.
        summary["ratio"] = spread([r["rps"] / c["rps"] for r, c in zip(runs, ceiling, strict=False)])
    return summary


def print_table(server: str, options, results: dict) -> None:
    ceiling = results["ceiling"]["summary"]
    print(f"\n=== {server}, {options.workers} workers{f' x {options.threads} threads' if server != 'sync' else ''}, "
          f"wrk {options.connections} connections, {options.duration} s x {options.repeat}; "
          f"median [min-max]")
    writer = results.get("writer") or {}
    if writer.get("target"):
        print(f"while bench/writer.py changed prices and stock: {writer['target']:g} commits/s wanted, "
              f"{writer.get('held')} held ({writer.get('commits')} commits, {writer.get('failures')} failed; "
              f"commit p50 {writer.get('commit_p50_ms')} ms, p95 {writer.get('commit_p95_ms')} ms)")
    else:
        print("no writes meanwhile")
    print(f"ceiling (bench/hello.py): {ceiling['rps']['median']:.0f} req/s "
          f"[{ceiling['rps']['min']:.0f}-{ceiling['rps']['max']:.0f}], p95 {ceiling['p95_ms']['median']:.1f} ms; "
          f"load average during the rounds {min(results['load']):.1f}-{max(results['load']):.1f} on "
          f"{os.cpu_count()} CPUs")
    header = (f"{'page type':<26}{'urls':>5} {'req/s':>16} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
              f" {'err':>5} {'SQL':>4} {'KB/req':>7} {'gzip KB':>8} {'br KB':>6}")
    print(header)
    print("-" * len(header))
    for name, entry in results["pages"].items():
        weight = entry.get("weight")
        for row, mode in enumerate(m for m in ("rotate", "single") if m in entry):
            s = entry[mode]
            label = "  same, 1 URL" if row else name + (" (1 URL)" if mode == "single" else "")
            urls = entry["urls"] if mode == "rotate" else 1
            rps = f"{s['rps']['median']:.0f} [{s['rps']['min']:.0f}-{s['rps']['max']:.0f}]"
            first = row == 0
            sql = f"{entry['queries']:>4}" if first else f"{'':>4}"
            size = (f"{weight['total_gzip'] / 1024:8.1f} {(weight['total_br'] or 0) / 1024:6.1f}"
                    if first and weight else f"{'':8} {'':6}")
            print(f"{label:<26}{urls:>5} {rps:>16} {s['ratio']['median']:>6.1%} {s['p50_ms']['median']:>7.1f}"
                  f" {s['p95_ms']['median']:>7.1f} {s['p99_ms']['median']:>7.1f} {s['errors']:>5} {sql}"
                  f" {s['bytes_per_request'] / 1024:>7.1f} {size}")
    print("ratio: req/s over the ceiling's, each run paired with the ceiling run just before its page type;\nerr: non-2xx/3xx "
          "answers and socket errors, all runs; SQL: statements of one request (in-process, the 1-URL request);\n"
          "KB/req: bytes on the wire per answer; gzip/br KB: the 1-URL request's HTML (gzip 6, brotli 5) plus the\n"
          "CSS and JS it loads (gzip 9, brotli 11), images apart")


# ---------------------------------------------------------------------------------------------- main

def cart_watermark(app) -> int:
    from sqlalchemy import func, select

    from app.cart.models import Cart
    from app.extensions import db
    with app.app_context():
        return db.session.scalar(select(func.coalesce(func.max(Cart.id), 0)))


def remove_bench_carts(app, after_id: int) -> int:
    """The carts this run made (anonymous, newer than the watermark), so repeated runs leave no trace."""
    from sqlalchemy import delete, select

    from app.cart.models import Cart, CartLine
    from app.extensions import db
    with app.app_context():
        mine = select(Cart.id).where(Cart.id > after_id, Cart.user_id.is_(None))
        db.session.execute(delete(CartLine).where(CartLine.cart_id.in_(mine)))
        removed = db.session.execute(delete(Cart).where(Cart.id > after_id, Cart.user_id.is_(None))).rowcount
        db.session.commit()
        return removed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench-dir", default=os.environ.get("BENCH_DIR", "/var/tmp/refurb-bench"),
                        help="where the catalog is built and cached (default $BENCH_DIR or /var/tmp/refurb-bench)")
    parser.add_argument("--db", default=os.environ.get("BENCH_DB"),
                        help="an existing SQLite benchmark database to use instead (default $BENCH_DB)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL URL instead of SQLite (postgresql://user:pass@host/db)")
    parser.add_argument("--server", default="sync",
                        help="comma-separated: sync, gthread (gunicorn worker classes), granian (default sync)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker for gthread/granian (default 4)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement (default 10)")
    parser.add_argument("--repeat", type=int, default=3, help="measurements per page type and mode (default 3)")
    parser.add_argument("--warm-up", type=int, default=3,
                        help="unrecorded seconds of the same load before each measurement (default 3; 0: from cold)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--pages", default=",".join(PAGE_TYPES), help=f"comma-separated subset of {PAGE_TYPES}")
    parser.add_argument("--modes", default="rotate,single",
                        help="rotate (many URLs per page type), single (one URL), or both (default)")
    parser.add_argument("--products", type=int, default=50, help="products to rotate over (default 50)")
    parser.add_argument("--catalog-products", type=int, default=200_000,
                        help="generated products the catalog should hold, with 5 listings each; built or topped "
                             "up when it holds fewer (default 200000)")
    parser.add_argument("--writes-per-second", default="0,2,12",
                        help="comma-separated rates of price and stock changes made meanwhile by bench/writer.py, "
                             "one table each (default 0,2,12)")
    parser.add_argument("--keep-carts", action="store_true", help="leave the carts made by add-to-cart in the DB")
    options = parser.parse_args()
    options.modes = [m for m in options.modes.split(",") if m]
    try:
        options.writes_per_second = [float(r) for r in options.writes_per_second.split(",") if r]
    except ValueError:
        parser.error("--writes-per-second takes numbers, e.g. 0,2,12")
    pages = [p for p in options.pages.split(",") if p]
    unknown = set(pages) - set(PAGE_TYPES)
    if unknown or not set(options.modes) <= {"rotate", "single"}:
        parser.error(f"unknown page types or modes: {sorted(unknown) or options.modes}")
    servers = [s for s in options.server.split(",") if s]
    if not set(servers) <= {"sync", "gthread", "granian"}:
        parser.error("--server takes sync, gthread, granian")
    if not Path(WRK).exists():
        raise SystemExit("wrk is missing: apt-get install wrk (make system-packages installs it)")

    bench_dir = Path(options.bench_dir)
    url = database_url(options)
    prepare_catalog(url, bench_dir, options.catalog_products)

    # One throwaway key for the servers and the in-process app, so their session cookies agree.
    secret = secrets.token_urlsafe(48)
    env = flask_env(url, bench_dir, production=True, secret=secret)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "MEDIA_ROOT", "APP_ENV", "SECRET_KEY", "PUBLIC_URL")})
    from app import create_app
    app = create_app({"SESSION_COOKIE_SECURE": False})
    hello_env = {**env, "PYTHONPATH": str(BENCH)}

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    results_dir = BENCH / "results"
    results_dir.mkdir(exist_ok=True)
    log = bench_dir / f"server-{stamp}.log"
    bench_dir.mkdir(parents=True, exist_ok=True)
    report = {"started": stamp, "database": re.sub(r"//[^@/]*@", "//***@", url), "options": {
        k: v for k, v in vars(options).items() if k not in ("db", "database_url")}, "machine": machine(), "servers": {}}
    watermark = cart_watermark(app)
    taken: set[int] = set()
    try:
        for server in servers:
            with serving(server, "wsgi:app", free_port(taken), env, options, log) as shop, \
                    serving(server, "hello:app", free_port(taken), hello_env, options, log) as hello:
                types, facts = discover(app, shop, options.products)
                report["facts"] = facts
                types = [t for t in types if t.name in pages]
                queries = {t.name: count_queries(app, t) for t in types}
                weights = {t.name: page_weight(shop, t.single) for t in types if t.single.method == "GET"}
                for rate in options.writes_per_second:
                    with writing(rate, env, log) as writer:
                        results = {"ceiling": {"runs": []}, "pages": {}, "load": [], "writes_per_second": rate}
                        for page_type in types:
                            entry = results["pages"][page_type.name] = {"urls": len(page_type.rotate),
                                                                         "note": page_type.note}
                            entry["queries"] = queries[page_type.name]
                            if page_type.name in weights:
                                entry["weight"] = weights[page_type.name]
                            entry["single_url"] = page_type.single.path
                        run_rounds(server, shop, hello, types, results, options)
                    results["writer"] = writer.result
                    report["servers"][f"{server}, {rate:g} writes/s"] = results
                    print_table(server, options, results)
    finally:
        if not options.keep_carts:
            removed = remove_bench_carts(app, watermark)
            print(f"\nRemoved the {removed:,} carts this run made.")
    out = results_dir / f"{stamp}.json"
    out.write_text(json.dumps(report, indent=1, default=str))
    print(f"Results: {out.relative_to(ROOT)}; server log: {log}")


def run_rounds(server: str, shop: str, hello: str, types: list[PageType], results: dict, options) -> None:
    """Every page type, `--repeat` times, each run after the ceiling measured just before it."""
    for repeat in range(options.repeat):
        print(f"[{server}] round {repeat + 1}/{options.repeat}", flush=True)
        for page_type in types:
            results["load"].append(os.getloadavg()[0])
            entry = results["pages"][page_type.name]
            # The ceiling again before each page type: a busy moment then weighs on both.
            ceiling = run_wrk(hello, [Request("/")], options)
            results["ceiling"]["runs"].append(ceiling)
            for mode in options.modes:
                requests = page_type.rotate if mode == "rotate" else [page_type.single]
                if options.warm_up:
                    # Unrecorded: a live shop asks for these pages all the time, so the
                    # measured run starts as it would, with their cache entries drawn.
                    run_wrk(shop, requests, options, duration=options.warm_up)
                measured = run_wrk(shop, requests, options)
                entry.setdefault(f"{mode}_runs", []).append(measured)
                entry.setdefault(f"{mode}_ceiling", []).append(ceiling)
                print(f"  {page_type.name:<18} {mode:<6} {measured['rps']:8.1f} req/s "
                      f"p95 {measured['p95_us'] / 1000:7.1f} ms  (ceiling {ceiling['rps']:.0f})",
                      flush=True)
    results["ceiling"]["summary"] = summarise(results["ceiling"]["runs"], [])
    for entry in results["pages"].values():
        for mode in options.modes:
            entry[mode] = summarise(entry[f"{mode}_runs"], entry[f"{mode}_ceiling"])


def machine() -> dict:
    facts = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    with contextlib.suppress(OSError):
        model = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        facts["cpu"] = model.group(1) if model else None
        mem = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        facts["memory_gib"] = round(int(mem.group(1)) / 2**20, 1) if mem else None
        facts["load_average"] = os.getloadavg()
    return facts


if __name__ == "__main__":
    main()
