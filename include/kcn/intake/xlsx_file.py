"""Read the `indicators` and `enterprises` sheets of a submission workbook.

Numeric cells become machine-form numbers; a text cell holding a Vietnamese-formatted
number ('1.178', '26,9', '9.405,326') is read by Vietnamese conventions and marked
`value_as_text` (W_NUMBER_AS_TEXT); a formula cell is read by its cached value.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from kcn.contract import SHEETS
from kcn.intake.numbers import machine_number
from kcn.intake.tables import Limits, ReadProblem, problem

logger = logging.getLogger(__name__)

FORMULA_NO_CACHE = "#FORMULA_WITHOUT_CACHED_VALUE"  # fails the number rule: E_BAD_NUMBER
_VI_NUMBER = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
# An xlsx is a zip: refuse one whose members expand past 20x the size limit (1 GB by default)
# before opening it. A full-size legitimate workbook (1,000,000 rows) expands about 10x;
# openpyxl holds sharedStrings.xml in memory even in read-only mode.
_MAX_EXPANSION = 20


def read_workbook(
    path: Path, name: str, limits: Limits, problems: list[ReadProblem]
) -> dict[str, pd.DataFrame]:
    size = path.stat().st_size
    if size > limits.max_bytes:
        problems.append(problem("E_TOO_LARGE", file=name, size=size, limit=limits.max_bytes))
        return {}
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        problems.append(problem("E_FILE_UNREADABLE", file=name, reason=str(exc)[:200]))
        return {}
    if expanded > limits.max_bytes * _MAX_EXPANSION:
        problems.append(
            problem(
                "E_TOO_LARGE", file=name, size=expanded, limit=limits.max_bytes * _MAX_EXPANSION
            )
        )
        return {}
    sheets: dict[str, pd.DataFrame] = {}
    try:  # read-only sheets are parsed lazily: a damaged sheet fails while it is read
        with _open_book(path, data_only=True) as book:
            by_name = {ws.title.strip().lower(): ws for ws in book.worksheets}
            for sheet in SHEETS:
                if sheet in by_name:
                    frame = _sheet_frame(by_name[sheet], limits, name, problems)
                    if frame is not None:
                        sheets[sheet] = frame
        if "indicators" in sheets:
            _mark_formulas_without_cache(path, sheets["indicators"])
    except Exception as exc:  # openpyxl, XML and zip (CRC) errors of a damaged file
        logger.info("%s is unreadable", name, exc_info=True)
        problems.append(problem("E_FILE_UNREADABLE", file=name, reason=str(exc)[:200]))
        return {}
    return sheets


@contextmanager
def _open_book(path: Path, *, data_only: bool) -> Iterator[Any]:
    """A read-only workbook. Opened from a file object: openpyxl refuses a path without an
    .xlsx extension, and the archive's copies are named by their SHA-256."""
    from openpyxl import load_workbook

    with path.open("rb") as handle:
        book = load_workbook(handle, read_only=True, data_only=data_only)
        try:
            yield book
        finally:
            book.close()


def _sheet_frame(ws, limits: Limits, name: str, problems: list[ReadProblem]) -> pd.DataFrame | None:
    ws.reset_dimensions()  # some writers record a wrong used range: read every row there is
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return pd.DataFrame(columns=["row_number"])
    columns = [
        str(h).strip().lower() if h is not None else f"_col{i}" for i, h in enumerate(header)
    ]
    records: list[dict[str, object]] = []
    for row_number, cells in enumerate(rows, start=2):
        if len(records) >= limits.max_rows:
            problems.append(
                problem(
                    "E_TOO_LARGE", file=name, size=row_number, limit=limits.max_rows, what="rows"
                )
            )
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
    # a header-only sheet is an empty table, not one without columns
    return pd.DataFrame.from_records(
        records, columns=list(dict.fromkeys(["row_number", "value_as_text", *columns]))
    )


def _cell_text(cell: object) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, bool):
        return str(cell).upper()
    if isinstance(cell, float):  # as Excel shows it: 15 significant digits (0.1*3 -> 0.3)
        return machine_number(format(cell, ".15g"))
    if isinstance(cell, int):
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
    return machine_number(number)


def _mark_formulas_without_cache(path: Path, frame: pd.DataFrame) -> None:
    """A formula cell with no cached value reads as empty; find those and mark them."""
    if "value" not in frame.columns or frame["value"].notna().all():
        return
    with _open_book(path, data_only=False) as book:
        ws = next(ws for ws in book.worksheets if ws.title.strip().lower() == "indicators")
        ws.reset_dimensions()
        rows = ws.iter_rows(values_only=True)
        header = [str(h).strip().lower() if h is not None else "" for h in next(rows)]
        col = header.index("value")
        formulas = {
            n
            for n, cells in enumerate(rows, start=2)
            if col < len(cells) and isinstance(cells[col], str) and cells[col].startswith("=")
        }
    empty = frame["value"].isna() & frame["row_number"].isin(formulas)
    frame.loc[empty, "value"] = FORMULA_NO_CACHE
