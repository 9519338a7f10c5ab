"""gunicorn settings for production: `.venv/bin/gunicorn wsgi:app` reads this file from the project root.

Chosen by measurement (bench/README.md): sync workers, one per core, the app loaded once in the
master and shared by the workers. Every value can be overridden on the command line or with
GUNICORN_CMD_ARGS.
"""
import gc
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "sync"
preload_app = True
# Behind nginx, slow clients are its business; a request that takes longer than this is a bug.
timeout = 30
keepalive = 5
max_requests = 20000            # recycle workers now and then, with jitter so they do not restart together
max_requests_jitter = 2000


def when_ready(server):
    # The listing engine's columns (app/search/memory.py) are read once here, before the workers
    # are forked: they start with them, shared, and catch up with the changes since on their own.
    from app.extensions import db
    from app.search.memory import read_markets
    app = server.app.wsgi()         # the application preload_app has loaded
    # Only the shop: the benchmark's bare Flask app (bench/hello.py) has no database to read.
    if hasattr(app, "app_context") and "sqlalchemy" in getattr(app, "extensions", {}):
        with app.app_context():
            try:
                markets = read_markets(db.session)
                server.log.info("Search columns read: %d markets, %d product summaries, in %.1f s", len(markets),
                                sum(n for _code, n, _s in markets), sum(s for _code, _n, s in markets))
            except Exception:       # noqa: BLE001 - a database not migrated yet: each worker reads later
                server.log.exception("Could not read the search columns before starting the workers")
            db.session.remove()
            db.engine.dispose()     # each worker opens its own connections
    # Under systemd (deploy/systemd/refurb-web.service, NotifyAccess=all) a master started by USR2 tells
    # systemd it is the service's main process now, so that the old master can be stopped (deploy/release.sh).
    if os.environ.get("NOTIFY_SOCKET"):
        from gunicorn import systemd
        systemd.sd_notify(f"READY=1\nMAINPID={os.getpid()}", server.log)
    # Everything loaded so far (app, templates, catalogs) lives as long as the process: keep it out
    # of the garbage collector's scans, which otherwise cost each request more as the heap grows,
    # and leave its pages shared between the forked workers.
    gc.collect()
    gc.freeze()
