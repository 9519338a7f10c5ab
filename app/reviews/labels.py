"""Labels and template globals of reviews (one place, beside nothing else to restate them)."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from .models import GradeMatch, ReviewStatus

GRADE_MATCH = {GradeMatch.YES: _l("Yes, as described"), GradeMatch.PARTLY: _l("Partly"),
               GradeMatch.NO: _l("No, worse than its grade")}
GRADE_MATCH_SHORT = {GradeMatch.YES: _l("Matched its grade"), GradeMatch.PARTLY: _l("Partly matched its grade"),
                     GradeMatch.NO: _l("Did not match its grade")}
STATUS = {ReviewStatus.PENDING: _l("waiting for moderation"), ReviewStatus.PUBLISHED: _l("published"),
          ReviewStatus.REJECTED: _l("not published"), ReviewStatus.REMOVED: _l("taken down")}
LANGUAGE_NAMES = {"fr": _l("French"), "es": _l("Spanish"), "de": _l("German"), "it": _l("Italian"),
                  "en": _l("English")}


def stars_text(value) -> str:
    from flask_babel import format_decimal
    from flask_babel import gettext as _
    return _("%(value)s out of 5", value=format_decimal(value, "0.0"))


def init_app(app) -> None:
    from app.extensions import db
    from app.offers.delivery import market_today

    from .eligibility import order_lines
    from .rules import policy

    def order_reviews(order):
        """Per line of `order`, its review state, for the order page (three queries)."""
        lines = order_lines(db.session, order, policy(), market_today(order.market))
        return lines, policy(), market_today(order.market)

    app.add_template_global(order_reviews, "order_reviews")
    app.add_template_global(lambda code: str(GRADE_MATCH_SHORT.get(code, "")), "grade_match_label")
    app.add_template_global(lambda code: str(GRADE_MATCH.get(code, "")), "grade_match_answer")
    app.add_template_global(lambda code: str(STATUS.get(code, code)), "review_status_label")
    app.add_template_global(lambda code: str(LANGUAGE_NAMES.get(code, code)), "review_language_name")
    app.add_template_global(stars_text, "stars_text")
    app.add_template_global(lambda: str(get_locale())[:2], "page_language")
