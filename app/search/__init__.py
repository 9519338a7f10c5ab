"""Search and browse: the listing engine behind category pages and search results.

Owns the search summaries and documents (`models`), their upkeep (`tracking`, `index`), the
full-text backends (`backends`: SQLite FTS5 or PostgreSQL tsvector, following the database),
query analysis (`text`, `synonyms`), the engine (`engine`, `service`), the search and suggestion
pages (`views`) and `flask search reindex` (`cli`). It asks `app.offers.queries.purchasable_prices`
what can be bought, and `app.catalog` for categories, brands and product cards.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.extensions import db

    from . import models as _models  # noqa: F401  (tables for create_all and autogenerate)
    from . import schema
    from .cli import search_cli
    from .views import bp
    schema.install_on_create(db.metadata)
    app.register_blueprint(bp)
    app.cli.add_command(search_cli)
