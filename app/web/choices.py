"""Select-field choices in WTForms 3.3's shape (`SelectChoice`), and the values a field offers."""
from __future__ import annotations

from collections.abc import Iterable

from wtforms.fields.choices import SelectChoice


def choices(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    return [SelectChoice(str(value), label) for value, label in pairs]


def offered(field) -> set[str]:
    """The values a select or checkbox field offers (as strings, as the browser sends them)."""
    return {choice.value for choice in field.choices or []}
