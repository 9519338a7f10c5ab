"""Where stored files live: paths under MEDIA_ROOT, addressed by a relative storage key."""
from __future__ import annotations

import os
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


def iter_media():
    """Every stored file as (key with suffix, bytes), sorted by key: what a backup archives."""
    root = media_root()
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink() and not name.startswith("."):
                try:
                    data = path.read_bytes()
                except FileNotFoundError:      # replaced and deleted while we walked
                    continue
                yield path.relative_to(root).as_posix(), data


def media_is_empty() -> bool:
    return next(iter_media(), None) is None


def put_media(name: str, data: bytes) -> None:
    """Store `data` under `name` (a key with its suffix), written whole or not at all."""
    path = path_for(name, "")
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    staging.write_bytes(data)
    os.replace(staging, path)
