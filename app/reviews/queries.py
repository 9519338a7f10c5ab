"""Read side: what shop pages show of reviews, in a fixed number of queries whatever their count."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.offers.grades import Grade

from .models import ProductRating, Review, ReviewKind, ReviewStatus
from .rules import Policy

LANGUAGES = ("fr", "es", "de", "it", "en")
SORTS = ("newest", "helpful")
PER_PAGE = 10


@dataclass
class ProductReviews:
    rating: ProductRating | None
    reviews: list[Review]
    grade: str | None                      # filters in force
    language: str | None
    sort: str
    matched: list[tuple[str, int, int]] = field(default_factory=list)   # grade, answers, % "yes"

    @property
    def count(self) -> int:
        return self.rating.count if self.rating else 0

    @property
    def average(self) -> Decimal | None:   # for display (Babel formats it); sorting uses `bayesian`
        if not self.count:
            return None
        return (Decimal(self.rating.rating_sum) / self.count).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def share(self, stars: int) -> int:
        return round(100 * self.rating.stars[stars - 1] / self.count) if self.count else 0


def product_reviews(session: Session, product_id: int, args, policy: Policy) -> ProductReviews:
    """The model's figures (precomputed) and one page of its published reviews: two queries."""
    grade = args.get("review_grade") if args.get("review_grade") in set(Grade) else None
    language = args.get("review_language") if args.get("review_language") in LANGUAGES else None
    sort = args.get("review_sort") if args.get("review_sort") in SORTS else "newest"
    rating = session.get(ProductRating, product_id)
    query = select(Review).where(Review.product_id == product_id, Review.kind == ReviewKind.PRODUCT,
                                 Review.status == ReviewStatus.PUBLISHED)
    if grade:
        query = query.where(Review.grade == grade)
    if language:
        query = query.where(Review.language == language)
    order = (Review.helpful_count.desc(), Review.published_at.desc()) if sort == "helpful" \
        else (Review.published_at.desc(),)
    reviews = list(session.scalars(query.order_by(*order, Review.id.desc()).limit(PER_PAGE)))
    matched = []
    if rating and rating.count:
        for g in Grade:
            answers, yes, _partly = (rating.matched or {}).get(g, [0, 0, 0])
            if answers:
                matched.append((g.value, answers, round(100 * yes / answers)))
    return ProductReviews(rating, reviews, grade, language, sort, matched)


def structured(view: ProductReviews) -> dict:
    """schema.org `AggregateRating` and `Review`s for the product page's JSON-LD (product pages only)."""
    if not view.count:
        return {}
    return {
        "aggregateRating": {"@type": "AggregateRating", "ratingValue": str(view.average),
                            "reviewCount": view.count, "bestRating": 5, "worstRating": 1},
        "review": [{"@type": "Review", "name": r.title, "reviewBody": r.body, "inLanguage": r.language,
                    "datePublished": r.published_at.date().isoformat() if r.published_at else None,
                    "author": {"@type": "Person", "name": r.author_name},
                    "reviewRating": {"@type": "Rating", "ratingValue": r.rating, "bestRating": 5, "worstRating": 1}}
                   for r in view.reviews[:5]],
    }
