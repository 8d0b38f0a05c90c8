"""Intake: find submission folders, version them by content, archive every new version.

The landing area is only read. A folder's version is the SHA-256 of its file list (name and
SHA-256 of each file); the same content seen again is the same version. Every file of a new
version is copied byte for byte into the content-addressed archive before it is registered,
so nothing received is ever lost.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

logger = logging.getLogger(__name__)

PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_CHUNK = 1 << 20


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
        if month.is_dir() and PERIOD_RE.match(month.name):
            folders.extend(p for p in sorted(month.iterdir())
                           if p.is_dir() and not p.name.startswith("."))
    return folders


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def archive_path_of(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256}"


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


def archive(version: FolderVersion, archive_root: Path) -> None:
    """Copy the files into the archive; an existing blob is never rewritten."""
    for f in version.files:
        target = archive_root / f.archive_path
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        source = version.landing_path / f.name
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
            with source.open("rb") as src:
                shutil.copyfileobj(src, tmp, _CHUNK)
            tmp_path = Path(tmp.name)
        if file_sha256(tmp_path) != f.sha256:  # changed while we copied: take it next scan
            tmp_path.unlink()
            raise RuntimeError(f"{source} changed while it was archived; run intake again")
        os.chmod(tmp_path, 0o444)
        os.replace(tmp_path, target)


def register(cur, version: FolderVersion) -> tuple[int, bool]:
    """Insert the version into the registry unless known; returns (version_id, is_new)."""
    cur.execute(
        "select version_id from kcn_audit.submission_version"
        " where submitter_code = %s and period = %s and content_sha256 = %s",
        (version.submitter_code, version.period, version.content_sha256),
    )
    row = cur.fetchone()
    if row:
        return row[0], False
    # Serialise numbering per submission so parallel intakes cannot take the same number.
    cur.execute("select pg_advisory_xact_lock(hashtext(%s))",
                (f"{version.submitter_code}/{version.period}",))
    cur.execute(
        """
        insert into kcn_audit.submission_version
            (submitter_code, period, version_no, content_sha256, received_at, landing_path, files)
        select %s, %s, coalesce(max(version_no), 0) + 1, %s, %s, %s, %s
        from kcn_audit.submission_version where submitter_code = %s and period = %s
        on conflict (submitter_code, period, content_sha256) do nothing
        returning version_id
        """,
        (
            version.submitter_code, version.period, version.content_sha256, version.received_at,
            str(version.landing_path), json.dumps([f.__dict__ for f in version.files]),
            version.submitter_code, version.period,
        ),
    )
    row = cur.fetchone()
    if row is None:  # another intake registered the same content meanwhile
        return register(cur, version)
    logger.info("registered %s %s as version %s", version.submitter_code, version.period, row[0])
    return row[0], True
