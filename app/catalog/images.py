"""Product pictures: drawn illustrations and uploaded photos, their files and URLs.

Files live under MEDIA_ROOT (see app.media.storage); a `ProductImage` row records the storage key
and the widths written. Services here flush, never commit: if the caller rolls back, the files
written stay behind as orphans, which is harmless (nothing links to them) and cheaper than a
two-phase dance with the file system.
"""
from __future__ import annotations

import hashlib
import io
import re
import uuid
from typing import BinaryIO

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.media.storage import delete_media, save_media

from .errors import ImageRejected
from .illustrations import draw
from .models import Color, Product, ProductImage

NEUTRAL_HEX = "#8a8d91"          # a product drawn without a known colour
ILLUSTRATION_SIZE = 600
MIN_SHORT_SIDE = 300             # smaller looks blurry on a product page
MAX_PIXELS = 40_000_000          # bigger than any phone camera; past it, it is a bomb or a scan
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
WEBP_QUALITY = 82
WEBP_METHOD = 6                  # slowest, smallest: photos are encoded once and served many times


def add_illustration(session: Session, product: Product, *, color: Color | None = None,
                     position: int = 0) -> ProductImage:
    """Draw the product's category illustration in `color` and record it as a picture.

    The storage key is derived from the product key, colour code and position, so calling this
    again (say after the drawings improved) rewrites the same file and returns the existing row.
    """
    if product.id is None:
        session.flush()
    storage_key = f"products/{product.id}/{_illustration_name(product, color, position)}"
    svg = draw(product.category.illustration, color.hex if color else NEUTRAL_HEX,
               width=ILLUSTRATION_SIZE, height=ILLUSTRATION_SIZE)
    save_media(f"{storage_key}.svg", svg.encode(), "image/svg+xml")

    existing = session.scalar(select(ProductImage).where(ProductImage.storage_key == storage_key))
    if existing is not None:
        return existing
    image = ProductImage(product=product, color_id=color.id if color else None, position=position,
                         kind="illustration", storage_key=storage_key, widths=[],
                         width=ILLUSTRATION_SIZE, height=ILLUSTRATION_SIZE)
    session.add(image)
    session.flush()
    return image


