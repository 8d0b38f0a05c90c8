"""Read a submission's files (CSV or XLSX) into tables of text with file and row provenance.

Nothing here judges the content: that is validation's job. Reading only reports what stops
it from reading (fatal findings: unreadable, bad encoding, too large, missing columns).
"""

from __future__ import annotations

import csv
import io
import logging
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from kcn import rules
from kcn.findings import Finding

logger = logging.getLogger(__name__)

INDICATOR_COLUMNS = (
    "submitter_code", "period", "zone_code", "enterprise_tax_code", "metric_code",
    "value_kind", "period_basis", "value", "unit", "note",
)
INDICATOR_REQUIRED = (
    "submitter_code", "period", "metric_code", "value_kind", "period_basis", "value", "unit",
)
ENTERPRISE_COLUMNS = (
    "tax_code", "enterprise_name", "zone_code", "ownership", "investor_country", "vsic_code",
    "status",
)
# The rules that reading itself enforces; the rest is validation's.
PARSE_RULES = ("E_FILE_UNREADABLE", "E_ENCODING", "E_TOO_LARGE", "E_NO_INDICATORS",
               "E_MISSING_COLUMN")
ENTERPRISE_REQUIRED = ("tax_code", "enterprise_name", "zone_code", "ownership", "status")


@dataclass
class ParsedSubmission:
    folder_submitter: str
    folder_period: str
    indicators: pd.DataFrame | None  # file_name, row_number, INDICATOR_COLUMNS, value_as_text
    enterprises: pd.DataFrame | None  # file_name, row_number, ENTERPRISE_COLUMNS
    findings: list[Finding] = field(default_factory=list)
    received_at: datetime | None = None

    @property
    def fatal(self) -> bool:
        return any(f.severity == "fatal" for f in self.findings)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_rows: int = 1_000_000


def is_submission_file(name: str) -> bool:
    """Files the pipeline reads; others (notes, scans) are archived but not parsed."""
    lower = name.lower()
    return not name.startswith((".", "~$")) and lower.endswith((".csv", ".xlsx"))


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
        parsed.indicators = _read_csv(files[indicators_csv], indicators_csv, INDICATOR_COLUMNS,
                                      INDICATOR_REQUIRED, limits, parsed.findings)
    if enterprises_csv:
        parsed.enterprises = _read_csv(files[enterprises_csv], enterprises_csv, ENTERPRISE_COLUMNS,
                                       ENTERPRISE_REQUIRED, limits, parsed.findings)
    if workbooks and (parsed.indicators is None or parsed.enterprises is None):
        from kcn import parse_xlsx  # openpyxl only when a workbook is sent

        name = workbooks[0]
        sheets = parse_xlsx.read_workbook(files[name], name, limits, parsed.findings)
        if parsed.indicators is None and not indicators_csv and "indicators" in sheets:
            parsed.indicators = _to_frame(
                sheets["indicators"], name, INDICATOR_COLUMNS, INDICATOR_REQUIRED, parsed.findings)
        if parsed.enterprises is None and not enterprises_csv and "enterprises" in sheets:
            parsed.enterprises = _to_frame(
                sheets["enterprises"], name, ENTERPRISE_COLUMNS, ENTERPRISE_REQUIRED,
                parsed.findings)
    if parsed.indicators is None and not indicators_csv and not parsed.fatal:
        parsed.findings.append(rules.finding("E_NO_INDICATORS", file=None))
    return parsed


def parse_folder(folder: Path, *, limits: Limits | None = None,
                 received_at: datetime | None = None) -> ParsedSubmission:
    """Parse a submission folder `.../<YYYY-MM>/<SUBMITTER_CODE>` in place (the dry run)."""
    files = {p.name: p for p in sorted(folder.iterdir())
             if p.is_file() and is_submission_file(p.name)}
    return parse_files(files, folder.name, folder.parent.name, limits=limits,
                       received_at=received_at)


def _read_csv(path: Path, name: str, columns: tuple[str, ...], required: tuple[str, ...],
              limits: Limits, findings: list[Finding]) -> pd.DataFrame | None:
    size = path.stat().st_size
    if size > limits.max_bytes:  # checked before reading a byte of it
        findings.append(rules.finding("E_TOO_LARGE", file=name, size=size, limit=limits.max_bytes))
        return None
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        findings.append(_encoding_finding(name, data, exc))
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, csv.Error) as exc:
        findings.append(rules.finding("E_FILE_UNREADABLE", file=name, reason=str(exc)[:200]))
        return None
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=list(columns))
    if len(frame) > limits.max_rows:
        findings.append(rules.finding("E_TOO_LARGE", file=name, size=len(frame),
                                      limit=limits.max_rows, what="rows"))
        return None
    frame.columns = [_clean(str(c)).lower() for c in frame.columns]
    frame.insert(0, "row_number", range(2, len(frame) + 2))  # header is row 1
    return _to_frame(frame, name, columns, required, findings)


def _to_frame(frame: pd.DataFrame, name: str, columns: tuple[str, ...],
              required: tuple[str, ...], findings: list[Finding]) -> pd.DataFrame | None:
    """Keep the contract's columns, normalise text, drop blank rows, keep row numbers."""
    missing = [c for c in required if c not in frame.columns]
    for column in missing:
        findings.append(rules.finding("E_MISSING_COLUMN", file=name, column=column))
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


def _clean(text: str) -> str:
    text = text.strip()
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _clean_series(series: pd.Series) -> pd.Series:
    """Strip, NFC-normalise (only non-ASCII cells: most cells are codes), empty -> None."""
    values = series.astype(object).where(series.notna(), "").astype(str).str.strip()
    non_ascii = ~values.str.isascii()
    if non_ascii.any():
        values.loc[non_ascii] = values.loc[non_ascii].map(lambda s: unicodedata.normalize("NFC", s))
    return values.where(values != "", None).astype(object)


def _encoding_finding(name: str, data: bytes, exc: UnicodeDecodeError) -> Finding:
    offset = exc.start
    line = data.count(b"\n", 0, offset) + 1
    guess = None
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:65536]).best()
        guess = best.encoding if best else None
    except Exception:  # the guess only improves the message
        logger.debug("encoding guess failed for %s", name, exc_info=True)
    return rules.finding("E_ENCODING", file=name, row=line, value=data[offset:offset + 4].hex(" "),
                         offset=offset, line=line, guess=guess or "?")


def machine_number(value: object) -> str | None:
    """A number as the contract's machine form: digits, optional '.' and decimals."""
    if value is None:
        return None
    try:
        dec = Decimal(str(value))
    except InvalidOperation:
        return None
    if not dec.is_finite():
        return None
    text = format(dec.normalize(), "f")
    return text
