"""Command-line entry points: `flask sites …`, `flask demo …`, `flask i18n …`."""
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
    started = time.perf_counter()
    report = load_demo(db.session, progress=lambda step: click.echo(f"  … {step}"))
    db.session.commit()
    click.echo(f"Demo catalog: {report.summary()} in {time.perf_counter() - started:.1f} s")
    if current_app.config["ENVIRONMENT"] == "development":
        demo_accounts.callback()


@demo_cli.command("accounts")
def demo_accounts() -> None:
    """Create the demo accounts (development only: their password is in the README)."""
    from app.accounts.demo import DEMO_PASSWORD, load_demo_accounts
    created = load_demo_accounts(db.session)
    db.session.commit()
    click.echo(f"Demo accounts: {created} created; password for all of them: {DEMO_PASSWORD}")


def register_cli(app: Flask) -> None:
    from app.demo.generate import generate_command
    from app.i18n.cli import i18n
    demo_cli.add_command(generate_command)
    for group in (sites_cli, demo_cli, i18n):
        app.cli.add_command(group)
