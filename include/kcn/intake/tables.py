"""What reading a submission gives: its tables as text with file and row provenance, and
the problems that stopped reading.

Nothing here judges the content: that is validation's job. Reading only reports what stops
it (unreadable, bad encoding, too large, no indicators, missing or duplicated columns, more
than one table of a kind), as ReadProblems that validation turns into findings with their
messages. A library's own error text is kept as the problem's `detail`, for engineers: it
never enters a message.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

# The rules that reading itself enforces (all fatal); the rest is validation's.
READ_RULES = (
    "E_FILE_UNREADABLE",
    "E_ENCODING",
    "E_TOO_LARGE",
    "E_NO_INDICATORS",
    "E_MISSING_COLUMN",
    "E_AMBIGUOUS_FILES",
    "E_DUPLICATE_COLUMN",
)


@dataclass(frozen=True)
class ReadProblem:
    """A problem that stopped reading a file: a rule id of READ_RULES and where it is; the
    details fill the rule's message."""

    rule_id: str
    file: str | None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    details: dict[str, object] = field(default_factory=dict)
    detail: str | None = None  # a library's own error text, for engineers (never a message)


def problem(
    rule_id: str,
    *,
    file: str | None,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
    detail: str | None = None,
    **details: object,
) -> ReadProblem:
    return ReadProblem(rule_id, file, row, column, value, details, detail)


@dataclass
class ParsedSubmission:
    folder_submitter: str
    folder_period: str
    indicators: pd.DataFrame | None  # file_name, row_number, INDICATOR_COLUMNS, value_as_text
    enterprises: pd.DataFrame | None  # file_name, row_number, ENTERPRISE_COLUMNS
    problems: list[ReadProblem] = field(default_factory=list)
    received_at: datetime | None = None

    @property
    def fatal(self) -> bool:
        return bool(self.problems)  # every problem of reading is fatal


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_rows: int = 1_000_000


def is_submission_file(name: str) -> bool:
    """Files the pipeline reads; others (notes, scans) are archived but not parsed."""
    lower = name.lower()
    return not name.startswith((".", "~$")) and lower.endswith((".csv", ".xlsx"))


def duplicated_columns(header: list[str]) -> list[str]:
    """Names (cleaned, lowercased) that appear more than once in a header; blanks aside."""
    seen: set[str] = set()
    twice: list[str] = []
    for name in header:
        if name and name in seen and name not in twice:
            twice.append(name)
        seen.add(name)
    return twice


def to_frame(
    frame: pd.DataFrame,
    name: str,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    problems: list[ReadProblem],
    *,
    separator: str | None = None,
) -> pd.DataFrame | None:
    """Keep the contract's columns, normalise text, drop blank rows, keep row numbers.

    `separator`: the separator a CSV's header seems to use instead of a comma (';' or a
    tab); the missing columns are then reported once, saying so."""
    missing = [c for c in required if c not in frame.columns]
    if missing and separator:
        problems.append(
            problem(
                "E_MISSING_COLUMN",
                file=name,
                column=missing[0],
                case="separator",
                separator=separator,
                columns=", ".join(missing),
            )
        )
        return None
    for column in missing:
        problems.append(problem("E_MISSING_COLUMN", file=name, column=column))
    if missing:
        return None
    out = pd.DataFrame({"file_name": name, "row_number": frame["row_number"].astype(int)})
    for column in columns:
        out[column] = _clean_series(frame[column]) if column in frame.columns else None
    if "value_as_text" in frame.columns:
        out["value_as_text"] = frame["value_as_text"].astype(bool)
    elif "value" in columns:
        out["value_as_text"] = False
    blank = out[list(columns)].isna().all(axis=1)
    return out.loc[~blank].reset_index(drop=True)


def clean_text(text: str) -> str:
    text = text.strip()
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _clean_series(series: pd.Series) -> pd.Series:
    """Strip, NFC-normalise (only non-ASCII cells: most cells are codes), empty -> None."""
    values = series.astype(object).where(series.notna(), "").astype(str).str.strip()
    non_ascii = ~values.str.isascii()
    if non_ascii.any():
        values.loc[non_ascii] = values.loc[non_ascii].map(lambda s: unicodedata.normalize("NFC", s))
    return values.where(values != "", None).astype(object)
