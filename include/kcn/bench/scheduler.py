"""A month through the real scheduler, beside `kcn ingest` of the same files.

Each on a fresh database of its own (reference data only, no history), on the server of
the benchmark: `kcn ingest --period M` in a process of its own (intake, staging,
validation, `dbt build`), then the same month's files through Airflow (kcn.live_airflow:
api-server, scheduler, dag-processor, triggerer, LocalExecutor, a PostgreSQL metadata
database), from the REST API's trigger of `kcn_monthly_intake` to the end of the
`kcn_transform` run that its asset starts. Their ratio is the cost of running the month
as a deployment does.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from kcn.bench.national import Country

TARGET_RATIO = 1.5


@dataclass(frozen=True)
class SchedulerTiming:
    cli_s: float  # kcn ingest, process start to end
    airflow_s: float  # REST trigger to the end of the kcn_transform run
    intake_s: float  # the kcn_monthly_intake run, start to end
    transform_s: float  # the kcn_transform run, start to end
    stage_tasks: int
    stage_task_s: float  # the median staging task, start to end
    empty_task_s: float  # reporting_period, a task that does nothing: Airflow's own cost
    outcomes_equal: bool  # both ways judged every version alike


def measure(
    country: Country, period: str, server: str, root: Path, say: Callable[[str], None]
) -> SchedulerTiming:
    """Write `period`'s submissions under `root`, take them in both ways, drop what was made."""
    from kcn import live_airflow
    from kcn.warehouse import connection as warehouse

    landing = root / "landing"
    country.write_month(landing, period)
    tag = uuid.uuid4().hex[:10]
    names = {kind: f"kcn_bench_{tag}_{kind}" for kind in ("cli", "airflow", "airflow_meta")}
    urls = {k: urlsplit(server)._replace(path="/" + n).geturl() for k, n in names.items()}
    try:
        for name in names.values():
            warehouse.ensure_database(server, name)
        say(f"kcn ingest --period {period} on a fresh database")
        started = time.perf_counter()
        _kcn(["ingest", "--period", period], _env(root / "cli", landing, urls["cli"]))
        cli_s = time.perf_counter() - started

        say("the same month through Airflow (LocalExecutor), trigger to built marts")
        env = _env(root / "airflow", landing, urls["airflow"])
        with live_airflow.start(root / "airflow" / "home", urls["airflow_meta"], env=env) as af:
            af.wait_for_dags(["kcn_monthly_intake", "kcn_transform"])
            af.unpause("kcn_transform")
            af.unpause("kcn_monthly_intake")
            af.wait_for_runs("kcn_monthly_intake", 1)  # unpausing runs the latest month due
            started = time.perf_counter()
            run = af.trigger("kcn_monthly_intake", conf={"period": period})
            intake = af.wait_for_run("kcn_monthly_intake", run["dag_run_id"], timeout=3600)
            if intake["state"] != "success":
                raise RuntimeError(f"kcn_monthly_intake {period}: {intake['state']}")
            [transform] = af.wait_for_runs("kcn_transform", 1, timeout=3600)
            airflow_s = time.perf_counter() - started
            if transform["state"] != "success":
                raise RuntimeError(f"kcn_transform after {period}: {transform['state']}")
            tis = af.task_instances("kcn_monthly_intake", run["dag_run_id"])
            staging = [ti["duration"] for ti in tis if ti["task_id"] == "stage_versions"]
            empty = [ti["duration"] for ti in tis if ti["task_id"] == "reporting_period"]
        return SchedulerTiming(
            cli_s=cli_s,
            airflow_s=airflow_s,
            intake_s=_seconds(intake),
            transform_s=_seconds(transform),
            stage_tasks=len(staging),
            stage_task_s=statistics.median(staging) if staging else 0.0,
            empty_task_s=empty[0],
            outcomes_equal=_outcomes(urls["cli"]) == _outcomes(urls["airflow"]),
        )
    finally:
        for name in names.values():
            _drop(server, name)
        shutil.rmtree(root, ignore_errors=True)


def row(timing: SchedulerTiming) -> tuple[str, str, str, str, bool]:
    """The benchmark table's row: key, measure, result, target, met."""
    ratio = timing.airflow_s / timing.cli_s
    return (
        "scheduler",
        "one month through Airflow (LocalExecutor), REST trigger to built marts",
        f"{timing.airflow_s:.0f} s = {ratio:.1f}x `kcn ingest` ({timing.cli_s:.0f} s);"
        f" intake run {timing.intake_s:.0f} s ({timing.stage_tasks} staging tasks,"
        f" {timing.stage_task_s:.1f} s each; an empty task {timing.empty_task_s:.1f} s),"
        f" kcn_transform {timing.transform_s:.0f} s"
        + ("" if timing.outcomes_equal else "; OUTCOMES DIFFER from kcn ingest"),
        f"<= {TARGET_RATIO}x kcn ingest",
        ratio <= TARGET_RATIO and timing.outcomes_equal,
    )


def _env(folder: Path, landing: Path, url: str) -> dict[str, str]:
    return {
        "KCN_WAREHOUSE_URL": url,
        "KCN_LANDING": str(landing),
        "KCN_ARCHIVE": str(folder / "archive"),
        "KCN_OUTBOX": str(folder / "outbox"),
        "DBT_TARGET_PATH": str(folder / "dbt" / "target"),
        "DBT_LOG_PATH": str(folder / "dbt" / "logs"),
    }


def _kcn(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("kcn")), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"kcn {' '.join(args)} failed:\n{result.stderr[-4000:]}")


def _seconds(run: dict) -> float:
    start, end = (datetime.fromisoformat(run[k]) for k in ("start_date", "end_date"))
    return (end - start).total_seconds()


def _outcomes(url: str) -> list[tuple]:
    from kcn.warehouse import connection as warehouse

    with warehouse.connect(url) as conn, conn.cursor() as cur:
        cur.execute(
            "select submitter_code, version_no, outcome from kcn_audit.submission_version"
            " order by 1, 2"
        )
        return cur.fetchall()


def _drop(server: str, name: str) -> None:
    from kcn.warehouse import connection as warehouse

    if not name.startswith("kcn_bench_"):
        raise ValueError(f"refusing to drop {name!r}: not a benchmark database")
    warehouse.drop_database(server, name)
