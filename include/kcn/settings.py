"""One place for configuration, read from the environment by the CLI, the DAGs, GX and dbt."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kcn.period import DEFAULT_LATE_DAY

DEFAULT_REFERENCE_DIR = Path(__file__).parent / "reference"


def _project_root() -> Path:
    """The checkout this package lives in (editable install), else the working directory."""
    if "KCN_HOME" in os.environ:
        return Path(os.environ["KCN_HOME"]).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "dbt_project").is_dir():
            return parent
    return Path.cwd()


@dataclass(frozen=True)
class SmtpSettings:
    """Where reminders are sent from: KCN_SMTP_*, else Airflow's [smtp] section
    (AIRFLOW__SMTP__SMTP_*), so a deployment configures its mail server once."""

    host: str
    port: int
    mail_from: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never in a log line
    starttls: bool = False
    ssl: bool = False


def _flag(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "on")


def smtp_settings(env: dict[str, str] | os._Environ[str] = os.environ) -> SmtpSettings | None:
    """The mail server from the environment; None when neither KCN_SMTP_HOST nor
    AIRFLOW__SMTP__SMTP_HOST is set (reminders are then written to the outbox only)."""
    if env.get("KCN_SMTP_HOST"):
        prefix, starttls_default = "KCN_SMTP_", "false"
        names = {"mail_from": "FROM"}
    elif env.get("AIRFLOW__SMTP__SMTP_HOST"):
        # Airflow's option names and defaults (STARTTLS on unless turned off).
        prefix, starttls_default = "AIRFLOW__SMTP__SMTP_", "true"
        names = {"mail_from": "MAIL_FROM"}
    else:
        return None

    def get(name: str, default: str = "") -> str:
        return env.get(prefix + name, default)

    ssl = _flag(get("SSL", "false"))
    return SmtpSettings(
        host=get("HOST"),
        port=int(get("PORT") or ("465" if ssl else "25")),
        mail_from=get(names["mail_from"]) or "kcn-warehouse@localhost",
        user=get("USER") or None,
        password=get("PASSWORD") or None,
        starttls=_flag(get("STARTTLS", starttls_default)),
        ssl=ssl,
    )


@dataclass(frozen=True)
class Settings:
    root: Path
    warehouse_url: str | None  # None: use the embedded PostgreSQL
    landing: Path
    archive: Path
    outbox: Path
    pgdata: Path
    embedded_port: int
    embedded_port_fixed: bool  # KCN_EMBEDDED_PORT set: never fall back to another port
    dbt_project_dir: Path
    max_file_bytes: int
    max_rows: int
    late_day: int  # submissions are late after this day of the following month
    # The reference CSVs (kcn_ref and validation read the same files); KCN_REFERENCE_DIR
    # points elsewhere, e.g. at the national benchmark's synthetic zones and submitters.
    reference_dir: Path = DEFAULT_REFERENCE_DIR
    smtp: SmtpSettings | None = None  # None: reminders go to the outbox only

    @property
    def embedded(self) -> bool:
        return self.warehouse_url is None


def get_settings() -> Settings:
    root = _project_root()
    data = Path(os.environ.get("KCN_DATA", root / "data"))
    return Settings(
        root=root,
        warehouse_url=os.environ.get("KCN_WAREHOUSE_URL") or None,
        landing=Path(os.environ.get("KCN_LANDING", data / "landing")),
        archive=Path(os.environ.get("KCN_ARCHIVE", data / "archive")),
        outbox=Path(os.environ.get("KCN_OUTBOX", data / "outbox")),
        pgdata=Path(os.environ.get("KCN_PGDATA", root / ".kcn" / "pgdata")),
        embedded_port=int(os.environ.get("KCN_EMBEDDED_PORT", "54329")),
        embedded_port_fixed="KCN_EMBEDDED_PORT" in os.environ,
        dbt_project_dir=Path(os.environ.get("KCN_DBT_PROJECT_DIR", root / "dbt_project")),
        max_file_bytes=int(os.environ.get("KCN_MAX_FILE_BYTES", str(50 * 1024 * 1024))),
        max_rows=int(os.environ.get("KCN_MAX_ROWS", "1000000")),
        late_day=int(os.environ.get("KCN_LATE_DAY", str(DEFAULT_LATE_DAY))),
        reference_dir=Path(os.environ.get("KCN_REFERENCE_DIR", DEFAULT_REFERENCE_DIR)),
        smtp=smtp_settings(),
    )
