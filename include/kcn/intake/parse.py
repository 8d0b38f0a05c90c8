"""Read a submission's files (CSV or XLSX) into tables of text with file and row provenance.

parsed = parse_files({"indicators.csv": path}, "BQL-HN", "2024-03")
parsed.indicators, parsed.enterprises, parsed.problems

Each table comes from exactly one place: `indicators.csv` (any case) or the `indicators`
sheet of a workbook, and likewise for enterprises. Two candidates for one table is
E_AMBIGUOUS_FILES, never a silent choice; a table without data rows is no table
(E_NO_INDICATORS). An entry of the folder that is not a regular file is reported by its name
and never read.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from kcn.contract import (
    ENTERPRISE_COLUMNS,
    ENTERPRISE_REQUIRED,
    INDICATOR_COLUMNS,
    INDICATOR_REQUIRED,
    TABLES,
)
from kcn.intake.csv_file import read_csv
from kcn.intake.entries import FILE, entries
from kcn.intake.tables import (
    Limits,
    ParsedSubmission,
    ReadProblem,
    is_submission_file,
    problem,
    to_frame,
)

_SHAPE = {
    "indicators": (INDICATOR_COLUMNS, INDICATOR_REQUIRED),
    "enterprises": (ENTERPRISE_COLUMNS, ENTERPRISE_REQUIRED),
}


def parse_files(
    files: dict[str, Path],
    submitter: str,
    period: str,
    *,
    limits: Limits | None = None,
    received_at: datetime | None = None,
    refused: dict[str, str] | None = None,
) -> ParsedSubmission:
    """Parse a submission given its files by original name (paths may be archive copies).

    `refused`: entries of the folder that are not regular files (name -> kind); each is
    E_FILE_UNREADABLE, by its name, and never read."""
    limits = limits or Limits()
    parsed = ParsedSubmission(submitter, period, None, None, received_at=received_at)
    problems = parsed.problems
    for name, kind in sorted((refused or {}).items()):
        problems.append(
            problem("E_FILE_UNREADABLE", file=name, reason="not_regular", detail=f"a {kind}")
        )
    csvs = {t: sorted(n for n in files if n.lower() == f"{t}.csv") for t in TABLES}
    workbooks = sorted(n for n in files if n.lower().endswith(".xlsx") and not n.startswith("~$"))
    sheets: dict[str, dict[str, pd.DataFrame]] = {}
    if workbooks:
        from kcn.intake import xlsx_file  # openpyxl only when a workbook is sent

        for name in workbooks:
            sheets[name] = xlsx_file.read_workbook(files[name], name, limits, problems)
    if problems:  # a file that cannot be read: nothing else is judged
        return parsed
    for table in TABLES:
        sources = [*csvs[table], *(n for n in workbooks if table in sheets[n])]
        if len(sources) > 1:
            problems.append(
                problem(
                    "E_AMBIGUOUS_FILES",
                    file=sources[1],
                    value=", ".join(sources),
                    table=table,
                    files=", ".join(sources),
                )
            )
            continue
        if not sources:
            continue
        [source] = sources
        columns, required = _SHAPE[table]
        if source in csvs[table]:
            frame = read_csv(files[source], source, columns, required, limits, problems)
        else:
            frame = to_frame(sheets[source][table], source, columns, required, problems)
        setattr(parsed, table, frame)
    if problems:
        return parsed
    if parsed.indicators is None:
        problems.append(problem("E_NO_INDICATORS", file=None))
    elif parsed.indicators.empty:
        empty = _source(csvs["indicators"], workbooks, sheets)
        problems.append(problem("E_NO_INDICATORS", file=empty, case="empty"))
        parsed.indicators = None
    return parsed


def _source(
    csvs: list[str], workbooks: list[str], sheets: dict[str, dict[str, pd.DataFrame]]
) -> str | None:
    return next(iter([*csvs, *(n for n in workbooks if "indicators" in sheets[n])]), None)


def folder_files(folder: Path) -> tuple[dict[str, Path], dict[str, str]]:
    """The files of a submission folder the pipeline reads (name -> path), and its entries
    that are not regular files (name -> kind), none of them followed."""
    files, refused = {}, {}
    for entry in entries(folder):
        if entry.name.startswith((".", "~$")):
            continue
        if entry.kind != FILE:
            refused[entry.name] = entry.kind
        elif is_submission_file(entry.name):
            files[entry.name] = entry.path
    return files, refused


def parse_folder(
    folder: Path, *, limits: Limits | None = None, received_at: datetime | None = None
) -> ParsedSubmission:
    """Parse a submission folder `.../<YYYY-MM>/<SUBMITTER_CODE>` in place (the dry run)."""
    files, refused = folder_files(folder)
    return parse_files(
        files,
        folder.name,
        folder.parent.name,
        limits=limits,
        received_at=received_at,
        refused=refused,
    )


__all__ = ["ReadProblem", "folder_files", "parse_files", "parse_folder"]
