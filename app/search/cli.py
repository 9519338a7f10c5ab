"""`flask search reindex`: rebuild every search summary, facet count, document and index."""
from __future__ import annotations

import sys
import time

import click
from flask.cli import AppGroup

from app.extensions import db

search_cli = AppGroup("search", help="The search index.")
REINDEX_ATTEMPTS = 5


@search_cli.command("reindex")
def reindex() -> None:
    """Rebuild the search index from the catalog and the live offers, with a progress bar."""
    from sqlalchemy.exc import IntegrityError, OperationalError

    from . import index
    started = time.perf_counter()
    session = db.session
    for attempt in range(1, REINDEX_ATTEMPTS + 1):
        try:
            report = rebuild_with_progress(session)
            session.commit()
            break
        except (IntegrityError, OperationalError) as exc:
            # On PostgreSQL a checkout or a seller's change, committed while the rebuild runs, can
            # refresh a product's rows between the rebuild's delete and its insert (a duplicate row)
            # or wait on rows in the opposite order (a deadlock). The live write wins; the rebuild
            # starts again from what is committed now.
            session.rollback()
            if getattr(exc.orig, "sqlstate", None) not in ("23505", "40P01", "40001") or attempt == REINDEX_ATTEMPTS:
                raise
            click.echo(f"A write committed meanwhile conflicted with the rebuild; starting again "
                       f"({attempt}/{REINDEX_ATTEMPTS - 1}).", err=True)
    click.echo(f"Search index: {report['summaries']} product summaries, {report['documents']} documents, "
               f"{report['terms']} words, in {time.perf_counter() - started:.1f} s "
               f"(backend: {index.backend_for(session).name})")


def rebuild_with_progress(session) -> dict[str, int]:
    """`index.rebuild` with a click progress bar per step (markets, then products)."""
    from . import index
    steps = index.steps(session)
    bars: dict[str, click.progressbar] = {}

    def progress(step: str, n: int) -> None:
        bar = bars.get(step)
        if bar is None:
            for other in bars.values():
                other.render_finish()
            label = {"markets": "summaries (markets)", "products": "documents (products)"}[step]
            bar = bars[step] = click.progressbar(length=steps[step], label=f"{label:>22}", show_pos=True,
                                                 file=sys.stderr)
            bar.__enter__()
        bar.update(n)

    try:
        return index.rebuild(session, progress=progress)
    finally:
        for bar in bars.values():
            bar.__exit__(None, None, None)
