"""The DAGs under a real Airflow: api-server, scheduler, dag-processor and triggerer as
processes of their own (kcn.live_airflow), a PostgreSQL metadata database made for the test,
months triggered and tasks cleared through the REST API with a token, as an operator does.

One test on the LocalExecutor, one on the CeleryExecutor with a worker and a Redis server
that the test starts itself. Both run in one xdist group: each keeps both cores busy.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import sql

from kcn import live_airflow
from kcn.warehouse import connection as warehouse
from tests.conftest import write_submission

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.xdist_group("scheduler")]

INTAKE, TRANSFORM = "kcn_monthly_intake", "kcn_transform"
RAW_SUBMISSIONS = "kcn://warehouse/raw_submissions"
MONTH = "2024-03"


@pytest.fixture
def databases() -> Iterator[dict[str, str]]:
    """A warehouse and an Airflow metadata database, both fresh, dropped at the end."""
    server = os.environ.get("KCN_TEST_DATABASE_URL") or warehouse.server_url()
    tag = uuid.uuid4().hex[:10]
    names = {"warehouse": f"kcn_test_sched_wh_{tag}", "metadata": f"kcn_test_sched_af_{tag}"}
    for name in names.values():
        warehouse.ensure_database(server, name)
    base = server.rsplit("/", 1)[0]
    yield {key: f"{base}/{name}" for key, name in names.items()}
    conn = psycopg2.connect(server)
    conn.autocommit = True
    with conn.cursor() as cur:
        for name in names.values():
            cur.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )
    conn.close()


@pytest.fixture
def kcn_env(tmp_path: Path, databases: dict[str, str]) -> dict[str, str]:
    """What the components' tasks read: the warehouse, landing, archive, outbox, dbt paths;
    and a month of three submissions in the landing area (one is rejected)."""
    landing = tmp_path / "landing"
    write_submission(
        landing,
        MONTH,
        "BQL-HN",
        [{"zone_code": "KCN-HN-NOIBAI", "metric_code": "inv_new_projects", "value": "2"}],
    )
    write_submission(
        landing,
        MONTH,
        "BQL-HNA",
        [{"zone_code": "KCN-HNA-DONGVAN1", "metric_code": "inv_new_project", "value": "7"}],
    )
    write_submission(
        landing,
        MONTH,
        "UBND-HN-SOCSON",
        [
            {
                "zone_code": "KCN-HN-NOIBAI",
                "metric_code": "saf_fire_incidents",
                "value": "1",
                "unit": "CASE",
            }
        ],
    )
    return {
        "KCN_WAREHOUSE_URL": databases["warehouse"],
        "KCN_LANDING": str(landing),
        "KCN_ARCHIVE": str(tmp_path / "archive"),
        "KCN_OUTBOX": str(tmp_path / "outbox"),
        "DBT_TARGET_PATH": str(tmp_path / "dbt" / "target"),
        "DBT_LOG_PATH": str(tmp_path / "dbt" / "logs"),
    }


def _query(url: str, statement: str) -> list[tuple]:
    with warehouse.connect(url) as conn, conn.cursor() as cur:
        cur.execute(statement)
        return cur.fetchall()


def _state(url: str, *, marts: bool = True) -> dict[str, list[tuple]]:
    """What a month's run leaves behind: outcomes (and when judged), findings, mart rows."""
    state = {
        "versions": _query(
            url,
            "select submitter_code, version_no, outcome, validated_at, superseded_by"
            " from kcn_audit.submission_version order by 1, 2",
        ),
        "findings": _query(
            url,
            "select v.submitter_code, f.rule_id, count(*) from kcn_audit.finding as f"
            " join kcn_audit.submission_version as v using (version_id)"
            " group by 1, 2 order by 1, 2",
        ),
        "raw": _query(
            url, "select version_id, count(*) from kcn_raw.indicators group by 1 order by 1"
        ),
    }
    if marts:
        state["marts"] = _query(
            url,
            "select 'fct_indicators_monthly', count(*) from marts.fct_indicators_monthly"
            " union all select 'fct_indicator_values', count(*) from marts.fct_indicator_values"
            " union all select 'dim_zone', count(*) from marts.dim_zone",
        )
    return state


def _asset_events(airflow: live_airflow.LiveAirflow) -> int:
    result = airflow.api("GET", "/assets/events", params={"limit": 100})
    return sum(1 for e in result["asset_events"] if e["uri"] == RAW_SUBMISSIONS)


def _states(airflow: live_airflow.LiveAirflow, run_id: str) -> dict[str, list[str]]:
    states: dict[str, list[str]] = {}
    for ti in airflow.task_instances(INTAKE, run_id):
        states.setdefault(ti["task_id"], []).append(ti["state"])
    return states


