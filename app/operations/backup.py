"""Backups while the shop runs, their restore into an empty instance, and the restore drill.

An archive is one ``refurb-<UTC time>.tar.gz`` in BACKUP_DIR holding

- ``database.sqlite`` (SQLite's online backup API: a consistent copy taken while writers carry on,
  never a copy of the file) or ``database.pgdump`` (``pg_dump -Fc``);
- ``media/…``: the pictures under MEDIA_ROOT (or in the object store);
- ``manifest.json``: when, which application version and schema revision, the rows of every table
  *in that snapshot*, and the SHA-256 and size of every other member.

The row counts and the dump describe the same instant: SQLite's rows are counted in the copy, and
PostgreSQL's in the transaction whose snapshot ``pg_dump --snapshot`` reads. Media files are copied
after the database snapshot; photos are written under fresh keys before the rows that name them, so
every file the snapshot refers to is there (a file added since is kept too, harmlessly).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore, argument lists, no shell
import tarfile
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from flask import Flask, current_app
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from app.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
ARCHIVE = re.compile(r"^refurb-\d{8}T\d{6}Z(-\d+)?\.tar\.gz$")
CHUNK = 1 << 20


class BackupError(RuntimeError):
    """A backup, restore or drill that cannot go on; the message says why, for the operator."""


# ----------------------------------------------------------------------------------------------- backup

def backup_dir(app: Flask) -> Path:
    return Path(app.config["BACKUP_DIR"])


def create_backup(now: datetime | None = None) -> tuple[Path, dict]:
    """Write one archive of the current app's database and media; returns its path and manifest."""
    app = current_app._get_current_object()
    engine = db.engine
    directory = backup_dir(app)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = now or datetime.now(UTC)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".work-") as work:
        if engine.dialect.name == "sqlite":
            dump_name = "database.sqlite"
            tables, revision = _sqlite_snapshot(engine, Path(work) / dump_name)
        elif engine.dialect.name == "postgresql":
            dump_name = "database.pgdump"
            tables, revision = _postgres_snapshot(app, engine, Path(work) / dump_name)
        else:
            raise BackupError(f"no backup method for the {engine.dialect.name} database")
        target = _free_name(directory, now)
        partial = target.with_name(target.name + ".partial")
        files: dict[str, dict] = {}
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                files[dump_name] = _add_file(tar, Path(work) / dump_name, dump_name)
                from app.media.storage import iter_media
                for key, data in iter_media():
                    files[f"media/{key}"] = _add_bytes(tar, f"media/{key}", data)
                manifest = {
                    "format": FORMAT,
                    "created_at": now.isoformat(timespec="seconds"),
                    "app_version": app_version(),
                    "engine": engine.dialect.name,
                    "schema_revision": revision,
                    "database": dump_name,
                    "tables": tables,
                    "files": files,
                }
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
            os.chmod(partial, 0o600)          # password hashes and addresses: the operator's eyes only
            with partial.open("rb") as fh:
                os.fsync(fh.fileno())
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    prune(directory, int(app.config["BACKUP_KEEP"]))
    return target, manifest


def _free_name(directory: Path, now: datetime) -> Path:
    stem = f"refurb-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    candidate, n = directory / f"{stem}.tar.gz", 1
    while candidate.exists():
        candidate, n = directory / f"{stem}-{n}.tar.gz", n + 1
    return candidate


def archives(directory: Path) -> list[Path]:
    """The archives in `directory`, oldest first (their names sort by time)."""
    if not directory.is_dir():
        return []
    return sorted((p for p in directory.iterdir() if ARCHIVE.match(p.name)), key=_sort_key)


