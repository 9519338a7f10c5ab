"""The published figures of products and sellers, recomputed from the reviews in one aggregate
query each, by the moderation step that changed them (never while a page is drawn).

A seller's Bayesian average also becomes `Seller.rating_tenths`, the rating the best-offer rule
ranks ties by (`app.offers.best`), once the seller has a published review.
"""
from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app import data_versions
from app.sellers.models import Seller

from .models import (
    GradeMatch,
    ProductRating,
    Review,
    ReviewKind,
    ReviewStatus,
    SellerRating,
)
from .rules import Policy, bayesian

PUBLISHED = Review.status == ReviewStatus.PUBLISHED


def refresh_product(session: Session, product_id: int | None, policy: Policy) -> None:
    if product_id is None:
        return
    rows = session.execute(
        select(Review.grade, Review.rating, func.count(),
               func.sum(case((Review.grade_match == GradeMatch.YES, 1), else_=0)),
               func.sum(case((Review.grade_match == GradeMatch.PARTLY, 1), else_=0)))
        .where(PUBLISHED, Review.product_id == product_id, Review.kind == ReviewKind.PRODUCT)
        .group_by(Review.grade, Review.rating)).all()
    stars, matched = [0] * 5, {}
    for grade, rating, count, yes, partly in rows:
        stars[rating - 1] += count
        answers = matched.setdefault(grade, [0, 0, 0])
        answers[0] += count
        answers[1] += int(yes or 0)
        answers[2] += int(partly or 0)
    figure = session.get(ProductRating, product_id) or ProductRating(product_id=product_id)
    figure.count = sum(stars)
    figure.rating_sum = sum((i + 1) * n for i, n in enumerate(stars))
    figure.stars, figure.matched = stars, matched
    figure.bayesian = bayesian(figure.count, figure.rating_sum, policy)
    session.add(figure)
    data_versions.products_changed(session, [product_id])   # its page, and the cards showing it, move


def refresh_seller(session: Session, seller_id: int, policy: Policy) -> None:
    count, total, delivery, service = session.execute(
        select(func.count(), func.coalesce(func.sum(Review.rating), 0),
               func.coalesce(func.sum(Review.delivery_rating), 0), func.coalesce(func.sum(Review.service_rating), 0))
        .where(PUBLISHED, Review.seller_id == seller_id, Review.kind == ReviewKind.SELLER)).one()
    answers, matched = session.execute(
        select(func.count(Review.grade_match), func.coalesce(func.sum(case((Review.grade_match == GradeMatch.YES, 1),
                                                                           else_=0)), 0))
        .where(PUBLISHED, Review.seller_id == seller_id, Review.kind == ReviewKind.PRODUCT,
               Review.follow_up.is_(False))).one()
    figure = session.get(SellerRating, seller_id) or SellerRating(seller_id=seller_id)
    figure.count, figure.rating_sum, figure.delivery_sum, figure.service_sum = count, int(total), int(delivery), \
        int(service)
    figure.grade_answers, figure.grade_matched = answers, int(matched)
    figure.bayesian = bayesian(count, int(total), policy)
    session.add(figure)
    if count:
        seller = session.get(Seller, seller_id)
        tenths = (figure.bayesian + 5) // 10
        if seller is not None and seller.rating_tenths != tenths:
            seller.rating_tenths = tenths


def refresh(session: Session, review: Review, policy: Policy) -> None:
    session.flush()
    refresh_product(session, review.product_id, policy)
    refresh_seller(session, review.seller_id, policy)


def for_sellers(session: Session, seller_ids) -> dict[int, tuple[SellerRating, str]]:
    """The figures of the sellers a page shows, with their slugs (for the link), in one query."""
    ids = sorted(set(seller_ids))      # queried even when empty: the page's query count stays fixed
    rows = session.execute(select(SellerRating, Seller.slug).join(Seller, Seller.id == SellerRating.seller_id)
                           .where(SellerRating.seller_id.in_(ids), SellerRating.count > 0))
    return {figure.seller_id: (figure, slug) for figure, slug in rows}
