"""The demo catalog speaks five languages: a German, French, Spanish or Italian text identical to the
English one is a forgotten translation, unless every word of it is a brand or model word (iPhone,
Galaxy, Pro Max, Series X) or a word the language shares with English (fr "Rose", de "Gold")."""
import json
import re
from pathlib import Path

from flask_babel import force_locale

from app.content.demo import DATA as PAGES
from app.offers.grades import Grade

DATA = Path(__file__).parents[2] / "app" / "demo" / "data"
LANGUAGES = ("fr", "de", "es", "it")

# Trademarks and model words the makers keep in English in every market.
BRAND_AND_MODEL_WORDS = set("""
Absolute Air AirPods BRAVIA Bambino Barista Beam Carbon Charge CitiZ Classic Deck Detect Dinamica ECAM
Earbuds EliteBook Essenza Evidence Evo Express FE Find Forerunner Frame Galaxy Gallery Gen Go HomePod II
Intel Laptop LatteGo Lite MacBook Magnifica Max Mini Momentum Move Neo Next Note OLED One Phone Pixel
PlayStation Plus Pop Pro QLED QuietComfort Redmi Roam Roomba S SE Series Slim Solar Spectre Steam Surface
Switch Tab Tablet The ThinkPad Ultra Vertuo WF WH Watch Wireless X XPS XR XS Xbox Z ZenBook edge evo fēnix
iPhone mini pro razr ultra Digital Edition Noise Cancelling Headphones (PRODUCT)RED Viva Magenta
""".split())
# Words the language writes exactly as English does.
SHARED_WORDS = {
    "fr": {"Audio", "Beige", "Consoles", "Graphite", "Olive", "Rose", "Smartphones", "Turquoise"},
    "de": {"Audio", "Gaming", "Gold", "Laptops", "Smartphones", "Smartwatches", "Tablets", "TV", "Video", "&"},
    "es": {"Aloe", "Audio", "Beige", "Coral", "Smartphones"},
    "it": {"Aloe", "Audio", "Beige", "Gaming"},
}


def words(text: str) -> list[str]:
    """The words of a name, without numbers, model codes (EP2220/10) or punctuation."""
    return [w for w in re.findall(r"\(PRODUCT\)RED|[^\s()/,\-]+", text) if not re.search(r"\d", w)]


def forgotten(names: dict[str, str]) -> list[str]:
    return [language for language in LANGUAGES
            if names[language] == names["en"]
            and not all(w in BRAND_AND_MODEL_WORDS | SHARED_WORDS[language] for w in words(names["en"]))]


def load(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_no_catalog_text_is_left_in_english():
    problems = []
    for file in sorted(DATA.glob("colors_*.json")):
        for code, color in load(file.name).items():
            problems += [f"colour {code} [{lang}]: {color['names']['en']}" for lang in forgotten(color["names"])]
    for file in sorted(DATA.glob("products_*.json")):
        for product in load(file.name):
            for field in ("names", "descriptions"):
                problems += [f"product {product['key']} {field} [{lang}]: {product[field]['en'][:40]}"
                             for lang in forgotten(product[field])]
    for category in load("categories.json"):
        problems += [f"category {category['key']} [{lang}]: {category['names']['en']}"
                     for lang in forgotten(category["names"])]
    assert problems == []


def test_the_check_catches_an_english_colour_name():
    assert forgotten({"en": "Phantom Black", "fr": "Noir fantôme", "de": "Phantom Black", "es": "Negro fantasma",
                      "it": "Nero fantasma"}) == ["de"]
    assert forgotten({"en": "Switch (OLED model)", "fr": "Switch (OLED model)", "de": "Switch (OLED-Modell)",
                      "es": "Switch (modelo OLED)", "it": "Switch (modello OLED)"}) == ["fr"]
    assert forgotten({"en": "iPhone 13 Pro Max", **{lang: "iPhone 13 Pro Max" for lang in LANGUAGES}}) == []


def test_the_grades_page_names_the_grades_as_the_rest_of_the_shop(app):
    from app.offers.grades import grade_label
    pages = json.loads(PAGES.read_text(encoding="utf-8"))
    locales = {"fr": "fr_FR", "de": "de_DE", "es": "es_ES", "it": "it_IT", "en": "en_GB"}
    for language, locale in locales.items():
        body = pages["grades"][language]["body"]
        with app.test_request_context(), force_locale(locale):
            labels = [str(grade_label(grade)) for grade in sorted(Grade, key=lambda g: -g.rank)]
        assert re.findall(r"\*\*(.+?)\*\*", body) == labels, language
