"""Connections to the warehouse: its URL (starting the embedded server when it is used)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
import psycopg2.extensions
from psycopg2 import sql

from kcn.settings import Settings, get_settings
from kcn.warehouse import embedded, roles

logger = logging.getLogger(__name__)

WAREHOUSE_DB = "kcn_warehouse"


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


@contextmanager
def connect(
    url: str | None = None, *, as_owner: bool = True
) -> Iterator[psycopg2.extensions.connection]:
    """A connection that commits on success and rolls back on error.

    as_owner: act as kcn_owner (`set role`) when the connected user may, so that what the
    pipeline creates belongs to the owner role, not to a superuser (docs/access.md).
    """
    conn = psycopg2.connect(url or warehouse_url())
    try:
        if as_owner:
            roles.act_as_owner(conn)
        yield conn
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()
