"""
### KCN monthly intake

Takes in the submissions of one **reporting month** M, validates every new version and
records its outcome, then, if anything changed, announces the asset
`kcn://warehouse/raw_submissions`, which starts `kcn_transform` (dbt).

**When.** Submissions for month M are due by the 10th of M+1 (23:59 Asia/Ho_Chi_Minh), so
the DAG runs at 02:00 on the 11th (Vietnam) and works on the month *before* its run date:
the run of 2024-04-11 processes 2024-03. Late or corrected submissions are picked up by
running the month again; every task is idempotent (a version already validated is neither
staged nor validated again).

**Unpausing** runs the latest month that is due at once (e.g. unpaused on 2024-04-20, the
run of 2024-04-11, month 2024-03), then one run on each 11th; `catchup` is off, so it never
queues the months before. That run is harmless: a month already taken in finds nothing
new, announces nothing, and dbt does not run.

**Repairs.** Trigger with `{"period": "YYYY-MM"}` to process any month regardless of the
run's date. Load history with a backfill, one month at a time (a backfill has its own
`--max-active-runs`, 10 unless given: the DAG's `max_active_runs` does not bind it, and
the history rules must see each month judged before the next). A backfill selects runs by
their date, the 11th of the month *after* the reporting month, 02:00 in Vietnam (19:00 UTC
on the 10th): give the first and last day of the months after, e.g. for 2020-01 to 2025-12

    airflow backfill create --dag-id kcn_monthly_intake --max-active-runs 1 \
        --from-date 2020-02-01 --to-date 2026-01-31

Clearing any task, alone or with its downstream tasks, leaves the month as a clean run
leaves it.

**Tasks.** `reporting_period` and `prepare_warehouse` (schema and reference data) →
`intake` (archive and register new versions; those still to validate cut into about one
batch per 50 versions, each an equal share of the work) →
`stage_versions` (mapped over the batches, named by their first and last submitter: parses
each version's archived files and COPYs every row into the raw layer) → `validate` (the
month's new versions in one Great Expectations run; a bad file is a `rejected` outcome,
not a failed task) → `summarise` (counts by outcome; emits the asset only when this run
judged a version, and is skipped otherwise) → `remind` (a bilingual reminder to each
submitter still missing or rejected only, in the outbox and by e-mail; not in a repair or
backfill of a named month).
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pendulum
from airflow.sdk import Asset, CronTriggerTimetable, Param, dag, task

from kcn.contract import RAW_SUBMISSIONS_URI
from kcn.period import PERIOD_PATTERN, VN_TZ_NAME

RAW_SUBMISSIONS = Asset(RAW_SUBMISSIONS_URI)
# One staging task per batch: a task is a process, and its start costs more than staging
# a submission does (about 25 ms), so a national month is nine tasks, not 450.
BATCH_SIZE = 50

logger = logging.getLogger(__name__)


@dag(
    dag_id="kcn_monthly_intake",
    schedule=CronTriggerTimetable("0 2 11 * *", timezone=VN_TZ_NAME),  # 02:00 on the 11th
    start_date=pendulum.datetime(2020, 2, 1, tz=VN_TZ_NAME),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
    params={
        "period": Param(
            None,
            type=["null", "string"],
            pattern=PERIOD_PATTERN,
            description="Reporting month YYYY-MM; empty: the month before the run's date.",
        )
    },
    tags=["kcn", "intake"],
    doc_md=__doc__,
)
def kcn_monthly_intake():
    @task
    def reporting_period(params=None, logical_date=None, dag_run=None) -> str:
        """The `period` param, else the calendar month before the run's date (in Vietnam)."""
        if params and params.get("period"):
            logger.info("reporting month %s, as the run's period param says", params["period"])
            return params["period"]
        run_date = pendulum.instance(logical_date or dag_run.run_after).in_timezone(VN_TZ_NAME)
        period = run_date.subtract(months=1).format("YYYY-MM")
        logger.info("reporting month %s, the month before the run's date %s", period, run_date)
        return period

    @task
    def prepare_warehouse() -> None:
        from kcn import pipeline

        pipeline.prepare_warehouse()
        logger.info("warehouse schemas and reference data are in place")

    @task
    def intake(period: str) -> list[dict]:
        from kcn import pipeline

        return pipeline.intake_batches(period, BATCH_SIZE)

    @task(
        max_active_tis_per_dagrun=4,
        map_index_template="{{ task.op_kwargs['batch']['label'] }}",
    )
    def stage_versions(batch: dict) -> dict:
        from kcn import pipeline

        return pipeline.stage_versions(list(batch["version_ids"]))

    # One GX run for the month's versions: its cost is per run, not per row.
    @task(trigger_rule="none_failed")
    def validate(batches: list[dict]) -> list[dict]:
        from kcn import pipeline

        return pipeline.validate_new_versions([v for b in batches for v in b["version_ids"]])

    # none_failed: a month with no new versions skips the mapped task but is still summarised.
    @task(trigger_rule="none_failed", outlets=[RAW_SUBMISSIONS])
    def summarise(period: str, validated: list[dict]) -> dict:
        from airflow.sdk.exceptions import AirflowSkipException

        from kcn import pipeline

        summary = pipeline.month_summary(period)
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(summary["outcomes"].items()))
        logger.info(
            "%s: %d versions (%s); %d of %d expected submitters have sent nothing",
            period,
            len(summary["versions"]),
            outcomes or "none",
            len(summary["missing"]),
            len(summary["expected"]),
        )
        if not validated:
            # a skipped task emits no asset event: kcn_transform does not run for nothing
            raise AirflowSkipException(
                f"{period}: no version judged by this run, nothing changed: no asset event"
            )
        logger.info("%d versions judged by this run: asset event for kcn_transform", len(validated))
        return summary

    # After the deadline: a reminder to each submitter still missing (none in a repair or
    # backfill of a named past month).
    @task(trigger_rule="none_failed")
    def remind(period: str, params=None, dag_run=None) -> list[dict]:
        from kcn import pipeline

        if (params and params.get("period")) or dag_run.run_type == "backfill":
            return []
        return pipeline.remind(period)

    period = reporting_period()
    batches = intake(period)
    prepare_warehouse() >> batches
    staged = stage_versions.expand(batch=batches)
    validated = validate(batches)
    staged >> validated
    summarise(period, validated) >> remind(period)


kcn_monthly_intake()
