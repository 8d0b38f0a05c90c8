"""Kill -9 of `kcn ingest` at random moments, a server stopped mid-run, and two runs at once:
each followed by a run that must leave the warehouse exactly as a clean run does (checksums
of the registry, the findings and the raw rows). On a PostgreSQL server of this module's own,
so that it can be stopped. Fixed seed, bounded counts.

Each run is the `kcn ingest` command in a process of its own, forked from the test process
once it has imported the pipeline: a fresh interpreter spends most of its time importing
Great Expectations, and the kills are meant to land in the work, not in the imports."""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from typer.testing import CliRunner

from kcn.cli import app
from kcn.warehouse import connection, embedded
from kcn.warehouse.locks import Busy, dbt_lock, month_lock
from tests.conftest import write_submission
from tests.faults.corpus import GOOD_HN, GOOD_ND, checksums

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.xdist_group("fault_kills")]

SEED, KILLS = 20261130, 5
PERIODS = ("2024-01", "2024-02", "2024-03")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A PostgreSQL of this module's own (stopped and started by the tests), and a landing
    area: three months of BQL-HN and BQL-ND, one of them with a NUL byte in a cell."""
    from kcn.validation.suites import suite

    suite("indicators"), suite("enterprises")  # built once, before the runs fork

    # Not under pytest's temporary folders: their parents are private to the user running the
    # tests, and the embedded server runs as another user when the tests run as root.
    root = Path(tempfile.mkdtemp(prefix="kcn-faults-"))
    root.chmod(0o755)
    pgdata, port = root / "pgdata", _free_port()
    url = embedded.start(pgdata, port)
    landing = root / "landing"
    for period in PERIODS:
        write_submission(landing, period, "BQL-HN", GOOD_HN)
        write_submission(landing, period, "BQL-ND", GOOD_ND)
    bad = landing / "2024-02" / "BQL-ND" / "indicators.csv"
    bad.write_bytes(bad.read_bytes().replace(b",3,", b",3\x005,"))
    yield {"root": root, "pgdata": pgdata, "port": port, "server": url, "landing": landing}
    embedded.stop(pgdata)
    shutil.rmtree(root, ignore_errors=True)


def _database(server: dict, name: str) -> str:
    connection.ensure_database(server["server"], name)
    return server["server"].rsplit("/", 1)[0] + "/" + name


def _cli(env: dict[str, str], stderr: str) -> None:
    """The child: `kcn ingest --no-dbt` with its own environment, stderr to a file."""
    os.environ.update(env)
    fd = os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fd, 2)
    sys.stderr = os.fdopen(2, "w", buffering=1)
    from kcn.cli import main

    sys.argv = ["kcn", "ingest", "--no-dbt"]
    main()


class Run:
    """A `kcn ingest` in a forked process: kill -9 it, wait for it, read its stderr."""

    def __init__(self, server: dict, url: str, data: str) -> None:
        self.stderr = server["root"] / f"{data}-{time.monotonic_ns()}.err"
        env = {
            "KCN_WAREHOUSE_URL": url,
            "KCN_DATA": str(server["root"] / data),
            "KCN_LANDING": str(server["landing"]),
        }
        self.process = multiprocessing.get_context("fork").Process(
            target=_cli, args=(env, str(self.stderr))
        )
        self.process.start()

    def running(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)

    def wait(self, timeout: float = 300) -> tuple[int | None, str]:
        self.process.join(timeout)
        err = self.stderr.read_text() if self.stderr.exists() else ""
        return self.process.exitcode, err


def _ingest(server: dict, url: str, data: str) -> Run:
    return Run(server, url, data)


def _run(server: dict, url: str, data: str) -> tuple[int | None, str, float]:
    started = time.perf_counter()
    code, err = _ingest(server, url, data).wait()
    return code, err, time.perf_counter() - started


@pytest.fixture(scope="module")
def clean(server: dict) -> dict:
    url = _database(server, "clean")
    code, err, elapsed = _run(server, url, "clean")
    assert code == 0, err
    return {"checksums": checksums(url), "seconds": elapsed}


def test_a_clean_run_judges_every_version(clean: dict) -> None:
    assert clean["checksums"]["pending"] == "0"
    assert clean["checksums"]["findings"]  # the NUL byte: E_ENCODING


def test_kill_9_at_random_moments_then_a_run_matches_a_clean_one(server, clean) -> None:
    """Each round on a database of its own, so that every kill lands in real work: a run
    killed at a random moment of a clean run's length, then a run to the end."""
    rng = random.Random(SEED)
    killed, survived = 0, 0
    for round_no in range(KILLS):
        url = _database(server, f"killed{round_no}")
        run = _ingest(server, url, f"killed{round_no}")
        time.sleep(rng.uniform(0.05, 0.95) * clean["seconds"])
        if run.running():
            run.kill()
            killed += 1
        assert run.wait(timeout=60)[0] in (-signal.SIGKILL, 0)
        code, err, _ = _run(server, url, f"killed{round_no}")

        assert code == 0, err
        assert checksums(url) == clean["checksums"], f"round {round_no}"
        survived += 1
        conn = psycopg2.connect(url)
        try:
            with conn.cursor() as cur:  # a rejected version always has its findings
                cur.execute(
                    "select count(*) from kcn_audit.submission_version as v where v.outcome ="
                    " 'rejected' and not exists (select from kcn_audit.finding as f"
                    " where f.version_id = v.version_id)"
                )
                assert cur.fetchone() == (0,)
        finally:
            conn.close()
    assert killed >= 1  # at least one kill landed mid-run
    print(f"\nfigures: {killed} of {KILLS} kill -9 landed mid-run; {survived} re-runs matched")


