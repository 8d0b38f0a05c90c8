"""`kcn bench`: the product measured at national scale, in one run, printed as one table.

On a database of its own (created on the embedded server, or on KCN_WAREHOUSE_URL's, and
dropped at the end: only that one), with the synthetic country of kcn.bench.national as
reference data (KCN_REFERENCE_DIR):

1. DAG parse time of each file of dags/ and of the whole folder, each in a fresh process,
   with and without the one-off `import airflow.sdk`.
2. History for 1 year (`short_history` months) COPYed in, `dbt seed` and a first
   `dbt run`; one new month; the measured `dbt run`.
3. History extended to 10 years (`long_history` months); a `dbt run` brings the incremental
   models up to date with it (a backfill); one new month; the measured `dbt run`. Their
   ratio, and the models that dominate (run_results.json).
4. The BI queries of the reporting marts with 10 years loaded, p50 and p95.
5. The intake of a new national month through the pipeline's own code
   (kcn.bench.intake_child: intake_month, stage_version, one validate_versions) in a
   process of its own, for its time and peak memory; then a raw COPY and
   pandas.DataFrame.to_sql of the same files into scratch tables, the same way.
6. The same month through a real Airflow (kcn.bench.scheduler), from the REST trigger to
   the marts, beside `kcn ingest` of the same files, each on a fresh database (skipped with
   `scheduler=False`: it starts every Airflow component).
"""

from __future__ import annotations

import json
import logging
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from kcn.bench.national import SCALES, Country, Scale
from kcn.period import month_index, period_of
from kcn.settings import get_settings
from kcn.transform.dbt_command import temporary_environ

logger = logging.getLogger(__name__)

# The months measured: the 10-year dbt month and the intake month. The 1-year dbt month is
# the same calendar month nine years earlier (short_history months after the start of the
# history): an incremental run rebuilds a month with the rest of its year, so two different
# months of the year would not compare like with like.
DBT_LONG_MONTH, INTAKE_MONTH = "2025-03", "2025-04"
GB = 1024**3

TARGET_COPY_SHARE = 0.30
TARGET_PEAK_RSS = 2 * GB
TARGET_DBT_RATIO = 1.5
TARGET_BI_P95_MS = 200.0
TARGET_DAG_PARSE_S = 0.5


@dataclass(frozen=True)
class BiQuery:
    key: str
    title: str
    sql: str


# What BI tools ask of the reporting marts (parameters filled in by `_bi_params`).
BI_QUERIES: tuple[BiQuery, ...] = (
    BiQuery(
        "bi.investment_by_province",
        "investment by province and month, one year (rpt_investment_monthly)",
        """
        select period, province_code, sum(new_projects_month) as new_projects,
               sum(new_projects_fdi_month) as new_projects_fdi,
               sum(new_capital_usd_mn_month) as new_capital_usd_mn,
               sum(new_capital_vnd_bn_month) as new_capital_vnd_bn,
               sum(registered_capital_converted_usd_mn_month) as converted_usd_mn
        from reporting.rpt_investment_monthly
        where is_all_zones and period between %(first)s and %(last)s
        group by period, province_code
        order by period, province_code
        """,
    ),
    BiQuery(
        "bi.plan_vs_actual",
        "plan vs actual of one province, one year (rpt_plan_vs_actual)",
        """
        select period, metric_code, currency, plan_value, value_to_date, pct_of_plan_ytd,
               remaining_to_plan
        from reporting.rpt_plan_vs_actual
        where province_code = %(province)s and is_all_zones
          and period between %(first)s and %(last)s
        order by metric_code, currency, period
        """,
    ),
    BiQuery(
        "bi.labour_by_zone",
        "labour and land by zone, one month (rpt_land_labour_monthly)",
        """
        select zone_code, zone_name_vi, workers, workers_female, workers_foreign,
               female_share_pct, avg_income_vnd_mn_month, occupancy_pct
        from reporting.rpt_land_labour_monthly
        where period = %(period)s and zone_code is not null
        order by zone_code
        """,
    ),
    BiQuery(
        "bi.exports_by_province",
        "exports by province (as it is now), one year (rpt_province_monthly)",
        """
        select period, province_code, value_month, value_ytd, value_month_usd_mn
        from reporting.rpt_province_monthly
        where province_basis = 'now' and metric_code = 'biz_export'
          and period between %(first)s and %(last)s
        order by period, province_code
        """,
    ),
    BiQuery(
        "bi.revisions",
        "revisions of one month (fct_indicator_revisions)",
        """
        select submitter_code, zone_code, enterprise_tax_code, metric_code, currency,
               revision_type, previous_value, value, change_pct
        from marts.fct_indicator_revisions
        where period = %(period)s
        order by submitter_code, metric_code, zone_code, enterprise_tax_code
        """,
    ),
    BiQuery(
        "bi.zone_series",
        "one zone's industrial output, whole history (fct_indicator_values)",
        """
        select period, value_month, value_ytd, obs_status
        from marts.fct_indicator_values
        where zone_code = %(zone)s and enterprise_tax_code is null
          and metric_code = 'biz_industrial_output'
        order by period
        """,
    ),
)


