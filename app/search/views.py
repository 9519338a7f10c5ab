"""Search pages: results (full page or the results fragment) and type-ahead suggestions.

`#search-results` holds the whole listing (filters, sort, results, pages); an htmx request aiming
at it gets the `results` block of the same template, at the same URL, so the pushed URL always
renders the full page too.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, request, url_for
from jinja2 import pass_context

from app.catalog.views import navigation_categories
from app.extensions import db
from app.web.htmx import render, wants_fragment
from app.web.page_cache import cached_page

from . import suggestions
from .service import Catalog, listing_page

bp = Blueprint("search", __name__, template_folder="templates", url_prefix="/<edition>")

FRAGMENTS = {"search-results": "results"}


@bp.app_template_global()
@pass_context
def listing_url(context, args: dict) -> str:
    """URL of the listing page being rendered (its endpoint and view arguments) with these query arguments."""
    return url_for(context["listing_endpoint"], **context["listing_args"], **args)


def catalog() -> Catalog:
    """Categories and brands of this request, loaded once."""
    if "search_catalog" not in g:
        g.search_catalog = Catalog(db.session, navigation_categories())
    return g.search_catalog


def render_listing(template: str, listing, endpoint: str, view_args: dict, **context):
    """The page or its results fragment; a fragment tells htmx the page's canonical URL to push, so
    the address bar never shows a default (``sort=relevance``) or an ignored value."""
    response = current_app.make_response(render(template, fragments=FRAGMENTS, listing=listing,
                                                listing_endpoint=endpoint, listing_args=view_args, **context))
    if wants_fragment():
        response.headers["HX-Push-Url"] = url_for(endpoint, **view_args, **listing.params.args())
    return response


@bp.get("/search")
@cached_page
def results():
    page = listing_page(db.session, market=g.market, languages=g.languages, args=request.args,
                        catalog=catalog(), per_page=current_app.config["PRODUCTS_PER_PAGE"])
    if page.out_of_range and page.page > 1:
        abort(404)
    response = render_listing("search/results.html", page, "search.results", {})
    if page.params.text or page.params.filters.active():
        # Result pages of arbitrary queries are for shoppers, not for search engines.
        response.headers["X-Robots-Tag"] = "noindex, follow"
    return response


@bp.get("/search/suggest")
@cached_page
def suggest():
    found = suggestions.suggest(db.session, market=g.market, languages=g.languages,
                                text=request.args.get("q", ""), catalog=catalog())
    response = current_app.make_response(render("search/_suggestions.html", suggestions=found))
    response.headers["X-Robots-Tag"] = "noindex"
    response.cache_control.no_store = True
    return response
