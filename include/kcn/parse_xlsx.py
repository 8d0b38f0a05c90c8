"""Read the `indicators` and `enterprises` sheets of a submission workbook.

Numeric cells become machine-form numbers; a text cell holding a Vietnamese-formatted
number ('1.178', '26,9', '9.405,326') is read by Vietnamese conventions and marked
`value_as_text` (W_NUMBER_AS_TEXT); a formula cell is read by its cached value.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from kcn import rules
from kcn.findings import Finding

SHEETS = ("indicators", "enterprises")
FORMULA_NO_CACHE = "#FORMULA_WITHOUT_CACHED_VALUE"  # fails the number rule: E_BAD_NUMBER
_VI_NUMBER = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_MAX_EXPANSION = 100  # an xlsx is a zip: refuse one that expands past 100x the size limit


def read_workbook(path: Path, name: str, limits, findings: list[Finding]) -> dict[str, pd.DataFrame]:
    from openpyxl import load_workbook

    size = path.stat().st_size
    if size > limits.max_bytes:
        findings.append(rules.finding("E_TOO_LARGE", file=name, size=size, limit=limits.max_bytes))
        return {}
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        findings.append(rules.finding("E_FILE_UNREADABLE", file=name, reason=str(exc)[:200]))
        return {}
    if expanded > limits.max_bytes * _MAX_EXPANSION:
        findings.append(rules.finding("E_TOO_LARGE", file=name, size=expanded,
                                      limit=limits.max_bytes * _MAX_EXPANSION))
        return {}
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        findings.append(rules.finding("E_FILE_UNREADABLE", file=name, reason=str(exc)[:200]))
        return {}
    sheets: dict[str, pd.DataFrame] = {}
    try:
        by_name = {ws.title.strip().lower(): ws for ws in book.worksheets}
        for sheet in SHEETS:
            if sheet in by_name:
                frame = _sheet_frame(by_name[sheet], limits, name, findings)
                if frame is not None:
                    sheets[sheet] = frame
    finally:
        book.close()
    if "indicators" in sheets:
        _mark_formulas_without_cache(path, sheets["indicators"])
    return sheets


def _sheet_frame(ws, limits, name: str, findings: list[Finding]) -> pd.DataFrame | None:
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return pd.DataFrame(columns=["row_number"])
    columns = [str(h).strip().lower() if h is not None else f"_col{i}" for i, h in enumerate(header)]
    records: list[dict[str, object]] = []
    for row_number, cells in enumerate(rows, start=2):
        if len(records) >= limits.max_rows:
            findings.append(rules.finding("E_TOO_LARGE", file=name, size=row_number,
                                          limit=limits.max_rows, what="rows"))
            return None
        if cells is None or all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue  # empty or merged trailing rows
        record: dict[str, object] = {"row_number": row_number, "value_as_text": False}
        for column, cell in zip(columns, cells, strict=False):
            record[column] = _cell_text(cell)
        if "value" in record and isinstance(cells[columns.index("value")], str):
            number = vietnamese_number(record["value"])
            if number is not None:
                record["value"] = number
                record["value_as_text"] = True
        records.append(record)
    return pd.DataFrame.from_records(records)


def _cell_text(cell: object) -> str | None:
    from kcn.parse import machine_number

    if cell is None:
        return None
    if isinstance(cell, bool):
        return str(cell).upper()
    if isinstance(cell, (int, float)):
        return machine_number(cell)
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m") if cell.day == 1 else cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def vietnamese_number(text: object) -> str | None:
    """'1.178' -> '1178', '26,9' -> '26.9', '9.405,326' -> '9405.326'; None if not a number."""
    if not isinstance(text, str):
        return None
    candidate = text.strip().replace("\u00a0", "").replace(" ", "")
    if not _VI_NUMBER.match(candidate):
        return None
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        number = parse_decimal(candidate, locale="vi", strict=True)
    except NumberFormatError:
        return None
    from kcn.parse import machine_number

    return machine_number(number)


def _mark_formulas_without_cache(path: Path, frame: pd.DataFrame) -> None:
    """A formula cell with no cached value reads as empty; find those and mark them."""
    if "value" not in frame.columns or frame["value"].notna().all():
        return
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=False)
    try:
        ws = next(ws for ws in book.worksheets if ws.title.strip().lower() == "indicators")
        rows = ws.iter_rows(values_only=True)
        header = [str(h).strip().lower() if h is not None else "" for h in next(rows)]
        col = header.index("value")
        formulas = {n for n, cells in enumerate(rows, start=2)
                    if col < len(cells) and isinstance(cells[col], str) and cells[col].startswith("=")}
    finally:
        book.close()
    empty = frame["value"].isna() & frame["row_number"].isin(formulas)
    frame.loc[empty, "value"] = FORMULA_NO_CACHE