@dataclass
class Row:
    key: str
    measure: str
    result: str
    target: str = ""
    status: str = ""


@dataclass
class Report:
    scale: Scale
    preamble: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    def add(self, *args: str) -> None:
        self.rows.append(Row(*args))

    def render(self) -> str:
        header = ("id", "measure", "result", "target", "met")
        cells = [header, *((r.key, r.measure, r.result, r.target, r.status) for r in self.rows)]
        widths = [max(len(c[i]) for c in cells) for i in range(len(header))]

        def line(values: Sequence[str]) -> str:
            return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

        table = [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        table += [line(c) for c in cells[1:]]
        return "\n".join([*self.preamble, "", *table])


# --- The run --------------------------------------------------------------------------------------


def run(
    scale_name: str = "national",
    *,
    keep: bool = False,
    workdir: Path | None = None,
    out: TextIO | None = None,
    scheduler: bool = True,
) -> Report:
    """Run every measurement on a fresh database; print progress to `out` and return the table."""
    scale = SCALES[scale_name]
    say = _say(out or sys.stderr)
    settings = get_settings()
    server = settings.warehouse_url or _server_url(settings)
    name = f"kcn_bench_{uuid.uuid4().hex[:10]}"
    root = Path(workdir or tempfile.mkdtemp(prefix="kcn-bench-"))
    report = Report(scale)
    country = Country(scale)
    reference_dir = country.write_reference(root / "reference")
    from kcn.warehouse import connection as warehouse

    free = shutil.disk_usage(root).free
    if free < scale.disk_gb * GB:
        raise RuntimeError(
            f"kcn bench --scale {scale.name} needs about {scale.disk_gb} GB of free disk (the"
            f" database's server and {root} share it here); {free / GB:.0f} GB are free"
        )
    warehouse.ensure_database(server, name)
    url = urlsplit(server)._replace(path="/" + name).geturl()
    _limit_temp_files(server, name, free)
    say(f"benchmark database {name}, working folder {root}")
    env = {
        "KCN_WAREHOUSE_URL": url,
        "KCN_REFERENCE_DIR": str(reference_dir),
        "KCN_DATA": str(root / "data"),
        "KCN_LANDING": str(root / "data" / "landing"),
        "KCN_ARCHIVE": str(root / "data" / "archive"),
        "KCN_OUTBOX": str(root / "data" / "outbox"),
        "DBT_TARGET_PATH": str(root / "dbt" / "target"),
        "DBT_LOG_PATH": str(root / "dbt" / "logs"),
    }
    try:
        with temporary_environ(env):
            _measure(report, country, url, root, say, server if scheduler else None)
    finally:
        if not keep:
            _drop_database(server, name)
            say(f"dropped {name}")
            shutil.rmtree(root, ignore_errors=True)
    return report


def _measure(
    report: Report,
    country: Country,
    url: str,
    root: Path,
    say: Callable[[str], None],
    scheduler_server: str | None,
) -> None:
    from kcn import pipeline
    from kcn.warehouse import connection as warehouse

    scale = country.scale
    pipeline.prepare_warehouse()
    with warehouse.connect(url) as conn, conn.cursor() as cur:
        pg_version = warehouse.scalar(cur, "show server_version")
    report.preamble += [
        f"KCN Warehouse benchmark, scale {scale.name}, {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"machine: {_machine()}; PostgreSQL {pg_version}",
    ]

    say("DAG parse times")
    dag_rows = _dag_parse(root, runs=3 if scale.name == "national" else 1)

    # 1 year of history, its next month measured; then the years up to the 10-year month,
    # whose dbt run is measured the same way. Both runs append the newest month, as the
    # monthly pipeline does.
    long_start = month_index(DBT_LONG_MONTH) - scale.long_history
    short_month = long_start + scale.short_history
    dbt_short_month = period_of(short_month)
    short = [period_of(t) for t in range(long_start, short_month)]
    later = [period_of(t) for t in range(short_month + 1, month_index(DBT_LONG_MONTH))]

    say(f"history: {len(short)} months, COPY into kcn_raw and kcn_audit")
    t = time.perf_counter()
    loaded = _load(url, country, short)
    say(f"  {loaded['indicator_rows']:,} rows in {time.perf_counter() - t:.0f} s; dbt seed, run")
    from kcn.transform import dbt_command

    dbt_command.run_dbt(["seed", "--quiet"], url=url)
    dbt_command.run_dbt(["run", "--quiet"], url=url)
    _vacuum(url)
    _load(url, country, [dbt_short_month])
    say(f"dbt run after {dbt_short_month}, {_months(scale.short_history)} of history")
    dbt_short = _dbt_run(url, root, "short")

    say(f"history: {len(later)} more months")
    t = time.perf_counter()
    more = _load(url, country, later)
    say(
        f"  {more['indicator_rows']:,} rows in {time.perf_counter() - t:.0f} s;"
        " dbt run (the incremental models catch up)"
    )
    t = time.perf_counter()
    dbt_command.run_dbt(["run", "--quiet"], url=url)
    say(f"  caught up in {time.perf_counter() - t:.0f} s; vacuum analyze")
    t = time.perf_counter()
    _vacuum(url)
    say(f"  vacuumed in {time.perf_counter() - t:.0f} s")
    _load(url, country, [DBT_LONG_MONTH])
    say(f"dbt run after {DBT_LONG_MONTH}, {_months(scale.long_history)} of history")
    dbt_long = _dbt_run(url, root, "long")
    history = _history_sizes(url)

    say("BI queries")
    bi = _bi(url, country, scale.bi_repeats)

    say(f"intake of {INTAKE_MONTH} through the pipeline")
    landing = Path(os.environ["KCN_LANDING"])
    sizes = country.write_month(landing, INTAKE_MONTH)
    intake = _intake_child(INTAKE_MONTH)
    say("raw COPY and pandas to_sql of the same files")
    copy_s, to_sql_s = _baselines(url, landing / INTAKE_MONTH)
    scheduler_row: tuple[str, ...] = (
        "scheduler",
        "one month through Airflow",
        "not measured (--no-scheduler)",
    )
    if scheduler_server is not None:
        from kcn.bench import scheduler

        key, what, result, target, met = scheduler.row(
            scheduler.measure(country, INTAKE_MONTH, scheduler_server, root / "scheduler", say)
        )
        scheduler_row = (key, what, result, target, _status(met, "see the result"))

    rows = sizes["indicator_rows"] + sizes["enterprise_rows"]
    report.preamble += [
        f"country: {scale.provinces} provinces, {scale.zones} zones, {scale.districts} district"
        f" committees, {scale.enterprises:,} enterprises (synthetic, KCN_REFERENCE_DIR overlay)",
        f"one month: {rows:,} rows ({sizes['indicator_rows']:,} indicator rows +"
        f" {sizes['enterprise_rows']:,} enterprise rows) in {sizes['submissions']} submissions,"
        f" {sizes['bytes'] / 1e6:.1f} MB of CSV",
        f"dbt runs measured: {dbt_short_month} after {_months(scale.short_history)} of history,"
        f" {DBT_LONG_MONTH} after {_months(scale.long_history)}",
        f"history at the 10-year dbt run: {history['months']} months,"
        f" {history['versions']:,} accepted versions, {history['indicator_rows']:,} indicator"
        f" rows, {history['enterprise_rows']:,} enterprise rows (COPYed in, not validated)",
        f"intake outcomes: {_counts(intake['outcomes'])}; findings: {intake['findings']:,}",
    ]
    _intake_rows(report, rows, intake, copy_s, to_sql_s)
    report.add(*scheduler_row)
    _dbt_rows(report, scale, dbt_short, dbt_long)
    for query, (p50, p95, n) in bi.items():
        report.add(
            query.key,
            f"BI: {query.title}",
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms ({n:,} rows)",
            f"p95 < {TARGET_BI_P95_MS:.0f} ms",
            _status(p95 < TARGET_BI_P95_MS, f"{p95 / TARGET_BI_P95_MS:.1f}x the target"),
        )
    report.rows += dag_rows


# --- Intake, COPY, to_sql -------------------------------------------------------------------------


def _intake_child(period: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "kcn.bench.intake_child", period],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ.copy(),
    )
    if result.returncode != 0:
        raise RuntimeError(f"the intake of {period} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _baselines(url: str, month: Path) -> tuple[float, float]:
    """Seconds for a raw COPY, and for pandas read_csv + to_sql, of a month's files into
    scratch tables of text columns without keys (COPY: the physical limit)."""
    import pandas as pd
    import psycopg2
    from psycopg2 import sql
    from sqlalchemy import create_engine

    from kcn.contract import ENTERPRISE_COLUMNS, INDICATOR_COLUMNS

    files = sorted(month.glob("*/*.csv"))
    columns = {"indicators.csv": INDICATOR_COLUMNS, "enterprises.csv": ENTERPRISE_COLUMNS}

    def scratch(cur, prefix: str) -> None:
        cur.execute("create schema if not exists kcn_bench_scratch")
        for name, cols in columns.items():
            table = sql.Identifier("kcn_bench_scratch", f"{prefix}_{name.removesuffix('.csv')}")
            cur.execute(sql.SQL("drop table if exists {}").format(table))
            cur.execute(
                sql.SQL("create table {} ({})").format(
                    table,
                    sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c)) for c in cols),
                )
            )

    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            scratch(cur, "copy")
            scratch(cur, "to_sql")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cur:
            for path in files:
                table = f"kcn_bench_scratch.copy_{path.stem}"
                with path.open("rb") as f:
                    cur.copy_expert(f"copy {table} from stdin with (format csv, header true)", f)
        conn.commit()
        copy_s = time.perf_counter() - started
    finally:
        conn.close()

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1))
    try:
        started = time.perf_counter()
        for path in files:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            frame.to_sql(
                f"to_sql_{path.stem}",
                engine,
                schema="kcn_bench_scratch",
                if_exists="append",
                index=False,
            )
        to_sql_s = time.perf_counter() - started
    finally:
        engine.dispose()
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("drop schema kcn_bench_scratch cascade")
        conn.commit()
    finally:
        conn.close()
    return copy_s, to_sql_s


