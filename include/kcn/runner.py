"""Run the pipeline for several months without Airflow: repairs, scripts and tests."""

from __future__ import annotations

from pathlib import Path

from kcn import intake, pipeline, warehouse
from kcn.settings import Settings, get_settings


def ingest(periods: list[str] | None = None, landing: Path | None = None, run_dbt: bool = True,
           settings: Settings | None = None) -> dict[str, object]:
    from dataclasses import replace

    from rich.progress import Progress

    settings = settings or get_settings()
    if landing is not None:
        settings = replace(settings, landing=landing)
    pipeline.prepare_warehouse(settings)
    if periods is None:
        periods = sorted({f.parent.name for f in intake.submission_folders(settings.landing)})
    outcomes: dict[str, int] = {}
    with Progress(transient=True) as progress:
        task = progress.add_task("intake / tiếp nhận", total=len(periods))
        for period in periods:
            version_ids = pipeline.intake_month(period, settings)
            for version_id in version_ids:
                pipeline.stage_version(version_id, settings)
            for result in pipeline.validate_versions(version_ids, settings):
                outcomes[str(result["outcome"])] = outcomes.get(str(result["outcome"]), 0) + 1
            progress.advance(task)
    if run_dbt:
        pipeline.run_dbt(["build"], settings)
    return {"periods": len(periods), "outcomes": outcomes, **warehouse_counts(settings)}


def warehouse_counts(settings: Settings | None = None) -> dict[str, int]:
    """Registry and mart counts for summaries."""
    with warehouse.connect(warehouse.warehouse_url(settings)) as conn, conn.cursor() as cur:
        cur.execute("select count(*) from kcn_audit.submission_version")
        versions = cur.fetchone()[0]
        cur.execute("select to_regclass('marts.fct_indicators_monthly') is not null")
        facts = 0
        if cur.fetchone()[0]:
            cur.execute("select count(*) from marts.fct_indicators_monthly")
            facts = cur.fetchone()[0]
    return {"versions": versions, "facts": facts}


def summary_text(summary: dict[str, object]) -> str:
    outcomes = summary.get("outcomes") or {}
    parts = ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())) or "nothing new"
    return (f"{summary['periods']} months; versions processed: {parts}; "
            f"registry holds {summary['versions']} versions; marts hold {summary['facts']} facts")
