"""The status of the monthly loads: what arrived for a month and its outcomes, and the
counts a run ends with."""

from __future__ import annotations

from importlib import resources
from typing import Any

from kcn import reference
from kcn.contract import IN_FORCE_OUTCOMES


def month_summary(cur: Any, period: str) -> dict[str, object]:
    """What arrived for a month, what was expected, and the outcomes of the versions."""
    expected = sorted(reference.expected_submitters(period))
    sql = resources.files("kcn.reports").joinpath("month_summary.sql").read_text("utf-8")
    cur.execute(sql, {"ok": IN_FORCE_OUTCOMES, "period": period})
    versions = [
        {
            "submitter_code": s,
            "version_no": n,
            "outcome": o,
            "received_at": r.isoformat(),
            "in_force": bool(f),
            "errors": e,
            "warnings": w,
        }
        for s, n, o, r, f, e, w in cur.fetchall()
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
    received = {v["submitter_code"] for v in versions}
    outcomes: dict[str, int] = {}
    for v in versions:
        outcomes[str(v["outcome"])] = outcomes.get(str(v["outcome"]), 0) + 1
    return {
        "period": period,
        "expected": expected,
        "missing": [s for s in expected if s not in received],
        "versions": versions,
        "outcomes": outcomes,
        "landing_issues": issues,
    }


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