def _intake_rows(report: Report, rows: int, intake: dict, copy_s: float, to_sql_s: float) -> None:
    intake_rate = rows / intake["total_s"]
    copy_rate = rows / copy_s
    share = intake_rate / copy_rate
    report.add(
        "intake",
        "intake + parse + validate + stage of one month",
        f"{intake_rate:,.0f} rows/s = {share:.1%} of raw COPY ({intake['total_s']:.1f} s)",
        f">= {TARGET_COPY_SHARE:.0%} of raw COPY",
        _status(
            share >= TARGET_COPY_SHARE, f"{(TARGET_COPY_SHARE - share) * 100:.1f} points short"
        ),
    )
    for key, title in (
        ("intake_s", "archive + register (intake_month)"),
        ("stage_s", "parse + COPY into kcn_raw (stage_version each)"),
        ("validate_s", "validate, one GX run (validate_versions)"),
    ):
        report.add(
            f"intake.{key.removesuffix('_s')}",
            f"  of which {title}",
            f"{intake[key]:.1f} s ({intake[key] / intake['total_s']:.0%})",
        )
    report.add(
        "copy",
        "raw COPY of the same rows (physical limit)",
        f"{copy_rate:,.0f} rows/s ({copy_s:.1f} s)",
    )
    report.add(
        "to_sql",
        "pandas read_csv + DataFrame.to_sql of the same rows",
        f"{rows / to_sql_s:,.0f} rows/s ({to_sql_s:.1f} s) = {copy_s / to_sql_s:.0%} of raw COPY",
    )
    peak = intake["peak_rss_bytes"]
    report.add(
        "memory",
        "intake peak memory (RSS of the intake process)",
        f"{peak / GB:.2f} GB",
        f"< {TARGET_PEAK_RSS / GB:.0f} GB",
        _status(peak < TARGET_PEAK_RSS, f"{peak / TARGET_PEAK_RSS:.1f}x the target"),
    )


