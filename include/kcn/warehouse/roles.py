"""The warehouse's roles (docs/access.md): kcn_owner, kcn_reader, kcn_auditor and one
kcn_reader_<province> per province, created idempotently with their grants (roles.sql).

Roles are cluster-wide in PostgreSQL: several databases of one server (test sessions, the
benchmark) share them, so they are only ever created when missing, never dropped here.
"""

from __future__ import annotations

import csv
import logging
from importlib import resources
from pathlib import Path

import psycopg2.errors
import psycopg2.extensions
from psycopg2 import sql

logger = logging.getLogger(__name__)

OWNER = "kcn_owner"
READER = "kcn_reader"
AUDITOR = "kcn_auditor"
PROVINCE_READER_PREFIX = "kcn_reader_"


class AccessError(ValueError):
    """A role, login or province that cannot be used; the message is bilingual."""


def province_reader(province_code: str) -> str:
    """The reader role of a province: kcn_reader_hn for HN."""
    return PROVINCE_READER_PREFIX + province_code.lower()


def province_readers(reference_dir: Path) -> dict[str, str]:
    """Every province of provinces.csv (merged ones included) and its reader role."""
    with (reference_dir / "provinces.csv").open(encoding="utf-8") as f:
        return {
            row["province_code"]: province_reader(row["province_code"]) for row in csv.DictReader(f)
        }


def reader_roles(reference_dir: Path) -> tuple[str, ...]:
    """The roles a login may be given: kcn_reader, kcn_auditor and the province readers."""
    return (READER, AUDITOR, *province_readers(reference_dir).values())


def ensure_roles(conn: psycopg2.extensions.connection, reference_dir: Path) -> None:
    """Create the missing roles, give kcn_owner every schema of the warehouse and grant the
    readers what they read (roles.sql); safe to repeat and to run from several databases at
    once. Run after schema.ensure_schema, as a role that may create roles."""
    provinces = province_readers(reference_dir)
    with conn.cursor() as cur:
        for role in (OWNER, READER, AUDITOR, *provinces.values()):
            _create_role(cur, role)
        cur.execute("select rolsuper from pg_roles where rolname = current_user")
        is_superuser = _one(cur)
        if not is_superuser and not _is_member(cur, OWNER):
            # A managed server's pipeline login acts as kcn_owner: it must be a member.
            cur.execute(sql.SQL("grant {} to current_user").format(sql.Identifier(OWNER)))
        ddl = resources.files("kcn.warehouse").joinpath("roles.sql").read_text(encoding="utf-8")
        cur.execute(ddl)
        cur.execute("delete from kcn_access.province_reader")
        for code, role in provinces.items():
            cur.execute(
                "insert into kcn_access.province_reader (province_code, role_name) values (%s, %s)",
                (code, role),
            )
            cur.execute(
                sql.SQL(
                    "grant usage on schema marts, reporting, kcn_access to {role};"
                    " grant select on all tables in schema kcn_access to {role}"
                ).format(role=sql.Identifier(role))
            )


def _create_role(cur: psycopg2.extensions.cursor, role: str) -> None:
    cur.execute("select 1 from pg_roles where rolname = %s", (role,))
    if cur.fetchone() is not None:
        return
    cur.execute("savepoint create_role")
    try:
        cur.execute(sql.SQL("create role {} nologin").format(sql.Identifier(role)))
    except (psycopg2.errors.DuplicateObject, psycopg2.errors.UniqueViolation):
        # another database's session created it at the same moment
        cur.execute("rollback to savepoint create_role")
    except psycopg2.errors.InsufficientPrivilege as exc:
        cur.execute("rollback to savepoint create_role")
        raise AccessError(
            f"Vai trò {role} chưa có và người dùng hiện tại không được tạo vai trò: nhờ quản trị "
            "viên chạy các lệnh trong docs/access.md (PostgreSQL được quản lý). / "
            f"The role {role} does not exist and the current user may not create roles: ask an "
            "administrator to run the statements of docs/access.md (managed PostgreSQL)."
        ) from exc
    else:
        cur.execute("release savepoint create_role")
        logger.info("created role %s", role)


def _one(cur: psycopg2.extensions.cursor) -> object:
    """The one value of a one-row, one-column result."""
    row = cur.fetchone()
    assert row is not None, "the query returns one row"
    return row[0]


def _is_member(cur: psycopg2.extensions.cursor, role: str) -> bool:
    cur.execute("select pg_has_role(current_user, %s, 'member')", (role,))
    return bool(_one(cur))


def act_as_owner(conn: psycopg2.extensions.connection) -> bool:
    """`set role kcn_owner` on this connection when the role exists, this database has been
    handed to it (ensure_roles ran here: kcn_access is the owner's) and the connected user
    may act as it (a superuser may): what the pipeline writes then belongs to kcn_owner,
    and the superuser's powers stay for administration. False when it could not."""
    with conn.cursor() as cur:
        can = _may_act_as_owner(cur, session_user=False)
        if can:
            cur.execute(sql.SQL("set role {}").format(sql.Identifier(OWNER)))
    # Committed, the role holds for the session, and the caller gets a connection with no
    # transaction open (one that switches to autocommit, for VACUUM, may).
    conn.commit()
    return bool(can)


def owner_role_for(url: str) -> str | None:
    """The role dbt should `set` on a warehouse: kcn_owner when this database has been handed
    to it (as act_as_owner) and the URL's user may act as it and is not it already, else
    None."""
    import psycopg2

    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            can = _may_act_as_owner(cur, session_user=True)
    finally:
        conn.close()
    return OWNER if can else None


def _may_act_as_owner(cur: psycopg2.extensions.cursor, *, session_user: bool) -> bool:
    """Whether the connected user (session_user), or the role it acts as now (current_user),
    may `set role kcn_owner` and is not it already, on a database that has been handed to
    kcn_owner (kcn_access is the owner's)."""
    cur.execute(
        """
        select exists (select 1 from pg_roles where rolname = %(owner)s)
            and exists (
                select 1 from pg_namespace
                where nspname = 'kcn_access' and pg_get_userbyid(nspowner) = %(owner)s
            )
            and who.name <> %(owner)s
            and pg_has_role(who.name, (select oid from pg_roles where rolname = %(owner)s),
                            'member')
        from (select case when %(session)s then session_user else current_user end as name) as who
        """,
        {"owner": OWNER, "session": session_user},
    )
    return bool(_one(cur))
