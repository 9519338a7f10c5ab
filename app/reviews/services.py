"""Writing, moderating, replying to and reporting reviews. Each takes a session and flushes; the
caller commits. Moderation moves a review with a conditional UPDATE from a state `TRANSITIONS`
allows, so two moderators (or a double click) cannot move it twice."""
from __future__ import annotations

import re
from datetime import date

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models_base import utcnow
from app.orders.models import Order

from . import ratings
from .eligibility import order_lines
from .errors import AlreadyReviewed, NotReviewable, ReviewError, StaleReview
from .models import TRANSITIONS, GradeMatch, Review, ReviewKind, ReviewStatus
from .rules import Policy

MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]")          # any tag: reviews are plain text
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
REASON_MAX = 1000


def _rating(raw, field: str, errors: dict, required: bool = True) -> int | None:
    raw = (raw or "").strip()
    if not raw and not required:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 5:
        errors[field] = _l("Choose a rating from 1 to 5 stars.")
        return None
    return int(raw)


def _text(raw, field: str, limit: int, errors: dict) -> str:
    text = CONTROL.sub("", (raw or "").replace("\r\n", "\n")).strip()
    if not text:
        errors[field] = _l("Please fill this in.")
    elif len(text) > limit:
        errors[field] = _l("Please keep this under %(count)s characters.", count=limit)
    elif MARKUP.search(text):
        errors[field] = _l("Plain text only, please: no HTML tags.")
    return text


def author_name(order: Order) -> str:
    address = order.address or {}
    first = (address.get("first_name") or "").strip()[:40]
    last = (address.get("last_name") or "").strip()[:1]
    return f"{first} {last}." if first and last else (first or "—")


def submit(session: Session, order: Order, line_id: int, kind: str, follow_up: bool, form, policy: Policy,
           today: date) -> Review:
    """A buyer's review of one line of their order, pending moderation. Raises `ReviewError` (with
    per-field `errors`) and stores nothing when anything is wrong."""
    if kind not in set(ReviewKind):
        raise NotReviewable()
    found = next((lr for lr in order_lines(session, order, policy, today) if lr.line.id == line_id), None)
    if found is None or not found.can_review:
        raise NotReviewable()
    if found.written(kind, follow_up):
        raise AlreadyReviewed()
    if not found.may_write(kind, follow_up, policy, today):
        raise NotReviewable()
    errors: dict = {}
    rating = _rating(form.get("rating"), "rating", errors)
    title = _text(form.get("title"), "title", policy.title_max, errors)
    body = _text(form.get("body"), "body", policy.body_max, errors)
    review = Review(kind=kind, follow_up=follow_up, order_line_id=line_id, order_id=order.id,
                    product_id=found.line.product_id, seller_id=found.line.seller_order.seller_id,
                    market_id=order.market_id, language=order.locale[:2], author_name=author_name(order),
                    model=found.line.title[:300], options=found.line.options[:200], grade=found.line.grade,
                    delivered_on=found.delivered_on, rating=rating or 0, title=title, body=body)
    if kind == ReviewKind.PRODUCT:
        match = (form.get("grade_match") or "").strip()
        if match not in set(GradeMatch):
            errors["grade_match"] = _l("Say whether the device matched its grade.")
        review.grade_match = match
        battery = (form.get("battery_health") or "").strip().rstrip("%").strip()
        if battery:
            if not battery.isdigit() or not 0 <= int(battery) <= 100:
                errors["battery_health"] = _l("Enter the battery health as a number from 0 to 100, or leave it empty.")
            else:
                review.battery_health = int(battery)
    else:
        review.delivery_rating = _rating(form.get("delivery_rating"), "delivery_rating", errors)
        review.service_rating = _rating(form.get("service_rating"), "service_rating", errors)
    if errors:
        raise ReviewError(_l("Please correct the marked fields."), errors)
    try:
        with session.begin_nested():
            session.add(review)
            session.flush()
    except IntegrityError:
        raise AlreadyReviewed() from None
    return review


