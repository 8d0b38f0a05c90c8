"""Findings reports for the submitter, written to the outbox next to nothing they sent.

For every version: `v<N>-<outcome>-findings.csv` (one finding a line) and
`v<N>-<outcome>-feedback.xlsx`, a copy of the submission with each offending cell filled
red (fatal, error) or amber (warning), a comment and a `phan_hoi / feedback` column with the
messages, and a first sheet `findings` listing every finding.

    write_feedback(outbox, period, submitter, version_no, outcome, findings, files)

No cell of a report can run as a formula: text beginning with =, +, -, @ (or a tab or
carriage return) is written as text with Excel's quote prefix, in the workbook as in the CSV.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from kcn.contract import SHEETS
from kcn.validation.findings import Finding

logger = logging.getLogger(__name__)

FIELDS = ("rule_id", "severity", "file", "row", "column", "value", "message_vi", "message_en")
FEEDBACK_COLUMN = "phan_hoi / feedback"
FILLS = {
    "fatal": PatternFill("solid", fgColor="FFFFC7CE"),  # red
    "error": PatternFill("solid", fgColor="FFFFC7CE"),
    "warning": PatternFill("solid", fgColor="FFFFEB9C"),  # amber
}
RANK = {"warning": 1, "error": 2, "fatal": 2}
# Files whose copy would be wrong or huge: the findings sheet still lists their findings.
NOT_COPIED = frozenset({"E_FILE_UNREADABLE", "E_ENCODING", "E_TOO_LARGE"})
MAX_COPY_BYTES = 10 * 1024 * 1024  # openpyxl holds a whole workbook in memory
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: object) -> object:
    """Prefix a quote so no spreadsheet runs a cell that looks like a formula (CSV injection)."""
    if isinstance(text, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def write_feedback(
    outbox: Path,
    period: str,
    submitter: str,
    version_no: int,
    outcome: str,
    findings: list[Finding],
    files: dict[str, Path],
) -> list[Path]:
    """Write the findings CSV of one version and, when it has findings, the feedback
    workbook; return the paths written.

    `files` maps each submitted file's original name to a readable copy (archive path). A
    version without findings gets the CSV alone (its receipt): a copy of a clean submission
    marks nothing, and writing one for each of a national month's clean versions would be
    most of the intake's time.
    """
    csv_path = write_findings_csv(outbox, period, submitter, version_no, outcome, findings)
    if not findings:
        return [csv_path]
    xlsx_path = csv_path.with_name(f"v{version_no}-{outcome}-feedback.xlsx")
    feedback_workbook(findings, files).save(xlsx_path)
    return [csv_path, xlsx_path]


def write_findings_csv(
    outbox: Path,
    period: str,
    submitter: str,
    version_no: int,
    outcome: str,
    findings: list[Finding],
) -> Path:
    folder = outbox / period / submitter
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"v{version_no}-{outcome}-findings.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel reads UTF-8
        writer = csv.writer(f)
        writer.writerow(FIELDS)
        for finding in findings:
            record = finding.to_json()
            writer.writerow([spreadsheet_safe(record[k]) for k in FIELDS])
    return path


def feedback_workbook(findings: list[Finding], files: dict[str, Path]) -> Workbook:
    """The submission as a workbook, offending cells marked, with a `findings` sheet first."""
    skip = {f.file for f in findings if f.rule_id in NOT_COPIED}
    copyable = {
        name: path
        for name, path in files.items()
        if name not in skip and path.stat().st_size <= MAX_COPY_BYTES
    }
    book, sheets = _copy_submission(copyable)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    _put(cell, cell.value)
    places = _mark(findings, sheets)
    _findings_sheet(book, findings, places)
    return book


def _copy_submission(files: dict[str, Path]) -> tuple[Workbook, dict[str, list[Worksheet]]]:
    """A workbook holding the submitted tables; file name -> the sheets holding its rows.

    The workbook the parser reads (the first by name) is copied with its cached values, not
    its formulas; each CSV becomes a sheet named after the file.
    """
    sheets: dict[str, list[Worksheet]] = {}
    workbooks = sorted(n for n in files if n.lower().endswith(".xlsx") and not n.startswith("~$"))
    book = None
    if workbooks:
        try:
            with files[workbooks[0]].open("rb") as handle:  # archive copies have no .xlsx
                book = load_workbook(handle, data_only=True, keep_links=False)
            sheets[workbooks[0]] = [
                ws for ws in book.worksheets if ws.title.strip().lower() in SHEETS
            ]
        except Exception:  # the parser found it readable; a copy is only a courtesy
            logger.warning("cannot copy %s into the feedback workbook", workbooks[0], exc_info=True)
    if book is None:
        book = Workbook()
        book.remove(book.active)
    for name in sorted(n for n in files if n.lower().endswith(".csv")):
        ws = book.create_sheet(re.sub(r"[\[\]:*?/\\]", "_", name)[:31])
        text = files[name].read_bytes().decode("utf-8-sig", errors="replace")
        try:
            for r, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
                for c, value in enumerate(record, start=1):  # a blank line stays a blank row
                    _put(ws.cell(r, c), value)
        except csv.Error:  # the parser reported it; the copy stops where reading did
            logger.warning("cannot copy all of %s into the feedback workbook", name)
        sheets[name] = [ws]
    return book, sheets


def _put(cell: Cell, value: object) -> None:
    """Write a value; text that a spreadsheet would run is kept as quoted text, and control
    characters XLSX cannot hold become U+FFFD."""
    if isinstance(value, str):
        value = _clean(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"  # openpyxl makes '=...' a formula otherwise
        cell.quotePrefix = True  # and Excel would make it one when the cell is edited


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def _headers(ws: Worksheet) -> dict[str, int]:
    return {str(c.value).strip().lower(): c.column for c in ws[1] if c.value is not None}


def _locate(finding: Finding, sheets: list[Worksheet]) -> tuple[Worksheet, int | None]:
    """The sheet and column of a finding. zone_code is in both tables of a workbook: the
    sheet whose cell holds the finding's value wins."""
    candidates = [(ws, _headers(ws).get(finding.column or "")) for ws in sheets]
    with_column = [(ws, col) for ws, col in candidates if col]
    for ws, col in with_column:
        cell = ws.cell(finding.row, col).value
        if (None if cell is None else str(cell).strip()) == finding.value:
            return ws, col
    return with_column[0] if with_column else (sheets[0], None)


