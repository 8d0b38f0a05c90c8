"""`kcn demo`: six years of realistic submissions through the whole monthly pipeline."""

from __future__ import annotations

import logging
import os
import shutil
import time
from datetime import date, datetime
from pathlib import Path

from psycopg2 import sql

from kcn.period import VN_TZ, local_day, months
from kcn.settings import Settings, get_settings
from kcn.warehouse import connection as warehouse

logger = logging.getLogger(__name__)

MARKER = ".kcn-demo"  # the demo only ever resets data it created itself
DEMO_SCHEMAS = (
    "kcn_ref",
    "kcn_raw",
    "kcn_audit",
    "staging",
    "intermediate",
    "marts",
    "reporting",
    "dbt_test_failures",
)


def run(
    start: str = "2020-01",
    end: str = "2025-12",
    use_airflow: bool = True,
    settings: Settings | None = None,
    docs: bool = True,
) -> str:
    """Generate the submissions from start to end, run them through the pipeline, then the
    corrections; `docs`: also generate dbt's catalogue. Returns the summary to print."""
    from kcn import pipeline
    from kcn.demo import data as demo_data

    settings = settings or get_settings()
    began = time.monotonic()
    _reset(settings)
    manifest = demo_data.generate(settings.landing, start, end)
    _stamp_received(settings.landing, days_after=5)
    for period, submitter, day in manifest.received_early:  # sent before the month closed
        _stamp_folder_on(settings.landing / period / submitter, date.fromisoformat(day))
    periods = months(start, end)
    _run_months(periods, settings, use_airflow, "first submissions / lần nộp đầu")

    corrected = demo_data.apply_corrections(settings.landing, manifest)
    for folder in corrected:
        _stamp_folder(folder, days_after=20)  # resubmitted later in the following month
    _run_months(
        sorted({f.parent.name for f in corrected}), settings, use_airflow, "corrections / bản sửa"
    )
    if docs:
        pipeline.run_dbt(["docs", "generate"], settings)  # the catalogue of every model and column
    counts = pipeline.warehouse_counts(settings)
    return summary(settings, counts, time.monotonic() - began)


def _run_months(periods: list[str], settings: Settings, use_airflow: bool, label: str) -> None:
    print(f"== {label}: {len(periods)} months", flush=True)
    if use_airflow:
        from kcn import local_airflow

        local_airflow.configure()
        failed = []
        for i, period in enumerate(periods, 1):
            state = local_airflow.run_dag(
                "kcn_monthly_intake", _run_date(period), conf={"period": period}
            )
            print(f"  [{i}/{len(periods)}] kcn_monthly_intake {period}: {state}", flush=True)
            if state != "success":
                failed.append(f"kcn_monthly_intake {period}")
        state = local_airflow.run_dag("kcn_transform", datetime.now(VN_TZ))
        print(f"  kcn_transform: {state}", flush=True)
        if state != "success":
            failed.append("kcn_transform")
        if failed:  # a submission's faults are outcomes; a failed run is the pipeline's fault
            raise SystemExit(f"DAG runs failed: {', '.join(failed)}; see the task logs above")
    else:
        from kcn import pipeline

        pipeline.ingest(periods=periods, settings=settings)


def _run_date(period: str) -> datetime:
    """The DAG runs on the 11th of the following month, after the deadline."""
    return local_day(period, 11, hour=6)


def _stamp_folder(folder: Path, days_after: int) -> None:
    """Give the files the time they would have arrived: days after the month ended."""
    when = local_day(folder.parent.name, days_after, hour=9)
    for path in folder.iterdir():
        os.utime(path, (when.timestamp(), when.timestamp()))


def _stamp_folder_on(folder: Path, day: date) -> None:
    """Give the files the time they arrived on a given day (9:00 in Vietnam)."""
    when = datetime(day.year, day.month, day.day, 9, tzinfo=VN_TZ)
    for path in folder.iterdir():
        os.utime(path, (when.timestamp(), when.timestamp()))


def _stamp_received(landing: Path, days_after: int) -> None:
    for month in sorted(landing.iterdir()):
        for folder in sorted(p for p in month.iterdir() if p.is_dir()):
            _stamp_folder(folder, days_after)


def _reset(settings: Settings) -> None:
    """Start from nothing, but only where the demo itself wrote before."""
    data_dirs = [settings.landing, settings.archive, settings.outbox]
    marker = settings.landing.parent / MARKER
    used = [d for d in data_dirs if d.exists() and any(d.iterdir())]
    if used and not marker.exists():
        raise SystemExit(
            f"{', '.join(map(str, used))} already hold data that the demo did not write. "
            "Set KCN_DATA to an empty folder for the demo. / Thư mục đã có dữ liệu không phải của "
            "bản demo: đặt KCN_DATA tới một thư mục trống."
        )
    for d in data_dirs:
        if d.exists():
            for root, dirs, _ in os.walk(d):  # archive blobs are read-only
                for name in dirs:
                    os.chmod(os.path.join(root, name), 0o755)
            shutil.rmtree(d)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("written by kcn demo\n")
    with warehouse.connect(warehouse.warehouse_url(settings)) as conn, conn.cursor() as cur:
        held = warehouse.scalar(
            cur,
            "select count(*) from kcn_audit.submission_version"
            if _has_registry(cur)
            else "select 0",
        )
        if held and not used:
            raise SystemExit(
                "The warehouse holds submissions that the demo did not load. Set "
                "KCN_WAREHOUSE_URL to an empty database for the demo. / Kho dữ liệu đã có báo cáo "
                "không phải của bản demo."
            )
        for schema in DEMO_SCHEMAS:
            cur.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(schema)))
    from kcn import pipeline

    pipeline.prepare_warehouse(settings)


def _has_registry(cur) -> bool:
    cur.execute("select to_regclass('kcn_audit.submission_version') is not null")
    return bool(cur.fetchone()[0])


def summary(settings: Settings, counts: dict[str, int], seconds: float) -> str:
    with warehouse.connect(warehouse.warehouse_url(settings)) as conn, conn.cursor() as cur:
        cur.execute(
            "select coalesce(outcome, 'pending'), count(*)"
            " from kcn_audit.submission_version group by 1 order by 1"
        )
        outcomes = cur.fetchall()
        findings = warehouse.scalar(cur, "select count(*) from kcn_audit.finding")
    lines = [
        "",
        "KCN Warehouse demo: done / hoàn tất",
        f"  time: {seconds:.0f} s",
        "  submission versions by outcome: " + ", ".join(f"{o} {n}" for o, n in outcomes),
        f"  findings recorded: {findings}",
        f"  facts in marts.fct_indicators_monthly: {counts['facts']}",
        "",
        "Where to look / Xem ở đâu:",
        f'  psql "$(kcn warehouse url)"      # {warehouse.warehouse_url(settings)}',
        "  kcn status --period 2021-12      # what arrived, outcomes, what is missing",
        "  kcn report --period 2021-11      # the month's audit report (one HTML file)",
        f"  {settings.outbox}/               # findings reports sent back to submitters",
        f"  {settings.archive}/              # every version received, by SHA-256",
        "  docs/star-schema.md              # the marts and example SQL",
        "  kcn dbt docs serve               # every model and column, described",
    ]
    return "\n".join(lines)
