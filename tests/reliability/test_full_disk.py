"""A full disk under the media folder while an editor uploads a banner picture over HTTP: a clear
message beside the field, what was typed kept, no half-written file, and the upload works again once
there is room. The media folder is a small tmpfs (the suite mounts one where it may; elsewhere
tests/content/test_banner_storage.py makes the same check on /dev/full, which always answers ENOSPC)."""
from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from .conftest import build_shop, close_shop
from .shop import Buyer, fill_disk, mount_small_disk, unmount

pytestmark = pytest.mark.reliability

EDIT = "/manage/content/fr/fr/market/home-hero"


def _photo() -> bytes:
    rnd = random.Random(7)
    picture = Image.frombytes("RGB", (1200, 800), bytes(rnd.getrandbits(8) for _ in range(1200 * 800 * 3)))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def test_a_full_disk_on_a_banner_upload_tells_the_editor_and_keeps_the_rest(tmp_path, request):
    disk = tmp_path / "media"
    if not mount_small_disk(disk, "4m"):
        pytest.fail("could not mount a small tmpfs for the media folder (run as root, as `make test` does in CI)")
    request.addfinalizer(lambda: unmount(disk))
    shop = build_shop(tmp_path, "fulldisk", MEDIA_ROOT=str(disk))
    request.addfinalizer(lambda: close_shop(shop))
    from tests.builders import PASSWORD, make_user
    with shop.session() as session:
        admin = make_user(session, admin=True).email
        session.commit()
    server = shop.server("gunicorn")
    editor = Buyer(server, "en-gb")
    editor.sign_in(admin, PASSWORD)
    photo = _photo()
    page = editor.get(EDIT)
    assert page.status_code == 200

    ballast = fill_disk(disk)
    answer = editor.submit(page, EDIT, {"title": "Winter sale", "body": "Everything must go", "action": "save"},
                           files={"banner": ("hero.jpg", io.BytesIO(photo), "image/jpeg")})
    assert answer.status_code == 422, answer.status_code
    assert "the server’s disk is full" in answer.text or "the server&#39;s disk is full" in answer.text
    assert "Winter sale" in answer.text and "Everything must go" in answer.text
    assert not list(disk.glob("content/*"))                   # no half-written picture
    assert editor.get("/fr-fr/").status_code == 200           # the shop itself carries on

    ballast.unlink()
    page = editor.get(EDIT)
    saved = editor.submit(page, EDIT, {"title": "Winter sale", "body": "Everything must go", "action": "save"},
                          files={"banner": ("hero.jpg", io.BytesIO(photo), "image/jpeg")})
    assert saved.status_code == 200 and saved.history, saved.status_code
    assert len(list((disk / "content").glob("*.webp"))) == 1
