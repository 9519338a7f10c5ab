"""Catalog checks shared by `flask i18n check` and the test suite."""
from __future__ import annotations

import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def _key(message) -> tuple[str, str | None]:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return msgid, message.context


def check_catalogs(directory: Path, languages: tuple[str, ...], *, fresh_pot: Path | None = None) -> list[str]:
    """Every problem that would show a visitor English or a broken string, one line each.

    Compares each language's .po with a fresh extraction of the code, so a string added to a
    template but never extracted fails here rather than silently rendering in English.
    """
    if fresh_pot is None:
        from .cli import extract_to
        with tempfile.TemporaryDirectory() as tmp:
            pot_path = Path(tmp) / "fresh.pot"
            extract_to(pot_path)
            return check_catalogs(directory, languages, fresh_pot=pot_path)

    expected = {_key(m) for m in _read(fresh_pot) if m.id}
    committed_pot = directory / "messages.pot"
    problems = []
    if not committed_pot.exists() or {_key(m) for m in _read(committed_pot) if m.id} != expected:
        problems.append("translations/messages.pot is stale: run `flask i18n update`")
    for language in languages:
        po_path = directory / language / "LC_MESSAGES" / "messages.po"
        if not po_path.exists():
            problems.append(f"{language}: no catalog at {po_path}")
            continue
        catalog = _read(po_path, language)
        present = {}
        for message in catalog:
            if message.id:
                present[_key(message)] = message
        for key in sorted(expected - present.keys(), key=str):
            problems.append(f"{language}: missing {key[0]!r} (run `flask i18n update`)")
        for key, message in present.items():
            if key not in expected:
                continue
            if message.fuzzy:
                problems.append(f"{language}: fuzzy {key[0]!r}")
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not all(strings):
                problems.append(f"{language}: untranslated {key[0]!r}")
        for message, errors in catalog.check():
            for error in errors:
                problems.append(f"{language}: {message.id!r}: {error}")
    return problems


def check_regional(directory: Path, pot: Path) -> list[str]:
    """A regional catalog (translations/regional/en_US) holds only the strings that differ from its
    language's: each must still be in messages.pot, be filled in, and keep its placeholders."""
    expected = {_key(m) for m in _read(pot) if m.id}
    problems = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        region = po_path.parent.parent.name
        catalog = _read(po_path, region)
        for message in catalog:
            if not message.id:
                continue
            if _key(message) not in expected:
                problems.append(f"{region}: {_key(message)[0]!r} is no longer a UI string: remove it")
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                problems.append(f"{region}: untranslated or fuzzy {_key(message)[0]!r}")
        for message, errors in catalog.check():
            for error in errors:
                problems.append(f"{region}: {message.id!r}: {error}")
    return problems
