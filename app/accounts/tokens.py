"""Signed, expiring links for e-mail verification, password reset and staff invitations.

Nothing is stored: a token names the user and a fingerprint of what it may change (the e-mail for a
verification, the current password hash for a reset), so it stops working once used or outdated.
"""
from __future__ import annotations

import hashlib
from enum import StrEnum

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class Purpose(StrEnum):
    VERIFY = "verify-email"
    RESET = "reset-password"


MAX_AGE = {Purpose.VERIFY: 7 * 24 * 3600, Purpose.RESET: 2 * 3600}


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"accounts.{purpose}")


def fingerprint(user, purpose: Purpose) -> str:
    basis = user.email if purpose is Purpose.VERIFY else f"{user.password_hash or ''}:{user.security_stamp}"
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def make_token(user, purpose: Purpose) -> str:
    return _serializer(purpose).dumps([user.id, fingerprint(user, purpose)])


def read_token(token: str, purpose: Purpose) -> tuple[int, str] | None:
    """(user id, fingerprint) of a valid, unexpired token; None otherwise."""
    try:
        user_id, print_ = _serializer(purpose).loads(token, max_age=MAX_AGE[purpose])
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(print_, str):
        return None
    return user_id, print_
