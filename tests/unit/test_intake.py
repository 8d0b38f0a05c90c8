from __future__ import annotations

import os
from pathlib import Path

from kcn.intake.archive import archive as archive_version
from kcn.intake.landing import file_sha256, read_folder, submission_folders
from tests.conftest import write_submission


def _snapshot(root: Path) -> dict[str, tuple[bytes, float]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_content_is_the_same_version_and_a_change_is_a_new_one(tmp_path: Path) -> None:
    folder = write_submission(
        tmp_path, "2024-03", "BQL-HN", [{"metric_code": "inv_new_projects", "value": "2"}]
    )
    first = read_folder(folder)
    again = read_folder(folder)
    (folder / "indicators.csv").write_text(
        (folder / "indicators.csv").read_text().replace(",2,", ",3,")
    )
    changed = read_folder(folder)

    assert first.content_sha256 == again.content_sha256
    assert changed.content_sha256 != first.content_sha256
    assert (first.submitter_code, first.period) == ("BQL-HN", "2024-03")


def test_archive_copies_bytes_and_never_touches_the_landing_area(tmp_path: Path) -> None:
    landing, archive = tmp_path / "landing", tmp_path / "archive"
    folder = write_submission(
        landing, "2024-03", "BQL-HN", [{"metric_code": "inv_new_projects", "value": "2"}]
    )
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not parsed but kept")
    before = _snapshot(landing)

    version = read_folder(folder)
    archive_version(version, archive)
    archive_version(version, archive)  # a second run changes nothing

    assert _snapshot(landing) == before
    for f in version.files:
        blob = archive / f.archive_path
        assert blob.read_bytes() == (folder / f.name).read_bytes()
        assert file_sha256(blob) == f.sha256
        assert not os.access(blob, os.W_OK) or os.geteuid() == 0
        assert blob.stat().st_mode & 0o222 == 0


def test_submission_folders_ignore_what_is_not_a_month_or_folder(tmp_path: Path) -> None:
    write_submission(tmp_path, "2024-03", "BQL-HN", [{"metric_code": "x", "value": "1"}])
    write_submission(tmp_path, "2024-04", "BQL-ND", [{"metric_code": "x", "value": "1"}])
    (tmp_path / "notes").mkdir()
    (tmp_path / "2024-13").mkdir()
    (tmp_path / "2024-03" / "README.txt").write_text("not a folder")

    assert [f"{p.parent.name}/{p.name}" for p in submission_folders(tmp_path)] == [
        "2024-03/BQL-HN",
        "2024-04/BQL-ND",
    ]
    assert len(submission_folders(tmp_path, "2024-04")) == 1
