from urllib.parse import urljoin

from flask import Blueprint, Response, abort, current_app, g, redirect, request, url_for

from app.extensions import db
from app.i18n import pick_translation
from app.offers.delivery import market_today
from app.sites.routing import languages_for, set_alternates
from app.web.htmx import render
from app.web.page_cache import cached_page, shop_version

from . import product_page, queries
from .illustrations import ILLUSTRATIONS, draw
from .images import image_url, images_for
from .specs import spec_rows

bp = Blueprint("catalog", __name__, template_folder="templates", url_prefix="/<edition>")
# Edition-independent catalog assets (drawn category pictures), cacheable across every edition.
assets = Blueprint("catalog_assets", __name__)

CATEGORY_ILLUSTRATION_COLOR = "#2f5d8a"
SLUGS_KEPT = 100_000        # product slugs a worker remembers for the page cache (product_shown)
bp.add_app_template_global(image_url, "image_url")


@bp.app_template_global()
def navigation_categories():
    """The category tree for the header of any edition page, loaded at most once per request."""
    if g.get("edition") is None:
        return []
    if "category_tree" not in g:
        g.category_tree = queries.category_tree(db.session, g.languages)
    return g.category_tree


@assets.get("/illustrations/<name>.svg")
def illustration(name: str):
    if name not in ILLUSTRATIONS:
        abort(404)
    response = Response(draw(name, CATEGORY_ILLUSTRATION_COLOR), mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/")
@cached_page
def home():
    from app.content.home import home_content
    from app.content.views import home_blocks, sees_fallback_badge
    home = home_content(db.session, home_blocks(), navigation_categories(), g.market, g.languages,
                        limit=current_app.config["FEATURED_PRODUCTS_ON_HOME"])
    return render("catalog/home.html", tree=home.categories, featured=home.products, blocks=home.blocks, links=home.links,
                  badge=sees_fallback_badge())


@bp.get("/c/<slug>")
@cached_page
def category(slug: str):
    found = queries.find_category_by_slug(db.session, slug, g.language)
    if found is None:
        abort(404)
    category, canonical = found
    text = pick_translation(category.translations, g.languages)
    if not canonical:
        return redirect(url_for(".category", slug=text.slug, **request.args.to_dict(flat=False)), code=301)
    set_alternates(lambda e: {"slug": _slug_for(category.translations, e)})

    from app.search.service import listing_page
    from app.search.views import catalog, render_listing
    node = _find_node(navigation_categories(), category.id)
    if node is None:
        abort(404)
    listing = listing_page(db.session, market=g.market, languages=g.languages, args=request.args,
                           catalog=catalog(), scope=node, per_page=current_app.config["PRODUCTS_PER_PAGE"])
    if listing.out_of_range and listing.page > 1:
        abort(404)
    return render_listing("catalog/category.html", listing, "catalog.category", {"slug": text.slug},
                          category=category, text=text, node=node, breadcrumbs=_breadcrumbs(category, g.languages))


def product_shown(slug: str, **_kwargs) -> int | None:
    """The product a `/p/<slug>` page shows, for the page cache to key the page on its version; None
    when the slug is not this language's own (the page redirects or answers 404, never cached).

    Each worker remembers the slugs it has looked up until the shop version moves (a slug changes
    with a catalog text, which moves it)."""
    version = shop_version()
    kept = current_app.extensions.get("product_slugs")
    if kept is None or kept[0] != version or len(kept[1]) > SLUGS_KEPT:
        kept = current_app.extensions["product_slugs"] = (version, {})
    key = (slug, g.language)
    if key not in kept[1]:
        kept[1][key] = queries.product_id_for_slug(db.session, slug, g.language)
    return kept[1][key]


@bp.get("/p/<slug>")
@cached_page(product=product_shown)
def product(slug: str):
    found = queries.find_product_by_slug(db.session, slug, g.language)
    if found is None:
        abort(404)
    product, canonical = found
    text = product.text(g.languages)
    if not canonical:
        return redirect(url_for(".product", slug=text.slug, **request.args), code=301)
    set_alternates(lambda e: {"slug": _slug_for(product.translations, e)})

    view = product_page.build(db.session, product, g.market, g.languages, request.args,
                              lambda params: url_for(".product", slug=text.slug, **params),
                              today=market_today(g.market))
    color = view.selection.variant.color
    images = images_for(product, color.id if color else None)
    structured = product_page.structured_data(
        product, text.name, text.description, view, g.market.currency,
        url_for(".product", slug=text.slug, _external=True),
        urljoin(request.host_url, image_url(images[0], 1200)) if images else None)
    from app.reviews import queries as review_queries
    from app.reviews import ratings as review_ratings
    from app.reviews.rules import policy as review_policy
    reviews = review_queries.product_reviews(db.session, product.id, request.args, review_policy())
    structured.update(review_queries.structured(reviews))
    seller_ratings = review_ratings.for_sellers(
        db.session, [shown.offer.seller_id for shown in (view.current, *view.others) if shown])
    detail = {"offers-detail": "offers_detail", "edition-switcher": "edition_switcher"}
    return render("catalog/product.html",
                  fragments={"purchase": ("purchase", detail), "product-top": ("product_top", detail)},
                  product=product, text=text, view=view, images=images, chosen_color=color,
                  structured=structured, reviews=reviews, seller_ratings=seller_ratings, specs=spec_rows(product.specs or {}),
                  new_price_sources=product_page.NEW_PRICE_SOURCES,
                  breadcrumbs=_breadcrumbs(product.category, g.languages))


def _slug_for(translations, edition) -> str | None:
    text = pick_translation(translations, languages_for(edition))
    return text.slug if text else None


def _find_node(nodes, category_id):
    for n in nodes:
        if n.category.id == category_id:
            return n
        found = _find_node(n.children, category_id)
        if found:
            return found
    return None


def _breadcrumbs(category, languages):
    trail = []
    while category is not None:
        text = pick_translation(category.translations, languages)
        if text:
            trail.append((text.name, url_for("catalog.category", slug=text.slug)))
        category = category.parent
    return list(reversed(trail))
