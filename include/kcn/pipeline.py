"""The monthly pipeline's steps, called by the Airflow DAGs and the CLI.

    prepare_warehouse -> intake_month -> stage_version (each) -> validate_versions -> run_dbt
        -> write_audit_reports
    remind (after the deadline: missing and rejected-only submitters)

Each step works on a fixed partition (a month, a version) and can run twice, or alone,
with the same result: a version that has an outcome is never staged or judged again. One
run per month at a time and one dbt build at a time (advisory locks, kcn.warehouse.locks).
Whatever goes wrong with one version (a file no reader expected, a crash while reading or
validating it) becomes a finding on that version and a `rejected` outcome; the month's other
versions carry on. A warehouse that goes away is WarehouseUnavailable (retryable). This is
the one module that calls every stage: the stages themselves only import what comes before
them in the flow.

The DAG's tasks work on batches (`stage_versions`, `validate_new_versions`): a task is a
process of its own, so its fixed cost is paid once for many versions. Reading files needs
pandas, validating needs Great Expectations, building needs dbt: each is imported by the
step that needs it, so a task that only registers or counts starts in a fraction of a
second.
"""

from __future__ import annotations

import json
import logging
import traceback
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from kcn.intake import archive, landing, registry
from kcn.period import is_period
from kcn.reports import status
from kcn.settings import Settings, get_settings
from kcn.transform import dbt_command
from kcn.validation import record
from kcn.validation.findings import Finding, outcome_of
from kcn.warehouse import locks, roles, schema
from kcn.warehouse.connection import GONE, connect, warehouse_url

logger = logging.getLogger(__name__)


def prepare_warehouse(settings: Settings | None = None) -> None:
    """The pipeline's tables, the reference data, and the roles with their grants.

    As the URL's user (roles are created by a role that may create them); the other steps
    act as kcn_owner.
    """
    settings = settings or get_settings()
    with connect(warehouse_url(settings), as_owner=False) as conn:
        schema.ensure_schema(conn, settings.reference_dir)
        roles.ensure_roles(conn, settings.reference_dir)


class PeriodError(ValueError):
    """A reporting month that is not YYYY-MM (bilingual message; the CLI exits with 2)."""


def check_period(period: str) -> str:
    if not is_period(period):
        raise PeriodError(
            f"Kỳ báo cáo phải có dạng YYYY-MM (một tháng có thật, ví dụ 2024-03), nhận được "
            f"{period!r}. / The reporting month must be YYYY-MM (a real month, e.g. 2024-03), "
            f"got {period!r}."
        )
    return period


def intake_month(period: str, settings: Settings | None = None) -> list[int]:
    """Archive and register every new version in `<landing>/<period>`, record what in the
    landing area is not a submission (kcn_audit.landing_issue); return the versions still to
    judge."""
    settings = settings or get_settings()
    check_period(period)
    url = warehouse_url(settings)
    with locks.month_lock(url, period), connect(url) as conn, conn.cursor() as cur:
        found = landing.scan(settings.landing, period)
        _record_landing_issues(cur, found.issues)
        conn.commit()
        for folder in found.folders:
            try:
                version = landing.read_folder(folder)
                archive.archive(version, settings.archive)
            except OSError as exc:  # gone or changed while read: taken on the next run
                logger.warning("%s not taken in this time: %s", folder, exc)
                continue
            registry.register(cur, version)
            conn.commit()  # each registered version is safe before the next is read
        cur.execute(
            "select version_id from kcn_audit.submission_version"
            " where period = %s and outcome is null order by submitter_code, version_no",
            (period,),
        )
        return [row[0] for row in cur.fetchall()]


def _record_landing_issues(cur: Any, issues: list[landing.LandingIssue]) -> None:
    for issue in issues:
        cur.execute(
            """
            insert into kcn_audit.landing_issue (path, period, reason) values (%s, %s, %s)
            on conflict (path) do update set reason = excluded.reason,
                last_seen = now(), times_seen = kcn_audit.landing_issue.times_seen + 1
            """,
            (issue.path, issue.period, issue.reason),
        )


# What staging a version costs beyond its bytes, in bytes: reading a file into a frame and
# cleaning its columns take about as long as 250 kB of rows (a national month's 416
# district submissions of 16 rows each cost as much as its 34 boards' 8,000 rows each).
VERSION_COST_BYTES = 250_000


