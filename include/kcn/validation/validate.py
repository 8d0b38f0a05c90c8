"""Judge submission versions: folder checks, the problems of reading, then the suites.

findings = validate(parsed, history=history)
outcome_of(findings)  # accepted | accepted_with_warnings | rejected
validate_many([(parsed, read_findings, history), ...])  # one GX run per table for all
judge_many([...])  # the same, with every expectation's result per version (CheckResult)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from kcn import reference
from kcn.intake.tables import ParsedSubmission
from kcn.period import DEFAULT_LATE_DAY, VN_TZ, deadline, opens_at
from kcn.validation import rules
from kcn.validation.checks import CheckResult
from kcn.validation.context import History, RuleContext, rule_context
from kcn.validation.findings import Finding
from kcn.validation.suites import run_suite

log = logging.getLogger(__name__)

# A submission to judge: what was read, the findings of reading it, and its history.
Item = tuple[ParsedSubmission, list[Finding], History | None]


def validate(
    parsed: ParsedSubmission, *, history: History | None = None, late_day: int = DEFAULT_LATE_DAY
) -> list[Finding]:
    """Every finding of one submission version, folder-level first, then file by file."""
    return validate_many([(parsed, rules.reading_findings(parsed), history)], late_day=late_day)[0]


def validate_many(
    items: Sequence[Item],
    *,
    late_day: int = DEFAULT_LATE_DAY,
) -> list[list[Finding]]:
    """The findings of several submission versions, in the order given, each as `validate`
    gives it: folder findings alone if any; else W_LATE, the findings of reading, and unless
    one is fatal the indicators' then the enterprises' findings by file and row."""
    return judge_many(items, late_day=late_day)[0]


def judge_many(
    items: Sequence[Item],
    *,
    late_day: int = DEFAULT_LATE_DAY,
) -> tuple[list[list[Finding]], list[list[CheckResult]]]:
    """validate_many's findings, and each item's result of every expectation the suites ran
    on it (none for an item stopped by folder or fatal reading findings)."""
    results: list[list[Finding]] = []
    checks: dict[int, list[CheckResult]] = {}
    contexts: dict[int, RuleContext] = {}
    skip_enterprises: set[int] = set()  # E_TABLE_NOT_ALLOWED: the table is not judged
    for item, (parsed, read_findings, history) in enumerate(items):
        history = history or History()
        submitter, period = parsed.folder_submitter, parsed.folder_period
        received_at = parsed.received_at or history.received_at
        folder = _folder_findings(submitter, period) or _not_open(period, received_at)
        if folder:
            results.append(folder)
            continue
        results.append(_late(period, received_at, late_day) + read_findings)
        if any(f.severity == "fatal" for f in read_findings):
            continue
        if (not_allowed := _table_not_allowed(parsed)) is not None:
            results[-1].append(not_allowed)
            skip_enterprises.add(item)
        listed: set[str] = set()
        if parsed.enterprises is not None:
            listed = set(parsed.enterprises["tax_code"].dropna())
        contexts[item] = rule_context(
            submitter,
            period,
            frozenset(listed) | history.known_tax_codes,
            history.previous_ytd,
            history.month_reference,
        )
    for table in ("indicators", "enterprises"):
        frames = {
            item: frame
            for item in contexts
            if (frame := getattr(items[item][0], table)) is not None and len(frame)
            if not (table == "enterprises" and item in skip_enterprises)
        }
        if not frames:
            continue
        by_item = run_suite(table, frames, contexts, checks)
        for item, table_findings in by_item.items():
            table_findings.sort(key=lambda f: (f.file or "", f.row or 0))  # stable sort
            results[item] += table_findings
    log.debug("validated %d versions, %d findings", len(items), sum(map(len, results)))
    return results, [checks.get(item, []) for item in range(len(items))]


def _folder_findings(submitter: str, period: str) -> list[Finding]:
    known = reference.load().submitters.get(submitter)
    if known is None:
        return [
            rules.finding(
                "E_UNKNOWN_SUBMITTER", file=None, column="submitter_code", value=submitter
            )
        ]
    if not reference.submitter_active(submitter, period):
        validity = known.validity
        return [
            rules.finding(
                "E_SUBMITTER_INACTIVE",
                file=None,
                column="submitter_code",
                value=submitter,
                period=period,
                valid_from=validity.valid_from.isoformat(),
                valid_to=validity.valid_to.isoformat() if validity.valid_to else ("nay", "now"),
            )
        ]
    return []


def _not_open(period: str, received_at: datetime | None) -> list[Finding]:
    """E_PERIOD_NOT_OPEN: received before the first day of its reporting month."""
    if received_at is None:
        return []
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=UTC)
    opens = opens_at(period)
    if received_at >= opens:
        return []
    local = received_at.astimezone(VN_TZ)
    return [
        rules.finding(
            "E_PERIOD_NOT_OPEN",
            file=None,
            column="period",
            value=period,
            period=period,
            received=local.strftime("%Y-%m-%d %H:%M"),
            opens=opens.strftime("%Y-%m-%d %H:%M"),
        )
    ]


def _table_not_allowed(parsed: ParsedSubmission) -> Finding | None:
    """E_TABLE_NOT_ALLOWED: an enterprises table (with rows) sent by a district committee."""
    known = reference.load().submitters.get(parsed.folder_submitter)
    table = parsed.enterprises
    if table is None or table.empty or known is None or known.type != "district":
        return None
    return rules.finding("E_TABLE_NOT_ALLOWED", file=str(table["file_name"].iloc[0]))


def _late(period: str, received_at: datetime | None, late_day: int) -> list[Finding]:
    """W_LATE; a naive received_at is taken as UTC (how the intake clock records it)."""
    if received_at is None:
        return []
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=UTC)
    due = deadline(period, late_day)
    if received_at <= due:
        return []
    local = received_at.astimezone(VN_TZ)
    return [
        rules.finding(
            "W_LATE",
            file=None,
            value=local.isoformat(timespec="seconds"),
            period=period,
            received=local.strftime("%Y-%m-%d %H:%M"),
            deadline=due.strftime("%Y-%m-%d %H:%M"),
        )
    ]
