"""Markdown to safe HTML: the one way content text reaches a page.

Two layers: markdown-it renders with raw HTML disabled (a `<script>` typed in the editor stays
text), then nh3 keeps only an allow-list of tags and attributes and only http(s), mailto and
relative links, whatever the renderer let through. The result is marked safe for Jinja only here.
"""
from __future__ import annotations

import difflib
import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "hr", "h2", "h3", "h4", "strong", "em", "ul", "ol", "li", "a", "blockquote",
                "code", "pre", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

# "js-default" is CommonMark plus tables and strikethrough, with `html` off and links checked by
# markdown-it's own validator (no javascript:, vbscript:, file: or data: except images).
_markdown = MarkdownIt("js-default", {"linkify": False, "typographer": False})


def sanitise(raw_html: str) -> str:
    return nh3.clean(raw_html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)


def render_markdown(text: str | None) -> Markup:
    """Sanitised HTML of a Markdown text. A heading level 1 becomes 2: the page has its own h1."""
    rendered = _markdown.render(text or "").replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    # Safe to mark: nh3 has kept only the allow-listed tags and attributes.
    return Markup(sanitise(rendered))  # nosec B704


def html_diff(old: str, new: str) -> Markup:
    """A line diff of two texts as HTML: every line escaped, added and removed lines marked."""
    rows = []
    for line in difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "added", "-": "removed", "@": "hunk"}.get(line[:1], "same")
        rows.append(f'<span class="diff-{kind}">{html.escape(line)}</span>')
    # Safe to mark: every line went through html.escape above.
    return Markup("\n".join(rows))  # nosec B704