def test_a_server_stopped_mid_run_is_a_clear_failure_and_a_rerun_matches(server, clean) -> None:
    url = _database(server, "restarted")
    run = _ingest(server, url, "restarted")
    time.sleep(clean["seconds"] * 0.5)
    embedded.stop(server["pgdata"])
    returncode, message = run.wait(timeout=120)
    embedded.start(server["pgdata"], server["port"])

    if returncode != 0:  # it had not finished: a clear message, code 2
        assert returncode == 2, message
        assert "Traceback" not in message
        assert "kho dữ liệu" in message and "warehouse" in message
    code, err2, _ = _run(server, url, "restarted")
    assert code == 0, err2
    assert checksums(url) == clean["checksums"]
    print(f"\nfigures: server stopped mid-run, the run exited {returncode}; the re-run matched")


def test_two_runs_at_once_both_finish_and_match_a_clean_run(server, clean) -> None:
    url = _database(server, "concurrent")
    first, second = _ingest(server, url, "concurrent-1"), _ingest(server, url, "concurrent-2")
    results = [run.wait() for run in (first, second)]

    assert [code for code, _ in results] == [0, 0], results
    assert checksums(url) == clean["checksums"]


def test_a_second_holder_of_a_lock_waits_then_stops_with_a_clear_message(server) -> None:
    url = _database(server, "locks")
    with month_lock(url, "2024-03"):
        with pytest.raises(Busy) as busy, month_lock(url, "2024-03", wait_seconds=0.5):
            pass
        with month_lock(url, "2024-04", wait_seconds=0.5):  # another month: no wait
            pass
    assert "tháng 2024-03" in str(busy.value) and "month 2024-03" in str(busy.value)
    with dbt_lock(url), pytest.raises(Busy), dbt_lock(url, wait_seconds=0.5):
        pass
    with month_lock(url, "2024-03", wait_seconds=0.5):  # released with its connection
        pass


def test_a_bad_period_is_a_bilingual_error_with_exit_code_2() -> None:
    result = CliRunner().invoke(app, ["ingest", "--period", "2024-13", "--no-dbt"])

    assert result.exit_code == 2
    assert "Kỳ báo cáo phải có dạng YYYY-MM" in result.output
    assert "must be YYYY-MM" in result.output
    assert not isinstance(result.exception, ValueError)


def test_an_unreachable_warehouse_is_a_bilingual_error_with_exit_code_2(monkeypatch) -> None:
    monkeypatch.setenv("KCN_WAREHOUSE_URL", f"postgresql://postgres@127.0.0.1:{_free_port()}/x")

    result = CliRunner().invoke(app, ["ingest", "--period", "2024-03", "--no-dbt"])

    assert result.exit_code == 2
    assert "Không kết nối được kho dữ liệu" in result.output
    assert "cannot be reached" in result.output


def test_the_landing_area_is_never_modified(server) -> None:
    names = sorted(str(p.relative_to(server["landing"])) for p in server["landing"].rglob("*"))
    assert names == sorted(
        [
            *PERIODS,
            *(f"{p}/{s}" for p in PERIODS for s in ("BQL-HN", "BQL-ND")),
            *(f"{p}/{s}/indicators.csv" for p in PERIODS for s in ("BQL-HN", "BQL-ND")),
        ]
    )
    assert Path(server["landing"]).is_dir()
