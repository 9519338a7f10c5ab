"""Refurb marketplace: the application factory."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from app.config import PROJECT_ROOT
from app.extensions import csrf, db, migrate


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the WSGI app. Tests pass a config dict; otherwise the environment configures it."""
    app = Flask(__name__, instance_path=str(PROJECT_ROOT / "instance"))
    app.config.from_object("app.config.DefaultConfig")

    from app import settings
    settings.load_from_environment(app)
    if config is not None:
        app.config.update(config)
    settings.finalise(app)

    db.init_app(app)
    with app.app_context():
        from app.database import configure_sqlite
        configure_sqlite(db.engine, cache_kib=app.config["SQLITE_CACHE_KIB"])
    # Every model module, so Alembic's autogenerate and create_all (tests) see the whole schema.
    from app import data_versions as _data_versions  # noqa: F401  (data_version)
    from app.accounts import models as _accounts_models  # noqa: F401
    from app.aftersales import models as _aftersales_models  # noqa: F401
    from app.cart import models as _cart_models  # noqa: F401
    from app.catalog import models as _catalog_models  # noqa: F401
    from app.catalog import slugs as _slug_history  # noqa: F401  (records retired slugs)
    from app.content import models as _content_models  # noqa: F401
    from app.mail import models as _mail_models  # noqa: F401
    from app.offers import history as _price_history  # noqa: F401  (records price periods)
    from app.offers import models as _offers_models  # noqa: F401
    from app.operations import models as _operations_models  # noqa: F401
    from app.orders import models as _orders_models  # noqa: F401
    from app.quality import models as _quality_models  # noqa: F401
    from app.reviews import models as _reviews_models  # noqa: F401
    from app.search import models as _search_models  # noqa: F401
    from app.search.schema import include_object
    from app.sellers import models as _sellers_models  # noqa: F401
    from app.sites import models as _sites_models  # noqa: F401
    from app.tradein import models as _tradein_models  # noqa: F401
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True,
                     compare_type=True, include_object=include_object)
    csrf.init_app(app)
    from app import operations
    operations.init_app(app)       # request ids first; /readyz, the operations page

    from app import web
    from app.accounts import views as accounts_views
    from app.admin import views as admin_views
    from app.cart import views as cart_views
    from app.catalog import views as catalog_views
    from app.checkout import views as checkout_views
    from app.compare import views as compare_views
    from app.content import admin as content_admin
    from app.content import views as content_views
    from app.media import views as media_views
    from app.orders import views as order_views
    from app.sellers import apply as seller_apply
    from app.sellers import office as seller_office
    from app.sellers import sales as seller_sales
    from app.sites import routing
    from app.sites import views as sites_views
    from app.tradein import admin_views as tradein_admin
    from app.tradein import seller_views as tradein_seller
    from app.tradein import views as tradein_views
    routing.init_app(app)
    web.init_app(app)
    accounts_views.init_app(app)
    for blueprint in (sites_views.bp, catalog_views.bp, catalog_views.assets, compare_views.bp, cart_views.bp,
                      checkout_views.bp, checkout_views.webhooks, order_views.bp, media_views.bp,
                      accounts_views.bp, seller_apply.bp, seller_office.bp, seller_sales.bp, admin_views.bp,
                      content_views.bp, content_admin.bp, tradein_views.bp, tradein_seller.bp, tradein_admin.bp):
        app.register_blueprint(blueprint)
    from app import aftersales, derived, quality, reviews, search
    search.init_app(app)
    aftersales.init_app(app)
    reviews.init_app(app)
    quality.init_app(app)
    derived.install()            # every commit step that keeps derived data in step, in one place

    from app.cli import register_cli
    register_cli(app)
    return app
