"""Review routes.

- `reviews_buyer` (under `/<edition>/orders/<number>`, like the order page: its signed-in owner or
  the guest's secret link `token`; anyone else 404): write a device, seller or follow-up review of a
  delivered line.
- `reviews` (public): the "how reviews work" page of each edition, a seller's reviews, abuse
  reports and "helpful" votes (plain forms; htmx swaps the review's footer).
- `reviews_admin` (`/manage/reviews`): the moderation queue of admins, and of country managers for
  the reviews of their markets (anything else 404), with the seller replies waiting.
- `reviews_seller` (seller office): the seller's published reviews and their one reply each.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from app.accounts import permissions
from app.aftersales.queries import find_order
from app.extensions import db
from app.offers.delivery import market_today
from app.sellers.models import Seller
from app.web.htmx import render

from . import services
from .eligibility import order_lines
from .errors import ReviewError
from .models import GradeMatch, Review, ReviewKind, ReviewStatus, SellerRating
from .rules import policy

PRIVATE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}
WHICH = {"device": (ReviewKind.PRODUCT, False), "seller": (ReviewKind.SELLER, False),
         "follow-up": (ReviewKind.PRODUCT, True)}
VOTED = "review_votes"

buyer = Blueprint("reviews_buyer", __name__, template_folder="templates", url_prefix="/<edition>/orders")
public = Blueprint("reviews", __name__, template_folder="templates", url_prefix="/<edition>")
platform = Blueprint("reviews_admin", __name__, template_folder="templates", url_prefix="/manage/reviews")
permissions.protect_admin(platform, open_to_managers={"queue", "moderate", "moderate_reply"})
seller_office = Blueprint("reviews_seller", __name__, template_folder="templates", url_prefix="/seller/reviews")
permissions.protect_seller_office(seller_office)


# --- the buyer ------------------------------------------------------------------------------------

def _token() -> str:
    return (request.values.get("token") or "")[:100]


def _form_page(order, line_id: int, which: str, *, error=None, errors=None, status=200):
    kind, follow_up = WHICH[which]
    today = market_today(order.market)
    found = next((lr for lr in order_lines(db.session, order, policy(), today) if lr.line.id == line_id), None)
    if found is None:
        abort(404)
    return render("reviews/write.html", order=order, found=found, which=which, kind=kind, follow_up=follow_up,
                  allowed=found.may_write(kind, follow_up, policy(), today), grade_matches=list(GradeMatch),
                  error=error, errors=errors or {}, form=request.form, token=_token(), policy=policy()), \
        status, PRIVATE


@buyer.route("/<number>/lines/<int:line_id>/review/<any(device, seller, 'follow-up'):which>", methods=["GET", "POST"])
def write(number: str, line_id: int, which: str):
    order = find_order(db.session, number, _token(), current_user)
    if order is None:
        abort(404)
    if request.method == "GET":
        return _form_page(order, line_id, which)
    kind, follow_up = WHICH[which]
    try:
        services.submit(db.session, order, line_id, kind, follow_up, request.form, policy(), market_today(order.market))
        db.session.commit()
    except ReviewError as exc:
        db.session.rollback()
        return _form_page(order, line_id, which, error=exc.message, errors=exc.errors, status=exc.status)
    flash(_("Thank you! Your review is checked by our team before it is published."))
    return redirect(url_for("orders.detail", number=order.number, token=order.access_token), code=303)


# --- public ---------------------------------------------------------------------------------------

@public.get("/reviews/how-they-work")
def how_they_work():
    return render("reviews/how_they_work.html", policy=policy())


@public.post("/reviews/<int:review_id>/<any(report, helpful):action>")
def vote(review_id: int, action: str):
    voted = session.get(VOTED, [])
    key = f"{action[0]}{review_id}"
    done = key in voted
    if not done:
        ok = services.report(db.session, review_id) if action == "report" else services.helpful(db.session, review_id)
        if not ok:
            db.session.rollback()
            abort(404)
        db.session.commit()
        session[VOTED] = [*voted, key][-200:]
    message = _("Thank you: our moderators will look at this review.") if action == "report" \
        else _("Thank you for your vote.")
    if request.headers.get("HX-Request"):
        return render("reviews/_voted.html", message=message), 200, PRIVATE
    flash(message)
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else url_for("catalog.home"), code=303)


@public.get("/sellers/<slug>/reviews/")
def seller_reviews(slug: str):
    seller = db.session.scalar(select(Seller).where(Seller.slug == slug[:80], Seller.status == "approved"))
    if seller is None:
        abort(404)
    figure = db.session.get(SellerRating, seller.id)
    rows = list(db.session.scalars(
        select(Review).where(Review.seller_id == seller.id, Review.kind == ReviewKind.SELLER,
                             Review.status == ReviewStatus.PUBLISHED)
        .order_by(Review.published_at.desc(), Review.id.desc()).limit(20)))
    return render("reviews/seller.html", seller=seller, figure=figure, rows=rows)


# --- moderation -----------------------------------------------------------------------------------

def _scope(query):
    if current_user.is_admin:
        return query
    return query.where(Review.market_id.in_([m.id for m in current_user.managed_markets]))


def _queue_page(*, error=None, status=200, message=None):
    waiting = list(db.session.scalars(_scope(select(Review).where(or_(
        Review.status == ReviewStatus.PENDING, Review.reply_status == ReviewStatus.PENDING,
        (Review.status == ReviewStatus.PUBLISHED) & (Review.report_count >= policy().reports_to_queue))))
        .order_by(Review.created_at, Review.id).limit(100)))
    accuracy = []
    if current_user.is_admin:      # grade accuracy per seller, least accurate first (device reviews)
        accuracy = db.session.execute(
            select(Seller.name, SellerRating.grade_answers, SellerRating.grade_matched, SellerRating.count,
                   SellerRating.rating_sum).join(Seller, Seller.id == SellerRating.seller_id)
            .where(SellerRating.grade_answers > 0)
            .order_by((SellerRating.grade_matched * 1000 / SellerRating.grade_answers), Seller.name).limit(30)).all()
    return render("reviews/queue.html", fragments={"review-queue": "queue"}, rows=waiting, error=error,
                  message=message, accuracy=accuracy), status


def _scoped_review(review_id: int) -> Review:
    review = db.session.scalar(_scope(select(Review).where(Review.id == review_id)))
    if review is None:
        abort(404)
    return review


@platform.get("/")
def queue():
    return _queue_page()


@platform.post("/<int:review_id>/moderate")
def moderate(review_id: int):
    review = _scoped_review(review_id)
    try:
        services.moderate(db.session, review, request.form.get("action", "")[:10], request.form.get("reason", ""),
                          current_user, policy())
        db.session.commit()
    except ReviewError as exc:
        db.session.rollback()
        return _queue_page(error=exc.message, status=exc.status)
    return _after_moderation(_("The review is moderated."))


@platform.post("/<int:review_id>/reply")
def moderate_reply(review_id: int):
    review = _scoped_review(review_id)
    try:
        services.moderate_reply(db.session, review, request.form.get("action", "")[:10])
        db.session.commit()
    except ReviewError as exc:
        db.session.rollback()
        return _queue_page(error=exc.message, status=exc.status)
    return _after_moderation(_("The reply is moderated."))


def _after_moderation(message: str):
    if request.headers.get("HX-Request"):
        return _queue_page(message=message)
    flash(message)
    return redirect(url_for(".queue"), code=303)


# --- the seller's replies -------------------------------------------------------------------------

def _seller_page(*, error=None, errors=None, status=200):
    seller = permissions.staff_seller()
    rows = list(db.session.scalars(select(Review).where(Review.seller_id == seller.id,
                                                        Review.status == ReviewStatus.PUBLISHED)
                                   .order_by(Review.published_at.desc(), Review.id.desc()).limit(100)))
    figure = db.session.get(SellerRating, seller.id)
    return render("reviews/seller_office.html", rows=rows, figure=figure, error=error, errors=errors or {}), status


@seller_office.get("/")
def seller_list():
    return _seller_page()


@seller_office.post("/<int:review_id>/reply")
def seller_reply(review_id: int):
    seller = permissions.staff_seller()
    review = db.session.scalar(select(Review).where(Review.id == review_id, Review.seller_id == seller.id))
    if review is None:
        abort(404)
    try:
        services.reply(db.session, review, seller.id, request.form.get("reply", "")[:20000], policy())
        db.session.commit()
    except ReviewError as exc:
        db.session.rollback()
        return _seller_page(error=exc.message, errors=exc.errors, status=exc.status)
    flash(_("Your reply is checked by our team before it is shown under the review."))
    return redirect(url_for(".seller_list"), code=303)
