"""Shared fixtures: a fresh PostgreSQL database per test session, and submission builders."""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from kcn.contract import INDICATOR_COLUMNS

INDICATOR_HEADER = list(INDICATOR_COLUMNS)


def write_submission(
    landing: Path,
    period: str,
    submitter: str,
    rows: list[dict[str, str]],
    name: str = "indicators.csv",
) -> Path:
    """Write a contract CSV; rows give only the columns they change from a valid default."""
    folder = landing / period / submitter
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / name).open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=INDICATOR_HEADER)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    "submitter_code": submitter,
                    "period": period,
                    "zone_code": "",
                    "enterprise_tax_code": "",
                    "value_kind": "actual",
                    "period_basis": "month",
                    "unit": "PROJECT",
                    "note": "",
                    **row,
                }
            )
    on_time = _on_time(period).timestamp()  # arrival time is the files' time (W_LATE)
    os.utime(folder / name, (on_time, on_time))
    return folder


def _on_time(period: str) -> datetime:
    """The 5th of the following month, 09:00 in Hà Nội: well before the deadline."""
    year, month = map(int, period.split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return datetime(year, month, 5, 9, 0, tzinfo=timezone(timedelta(hours=7)))


@pytest.fixture(scope="session", autouse=True)
def _own_dbt_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test process gets its own dbt target and log folders: parallel workers must not
    write one manifest at the same time."""
    saved = {k: os.environ.get(k) for k in ("DBT_TARGET_PATH", "DBT_LOG_PATH")}
    root = tmp_path_factory.mktemp("dbt")
    os.environ["DBT_TARGET_PATH"] = str(root / "target")
    os.environ["DBT_LOG_PATH"] = str(root / "logs")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A database created for this test session on KCN_TEST_DATABASE_URL's server or the
    embedded one; dropped at the end (only this one)."""

    from kcn.warehouse import connection as warehouse

    server = os.environ.get("KCN_TEST_DATABASE_URL") or warehouse.server_url()
    name = f"kcn_test_{uuid.uuid4().hex[:10]}"
    warehouse.ensure_database(server, name)
    url = server.rsplit("/", 1)[0] + "/" + name
    yield url
    warehouse.drop_database(server, name)


def fetch_all(conn: Any, statement: str, params: Any = ()) -> list[tuple]:
    """All rows of one statement on conn, which is closed after."""
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            return cur.fetchall()
    finally:
        conn.close()


def query(url: str, statement: str, params: Any = ()) -> list[tuple]:
    """All rows of one statement as url's own user (no `set role`, nothing committed)."""
    import psycopg2

    return fetch_all(psycopg2.connect(url), statement, params)


def use_warehouse(mp: pytest.MonkeyPatch, database_url: str, data: Path) -> None:
    """Point the pipeline at database_url, with landing, archive and outbox below data, and
    its tables ready and emptied so what follows starts clean."""
    import psycopg2

    from kcn import pipeline

    mp.setenv("KCN_WAREHOUSE_URL", database_url)
    mp.setenv("KCN_DATA", str(data))
    for sub in ("landing", "archive", "outbox"):
        mp.delenv(f"KCN_{sub.upper()}", raising=False)
    pipeline.prepare_warehouse()
    conn = psycopg2.connect(database_url)
    with conn, conn.cursor() as cur:
        cur.execute(
            "truncate kcn_audit.finding, kcn_raw.indicators, kcn_raw.enterprises,"
            " kcn_audit.submission_version, kcn_audit.landing_issue restart identity cascade"
        )
    conn.close()


@pytest.fixture
def workspace(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Landing, archive and outbox in a temporary folder, the session database as warehouse,
    with the pipeline's tables emptied so each test starts clean."""
    use_warehouse(monkeypatch, database_url, tmp_path / "data")
    return tmp_path / "data"
