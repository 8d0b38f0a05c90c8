"""The DAG files parse, follow the house rules, and work on the right reporting month."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pendulum
import pytest

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
DAG_FILES = sorted(DAGS_DIR.glob("*.py"))
DAG_IDS = ["kcn_monthly_intake", "kcn_transform"]
LOADERS = ["kcn_monthly_intake"]
ICT = "Asia/Ho_Chi_Minh"
# A DAG file imports none of these at parse time: they are what would make parsing slow.
# How long parsing takes is measured by `kcn bench` (its DAG parse rows), not here.
HEAVY = ("pandas", "numpy", "great_expectations", "dbt", "psycopg2", "kcn.pipeline")

_PROBE = """
import json, runpy, sys
import airflow.sdk, pendulum  # already loaded in any process that parses DAG files
before = set(sys.modules)
runpy.run_path(sys.argv[1])
print(json.dumps({"new_modules": sorted(set(sys.modules) - before)}))
"""


def test_dag_folder_imports_without_errors(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert sorted(dagbag.dag_ids) == DAG_IDS


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_dag_follows_the_house_rules(dagbag, dag_id: str) -> None:
    from airflow.sdk.definitions.timetables.simple import NullTimetable, OnceTimetable

    dag = dagbag.dags[dag_id]

    assert dag.tags, "tag every DAG"
    assert dag.doc_md and len(dag.doc_md.strip()) > 100, "doc_md=__doc__ with a real docstring"
    assert dag.start_date.tzinfo is not None, "start_date must be timezone-aware"
    assert not isinstance(dag.timetable, NullTimetable | OnceTimetable), "an explicit schedule"
    assert dag.catchup is False, "history is loaded with `airflow backfill create`"
    assert all(task.retries >= 1 for task in dag.tasks), "every task retries"


@pytest.mark.parametrize("dag_id", LOADERS)
def test_loaders_run_one_month_at_a_time(dagbag, dag_id: str) -> None:
    assert dagbag.dags[dag_id].max_active_runs == 1


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_dag_file_imports_light(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert "Variable.get" not in source, "read settings inside tasks, not at parse time"

    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    result = json.loads(probe.stdout.strip().splitlines()[-1])

    heavy = [m for m in result["new_modules"] if m == "kcn.pipeline" or m.split(".")[0] in HEAVY]
    assert heavy == [], "heavy imports belong inside tasks"


@pytest.fixture(scope="module")
def reporting_period(dagbag):
    """The function behind the intake DAG's first task, called as Airflow calls it."""
    return dagbag.dags["kcn_monthly_intake"].get_task("reporting_period").python_callable


@pytest.mark.parametrize(
    ("logical_date", "params", "expected"),
    [
        (pendulum.datetime(2024, 4, 11, 2, tz=ICT), {"period": None}, "2024-03"),
        (pendulum.datetime(2024, 1, 11, 2, tz=ICT), {"period": None}, "2023-12"),
        # 2024-04-01 01:00 in Hà Nội is still March in UTC: the month is taken in Vietnam.
        (pendulum.datetime(2024, 3, 31, 18, tz="UTC"), {}, "2024-03"),
        (pendulum.datetime(2024, 4, 11, 2, tz=ICT), {"period": "2022-07"}, "2022-07"),
    ],
)
def test_reporting_period_is_the_month_before_the_run_unless_given(
    reporting_period, logical_date, params, expected
) -> None:
    result = reporting_period(params=params, logical_date=logical_date)

    assert result == expected


def test_a_manual_run_without_logical_date_uses_its_run_after(reporting_period) -> None:
    dag_run = SimpleNamespace(run_after=pendulum.datetime(2025, 8, 20, 9, tz=ICT))

    result = reporting_period(params={}, logical_date=None, dag_run=dag_run)

    assert result == "2025-07"


def test_scheduled_and_backfilled_runs_fall_on_the_11th_and_take_the_month_before(
    dagbag, reporting_period
) -> None:
    from airflow.serialization.serialized_objects import DagSerialization

    dag = dagbag.dags["kcn_monthly_intake"]
    scheduler_dag = DagSerialization.deserialize_dag(DagSerialization.serialize_dag(dag))
    infos = scheduler_dag.iter_dagrun_infos_between(
        pendulum.datetime(2024, 1, 1, tz=ICT), pendulum.datetime(2024, 12, 31, tz=ICT)
    )
    run_dates = [info.logical_date.in_timezone(ICT) for info in infos]

    assert [d.format("YYYY-MM-DD HH:mm") for d in run_dates] == [
        f"2024-{m:02d}-11 02:00" for m in range(1, 13)
    ]
    assert [reporting_period(params={}, logical_date=d) for d in run_dates] == [
        "2023-12",
        *[f"2024-{m:02d}" for m in range(1, 12)],
    ]


def test_the_intake_announces_what_the_transform_waits_for(dagbag) -> None:
    intake = dagbag.dags["kcn_monthly_intake"]
    transform = dagbag.dags["kcn_transform"]

    produced = {a.uri for t in intake.tasks for a in t.outlets}
    awaited = {a.uri for a in transform.timetable.asset_condition.objects}

    assert produced == awaited == {"kcn://warehouse/raw_submissions"}
