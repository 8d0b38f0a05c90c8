"""The finding record: one problem found in one submission version."""

from __future__ import annotations

from dataclasses import dataclass, fields

from kcn.contract import ACCEPTED, ACCEPTED_WITH_WARNINGS, REJECTED


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str  # fatal | error | warning
    file: str | None
    row: int | None  # as the spreadsheet shows it (header = row 1); None: the whole file/folder
    column: str | None
    value: str | None
    message_vi: str
    message_en: str
    # for engineers, never shown to a submitter: a library's error text, an exception
    detail: str | None = None

    def to_json(self) -> dict[str, object]:
        """The finding as contract section 8 prints it (keys in contract order, no detail)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "detail"}


def outcome_of(findings: list[Finding]) -> str:
    if any(f.severity in ("fatal", "error") for f in findings):
        return REJECTED
    if findings:
        return ACCEPTED_WITH_WARNINGS
    return ACCEPTED