# --- dbt ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DbtTiming:
    wall_s: float
    models_s: float
    top: tuple[tuple[str, float], ...]
    error: str | None = None  # the run failed: what dbt said


def _dbt_run(url: str, root: Path, run_no: str) -> DbtTiming:
    from kcn.transform import dbt_command

    started = time.perf_counter()
    error = None
    try:
        dbt_command.run_dbt(["run", "--quiet"], url=url)
    except RuntimeError as exc:  # a failed model is a result of the benchmark, not its end
        error = " ".join(str(exc).split())[:300]
    wall = time.perf_counter() - started
    path = root / "dbt" / "target" / "run_results.json"
    results = json.loads(path.read_text())["results"]
    path.rename(path.with_name(f"run_results_{run_no}.json"))  # kept with --keep
    times = sorted(
        ((r["unique_id"].rsplit(".", 1)[-1], float(r["execution_time"])) for r in results),
        key=lambda x: -x[1],
    )
    return DbtTiming(wall, sum(t for _, t in times), tuple(times), error)


def _dbt_rows(report: Report, scale: Scale, short: DbtTiming, long: DbtTiming) -> None:
    for key, months, timing in (
        ("dbt.short", scale.short_history, short),
        ("dbt.long", scale.long_history, long),
    ):
        top = ", ".join(f"{name} {t:.0f} s" for name, t in timing.top[:3])
        failed = f"FAILED after {timing.wall_s:.0f} s: {timing.error}; " if timing.error else ""
        report.add(
            key,
            f"dbt run after one new month, {_months(months)} of history",
            f"{failed}{timing.wall_s:.0f} s (models {timing.models_s:.0f} s: {top})",
            "",
            "NOT MET (failed)" if timing.error else "",
        )
    ratio = long.wall_s / short.wall_s
    grew = sorted(
        ((name, t - dict(short.top).get(name, 0.0)) for name, t in long.top), key=lambda x: -x[1]
    )
    report.add(
        "dbt.ratio",
        f"dbt run ratio, {_months(scale.long_history)} / {_months(scale.short_history)}",
        f"{ratio:.1f}x (grew most: "
        + ", ".join(f"{n} +{d:.0f} s" for n, d in grew[:3])
        + ")"
        + (" (a run failed: at least this)" if long.error or short.error else ""),
        f"<= {TARGET_DBT_RATIO}",
        _status(
            ratio <= TARGET_DBT_RATIO and not (long.error or short.error),
            f"{ratio / TARGET_DBT_RATIO:.1f}x the target",
        ),
    )


