"""Where stored files live: paths under MEDIA_ROOT, addressed by a relative storage key."""
from __future__ import annotations

import os
import uuid
from pathlib import Path, PurePosixPath

from flask import current_app


def media_root() -> Path:
    """The configured MEDIA_ROOT, the one folder media files are written to and served from."""
    return Path(current_app.config["MEDIA_ROOT"])


def path_for(storage_key: str, suffix: str) -> Path:
    """The file for `storage_key` + `suffix` (``products/7/ab12`` + ``-600.webp``) under the root.

    Keys are built by our services, but they end up in file names and URLs, so anything that could
    leave the root (``..``, an absolute path, a backslash, a NUL) is refused with ValueError rather
    than trusted.
    """
    name = f"{storage_key}{suffix}"
    if not storage_key or "\\" in name or "\x00" in name:
        raise ValueError(f"invalid storage key {storage_key!r}")
    relative = PurePosixPath(name)
    if relative.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        raise ValueError(f"storage key {storage_key!r} escapes the media root")
    root = media_root().resolve()
    path = (root / relative).resolve()
    # A symlink inside the root could still point out of it; check the resolved path too.
    if not path.is_relative_to(root):
        raise ValueError(f"storage key {storage_key!r} escapes the media root")
    return path



def check_name(name: str) -> str:
    """A stored file's name (key + suffix), refused with ValueError if it could leave the store."""
    if not name or "\\" in name or "\x00" in name:
        raise ValueError(f"invalid storage name {name!r}")
    if PurePosixPath(name).is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        raise ValueError(f"storage name {name!r} escapes the media store")
    return name


class LocalStore:
    """Files under MEDIA_ROOT (the default): one server, or a folder every host mounts."""

    def __init__(self, root: Path):
        self.root = root

    def save(self, name: str, data: bytes, content_type: str) -> None:
        path = path_for(name, "")
        path.parent.mkdir(parents=True, exist_ok=True)
        # The file may be being served while it is rewritten: replace it whole, never truncate it.
        staging = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            staging.write_bytes(data)
            os.replace(staging, path)
        except OSError:
            staging.unlink(missing_ok=True)     # a full disk leaves no half-written file behind
            raise

    def read(self, name: str) -> bytes | None:
        try:
            return path_for(name, "").read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None

    def delete(self, name: str) -> None:
        path_for(name, "").unlink(missing_ok=True)

    def names(self):
        root = self.root
        if not root.is_dir():
            return
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for file_name in sorted(filenames):
                path = Path(dirpath) / file_name
                if path.is_file() and not path.is_symlink() and not file_name.startswith("."):
                    yield path.relative_to(root).as_posix()


class S3Store:
    """Objects in an S3-compatible bucket (MEDIA_STORAGE=s3): what several app hosts share."""

    def __init__(self, config):
        import boto3
        from botocore.config import Config
        self.bucket = config["S3_BUCKET"]
        self.prefix = (config.get("S3_PREFIX") or "").strip("/")
        self.client = boto3.client(
            "s3", endpoint_url=config.get("S3_ENDPOINT_URL") or None, region_name=config.get("S3_REGION") or None,
            aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
            aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=20,
                          s3={"addressing_style": config.get("S3_ADDRESSING_STYLE") or "auto"}))

    def _key(self, name: str) -> str:
        return f"{self.prefix}/{check_name(name)}" if self.prefix else check_name(name)

    def save(self, name: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(name), Body=data, ContentType=content_type)

    def read(self, name: str) -> bytes | None:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(name))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            return None

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(name))

    def names(self):
        start = f"{self.prefix}/" if self.prefix else ""
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start):
            for item in page.get("Contents", []):
                yield item["Key"][len(start):]


def store():
    """The configured media store of the current app, made once per app."""
    found = current_app.extensions.get("media_store")
    if found is None:
        if current_app.config.get("MEDIA_STORAGE", "local") == "s3":
            found = S3Store(current_app.config)
        else:
            found = LocalStore(media_root())
        current_app.extensions["media_store"] = found
    return found


def save_media(name: str, data: bytes, content_type: str) -> None:
    """Store `data` as `name` (a key with its suffix, ``products/7/ab12-600.webp``), whole or not at all."""
    store().save(check_name(name), data, content_type)


def read_media(name: str) -> bytes | None:
    return store().read(check_name(name))


def delete_media(name: str) -> None:
    """Remove a stored file (nothing happens if it is not there)."""
    store().delete(check_name(name))


def iter_media():
    """Every stored file as (name, bytes), sorted by name: what a backup archives."""
    current = store()
    for name in current.names():
        data = current.read(name)
        if data is not None:            # replaced and deleted while we walked
            yield name, data


def media_is_empty() -> bool:
    return next(iter(store().names()), None) is None


_TYPES = {".webp": "image/webp", ".svg": "image/svg+xml"}


def put_media(name: str, data: bytes) -> None:
    """Store a restored file under its name, typed by its suffix."""
    save_media(name, data, _TYPES.get(name[name.rfind("."):], "application/octet-stream"))
