"""`flask search reindex` and `flask demo load` leave a complete index behind."""
from sqlalchemy import delete, func, select

from app.search.models import SearchDocument, SearchFacetCount, SearchProduct, SearchTerm
from app.search.tracking import paused


def counts(session) -> dict[str, int]:
    return {model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (SearchProduct, SearchFacetCount, SearchDocument, SearchTerm)}


def test_reindex_rebuilds_everything_with_a_progress_bar(app, session, shop):
    # given: an index emptied behind the tracking's back
    built = counts(session)
    with paused(session):
        for model in (SearchProduct, SearchFacetCount, SearchDocument, SearchTerm):
            session.execute(delete(model))
        session.commit()

    # when
    result = app.test_cli_runner().invoke(args=["search", "reindex"])

    # then
    assert result.exit_code == 0, result.output
    assert "Search index: 27 product summaries, 45 documents" in result.output
    assert "documents (products)" in result.output and "summaries (markets)" in result.output
    session.expire_all()
    assert counts(session) == built


def test_demo_load_leaves_the_index_built(app, client, session):
    # when
    result = app.test_cli_runner().invoke(args=["demo", "load"])

    # then
    assert result.exit_code == 0, result.output
    html = client.get("/fr-fr/search?q=iphone13").get_data(as_text=True)
    assert '"name">iPhone 13</h3>' in html
