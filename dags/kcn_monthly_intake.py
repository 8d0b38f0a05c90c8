"""
### KCN monthly intake

Takes in the submissions of one **reporting month** M, validates every new version and
records its outcome, then announces the asset `kcn://warehouse/raw_submissions`, which
starts `kcn_transform` (dbt).

**When.** Submissions for month M are due by the 10th of M+1 (23:59 Asia/Ho_Chi_Minh), so
the DAG runs at 02:00 on the 11th and works on the month *before* its logical date: the
run of 2024-04-11 processes 2024-03. Late or corrected submissions are picked up by
running the month again; every task is idempotent (a version already validated is not
validated twice).

**Repairs.** Trigger with `{"period": "YYYY-MM"}` to process any month regardless of the
run's date. `catchup` is off on purpose: enabling the DAG must not queue five years of
runs. Load history explicitly, e.g.
`airflow backfill create --dag-id kcn_monthly_intake --from-date 2020-02-11 --to-date 2026-01-11`.

**Tasks.** `reporting_period` and `prepare_warehouse` (schema and reference data) →
`intake` (archive new versions, return the ids still to validate) →
`stage_version` (mapped: one task instance per submission version parses its archived
files and COPYs every row into the raw layer) → `validate` (the month's new versions in one
Great Expectations run; a bad file is a `rejected` outcome, not a failed task) →
`summarise` (counts by outcome, emits the asset) → `remind` (a bilingual reminder to each
submitter still missing or rejected only, in the outbox and by e-mail; not in a repair
or backfill of a named month).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, CronTriggerTimetable, Param, dag, task

from kcn.contract import RAW_SUBMISSIONS_URI
from kcn.period import PERIOD_PATTERN, VN_TZ_NAME

RAW_SUBMISSIONS = Asset(RAW_SUBMISSIONS_URI)


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
            return params["period"]
        run_date = pendulum.instance(logical_date or dag_run.run_after).in_timezone(VN_TZ_NAME)
        return run_date.subtract(months=1).format("YYYY-MM")

    @task
    def prepare_warehouse() -> None:
        from kcn import pipeline

        pipeline.prepare_warehouse()

    @task
    def intake(period: str) -> list[int]:
        from kcn import pipeline

        return pipeline.intake_month(period)

    @task(max_active_tis_per_dagrun=4)
    def stage_version(version_id: int) -> dict:
        from kcn import pipeline

        return pipeline.stage_version(version_id)

    # One GX run for the month's versions: its cost is per run, not per row.
    @task(trigger_rule="none_failed")
    def validate(version_ids: list[int]) -> list[dict]:
        from kcn import pipeline

        return pipeline.validate_versions(list(version_ids))

    # none_failed: a month with no new versions skips the mapped task but is still summarised.
    @task(trigger_rule="none_failed", outlets=[RAW_SUBMISSIONS])
    def summarise(period: str) -> dict:
        from kcn import pipeline

        return pipeline.month_summary(period)

    # After the deadline: a reminder to each submitter still missing (none in a repair or
    # backfill of a named past month).
    @task(trigger_rule="none_failed")
    def remind(period: str, params=None, dag_run=None) -> list[dict]:
        from kcn import pipeline

        if (params and params.get("period")) or dag_run.run_type == "backfill":
            return []
        return pipeline.remind(period)

    period = reporting_period()
    version_ids = intake(period)
    prepare_warehouse() >> version_ids
    staged = stage_version.expand(version_id=version_ids)
    staged >> validate(version_ids) >> summarise(period) >> remind(period)


kcn_monthly_intake()
