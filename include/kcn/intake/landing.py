"""The landing area: find submission folders and version each by its content.

The landing area is only read, and never through a link. A folder's version is the SHA-256
of its entry list (name and SHA-256 of each regular file; name and kind of any other entry,
which is never read); the same content seen again is the same version. Every entry that is
not a month folder `YYYY-MM` holding submitter folders is a LandingIssue: reported by its
exact name and reason, never skipped in silence.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kcn.intake.entries import FILE, FOLDER, LINK, entries, open_regular
from kcn.period import is_period

logger = logging.getLogger(__name__)

CHUNK = 1 << 20
# A submitter code as the contract spells them: capital letters and digits in parts joined
# by '-' (BQL-HN, UBND-HN-LONGBIEN). A well-formed code nobody registered is taken in and
# judged (E_UNKNOWN_SUBMITTER); anything else is not a submission folder.
SUBMITTER_CODE_RE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*", re.ASCII)


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
    refused: tuple[tuple[str, str], ...] = ()  # (name, kind) of entries never read


@dataclass(frozen=True)
class LandingIssue:
    """An entry of the landing area that is not taken in: its path relative to the landing
    area (exact, whatever characters it holds), its month folder if any, and why."""

    path: str
    period: str | None
    reason: str  # a key of ISSUE_REASONS

    def __str__(self) -> str:
        return f"{self.path!r}: {ISSUE_REASONS[self.reason][1]}"


ISSUE_REASONS = {
    "not_a_month": (
        "không phải thư mục kỳ báo cáo tên đúng dạng YYYY-MM (một tháng có thật)",
        "not a month folder named exactly YYYY-MM (a real month)",
    ),
    "link": ("là một liên kết: không bao giờ được theo", "a link: never followed"),
    "file_in_month": (
        "một tệp đặt thẳng trong thư mục kỳ: tệp phải nằm trong thư mục của đơn vị",
        "a file directly in a month folder: files go in the submitter's folder",
    ),
    "not_a_submitter": (
        "không phải thư mục tên theo mã đơn vị báo cáo (ví dụ BQL-HN)",
        "not a folder named like a submitter code (e.g. BQL-HN)",
    ),
    "not_a_folder": (
        "không phải tệp hay thư mục thông thường",
        "not a regular file or folder",
    ),
}


@dataclass(frozen=True)
class Scan:
    folders: list[Path]
    issues: list[LandingIssue]


def scan(landing: Path, period: str | None = None) -> Scan:
    """The submission folders `<landing>/<YYYY-MM>/<SUBMITTER>` (of one month, or all), and
    every other entry met on the way as a LandingIssue. Nothing is followed."""
    if not landing.is_dir():
        return Scan([], [])
    folders: list[Path] = []
    issues: list[LandingIssue] = []
    months = []
    for entry in entries(landing):
        if entry.name.startswith("."):
            continue
        if entry.kind == FOLDER and is_period(entry.name):
            months.append(entry)
        else:
            reason = "link" if entry.kind == LINK else "not_a_month"
            issues.append(LandingIssue(entry.name, None, reason))
    for month in months:
        if period is not None and month.name != period:
            continue
        for entry in entries(month.path):
            if entry.name.startswith((".", "~$")):
                continue
            relative = f"{month.name}/{entry.name}"
            if entry.kind == FOLDER and SUBMITTER_CODE_RE.fullmatch(entry.name):
                folders.append(entry.path)
                continue
            reason = {LINK: "link", FILE: "file_in_month", FOLDER: "not_a_submitter"}.get(
                entry.kind, "not_a_folder"
            )
            issues.append(LandingIssue(relative, month.name, reason))
    for issue in issues:
        logger.warning("landing area: %s is not taken in: %s", issue.path, issue)
    return Scan(folders, issues)


def submission_folders(landing: Path, period: str | None = None) -> list[Path]:
    """`<landing>/<YYYY-MM>/<SUBMITTER>` folders, sorted (the issues: `scan`)."""
    return scan(landing, period).folders


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_folder(folder: Path, now: datetime | None = None) -> FolderVersion:
    """Hash every regular file of a folder (hidden and lock files aside); note every other
    entry by name and kind, unread. Received: the latest file time, never later than now."""
    files = []
    refused = []
    latest = 0.0
    for entry in entries(folder):
        if entry.name.startswith((".", "~$")):
            continue
        if entry.kind != FILE:
            refused.append((entry.name, entry.kind))
            continue
        with open_regular(entry.path) as f:
            st = os.fstat(f.fileno())
        sha = file_sha256(entry.path)
        latest = max(latest, st.st_mtime)
        files.append(ArchivedFile(entry.name, sha, st.st_size, archive_path_of(sha)))
    listing = "".join(f"{f.name}\0{f.sha256}\n" for f in files)
    listing += "".join(f"{name}\0<{kind}>\n" for name, kind in refused)
    content = hashlib.sha256(listing.encode("utf-8", "surrogateescape")).hexdigest()
    now = now or datetime.now(UTC)
    received = min(datetime.fromtimestamp(latest, UTC), now) if files else now
    return FolderVersion(
        folder.name,
        folder.parent.name,
        folder,
        content,
        tuple(files),
        received,
        tuple(refused),
    )


def archive_path_of(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256}"
