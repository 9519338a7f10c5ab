"""`flask search reindex`: rebuild every search summary, facet count, document and index."""
from __future__ import annotations

import sys
import time

import click
from flask.cli import AppGroup

from app.extensions import db

search_cli = AppGroup("search", help="The search index.")


@search_cli.command("reindex")
def reindex() -> None:
    """Rebuild the search index from the catalog and the live offers, with a progress bar."""
    from . import index
    started = time.perf_counter()
    session = db.session
    report = rebuild_with_progress(session)
    session.commit()
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
