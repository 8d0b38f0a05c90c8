"""Fresh warehouse databases for the dbt tests, and the registry and raw rows that
submissions leave in them.

The server is KCN_TEST_DATABASE_URL when set, else the embedded PostgreSQL. Each test
session creates its own uniquely named database and drops that one, and only that one,
at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest

from kcn.settings import get_settings
from kcn.transform.dbt_command import run_dbt
from kcn.warehouse import connection as warehouse
from kcn.warehouse import roles, schema


def _database_url(server: str, name: str) -> str:
    """The server's URL with its database replaced by name (query options kept)."""
    return urlsplit(server)._replace(path="/" + name).geturl()


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """URL of a new database named prefix_<random>, holding the pipeline's schema,
    reference data and grants (the roles are the server's, created if missing); the
    database, and only that one, is dropped on exit."""
    server = os.environ.get("KCN_TEST_DATABASE_URL") or warehouse.server_url()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    warehouse.ensure_database(server, name)
    url = _database_url(server, name)
    try:
        with warehouse.connect(url, as_owner=False) as conn:
            schema.ensure_schema(conn, get_settings().reference_dir)
            roles.ensure_roles(conn, get_settings().reference_dir)
        yield url
    finally:
        warehouse.drop_database(server, name)


@pytest.fixture(scope="session")
def warehouse_test_url() -> Iterator[str]:
    """URL of a new database holding the pipeline's schema and reference data."""
    with fresh_database("kcn_test") as url:
        yield url


@contextmanager
def built_database(prefix: str, submissions: Sequence[tuple[Any, ...]]) -> Iterator[str]:
    """URL of a fresh database holding the submissions (as insert_submission takes them),
    built by `dbt build`."""
    with fresh_database(prefix) as url:
        insert_submissions(url, submissions)
        run_dbt(["build"], url=url)
        yield url


def insert_version(
    cur: Any,
    submitter: str,
    period: str,
    version_no: int,
    outcome: str,
    *,
    received_at: str | None = None,
    validated_at: str | None = None,
    files: list[dict[str, Any]] | None = None,
) -> int:
    """Register a version as intake and validation do; times are Vietnam's, None is now.
    Returns its version_id."""
    cur.execute(
        """
        insert into kcn_audit.submission_version
            (submitter_code, period, version_no, content_sha256, received_at, landing_path,
             files, outcome, validated_at)
        values (%s, %s, %s, %s,
                coalesce(%s::timestamp at time zone 'Asia/Ho_Chi_Minh', now()), %s, %s, %s,
                coalesce(%s::timestamp at time zone 'Asia/Ho_Chi_Minh', now()))
        returning version_id
        """,
        (
            submitter,
            period,
            version_no,
            f"sha-{submitter}-{period}-{version_no}",
            received_at,
            f"landing/{period}/{submitter}",
            json.dumps(files or []),
            outcome,
            validated_at,
        ),
    )
    return cur.fetchone()[0]


def version_files(submitter: str, period: str, version_no: int, enterprises: bool) -> list[dict]:
    """The registry's file list of a version, as intake writes it (archive by SHA-256)."""
    names = ["indicators.csv", *(["enterprises.csv"] if enterprises else [])]
    files = []
    for name in names:
        sha = hashlib.sha256(f"{submitter}/{period}/v{version_no}/{name}".encode()).hexdigest()
        files.append(
            {"name": name, "sha256": sha, "bytes": 100, "archive_path": f"{sha[:2]}/{sha}"}
        )
    return files


def insert_submission(
    cur: Any,
    submitter: str,
    period: str,
    version_no: int,
    outcome: str,
    received_at: str,
    rows: list[tuple[Any, ...]],
    enterprises: list[tuple[str, ...]],
) -> int:
    """A version received at received_at (Vietnam) and judged an hour later, with its files,
    indicator rows (see insert_indicator_rows) and enterprise rows (see
    insert_enterprise_rows). Returns its version_id."""
    judged = datetime.fromisoformat(received_at) + timedelta(hours=1)
    version_id = insert_version(
        cur,
        submitter,
        period,
        version_no,
        outcome,
        received_at=received_at,
        validated_at=judged.isoformat(sep=" "),
        files=version_files(submitter, period, version_no, bool(enterprises)),
    )
    insert_indicator_rows(cur, version_id, submitter, period, rows)
    insert_enterprise_rows(cur, version_id, enterprises)
    return version_id


def insert_submissions(url: str, submissions: Sequence[tuple[Any, ...]]) -> None:
    """Each submission, as insert_submission takes it, into the database at url."""
    with warehouse.connect(url) as conn, conn.cursor() as cur:
        for submission in submissions:
            insert_submission(cur, *submission)


def insert_indicator_rows(
    cur: Any, version_id: int, submitter: str, period: str, rows: list[tuple[Any, ...]]
) -> None:
    """Insert a version's indicator rows as the loader does: row numbers from 2 (after the
    header), a missing zone or tax code as the empty string the raw table holds.

    A row is (zone_code, enterprise_tax_code, metric_code, value_kind, period_basis, value,
    unit).
    """
    for row_number, (zone, tax, metric, kind, basis, value, unit) in enumerate(rows, start=2):
        cur.execute(
            """
            insert into kcn_raw.indicators
                (version_id, file_name, row_number, submitter_code, period, zone_code,
                 enterprise_tax_code, metric_code, value_kind, period_basis, value, unit)
            values (%s, 'indicators.csv', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            (
                version_id,
                row_number,
                submitter,
                period,
                zone or "",
                tax or "",
                metric,
                kind,
                basis,
                value,
                unit,
            ),
        )


def insert_enterprise_rows(cur: Any, version_id: int, enterprises: list[tuple[str, ...]]) -> None:
    """Insert a version's enterprise rows, numbered from 2 as the loader does.

    A row is (tax_code, enterprise_name, zone_code, ownership, investor_country, vsic_code,
    status).
    """
    for row_number, enterprise in enumerate(enterprises, start=2):
        cur.execute(
            """
            insert into kcn_raw.enterprises
                (version_id, file_name, row_number, tax_code, enterprise_name, zone_code,
                 ownership, investor_country, vsic_code, status)
            values (%s, 'enterprises.csv', %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            (version_id, row_number, *enterprise),
        )


def query(url: str, query: str, params: Any = ()) -> list[tuple[Any, ...]]:
    """All rows of one query on the database at url."""
    with warehouse.connect(url) as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()
