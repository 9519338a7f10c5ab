"""Command-line entry points: `flask sites …`, `flask demo …`, `flask i18n …`, `flask worker`."""
from __future__ import annotations

import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.extensions import db

sites_cli = AppGroup("sites", help="Markets and editions.")
demo_cli = AppGroup("demo", help="Demo and benchmark catalogs.")


@sites_cli.command("sync")
def sites_sync() -> None:
    """Create or update the built-in markets and their editions."""
    from app.sites.services import sync_markets
    markets, editions = sync_markets(db.session)
    db.session.commit()
    click.echo(f"{markets} markets, {editions} editions")


@demo_cli.command("load")
def demo_load() -> None:
    """Load the real-device demo catalog (idempotent: safe to run again)."""
    from app.demo.loader import load_demo
    from app.search.cli import rebuild_with_progress
    from app.search.tracking import paused
    started = time.perf_counter()
    with paused(db.session):        # the whole index is rebuilt below, once
        report = load_demo(db.session, progress=lambda step: click.echo(f"  … {step}"))
        db.session.flush()
        rebuild_with_progress(db.session)
        db.session.commit()
    click.echo(f"Demo catalog: {report.summary()} in {time.perf_counter() - started:.1f} s (search index rebuilt)")
    if current_app.config["ENVIRONMENT"] == "development":
        demo_accounts.callback()


@demo_cli.command("accounts")
def demo_accounts() -> None:
    """Create the demo accounts (development only: their password is in the README)."""
    from app.accounts.demo import DEMO_PASSWORD, load_demo_accounts
    created = load_demo_accounts(db.session)
    db.session.commit()
    click.echo(f"Demo accounts: {created} created; password for all of them: {DEMO_PASSWORD}")


@click.command("worker")
@click.option("--once", is_flag=True, help="Do one round of work, then exit.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
@click.option("--pause", default=0.0, hidden=True, help="Seconds between two messages (for tests).")
def worker_command(once: bool, interval: float, pause: float) -> None:
    """Send the outbox's e-mails, give back the stock of abandoned payments, assume deliveries whose
    window is over, pay the refunds still owed and, once a day, recompute failure rates and sellers'
    standing. Stops on SIGTERM."""
    import signal

    from flask import current_app

    from app.aftersales.worker import run_clocks
    from app.checkout.placing import expire_abandoned
    from app.mail.worker import send_pending
    from app.quality.worker import run_daily
    from app.reviews.invitations import invite as invite_reviewers
    from app.reviews.rules import policy as review_policy
    from app.tradein.clocks import expire_unshipped
    from app.tradein.inspection import lapse_counter_offers

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    app = current_app._get_current_object()
    while True:
        sent = send_pending(app, db.session, pause=pause)
        expired = expire_abandoned(db.session)
        session = db.session()                # this context's session: the one committed below
        with app.test_request_context():      # e-mails render templates in the recipient's language
            trade_ins = expire_unshipped(session)
            invited = invite_reviewers(session, review_policy())
            lapsed = lapse_counter_offers(session)
        db.session.commit()
        if trade_ins:
            click.echo(f"expired {trade_ins} unshipped trade-in(s)")
        if invited:
            click.echo(f"invited {invited} buyer(s) to review")
        if lapsed:
            click.echo(f"sent back {lapsed} trade-in(s) whose counter-offer was not answered")
        from app.operations.models import beat
        beat(db.session, "worker", detail=f"sent {sent}, released {expired}")
        db.session.commit()
        aftersales = run_clocks(db.session)
        with app.test_request_context():      # the quality round e-mails sellers whose standing changed
            quality = run_daily(db.session)
        if quality:
            click.echo(quality)
        if sent or expired:
            click.echo(f"sent {sent} e-mail(s), released {expired} abandoned order(s)")
        if aftersales:
            click.echo(f"after-sales: {aftersales}")
        if once or stopping:
            return
        time.sleep(interval)


def register_cli(app: Flask) -> None:
    from app.demo.generate import generate_command
    from app.i18n.cli import i18n
    from app.operations.cli import backup_command, restore_command
    demo_cli.add_command(generate_command)
    for group in (sites_cli, demo_cli, i18n, worker_command, backup_command, restore_command):
        app.cli.add_command(group)
