"""Read a submission's files (CSV or XLSX) into tables of text with file and row provenance.

parsed = parse_files({"indicators.csv": path}, "BQL-HN", "2024-03")
parsed.indicators, parsed.enterprises, parsed.problems
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kcn.contract import (
    ENTERPRISE_COLUMNS,
    ENTERPRISE_REQUIRED,
    INDICATOR_COLUMNS,
    INDICATOR_REQUIRED,
)
from kcn.intake.csv_file import read_csv
from kcn.intake.tables import Limits, ParsedSubmission, is_submission_file, problem, to_frame


def parse_files(
    files: dict[str, Path],
    submitter: str,
    period: str,
    *,
    limits: Limits | None = None,
    received_at: datetime | None = None,
) -> ParsedSubmission:
    """Parse a submission given its files by original name (paths may be archive copies)."""
    limits = limits or Limits()
    parsed = ParsedSubmission(submitter, period, None, None, received_at=received_at)
    names = {name.lower(): name for name in files}
    workbooks = sorted(n for n in files if n.lower().endswith(".xlsx") and not n.startswith("~$"))

    indicators_csv = names.get("indicators.csv")
    enterprises_csv = names.get("enterprises.csv")
    if indicators_csv:
        parsed.indicators = read_csv(
            files[indicators_csv],
            indicators_csv,
            INDICATOR_COLUMNS,
            INDICATOR_REQUIRED,
            limits,
            parsed.problems,
        )
    if enterprises_csv:
        parsed.enterprises = read_csv(
            files[enterprises_csv],
            enterprises_csv,
            ENTERPRISE_COLUMNS,
            ENTERPRISE_REQUIRED,
            limits,
            parsed.problems,
        )
    if workbooks and (parsed.indicators is None or parsed.enterprises is None):
        from kcn.intake import xlsx_file  # openpyxl only when a workbook is sent

        name = workbooks[0]
        sheets = xlsx_file.read_workbook(files[name], name, limits, parsed.problems)
        if parsed.indicators is None and not indicators_csv and "indicators" in sheets:
            parsed.indicators = to_frame(
                sheets["indicators"], name, INDICATOR_COLUMNS, INDICATOR_REQUIRED, parsed.problems
            )
        if parsed.enterprises is None and not enterprises_csv and "enterprises" in sheets:
            parsed.enterprises = to_frame(
                sheets["enterprises"],
                name,
                ENTERPRISE_COLUMNS,
                ENTERPRISE_REQUIRED,
                parsed.problems,
            )
    if parsed.indicators is None and not indicators_csv and not parsed.fatal:
        parsed.problems.append(problem("E_NO_INDICATORS", file=None))
    return parsed


def parse_folder(
    folder: Path, *, limits: Limits | None = None, received_at: datetime | None = None
) -> ParsedSubmission:
    """Parse a submission folder `.../<YYYY-MM>/<SUBMITTER_CODE>` in place (the dry run)."""
    files = {
        p.name: p for p in sorted(folder.iterdir()) if p.is_file() and is_submission_file(p.name)
    }
    return parse_files(
        files, folder.name, folder.parent.name, limits=limits, received_at=received_at
    )
