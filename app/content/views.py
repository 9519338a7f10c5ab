"""Public content pages (`/<edition>/info/<key>`) and the home-page blocks the catalog home shows."""
from __future__ import annotations

from flask import Blueprint, abort, g, url_for
from flask_login import current_user

from app.accounts.permissions import manages_market
from app.extensions import db
from app.web.htmx import render

from . import keys, queries
from .markup import render_markdown

bp = Blueprint("content", __name__, template_folder="templates", url_prefix="/<edition>/info")


def banner_url(image_key: str | None) -> str | None:
    return url_for("media.file", path=f"{image_key}.webp") if image_key else None


@bp.app_template_global()
def footer_pages() -> list[tuple[str, str]]:
    """(key, title) of the pages this edition publishes, for the footer; read once per request."""
    if g.get("edition") is None:
        return []
    if "footer_pages" not in g:
        shown = queries.public_texts(db.session, keys.PAGE_KEYS, market=g.market.code, languages=g.languages)
        g.footer_pages = [(key, shown[key].revision.title) for key in keys.PAGE_KEYS if key in shown]
    return g.footer_pages


def home_blocks() -> dict[str, queries.ShownText]:
    """The home page's blocks for this request's edition (the catalog's home view renders them)."""
    return queries.public_texts(db.session, keys.BLOCK_KEYS, market=g.market.code, languages=g.languages)


def sees_fallback_badge() -> bool:
    return manages_market(current_user, g.market)


def content_lang(shown: queries.ShownText | None) -> str:
    """The `lang` of a block: the edition's, or the fallback language the text is written in."""
    if shown is not None and shown.is_fallback(g.language):
        return shown.language
    return g.edition.html_lang


@bp.app_context_processor
def content_helpers():
    return {"render_markdown": render_markdown, "banner_url": banner_url, "content_lang": content_lang}


@bp.get("/<key>")
def page(key: str):
    if key not in keys.PAGE_KEYS:
        abort(404)
    shown = queries.public_text(db.session, key, market=g.market.code, languages=g.languages)
    if shown is None:
        abort(404)
    return render("content/page.html", shown=shown, revision=shown.revision, key=key,
                  fallback=shown.is_fallback(g.language), badge=sees_fallback_badge())
