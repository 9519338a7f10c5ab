"""Static files gzipped once and served from memory to browsers that accept it.

CSS, JavaScript and SVG shrink to a quarter; compressing them costs nothing per request, since a
file's compressed bytes are kept (keyed by path and modification time, so an edited file is
compressed again). HTML is left to the reverse proxy (README, "Production"): it differs per visitor
(the CSRF token), so it would be compressed on every request, in the worker's time.
"""
from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, request
from werkzeug.security import safe_join

COMPRESSIBLE = frozenset({"text/css", "text/javascript", "application/javascript", "image/svg+xml",
                          "application/json", "text/plain"})
MIN_SIZE = 512


@lru_cache(maxsize=256)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=9, mtime=0)


def init_app(app: Flask) -> None:
    @app.after_request
    def gzip_static_files(response):
        if request.endpoint != "static" or response.mimetype not in COMPRESSIBLE:
            return response
        response.vary.add("Accept-Encoding")
        if response.status_code != 200 or "gzip" not in request.accept_encodings:
            return response
        path = safe_join(current_app.static_folder or "", request.view_args.get("filename", ""))
        if path is None:
            return response
        stat = Path(path).stat()
        if stat.st_size < MIN_SIZE:
            return response
        body = _gzipped(path, stat.st_mtime_ns)
        etag, weak = response.get_etag()
        if hasattr(response.response, "close"):
            response.response.close()                # the file Flask opened to send as it is
        response.direct_passthrough = False
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        if etag:
            response.set_etag(f"{etag}-gzip", weak=bool(weak))
        return response
