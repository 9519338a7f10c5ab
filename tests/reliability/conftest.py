"""Fixtures of the reliability suite: a throwaway database with a small catalog, and the real server
on it. Every server is stopped and every database dropped by a finalizer, whatever happens."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import create_app
from app.extensions import db
from app.offers.models import Listing
from tests.builders import make_category, make_listing, make_markets, make_product, make_seller
from tests.conftest import test_config

from .shop import Server, fresh_database, shop_environment

_keys = itertools.count(1)


@dataclass
class Shop:
    """A database the tests can read and write directly, and the environment its server runs in."""
    app: object
    folder: Path
    env: dict[str, str]
    drop: object
    seller_id: int = 0
    category_id: int = 0
    servers: list[Server] = field(default_factory=list)

    def session(self) -> Session:
        with self.app.app_context():
            return Session(db.engine, expire_on_commit=False)

    def product(self, *, quantity: int, amount: int = 30000) -> tuple[str, int]:
        """A new product with one listing of `quantity` units in France: (its French slug, listing id)."""
        key = f"rel-{next(_keys)}"
        from app.catalog.models import Category
        from app.sellers.models import Seller
        with self.session() as session:
            product = make_product(session, key=key, category=session.get(Category, self.category_id))
            listing = make_listing(session, variant=product.variants[0], seller=session.get(Seller, self.seller_id),
                                   quantity=quantity, prices={"FR": amount})
            session.commit()
            return f"{key}-fr", listing.id

    def seller_staff(self) -> tuple[str, str]:
        """A staff account of the shop's seller: (e-mail, password)."""
        from app.sellers.models import Seller
        from tests.builders import PASSWORD, make_user
        with self.session() as session:
            user = make_user(session, seller=session.get(Seller, self.seller_id))
            session.commit()
            return user.email, PASSWORD

    def quantity(self, listing_id: int) -> int:
        with self.session() as session:
            return session.scalar(select(Listing.quantity).where(Listing.id == listing_id))

    def server(self, name: str, **env: str) -> Server:
        server = Server({**self.env, **env}, self.folder / f"{name}.log")
        self.servers.append(server)
        return server.start()


def build_shop(folder: Path, name: str, *, url: str | None = None, db_folder: Path | None = None, **env: str) -> Shop:
    """A shop's database (`url`, else a fresh one in `db_folder` or the PG run's cluster) with markets,
    a seller shipping to France, Belgium and Germany, and a category; products come per test."""
    url, drop = (url, lambda: None) if url else fresh_database(db_folder or folder, name)
    app = create_app(test_config(folder, SQLALCHEMY_DATABASE_URI=url, SERVER_NAME=None))
    with app.app_context():
        db.create_all()
        with Session(db.engine) as session:
            make_markets(session)
            seller = make_seller(session, ships_to=("FR", "BE", "DE"))
            category = make_category(session, key="rel-phones")
            session.commit()
            seller_id, category_id = seller.id, category.id
    return Shop(app, folder, shop_environment(url, folder, **env), drop, seller_id, category_id)


def close_shop(shop: Shop) -> None:
    for server in shop.servers:
        server.stop()
    with shop.app.app_context():
        db.engine.dispose()
    shop.drop()


@pytest.fixture(scope="module")
def shop(tmp_path_factory, request):
    built = build_shop(tmp_path_factory.mktemp("reliability"), request.module.__name__.rsplit(".", 1)[-1])
    request.addfinalizer(lambda: close_shop(built))
    return built


@pytest.fixture(scope="module")
def server(shop):
    return shop.server("gunicorn")


@pytest.fixture
def report(pytestconfig):
    """Writes a line of figures to the terminal, also when pytest captures output (`make test`)."""
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")

    def write(line: str) -> None:
        with capture.global_and_fixture_disabled():
            print(f"\n  {line}", flush=True)
    return write
