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


THREAD = {"case-thread": "thread"}


def thread_context(case, reader: str, *, url: str, attachment_url, errors=None, form=None, message=None) -> dict:
    """What `_thread.html` reads: the messages `reader` may read, and the form's state."""
    from app.extensions import db

    from . import threads
    return {"thread": threads.messages(db.session, case, reader), "thread_url": url, "attachment_url": attachment_url,
            "reader": reader, "thread_errors": errors or {}, "thread_form": form or {}, "thread_message": message}


def post_message(case, author: str, *, internal: bool = False):
    """Post the request's message to `case`'s thread and commit. Returns the errors (empty on success)."""
    from flask_login import current_user

    from app.extensions import db

    from . import threads
    try:
        threads.post(db.session, case, author=author, user_id=current_user.id if current_user.is_authenticated else None,
                     body=request.form.get("body", "")[:threads.MAX_BODY + 1], files=photos(), internal=internal)
    except threads.InvalidMessage as exc:
        db.session.rollback()
        return exc.errors
    db.session.commit()
    return {}


def attachment_response(case, reader: str, attachment_id: int) -> Response:
    """One picture of `case`'s thread, if `reader` may read its message; the caller scoped the case."""
    from app.extensions import db

    from . import threads
    found = threads.attachment(db.session, case, reader, attachment_id)
    if found is None:
        abort(404)
    try:
        data = threads.attachment_bytes(found)
    except (OSError, ValueError):
        abort(404)
    return Response(data, mimetype="image/webp", headers={**PRIVATE, "X-Content-Type-Options": "nosniff"})
