"""Guards for values that come back from the browser."""
from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter


def local_path(target: str | None) -> str | None:
    """`target` when it is a path on this site ("/fr-fr/p/x?grade=good"), else None: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return None
    return target


def link_target(target: str | None) -> str | None:
    """`target` when it is a path on this site or an absolute https address, else None. Browsers read
    `/\\host` as `//host`: `local_path` refuses it, and an address must name its host plainly."""
    target = (target or "").strip()
    if local_path(target):
        return target
    if any(ord(c) <= 32 or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    try:
        _ = parts.port  # raises ValueError on a port that is not a number
    except ValueError:
        return None
    if parts.scheme != "https" or not parts.hostname or "@" in parts.netloc:
        return None
    return target


DB_INT_MAX = 2**31 - 1


def db_int(value: str) -> int:
    """`int` for request values that reach the database: refuses what no integer column can hold
    (use as ``request.args.get(name, type=db_int)``; the ValueError makes it return the default)."""
    number = int(value)
    if not -DB_INT_MAX <= number <= DB_INT_MAX:
        raise ValueError(value)
    return number


def has_nul(request) -> bool:
    """A NUL character in the path or a posted form (PostgreSQL refuses it in text). The query string
    is left to the views: filters ignore what they do not understand, and search words go through
    `search_text`."""
    if "\x00" in request.path:
        return True
    return any("\x00" in key or "\x00" in value for key, values in request.form.lists() for value in values)


def search_text(value: str | None, *, limit: int = 100) -> str:
    """Words typed in a search box, safe to compare in SQL: trimmed, bounded, without control characters."""
    return "".join(c for c in (value or "") if ord(c) >= 32).strip()[:limit]


class DbIntConverter(IntegerConverter):
    """`<int:…>` in routes, bounded like `db_int`: an id no column can hold is a 404, not a database error."""
    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(url_map, *args, **kwargs)