def _mark(findings: list[Finding], sheets: dict[str, list[Worksheet]]) -> dict[int, str]:
    """Fill, comment and explain each located finding; index in findings -> 'sheet!A1'."""
    places: dict[int, str] = {}
    feedback_col: dict[str, int] = {}
    for i, finding in enumerate(findings):
        if finding.row is None or not sheets.get(finding.file or ""):
            continue
        ws, col = _locate(finding, sheets[finding.file or ""])
        if ws.title not in feedback_col:
            feedback_col[ws.title] = ws.max_column + 1
            header = ws.cell(1, feedback_col[ws.title])
            header.value, header.font = FEEDBACK_COLUMN, Font(bold=True)
            ws.column_dimensions[header.column_letter].width = 80
        text = f"{finding.rule_id}: {finding.message_vi}\n{finding.message_en}"
        note = ws.cell(finding.row, feedback_col[ws.title])
        _put(note, f"{note.value}\n{text}" if note.value else text)
        note.alignment = Alignment(wrap_text=True, vertical="top")
        target = ws.cell(finding.row, col) if col else note
        _fill(target, finding.severity)
        _fill(note, finding.severity)
        if col:
            previous = target.comment.text + "\n\n" if target.comment else ""
            target.comment = Comment(
                _clean(previous + text), "KCN Warehouse", height=160, width=400
            )
        places[i] = f"{ws.title}!{target.coordinate}"
    return places


def _fill(cell: Cell, severity: str) -> None:
    """Colour by the worst severity on the cell: red beats amber."""
    current = next((s for s, fill in FILLS.items() if cell.fill == fill), None)
    if current is None or RANK[severity] > RANK[current]:
        cell.fill = FILLS[severity]


def _findings_sheet(book: Workbook, findings: list[Finding], places: dict[int, str]) -> None:
    ws = book.create_sheet("findings", 0)
    ws.append([*FIELDS, "cell"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, finding in enumerate(findings):
        record = finding.to_json()
        r = ws.max_row + 1
        for c, value in enumerate([*(record[k] for k in FIELDS), places.get(i)], start=1):
            _put(ws.cell(r, c), value)
        ws.cell(r, 2).fill = FILLS.get(finding.severity, PatternFill())
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHI", (24, 9, 18, 6, 16, 20, 70, 70, 18), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2, min_col=7, max_col=8):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = False
    book.active = 0
    ws.sheet_view.tabSelected = True
