"""The pipeline's own tables (schema.sql) and the reference tables, created or refreshed
idempotently before a run."""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

import psycopg2.extensions
from psycopg2 import sql

# Loaded in this order so later tables can refer to earlier ones.
REFERENCE_TABLES = (
    "provinces",
    "submitters",
    "zones",
    "zone_provinces",
    "zone_districts",
    "units",
    "metrics",
)


def ensure_schema(conn: psycopg2.extensions.connection, reference_dir: Path) -> None:
    """Create the pipeline's tables and (re)load reference data; safe to repeat."""
    ddl = resources.files("kcn.warehouse").joinpath("schema.sql").read_text(encoding="utf-8")
    with conn.cursor() as cur:
        cur.execute("select pg_advisory_xact_lock(4242)")  # parallel tasks start together
        cur.execute(ddl)
    load_reference(conn, reference_dir)


def load_reference(conn: psycopg2.extensions.connection, reference_dir: Path) -> None:
    """Replace kcn_ref.* with the CSV files of reference_dir: the CSVs are the one source of
    truth (kcn.reference reads the same files)."""
    with conn.cursor() as cur:
        for table in REFERENCE_TABLES:
            path = reference_dir / f"{table}.csv"
            with path.open(encoding="utf-8") as f:
                header = next(csv.reader(f))
            ident = sql.Identifier("kcn_ref", table)
            columns = sql.SQL(", ").join(
                sql.SQL("{} text").format(sql.Identifier(c)) for c in header
            )
            cur.execute(sql.SQL("create table if not exists {} ({})").format(ident, columns))
            # A column added to a CSV (submitters' contact_email) is added to a table an
            # older release created; the COPY names the CSV's columns.
            for column in header:
                cur.execute(
                    sql.SQL("alter table {} add column if not exists {} text").format(
                        ident, sql.Identifier(column)
                    )
                )
            cur.execute(sql.SQL("truncate {}").format(ident))
            data = path.read_text(encoding="utf-8")
            cur.copy_expert(
                sql.SQL("copy {} ({}) from stdin with (format csv, header true)")
                .format(ident, sql.SQL(", ").join(sql.Identifier(c) for c in header))
                .as_string(conn),
                io.StringIO(data),
            )
