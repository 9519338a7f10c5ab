"""The shopper's comparison list: up to four product ids in the signed session cookie.

Kept client-side, so any app process can serve the next request; the comparison page can also be
shared as a link that names the products (`?products=key,key`).
"""
from __future__ import annotations

from flask import session

MAX_PRODUCTS = 4
SESSION_KEY = "compare"


def compared_ids() -> list[int]:
    raw = session.get(SESSION_KEY, [])
    return [i for i in raw if isinstance(i, int)][:MAX_PRODUCTS] if isinstance(raw, list) else []


def add(product_id: int) -> bool:
    """Add a product; False when the list is already full."""
    ids = compared_ids()
    if product_id in ids:
        return True
    if len(ids) >= MAX_PRODUCTS:
        return False
    session[SESSION_KEY] = [*ids, product_id]
    return True


def remove(product_id: int) -> None:
    session[SESSION_KEY] = [i for i in compared_ids() if i != product_id]


def clear() -> None:
    session.pop(SESSION_KEY, None)
