"""Security headers on every response, and HTTPS awareness behind a reverse proxy."""
from __future__ import annotations

from flask import Blueprint, Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script or style anywhere: htmx is a file, styles are a file, pictures are files or SVG
# with presentation attributes. A response that needs more sets its own header (see app.media).
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))


def init_app(app: Flask) -> None:
    hops = int(app.config.get("PROXY_HOPS", 0))
    if hops:
        # Behind nginx: trust X-Forwarded-For/-Proto/-Host from that many proxies, so that
        # request.is_secure and external URLs are right.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(self)")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def private_pages(bp: Blueprint) -> None:
    """Every answer of `bp` is one visitor's own (account, cart, checkout): no shared cache (a proxy, a
    CDN) may keep it, and the browser keeps no copy to show the next person on a shared computer."""
    @bp.after_request
    def _no_store(response):
        response.headers["Cache-Control"] = "private, no-store"
        return response