def add_photo(session: Session, product: Product, stream: BinaryIO, *, color: Color | None = None,
              position: int | None = None) -> ProductImage:
    """Store an uploaded photo as WebP at each configured size and record it.

    The upload must be a real JPEG, PNG or WebP (checked by decoding it, not by its name), at least
    MIN_SHORT_SIDE px on its short side and at most MAX_PIXELS; otherwise ImageRejected. It is turned
    upright from its EXIF orientation, converted to sRGB, and saved with no metadata at all: phone
    photos carry GPS positions and serial numbers that must not reach the public. Sizes are longest
    edges from PRODUCT_IMAGE_SIZES, never upscaled; a photo smaller than all of them is kept at its
    own size. `position` defaults to after the product's last picture.
    """
    picture = checked_picture(stream)
    if product.id is None:
        session.flush()
    storage_key = f"products/{product.id}/{uuid.uuid4().hex}"

    longest = max(picture.size)
    sizes = sorted({s for s in current_app.config["PRODUCT_IMAGE_SIZES"] if s <= longest}, reverse=True)
    sizes = sizes or [longest]
    written: list[str] = []
    largest: tuple[int, int] | None = None
    try:
        source = picture
        for size in sizes:
            # Each size is reduced from the previous one: same quality with Lanczos, far faster on
            # a 40-megapixel original.
            source = fit(source, size)
            encoded = io.BytesIO()
            source.save(encoded, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
            name = f"{storage_key}-{size}.webp"
            save_media(name, encoded.getvalue(), "image/webp")
            written.append(name)
            largest = largest or source.size
    except BaseException:
        for name in written:           # no row will name them: they must not stay behind
            delete_media(name)
        raise

    assert largest is not None  # sizes is never empty
    if position is None:
        last = session.scalar(select(func.max(ProductImage.position))
                              .where(ProductImage.product_id == product.id))
        position = 0 if last is None else last + 1
    image = ProductImage(product=product, color_id=color.id if color else None, position=position,
                         kind="photo", storage_key=storage_key, widths=sizes,
                         width=largest[0], height=largest[1])
    session.add(image)
    session.flush()
    return image


def image_url(image: ProductImage, width: int | None = None) -> str:
    """URL of the picture's file: the smallest stored size at least `width` wide (else the largest).

    Illustrations are vector: one file serves every width.
    """
    if image.kind == "illustration" or not image.widths:
        return url_for("media.file", path=f"{image.storage_key}.svg")
    widths = sorted(image.widths)
    chosen = widths[-1] if width is None else next((w for w in widths if w >= width), widths[-1])
    return url_for("media.file", path=f"{image.storage_key}-{chosen}.webp")


def images_for(product: Product, color_id: int | None) -> list[ProductImage]:
    """The pictures to show for `product` in one colour: that colour's first, then colour-less ones.

    Pictures of the product's other colours are left out: showing a blue phone under "Midnight"
    would mislead the buyer.
    """
    def order(image: ProductImage) -> tuple[int, int]:
        return image.position, image.id or 0

    own = [i for i in product.images if color_id is not None and i.color_id == color_id]
    neutral = [i for i in product.images if i.color_id is None]
    return sorted(own, key=order) + sorted(neutral, key=order)


def _illustration_name(product: Product, color: Color | None, position: int) -> str:
    """A readable, stable file name; the digest keeps keys distinct that slugify alike."""
    code = color.code if color else "neutral"
    raw = f"{product.key}\x1f{code}\x1f{position}"
    slug = re.sub(r"[^a-z0-9]+", "-", f"{product.key}-{code}".lower()).strip("-")[:80] or "product"
    return f"{slug}-{position}-{hashlib.sha256(raw.encode()).hexdigest()[:10]}"


def checked_picture(stream: BinaryIO) -> Image.Image:
    """An uploaded picture, decoded with every check (ImageRejected with the reason otherwise),
    upright, in sRGB and with no metadata left: what a product photo or a content banner starts from."""
    return _prepared(_decode(stream))


def _decode(stream: BinaryIO) -> Image.Image:
    """Open and fully decode the upload, or raise ImageRejected with a reason the seller can act on."""
    limit = current_app.config.get("MEDIA_MAX_UPLOAD_BYTES")
    data = stream.read(limit + 1) if limit else stream.read()
    if limit and len(data) > limit:
        raise ImageRejected(_l("This picture is too large: upload a file of at most %(mb)d MB.",
                               mb=limit // (1024 * 1024)))
    not_a_picture = _l("This file is not a picture we accept: upload a JPEG, PNG or WebP photo.")
    try:
        # `formats` keeps Pillow's other decoders (GIF, TIFF, PSD…) away from untrusted bytes.
        picture = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ImageRejected(not_a_picture) from None
    width, height = picture.size
    # Checked from the header, before decoding pixels we would refuse anyway.
    if width * height > MAX_PIXELS:
        raise ImageRejected(_l("This picture is too large: at most %(mp)d megapixels.",
                               mp=MAX_PIXELS // 1_000_000))
    if min(width, height) < MIN_SHORT_SIDE:
        raise ImageRejected(_l("This picture is too small: its short side must be at least %(px)d pixels.",
                               px=MIN_SHORT_SIDE))
    try:
        picture.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ImageRejected(not_a_picture) from None
    return picture


def _prepared(picture: Image.Image) -> Image.Image:
    """Upright, sRGB, RGB pixels, with no metadata left on the image."""
    upright = ImageOps.exif_transpose(picture)
    icc = picture.info.get("icc_profile")
    if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
        # Transparent areas would turn black in RGB: lay the picture on white like a product shot.
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    if icc:
        # The profile is about to be dropped with the rest of the metadata; convert the pixels to
        # sRGB first, or Display P3 photos (every recent iPhone) come out dull.
        try:
            upright = ImageCms.profileToProfile(upright, ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                                ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # an unusable profile: keep the pixels as they are rather than refuse the photo
    if upright.mode != "RGB":
        upright = upright.convert("RGB")
    upright.info = {}
    return upright


def fit(picture: Image.Image, longest: int) -> Image.Image:
    """`picture` scaled down so its longest edge is `longest` px (unchanged if it already is)."""
    width, height = picture.size
    if max(width, height) <= longest:
        return picture
    if width >= height:
        size = (longest, max(1, round(height * longest / width)))
    else:
        size = (max(1, round(width * longest / height)), longest)
    resized = picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    resized.info = {}
    return resized
