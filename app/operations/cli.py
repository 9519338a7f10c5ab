"""`flask backup` (`--verify` for the restore drill) and `flask restore ARCHIVE`."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.extensions import db

from .backup import BackupError, create_backup, drill, restore
from .models import beat


@click.command("backup")
@click.option("--verify", is_flag=True,
              help="Instead of backing up: restore the newest archive into a scratch database and check it.")
@click.option("--archive", type=click.Path(dir_okay=False, path_type=Path),
              help="With --verify: the archive to check instead of the newest.")
@with_appcontext
def backup_command(verify: bool, archive: Path | None) -> None:
    """Write a consistent archive of the database and media to BACKUP_DIR (keeping BACKUP_KEEP)."""
    if verify:
        passed, detail = drill(archive)
        _record("drill", passed, detail)
        if not passed:
            raise click.ClickException(f"restore drill failed: {detail}")
        click.echo(f"restore drill passed: {detail}")
        return
    try:
        path, manifest = create_backup()
    except BackupError as problem:
        _record("backup", False, str(problem))
        raise click.ClickException(str(problem)) from problem
    rows = sum(manifest["tables"].values())
    media = sum(1 for name in manifest["files"] if name.startswith("media/"))
    detail = f"{path.name}: {path.stat().st_size} bytes, {rows} rows, {media} media files"
    _record("backup", True, detail)
    click.echo(f"backup written: {path} ({rows} rows in {len(manifest['tables'])} tables, {media} media files)")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(archive: Path) -> None:
    """Restore ARCHIVE into the configured database and media store, which must be empty."""
    try:
        manifest = restore(archive)
    except BackupError as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(f"restored {archive.name}: {sum(manifest['tables'].values())} rows, schema "
               f"{manifest.get('schema_revision')}, taken {manifest['created_at']}")


def _record(name: str, ok: bool, detail: str) -> None:
    """Keep the outcome where the operations page reads it; a database that is down cannot be told."""
    try:
        db.session.rollback()
        beat(db.session, name, ok=ok, detail=detail[:2000])
        db.session.commit()
    except Exception as problem:  # noqa: BLE001 - report, the archive itself is what matters
        db.session.rollback()
        click.echo(f"(could not record the {name} result: {problem.__class__.__name__})", err=True)
