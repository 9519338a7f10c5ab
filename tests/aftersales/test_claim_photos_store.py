"""Claim photos go through the media store: with MEDIA_STORAGE=s3 they are objects in the bucket (moto's
S3 server over HTTP), nothing is written under MEDIA_ROOT, and they are served only through the claim."""
from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from app.aftersales.models import WarrantyClaim
from tests.aftersales.test_claims import delivered, photo
from tests.operations.test_several_hosts import objects, s3_config, s3_endpoint  # noqa: F401, F811 (a fixture)


def test_claim_photos_are_objects_in_the_bucket_served_only_through_the_claim(s3_endpoint, app, client, session):  # noqa: F811 (the fixture)
    config = s3_config(s3_endpoint)
    app.config.update(config)
    app.extensions.pop("media_store", None)
    seller_order, _, staff = delivered(app, client, session, quantity=1, edition="it-it", market="IT")
    order = seller_order.order
    base = f"/it-it/orders/{order.number}"
    form = client.get(f"{base}/claims/new?token={order.access_token}")
    unit_id = re.search(r'name="unit" value="(\d+)"', form.text).group(1)

    made = client.post(f"{base}/claims/new", data={"token": order.access_token, "unit": unit_id, "kind": "defect",
                                                   "description": "La batteria non tiene la carica",
                                                   "photos": [(photo(), "a.jpg")]},
                       content_type="multipart/form-data")

    assert made.status_code == 303
    claim = session.scalar(select(WarrantyClaim))
    key = f"{claim.photos[0].storage_key}.photo"
    stored = objects(config)
    assert list(stored) == [key] and key.startswith(f"claims/{claim.id}/")
    assert Image.open(io.BytesIO(stored[key])).format == "WEBP"
    assert not Path(app.config["MEDIA_ROOT"]).exists()                      # nothing on local disk
    shown = client.get(f"{base}/claims/{claim.reference}/photos/{claim.photos[0].id}?token={order.access_token}")
    assert shown.status_code == 200 and shown.data == stored[key] and "no-store" in shown.headers["Cache-Control"]
    assert client.get(f"/media/{key}").status_code == 404                    # never through the public route
    assert client.get(f"{base}/claims/{claim.reference}/photos/{claim.photos[0].id}?token=x").status_code == 404
