"""Locale details the catalogs and templates must get right: French colons, Italian elisions, units."""
import re
from pathlib import Path

from babel.messages.pofile import read_po
from flask_babel import force_locale
from sqlalchemy import select

from app.catalog.specs import spec_rows
from app.mail.models import OutboxMessage
from tests.checkout.helpers import fill_cart, place, stock

TRANSLATIONS = Path(__file__).parents[2] / "translations"


def test_no_italian_article_stands_before_a_number_placeholder():
    # "il %(percent)s" reads "il 85 %" where Italian writes "l'85 %": phrase around the number instead.
    with (TRANSLATIONS / "it" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    bad = [m.string for m in catalog if m.id and isinstance(m.string, str)
           and re.search(r"\b(il|del|al|dal|nel|sul|dell'|all')\s?%\((percent|max|rate|num)\)", m.string)]
    assert bad == []


def test_french_colons_take_a_narrow_no_break_space():
    with (TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    bad = [m.string for m in catalog if m.id and isinstance(m.string, str)
           and re.search(r"[^\s\u202f\u00a0]:(\s|$)", m.string) and "://" not in m.string]
    assert bad == []


def test_the_french_confirmation_email_writes_its_totals_the_french_way(client, session):
    listing = stock(session, quantity=3, amount=30000)
    place(client, "fr-fr", fill_cart(client, "fr-fr", listing.id))

    mail, = session.scalars(select(OutboxMessage))
    assert "Livraison\u202f: 0,00\xa0€" in mail.body_text and "Total\u202f: 300,00\xa0€" in mail.body_text
    assert "Livraison\u202f: 0,00\xa0€" in mail.body_html


def test_memory_reads_in_the_same_unit_as_storage(app):
    with app.test_request_context(), force_locale("fr_FR"):
        rows = dict(spec_rows({"ram_gb": 8, "screen_in": "6.1"}))
    assert rows["Mémoire (RAM)"] == "8 Go" and rows["Taille de l'écran"] == "6,1″"
