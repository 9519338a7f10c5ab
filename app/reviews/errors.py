"""Review errors; `message` and `errors` are lazy, translated where they are shown."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l


class ReviewError(Exception):
    status = 422

    def __init__(self, message, errors: dict | None = None, status: int | None = None):
        super().__init__(str(message))
        self.message = message
        self.errors = errors or {}
        if status is not None:
            self.status = status


class NotReviewable(ReviewError):
    status = 403

    def __init__(self, message=None):
        super().__init__(message or _l("This item cannot be reviewed now."))


class AlreadyReviewed(ReviewError):
    status = 409

    def __init__(self):
        super().__init__(_l("You have already reviewed this item."))


class StaleReview(ReviewError):
    status = 409

    def __init__(self):
        super().__init__(_l("This review was already moderated meanwhile."))
