"""`/readyz`: may this process be sent traffic? Its database answers, its schema is the code's, and
the listing engine's columns are in memory. Cheap once ready: three small queries."""
from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, current_app
from sqlalchemy import text

from app.extensions import db

bp = Blueprint("health", __name__)


@lru_cache(maxsize=4)
def migration_heads(directory: str) -> frozenset[str]:
    """The revisions the code's migrations end at (read once per process)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    config = Config()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def checks() -> dict[str, str]:
    """Each check's outcome: "ok", or what is wrong."""
    from app.config import PROJECT_ROOT
    result: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        result["database"] = "ok"
    except Exception as problem:  # noqa: BLE001 - down is an answer here, not an error
        db.session.rollback()
        return {"database": f"unreachable ({problem.__class__.__name__})", "migrations": "unknown",
                "search_columns": "unknown"}
    try:
        found = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except Exception:  # noqa: BLE001 - no alembic_version: never migrated
        db.session.rollback()
        found = set()
    heads = migration_heads(str(PROJECT_ROOT / "migrations"))
    result["migrations"] = "ok" if found == set(heads) else \
        f"database at {', '.join(sorted(found)) or 'nothing'}, code at {', '.join(sorted(heads))}"
    result["search_columns"] = _search_columns() if result["migrations"] == "ok" else "unknown"
    return result


def _search_columns() -> str:
    """With the columns in memory enabled, read them now if this process has not yet (gunicorn's
    master reads them before forking, so its workers are ready at once)."""
    if not current_app.config.get("SEARCH_IN_MEMORY", True):
        return "ok"
    from app.search.memory import mirror_for, read_markets
    from app.sites.models import Market
    mirror = mirror_for(db.session)
    wanted = set(db.session.scalars(db.select(Market.id)))
    if mirror.seen is None or not wanted <= set(mirror.markets):
        try:
            read_markets(db.session)
        except Exception as problem:  # noqa: BLE001 - reported, not raised
            db.session.rollback()
            return f"could not be read ({problem.__class__.__name__})"
    return "ok"


@bp.get("/readyz")
def readyz():
    outcome = checks()
    ready = all(value == "ok" for value in outcome.values())
    response = current_app.json.response({"status": "ready" if ready else "not ready", "checks": outcome,
                                          "version": current_app.extensions.get("app_version")})
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response
