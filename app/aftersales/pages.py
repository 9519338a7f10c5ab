"""What the after-sales views share: response headers, form readers, the claim pages' context and the
scoped photo response. No routes here: each audience has its module (`buyer_views`, `seller_views`,
`admin_views`, `carrier_views`), and a view module never imports another one."""
from __future__ import annotations

from flask import Response, abort, request
from flask_babel import lazy_gettext as _l

from . import claims
from .models import WarrantyClaim

PRIVATE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}

COVER_LABELS = {"legal": _l("Legal guarantee of conformity"), "commercial": _l("The seller's commercial warranty"),
                "both": _l("Legal guarantee and the seller's commercial warranty")}


def is_swap() -> bool:
    """An htmx request that swaps a fragment (not a boosted page load)."""
    return bool(request.headers.get("HX-Request")) and request.headers.get("HX-Boosted") != "true"


def flag(name: str) -> bool:
    return request.form.get(name) in ("1", "on", "yes", "true")


def claim_context(**extra):
    return {"status_label": claims.status_label, "kind_label": claims.kind_label, "cover_labels": COVER_LABELS,
            "remedies": claims.REMEDY_CHOICES, "clock": claims.clock_of(extra["claim"]), **extra}


def photos() -> list:
    return request.files.getlist("photos")[:claims.MAX_PHOTOS + 1]


def photo_response(claim: WarrantyClaim, photo_id: int) -> Response:
    """One of `claim`'s photos; the caller has already checked the reader may see the claim."""
    photo = next((p for p in claim.photos if p.id == photo_id), None)
    if photo is None:
        abort(404)
    try:
        data = claims.photo_bytes(photo)
    except (OSError, ValueError):
        abort(404)
    return Response(data, mimetype="image/webp", headers={**PRIVATE, "X-Content-Type-Options": "nosniff"})
