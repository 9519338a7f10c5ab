"""Backups taken while orders are being placed restore to the very rows they counted, and the shop serves them.

Real threads place orders on the configured database (a WAL-mode SQLite file, or PostgreSQL in the PG run)
while `flask backup` runs; the archive is then restored into a new, empty database and media folder.
"""
from __future__ import annotations

import io
import tarfile
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import create_app
from app.cart.services import add, cart_for
from app.checkout.placing import CheckoutError, new_checkout_key, place_order
from app.extensions import db
from app.media.storage import iter_media, put_media
from app.operations.backup import BackupError, archives, create_backup, read_manifest, restore, table_counts
from app.operations.models import Heartbeat
from app.orders.models import Order
from app.sites.models import Market
from tests.checkout.helpers import ADDRESSES, stock
from tests.conftest import test_config

BUYERS = 3
PICTURE = b"RIFF\x00\x00\x00\x00WEBPVP8 fake picture bytes"


def place_orders_until(engine, app, listing_id: int, stop: threading.Event, placed: list, errors: list, n: int):
    """One buyer placing an order after another until `stop`, each from a cart of their own."""
    while not stop.is_set():
        with app.test_request_context("/fr-fr/"), Session(engine) as own:
            try:
                market = own.scalar(select(Market).where(Market.code == "FR"))
                cart = cart_for(own, f"buyer-{n}-{len(placed)}-{threading.get_ident()}", market)
                add(own, cart, market, listing_id)
                cart.contact = dict(ADDRESSES["fr-fr"], phone="+33612345678", region="")
                own.flush()
                order = place_order(own, cart, market, locale="fr_FR", languages=("fr", "en"), method="card",
                                    key=new_checkout_key(), today=date(2026, 11, 23))
                own.commit()
                placed.append(order.number)
            except CheckoutError as problem:      # busy database: try again, as a shopper would
                own.rollback()
                errors.append(problem.code)
            except Exception as problem:  # noqa: BLE001 - the test fails on it below
                own.rollback()
                errors.append(repr(problem))
                return


@pytest.fixture
def restored_app(empty_database_url, tmp_path):
    """A second app on an empty database and media folder, for the archive to be restored into."""
    app = create_app(test_config(tmp_path / "restored", SQLALCHEMY_DATABASE_URI=empty_database_url))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_backup_taken_while_orders_are_placed_restores_the_same_rows_and_the_shop_serves(
        shared_app, shared_session, restored_app):
    # given a shop with a picture, and buyers placing orders all the time
    app = shared_app
    listing = stock(shared_session, quantity=10_000)
    with app.app_context():
        put_media("products/1/abc-600.webp", PICTURE)
        engine = db.engine
    stop, placed, errors = threading.Event(), [], []
    buyers = [threading.Thread(target=place_orders_until, args=(engine, app, listing.id, stop, placed, errors, n))
              for n in range(BUYERS)]
    for buyer in buyers:
        buyer.start()
    try:
        while len(placed) < 3 and not errors:
            threading.Event().wait(0.01)

        # when a backup is taken in the middle of it
        with app.app_context():
            archive, manifest = create_backup()
        during = len(placed)
        while len(placed) < during + 3 and not errors:
            threading.Event().wait(0.01)
    finally:
        stop.set()
        for buyer in buyers:
            buyer.join(timeout=60)

    # then orders went on being placed across the backup, and it counted a consistent snapshot
    assert not [e for e in errors if e.startswith(("Operational", "Integrity", "Database"))], errors
    with app.app_context():
        live = {o.number: (o.total_amount, o.currency, o.email) for o in db.session.scalars(select(Order))}
    assert manifest["tables"]["order"] < len(live)
    assert manifest["files"]["media/products/1/abc-600.webp"]["bytes"] == len(PICTURE)

    # when it is restored into an empty instance
    with restored_app.app_context():
        restored_manifest = restore(archive)
        counts = table_counts(db.engine)
        restored = {o.number: (o.total_amount, o.currency, o.email) for o in db.session.scalars(select(Order))}
        pictures = dict(iter_media())

    # then every table has the snapshot's rows, each restored order is the live one, the picture is back
    assert restored_manifest == manifest
    assert counts == manifest["tables"]
    assert len(restored) == manifest["tables"]["order"] > 0
    assert all(live[number] == values for number, values in restored.items())
    assert pictures == {"products/1/abc-600.webp": PICTURE}
    # and the shop serves from the restored database
    response = restored_app.test_client().get("/", follow_redirects=True)
    assert response.status_code == 200
    assert "<html" in response.get_data(as_text=True)


def test_the_drill_restores_the_newest_archive_into_scratch_and_records_it(shared_app, shared_session):
    # given two archives
    stock(shared_session, quantity=2)
    with shared_app.app_context():
        put_media("products/2/def.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
        first, _ = create_backup()
        second, manifest = create_backup()
    assert first != second

    # when the drill runs, as the weekly timer does
    result = shared_app.test_cli_runner().invoke(args=["backup", "--verify"])

    # then it passed on the newest one, and the operations page can tell
    assert result.exit_code == 0, result.output
    assert f"restore drill passed: {second.name}" in result.output
    with shared_app.app_context():
        drill = db.session.get(Heartbeat, "drill")
        assert drill.ok and second.name in drill.detail
        # the live database and media are untouched
        assert table_counts(db.engine) == manifest["tables"] | {"ops_heartbeat": 1}


def test_the_drill_fails_on_a_damaged_archive_and_says_which_member(shared_app, shared_session, tmp_path):
    # given an archive whose picture was changed after the manifest was written
    stock(shared_session, quantity=1)
    with shared_app.app_context():
        put_media("products/3/ghi-300.webp", PICTURE)
        archive, _ = create_backup()
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name.endswith(".webp"):
                data = data.replace(b"fake", b"FAKE")
            target.addfile(member, io.BytesIO(data))
    damaged.replace(archive)

    # when the drill runs
    result = shared_app.test_cli_runner().invoke(args=["backup", "--verify"])

    # then it fails, names the member, and the failure is recorded
    assert result.exit_code == 1
    assert "checksum of media/products/3/ghi-300.webp does not match" in result.output
    with shared_app.app_context():
        assert db.session.get(Heartbeat, "drill").ok is False


def test_restore_refuses_a_database_that_has_tables(shared_app, shared_session):
    stock(shared_session, quantity=1)
    with shared_app.app_context():
        archive, _ = create_backup()
        with pytest.raises(BackupError, match="already has tables"):
            restore(archive)
    result = shared_app.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 1
    assert "restore only into an empty database" in result.output


def test_backups_keep_the_newest_as_many_as_the_retention_setting(shared_app, shared_session):
    stock(shared_session, quantity=1)
    shared_app.config["BACKUP_KEEP"] = 2
    runner = shared_app.test_cli_runner()
    outputs = [runner.invoke(args=["backup"]) for _ in range(3)]

    assert [r.exit_code for r in outputs] == [0, 0, 0], [r.output for r in outputs]
    with shared_app.app_context():
        kept = archives(Path(shared_app.config["BACKUP_DIR"]))
        assert len(kept) == 2
        assert all(oct(path.stat().st_mode & 0o777) == "0o600" for path in kept)
        manifest = read_manifest(kept[-1])
        assert db.session.get(Heartbeat, "backup").detail.startswith(kept[-1].name)
        assert manifest["engine"] == db.engine.dialect.name
