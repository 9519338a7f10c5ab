"""Case threads: the messages of one return or one claim between the buyer, the seller and the
platform, with pictures attached, and internal platform notes.

Who reads what is decided here, on the server: the buyer and the seller read the messages that are
not internal; the platform (admins) reads them all. The routes have already scoped the case itself
(the buyer's order, the seller's own seller orders, admins any). Attachments are pictures checked
and stripped like product photos (`claims.checked_photos`), stored through the media store under a
suffix the public media route never serves, and read back only through the case.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models_base import utcnow

from .claims import PHOTO_SUFFIX, InvalidClaim, checked_photos, encoded
from .errors import AftersalesError
from .models import CaseAttachment, CaseAuthor, CaseMessage, ReturnRequest, WarrantyClaim

MAX_BODY = 4000


class InvalidMessage(AftersalesError):
    def __init__(self, errors: dict):
        super().__init__(_l("Please correct the marked fields."))
        self.errors = errors


def _case_column(case):
    return CaseMessage.return_id if isinstance(case, ReturnRequest) else CaseMessage.claim_id


def messages(session: Session, case: ReturnRequest | WarrantyClaim, reader: str) -> list[CaseMessage]:
    """The thread of `case` as `reader` (buyer, seller or platform) may read it, oldest first, with
    its attachments (one query for the messages, one for all their attachments)."""
    query = select(CaseMessage).where(_case_column(case) == case.id) \
        .options(selectinload(CaseMessage.attachments)).order_by(CaseMessage.created_at, CaseMessage.id)
    if reader != CaseAuthor.PLATFORM:
        query = query.where(CaseMessage.is_internal.is_(False))
    return list(session.scalars(query))


def post(session: Session, case: ReturnRequest | WarrantyClaim, *, author: str, user_id: int | None, body: str,
         files=(), internal: bool = False, now: datetime | None = None) -> CaseMessage:
    """Add a message to the thread. Pictures are checked before anything is written; only the
    platform may write an internal note. Flushes; the caller commits."""
    if author not in set(CaseAuthor):
        raise ValueError(author)
    body = (body or "").strip()
    errors: dict = {}
    try:
        pictures = checked_photos(list(files))
    except InvalidClaim as exc:
        errors.update(exc.errors)
        pictures = []
    if not body and not pictures and "photos" not in errors:
        errors["body"] = _l("Please write a message or attach a picture.")
    elif len(body) > MAX_BODY:
        errors["body"] = _l("This is too long.")
    if errors:
        raise InvalidMessage(errors)
    message = CaseMessage(return_id=case.id if isinstance(case, ReturnRequest) else None,
                          claim_id=case.id if isinstance(case, WarrantyClaim) else None, author=author,
                          author_user_id=user_id, is_internal=bool(internal) and author == CaseAuthor.PLATFORM,
                          body=body, created_at=now or utcnow())
    session.add(message)
    session.flush()
    from app.media.storage import save_media
    kind = "returns" if isinstance(case, ReturnRequest) else "claims"
    for picture in pictures:
        key = f"cases/{kind}/{case.id}/{uuid.uuid4().hex}"
        save_media(f"{key}{PHOTO_SUFFIX}", encoded(picture), "image/webp")
        session.add(CaseAttachment(message_id=message.id, storage_key=key))
    session.flush()
    return message


def attachment(session: Session, case: ReturnRequest | WarrantyClaim, reader: str,
               attachment_id: int) -> CaseAttachment | None:
    """One attachment of `case`'s thread if `reader` may read its message; None otherwise."""
    query = select(CaseAttachment).join(CaseMessage).where(CaseAttachment.id == attachment_id,
                                                           _case_column(case) == case.id)
    if reader != CaseAuthor.PLATFORM:
        query = query.where(CaseMessage.is_internal.is_(False))
    return session.scalar(query)


def attachment_bytes(found: CaseAttachment) -> bytes:
    from app.media.storage import read_media
    data = read_media(f"{found.storage_key}{PHOTO_SUFFIX}")
    if data is None:
        raise FileNotFoundError(found.storage_key)
    return data


AUTHOR_LABELS = {CaseAuthor.BUYER: _l("Buyer"), CaseAuthor.SELLER: _l("Seller"), CaseAuthor.PLATFORM: _l("Platform")}


def author_label(author: str) -> str:
    return str(AUTHOR_LABELS.get(author, author))
