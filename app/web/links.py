"""Absolute links that leave the site (e-mails, payment pages), built from the configured PUBLIC_URL.

Never from the request: its Host header is whatever the sender typed, so a reset link built from it
could point at the sender's own server (see app.settings for where PUBLIC_URL comes from)."""
from __future__ import annotations

from flask import current_app, url_for


def public_url_for(endpoint: str, **values) -> str:
    return current_app.config["PUBLIC_URL"] + url_for(endpoint, **values)
