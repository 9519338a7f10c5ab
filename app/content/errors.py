"""Content errors, with a message for the person editing."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l


class ContentError(Exception):
    message = _l("This text could not be saved.")

    def __init__(self, message=None):
        super().__init__(message or self.message)
        if message is not None:
            self.message = message


class EditConflict(ContentError):
    """Someone saved the text after the editor opened it; `current` is what they saved."""
    message = _l("Someone else saved this text while you were editing it. Compare both versions below, "
                 "then save again.")

    def __init__(self, current):
        super().__init__()
        self.current = current