def intake_batches(
    period: str, batch_size: int = 50, settings: Settings | None = None
) -> list[dict[str, Any]]:
    """`intake_month`, with the versions to validate cut into batches for the DAG's mapped
    staging, each labelled by its first and last submitter.

    The versions are cut, in order, into about one batch per `batch_size` versions, each
    with an equal share of the work: a version's bytes plus VERSION_COST_BYTES. A
    province's board sends a hundred times the rows of a district; batches cut by count
    alone put every board in the first one, which all the others then wait for.
    """
    settings = settings or get_settings()
    version_ids = intake_month(period, settings)
    sizes: dict[int, tuple[str, int]] = {}
    if version_ids:
        with connect(warehouse_url(settings)) as conn, conn.cursor() as cur:
            cur.execute(
                "select version_id, submitter_code,"
                " (select coalesce(sum((f ->> 'bytes')::bigint), 0)"
                "  from jsonb_array_elements(files) as f)"
                " from kcn_audit.submission_version where version_id = any(%s)",
                (version_ids,),
            )
            sizes = {v: (s, int(n) + VERSION_COST_BYTES) for v, s, n in cur.fetchall()}
    count = -(-len(version_ids) // batch_size)
    share = sum(n for _, n in sizes.values()) / max(count, 1)
    batches: list[list[int]] = [[]]
    total = 0
    for version_id in version_ids:
        batches[-1].append(version_id)
        total += sizes[version_id][1]
        if total >= share:  # the batch holds its share
            batches.append([])
            total = 0
    batches = [b for b in batches if b]
    labelled = []
    for ids in batches:
        first, last = sizes[ids[0]][0], sizes[ids[-1]][0]
        label = first if len(ids) == 1 else f"{first} … {last} ({len(ids)})"
        labelled.append({"label": label, "version_ids": ids})
    logger.info(
        "%s: %d versions to validate, in %d batches of about %.1f MB of work each",
        period,
        len(version_ids),
        len(batches),
        share / 1e6,
    )
    return labelled


def stage_version(version_id: int, settings: Settings | None = None) -> dict[str, Any]:
    """Parse a version's archived files and COPY every row into kcn_raw (replacing a re-run).

    What stops reading (fatal findings) is recorded at once, so validation knows it. A
    version that already has an outcome is left as judged. Anything that goes wrong reading
    or staging this version becomes its finding (the technical detail kept with it), never a
    failed step.
    """
    # pandas: loaded by the steps that read files, not by every task that imports pipeline
    from kcn.intake import stage
    from kcn.intake.parse import parse_files
    from kcn.intake.tables import Limits, ParsedSubmission
    from kcn.validation import rules

    settings = settings or get_settings()
    url = warehouse_url(settings)
    with connect(url) as conn, conn.cursor() as cur:
        submitter, period, _, files, received_at, outcome = _version(cur, version_id)
    result: dict[str, object] = {
        "version_id": version_id,
        "submitter_code": submitter,
        "period": period,
    }
    if outcome is not None:
        logger.info("version %s is already judged (%s): not staged again", version_id, outcome)
        return {**result, "rows": {}, "fatal": outcome == "rejected", "outcome": outcome}
    with locks.month_lock(url, period, shared=True), connect(url) as conn, conn.cursor() as cur:
        locks.version_lock(cur, version_id)
        cur.execute(
            "select outcome from kcn_audit.submission_version where version_id = %s",
            (version_id,),
        )
        [outcome] = cur.fetchone() or (None,)
        if outcome is not None:  # judged meanwhile by another run
            return {**result, "rows": {}, "fatal": outcome == "rejected", "outcome": outcome}
        paths = _archived_paths(files, settings)
        refused = {f["name"]: f["kind"] for f in files if "kind" in f}
        limits = Limits(settings.max_file_bytes, settings.max_rows)
        cur.execute("savepoint staging")
        try:
            parsed = parse_files(
                paths, submitter, period, limits=limits, received_at=received_at, refused=refused
            )
            counts = stage.stage_version(cur, version_id, parsed)
            findings = rules.reading_findings(parsed)
        except GONE:
            raise
        except Exception as exc:  # one version's surprise must not stop the month
            logger.exception("version %s could not be read or staged", version_id)
            cur.execute("rollback to savepoint staging")
            stage.stage_version(cur, version_id, ParsedSubmission(submitter, period, None, None))
            counts = {"indicators": 0, "enterprises": 0}
            findings = [_unexpected(exc)]
        record.record_findings(cur, version_id, findings)
        cur.execute(
            "update kcn_audit.submission_version set staged_at = now() where version_id = %s",
            (version_id,),
        )
    return {**result, "rows": counts, "fatal": bool(findings)}


def _unexpected(exc: BaseException, file: str | None = None) -> Finding:
    """The finding of an exception no rule expected: the version is rejected with a message
    that says what to do; the exception is kept as the finding's detail and in the log."""
    from kcn.intake.tables import problem
    from kcn.validation import rules

    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
    return rules.finding_of(
        problem("E_FILE_UNREADABLE", file=file, reason="unexpected", detail=detail)
    )


def validate_versions(
    version_ids: list[int],
    settings: Settings | None = None,
) -> list[dict[str, Any]]:
    """Validate staged versions together (one GX run per table), record outcomes, findings and
    every expectation's result per version, update which version is in force, and write each
    submitter's findings report."""
    # GX is heavy: load it only where validation runs
    from kcn.intake import stage
    from kcn.intake.tables import READ_RULES, ParsedSubmission
    from kcn.validation import feedback
    from kcn.validation.context import load_history
    from kcn.validation.validate import judge_many

    settings = settings or get_settings()
    if not version_ids:
        return []
    url = warehouse_url(settings)
    with connect(url) as conn, conn.cursor() as cur:
        periods = sorted({_version(cur, v)[1] for v in version_ids})
        cur.execute(
            "select version_id from kcn_audit.submission_version where version_id = any(%s)"
            " and outcome is null and staged_at is null",
            (list(version_ids),),
        )
        never_staged = [row[0] for row in cur.fetchall()]
    for version_id in never_staged:  # validation run alone: read the files first
        stage_version(version_id, settings)
    with _month_locks(url, periods), connect(url) as conn, conn.cursor() as cur:
        # The history rules sort three years of a board's figures: in memory, not on disk.
        cur.execute("set local work_mem = '64MB'")
        staged = stage.read_staged(cur, version_ids)
        items, meta, results = [], [], []
        for version_id in version_ids:
            submitter, period, version_no, files, received_at, outcome = _version(cur, version_id)
            if outcome is not None:  # judged already (a re-run, another run): left as it is
                results.append(_judged(cur, version_id, submitter, period, version_no, outcome))
                continue
            indicators, enterprises = staged.get(version_id, (None, None))
            parsed = ParsedSubmission(
                submitter, period, indicators, enterprises, received_at=received_at
            )
            read_findings = record.read_findings(cur, version_id, READ_RULES)
            try:
                history = load_history(cur, submitter, period, received_at)
            except GONE:
                raise
            except Exception as exc:
                logger.exception("history of version %s could not be read", version_id)
                cur.connection.rollback()
                cur.execute("set local work_mem = '64MB'")
                read_findings, history = [*read_findings, _unexpected(exc)], None
            items.append((parsed, read_findings, history))
            meta.append((version_id, submitter, period, version_no, files))
        run_id, validated_at = uuid.uuid4().hex, datetime.now(UTC)
        all_findings, all_checks = _judge_isolated(items, settings.late_day, judge_many)
        for (version_id, submitter, period, version_no, files), findings, checks in zip(
            meta, all_findings, all_checks, strict=True
        ):
            outcome = outcome_of(findings)
            record.record_findings(cur, version_id, findings)
            record.record_checks(cur, version_id, run_id, validated_at, checks)
            record.set_outcome(cur, version_id, outcome)
            record.update_supersession(cur, submitter, period)
            try:
                feedback.write_feedback(
                    settings.outbox,
                    period,
                    submitter,
                    version_no,
                    outcome,
                    findings,
                    _archived_paths(files, settings),
                )
            except Exception:  # the outcome stands; the report is written again on demand
                logger.exception("feedback of version %s could not be written", version_id)
                feedback.write_findings_csv(
                    settings.outbox, period, submitter, version_no, outcome, findings
                )
            logger.info(
                "%s %s v%s: %s (%d findings)", submitter, period, version_no, outcome, len(findings)
            )
            results.append(
                {
                    "version_id": version_id,
                    "submitter_code": submitter,
                    "period": period,
                    "version_no": version_no,
                    "outcome": outcome,
                    "findings": len(findings),
                }
            )
    return results


def _judge_isolated(
    items: list, late_day: int, judge_many: Any
) -> tuple[list[list[Finding]], list[list[Any]]]:
    """judge_many on all items together; if that raises, each item alone, so that only the
    item that raises gets the finding of its exception (and no check results) and the others
    their own."""
    try:
        return judge_many(items, late_day=late_day)
    except GONE:
        raise
    except Exception:
        logger.exception("validating %d versions together failed: one by one", len(items))
    findings: list[list[Finding]] = []
    checks: list[list[Any]] = []
    for parsed, read_findings, history in items:
        try:
            one_findings, one_checks = judge_many(
                [(parsed, read_findings, history)], late_day=late_day
            )
        except GONE:
            raise
        except Exception as exc:
            logger.exception(
                "%s %s could not be validated", parsed.folder_submitter, parsed.folder_period
            )
            findings.append([*read_findings, _unexpected(exc)])
            checks.append([])
            continue
        findings += one_findings
        checks += one_checks
    return findings, checks


def _judged(
    cur: Any, version_id: int, submitter: str, period: str, version_no: int, outcome: str
) -> dict[str, object]:
    cur.execute("select count(*) from kcn_audit.finding where version_id = %s", (version_id,))
    return {
        "version_id": version_id,
        "submitter_code": submitter,
        "period": period,
        "version_no": version_no,
        "outcome": outcome,
        "findings": cur.fetchone()[0],
    }


class _month_locks:  # noqa: N801 - used as a context manager, like the locks it holds
    """The month locks of several months, taken in order (no deadlock between runs)."""

    def __init__(self, url: str, periods: list[str]) -> None:
        from contextlib import ExitStack

        self._stack = ExitStack()
        self._locks = [locks.month_lock(url, p) for p in sorted(periods)]

    def __enter__(self) -> None:
        for lock in self._locks:
            self._stack.enter_context(lock)

    def __exit__(self, *exc: object) -> None:
        self._stack.close()


def stage_versions(version_ids: list[int], settings: Settings | None = None) -> dict[str, Any]:
    """Stage a batch of versions in this one process, each as `stage_version` does.

    A version that already has an outcome is left as it is: running the batch again (an
    operator clearing the task) changes nothing that validation has judged.
    """
    settings = settings or get_settings()
    pending = set(pending_versions(version_ids, settings))
    rows: Counter[str] = Counter()
    submitters, fatal = [], []
    for version_id in version_ids:
        if version_id not in pending:
            continue
        staged = stage_version(version_id, settings)
        rows.update(cast(dict[str, int], staged["rows"]))
        submitters.append(str(staged["submitter_code"]))
        if staged["fatal"]:
            fatal.append(str(staged["submitter_code"]))
    result = {
        "versions": len(version_ids),
        "staged": len(submitters),
        "already_judged": len(version_ids) - len(submitters),
        "submitters": submitters,
        "fatal": fatal,
        "rows": dict(rows),
    }
    logger.info(
        "staged %d of %d versions (%d already judged, left as they were):"
        " %d indicator rows, %d enterprise rows; unreadable: %s",
        result["staged"],
        result["versions"],
        result["already_judged"],
        rows["indicators"],
        rows["enterprises"],
        ", ".join(fatal) or "none",
    )
    return result


def validate_new_versions(
    version_ids: list[int], settings: Settings | None = None
) -> list[dict[str, Any]]:
    """`validate_versions` of those of `version_ids` that have no outcome yet: running it
    again judges nothing twice, and an empty result means nothing changed."""
    settings = settings or get_settings()
    pending = pending_versions(version_ids, settings)
    results = validate_versions(pending, settings) if pending else []
    outcomes = Counter(str(r["outcome"]) for r in results)
    logger.info(
        "validated %d versions (%s), %d findings; %d already judged",
        len(results),
        ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) or "none new",
        sum(cast(int, r["findings"]) for r in results),
        len(version_ids) - len(pending),
    )
    return results


