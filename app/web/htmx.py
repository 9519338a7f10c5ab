"""One way to answer both a full page load and an htmx swap from the same view and template."""
from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote

from flask import Flask, render_template, request
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def wants_fragment() -> bool:
    """htmx asked for part of a page: not a boosted navigation, not a history-cache miss."""
    return (is_htmx()
            and request.headers.get("HX-Boosted") != "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def target_id() -> str:
    """The id of the element htmx will swap into.

    htmx 4 sends the target as ``tag#id`` (``section#product-grid``), URI-encoded; a bare id is
    accepted too.
    """
    target = unquote(request.headers.get("HX-Target", ""))
    return target.split("#", 1)[1] if "#" in target else target


Fragment = str | tuple[str, dict[str, str]]


def render(template: str, *, fragments: Mapping[str, Fragment] | None = None, **context) -> str:
    """The full page, or the block mapped to the request's HX-Target.

    `fragments` maps a target element id to a block name, so a client can only ever pull a block
    the view chose to expose; an unmapped target gets the full page. A target may also map to
    ``(block, {other_id: other_block})``: the other blocks ride along as out-of-band swaps into the
    elements with those ids, for a choice that changes several separate panels.
    """
    fragment = (fragments or {}).get(target_id()) if wants_fragment() else None
    if fragment is None:
        return render_template(template, **context)
    block, out_of_band = (fragment, {}) if isinstance(fragment, str) else fragment
    html = render_block(template, block, **context)
    for element_id, other in out_of_band.items():
        inner = render_block(template, other, **context)
        html += f'<div hx-swap-oob="innerHTML:#{element_id}">{inner}</div>'
    return html


def init_app(app: Flask) -> None:
    @app.after_request
    def vary_on_htmx(response):
        # A fragment and a full page share a URL: caches must key on the header that tells them apart.
        response.vary.add("HX-Request")
        return response