# --- BI -------------------------------------------------------------------------------------------


def _bi_params(country: Country) -> dict[str, str]:
    year = int(DBT_LONG_MONTH[:4]) - 1  # the last whole year
    return {
        "first": f"{year}-01",
        "last": f"{year}-12",
        "period": DBT_LONG_MONTH,
        "province": country.provinces[0],
        "zone": country.zones[0],
    }


def _bi(url: str, country: Country, repeats: int) -> dict[BiQuery, tuple[float, float, int]]:
    """p50 and p95 in ms of each query over `repeats` runs after one warm-up run."""
    import psycopg2

    params = _bi_params(country)
    out = {}
    conn = psycopg2.connect(url)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            for query in BI_QUERIES:
                cur.execute(query.sql, params)
                n = len(cur.fetchall())
                times = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    cur.execute(query.sql, params)
                    cur.fetchall()
                    times.append((time.perf_counter() - started) * 1000)
                out[query] = (statistics.median(times), _percentile(times, 95), n)
    finally:
        conn.close()
    return out


def _percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --- DAG parse ------------------------------------------------------------------------------------

_PARSE = """
import json, runpy, sys, time
from pathlib import Path
from kcn import local_airflow
local_airflow.configure(Path(sys.argv[1]), migrate=False)
t0 = time.perf_counter()
import airflow.sdk
t1 = time.perf_counter()
for path in sys.argv[2:]:
    runpy.run_path(path, run_name="kcn_bench_dag")
t2 = time.perf_counter()
print(json.dumps({"sdk": t1 - t0, "dags": t2 - t1}))
"""


