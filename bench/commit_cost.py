"""CPU and wall time of one listing price and stock change's commit, in-process, on a catalog.

    DATABASE_URL=sqlite:////var/tmp/refurb-bench/shop.db APP_ENV=production SECRET_KEY=x \\
        .venv/bin/python bench/commit_cost.py [seed]

Changes a random listing's price (one market) and stock through the app's ORM session, 45 times,
and times `session.commit()` (flush, every derived write of `app.derived`, COMMIT) by
`time.process_time` and the clock; the first 5 are not counted. It writes to the database it is
given: run it on a benchmark catalog, never on a shop.
"""
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from sqlalchemy import func, select
    from sqlalchemy.orm import selectinload

    from app import create_app
    from app.extensions import db
    from app.offers.models import Listing

    app = create_app({"SESSION_COOKIE_SECURE": False})
    rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    cpu, wall = [], []
    with app.app_context():
        low, high = db.session.execute(select(func.min(Listing.id), func.max(Listing.id))).one()
        db.session.rollback()
        for i in range(45):
            listing = db.session.scalar(select(Listing).options(selectinload(Listing.prices))
                                        .where(Listing.id >= rng.randint(low, high)).order_by(Listing.id).limit(1))
            price = rng.choice(listing.prices)
            price.amount += rng.choice((-100, 100))
            listing.quantity = max(0, listing.quantity + rng.choice((-1, 1)))
            started_cpu, started = time.process_time(), time.perf_counter()
            db.session.commit()
            if i >= 5:
                cpu.append((time.process_time() - started_cpu) * 1000)
                wall.append((time.perf_counter() - started) * 1000)
    cpu.sort()
    print(f"{os.getcwd()}: commit CPU median {statistics.median(cpu):.1f} ms (p90 {cpu[int(0.9 * len(cpu))]:.1f}), "
          f"wall median {statistics.median(wall):.1f} ms, n={len(cpu)}")


if __name__ == "__main__":
    main()
