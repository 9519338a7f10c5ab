"""Keeping the search index in step with the catalog: refresh some products, or rebuild everything.

`refresh` is what `app.search.tracking` calls before each commit that touched offers, sellers or
catalog texts; `rebuild` is `flask search reindex`, also run by the demo loader and the benchmark
generator. Both only flush: the caller commits.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.catalog.models import Product
from app.i18n import LANGUAGES

from . import summary
from .backends import backend_for
from .documents import CatalogTexts, Document, build_documents, iter_chunks
from .models import SearchDocument, SearchTerm

DOCUMENT_CHUNK = 2_000


def refresh(session: Session, *, summaries: Iterable[int] = (), documents: Iterable[int] = (),
            markets: Mapping[int, Iterable[int]] | None = None) -> None:
    """Bring these products' summaries (offers, prices, facets) and documents (texts) up to date.

    `markets` narrows a product's summaries to the markets its change can affect (see
    `summary.refresh`); a product absent from it is refreshed in every market."""
    summaries, documents = set(summaries), set(documents)
    summary.lock_for_refresh(session, sorted(summaries | documents))
    summary.refresh(session, summaries, markets=markets, renamed=summaries & documents, locked=True)
    ids = sorted(documents)
    if not ids:
        return
    backend = backend_for(session)
    texts = CatalogTexts(session)
    for chunk in iter_chunks(ids, DOCUMENT_CHUNK):
        old = [dict(row._mapping) for row in session.execute(
            select(SearchDocument.__table__).where(SearchDocument.product_id.in_(chunk)))]
        new = [doc for docs in build_documents(session, chunk, texts).values() for doc in docs]
        backend.write(session, old, new)
        session.execute(delete(SearchDocument).where(SearchDocument.product_id.in_(chunk)))
        if new:
            session.execute(SearchDocument.__table__.insert(), [doc.as_row() for doc in new])
        deltas: dict[str, Counter] = {language: Counter() for language in LANGUAGES}
        for row in old:
            deltas[row["language"]].subtract(Document(**row).terms())
        for doc in new:
            deltas[doc.language].update(doc.terms())
        for language, counts in deltas.items():
            _add_terms(session, language, {term: n for term, n in counts.items() if n})
            backend.add_spellings(session, language, sorted(t for t, n in counts.items() if n > 0))


def _add_terms(session: Session, language: str, counts: dict[str, int]) -> None:
    """Apply vocabulary count changes: new words are inserted, vanished ones drop towards zero."""
    gained = [{"language": language, "term": term, "documents": n} for term, n in sorted(counts.items()) if n > 0]
    lost = [{"language": language, "term": term, "n": -n} for term, n in sorted(counts.items()) if n < 0]
    if gained:
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        statement = insert(SearchTerm)
        statement = statement.on_conflict_do_update(
            index_elements=["language", "term"],
            set_={"documents": SearchTerm.documents + statement.excluded.documents})
        session.execute(statement, gained)
    if lost:
        session.execute(text("UPDATE search_term SET documents = CASE WHEN documents > :n THEN documents - :n "
                             "ELSE 0 END WHERE language = :language AND term = :term"), lost)


def rebuild(session: Session, *, progress: Callable[[str, int], object] | None = None) -> dict[str, int]:
    """Recompute summaries, facet counts, documents, vocabulary and the backend's index from scratch.

    `progress(step, n)` is told about each step: ``("markets", n)`` then ``("products", n)``.
    """
    report = progress or (lambda step, n: None)
    backend = backend_for(session)
    with backend.bulk(session):
        return _rebuild(session, backend, report)


def _rebuild(session: Session, backend, report) -> dict[str, int]:
    summaries = summary.rebuild(session, progress=lambda n: report("markets", n))
    session.execute(delete(SearchDocument))
    session.execute(delete(SearchTerm))
    backend.clear(session)
    texts = CatalogTexts(session)
    ids = list(session.scalars(select(Product.id).where(Product.is_active.is_(True)).order_by(Product.id)))
    terms: dict[str, Counter] = {language: Counter() for language in LANGUAGES}
    written = 0
    for chunk in iter_chunks(ids, DOCUMENT_CHUNK):
        docs = [doc for per_product in build_documents(session, chunk, texts).values() for doc in per_product]
        if docs:
            session.execute(SearchDocument.__table__.insert(), [doc.as_row() for doc in docs])
            backend.write(session, [], docs)
        for doc in docs:
            terms[doc.language].update(doc.terms())
        written += len(docs)
        report("products", len(chunk))
    for language, counts in terms.items():
        rows = [{"language": language, "term": term, "documents": n} for term, n in sorted(counts.items())]
        for start in range(0, len(rows), 10_000):
            session.execute(SearchTerm.__table__.insert(), rows[start:start + 10_000])
        backend.add_spellings(session, language, sorted(counts))
    backend.finish_rebuild(session)
    session.flush()
    return {"summaries": summaries, "documents": written,
            "terms": sum(len(counts) for counts in terms.values())}


def steps(session: Session) -> dict[str, int]:
    """How much work a rebuild has, for progress bars: markets, then products."""
    from app.sites.models import Market
    return {"markets": session.scalar(select(func.count()).select_from(Market)) or 0,
            "products": session.scalar(select(func.count()).where(Product.is_active.is_(True))) or 0}
