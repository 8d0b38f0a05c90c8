"""A local Airflow home for the demo and the DAG tests, and a way to run one DAG in-process.

Airflow reads its configuration when it is first imported, so call `configure()` before
anything imports `airflow`. The home holds a SQLite metadata database: enough for
`dag.test()`, which runs every task in this process without a scheduler. Production runs
the same DAG files under a real Airflow deployment and does not use this module.

    from kcn import local_airflow
    local_airflow.configure()
    state = local_airflow.run_dag("kcn_monthly_intake", datetime(2024, 4, 11, tzinfo=VN_TZ))
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import datetime
from pathlib import Path

from kcn.settings import get_settings

logger = logging.getLogger(__name__)

_MIGRATED_MARKER = ".kcn-migrated"


def dags_folder() -> Path:
    return get_settings().root / "dags"


def configure(home: Path | None = None, *, migrate: bool = True) -> Path:
    """Point Airflow at a home under the project (default `.kcn/airflow`) and migrate its DB.

    Safe to call more than once with the same home. `migrate=False` only sets the
    environment (enough to parse DAGs); a later call with the default migrates. Returns the home.
    """
    home = (home or get_settings().root / ".kcn" / "airflow").resolve()
    if "airflow" in sys.modules and os.environ.get("AIRFLOW_HOME") != str(home):
        raise RuntimeError(
            "Airflow was imported before kcn.local_airflow.configure(); call configure() first, "
            "in a fresh process. / Hãy gọi configure() trước khi import airflow."
        )
    home.mkdir(parents=True, exist_ok=True)
    db_path = home / "airflow.db"
    os.environ.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(dags_folder()),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{db_path}",
            # dag.test() prints every task's log lines; keep the console to what matters.
            "AIRFLOW__LOGGING__LOGGING_LEVEL": os.environ.get(
                "AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING"
            ),
        }
    )
    if migrate:
        _migrate_once(home, db_path)
    return home


def _migrate_once(home: Path, db_path: Path) -> None:
    """Create the metadata DB unless this Airflow version already did (it takes several seconds)."""
    from airflow.version import version

    marker = home / _MIGRATED_MARKER
    if db_path.exists() and marker.exists() and marker.read_text().strip() == version:
        return
    from airflow.utils.db import initdb

    logger.info("creating the Airflow metadata database in %s", db_path)
    initdb()
    marker.write_text(version + "\n")


def run_dag(dag_id: str, logical_date: datetime, conf: dict | None = None) -> str:
    """Run one DAG run in this process with `dag.test()` and return its final state.

    Task retries are turned off: in-process there is no scheduler to wait for a retry, and
    a failure should surface at once. `configure()` must have been called first.
    """
    if "AIRFLOW_HOME" not in os.environ:
        raise RuntimeError("call kcn.local_airflow.configure() before run_dag()")
    if logical_date.tzinfo is None:
        raise ValueError(f"logical_date must be timezone-aware, got {logical_date!r}")
    from airflow.dag_processing.dagbag import DagBag

    _quiet_configuration_notices()
    bag = DagBag(dag_folder=dags_folder(), safe_mode=True)
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    dag = bag.dags.get(dag_id)
    if dag is None:
        raise KeyError(f"no DAG {dag_id!r} in {dags_folder()}")
    if dag.start_date is not None and logical_date < dag.start_date:
        # dag.test() would report success without running a task
        raise ValueError(
            f"{dag_id} starts on {dag.start_date.isoformat()}: a run dated "
            f"{logical_date.isoformat()} would run nothing"
        )
    for task in dag.tasks:
        task.retries = 0
    run = dag.test(logical_date=logical_date, run_conf=conf)
    return str(run.state)


def _quiet_configuration_notices() -> None:
    """Airflow's configuration parser warns about options this local home leaves unset."""
    logging.getLogger("airflow.sdk._shared.configuration.parser").setLevel(logging.ERROR)
