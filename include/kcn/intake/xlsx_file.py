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
from kcn.intake.entries import open_regular, regular_size
from kcn.intake.numbers import machine_number
from kcn.intake.tables import Limits, ReadProblem, duplicated_columns, problem

logger = logging.getLogger(__name__)

FORMULA_NO_CACHE = "#FORMULA_WITHOUT_CACHED_VALUE"  # fails the number rule: E_BAD_NUMBER
_VI_NUMBER = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
# An xlsx is a zip: its directory declares each member's compressed and uncompressed size,
# and they are checked before openpyxl opens anything. The whole may expand to 20x the size
# limit (1 GB by default: a full-size legitimate workbook of 1,000,000 rows expands about
# 10x). openpyxl holds sharedStrings.xml in memory as one Python string per entry even in
# read-only mode: a 0.9 MB workbook whose shared strings expand a thousandfold took 5.7 GB
# and 94 s. So the shared strings may not expand past the size limit itself, and no member
# may compress better than 200:1 (deflate's bound is about 1030:1; real sheets compress
# 10-50:1).
_MAX_EXPANSION = 20
_MAX_RATIO = 200
_SHARED_STRINGS = "xl/sharedstrings.xml"
# Columns read from a header: a sheet declaring cells out to column XFD would otherwise make
# every row 16,384 cells wide.
_MAX_COLUMNS = 200


def read_workbook(
    path: Path, name: str, limits: Limits, problems: list[ReadProblem]
) -> dict[str, pd.DataFrame]:
    size = regular_size(path)
    if size > limits.max_bytes:
        problems.append(problem("E_TOO_LARGE", file=name, size=size, limit=limits.max_bytes))
        return {}
    if (refused := _zip_directory_problem(path, name, limits)) is not None:
        problems.append(refused)
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
        detail = f"{type(exc).__name__}: {exc}"[:500]
        problems.append(problem("E_FILE_UNREADABLE", file=name, reason="xlsx", detail=detail))
        return {}
    return sheets


def sheet_names(path: Path) -> set[str] | None:
    """The lowercased sheet names of a workbook read from its zip directory and workbook.xml
    (no sheet is parsed); None when it cannot tell."""
    try:
        with open_regular(path) as handle, zipfile.ZipFile(handle) as archive:
            xml = archive.read("xl/workbook.xml")
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    names = re.findall(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"', xml)
    return {n.decode("utf-8", "replace").strip().lower() for n in names}


def _zip_directory_problem(path: Path, name: str, limits: Limits) -> ReadProblem | None:
    """E_FILE_UNREADABLE or E_TOO_LARGE judged from the zip directory alone."""
    try:
        with open_regular(path) as handle, zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return problem("E_FILE_UNREADABLE", file=name, reason="not_zip", detail=str(exc)[:500])
    expanded = sum(m.file_size for m in members)
    if expanded > limits.max_bytes * _MAX_EXPANSION:
        return problem(
            "E_TOO_LARGE",
            file=name,
            size=expanded,
            limit=limits.max_bytes * _MAX_EXPANSION,
            detail="declared uncompressed size of the workbook",
        )
    for m in members:
        shared = m.filename.lower() == _SHARED_STRINGS and m.file_size > limits.max_bytes
        ratio = m.file_size > 1_000_000 and m.file_size > _MAX_RATIO * max(m.compress_size, 1)
        if shared or ratio:
            return problem(
                "E_TOO_LARGE",
                file=name,
                size=m.file_size,
                limit=limits.max_bytes if shared else _MAX_RATIO * max(m.compress_size, 1),
                detail=f"member {m.filename}: {m.compress_size} bytes compressed,"
                f" {m.file_size} declared uncompressed",
            )
    return None


@contextmanager
def _open_book(path: Path, *, data_only: bool) -> Iterator[Any]:
    """A read-only workbook. Opened from a file object: openpyxl refuses a path without an
    .xlsx extension, and the archive's copies are named by their SHA-256."""
    from openpyxl import load_workbook

    with open_regular(path) as handle:
        book = load_workbook(handle, read_only=True, data_only=data_only)
        try:
            yield book
        finally:
            book.close()


def _sheet_frame(ws, limits: Limits, name: str, problems: list[ReadProblem]) -> pd.DataFrame | None:
    ws.reset_dimensions()  # some writers record a wrong used range: read every row there is
    header = next(ws.iter_rows(max_row=1, max_col=_MAX_COLUMNS, values_only=True), None)
    if header is None:
        return pd.DataFrame(columns=["row_number"])
    while header and header[-1] is None:
        header = header[:-1]
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    twice = duplicated_columns(names)
    for column in twice:
        problems.append(problem("E_DUPLICATE_COLUMN", file=name, row=1, column=column))
    if twice:
        return None
    columns = [n or f"_col{i}" for i, n in enumerate(names)]
    rows = ws.iter_rows(min_row=2, max_col=max(len(columns), 1), values_only=True)
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
