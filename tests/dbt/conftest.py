"""A fresh warehouse database for the dbt tests (the lead may move this to tests/conftest.py).

The server is KCN_TEST_DATABASE_URL when set, else the embedded PostgreSQL. Each test
session creates its own uniquely named database and drops that one, and only that one,
at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import psycopg2
import pytest
from kcn import warehouse
from psycopg2 import sql


def _database_url(server: str, name: str) -> str:
    """The server's URL with its database replaced by name (query options kept)."""
    return urlsplit(server)._replace(path="/" + name).geturl()


@pytest.fixture(scope="session")
def warehouse_test_url() -> Iterator[str]:
    """URL of a new database holding the pipeline's schema and reference data."""
    server = os.environ.get("KCN_TEST_DATABASE_URL") or warehouse.server_url()
    name = f"kcn_test_{uuid.uuid4().hex[:12]}"
    warehouse.ensure_database(server, name)
    url = _database_url(server, name)
    try:
        with warehouse.connect(url) as conn:
            warehouse.ensure_schema(conn)
        yield url
    finally:
        conn = psycopg2.connect(server)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                # force: dbt may leave a pooled connection open in this process.
                cur.execute(
                    sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
                )
        finally:
            conn.close()
