"""Catalog domain errors. Services raise them; views turn them into messages for the user."""
from __future__ import annotations


class CatalogError(Exception):
    """Base class of the catalog's domain errors; `message` is a (lazy) translated string."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class ImageRejected(CatalogError):
    """An uploaded file is not a picture we accept (format, size, or unreadable)."""
