"""The status of the monthly loads: what arrived for a month and its outcomes, and the
counts a run ends with."""

from __future__ import annotations

from importlib import resources
from typing import Any

from kcn import reference
from kcn.contract import IN_FORCE_OUTCOMES, REJECTED
from kcn.period import DEFAULT_LATE_DAY, VN_TZ, deadline

COMPLETENESS_MART = "marts.fct_reporting_completeness"
COUNTS = ("expected", "actual", "on_time", "rejected_only", "missing")


def month_summary(cur: Any, period: str, late_day: int = DEFAULT_LATE_DAY) -> dict[str, Any]:
    """What arrived for a month, what was expected, the outcomes of the versions, and the
    month's completeness (DHIS2's counts and rates): from marts.fct_reporting_completeness
    when dbt has built it for the month, else worked out here by the same definitions."""
    # The audit report's list of the month's versions, of which the summary shows a part.
    cur.execute(_sql("audit_sql", "versions.sql"), {"ok": IN_FORCE_OUTCOMES, "period": period})
    versions = [
        {
            "submitter_code": v["submitter_code"],
            "version_no": v["version_no"],
            "outcome": v["outcome"],
            "received_at": v["received_at"].isoformat(),
            "in_force": bool(v["in_force"]),
            "errors": v["errors"],
            "warnings": v["warnings"],
        }
        for v in _records(cur)
    ]
    cur.execute(
        "select path, reason, first_seen, last_seen, times_seen from kcn_audit.landing_issue"
        " where period = %s or period is null order by path",
        (period,),
    )
    issues = [
        {
            "path": p,
            "reason": r,
            "first_seen": f.isoformat(),
            "last_seen": la.isoformat(),
            "times_seen": n,
        }
        for p, r, f, la, n in cur.fetchall()
    ]
    outcomes: dict[str, int] = {}
    for v in versions:
        outcomes[str(v["outcome"])] = outcomes.get(str(v["outcome"]), 0) + 1
    per_submitter = _mart_completeness(cur, period)
    source = COMPLETENESS_MART
    if not per_submitter:
        per_submitter = registry_completeness(cur, period, late_day)
        source = "kcn_audit.submission_version"
    return {
        "period": period,
        "expected": sorted(s for s, r in per_submitter.items() if r["expected"]),
        "missing": sorted(s for s, r in per_submitter.items() if r["missing"]),
        "rejected_only": sorted(s for s, r in per_submitter.items() if r["rejected_only"]),
        "late": sorted(s for s, r in per_submitter.items() if r["actual"] and not r["on_time"]),
        "completeness": completeness_counts(per_submitter.values()),
        "completeness_source": source,
        "versions": versions,
        "outcomes": outcomes,
        "landing_issues": issues,
    }


def completeness_counts(rows: Any) -> dict[str, object]:
    """DHIS2's counts over the expected reports, and the two rates in percent."""
    expected_rows = [r for r in rows if r["expected"]]
    counts = {k: sum(int(r[k]) for r in expected_rows) for k in COUNTS}
    total = counts["expected"]
    return {
        **counts,
        "reporting_rate": round(100 * counts["actual"] / total, 2) if total else None,
        "on_time_rate": round(100 * counts["on_time"] / total, 2) if total else None,
    }


def _mart_completeness(cur: Any, period: str) -> dict[str, dict[str, Any]]:
    cur.execute("select to_regclass(%s) is not null", (COMPLETENESS_MART,))
    if not cur.fetchone()[0]:
        return {}
    cur.execute(_sql("completeness.sql"), {"period": period})
    return {row["submitter_code"]: row for row in _records(cur)}


def _records(cur: Any) -> list[dict[str, Any]]:
    """The rows of the query just run, each a dict by column name."""
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def registry_completeness(cur: Any, period: str, late_day: int) -> dict[str, dict[str, Any]]:
    """The mart's definitions before dbt has run: expected from the reference data, actual
    an accepted version, on time by the deadline, rejected-only counted as missing."""
    cur.execute(
        "select submitter_code, outcome, received_at from kcn_audit.submission_version"
        " where period = %s",
        (period,),
    )
    versions: dict[str, list[tuple[str | None, Any]]] = {}
    for submitter, outcome, received_at in cur.fetchall():
        versions.setdefault(submitter, []).append((outcome, received_at))
    due = deadline(period, late_day)
    expected = reference.expected_submitters(period)
    result = {}
    for submitter in sorted(expected | versions.keys()):
        sent = versions.get(submitter, [])
        accepted = [r for o, r in sent if o in IN_FORCE_OUTCOMES]
        actual = bool(accepted)
        result[submitter] = {
            "submitter_code": submitter,
            "expected": int(submitter in expected),
            "actual": int(actual),
            "on_time": int(actual and min(accepted) <= due),
            "rejected_only": int(bool(sent) and all(o == REJECTED for o, _ in sent)),
            "missing": int(submitter in expected and not actual),
            "days_late": (
                max((min(accepted).astimezone(VN_TZ).date() - due.date()).days, 0)
                if actual
                else None
            ),
        }
    return result


def _sql(*path: str) -> str:
    return resources.files("kcn.reports").joinpath(*path).read_text("utf-8")


def warehouse_counts(cur: Any) -> dict[str, int]:
    """Registry and mart counts for summaries."""
    cur.execute("select count(*) from kcn_audit.submission_version")
    versions = cur.fetchone()[0]
    cur.execute("select to_regclass('marts.fct_indicators_monthly') is not null")
    facts = 0
    if cur.fetchone()[0]:
        cur.execute("select count(*) from marts.fct_indicators_monthly")
        facts = cur.fetchone()[0]
    return {"versions": versions, "facts": facts}


def summary_text(summary: dict[str, Any]) -> str:
    outcomes = summary.get("outcomes") or {}
    parts = ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())) or "nothing new"
    return (
        f"{summary['periods']} months; versions processed: {parts}; "
        f"registry holds {summary['versions']} versions; marts hold {summary['facts']} facts"
    )
