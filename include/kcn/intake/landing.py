"""The landing area: find submission folders and version each by its content.

The landing area is only read. A folder's version is the SHA-256 of its file list (name and
SHA-256 of each file); the same content seen again is the same version.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kcn.period import is_period

logger = logging.getLogger(__name__)

CHUNK = 1 << 20


@dataclass(frozen=True)
class ArchivedFile:
    name: str
    sha256: str
    bytes: int
    archive_path: str  # relative to the archive root


@dataclass(frozen=True)
class FolderVersion:
    submitter_code: str
    period: str
    landing_path: Path
    content_sha256: str
    files: tuple[ArchivedFile, ...]
    received_at: datetime


def submission_folders(landing: Path, period: str | None = None) -> list[Path]:
    """`<landing>/<YYYY-MM>/<SUBMITTER>` folders, sorted; other entries are ignored."""
    if not landing.is_dir():
        return []
    months = [landing / period] if period else sorted(landing.iterdir())
    folders: list[Path] = []
    for month in months:
        if month.is_dir() and is_period(month.name):
            folders.extend(
                p for p in sorted(month.iterdir()) if p.is_dir() and not p.name.startswith(".")
            )
    return folders


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_folder(folder: Path) -> FolderVersion:
    """Hash every file of a folder (hidden and lock files aside)."""
    files = []
    latest = 0.0
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith((".", "~$")):
            continue
        sha = file_sha256(path)
        stat = path.stat()
        latest = max(latest, stat.st_mtime)
        files.append(ArchivedFile(path.name, sha, stat.st_size, archive_path_of(sha)))
    listing = "".join(f"{f.name}\0{f.sha256}\n" for f in files)
    content = hashlib.sha256(listing.encode("utf-8")).hexdigest()
    received = datetime.fromtimestamp(latest, UTC) if files else datetime.now(UTC)
    return FolderVersion(folder.name, folder.parent.name, folder, content, tuple(files), received)


def archive_path_of(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256}"