def _move(session: Session, review: Review, to: ReviewStatus, values: dict) -> None:
    allowed_from = [s for s, targets in TRANSITIONS.items() if to in targets]
    moved = session.execute(update(Review).where(Review.id == review.id, Review.status.in_(allowed_from))
                            .values(status=to, **values).execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise StaleReview()
    session.expire(review)


def moderate(session: Session, review: Review, action: str, reason: str, moderator, policy: Policy) -> None:
    """Publish, reject (with a reason sent to the author) or remove (reason) a review."""
    reason = CONTROL.sub("", (reason or "")).strip()[:REASON_MAX]
    if action == "publish":
        _move(session, review, ReviewStatus.PUBLISHED, {"published_at": utcnow(), "moderated_by_id": moderator.id,
                                                        "report_count": 0})
    elif action in ("reject", "remove"):
        if not reason:
            raise ReviewError(_l("Give the reason: it is sent to the author."), {"reason": _l("Please fill this in.")})
        to = ReviewStatus.REJECTED if action == "reject" else ReviewStatus.REMOVED
        _move(session, review, to, {"reason": reason, "moderated_by_id": moderator.id})
    elif action == "keep":          # a reported review stays published
        moved = session.execute(update(Review).where(Review.id == review.id, Review.status == ReviewStatus.PUBLISHED)
                                .values(report_count=0).execution_options(synchronize_session=False)).rowcount
        if moved != 1:
            raise StaleReview()
        session.expire(review)
        return
    else:
        raise ReviewError(_l("Choose what to do with this review."), status=400)
    ratings.refresh(session, review, policy)
    if action != "publish":
        _tell_author(session, review)


def _tell_author(session: Session, review: Review) -> None:
    from app.mail.outbox import enqueue
    order = session.get(Order, review.order_id)
    if order is None:
        return
    edition = order.locale.replace("_", "-").lower()
    with force_locale(order.locale):
        link = url_for("orders.detail", edition=edition, number=order.number, token=order.access_token,
                       _external=True)
        subject = (_("Your review was not published") if review.status == ReviewStatus.REJECTED
                   else _("Your review was taken down"))
        enqueue(session, recipient=order.email, locale=order.locale, kind="review_" + review.status,
                reference=order.number, template="review_moderated", subject=subject, order=order,
                review=review, link=link)


def reply(session: Session, review: Review, seller_id: int, body: str, policy: Policy) -> None:
    """The seller's one reply to a published review of theirs, pending moderation."""
    if review.seller_id != seller_id or review.status != ReviewStatus.PUBLISHED:
        raise NotReviewable(_l("This review cannot be answered."))
    errors: dict = {}
    text = _text(body, "reply", policy.body_max, errors)
    if errors:
        raise ReviewError(_l("Please correct the marked fields."), errors)
    moved = session.execute(update(Review).where(Review.id == review.id, Review.reply_status.is_(None))
                            .values(reply_body=text, reply_status=ReviewStatus.PENDING, reply_at=utcnow())
                            .execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise ReviewError(_l("This review already has your reply."), status=409)
    session.expire(review)


def moderate_reply(session: Session, review: Review, action: str) -> None:
    to = {"publish": ReviewStatus.PUBLISHED, "reject": ReviewStatus.REJECTED}.get(action)
    if to is None:
        raise ReviewError(_l("Choose what to do with this reply."), status=400)
    moved = session.execute(update(Review).where(Review.id == review.id, Review.reply_status == ReviewStatus.PENDING)
                            .values(reply_status=to).execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise StaleReview()
    session.expire(review)
    from app import data_versions
    data_versions.products_changed(session, [review.product_id])


def report(session: Session, review_id: int) -> bool:
    """Anyone's abuse report: the review goes back to the moderators' queue (it stays shown)."""
    return session.execute(update(Review).where(Review.id == review_id, Review.status == ReviewStatus.PUBLISHED)
                           .values(report_count=Review.report_count + 1)
                           .execution_options(synchronize_session=False)).rowcount == 1


def helpful(session: Session, review_id: int) -> bool:
    """A "helpful" vote (one per browser session, kept by the view). The order "most helpful"
    follows within the page cache's life; no page version moves for a vote."""
    return session.execute(update(Review).where(Review.id == review_id, Review.status == ReviewStatus.PUBLISHED)
                           .values(helpful_count=Review.helpful_count + 1)
                           .execution_options(synchronize_session=False)).rowcount == 1
