"""A banner picture that cannot be written (the disk is full: /dev/full answers every write with
ENOSPC) is refused with a clear message for the editor, and nothing half-written stays behind.
tests/reliability/test_full_disk.py does the same over HTTP with a small tmpfs."""
import errno
import io
from pathlib import Path

import pytest
from PIL import Image

from app.catalog.errors import ImageRejected
from app.content import images
from app.media.storage import read_media


def _photo() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (800, 400), "#336699").save(out, "JPEG")
    out.seek(0)
    return out


def test_a_full_disk_refuses_the_banner_with_a_clear_message(app, monkeypatch):
    def save_on_a_full_disk(name, data, content_type):
        with open("/dev/full", "wb") as device:       # the kernel's own ENOSPC, as a full disk answers
            device.write(data)
            device.flush()
    monkeypatch.setattr(images, "save_media", save_on_a_full_disk)
    with app.test_request_context("/"), pytest.raises(ImageRejected) as refused:
        images.store_banner(_photo(), content_type="image/jpeg")
    assert "disk is full" in str(refused.value.message)
    assert isinstance(refused.value.__cause__, OSError) and refused.value.__cause__.errno == errno.ENOSPC
    assert Path("/dev/full").exists() and not Path("/dev/full").is_file()   # the device itself untouched


def test_with_room_the_banner_is_stored(app):
    with app.test_request_context("/"):
        key = images.store_banner(_photo(), content_type="image/jpeg")
        assert read_media(f"{key}.webp")
