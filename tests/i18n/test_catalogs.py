
from babel.messages.pofile import read_po

from app.config import PROJECT_ROOT
from app.i18n import LANGUAGES, fallback_chain, pick_translation
from app.i18n.checks import check_catalogs
from app.i18n.cli import extract_to

TRANSLATIONS = PROJECT_ROOT / "translations"


def test_every_ui_string_is_translated_in_all_five_languages(tmp_path):
    # given: a fresh extraction of every string in the code and templates
    pot = tmp_path / "fresh.pot"
    extract_to(pot)

    # when
    problems = check_catalogs(TRANSLATIONS, LANGUAGES, fresh_pot=pot)

    # then: nothing missing, empty, fuzzy, stale, or with a broken placeholder
    assert problems == []


def test_extraction_finds_template_and_code_strings(tmp_path):
    # given
    pot = tmp_path / "fresh.pot"

    # when
    extract_to(pot)

    # then: a template string, a lazy string from Python, and a pgettext context all come through
    with pot.open("rb") as fh:
        ids = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(fh)}
    assert (None, "Shop by category") in ids
    assert (None, "Page not found") in ids
    assert ("grade", "Excellent") in ids
    assert (None, "%(num)s offer") in ids


def test_a_missing_translation_is_reported(tmp_path):
    # given: a catalog that lost one translation
    pot = tmp_path / "fresh.pot"
    extract_to(pot)
    broken = tmp_path / "translations"
    for language in LANGUAGES:
        target = broken / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        text = (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
        if language == "de":
            text = text.replace('msgstr "Seite nicht gefunden"', 'msgstr ""')
        (target / "messages.po").write_text(text, encoding="utf-8")
    (broken / "messages.pot").write_bytes((TRANSLATIONS / "messages.pot").read_bytes())

    # when
    problems = check_catalogs(broken, LANGUAGES, fresh_pot=pot)

    # then
    assert problems == ["de: untranslated 'Page not found'"]


def test_fallback_chain_goes_page_language_then_market_language_then_english():
    assert fallback_chain("de", "fr") == ("de", "fr", "en")
    assert fallback_chain("fr", "fr") == ("fr", "en")
    assert fallback_chain("en", "en") == ("en",)


def test_pick_translation_follows_the_chain():
    class Row:
        def __init__(self, language):
            self.language = language

    rows = [Row("en"), Row("fr")]
    assert pick_translation(rows, ("de", "fr", "en")).language == "fr"
    assert pick_translation(rows, ("it",)).language == "en"
    assert pick_translation([], ("it",)) is None