def pending_versions(version_ids: list[int], settings: Settings | None = None) -> list[int]:
    """Those of `version_ids` that have no outcome yet, in the order given."""
    if not version_ids:
        return []
    with connect(warehouse_url(settings)) as conn, conn.cursor() as cur:
        cur.execute(
            "select version_id from kcn_audit.submission_version"
            " where version_id = any(%s) and outcome is null",
            (list(version_ids),),
        )
        pending = {row[0] for row in cur.fetchall()}
    return [v for v in version_ids if v in pending]


def process_version(version_id: int, settings: Settings | None = None) -> dict[str, Any]:
    """Stage and validate one version (repairs, tests)."""
    stage_version(version_id, settings)
    return validate_versions([version_id], settings)[0]


def month_summary(period: str, settings: Settings | None = None) -> dict[str, Any]:
    """What arrived for a month, what was expected, the outcomes of the versions, its
    completeness, and what in the landing area is not taken in."""
    check_period(period)
    settings = settings or get_settings()
    with connect(warehouse_url(settings)) as conn, conn.cursor() as cur:
        return status.month_summary(cur, period, settings.late_day)


def remind(
    period: str, settings: Settings | None = None, now: datetime | None = None
) -> list[dict[str, Any]]:
    """After the month's deadline: a bilingual reminder to every submitter whose report is
    missing or rejected only, in the outbox and by e-mail when SMTP is configured; each is
    written and sent once (kcn_audit.reminder)."""
    from kcn.reports import reminders

    settings = settings or get_settings()
    if not is_period(period):
        raise ValueError(f"period must be YYYY-MM, got {period!r}")
    with connect(warehouse_url(settings)) as conn:
        return reminders.remind(
            conn,
            period,
            settings.outbox,
            settings.late_day,
            settings.smtp,
            now or datetime.now(UTC),
        )


