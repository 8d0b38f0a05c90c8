"""`kcn bench --scale small` end to end: a few submissions, a few months of history, every
measurement taken and printed. Timings are not asserted here (they belong in the benchmark's
own table, docs/benchmarks.md); what is asserted is that the table has every row and that
the benchmark leaves no database behind."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg2
import pytest
from typer.testing import CliRunner

from kcn.bench import benchmark as runner
from kcn.cli import app
from kcn.warehouse import connection as warehouse

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DAG_FILES = sorted(p.stem for p in (Path(__file__).parents[2] / "dags").glob("*.py"))
EXPECTED_ROWS = [
    "intake",
    "intake.intake",
    "intake.stage",
    "intake.validate",
    "copy",
    "to_sql",
    "memory",
    "scheduler",
    "dbt.short",
    "dbt.long",
    "dbt.ratio",
    *(query.key for query in runner.BI_QUERIES),
    *(f"dag.{stem}" for stem in DAG_FILES),
    "dag.folder",
]


def _bench_databases(server: str) -> set[str]:
    conn = psycopg2.connect(server)
    try:
        with conn.cursor() as cur:
            cur.execute("select datname from pg_database where datname like 'kcn_bench_%'")
            return {row[0] for row in cur.fetchall()}
    finally:
        conn.close()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> str:
    """The tests' server: the benchmark creates (and drops) its own database on it."""
    url = os.environ.get("KCN_TEST_DATABASE_URL") or warehouse.server_url()
    monkeypatch.setenv("KCN_WAREHOUSE_URL", url)
    return url


def test_small_benchmark_prints_every_row(server: str, tmp_path: Path) -> None:
    before = _bench_databases(server)

    result = CliRunner().invoke(
        # the month through Airflow is tests/dags/test_scheduler.py's: minutes more here
        app,
        ["bench", "--scale", "small", "--workdir", str(tmp_path / "bench"), "--no-scheduler"],
    )

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    table = [line for line in lines if line.startswith("| ")]
    keys = [line.split("|")[1].strip() for line in table[1:]]
    assert keys == EXPECTED_ROWS
    for line in table[1:]:
        assert line.split("|")[3].strip(), f"no result in {line}"
    assert any(line.startswith("machine: ") and "PostgreSQL" in line for line in lines)
    assert any(line.startswith("one month: ") for line in lines)
    assert _bench_databases(server) - before == set()
    assert not (tmp_path / "bench").exists()
