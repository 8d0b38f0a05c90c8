"""Connections to the warehouse: its URL (starting the embedded server when it is used)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg2
import psycopg2.extensions
from psycopg2 import sql

from kcn.settings import Settings, get_settings
from kcn.warehouse import embedded, roles

logger = logging.getLogger(__name__)

WAREHOUSE_DB = "kcn_warehouse"
# psycopg2's errors that mean the server is gone or unreachable (not a problem of the data)
GONE = (psycopg2.OperationalError, psycopg2.InterfaceError)


class WarehouseUnavailable(RuntimeError):
    """The warehouse cannot be reached or went away mid-run. Nothing half-written stays
    (every step writes in transactions); running the step again is safe. Airflow retries the
    task; the CLI exits with code 2."""

    @classmethod
    def of(cls, exc: BaseException) -> WarehouseUnavailable:
        return cls(
            "Không kết nối được kho dữ liệu, hoặc kết nối bị mất giữa chừng; không có gì được "
            "ghi dở dang. Hãy kiểm tra máy chủ PostgreSQL (kcn warehouse start, hoặc "
            "KCN_WAREHOUSE_URL) rồi chạy lại. / The warehouse cannot be reached, or the "
            "connection was lost mid-run; nothing was left half-written. Check the PostgreSQL "
            "server (kcn warehouse start, or KCN_WAREHOUSE_URL) and run it again. "
            f"[{type(exc).__name__}: {str(exc).strip()[:300]}]"
        )


def open_connection(url: str) -> psycopg2.extensions.connection:
    """A connection to `url`; WarehouseUnavailable when the server cannot be reached."""
    try:
        return psycopg2.connect(url, connect_timeout=10)
    except GONE as exc:
        raise WarehouseUnavailable.of(exc) from exc


def server_url(settings: Settings | None = None) -> str:
    """URL of the server's maintenance database, starting the embedded server if it is used."""
    settings = settings or get_settings()
    if settings.warehouse_url:
        return settings.warehouse_url
    return embedded.start(
        settings.pgdata, settings.embedded_port, any_free_port=not settings.embedded_port_fixed
    )


def warehouse_url(settings: Settings | None = None) -> str:
    """URL of the warehouse database; with the embedded server, the kcn_warehouse database."""
    settings = settings or get_settings()
    if settings.warehouse_url:
        return settings.warehouse_url
    base = server_url(settings)
    ensure_database(base, WAREHOUSE_DB)
    return base.rsplit("/", 1)[0] + "/" + WAREHOUSE_DB


def ensure_database(server: str, name: str) -> None:
    conn = psycopg2.connect(server)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("select 1 from pg_database where datname = %s", (name,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def drop_database(server: str, name: str) -> None:
    """Drop a database the caller created (force: a pooled connection may still be open)."""
    conn = psycopg2.connect(server)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )
    finally:
        conn.close()


def scalar(cur: Any, query: str, params: Any = None) -> Any:
    """The first column of the first row of a query (None when there is no row)."""
    cur.execute(query, params)
    row = cur.fetchone()
    return None if row is None else row[0]


@contextmanager
def connect(
    url: str | None = None, *, as_owner: bool = True
) -> Iterator[psycopg2.extensions.connection]:
    """A connection that commits on success and rolls back on error; a server that cannot
    be reached or goes away is WarehouseUnavailable.

    as_owner: act as kcn_owner (`set role`) when the connected user may, so that what the
    pipeline creates belongs to the owner role, not to a superuser (docs/access.md).
    """
    conn = open_connection(url or warehouse_url())
    try:
        if as_owner:
            roles.act_as_owner(conn)
        yield conn
        conn.commit()
    except GONE as exc:
        raise WarehouseUnavailable.of(exc) from exc
    except BaseException:
        if not conn.closed:
            with contextlib.suppress(*GONE):
                conn.rollback()
        raise
    finally:
        conn.close()
