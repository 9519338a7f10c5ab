"""No hard-coded English in templates: visible text must go through gettext."""
import re
from html.parser import HTMLParser

from app.config import PROJECT_ROOT

# Words that are the same in every language: the brand.
ALLOWED = {"Refurb"}
# Attributes a visitor reads (or hears through a screen reader).
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "content", "value"}


class TextCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            if name == "value" and not (tag == "input" and dict(attrs).get("type") in ("submit", "button", "reset")):
                continue         # a form value is sent, not shown (a <button>'s value is never displayed)
            if name in READ_ATTRIBUTES and value and not (name == "content" and tag == "meta"
                                                          and ("width=" in value or value.startswith("{"))):
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.texts.append(data)


def visible_literals(source: str) -> list[str]:
    """Words left once Jinja expressions, statements and comments are taken out."""
    # An expression becomes "x" (too short to count as a word) so `<{{ tag }} …>` still parses as a
    # tag; elsewhere " x ", so that two expressions side by side do not make the word "xx".
    stripped = re.sub(r"\{#.*?#\}|\{%.*?%\}", " ", source, flags=re.S)
    stripped = re.sub(r"(</?)?\{\{.*?\}\}", lambda m: m.group(1) + "x" if m.group(1) else " x ", stripped,
                      flags=re.S)
    collector = TextCollector()
    collector.feed(stripped)
    words = re.findall(r"[^\W\d_]{2,}", " ".join(collector.texts))
    return [w for w in words if w not in ALLOWED]


def test_templates_have_no_untranslated_text():
    offenders = {}
    for template in sorted((PROJECT_ROOT / "app").glob("**/templates/**/*.html")):
        words = visible_literals(template.read_text(encoding="utf-8"))
        if words:
            offenders[str(template.relative_to(PROJECT_ROOT))] = words
    assert offenders == {}


def test_the_check_catches_a_hard_coded_word():
    assert visible_literals('<p>{{ _("Hello") }} World</p><img alt="A phone">') == ["World", "phone"]
    assert visible_literals('<a title="{{ _(\'x\') }}">{% if a %}{{ b }}{% endif %}</a>') == []
    assert visible_literals('<p>{{ a }}{{ b }}</p><button name="d" value="approve">{{ c }}</button>') == []
    assert visible_literals('<input type="submit" value="Send"><{{ tag }}>{{ a }}</{{ tag }}>') == ["Send"]