def _sort_key(path: Path) -> tuple[str, int]:
    stem = path.name.removesuffix(".tar.gz")
    base, _, n = stem.partition("-")[2].partition("-")
    return base, int(n or 0)


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest archives (0 keeps every one)."""
    found = archives(directory)
    doomed = found[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def _sqlite_snapshot(engine: Engine, target: Path) -> tuple[dict[str, int], str | None]:
    source_path = engine.url.database
    if not source_path or source_path == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    source = sqlite3.connect(source_path, timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            # One step (pages=-1): the copy is a single read transaction, which WAL lets writers run beside.
            source.backup(copy, pages=-1)
            tables = _sqlite_counts(copy)
            revision = copy.execute("SELECT version_num FROM alembic_version").fetchone() \
                if "alembic_version" in tables else None
            return tables, revision[0] if revision else None
        finally:
            copy.close()
    finally:
        source.close()


def _sqlite_counts(connection: sqlite3.Connection) -> dict[str, int]:
    # Table names come from the database's own catalog, never from a request.
    names = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # nosec B608
            for name in names}


def _postgres_snapshot(app: Flask, engine: Engine, target: Path) -> tuple[dict[str, int], str | None]:
    with engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            tables = _postgres_counts(connection)
            revision = connection.scalar(text("SELECT version_num FROM alembic_version")) \
                if "alembic_version" in tables else None
            # pg_dump reads the very snapshot the rows were just counted in, while this transaction holds it.
            _run(app, "pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}",
                 url=engine.url)
    return tables, revision


def _postgres_counts(connection) -> dict[str, int]:
    names = connection.scalars(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")).all()
    return {name: connection.scalar(text(f'SELECT count(*) FROM "{name}"'))  # nosec B608
            for name in names}


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    digest, size = hashlib.sha256(), path.stat().st_size
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(path.stat().st_mtime), 0o600

    class Hashing(io.RawIOBase):
        def __init__(self, fh):
            self.fh = fh

        def read(self, n=-1):
            chunk = self.fh.read(n)
            digest.update(chunk)
            return chunk

    with path.open("rb") as fh:
        tar.addfile(info, Hashing(fh))
    return {"sha256": digest.hexdigest(), "bytes": size}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> dict:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


# ---------------------------------------------------------------------------------------------- restore

def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{archive.name} has no manifest")
        return json.load(member)


def restore(archive: Path) -> dict:
    """Restore `archive` into the current app's database and media, which must both be empty.

    Every member's checksum is checked before anything is written; afterwards the restored tables'
    row counts must equal the manifest's. Returns the manifest."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"no archive at {archive}")
    engine = db.engine
    _refuse_unless_empty(engine)
    from app.media.storage import media_is_empty, put_media
    if not media_is_empty():
        raise BackupError("the media store is not empty: restore only into a new instance")
    with tempfile.TemporaryDirectory(prefix="refurb-restore-") as work:
        manifest = _extract(archive, Path(work))
        if manifest.get("engine") != engine.dialect.name:
            raise BackupError(f"this archive holds a {manifest.get('engine')} database; "
                              f"the configured database is {engine.dialect.name}")
        dump = Path(work) / manifest["database"]
        if engine.dialect.name == "sqlite":
            _restore_sqlite(engine, dump)
        else:
            _run(current_app, "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                 "--single-transaction", str(dump), url=engine.url)
        for name in manifest["files"]:
            if name.startswith("media/"):
                put_media(name.removeprefix("media/"), (Path(work) / name).read_bytes())
    engine.dispose()
    counts = table_counts(engine)
    if counts != manifest["tables"]:
        differ = sorted(k for k in set(counts) | set(manifest["tables"])
                        if counts.get(k) != manifest["tables"].get(k))
        raise BackupError(f"restored row counts differ from the manifest in: {', '.join(differ)}")
    return manifest


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            return _sqlite_counts(connection.connection.driver_connection)
        return _postgres_counts(connection)


def _refuse_unless_empty(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        if engine.url.database in (None, "", ":memory:"):
            raise BackupError("restore needs a SQLite file (DATABASE_URL=sqlite:///path)")
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            found = connection.scalar(text("SELECT count(*) FROM sqlite_master WHERE type = 'table'"))
        else:
            found = connection.scalar(text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"))
    if found:
        raise BackupError("the database already has tables: restore only into an empty database")


def _extract(archive: Path, work: Path) -> dict:
    """Unpack the archive's members into `work`, each checked against the manifest."""
    manifest = read_manifest(archive)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive.name}: unknown archive format {manifest.get('format')!r}")
    expected = manifest["files"]
    seen = set()
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            if member.name == MANIFEST:
                continue
            if member.name not in expected or not member.isfile() or not _safe(member.name):
                raise BackupError(f"{archive.name}: unexpected member {member.name!r}")
            path = work / member.name
            path.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            source = tar.extractfile(member)
            with path.open("wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != expected[member.name]["sha256"]:
                raise BackupError(f"{archive.name}: checksum of {member.name} does not match the manifest")
            seen.add(member.name)
    missing = set(expected) - seen
    if missing:
        raise BackupError(f"{archive.name}: missing {', '.join(sorted(missing))}")
    return manifest


def _safe(name: str) -> bool:
    relative = PurePosixPath(name)
    return not relative.is_absolute() and all(part not in ("", ".", "..") for part in name.split("/")) \
        and "\\" not in name and "\x00" not in name


def _restore_sqlite(engine: Engine, dump: Path) -> None:
    engine.dispose()
    target = Path(engine.url.database)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".restoring")
    shutil.copyfile(dump, staging)
    for leftover in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)     # of the empty database checked above
    os.replace(staging, target)


# ------------------------------------------------------------------------------------------------ drill

def drill(archive: Path | None = None) -> tuple[bool, str]:
    """Restore the newest archive (or `archive`) into a scratch database and media folder, compare it
    with its manifest and open the shop's home page against it. Returns (passed, what happened)."""
    app = current_app._get_current_object()
    archive = archive or newest(app)
    if archive is None:
        return False, f"no archive in {backup_dir(app)}"
    with tempfile.TemporaryDirectory(prefix="refurb-drill-") as scratch:
        with _scratch_database(db.engine, Path(scratch)) as url:
            from app import create_app
            config = {key: app.config[key] for key in ("SECRET_KEY", "ENVIRONMENT", "SERVER_NAME", "TESTING",
                                                        "PROXY_HOPS", "SEARCH_IN_MEMORY")}
            config.update(SQLALCHEMY_DATABASE_URI=url, MEDIA_ROOT=str(Path(scratch) / "media"),
                          MEDIA_STORAGE="local", PAGE_CACHE_SECONDS=0, BACKUP_DIR=str(Path(scratch) / "none"))
            drill_app = create_app(config)
            try:
                with drill_app.app_context():
                    try:
                        manifest = restore(archive)
                    except BackupError as problem:
                        return False, f"{archive.name}: {problem}"
                response = drill_app.test_client().get("/", follow_redirects=True)
                body = response.get_data(as_text=True)
                if response.status_code != 200 or "<html" not in body:
                    return False, f"{archive.name}: the home page answered {response.status_code}"
            finally:
                with drill_app.app_context():
                    db.session.remove()
                    db.engine.dispose()
    rows = sum(manifest["tables"].values())
    media = sum(1 for name in manifest["files"] if name.startswith("media/"))
    return True, f"{archive.name}: {rows} rows in {len(manifest['tables'])} tables, {media} media files, home page 200"


def newest(app: Flask) -> Path | None:
    found = archives(backup_dir(app))
    return found[-1] if found else None


class _scratch_database:
    """A new, empty database beside the live one: a file in the scratch folder, or a PostgreSQL
    database on the same server (dropped afterwards; the shop's role needs CREATEDB)."""

    def __init__(self, engine: Engine, scratch: Path):
        self.engine, self.scratch, self.name = engine, scratch, None

    def __enter__(self) -> str:
        if self.engine.dialect.name == "sqlite":
            return f"sqlite:///{self.scratch / 'drill.db'}"
        url = self.engine.url
        self.name = f"{url.database}_drill_{uuid.uuid4().hex[:8]}"
        self._admin(f'CREATE DATABASE "{self.name}"')
        return url.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *_exc) -> None:
        if self.name:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        admin = create_engine(self.engine.url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(statement))
        finally:
            admin.dispose()


# ----------------------------------------------------------------------------------------------- helpers

def pg_tool(app: Flask, name: str) -> str:
    """PG_BIN_DIR's tool, else the newest installed PostgreSQL's (Debian's layout), else the PATH's."""
    if app.config.get("PG_BIN_DIR"):
        return str(Path(app.config["PG_BIN_DIR"]) / name)
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if versions:
        return str(versions[-1])
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return found


def _run(app: Flask, tool: str, *args: str, url) -> None:
    url = make_url(url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)     # never on the command line, where ps shows it
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    result = subprocess.run([pg_tool(app, tool), f"--dbname={dsn}", *args], env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[-2000:]}")


def app_version() -> str:
    """The version in pyproject.toml, and the deployed commit when deploy/release.sh wrote REVISION."""
    import tomllib

    from app.config import PROJECT_ROOT
    try:
        with (PROJECT_ROOT / "pyproject.toml").open("rb") as fh:
            version = tomllib.load(fh)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        version = "unknown"
    revision = PROJECT_ROOT / "REVISION"
    if revision.is_file():
        version += f" ({revision.read_text().strip()[:12]})"
    return version

