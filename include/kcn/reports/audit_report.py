"""The monthly audit report: one self-contained HTML file, in Vietnamese and English, that an
auditor opens from disk (no server, no external asset: inline CSS, an inline SVG chart).

    path = write_report(cur, "2021-11", outbox / "audit")

It holds, for one month: completeness and timeliness (with the last 12 months as a chart),
every version received with its outcome and checksum, the findings by rule and submitter
with the rows they point at, the GX results of every expectation, the dbt tests of the
latest runs, the month's revisions, and each province's headline figures with the versions,
files and rows they add up. Every query is a .sql file of audit_sql/; a section whose
relations dbt has not built yet says so instead of failing.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from kcn.contract import IN_FORCE_OUTCOMES
from kcn.period import VN_TZ, is_period, step

logger = logging.getLogger(__name__)

TREND_MONTHS = 12
FINDING_ROWS = 20  # rows shown per rule and submitter (the counts cover all)
REVISION_ROWS = 300
DBT_RUNS = 10
# The figures the articles headline, in the order the report shows them.
HEADLINE_METRICS = [
    "inv_new_projects",
    "inv_new_capital",
    "inv_added_capital",
    "biz_export",
    "biz_import",
    "lab_workers",
    "lnd_leased_area",
]
# Relations each section reads; a missing one (dbt not run yet) leaves the section empty.
NEEDS = {
    "completeness": (
        "reporting.rpt_completeness_national_monthly",
        "reporting.rpt_completeness_province_monthly",
        "reporting.rpt_completeness_submitter_monthly",
    ),
    "revisions": ("marts.fct_indicator_revisions",),
    "provinces": ("reporting.rpt_province_monthly", "reporting.rpt_indicators_monthly"),
}


@dataclass(frozen=True)
class Chart:
    """An SVG line chart of the reporting rate and the on-time rate, in percent."""

    width: int
    height: int
    labels: list[tuple[float, str]]  # x, period
    reporting: list[tuple[float, float, float]]  # x, y, rate
    on_time: list[tuple[float, float, float]]
    grid: list[tuple[float, int]]  # y, percent


def report_path(directory: Path, period: str) -> Path:
    return directory / f"kcn-audit-{period}.html"


def write_report(cur: Any, period: str, directory: Path) -> Path:
    """Write the month's report into directory (replacing an earlier one) and return its path."""
    html = render(report_data(cur, period))
    path = report_path(directory, period)
    directory.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)  # a reader never sees half a report
    logger.info("audit report %s written: %s", period, path)
    return path


def touched_periods(cur: Any) -> list[str]:
    """The months whose versions were judged since the dbt run before the latest one; the
    latest month with a judged version when there is none (first run, nothing new)."""
    cur.execute(_sql("touched_periods.sql"))
    periods = [row[0] for row in cur.fetchall()]
    if not periods:
        cur.execute(_sql("latest_period.sql"))
        latest = cur.fetchone()[0]
        periods = [latest] if latest else []
    return periods


def report_data(cur: Any, period: str) -> dict[str, Any]:
    """Everything the template shows for one month."""
    if not is_period(period):
        raise ValueError(f"period must be YYYY-MM, got {period!r} / kỳ báo cáo phải là YYYY-MM")
    missing = {section: _missing(cur, relations) for section, relations in NEEDS.items()}
    params = {
        "period": period,
        "first": step(period, 1 - TREND_MONTHS),
        "ok": IN_FORCE_OUTCOMES,
        "limit": FINDING_ROWS,
        "runs": DBT_RUNS,
        "metrics": HEADLINE_METRICS,
    }
    data: dict[str, Any] = {
        "period": period,
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "missing": missing,
        "versions": _rows(cur, "versions.sql", params),
        "findings": _rows(cur, "findings.sql", params),
        "checks": _rows(cur, "checks.sql", params),
        "dbt_runs": _rows(cur, "dbt_runs.sql", params),
    }
    data["trend"], data["chart"] = [], None
    data["province_completeness"], data["submitter_completeness"] = [], []
    if not missing["completeness"]:
        data["trend"] = _rows(cur, "completeness_trend.sql", params)
        data["chart"] = chart(data["trend"])
        data["province_completeness"] = _rows(cur, "completeness_provinces.sql", params)
        data["submitter_completeness"] = _rows(cur, "completeness_submitters.sql", params)
    data["dbt_failed"], data["dbt_models"] = [], []
    if data["dbt_runs"]:
        latest = {"run_id": data["dbt_runs"][0]["run_id"]}
        data["dbt_failed"] = _rows(cur, "dbt_tests.sql", latest)
        data["dbt_models"] = _rows(cur, "dbt_models.sql", latest)
    data["revisions"] = [] if missing["revisions"] else _rows(cur, "revisions.sql", params)
    data["provinces"] = []
    if not missing["provinces"]:
        data["provinces"] = _provinces(
            _rows(cur, "provinces.sql", params), _rows(cur, "province_lineage.sql", params)
        )
    data["summary"] = _summary(data)
    return data


