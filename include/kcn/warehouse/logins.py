"""Logins for people and BI tools (`kcn access grant | revoke | list`): a login is a
PostgreSQL role that can log in with a generated password and is a member of one of the
reader roles of roles.py.

The password is generated here (secrets), stored as a SCRAM-SHA-256 verifier computed on
the client (libpq's PQencryptPasswordConn), so the clear password never reaches the
server, its log or pg_stat_activity; it is returned once to the caller and never logged.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg2.errors
import psycopg2.extensions
from psycopg2 import sql

from kcn.warehouse.roles import (
    AUDITOR,
    OWNER,
    PROVINCE_READER_PREFIX,
    READER,
    AccessError,
    province_readers,
    reader_roles,
)

logger = logging.getLogger(__name__)

# Lowercase, so that the name needs no quoting in psql or a BI tool's form.
LOGIN_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
_RESERVED_PREFIXES = ("kcn_", "pg_")
_RESERVED_NAMES = frozenset({"postgres", "public", "none", "current_user", "session_user"})
PASSWORD_BYTES = 24  # 32 URL-safe characters


@dataclass(frozen=True)
class Login:
    name: str
    roles: tuple[str, ...]
    password: str | None = None  # only right after grant

    def url(self, warehouse_url: str) -> str:
        """The warehouse URL for this login (with its password when known)."""
        parts = urlsplit(warehouse_url)
        auth = (
            self.name if self.password is None else f"{self.name}:{quote(self.password, safe='')}"
        )
        host = parts.hostname or "localhost"
        netloc = f"{auth}@{host}" + (f":{parts.port}" if parts.port else "")
        return parts._replace(netloc=netloc, query="").geturl()


def check_login_name(name: str) -> None:
    if (
        not LOGIN_PATTERN.match(name)
        or name.startswith(_RESERVED_PREFIXES)
        or name in _RESERVED_NAMES
    ):
        raise AccessError(
            f"Tên đăng nhập {name!r} không hợp lệ: dùng 2–63 ký tự a-z, 0-9, _, bắt đầu bằng một "
            "chữ cái, không bắt đầu bằng kcn_ hoặc pg_ (ví dụ: alice, metabase_hn). / "
            f"The login name {name!r} is not allowed: use 2-63 characters a-z, 0-9, _, starting "
            "with a letter, not starting with kcn_ or pg_ (e.g. alice, metabase_hn)."
        )


def check_role(role: str, reference_dir: Path) -> None:
    allowed = reader_roles(reference_dir)
    if role in allowed:
        return
    if role.startswith(PROVINCE_READER_PREFIX):
        code = role[len(PROVINCE_READER_PREFIX) :]
        known = ", ".join(sorted(province_readers(reference_dir)))
        raise AccessError(
            f"Không có tỉnh mã {code.upper()!r} trong danh mục tỉnh (kcn/reference/provinces.csv);"
            f" các mã hiện có: {known}. / There is no province {code.upper()!r} in the province "
            f"list (kcn/reference/provinces.csv); known codes: {known}."
        )
    raise AccessError(
        f"Vai trò {role!r} không cấp được cho một tài khoản; chọn một trong: "
        f"{', '.join(allowed)}. / The role {role!r} cannot be given to a login; choose one "
        f"of: {', '.join(allowed)}."
    )


def new_password() -> str:
    return secrets.token_urlsafe(PASSWORD_BYTES)


def grant(
    conn: psycopg2.extensions.connection, role: str, login: str, reference_dir: Path
) -> Login:
    """Create `login` with a generated password as a member of `role`; all or nothing.

    The connection's user must be allowed to create roles (the embedded server's superuser,
    an administrator). Raises AccessError (bilingual) for a name, role or province that
    cannot be used, or a login that already exists.
    """
    check_login_name(login)
    check_role(role, reference_dir)
    with conn.cursor() as cur:
        cur.execute("select 1 from pg_roles where rolname = %s", (role,))
        if cur.fetchone() is None:
            raise AccessError(
                f"Vai trò {role} chưa được tạo trên máy chủ này: chạy `kcn warehouse start` "
                f"trước. / The role {role} does not exist on this server yet: run "
                "`kcn warehouse start` first."
            )
        cur.execute("select 1 from pg_roles where rolname = %s", (login,))
        if cur.fetchone() is not None:
            raise AccessError(
                f"Tài khoản {login!r} đã có: chọn tên khác, hoặc thu hồi trước bằng `kcn access "
                f"revoke --login {login}`. / The login {login!r} already exists: choose another "
                f"name, or revoke it first with `kcn access revoke --login {login}`."
            )
        password = new_password()
        verifier = psycopg2.extensions.encrypt_password(password, login, conn, "scram-sha-256")
        try:
            # One statement: the login exists with its role and password, or not at all.
            cur.execute(
                sql.SQL("create role {} login password {} in role {}").format(
                    sql.Identifier(login), sql.Literal(verifier), sql.Identifier(role)
                )
            )
        except (psycopg2.errors.DuplicateObject, psycopg2.errors.UniqueViolation) as exc:
            raise AccessError(
                f"Tài khoản {login!r} vừa được tạo bởi một phiên khác. / The login {login!r} was "
                "just created by another session."
            ) from exc
    conn.commit()
    logger.info("created login %s in role %s", login, role)
    return Login(login, (role,), password)


def revoke(conn: psycopg2.extensions.connection, login: str, reference_dir: Path) -> None:
    """Drop a login created by grant (a login member of a reader role, nothing else)."""
    check_login_name(login)
    existing = {item.name: item for item in list_logins(conn, reference_dir)}
    if login not in existing:
        raise AccessError(
            f"Không có tài khoản đọc {login!r} (xem `kcn access list`). / There is no reader "
            f"login {login!r} (see `kcn access list`)."
        )
    with conn.cursor() as cur:
        cur.execute(sql.SQL("drop role {}").format(sql.Identifier(login)))
    conn.commit()
    logger.info("dropped login %s", login)


def list_logins(conn: psycopg2.extensions.connection, reference_dir: Path) -> list[Login]:
    """The logins that are members of a reader role, with those roles, by name."""
    roles = list(reader_roles(reference_dir))
    with conn.cursor() as cur:
        cur.execute(
            """
            select member.rolname, array_agg(granted.rolname order by granted.rolname)
            from pg_auth_members
            inner join pg_roles as member on pg_auth_members.member = member.oid
            inner join pg_roles as granted on pg_auth_members.roleid = granted.oid
            where granted.rolname = any(%s)
                and member.rolcanlogin
                and member.rolname <> all(%s)
            group by member.rolname
            order by member.rolname
            """,
            (roles, [OWNER, READER, AUDITOR]),
        )
        return [Login(name, tuple(granted)) for name, granted in cur.fetchall()]
