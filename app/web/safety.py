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


DB_INT_MAX = 2**31 - 1


def db_int(value: str) -> int:
    """`int` for request values that reach the database: refuses what no integer column can hold
    (use as ``request.args.get(name, type=db_int)``; the ValueError makes it return the default)."""
    number = int(value)
    if not -DB_INT_MAX <= number <= DB_INT_MAX:
        raise ValueError(value)
    return number


def has_nul(request) -> bool:
    """A NUL character anywhere a value could reach the database from (PostgreSQL refuses it in text)."""
    if "\x00" in request.path:
        return True
    return any("\x00" in key or "\x00" in value
               for source in (request.args, request.form) for key, values in source.lists() for value in values)


class DbIntConverter(IntegerConverter):
    """`<int:…>` in routes, bounded like `db_int`: an id no column can hold is a 404, not a database error."""
    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(url_map, *args, **kwargs)
