"""`kcn validate`: check a submission folder without loading it (contract section 8)."""

from __future__ import annotations

import re
from pathlib import Path

from kcn.intake.landing import read_folder
from kcn.intake.parse import parse_folder
from kcn.intake.tables import Limits
from kcn.period import DEFAULT_LATE_DAY, is_period
from kcn.validation.context import load_history
from kcn.validation.findings import outcome_of
from kcn.validation.validate import validate


class CannotRun(Exception):
    """Bad arguments or no warehouse: exit code 2."""


def check_folder(
    folder: Path, *, url: str, limits: Limits | None = None, late_day: int = DEFAULT_LATE_DAY
) -> dict[str, object]:
    """The findings and outcome the pipeline would give the folder, read against the
    history in the warehouse at `url` (read only)."""
    folder = folder.resolve()
    if not folder.is_dir():
        raise CannotRun(f"Không tìm thấy thư mục {folder} / No such folder: {folder}")
    if not is_period(folder.parent.name):
        raise CannotRun(
            f"Thư mục phải có dạng .../<YYYY-MM>/<MÃ_ĐƠN_VỊ>, nhận được {folder} / "
            f"The folder must be .../<YYYY-MM>/<SUBMITTER_CODE>, got {folder}"
        )
    received_at = read_folder(folder).received_at
    parsed = parse_folder(folder, limits=limits, received_at=received_at)
    try:
        import psycopg2

        conn = psycopg2.connect(url)
    except Exception as exc:
        raise CannotRun(
            f"Không kết nối được kho dữ liệu / Cannot reach the warehouse: {exc}"
        ) from exc
    try:
        conn.set_session(readonly=True)  # the dry run writes nothing
        with conn.cursor() as cur:
            history = load_history(cur, parsed.folder_submitter, parsed.folder_period, received_at)
        findings = validate(parsed, history=history, late_day=late_day)
    finally:
        conn.rollback()
        conn.close()
    return {
        "submitter_code": parsed.folder_submitter,
        "period": parsed.folder_period,
        "outcome": outcome_of(findings),
        "findings": [f.to_json() for f in findings],
    }


# Escape sequences (ESC [ ... and the like) and every other control character: a cell's
# text printed as it is could move the cursor, recolour or retitle the reader's terminal.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: object) -> str:
    """Text safe to print on a terminal: escape sequences removed, other control characters
    shown as \\xNN."""
    cleaned = _ANSI.sub("", str(text))
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", cleaned)


def as_text(report: dict[str, object]) -> str:
    lines = [f"{report['submitter_code']} {report['period']}: {report['outcome']}"]
    lines[0] = printable(lines[0])
    for f in report["findings"]:  # type: ignore[attr-defined]
        where = f"{f['file'] or '-'}:{f['row'] if f['row'] is not None else '-'}"
        lines.append(
            printable(
                f"  {f['severity']:<7} {f['rule_id']:<26} {where} {f['column'] or ''}"
                f" {f['value'] if f['value'] is not None else ''}"
            )
        )
        lines.append(f"          vi: {printable(f['message_vi'])}")
        lines.append(f"          en: {printable(f['message_en'])}")
    return "\n".join(lines)
