"""Connections to the warehouse, its schema, and its reference tables."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import psycopg2
import psycopg2.extensions
from psycopg2 import sql

from kcn import embedded_pg
from kcn.settings import Settings, get_settings

logger = logging.getLogger(__name__)

WAREHOUSE_DB = "kcn_warehouse"
REFERENCE_DIR = Path(__file__).parent / "reference"
# Loaded in this order so later tables can refer to earlier ones.
REFERENCE_TABLES = (
    "provinces", "submitters", "zones", "zone_provinces", "zone_districts", "units", "metrics",
)


def server_url(settings: Settings | None = None) -> str:
    """URL of the server's maintenance database, starting the embedded server if it is used."""
    settings = settings or get_settings()
    if settings.warehouse_url:
        return settings.warehouse_url
    return embedded_pg.start(settings.pgdata, settings.embedded_port,
                             any_free_port=not settings.embedded_port_fixed)


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
def connect(url: str | None = None) -> Iterator[psycopg2.extensions.connection]:
    """A connection that commits on success and rolls back on error."""
    conn = psycopg2.connect(url or warehouse_url())
    try:
        yield conn
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()


def ensure_schema(conn: psycopg2.extensions.connection) -> None:
    """Create the pipeline's tables and (re)load reference data; safe to repeat."""
    ddl = resources.files("kcn").joinpath("sql/schema.sql").read_text(encoding="utf-8")
    with conn.cursor() as cur:
        cur.execute("select pg_advisory_xact_lock(4242)")  # parallel tasks start together
        cur.execute(ddl)
    load_reference(conn)


def load_reference(conn: psycopg2.extensions.connection) -> None:
    """Replace kcn_ref.* with the CSV files: the CSVs are the one source of truth."""
    reference_dir = get_settings().reference_dir  # REFERENCE_DIR unless KCN_REFERENCE_DIR
    with conn.cursor() as cur:
        for table in REFERENCE_TABLES:
            path = reference_dir / f"{table}.csv"
            with path.open(encoding="utf-8") as f:
                header = next(csv.reader(f))
            ident = sql.Identifier("kcn_ref", table)
            columns = sql.SQL(", ").join(
                sql.SQL("{} text").format(sql.Identifier(c)) for c in header)
            cur.execute(sql.SQL("create table if not exists {} ({})").format(ident, columns))
            cur.execute(sql.SQL("truncate {}").format(ident))
            data = path.read_text(encoding="utf-8")
            cur.copy_expert(
                sql.SQL("copy {} from stdin with (format csv, header true)").format(ident)
                .as_string(conn),
                io.StringIO(data),
            )
