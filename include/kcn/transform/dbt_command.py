"""Run the dbt project (dbt_project/) from Python: for the CLI, the DAGs and the tests.

dbt reads its connection from KCN_DBT_* environment variables (dbt_project/profiles.yml);
this module derives them from a PostgreSQL URL so every caller names the warehouse the
same way, as a URL. dbt acts as kcn_owner (KCN_DBT_ROLE, `set role`) when the URL's user
may: the relations it builds belong to the owner role, never to a superuser.

dbt is imported inside the functions: it is slow to import, and DAG files must not pay for
it at parse time.

dbtRunner is not safe to use from several threads of one process, and the variables are
set in os.environ for the duration of a call, so run one dbt command per process at a time.
"""

from __future__ import annotations

import getpass
import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import Any
from urllib.parse import unquote, urlsplit

from kcn.settings import Settings, get_settings
from kcn.warehouse.connection import warehouse_url
from kcn.warehouse.roles import owner_role_for

logger = logging.getLogger(__name__)

# Statuses of dbt's RunStatus / TestStatus that mean a node did not do its job.
_FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})


def dbt_env(url: str) -> dict[str, str]:
    """The KCN_DBT_* variables profiles.yml reads, from a PostgreSQL URL.

    >>> dbt_env("postgresql://kcn:s%40cret@db.local:5433/kcn_warehouse")["KCN_DBT_PASSWORD"]
    's@cret'
    """
    parts = urlsplit(url)
    if parts.scheme.split("+")[0] not in ("postgresql", "postgres"):
        raise ValueError(
            f"not a PostgreSQL URL: {_redact(url)!r}; "
            "expected postgresql://user[:password]@host[:port]/dbname"
        )
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname:
        raise ValueError(f"the URL {_redact(url)!r} names no database; add /<dbname> at its end")
    if parts.query:
        # profiles.yml has no place for libpq options (sslmode, ...); say so, do not guess.
        logger.warning("dbt ignores the URL's query options: %s", parts.query)
    return {
        "KCN_DBT_HOST": parts.hostname or "localhost",
        "KCN_DBT_PORT": str(parts.port or 5432),
        # libpq's default user is the operating-system user; do the same.
        "KCN_DBT_USER": unquote(parts.username) if parts.username else getpass.getuser(),
        "KCN_DBT_PASSWORD": unquote(parts.password or ""),
        "KCN_DBT_DBNAME": dbname,
    }


def dbt_settings_env(settings: Settings) -> dict[str, str]:
    """The settings the dbt models read (macros/reporting_completeness.sql): the late day, so
    the deadline has one definition (kcn.period.DEFAULT_LATE_DAY, or KCN_LATE_DAY)."""
    return {"KCN_DBT_LATE_DAY": str(settings.late_day)}


def run_dbt(args: list[str], url: str | None = None, settings: Settings | None = None) -> None:
    """Run one dbt command (e.g. ["build"], ["test", "--select", "marts"]) on a warehouse.

    url defaults to the configured warehouse. The results of its tests are added to
    kcn_audit.dbt_test_result. Raises RuntimeError naming the failed nodes when dbt reports
    a failure.
    """
    settings = settings or get_settings()
    if url is None:
        url = warehouse_url(settings)
    logger.info("running dbt %s on %s", " ".join(args), _redact(url))
    env = {**dbt_env(url), "KCN_DBT_ROLE": owner_role_for(url) or "", **dbt_settings_env(settings)}
    result = _invoke(args, env, settings)
    _keep_test_results(url, result, env, settings)
    if not result.success:
        raise RuntimeError(_failure_message(args, result))


def _keep_test_results(url: str, result: Any, env: Mapping[str, str], settings: Settings) -> None:
    """Add the run's test results to the warehouse's history (test_results.py), failed
    tests included: those are the ones an auditor looks for. The tests that failed or
    warned run again with --store-failures, so their failing rows are kept in the
    dbt_test_failures schema and sampled into the history: storing the failures of every
    test on every run cost a third more test time for tables that stay empty."""
    from dbt_common.invocation import get_invocation_id, get_invocation_started_at

    from kcn.transform import test_results

    tests = test_results.from_run_results(getattr(result.result, "results", None) or [])
    if not tests:
        return
    run_id, invoked_at = get_invocation_id(), get_invocation_started_at()
    failing = [
        t.test_name for t in tests if t.status in ("fail", "warn") and t.resource_type == "test"
    ]
    if failing:
        stored = _invoke(["test", "--store-failures", "--select", *failing], env, settings)
        relations = test_results.failures_relations(getattr(stored.result, "results", None) or [])
        tests = [
            replace(t, failures_relation=relations.get(t.unique_id, t.failures_relation))
            for t in tests
        ]
    kept = test_results.record_test_results(url, run_id, invoked_at, tests)
    logger.info("kept %d dbt test results", kept)


def _invoke(args: list[str], env: Mapping[str, str], settings: Settings) -> Any:
    from dbt.cli.main import dbtRunner

    project_dir = str(settings.dbt_project_dir)
    full_args = [*args, "--project-dir", project_dir, "--profiles-dir", project_dir]
    with temporary_environ(env):
        try:
            return dbtRunner().invoke(full_args)
        finally:
            _release_adapters()


def _release_adapters() -> None:
    """Drop the adapters dbt keeps between commands, and with them their locks.

    dbt makes its adapters' and manifest's locks from a "spawn" multiprocessing context:
    each is a named semaphore that multiprocessing's resource tracker watches, and that is
    released only when the lock is collected or at a normal interpreter exit. An Airflow
    task process ends without that exit, and the tracker then logs "There appear to be 2
    leaked semaphore objects" on stderr, an ERROR line in a task that succeeded. The next
    command registers its adapter again.
    """
    import gc

    from dbt.adapters.factory import reset_adapters

    reset_adapters()
    gc.collect()


@contextmanager
def temporary_environ(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore them."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _failure_message(args: list[str], result: Any) -> str:
    command = "dbt " + " ".join(args)
    if result.exception is not None:
        return f"{command} could not run: {result.exception}"
    failed = [
        f"{r.node.unique_id} ({_status(r)}): {(r.message or '').strip()}"
        for r in getattr(result.result, "results", None) or []
        if _status(r) in _FAILED_STATUSES
    ]
    if not failed:
        return f"{command} failed; see dbt_project/logs/dbt.log"
    return f"{command} failed on {len(failed)} node(s):\n  " + "\n  ".join(failed)


def _status(run_result: Any) -> str:
    status = run_result.status
    return str(getattr(status, "value", status))


def _redact(url: str) -> str:
    """The URL without its password, for logs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


if __name__ == "__main__":  # `python -m kcn.transform.dbt_command --print-env`: for sqlfluff
    import shlex
    import sys

    if sys.argv[1:] != ["--print-env"]:
        sys.exit("usage: python -m kcn.transform.dbt_command --print-env")
    settings = get_settings()
    url = warehouse_url(settings)
    role = {"KCN_DBT_ROLE": owner_role_for(url) or ""}
    for key, value in {**dbt_env(url), **role, **dbt_settings_env(settings)}.items():
        print(f"export {key}={shlex.quote(value)}")
