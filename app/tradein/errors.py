"""Trade-in errors: each carries a lazy, localized message the views show with a 4xx."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l


class TradeInError(Exception):
    """Base: `message` is shown to the person who caused it."""
    message = _l("This trade-in cannot go on.")
    status = 422

    def __init__(self, message=None):
        super().__init__(str(message or self.message))
        if message is not None:
            self.message = message


class NotOffered(TradeInError):
    message = _l("Trade-in is not offered in this country.")
    status = 404


class UnknownDevice(TradeInError):
    message = _l("This model is not one we take in trade.")
    status = 404


class NoBids(TradeInError):
    message = _l("No refurbisher bids for this device in this condition yet.")
    status = 409


class DeviceLocked(TradeInError):
    message = _l("Sign the device out of its account first: a device still locked to an account cannot be bought.")


class QuoteExpired(TradeInError):
    message = _l("This quote has expired: ask for a new one.")
    status = 410


class BidError(TradeInError):
    """A bid the grid cannot hold (unknown configuration, a market the seller does not serve)."""


class AlreadyAccepted(TradeInError):
    message = _l("This quote has already been accepted.")
    status = 409


class UnknownOffer(TradeInError):
    message = _l("This refurbisher has no bid in this quote.")
    status = 404


class StaleTradeIn(TradeInError):
    """The trade-in moved on since the page was shown (another tab, a colleague, the worker)."""
    message = _l("This trade-in has changed in the meantime: reload the page to see where it stands.")
    status = 409


class CounterOfferClosed(TradeInError):
    message = _l("This counter-offer can no longer be answered: it was answered already or its 7 days are over.")
    status = 409


class InvalidInspection(TradeInError):
    """An inspection the form cannot record: `errors` maps a field to its localized message."""
    message = _l("Please correct the fields marked below.")

    def __init__(self, errors: dict):
        super().__init__()
        self.errors = errors