def render(data: dict[str, Any]) -> str:
    return _template().render(**data, revision_rows=REVISION_ROWS)


def chart(trend: list[dict[str, Any]], width: int = 640, height: int = 220) -> Chart | None:
    """The coordinates of the rates over the months (0-100 % bottom to top)."""
    if not trend:
        return None
    left, right, top, bottom = 40, 16, 12, 36
    step = (width - left - right) / max(len(trend) - 1, 1)

    def y(rate: Any) -> float:
        return round(top + (height - top - bottom) * (1 - float(rate or 0) / 100), 1)

    xs = [round(left + i * step, 1) for i in range(len(trend))]
    return Chart(
        width=width,
        height=height,
        labels=[(x, r["period"]) for x, r in zip(xs, trend, strict=True)],
        reporting=[
            (x, y(r["reporting_rate"]), float(r["reporting_rate"] or 0))
            for x, r in zip(xs, trend, strict=True)
        ],
        on_time=[
            (x, y(r["on_time_rate"]), float(r["on_time_rate"] or 0))
            for x, r in zip(xs, trend, strict=True)
        ],
        grid=[(y(p), p) for p in (0, 25, 50, 75, 100)],
    )


def _provinces(figures: list[dict], lineage: list[dict]) -> list[dict[str, Any]]:
    """Each province with its figures, each figure with the rows it adds up."""
    rows_of: dict[tuple, list[dict]] = {}
    for row in lineage:
        rows_of.setdefault((row["province_code"], row["metric_code"], row["currency"]), []).append(
            row
        )
    provinces: dict[str, dict[str, Any]] = {}
    for figure in figures:
        code = figure["province_code"]
        province = provinces.setdefault(
            code,
            {
                "code": code,
                "name_vi": figure["province_name_vi"],
                "name_en": figure["province_name_en"],
                "figures": [],
            },
        )
        key = (code, figure["metric_code"], figure["currency"] or "")
        province["figures"].append({**figure, "rows": rows_of.get(key, [])})
    return list(provinces.values())


def _summary(data: dict[str, Any]) -> dict[str, Any]:
    versions = data["versions"]
    outcomes: dict[str, int] = {}
    for v in versions:
        outcomes[str(v["outcome"])] = outcomes.get(str(v["outcome"]), 0) + 1
    month = next((t for t in data["trend"] if t["period"] == data["period"]), None)
    checks = data["checks"]
    return {
        "versions": len(versions),
        "outcomes": outcomes,
        "findings": sum(f["findings"] for f in data["findings"]),
        "expectations": sum(c["versions"] for c in checks),
        "expectations_failed": sum(c["versions_failed"] for c in checks),
        "completeness": month,
        "revisions": len(data["revisions"]),
    }


def _missing(cur: Any, relations: tuple[str, ...]) -> list[str]:
    absent = []
    for relation in relations:
        cur.execute("select to_regclass(%s) is null", (relation,))
        if cur.fetchone()[0]:
            absent.append(relation)
    return absent


def _rows(cur: Any, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    cur.execute(_sql(name), params)
    columns = [d[0] for d in cur.description]
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


@cache
def _sql(name: str) -> str:
    return resources.files("kcn.reports").joinpath("audit_sql", name).read_text(encoding="utf-8")


@cache
def _template() -> jinja2.Template:
    source = resources.files("kcn.reports").joinpath("audit_report.html.j2").read_text("utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["num"] = _number
    env.filters["pct"] = _percent
    env.filters["when"] = _when
    env.filters["tojson_compact"] = lambda v: json.dumps(v, ensure_ascii=False, default=str)
    return env.from_string(source)


def _number(value: Any) -> str:
    """A figure as the report prints it: thousands with a thin space, at most 2 decimals."""
    if value is None:
        return "–"
    if isinstance(value, Decimal | float):
        number = float(value)
        text = f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,}" if isinstance(value, int) else str(value)
    return text.replace(",", "\u202f")


def _percent(value: Any) -> str:
    return "–" if value is None else f"{float(value):.1f} %"


def _when(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return value.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M (UTC+7)")
    return str(value)
