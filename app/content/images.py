"""Banner pictures of pages and home-page blocks: checked, stripped and stored as WebP.

The checks and the clean-up are the catalog's photo pipeline (`app.catalog.images`): the file must
decode as a JPEG, PNG or WebP (its name and declared type are not trusted, only checked), within the
size limits; it is turned upright, converted to sRGB and saved with no metadata. The uploaded file
name is never used: the stored file is named by a random key.
"""
from __future__ import annotations

import errno
import io
import uuid
from typing import BinaryIO

from flask_babel import lazy_gettext as _l

from app.catalog import images as photos
from app.catalog.errors import ImageRejected
from app.media.storage import delete_media, save_media

BANNER_MAX_BYTES = 5 * 1024 * 1024
BANNER_WIDTH = 1600                       # longest edge stored; never upscaled
ACCEPTED_TYPES = {"image/jpeg", "image/png", "image/webp"}


def store_banner(stream: BinaryIO, *, content_type: str | None) -> str:
    """Check and store an uploaded banner; returns its storage key (served at `<key>.webp`).

    Raises ImageRejected with a message for the editor when the file is too large, of another type,
    or not a real picture."""
    if (content_type or "").split(";")[0].strip().lower() not in ACCEPTED_TYPES:
        raise ImageRejected(_l("This file is not a picture we accept: upload a JPEG, PNG or WebP photo."))
    data = stream.read(BANNER_MAX_BYTES + 1)
    if len(data) > BANNER_MAX_BYTES:
        raise ImageRejected(_l("This picture is too large: upload a file of at most %(mb)d MB.",
                               mb=BANNER_MAX_BYTES // (1024 * 1024)))
    picture = photos.fit(photos.checked_picture(io.BytesIO(data)), BANNER_WIDTH)
    key = f"content/{uuid.uuid4().hex}"
    encoded = io.BytesIO()
    picture.save(encoded, "WEBP", quality=photos.WEBP_QUALITY, method=4)
    try:
        save_media(f"{key}.webp", encoded.getvalue(), "image/webp")      # whole or not at all
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise ImageRejected(_l("The picture could not be stored: the server's disk is full. Nothing was "
                                   "changed; please try again later.")) from exc
        raise
    return key


def discard_banner(key: str) -> None:
    """Delete a banner no revision kept (its save was refused). Banners that a revision names stay:
    the history can restore that revision."""
    delete_media(f"{key}.webp")
