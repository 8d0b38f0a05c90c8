"""A fresh warehouse database for the dbt tests (the lead may move this to tests/conftest.py).

The server is KCN_TEST_DATABASE_URL when set, else the embedded PostgreSQL. Each test
session creates its own uniquely named database and drops that one, and only that one,
at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import pytest

from kcn.settings import get_settings
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


def query(url: str, query: str, params: Any = ()) -> list[tuple[Any, ...]]:
    """All rows of one query on the database at url."""
    with warehouse.connect(url) as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()
