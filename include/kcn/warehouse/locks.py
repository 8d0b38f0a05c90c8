"""PostgreSQL advisory locks: one pipeline run per month at a time, one dbt build at a time,
across the CLI and Airflow (every process that reaches the same warehouse).

A lock is held by a connection of its own for the duration of a step: when the process dies
(kill -9, a lost server) PostgreSQL releases it, so a lock is never left behind. The second
run waits, saying so, up to `wait_seconds`; then it stops with a clear message and touches
nothing.

    with month_lock(url, "2024-03"):   # intake, staging and validation of the month
    with month_lock(url, "2024-03", shared=True):  # staging one version (in parallel)
    with dbt_lock(url):
"""

from __future__ import annotations

import contextlib
import logging
import zlib
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg2
from psycopg2 import errors

from kcn.warehouse.connection import WarehouseUnavailable, open_connection

logger = logging.getLogger(__name__)

_MONTH, _DBT, _VERSION = 0x4B434E01, 0x4B434E02, 0x4B434E03  # lock namespaces ('KCN' + n)
DEFAULT_WAIT_SECONDS = 30 * 60


class Busy(RuntimeError):
    """Another run holds the lock longer than this one would wait (bilingual message)."""


def _key(text: str) -> int:
    return zlib.crc32(text.encode("utf-8")) - (1 << 31)  # a signed 32-bit int


# (try, wait) statements of an exclusive and of a shared advisory lock
_STATEMENTS = {
    False: ("select pg_try_advisory_lock(%s, %s)", "select pg_advisory_lock(%s, %s)"),
    True: ("select pg_try_advisory_lock_shared(%s, %s)", "select pg_advisory_lock_shared(%s, %s)"),
}


@contextmanager
def advisory_lock(
    url: str,
    namespace: int,
    key: int,
    what: tuple[str, str],
    *,
    shared: bool = False,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Iterator[None]:
    """Hold the advisory lock (namespace, key) on a connection of its own for the block."""
    conn = open_connection(url)
    conn.autocommit = True
    try_lock, lock = _STATEMENTS[shared]
    try:
        with conn.cursor() as cur:
            cur.execute(try_lock, (namespace, key))
            if not (cur.fetchone() or (False,))[0]:
                logger.warning(
                    "Đang chờ: %s đang được một lần chạy khác xử lý. / Waiting: another run is"
                    " working on %s.",
                    what[0],
                    what[1],
                )
                cur.execute("set lock_timeout = %s", (f"{int(wait_seconds * 1000)}ms",))
                try:
                    cur.execute(lock, (namespace, key))
                except errors.LockNotAvailable as exc:
                    raise Busy(
                        f"Một lần chạy khác vẫn đang xử lý {what[0]} sau {wait_seconds:.0f} giây"
                        f" chờ; lần chạy này dừng lại, không thay đổi gì. Hãy chạy lại sau. / "
                        f"Another run is still working on {what[1]} after a wait of "
                        f"{wait_seconds:.0f} s; this run stopped and changed nothing. Run it "
                        "again later."
                    ) from exc
                logger.info("lock on %s taken after waiting", what[1])
        yield
    except (psycopg2.OperationalError, psycopg2.InterfaceError) as exc:
        raise WarehouseUnavailable.of(exc) from exc
    finally:
        with contextlib.suppress(psycopg2.Error):
            conn.close()  # closing the session releases its advisory locks


def month_lock(
    url: str, period: str, *, shared: bool = False, wait_seconds: float = DEFAULT_WAIT_SECONDS
) -> AbstractContextManager[None]:
    """One pipeline run per month: intake and validation hold it alone; staging versions of
    the month may share it (each version then has its own lock: version_lock)."""
    return advisory_lock(
        url,
        _MONTH,
        _key(period),
        (f"tháng {period}", f"month {period}"),
        shared=shared,
        wait_seconds=wait_seconds,
    )


def dbt_lock(
    url: str, *, wait_seconds: float = DEFAULT_WAIT_SECONDS
) -> AbstractContextManager[None]:
    """One dbt build at a time on a warehouse."""
    return advisory_lock(url, _DBT, 0, ("bản dựng dbt", "the dbt build"), wait_seconds=wait_seconds)


def version_lock(cur: Any, version_id: int) -> None:
    """Within a transaction: one process at a time stages a version (released at commit)."""
    cur.execute("select pg_advisory_xact_lock(%s, %s)", (_VERSION, version_id))
