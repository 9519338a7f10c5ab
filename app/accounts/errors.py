"""Account errors, each with a message the visitor reads in their language."""
from flask_babel import lazy_gettext as _l


class AccountError(Exception):
    message = _l("That did not work.")

    def __init__(self, message=None):
        super().__init__(str(message or self.message))
        if message is not None:
            self.message = message


class EmailTaken(AccountError):
    message = _l("An account already uses this e-mail address.")


class InvalidCredentials(AccountError):
    message = _l("This e-mail and password do not match an account.")


class TooManyAttempts(AccountError):
    def __init__(self, seconds: int):
        self.seconds = seconds
        minutes = max(1, -(-seconds // 60))
        super().__init__(_l("Too many sign-in attempts. Please try again in %(num)s minutes.", num=minutes))


class InvalidLink(AccountError):
    message = _l("This link is invalid or has expired. Please ask for a new one.")
