"""`kcn validate`: check a submission folder without loading it (contract section 8)."""

from __future__ import annotations

from pathlib import Path

from kcn import intake, parse
from kcn.findings import outcome_of


class CannotRun(Exception):
    """Bad arguments or no warehouse: exit code 2."""


def check_folder(folder: Path) -> dict[str, object]:
    from kcn import validate, warehouse
    from kcn.settings import get_settings

    folder = folder.resolve()
    if not folder.is_dir():
        raise CannotRun(f"Không tìm thấy thư mục {folder} / No such folder: {folder}")
    if not intake.PERIOD_RE.match(folder.parent.name):
        raise CannotRun(
            f"Thư mục phải có dạng .../<YYYY-MM>/<MÃ_ĐƠN_VỊ>, nhận được {folder} / "
            f"The folder must be .../<YYYY-MM>/<SUBMITTER_CODE>, got {folder}")
    settings = get_settings()
    received_at = intake.read_folder(folder).received_at
    parsed = parse.parse_folder(folder, limits=parse.Limits(settings.max_file_bytes,
                                                            settings.max_rows),
                                received_at=received_at)
    try:
        import psycopg2

        conn = psycopg2.connect(warehouse.warehouse_url(settings))
    except Exception as exc:
        raise CannotRun(
            f"Không kết nối được kho dữ liệu / Cannot reach the warehouse: {exc}") from exc
    try:
        conn.set_session(readonly=True)  # the dry run writes nothing
        with conn.cursor() as cur:
            history = validate.load_history(cur, parsed.folder_submitter, parsed.folder_period,
                                            received_at)
        findings = validate.validate(parsed, history=history)
    finally:
        conn.rollback()
        conn.close()
    return {
        "submitter_code": parsed.folder_submitter,
        "period": parsed.folder_period,
        "outcome": outcome_of(findings),
        "findings": [f.to_json() for f in findings],
    }


def as_text(report: dict[str, object]) -> str:
    lines = [f"{report['submitter_code']} {report['period']}: {report['outcome']}"]
    for f in report["findings"]:  # type: ignore[union-attr]
        where = f"{f['file'] or '-'}:{f['row'] if f['row'] is not None else '-'}"
        lines.append(f"  {f['severity']:<7} {f['rule_id']:<26} {where} {f['column'] or ''}"
                     f" {f['value'] if f['value'] is not None else ''}")
        lines.append(f"          vi: {f['message_vi']}")
        lines.append(f"          en: {f['message_en']}")
    return "\n".join(lines)
