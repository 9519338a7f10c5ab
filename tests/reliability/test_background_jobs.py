"""Heavy writes beside the shop: `flask search reindex` and a seller's 10,000-line CSV import run
while buyers browse and check out; every page keeps answering, none waits for the server timeout."""
from __future__ import annotations

import io
import subprocess
import threading
import time

import pytest
import requests

from .shop import PROJECT_ROOT, SERVER_TIMEOUT, VENV_BIN, Buyer

pytestmark = pytest.mark.reliability


def _traffic_while(server, slug, running, buyers=4):
    """Buyers browsing and checking out until `running()` is false; returns (seconds, status) of all."""
    record: list[tuple[float, int]] = []
    failures: list[str] = []
    checkouts = []

    def buyer_loop(n):
        buyer = Buyer(server, record=record)
        while running():
            try:
                buyer.http.cookies.clear()
                buyer.get("/fr-fr/search?q=model")
                review = buyer.fill_cart(slug)
                answer = buyer.pay(review)
                assert answer.status_code == 303, answer.status_code
                checkouts.append(answer)
            except (requests.RequestException, AssertionError) as exc:
                failures.append(repr(exc))

    threads = [threading.Thread(target=buyer_loop, args=(n,)) for n in range(buyers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return record, failures, checkouts


def _assert_answered(record, failures):
    assert record and failures == [], failures[:5]
    assert [status for _, status in record if status >= 500] == []
    assert max(seconds for seconds, _ in record) < SERVER_TIMEOUT


def test_pages_and_checkouts_keep_answering_while_the_search_is_reindexed(shop, server, report):
    for n in range(12):
        shop.product(quantity=50, amount=20000 + n * 100)
    slug, _ = shop.product(quantity=100000)
    runs = []

    def reindex_twice():
        for _ in range(2):
            runs.append(subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", "search", "reindex"],
                                       cwd=PROJECT_ROOT, env=shop.env, capture_output=True, text=True,
                                       timeout=300, check=False))

    job = threading.Thread(target=reindex_twice)
    job.start()
    record, failures, checkouts = _traffic_while(server, slug, job.is_alive)
    job.join()

    assert [run.returncode for run in runs] == [0, 0], [run.stderr[-2000:] for run in runs]
    _assert_answered(record, failures)
    assert checkouts                                    # orders were placed while it ran
    restarts = sum(run.stderr.count("starting again") for run in runs)
    report(f"reindex x2: {len(record)} requests, {len(checkouts)} checkouts meanwhile, {restarts} restarts")


def test_pages_and_checkouts_keep_answering_while_a_ten_thousand_line_import_runs(shop, server, report):
    from app.catalog.models import Category
    from app.sellers.csv_io import columns_for
    from app.sellers.models import Seller
    from tests.builders import make_product
    with shop.session() as session:
        skus = [variant.sku
                for n in range(50)
                for variant in make_product(session, key=f"bulk-{n}", category=session.get(Category, shop.category_id),
                                            storages=tuple(range(1, 26))).variants]
        session.commit()
        header = columns_for(session.get(Seller, shop.seller_id))
    lines = [",".join(header)]
    for sku in skus:
        for grade in ("fair", "good", "excellent", "premium"):
            for battery in ("yes", "no"):
                lines.append(",".join([sku, grade, battery, "85", "7", "12", "margin", "yes"]
                                      + ["199.90"] * (len(header) - 8)))
    assert len(lines) == 10001
    slug, _ = shop.product(quantity=100000)
    email, password = shop.seller_staff()
    seller = Buyer(server, "en-gb")
    seller.sign_in(email, password)
    page = seller.get("/seller/listings/import")
    result = {}

    def run_import():
        started = time.monotonic()
        result["answer"] = seller.submit(page, "/seller/listings/import", files={
            "file": ("listings.csv", io.BytesIO("\n".join(lines).encode()), "text/csv")})
        result["seconds"] = time.monotonic() - started

    job = threading.Thread(target=run_import)
    job.start()
    record, failures, checkouts = _traffic_while(server, slug, job.is_alive)
    job.join()

    answer = result["answer"]
    assert answer.status_code == 200, (answer.status_code, answer.text[-2000:])
    assert result["seconds"] < SERVER_TIMEOUT
    _assert_answered(record, failures)
    from sqlalchemy import func, select

    from app.offers.models import Listing
    with shop.session() as session:
        assert session.scalar(select(func.count()).select_from(Listing).where(Listing.quantity == 7)) == 10000
    report(f"import of 10,000 lines in {result['seconds']:.1f} s: {len(record)} requests, "
          f"{len(checkouts)} checkouts meanwhile")
