"""What validation writes to the audit trail: findings, every expectation's result, outcomes,
and which version is in force (kcn_audit). Every write replaces what an earlier run of the
same step wrote."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from psycopg2.extras import Json, execute_values

from kcn.contract import IN_FORCE_OUTCOMES
from kcn.validation.findings import Finding

if TYPE_CHECKING:  # the results come from the suites; pandas is not loaded to record them
    from kcn.validation.checks import CheckResult


def record_findings(cur: Any, version_id: int, findings: list[Finding]) -> None:
    """Replace the findings of a version."""
    cur.execute("delete from kcn_audit.finding where version_id = %s", (version_id,))
    if findings:
        execute_values(
            cur,
            "insert into kcn_audit.finding (version_id, rule_id, severity, file_name, row_number,"
            " column_name, value, message_vi, message_en, detail) values %s",
            [
                (
                    version_id,
                    f.rule_id,
                    f.severity,
                    f.file,
                    f.row,
                    f.column,
                    f.value,
                    f.message_vi,
                    f.message_en,
                    f.detail,
                )
                for f in findings
            ],
            page_size=1000,
        )


def record_checks(
    cur: Any, version_id: int, run_id: str, validated_at: datetime, checks: list[CheckResult]
) -> None:
    """Replace a version's GX results (kcn_audit.check_result) with those of this run."""
    cur.execute("delete from kcn_audit.check_result where version_id = %s", (version_id,))
    if checks:
        execute_values(
            cur,
            "insert into kcn_audit.check_result (version_id, run_id, validated_at, suite,"
            " expectation_type, rule_id, severity, column_name, contract_column, description,"
            " success, element_count, unexpected_count, unexpected_percent, unexpected_rows,"
            " observed_value) values %s",
            [
                (
                    version_id,
                    run_id,
                    validated_at,
                    c.suite,
                    c.expectation_type,
                    c.rule_id,
                    c.severity,
                    c.column,
                    c.contract_column,
                    c.description,
                    c.success,
                    c.element_count,
                    c.unexpected_count,
                    c.unexpected_percent,
                    Json([{"file_name": f, "row_number": r} for f, r in c.unexpected_rows]),
                    c.observed_value,
                )
                for c in checks
            ],
            page_size=1000,
        )


def read_findings(cur: Any, version_id: int, rule_ids: tuple[str, ...]) -> list[Finding]:
    """The recorded findings of a version with one of the rule ids, in the order recorded."""
    cur.execute(
        "select rule_id, severity, file_name, row_number, column_name, value, message_vi,"
        " message_en, detail from kcn_audit.finding where version_id = %s and rule_id = any(%s)"
        " order by finding_id",
        (version_id, list(rule_ids)),
    )
    return [Finding(*row) for row in cur.fetchall()]


def set_outcome(cur: Any, version_id: int, outcome: str | None) -> None:
    """Record a version's outcome (None: not judged yet) and when it was judged."""
    cur.execute(
        "update kcn_audit.submission_version"
        " set outcome = %s, validated_at = case when %s is null then null else now() end"
        " where version_id = %s",
        (outcome, outcome, version_id),
    )


def update_supersession(cur: Any, submitter: str, period: str) -> None:
    """The newest accepted version is in force; older accepted ones point to it."""
    cur.execute(
        _sql("supersession.sql"),
        {"submitter": submitter, "period": period, "ok": IN_FORCE_OUTCOMES},
    )


@cache
def _sql(name: str) -> str:
    return resources.files("kcn.validation").joinpath(name).read_text(encoding="utf-8")
