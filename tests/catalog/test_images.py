import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import Flask
from PIL import ExifTags, Image
from sqlalchemy import func, select

from app.catalog.errors import CatalogError, ImageRejected
from app.catalog.images import NEUTRAL_HEX, add_illustration, add_photo, image_url, images_for
from app.catalog.models import Brand, Category, Color, Product, ProductImage
from app.extensions import babel, db
from app.media.storage import path_for
from app.media.views import bp as media_bp

# Imported for their tables: create_all() must see every model.
from app.offers import models as _offers_models  # noqa: F401
from app.sellers import models as _sellers_models  # noqa: F401
from app.sites import models as _sites_models  # noqa: F401

RED, BLUE = (220, 30, 30), (30, 30, 220)


@pytest.fixture
def app(tmp_path):
    app = Flask(__name__)
    app.config.update(TESTING=True, SECRET_KEY="test", MEDIA_ROOT=str(tmp_path / "media"),
                      PRODUCT_IMAGE_SIZES=(1200, 600, 300), SQLALCHEMY_DATABASE_URI="sqlite://",
                      MEDIA_MAX_UPLOAD_BYTES=15 * 1024 * 1024)
    db.init_app(app)
    babel.init_app(app)
    app.register_blueprint(media_bp)
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture
def session(app):
    # A request context so url_for works in image_url.
    with app.test_request_context():
        yield db.session
        db.session.rollback()


@pytest.fixture
def media(app) -> Path:
    return Path(app.config["MEDIA_ROOT"])


def make_product(session, *, illustration="phone", key="apple-iphone-13") -> Product:
    category = Category(key=f"cat-{key}", illustration=illustration)
    brand = Brand(name=f"Brand {key}", slug=f"brand-{key}")
    product = Product(key=key, category=category, brand=brand, specs={})
    session.add(product)
    session.flush()
    return product


def make_color(session, code="midnight", hex_="#1c1c1e") -> Color:
    color = Color(code=code, hex=hex_)
    session.add(color)
    session.flush()
    return color


def jpeg(size=(1500, 1000), *, orientation=None, gps=False, halves=False) -> io.BytesIO:
    """A JPEG in memory; `halves` paints the left half red and the right half blue."""
    picture = Image.new("RGB", size, RED)
    if halves:
        picture.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.Base.BodySerialNumber] = "SN-0042-PRIVATE"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps_ifd[ExifTags.GPS.GPSLatitudeRef] = "N"
        gps_ifd[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
        gps_ifd[ExifTags.GPS.GPSLongitudeRef] = "E"
        gps_ifd[ExifTags.GPS.GPSLongitude] = (2.0, 21.0, 3.0)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90, exif=exif)
    out.seek(0)
    return out


def encoded(picture: Image.Image, fmt: str) -> io.BytesIO:
    out = io.BytesIO()
    picture.save(out, fmt)
    out.seek(0)
    return out


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def test_add_photo_stores_each_size_as_webp_without_metadata(session, media):
    # given
    product = make_product(session)
    upload = jpeg((1500, 1000), gps=True)
    assert Image.open(upload).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the fixture does carry GPS
    upload.seek(0)

    # when
    image = add_photo(session, product, upload)

    # then
    assert image.kind == "photo" and image.widths == [1200, 600, 300]
    assert (image.width, image.height) == (1200, 800)
    assert image.storage_key.startswith(f"products/{product.id}/")
    for width, size in ((1200, (1200, 800)), (600, (600, 400)), (300, (300, 200))):
        path = media / f"{image.storage_key}-{width}.webp"
        raw = path.read_bytes()
        stored = Image.open(path)
        assert stored.format == "WEBP" and stored.size == size
        assert not stored.getexif() and not {"exif", "icc_profile", "xmp"} & set(stored.info)
        assert b"EXIF" not in raw and b"SecretCam" not in raw and b"SN-0042" not in raw
    assert len(stored_files(media)) == 3


def test_add_photo_turns_the_picture_upright(session, media):
    # given: stored landscape, left red / right blue; orientation 6 means "rotate 90° clockwise"
    product = make_product(session)

    # when
    image = add_photo(session, product, jpeg((1600, 1000), orientation=6, halves=True))

    # then: portrait, with the red half now on top
    assert (image.width, image.height) == (750, 1200)
    stored = Image.open(media / f"{image.storage_key}-1200.webp").convert("RGB")
    assert stored.size == (750, 1200)
    top, bottom = stored.getpixel((375, 100)), stored.getpixel((375, 1100))
    assert top[0] > 180 and top[2] < 80
    assert bottom[2] > 180 and bottom[0] < 80


