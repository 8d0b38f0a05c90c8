"""Airflow for the DAG tests: a home of its own under `.kcn/`, set before Airflow is imported.

The home (and its SQLite metadata DB, migrated once) is kept between sessions, one per
pytest-xdist worker, so the demo's Airflow history and the tests' never mix.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kcn import local_airflow as airflow_home
from kcn.settings import get_settings

_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
_HOME = get_settings().root / ".kcn" / f"airflow-test-{_WORKER}"

# Airflow reads its configuration on first import: this must run before any test imports it.
airflow_home.configure(_HOME, migrate=False)


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """The migrated metadata DB that dag.test() needs (only parsing DAGs does not)."""
    return airflow_home.configure(_HOME)


@pytest.fixture(scope="session")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=airflow_home.dags_folder(), safe_mode=True)
