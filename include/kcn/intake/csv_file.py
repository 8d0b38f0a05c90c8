"""Read a CSV table of a submission (UTF-8, comma-separated, header on row 1).

The size is checked before a byte is read; the file is opened without following a link. A
file holding a NUL or another control character than tab, CR and LF is text in no encoding
the contract accepts (E_ENCODING). A header naming a column twice is E_DUPLICATE_COLUMN; a
header that splits on ';' or a tab but not on ',' is said to be so.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from pathlib import Path

import pandas as pd

from kcn.intake.entries import open_regular
from kcn.intake.tables import (
    Limits,
    ReadProblem,
    clean_text,
    duplicated_columns,
    problem,
    to_frame,
)

logger = logging.getLogger(__name__)

# Control characters (Unicode Cc) other than tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def read_csv(
    path: Path,
    name: str,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    limits: Limits,
    problems: list[ReadProblem],
) -> pd.DataFrame | None:
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limits.max_bytes:  # checked before reading a byte of it
            problems.append(problem("E_TOO_LARGE", file=name, size=size, limit=limits.max_bytes))
            return None
        data = handle.read(limits.max_bytes + 1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(_encoding_problem(name, data, exc))
        return None
    if control := _CONTROL.search(text):
        problems.append(_control_problem(name, text, control.start()))
        return None
    header = _header(text)
    twice = duplicated_columns([clean_text(c).lower() for c in header])
    for column in twice:
        problems.append(problem("E_DUPLICATE_COLUMN", file=name, row=1, column=column))
    if twice:
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False, engine="c"
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        problems.append(_syntax_problem(name, text, len(header), str(exc)))
        return None
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=list(columns))
    if len(frame) > limits.max_rows:
        problems.append(
            problem("E_TOO_LARGE", file=name, size=len(frame), limit=limits.max_rows, what="rows")
        )
        return None
    frame.columns = [clean_text(str(c)).lower() for c in frame.columns]
    frame.insert(0, "row_number", range(2, len(frame) + 2))  # header is row 1
    return to_frame(frame, name, columns, required, problems, separator=_separator(header))


def _header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)), [])


def _separator(header: list[str]) -> str | None:
    """';' or a tab when the header splits on it and not on ',' (None otherwise)."""
    if len(header) != 1:
        return None
    for separator in (";", "\t"):
        if separator in header[0]:
            return separator
    return None


def _syntax_problem(name: str, text: str, width: int, detail: str) -> ReadProblem:
    """Where a CSV stops being CSV, as the spreadsheet numbers rows: a quote never closed
    (the row it opens on), or a row with more cells than the header."""
    reader = csv.reader(io.StringIO(text), strict=True)
    row = 0
    try:
        for record in reader:
            row += 1
            if row > 1 and len(record) > width:
                return problem(
                    "E_FILE_UNREADABLE",
                    file=name,
                    row=row,
                    detail=detail,
                    case="row",
                    reason="too_many_cells",
                    found=len(record),
                    expected=width,
                )
    except csv.Error as exc:
        return problem(
            "E_FILE_UNREADABLE",
            file=name,
            row=row + 1,
            detail=f"{detail}; {exc}",
            case="row",
            reason="unclosed_quote" if "end of data" in str(exc) else "csv",
        )
    return problem("E_FILE_UNREADABLE", file=name, detail=detail, reason="csv")


def _control_problem(name: str, text: str, at: int) -> ReadProblem:
    line = text.count("\n", 0, at) + 1
    char = f"U+{ord(text[at]):04X}"
    offset = len(text[:at].encode("utf-8"))
    return problem(
        "E_ENCODING",
        file=name,
        row=line,
        value=char,
        case="control",
        char=char,
        offset=offset,
        line=line,
    )


def _encoding_problem(name: str, data: bytes, exc: UnicodeDecodeError) -> ReadProblem:
    offset = exc.start
    line = data.count(b"\n", 0, offset) + 1
    guess = None
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:65536]).best()
        guess = best.encoding if best else None
    except Exception:  # the guess only improves the message
        logger.debug("encoding guess failed for %s", name, exc_info=True)
    return problem(
        "E_ENCODING",
        file=name,
        row=line,
        value=data[offset : offset + 4].hex(" "),
        offset=offset,
        line=line,
        guess=guess or "?",
        detail=str(exc),
    )