def test_add_photo_never_upscales(session, media):
    # given
    product = make_product(session)

    # when
    image = add_photo(session, product, jpeg((900, 500)))

    # then
    assert image.widths == [600, 300] and (image.width, image.height) == (600, 333)
    assert not (media / f"{image.storage_key}-1200.webp").exists()


def test_add_photo_keeps_a_photo_smaller_than_every_size_at_its_own(app, session, media):
    # given
    app.config["PRODUCT_IMAGE_SIZES"] = (1200, 800)
    product = make_product(session)

    # when
    image = add_photo(session, product, jpeg((500, 400)))

    # then
    assert image.widths == [500] and (image.width, image.height) == (500, 400)
    assert Image.open(media / f"{image.storage_key}-500.webp").size == (500, 400)


def test_add_photo_flattens_transparency_on_white(session, media):
    # given: a PNG, transparent everywhere
    product = make_product(session)
    upload = encoded(Image.new("RGBA", (400, 400), (0, 0, 0, 0)), "PNG")

    # when
    image = add_photo(session, product, upload)

    # then
    stored = Image.open(media / f"{image.storage_key}-300.webp").convert("RGB")
    assert min(stored.getpixel((150, 150))) > 245


def test_add_photo_appends_after_the_last_picture(session):
    # given
    product = make_product(session)
    color = make_color(session)
    add_illustration(session, product, position=4)

    # when
    first = add_photo(session, product, jpeg(), color=color)
    second = add_photo(session, product, jpeg())
    chosen = add_photo(session, product, jpeg(), position=1)

    # then
    assert (first.position, second.position, chosen.position) == (5, 6, 1)
    assert first.color_id == color.id and second.color_id is None


def gif() -> io.BytesIO:
    return encoded(Image.new("RGB", (500, 500), RED), "GIF")


def text_file() -> io.BytesIO:
    return io.BytesIO(b"Definitely a photo of my phone, trust me.\n" * 100)


def tiny_png() -> io.BytesIO:
    return encoded(Image.new("RGB", (600, 200), RED), "PNG")


def huge_png() -> io.BytesIO:
    # 7000 × 6000 = 42 megapixels, refused from the header before any pixel is decoded.
    return encoded(Image.new("L", (7000, 6000)), "PNG")


def truncated_jpeg() -> io.BytesIO:
    return io.BytesIO(jpeg().getvalue()[:4000])


@pytest.mark.parametrize("upload", [text_file, tiny_png, gif, huge_png, truncated_jpeg])
def test_add_photo_rejects_what_is_not_an_acceptable_picture(session, media, upload):
    # given
    product = make_product(session)

    # when
    with pytest.raises(ImageRejected) as caught:
        add_photo(session, product, upload())

    # then
    assert isinstance(caught.value, CatalogError)
    assert type(caught.value.message).__name__ == "LazyString" and str(caught.value.message)
    assert stored_files(media) == []
    assert session.scalar(select(func.count()).select_from(ProductImage)) == 0


def test_add_photo_rejects_an_oversized_upload(app, session):
    # given
    app.config["MEDIA_MAX_UPLOAD_BYTES"] = 10_000
    product = make_product(session)

    # when / then
    with pytest.raises(ImageRejected, match="too large"):
        add_photo(session, product, jpeg((1500, 1000)))


def test_add_illustration_draws_the_category_in_the_colour(session, media):
    # given
    product = make_product(session, illustration="headphones")
    color = make_color(session, "sky-blue", "#9cc3e6")

    # when
    image = add_illustration(session, product, color=color, position=2)

    # then
    assert (image.kind, image.widths, image.width, image.height) == ("illustration", [], 600, 600)
    assert (image.color_id, image.position) == (color.id, 2)
    assert image.storage_key.startswith(f"products/{product.id}/apple-iphone-13-sky-blue-2-")
    svg = (media / f"{image.storage_key}.svg").read_text()
    assert ET.fromstring(svg).get("role") == "img"
    assert "#9cc3e6" in svg and "ill-headphones-9cc3e6" in svg


