from __future__ import annotations

from flask import Blueprint, abort, current_app, request, send_from_directory

from .storage import media_root, read_media

bp = Blueprint("media", __name__, url_prefix="/media")

# Only the formats our services write are served: MEDIA_ROOT may hold other things one day.
_TYPES = {".webp": "image/webp", ".svg": "image/svg+xml"}
YEAR = 31536000
DAY = 86400


@bp.get("/<path:path>")
def file(path: str):
    suffix = path[path.rfind("."):] if "." in path else ""
    if suffix not in _TYPES:
        abort(404)
    is_svg = suffix == ".svg"
    # Photos live under a fresh uuid4 key and never change: cache forever. Illustrations are
    # redrawn in place under a stable key when the drawing code improves, so they get a day.
    # send_from_directory 404s on missing files and on paths that leave the directory ('..').
    if current_app.config.get("MEDIA_STORAGE", "local") == "s3":
        try:
            data = read_media(path)
        except ValueError:
            data = None
        if data is None:
            abort(404)
        response = current_app.response_class(data, mimetype=_TYPES[suffix])
        response.cache_control.max_age = DAY if is_svg else YEAR
        response.add_etag()
        response.make_conditional(request)
    else:
        response = send_from_directory(media_root(), path, mimetype=_TYPES[suffix],
                                       max_age=DAY if is_svg else YEAR)
    response.cache_control.public = True
    if not is_svg:
        response.cache_control.immutable = True
    else:
        # An SVG opened directly is a document: never let it run script or load anything.
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
