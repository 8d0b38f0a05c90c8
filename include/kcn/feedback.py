"""Findings reports for the submitter, written to the outbox next to nothing they sent."""

from __future__ import annotations

import csv
from pathlib import Path

from kcn.findings import Finding

FIELDS = ("rule_id", "severity", "file", "row", "column", "value", "message_vi", "message_en")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: object) -> object:
    """Prefix a quote so no spreadsheet runs a cell that looks like a formula (CSV injection)."""
    if isinstance(text, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def write_findings_csv(outbox: Path, period: str, submitter: str, version_no: int,
                       outcome: str, findings: list[Finding]) -> Path:
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
