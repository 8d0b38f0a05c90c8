"""The monthly pipeline's steps, called by the Airflow DAGs and the CLI.

    prepare_warehouse -> intake_month -> stage_version (each) -> validate_versions -> run_dbt

Each step works on a fixed partition (a month, a version) and can run twice with the same
result. This is the one module that calls every stage: the stages themselves only import
what comes before them in the flow.

The DAG's tasks work on batches (`stage_versions`, `validate_new_versions`): a task is a
process of its own, so its fixed cost is paid once for many versions. Reading files needs
pandas, validating needs Great Expectations, building needs dbt: each is imported by the
step that needs it, so a task that only registers or counts starts in a fraction of a
second.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from kcn.intake import archive, landing, registry
from kcn.period import is_period
from kcn.reports import status
from kcn.settings import Settings, get_settings
from kcn.transform import dbt_command
from kcn.validation import record
from kcn.validation.findings import outcome_of
from kcn.warehouse import schema
from kcn.warehouse.connection import connect, warehouse_url

logger = logging.getLogger(__name__)


def prepare_warehouse(settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    with connect(warehouse_url(settings)) as conn:
        schema.ensure_schema(conn, settings.reference_dir)


def intake_month(period: str, settings: Settings | None = None) -> list[int]:
    """Archive and register every new version in `<landing>/<period>`; return those to validate."""
    settings = settings or get_settings()
    if not is_period(period):
        raise ValueError(f"period must be YYYY-MM, got {period!r}")
    with connect(warehouse_url(settings)) as conn, conn.cursor() as cur:
        for folder in landing.submission_folders(settings.landing, period):
            version = landing.read_folder(folder)
            archive.archive(version, settings.archive)
            registry.register(cur, version)
            conn.commit()  # each registered version is safe before the next is read
        cur.execute(
            "select version_id from kcn_audit.submission_version"
            " where period = %s and outcome is null order by submitter_code, version_no",
            (period,),
        )
        return [row[0] for row in cur.fetchall()]


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


def stage_version(version_id: int, settings: Settings | None = None) -> dict[str, object]:
    """Parse a version's archived files and COPY every row into kcn_raw (replacing a re-run).

    What stops reading (fatal findings) is recorded at once, so validation knows it.
    """
    # pandas: loaded by the steps that read files, not by every task that imports pipeline
    from kcn.intake import stage
    from kcn.intake.parse import parse_files
    from kcn.intake.tables import Limits
    from kcn.validation import rules

    settings = settings or get_settings()
    with connect(warehouse_url(settings)) as conn, conn.cursor() as cur:
        submitter, period, _, files, received_at = _version(cur, version_id)
        paths = _archived_paths(files, settings)
        limits = Limits(settings.max_file_bytes, settings.max_rows)
        parsed = parse_files(paths, submitter, period, limits=limits, received_at=received_at)
        counts = stage.stage_version(cur, version_id, parsed)
        record.record_findings(cur, version_id, rules.reading_findings(parsed))
        record.set_outcome(cur, version_id, None)
    return {
        "version_id": version_id,
        "submitter_code": submitter,
        "period": period,
        "rows": counts,
        "fatal": parsed.fatal,
    }


def validate_versions(
    version_ids: list[int],
    settings: Settings | None = None,
) -> list[dict[str, object]]:
    """Validate staged versions together (one GX run per table), record outcomes and findings,
    update which version is in force, and write each submitter's findings report."""
    # GX is heavy: load it only where validation runs
    from kcn.intake import stage
    from kcn.intake.tables import READ_RULES, ParsedSubmission
    from kcn.validation import feedback
    from kcn.validation.context import load_history
    from kcn.validation.validate import validate_many

    settings = settings or get_settings()
    if not version_ids:
        return []
    with connect(warehouse_url(settings)) as conn, conn.cursor() as cur:
        # The history rules sort three years of a board's figures: in memory, not on disk.
        cur.execute("set local work_mem = '64MB'")
        staged = stage.read_staged(cur, version_ids)
        items, meta = [], []
        for version_id in version_ids:
            submitter, period, version_no, files, received_at = _version(cur, version_id)
            indicators, enterprises = staged.get(version_id, (None, None))
            parsed = ParsedSubmission(
                submitter, period, indicators, enterprises, received_at=received_at
            )
            read_findings = record.read_findings(cur, version_id, READ_RULES)
            items.append((parsed, read_findings, load_history(cur, submitter, period, received_at)))
            meta.append((version_id, submitter, period, version_no, files))
        all_findings = validate_many(items, late_day=settings.late_day)
        results = []
        for (version_id, submitter, period, version_no, files), findings in zip(
            meta, all_findings, strict=True
        ):
            outcome = outcome_of(findings)
            record.record_findings(cur, version_id, findings)
            record.set_outcome(cur, version_id, outcome)
            record.update_supersession(cur, submitter, period)
            feedback.write_feedback(
                settings.outbox,
                period,
                submitter,
                version_no,
                outcome,
                findings,
                _archived_paths(files, settings),
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


def process_version(version_id: int, settings: Settings | None = None) -> dict[str, object]:
    """Stage and validate one version (repairs, tests)."""
    stage_version(version_id, settings)
    return validate_versions([version_id], settings)[0]


def month_summary(period: str, settings: Settings | None = None) -> dict[str, object]:
    """What arrived for a month, what was expected, and the outcomes of the versions."""
    with connect(warehouse_url(settings)) as conn, conn.cursor() as cur:
        return status.month_summary(cur, period)


def run_dbt(args: list[str] | None = None, settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    dbt_command.run_dbt(args or ["build"], url=warehouse_url(settings), settings=settings)


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
    prepare_warehouse(settings)
    if periods is None:
        periods = sorted({f.parent.name for f in landing.submission_folders(settings.landing)})
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


def warehouse_counts(settings: Settings | None = None) -> dict[str, int]:
    with connect(warehouse_url(settings)) as conn, conn.cursor() as cur:
        return status.warehouse_counts(cur)


def _archived_paths(files: list[dict], settings: Settings) -> dict[str, Path]:
    """The archive copy of each file the pipeline reads, by its name as submitted."""
    from kcn.intake.tables import is_submission_file

    return {
        f["name"]: settings.archive / f["archive_path"]
        for f in files
        if is_submission_file(f["name"])
    }


def _version(cur: Any, version_id: int) -> tuple:
    cur.execute(
        "select submitter_code, period, version_no, files, received_at"
        " from kcn_audit.submission_version where version_id = %s",
        (version_id,),
    )
    row = cur.fetchone()
    if row is None:
        raise LookupError(f"no submission version {version_id}")
    return row


def dump_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
