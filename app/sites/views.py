from flask import Blueprint, abort, redirect, url_for

from .routing import negotiated_edition

bp = Blueprint("sites", __name__)


@bp.get("/")
def root():
    edition = negotiated_edition()
    if edition is None:      # a database without markets: nothing to sell yet
        abort(503)
    response = redirect(url_for("catalog.home", edition=edition.code), code=302)
    # The target depends on the visitor's cookie and language: shared caches must not mix them.
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
