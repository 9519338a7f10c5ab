from flask import Blueprint, Response, abort, current_app, g, redirect, request, url_for

from app.extensions import db
from app.i18n import pick_translation
from app.offers.grades import Grade
from app.offers.queries import grade_prices, variant_from_prices
from app.sites.routing import languages_for, set_alternates
from app.web.htmx import render

from . import queries
from .illustrations import ILLUSTRATIONS, draw
from .images import image_url, images_for
from .options import option_label
from .specs import spec_rows

bp = Blueprint("catalog", __name__, template_folder="templates", url_prefix="/<edition>")
# Edition-independent catalog assets (drawn category pictures), cacheable across every edition.
assets = Blueprint("catalog_assets", __name__)

CATEGORY_ILLUSTRATION_COLOR = "#2f5d8a"
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
def home():
    tree = navigation_categories()
    featured = queries.featured_products(db.session, g.market, g.languages,
                                         limit=current_app.config["FEATURED_PRODUCTS_ON_HOME"])
    return render("catalog/home.html", tree=tree, featured=featured)


@bp.get("/c/<slug>")
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


@bp.get("/p/<slug>")
def product(slug: str):
    found = queries.find_product_by_slug(db.session, slug, g.language)
    if found is None:
        abort(404)
    product, canonical = found
    text = product.text(g.languages)
    if not canonical:
        return redirect(url_for(".product", slug=text.slug), code=301)
    set_alternates(lambda e: {"slug": _slug_for(product.translations, e)})

    prices = grade_prices(db.session, product.id, g.market)
    variant_prices = variant_from_prices(db.session, product.id, g.market)
    colors = list({v.color.id: v.color for v in product.variants if v.color}.values())
    chosen = next((c for c in colors if c.code == request.args.get("color")), colors[0] if colors else None)
    return render("catalog/product.html", fragments={"gallery": "gallery"},
                  product=product, text=text, colors=colors, chosen_color=chosen,
                  images=images_for(product, chosen.id if chosen else None),
                  grades=[(grade, prices.get(grade)) for grade in Grade],
                  configurations=_configurations(product, variant_prices),
                  specs=spec_rows(product.specs or {}),
                  breadcrumbs=_breadcrumbs(product.category, g.languages))


def _configurations(product, variant_prices):
    """Configurations apart from colour, each with its lowest price over all colours (None: sold out)."""
    configs: dict[tuple, int | None] = {}
    for v in product.variants:
        key = (v.storage_gb, v.ram_gb, v.connectivity, v.size)
        price = variant_prices.get(v.id)
        best = configs.get(key)
        configs[key] = price if best is None else (best if price is None else min(best, price))
    return [(option_label(*key), price) for key, price in configs.items()]


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
