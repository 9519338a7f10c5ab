"""Regional catalogs (translations/regional/en_US) apply to their own locale only.

Flask-Babel reads every translation directory for the page's locale, and gettext expands a plain
language to a default territory ("en" also finds en_US), so without this the US spellings would reach
every English page that is not a regional edition: the back offices, e-mails in "en". This domain reads
the regional directory only when it holds a catalog named exactly after the locale.
"""
from __future__ import annotations

from pathlib import Path

from flask_babel import Domain, get_locale


class RegionalDomain(Domain):
    @property
    def translation_directories(self):
        directories = super().translation_directories
        locale = str(get_locale())
        return [d for d in directories if Path(d).name != "regional" or (Path(d) / locale).is_dir()]


def install(babel) -> None:
    """Use the regional-aware domain for the app's Babel (its `domain_instance` is a cached property)."""
    babel.__dict__["domain_instance"] = RegionalDomain()     # the "messages" domain, as configured
