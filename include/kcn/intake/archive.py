"""The archive: an immutable, content-addressed copy of every file received.

Every file of a new version is copied byte for byte into the archive before the version is
registered, so nothing received is ever lost; a blob is named by its SHA-256 and never
rewritten.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from kcn.intake.entries import open_regular
from kcn.intake.landing import CHUNK, FolderVersion, file_sha256


def archive(version: FolderVersion, archive_root: Path) -> None:
    """Copy the files into the archive; an existing blob is never rewritten."""
    for f in version.files:
        target = archive_root / f.archive_path
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        source = version.landing_path / f.name
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
            with open_regular(source) as src:  # never through a link
                shutil.copyfileobj(src, tmp, CHUNK)
            tmp_path = Path(tmp.name)
        if file_sha256(tmp_path) != f.sha256:  # changed while we copied: take it next scan
            tmp_path.unlink()
            raise RuntimeError(f"{source} changed while it was archived; run intake again")
        os.chmod(tmp_path, 0o444)
        os.replace(tmp_path, target)
