"""Media in an S3-compatible store (moto's standalone server over HTTP on loopback), and two app hosts
(two gunicorn processes on separate ports) sharing one database and one store: a photo stored once is
served by either, sign-in attempts counted on one host stop the next on the other, and a price changed
elsewhere shows on a host's next cached page."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import tarfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from app import create_app
from app.catalog.images import add_photo
from app.catalog.models import ProductTranslation
from app.config import PROJECT_ROOT
from app.content.images import discard_banner, store_banner
from app.extensions import db
from app.media.storage import iter_media
from app.offers.models import ListingPrice
from app.operations.backup import create_backup, restore
from tests.builders import PASSWORD, make_user
from tests.checkout.helpers import stock
from tests.conftest import test_config
from tests.operations.test_deploy import Gunicorn, free_port, wait_until_up

VENV = Path(sys.executable).parent.parent
KEYS = {"S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing", "S3_REGION": "us-east-1",
        "S3_ADDRESSING_STYLE": "path"}


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """moto's S3 server, a real HTTP endpoint on a loopback port, for this module's tests."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    server = subprocess.Popen([str(VENV / "bin/moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                              stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/moto-api/", seconds=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def s3_config(endpoint: str) -> dict:
    """A new bucket on the endpoint, and the settings that point the app at it."""
    import boto3
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=bucket)
    return {"MEDIA_STORAGE": "s3", "S3_BUCKET": bucket, "S3_ENDPOINT_URL": endpoint, **KEYS}


def objects(config: dict) -> dict[str, bytes]:
    import boto3
    client = boto3.client("s3", endpoint_url=config["S3_ENDPOINT_URL"], region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    listed = client.list_objects_v2(Bucket=config["S3_BUCKET"]).get("Contents", [])
    return {item["Key"]: client.get_object(Bucket=config["S3_BUCKET"], Key=item["Key"])["Body"].read()
            for item in listed}


def picture(width=800, height=600, fmt="PNG") -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, fmt)
    out.seek(0)
    return out


def test_photos_and_banners_go_to_the_bucket_are_served_from_it_and_back_up_and_restore(
        s3_endpoint, shared_app, tmp_path, empty_database_url):
    config = s3_config(s3_endpoint)
    app = shared_app
    app.config.update(config)
    with app.app_context():
        listing = stock(db.session, quantity=1)
        photo = add_photo(db.session, listing.variant.product, picture())
        db.session.commit()
        banner = store_banner(picture(fmt="JPEG"), content_type="image/jpeg")
        orphan = store_banner(picture(fmt="JPEG"), content_type="image/jpeg")
        discard_banner(orphan)              # a banner whose save was refused is deleted

        stored = objects(config)
        assert set(stored) == {f"{photo.storage_key}-{w}.webp" for w in photo.widths} | {f"{banner}.webp"}
        assert not (Path(app.config["MEDIA_ROOT"])).exists()          # nothing on local disk

        client = app.test_client()
        served = client.get(f"/media/{photo.storage_key}-300.webp")
        assert served.status_code == 200 and served.mimetype == "image/webp"
        assert served.data == stored[f"{photo.storage_key}-300.webp"]
        assert "immutable" in served.headers["Cache-Control"]
        assert client.get(f"/media/{photo.storage_key}-300.webp",
                          headers={"If-None-Match": served.headers["ETag"]}).status_code == 304
        assert client.get("/media/content/nothing-here.webp").status_code == 404
        assert client.get("/media/../secret.webp").status_code == 404

        archive, manifest = create_backup()
        with tarfile.open(archive) as tar:
            assert {m.name for m in tar if m.name.startswith("media/")} == {f"media/{k}" for k in stored}

    # restored into a new database and another, empty bucket
    target = s3_config(s3_endpoint)
    restored = create_app(test_config(tmp_path / "restored", SQLALCHEMY_DATABASE_URI=empty_database_url, **target))
    with restored.app_context():
        restore(archive)
        assert dict(iter_media()) == stored
        db.engine.dispose()
    assert objects(target) == stored


def form_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


class Visitor:
    """A browser of its own (cookies) talking to one host."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str):
        return self.opener.open(self.base + path, timeout=30)

    def sign_in(self, email: str, password: str) -> int:
        token = form_token(self.get("/en-gb/account/sign-in").read().decode())
        data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
        try:
            return self.opener.open(self.base + "/en-gb/account/sign-in", data=data, timeout=30).status
        except urllib.error.HTTPError as answer:
            return answer.code


def test_two_hosts_share_the_database_the_media_store_and_what_they_cache(s3_endpoint, shared_app, shared_session,
                                                                          tmp_path):
    # given one database with a product, a photo in the shared bucket and a customer
    config = s3_config(s3_endpoint)
    url = shared_app.config["SQLALCHEMY_DATABASE_URI"]
    writer = create_app(test_config(tmp_path / "writer", SQLALCHEMY_DATABASE_URI=url, **config))
    with writer.app_context():
        listing = stock(db.session, quantity=2, amount=31_900)
        photo = add_photo(db.session, listing.variant.product, picture())
        make_user(db.session, email="lea@example.fr")
        slug = db.session.scalar(select(ProductTranslation.slug).where(
            ProductTranslation.product_id == listing.variant.product_id, ProductTranslation.language == "fr"))
        db.session.commit()
        listing_id, photo_key = listing.id, photo.storage_key
        photo_bytes = objects(config)[f"{photo_key}-600.webp"]

    # and two app hosts, each its own gunicorn on its own port
    env = {"APP_ENV": "production", "SECRET_KEY": "shared-secret-of-both-hosts", "DATABASE_URL": url,
           "PUBLIC_URL": "https://shop.example",
           "FLASK_SESSION_COOKIE_SECURE": "false", "FLASK_REMEMBER_COOKIE_SECURE": "false",
           "WEB_CONCURRENCY": "1", "MEDIA_ROOT": str(tmp_path / "no-local-media"), **config}
    hosts = []
    try:
        for name in ("a", "b"):
            port = free_port()
            hosts.append((f"http://127.0.0.1:{port}", Gunicorn(PROJECT_ROOT, {**env, "BIND": f"127.0.0.1:{port}"},
                                                               tmp_path / f"{name}.pid", tmp_path / f"{name}.log")))
        for base, _server in hosts:
            wait_until_up(f"{base}/healthz")
        (a, _), (b, _) = hosts

        # the photo is served by both hosts from the bucket
        for base in (a, b):
            assert Visitor(base).get(f"/media/{photo_key}-600.webp").read() == photo_bytes

        # five wrong passwords on host A, then the right one on host B: the count is shared
        at_a = Visitor(a)
        assert [at_a.sign_in("lea@example.fr", "wrong password") for _ in range(5)] == [422] * 5
        assert Visitor(b).sign_in("lea@example.fr", PASSWORD) == 429

        # host B caches the product page; a price changed elsewhere shows on its next page
        at_b = Visitor(b)
        assert "319,00" in at_b.get(f"/fr-fr/p/{slug}").read().decode()
        assert "319,00" in at_b.get(f"/fr-fr/p/{slug}").read().decode()
        price = shared_session.scalar(select(ListingPrice).where(ListingPrice.listing_id == listing_id))
        price.amount = 28_900
        shared_session.commit()
        page = at_b.get(f"/fr-fr/p/{slug}").read().decode()
        assert "289,00" in page and "<s>319,00" in page       # the new price, the former one crossed out
    finally:
        for _base, server in hosts:
            server.stop()
        with writer.app_context():
            db.engine.dispose()