def test_add_illustration_is_idempotent(session, media):
    # given
    product = make_product(session)
    first = add_illustration(session, product)
    path = media / f"{first.storage_key}.svg"
    path.write_text("stale")

    # when
    again = add_illustration(session, product)

    # then
    assert again.id == first.id
    assert session.scalar(select(func.count()).select_from(ProductImage)) == 1
    assert NEUTRAL_HEX in path.read_text() and first.color_id is None
    assert [p.name for p in stored_files(media)] == [path.name]   # no temp file left behind


def test_add_illustration_keys_differ_by_colour_and_position(session):
    # given
    product = make_product(session)
    color = make_color(session)

    # when
    keys = {add_illustration(session, product).storage_key,
            add_illustration(session, product, position=1).storage_key,
            add_illustration(session, product, color=color).storage_key}

    # then
    assert len(keys) == 3


def test_image_url_picks_the_smallest_width_that_is_wide_enough(session):
    # given
    product = make_product(session)
    photo = add_photo(session, product, jpeg())
    drawing = add_illustration(session, product)
    key = photo.storage_key

    # then
    assert image_url(photo) == f"/media/{key}-1200.webp"
    assert image_url(photo, 250) == f"/media/{key}-300.webp"
    assert image_url(photo, 300) == f"/media/{key}-300.webp"
    assert image_url(photo, 500) == f"/media/{key}-600.webp"
    assert image_url(photo, 5000) == f"/media/{key}-1200.webp"
    assert image_url(drawing, 300) == f"/media/{drawing.storage_key}.svg"


def test_images_for_puts_the_colour_first_then_colourless_ones(session):
    # given
    product = make_product(session)
    midnight, starlight = make_color(session), make_color(session, "starlight", "#f5f5f0")
    neutral = add_illustration(session, product, position=0)
    other = add_illustration(session, product, color=starlight, position=0)
    second = add_illustration(session, product, color=midnight, position=3)
    first = add_illustration(session, product, color=midnight, position=1)
    session.expire(product, ["images"])

    # then
    assert images_for(product, midnight.id) == [first, second, neutral]
    assert images_for(product, starlight.id) == [other, neutral]
    assert images_for(product, None) == [neutral]


def test_path_for_refuses_keys_escaping_the_root(session, media):
    assert path_for("products/1/abc", "-300.webp") == media.resolve() / "products/1/abc-300.webp"
    for key in ("../secret", "products/../../secret", "/etc/passwd", "products\\..\\x", "", "a//b", "a/./b"):
        with pytest.raises(ValueError):
            path_for(key, ".svg")


def test_media_serves_photos_for_a_year(app, media):
    # given
    with app.test_request_context():
        product = make_product(db.session)
        key = add_photo(db.session, product, jpeg()).storage_key
        db.session.commit()

    # when
    response = app.test_client().get(f"/media/{key}-600.webp")

    # then
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.cache_control.max_age == 31536000
    assert response.cache_control.immutable and response.cache_control.public
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(response.data)).size == (600, 400)


def test_media_serves_illustrations_sandboxed_for_a_day(app, media):
    # given
    with app.test_request_context():
        product = make_product(db.session, illustration="camera")
        key = add_illustration(db.session, product).storage_key
        db.session.commit()

    # when
    response = app.test_client().get(f"/media/{key}.svg")

    # then
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.cache_control.max_age == 86400 and not response.cache_control.immutable
    assert response.headers["Content-Security-Policy"] == \
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    assert ET.fromstring(response.data).get("role") == "img"


@pytest.mark.parametrize("url", [
    "/media/products/1/missing-600.webp",
    "/media/../secret.webp",
    "/media/products/../../secret.webp",
    "/media/%2e%2e/secret.webp",
    "/media/notes.txt",
])
def test_media_404s_on_missing_or_escaping_paths(app, media, url):
    # given: a real file just outside the media root, and one inside it we do not serve
    media.mkdir(parents=True, exist_ok=True)
    (media.parent / "secret.webp").write_bytes(b"RIFF-secret")
    (media / "notes.txt").write_text("private")

    # when
    response = app.test_client().get(url)

    # then
    assert response.status_code == 404
    assert b"secret" not in response.data and b"private" not in response.data
