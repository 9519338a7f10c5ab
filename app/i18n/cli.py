"""`flask i18n …`: extract, update, compile and check the gettext catalogs in translations/."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from app.config import PROJECT_ROOT

from . import LANGUAGES
from .checks import check_catalogs, check_regional

i18n = AppGroup("i18n", help="Extract, update, compile and check the translation catalogs.")

TRANSLATIONS = PROJECT_ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
REGIONAL = TRANSLATIONS / "regional"      # en_US: only what differs from en, merged over it at run time
KEYWORDS = ("_l", "lazy_gettext", "lazy_pgettext:1c,2", "lazy_ngettext:1,2", "pgettext:1c,2", "npgettext:1c,2,3")


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", *args], check=True, cwd=PROJECT_ROOT)


def extract_to(output: Path) -> None:
    keywords = [arg for kw in KEYWORDS for arg in ("-k", kw)]
    _pybabel("extract", "-F", "babel.cfg", *keywords, "--no-location", "--sort-output",
             "--omit-header", "-o", str(output), "app")


@i18n.command()
def extract() -> None:
    """Collect every UI string into translations/messages.pot."""
    extract_to(POT)
    click.echo(f"Wrote {POT.relative_to(PROJECT_ROOT)}")


@i18n.command()
def update() -> None:
    """Extract, then merge new strings into each language's .po (no fuzzy guesses)."""
    extract_to(POT)
    _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-fuzzy-matching",
             "--ignore-obsolete")
    click.echo("Updated catalogs for " + ", ".join(LANGUAGES))


@i18n.command()
@click.argument("language")
def init(language: str) -> None:
    """Start a catalog for a new language."""
    _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", language)


@i18n.command()
def compile() -> None:  # noqa: A001 - the command's name is the gettext word
    """Compile .po into .mo; fails on placeholder errors."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")
    _pybabel("compile", "-d", str(REGIONAL), "--statistics")


@i18n.command()
def check() -> None:
    """Fail when a string is untranslated, fuzzy, missing from a catalog or has a broken placeholder."""
    problems = check_catalogs(TRANSLATIONS, LANGUAGES) + check_regional(REGIONAL, POT)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo("All catalogs complete: " + ", ".join(LANGUAGES))
