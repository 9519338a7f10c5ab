"""After-sales errors; `message` is lazy, translated where it is shown."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l


class AftersalesError(Exception):
    status = 422

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class StaleState(AftersalesError):
    """The row already moved on (another tab, another person, a double click): 409."""
    status = 409

    def __init__(self):
        super().__init__(_l("This was already done or changed meanwhile. The page now shows where it stands."))


class WindowClosed(AftersalesError):
    def __init__(self, message=None):
        super().__init__(message or _l("The period for this has ended."))


class UnitNotInOrder(AftersalesError):
    def __init__(self):
        super().__init__(_l("Please choose units of this order that can still be withdrawn."))


class NothingChosen(AftersalesError):
    def __init__(self):
        super().__init__(_l("Please choose at least one unit."))


class InvalidDate(AftersalesError):
    def __init__(self):
        super().__init__(_l("Enter the delivery date: not before shipping, not in the future."))


class RefundFailed(AftersalesError):
    status = 502

    def __init__(self):
        super().__init__(_l("The refund could not be made now; it will be tried again automatically."))
