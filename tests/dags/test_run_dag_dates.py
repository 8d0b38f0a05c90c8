"""A DAG run dated before the DAG's start_date runs nothing, yet dag.test() reports success:
run_dag refuses it, and the DAGs start early enough for the demo's first month."""

from __future__ import annotations

import inspect

import pendulum
import pytest

from kcn import local_airflow as airflow_home
from kcn.demo import run as demo_run

ICT = "Asia/Ho_Chi_Minh"


def test_run_dag_refuses_a_date_before_the_dag_starts() -> None:
    with pytest.raises(ValueError, match="would run nothing"):
        airflow_home.run_dag("kcn_monthly_intake", pendulum.datetime(2019, 12, 11, 2, tz=ICT))


def test_the_demo_months_run_on_or_after_the_dags_start(dagbag) -> None:
    first = inspect.signature(demo_run.run).parameters["start"].default

    assert first == "2020-01"
    for dag_id in ("kcn_monthly_intake", "kcn_transform"):
        assert demo_run._run_date(first) >= dagbag.dags[dag_id].start_date, dag_id
