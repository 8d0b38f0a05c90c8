"""Read a CSV table of a submission (UTF-8, comma-separated, header on row 1)."""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

import pandas as pd

from kcn.intake.tables import Limits, ReadProblem, clean_text, problem, to_frame

logger = logging.getLogger(__name__)


def read_csv(
    path: Path,
    name: str,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    limits: Limits,
    problems: list[ReadProblem],
) -> pd.DataFrame | None:
    size = path.stat().st_size
    if size > limits.max_bytes:  # checked before reading a byte of it
        problems.append(problem("E_TOO_LARGE", file=name, size=size, limit=limits.max_bytes))
        return None
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(_encoding_problem(name, data, exc))
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False, engine="c"
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        problems.append(problem("E_FILE_UNREADABLE", file=name, reason=str(exc)[:200]))
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
    return to_frame(frame, name, columns, required, problems)


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
    )