def run_dbt(args: list[str] | None = None, settings: Settings | None = None) -> None:
    """One dbt command; one at a time on a warehouse (the second waits)."""
    settings = settings or get_settings()
    url = warehouse_url(settings)
    with locks.dbt_lock(url):
        dbt_command.run_dbt(args or ["build"], url=url, settings=settings)


def ingest(
    periods: list[str] | None = None,
    landing_dir: Path | None = None,
    run_dbt_after: bool = True,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Every step for several months without Airflow (repairs, scripts, tests); the
    months default to every month in the landing area."""
    from rich.progress import Progress

    settings = settings or get_settings()
    if landing_dir is not None:
        settings = replace(settings, landing=landing_dir)
    for period in periods or []:
        check_period(period)
    prepare_warehouse(settings)
    if periods is None:  # every month folder: with submissions, or with what is not one
        found = landing.scan(settings.landing)
        periods = sorted(
            {f.parent.name for f in found.folders} | {i.period for i in found.issues if i.period}
        )
    outcomes: dict[str, int] = {}
    with Progress(transient=True) as progress:
        task = progress.add_task("intake / tiếp nhận", total=len(periods))
        for period in periods:
            version_ids = intake_month(period, settings)
            for version_id in version_ids:
                stage_version(version_id, settings)
            for result in validate_versions(version_ids, settings):
                outcomes[str(result["outcome"])] = outcomes.get(str(result["outcome"]), 0) + 1
            progress.advance(task)
    if run_dbt_after:
        run_dbt(["build"], settings)
    return {"periods": len(periods), "outcomes": outcomes, **warehouse_counts(settings)}


def write_audit_report(period: str, settings: Settings | None = None) -> Path:
    """Write the month's audit report (reports/audit_report.py) under <outbox>/audit."""
    from kcn.reports import audit_report

    settings = settings or get_settings()
    with connect(warehouse_url(settings)) as conn, conn.cursor() as cur:
        return audit_report.write_report(cur, period, settings.outbox / "audit")


def build_data_docs(period: str, settings: Settings | None = None) -> Path:
    """GX Data Docs of the month's kept GX results, under <outbox>/audit/gx-<period>."""
    from kcn.validation import data_docs

    settings = settings or get_settings()
    with connect(warehouse_url(settings)) as conn, conn.cursor() as cur:
        return data_docs.build_data_docs(cur, period, settings.outbox / "audit" / f"gx-{period}")


def write_audit_reports(settings: Settings | None = None) -> list[Path]:
    """The audit reports of the months the latest transform rebuilt (or the latest month)."""
    from kcn.reports import audit_report

    settings = settings or get_settings()
    with connect(warehouse_url(settings)) as conn, conn.cursor() as cur:
        return [
            audit_report.write_report(cur, period, settings.outbox / "audit")
            for period in audit_report.touched_periods(cur)
        ]


def warehouse_counts(settings: Settings | None = None) -> dict[str, int]:
    with connect(warehouse_url(settings)) as conn, conn.cursor() as cur:
        return status.warehouse_counts(cur)


def _archived_paths(files: list[dict], settings: Settings) -> dict[str, Path]:
    """The archive copy of each file the pipeline reads, by its name as submitted."""
    from kcn.intake.tables import is_submission_file

    return {
        f["name"]: settings.archive / f["archive_path"]
        for f in files
        if "archive_path" in f and is_submission_file(f["name"])
    }


def _version(cur: Any, version_id: int) -> tuple:
    cur.execute(
        "select submitter_code, period, version_no, files, received_at, outcome"
        " from kcn_audit.submission_version where version_id = %s",
        (version_id,),
    )
    row = cur.fetchone()
    if row is None:
        raise LookupError(f"no submission version {version_id}")
    return row


def dump_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