def _dag_parse(root: Path, runs: int) -> list[Row]:
    """Each DAG file, and the whole folder, imported in fresh processes (median of runs)."""
    files = sorted((get_settings().root / "dags").glob("*.py"))
    home = root / "airflow"
    rows = []

    def measure(paths: list[Path]) -> tuple[float, float]:
        taken = []
        for _ in range(runs):
            result = subprocess.run(
                [sys.executable, "-c", _PARSE, str(home), *map(str, paths)],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise RuntimeError(f"parsing {paths} failed:\n{result.stderr[-4000:]}")
            taken.append(json.loads(result.stdout.strip().splitlines()[-1]))
        return (
            statistics.median(r["dags"] for r in taken),
            statistics.median(r["sdk"] + r["dags"] for r in taken),
        )

    for path in [*([p] for p in files), files]:
        without, with_sdk = measure(path)
        folder = len(path) > 1
        key = "dag.folder" if folder else f"dag.{path[0].stem}"
        what = f"whole dags folder ({len(path)} files)" if folder else path[0].name
        target = f"< {TARGET_DAG_PARSE_S} s a file, without the sdk import"
        limit = TARGET_DAG_PARSE_S * len(path)
        rows.append(
            Row(
                key,
                f"DAG parse: {what}",
                f"{without:.2f} s without the airflow.sdk import, {with_sdk:.2f} s with",
                target,
                _status(without < limit, f"{without / limit:.1f}x the target"),
            )
        )
    return rows


# --- Helpers --------------------------------------------------------------------------------------


def _load(url: str, country: Country, periods: Sequence[str]) -> dict[str, int]:
    from kcn.warehouse import connection as warehouse

    with warehouse.connect(url) as conn:
        totals = country.load_history(conn, periods)
        conn.autocommit = True  # vacuum cannot run in a transaction
        with conn.cursor() as cur:
            cur.execute("vacuum analyze kcn_raw.indicators")
            cur.execute("vacuum analyze kcn_raw.enterprises")
            cur.execute("vacuum analyze kcn_audit.submission_version")
    return totals


def _vacuum(url: str) -> None:
    """VACUUM ANALYZE the whole database after a big load, as autovacuum would do soon
    after: otherwise autovacuum does it during the next measurement, on the same 2 cores."""
    from kcn.warehouse import connection as warehouse

    with warehouse.connect(url) as conn:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("vacuum analyze")


def _history_sizes(url: str) -> dict[str, int]:
    from kcn.warehouse import connection as warehouse

    with warehouse.connect(url) as conn, conn.cursor() as cur:
        cur.execute(
            "select count(distinct period), count(*) from kcn_audit.submission_version"
            " where outcome like 'accepted%%'"
        )
        months, versions = cur.fetchone() or (0, 0)
        indicators = warehouse.scalar(cur, "select count(*) from kcn_raw.indicators")
        enterprises = warehouse.scalar(cur, "select count(*) from kcn_raw.enterprises")
    return {
        "months": months,
        "versions": versions,
        "indicator_rows": indicators,
        "enterprise_rows": enterprises,
    }


def _server_url(settings) -> str:
    from kcn.warehouse import connection as warehouse

    return warehouse.server_url(settings)


def _limit_temp_files(server: str, name: str, free: int) -> None:
    """Cap one query's temporary files at a third of the free disk (at most 20 GB): a model
    that spills without bound fails (and the table says so) before it fills a disk that
    other work shares."""
    import psycopg2
    from psycopg2 import sql

    limit_mb = int(min(free / 3, 20 * GB) // 2**20)
    conn = psycopg2.connect(server)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(
                sql.SQL("alter database {} set temp_file_limit = {}").format(
                    sql.Identifier(name), sql.Literal(f"{limit_mb}MB")
                )
            )
    except psycopg2.Error as exc:  # not a superuser on the server: run without the cap
        logger.warning("could not cap temporary files of %s: %s", name, exc)
    finally:
        conn.close()


def _drop_database(server: str, name: str) -> None:
    """Drop the benchmark's own database (its name is generated here; never another one)."""
    from kcn.warehouse import connection as warehouse

    if not name.startswith("kcn_bench_"):
        raise ValueError(f"refusing to drop {name!r}: not a benchmark database")
    warehouse.drop_database(server, name)


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GB
    return (
        f"{os.cpu_count()} cores, {ram:.0f} GB RAM, {cpu}, {platform.system()}"
        f" {platform.release()}, Python {platform.python_version()}"
    )


def _months(n: int) -> str:
    if n % 12 == 0:
        years = n // 12
        return f"{years} year" + ("s" if years > 1 else "")
    return f"{n} month" + ("s" if n > 1 else "")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"


def _status(met: bool, shortfall: str) -> str:
    return "met" if met else f"NOT MET ({shortfall})"


def _say(stream: TextIO) -> Callable[[str], None]:
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {message}", file=stream, flush=True)

    return say