def _dry_run_backfill(airflow: live_airflow.LiveAirflow) -> subprocess.Popen:
    """The backfill command of the DAG's docs, as a dry run: the runs it would create."""
    return subprocess.Popen(
        [
            live_airflow._airflow_bin(),
            *("backfill", "create", "--dag-id", INTAKE, "--max-active-runs", "1"),
            *("--from-date", "2021-02-01", "--to-date", "2021-04-30", "--dry-run"),
        ],
        env=airflow.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_month_under_the_scheduler_and_an_operator_clearing_tasks(
    tmp_path: Path, databases: dict[str, str], kcn_env: dict[str, str]
) -> None:
    url = databases["warehouse"]
    with live_airflow.start(tmp_path / "airflow", databases["metadata"], env=kcn_env) as airflow:
        airflow.wait_for_dags([INTAKE, TRANSFORM])
        airflow.unpause(TRANSFORM)
        airflow.unpause(INTAKE)
        # Unpausing runs the latest month that is due (nothing landed for it): it must not
        # announce anything, so dbt does not run.
        [unpaused] = airflow.wait_for_runs(INTAKE, 1)
        assert unpaused["run_type"] == "scheduled"
        assert unpaused["state"] == "success"
        assert _states(airflow, unpaused["dag_run_id"])["summarise"] == ["skipped"]
        assert _asset_events(airflow) == 0

        run = airflow.trigger(INTAKE, conf={"period": MONTH})
        backfill = _dry_run_backfill(airflow)
        assert airflow.wait_for_run(INTAKE, run["dag_run_id"])["state"] == "success"
        [transform] = airflow.wait_for_runs(TRANSFORM, 1)
        assert transform["state"] == "success"
        assert transform["run_type"] == "asset_triggered"

        state = _state(url)
        assert [v[:3] for v in state["versions"]] == [
            ("BQL-HN", 1, "accepted"),
            ("BQL-HNA", 1, "rejected"),
            ("UBND-HN-SOCSON", 1, "accepted"),
        ]
        assert state["findings"] == [("BQL-HNA", "E_UNKNOWN_METRIC", 1)]
        facts = _query(
            url,
            "select submitter_code, zone_code, metric_code, value_canonical"
            f" from marts.fct_indicators_monthly where period = '{MONTH}' order by 1",
        )
        assert facts == [
            ("BQL-HN", "KCN-HN-NOIBAI", "inv_new_projects", Decimal("2")),
            ("UBND-HN-SOCSON", "KCN-HN-NOIBAI", "saf_fire_incidents", Decimal("1")),
        ]

        # One staging task for the month's three versions, named by its submitters.
        staging = [
            ti
            for ti in airflow.task_instances(INTAKE, run["dag_run_id"])
            if ti["task_id"] == "stage_versions"
        ]
        assert [ti["rendered_map_index"] for ti in staging] == ["BQL-HN … UBND-HN-SOCSON (3)"]

        # Logs an operator can read: each ends with what the task did, no GX noise, no
        # ERROR line in a dbt build that succeeded.
        stage_log = airflow.task_log(INTAKE, run["dag_run_id"], "stage_versions", 0)
        assert any("staged 3 of 3 versions" in line for line in stage_log)
        validate_log = airflow.task_log(INTAKE, run["dag_run_id"], "validate")
        assert not any("Skipping registering function" in line for line in validate_log)
        assert any("validated 3 versions (accepted 2, rejected 1)" in line for line in validate_log)
        dbt_log = airflow.task_log(TRANSFORM, transform["dag_run_id"], "dbt_build")
        assert [line for line in dbt_log if line.startswith("error")] == []
        assert any("Completed successfully" in line for line in dbt_log)

        # The documented backfill loads the months it names: the first one included.
        output, _ = backfill.communicate(timeout=120)
        assert backfill.returncode == 0, output
        run_dates = [line.split("|")[1].strip() for line in output.splitlines() if "| 20" in line]
        assert run_dates == [f"2021-0{m}-10 19:00:00+00:00" for m in (2, 3, 4)]  # 2021-01..03

        # An operator clears one task, without its downstream tasks (the API's default
        # apart from only_failed), then a task with them: the month ends as it was.
        events = _asset_events(airflow)
        for task_id, downstream in (("stage_versions", False), ("validate", True)):
            airflow.clear(INTAKE, run["dag_run_id"], [task_id], include_downstream=downstream)
            assert airflow.wait_for_run(INTAKE, run["dag_run_id"])["state"] == "success"
            assert _state(url) == state, f"clearing {task_id} changed the month"
        assert _states(airflow, run["dag_run_id"])["summarise"] == ["skipped"]
        assert _asset_events(airflow) == events
        assert len(airflow.runs(TRANSFORM)) == 1


def test_a_month_on_celery_workers(
    tmp_path: Path, databases: dict[str, str], kcn_env: dict[str, str]
) -> None:
    """The intake's tasks run on a Celery worker (kcn_transform stays paused: dbt under the
    scheduler is the test above's)."""
    with live_airflow.start(
        tmp_path / "airflow", databases["metadata"], env=kcn_env, executor="CeleryExecutor"
    ) as airflow:
        airflow.wait_for_dags([INTAKE, TRANSFORM])
        airflow.unpause(INTAKE)
        run = airflow.trigger(INTAKE, conf={"period": MONTH})

        runs = {r["dag_run_id"]: r for r in airflow.wait_for_runs(INTAKE, 2)}
        assert runs[run["dag_run_id"]]["state"] == "success"
        assert _states(airflow, run["dag_run_id"])["summarise"] == ["success"]
        assert _asset_events(airflow) == 1

    state = _state(databases["warehouse"], marts=False)
    assert [v[:3] for v in state["versions"]] == [
        ("BQL-HN", 1, "accepted"),
        ("BQL-HNA", 1, "rejected"),
        ("UBND-HN-SOCSON", 1, "accepted"),
    ]
    assert state["findings"] == [("BQL-HNA", "E_UNKNOWN_METRIC", 1)]
    worker_log = (tmp_path / "airflow" / "components" / "celery worker.log").read_text()
    assert "execute_workload" in worker_log, worker_log[-3000:]
