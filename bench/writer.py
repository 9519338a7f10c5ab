"""The write load of `bench/run.py --writes-per-second N`: sellers repricing and restocking.

    .venv/bin/python bench/writer.py --rate 12            # DATABASE_URL etc. from the environment

A separate process (its own interpreter, its own connections, as a back-office worker would be)
that, at a steady `--rate` a second, picks a random listing of the catalog, moves one of its prices
by a few percent and its stock by a unit or two, and commits: through the app's own ORM session,
as the seller portal does (`app.sellers.listings.save_listing` sets the same attributes), so every
derived write (price history, search summaries, page-cache versions) happens as in production.

It runs until SIGTERM or SIGINT, then prints one line `WRITER_RESULT {json}` with the rate it held,
how many commits it made, failed or fell behind on, and the commit times (flush, derived data and COMMIT; p50/p95/max ms). A
commit that waits behind a lock is late: the next one starts at once, never two at a time, so the
rate printed is the one the shop really absorbed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, required=True, help="commits a second to aim at")
    parser.add_argument("--seed", type=int, default=19)
    options = parser.parse_args()

    from sqlalchemy import func, select
    from sqlalchemy.orm import selectinload

    from app import create_app
    from app.extensions import db
    from app.offers.models import Listing

    app = create_app({"SESSION_COOKIE_SECURE": False})
    chooser = random.Random(options.seed)
    stop = {"now": False}

    def on_signal(*_args):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    commits, failures, late = [], 0, 0
    with app.app_context():
        low, high = db.session.execute(select(func.min(Listing.id), func.max(Listing.id))).one()
        db.session.rollback()
        interval = 1 / options.rate
        started = time.monotonic()
        next_at = started
        print(f"writer: {options.rate:g} commits/s over listings {low}-{high}", flush=True)
        while not stop["now"]:
            pause = next_at - time.monotonic()
            if pause > 0:
                time.sleep(pause)
                if stop["now"]:
                    break
            else:
                late += pause < -interval
            next_at = max(next_at + interval, time.monotonic() - interval)
            try:
                listing = db.session.scalar(
                    select(Listing).options(selectinload(Listing.prices))
                    .where(Listing.id >= chooser.randint(low, high)).order_by(Listing.id).limit(1))
                if listing is None or not listing.prices:
                    db.session.rollback()
                    continue
                price = chooser.choice(listing.prices)
                price.amount = max(100, price.amount + chooser.choice((-1, 1)) * max(1, price.amount // 50))
                listing.quantity = max(0, listing.quantity + chooser.choice((-1, 1, 2)))
                begun = time.perf_counter()
                db.session.commit()
                commits.append((time.perf_counter() - begun) * 1000)
            except Exception as error:       # noqa: BLE001 - counted and reported, the load goes on
                db.session.rollback()
                failures += 1
                print(f"writer: {type(error).__name__}: {error}"[:300], file=sys.stderr, flush=True)
        elapsed = time.monotonic() - started
    ordered = sorted(commits) or [0.0]
    result = {"target": options.rate, "commits": len(commits), "failures": failures, "late": late,
              "seconds": round(elapsed, 2), "held": round(len(commits) / elapsed, 2) if elapsed else 0.0,
              "commit_p50_ms": round(statistics.median(ordered), 2),
              "commit_p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
              "commit_max_ms": round(ordered[-1], 2), "pid": os.getpid()}
    print("WRITER_RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
