"""
### KCN transform

Builds the dbt project (`dbt build`: staging → intermediate → marts, with their tests)
whenever `kcn_monthly_intake` announces new validated submissions through the asset
`kcn://warehouse/raw_submissions`, then announces `kcn://warehouse/marts` and writes the
audit report of each month the run rebuilt (`<outbox>/audit/kcn-audit-<YYYY-MM>.html`).

Only versions in force reach the marts: the latest accepted version of each
(submitter, month). One task runs the whole build: the project is small, and a single
`dbt build` is faster than one Airflow task per model. Nothing runs dbt when the file
is parsed.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, dag, task

from kcn.contract import MARTS_URI, RAW_SUBMISSIONS_URI
from kcn.period import VN_TZ_NAME

RAW_SUBMISSIONS = Asset(RAW_SUBMISSIONS_URI)
MARTS = Asset(MARTS_URI)


@dag(
    dag_id="kcn_transform",
    schedule=[RAW_SUBMISSIONS],
    start_date=pendulum.datetime(2020, 2, 1, tz=VN_TZ_NAME),
    catchup=False,  # asset-scheduled: runs on asset events, never on dates
    max_active_runs=1,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=5)},
    tags=["kcn", "dbt"],
    doc_md=__doc__,
)
def kcn_transform():
    @task(outlets=[MARTS])
    def dbt_build() -> None:
        from kcn import pipeline

        pipeline.run_dbt(["build"])

    @task
    def audit_report() -> list[str]:
        from kcn import pipeline

        return [str(path) for path in pipeline.write_audit_reports()]

    dbt_build() >> audit_report()


kcn_transform()
