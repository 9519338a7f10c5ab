"""The comparison page and the add/remove controls (plain forms, enhanced by htmx)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from app.catalog.models import Product
from app.extensions import db
from app.web.htmx import is_htmx, render
from app.web.safety import db_int, local_path

from . import queries, selection

bp = Blueprint("compare", __name__, template_folder="templates", url_prefix="/<edition>/compare")


@bp.app_template_global()
def compared_ids() -> list[int]:
    return selection.compared_ids()


@bp.get("/")
def page():
    keys = [k for k in request.args.get("products", "").split(",") if k][:selection.MAX_PRODUCTS]
    ids = queries.products_by_keys(db.session, keys) if keys else selection.compared_ids()
    items = queries.compared_products(db.session, g.market, g.languages, ids)
    share = (url_for(".page", products=",".join(i.product.key for i in items), _external=True)
             if len(items) > 1 else None)
    return render("compare/page.html", items=items, labels=queries.spec_labels(items), share_url=share,
                  shared=bool(keys))


@bp.post("/add")
def add():
    product = _product_from_form()
    if not selection.add(product.id):
        flash(_("You can compare up to %(num)s models. Remove one to add another.",
                num=selection.MAX_PRODUCTS), "error")
    return _answer(product)


@bp.post("/remove")
def remove():
    product = _product_from_form()
    selection.remove(product.id)
    return _answer(product)


@bp.post("/clear")
def clear():
    selection.clear()
    return redirect(url_for(".page"), code=303)


def _product_from_form() -> Product:
    product_id = request.form.get("product_id", type=db_int)
    product = db.session.get(Product, product_id) if product_id else None
    if product is None or not product.is_active:
        abort(400)
    return product


def _answer(product: Product):
    """htmx: the control again, with the header counter out of band. Otherwise back where the shopper was."""
    if is_htmx():
        return render("compare/_control_response.html", product_id=product.id)
    return redirect(local_path(request.form.get("next")) or url_for(".page"), code=303)
