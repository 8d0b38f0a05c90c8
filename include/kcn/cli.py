"""`kcn`: the command line of KCN Warehouse."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="KCN Warehouse: monthly reports of industrial zones, validated and modelled.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
warehouse_app = typer.Typer(help="The warehouse database.", no_args_is_help=True)
app.add_typer(warehouse_app, name="warehouse")

EXIT_OK, EXIT_REJECTED, EXIT_CANNOT_RUN = 0, 1, 2


def _quiet_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@app.command()
def validate(
    folder: Annotated[
        Path, typer.Argument(help="A submission folder: .../<YYYY-MM>/<SUBMITTER_CODE>")
    ],
    format: Annotated[str, typer.Option("--format", help="json or text")] = "text",
) -> None:
    """Dry run: check a submission folder without loading it (contract section 8)."""
    _quiet_logging(False)
    from kcn.intake.tables import Limits
    from kcn.settings import get_settings
    from kcn.validation import dry_run
    from kcn.warehouse.connection import warehouse_url

    if format not in ("json", "text"):
        typer.echo("--format must be json or text / --format phải là json hoặc text", err=True)
        raise typer.Exit(EXIT_CANNOT_RUN)
    settings = get_settings()
    try:
        try:
            url = warehouse_url(settings)
        except Exception as exc:
            raise dry_run.CannotRun(
                f"Không kết nối được kho dữ liệu / Cannot reach the warehouse: {exc}"
            ) from exc
        report = dry_run.check_folder(
            folder,
            url=url,
            limits=Limits(settings.max_file_bytes, settings.max_rows),
            late_day=settings.late_day,
        )
    except dry_run.CannotRun as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_CANNOT_RUN) from exc
    if format == "json":
        typer.echo(json.dumps(report, ensure_ascii=False))
    else:
        typer.echo(dry_run.as_text(report))
    raise typer.Exit(EXIT_REJECTED if report["outcome"] == "rejected" else EXIT_OK)


@app.command()
def template(
    submitter: Annotated[str, typer.Option("--submitter", "-s", help="e.g. BQL-HN")],
    period: Annotated[str, typer.Option("--period", "-p", help="YYYY-MM")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Default: ./<SUBMITTER>-<YYYY-MM>.xlsx")
    ] = None,
) -> None:
    """Write the XLSX template a submitter fills in for one month."""
    from kcn.intake.template import TemplateError, write_template
    from kcn.settings import get_settings

    try:
        path = write_template(
            submitter,
            period,
            out or Path(f"{submitter}-{period}.xlsx"),
            late_day=get_settings().late_day,
        )
    except TemplateError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_CANNOT_RUN) from exc
    typer.echo(str(path))


@app.command()
def ingest(
    period: Annotated[
        list[str] | None,
        typer.Option(
            "--period", "-p", help="YYYY-MM; repeatable. Default: every month in the landing area"
        ),
    ] = None,
    landing: Annotated[Path | None, typer.Option(help="Landing area (default KCN_LANDING)")] = None,
    dbt: Annotated[bool, typer.Option("--dbt/--no-dbt", help="Rebuild the marts after")] = True,
    verbose: bool = False,
) -> None:
    """Take in, validate and stage submissions without Airflow (for repairs and scripts)."""
    _quiet_logging(verbose)
    from kcn import pipeline
    from kcn.reports.status import summary_text

    summary = pipeline.ingest(periods=period or None, landing_dir=landing, run_dbt_after=dbt)
    typer.echo(summary_text(summary))


@app.command()
def status(
    period: Annotated[str, typer.Option("--period", "-p", help="YYYY-MM")],
    format: Annotated[str, typer.Option("--format")] = "text",
) -> None:
    """What arrived for a month, what is missing, and each version's outcome."""
    _quiet_logging(False)
    from kcn import pipeline

    summary = pipeline.month_summary(period)
    if format == "json":
        typer.echo(pipeline.dump_json(summary))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Submissions for {period} / Báo cáo tháng {period}")
    for column in ("submitter", "version", "outcome", "in force", "errors", "warnings", "received"):
        table.add_column(column)
    for v in summary["versions"]:
        table.add_row(
            v["submitter_code"],
            str(v["version_no"]),
            str(v["outcome"]),
            "yes" if v["in_force"] else "",
            str(v["errors"]),
            str(v["warnings"]),
            v["received_at"][:16],
        )
    console = Console()
    console.print(table)
    missing = ", ".join(summary["missing"]) or "none / không"
    console.print(f"Missing / Chưa nộp: {missing}")


@app.command()
def demo(
    start: Annotated[str, typer.Option(help="First month")] = "2021-01",
    end: Annotated[str, typer.Option(help="Last month")] = "2025-12",
    airflow: Annotated[
        bool, typer.Option("--airflow/--no-airflow", help="Run every month through the DAGs")
    ] = True,
    verbose: bool = False,
) -> None:
    """Generate realistic submissions and run the whole monthly pipeline on them."""
    _quiet_logging(verbose)
    from kcn.demo import run as demo_run

    result = demo_run.run(start=start, end=end, use_airflow=airflow)
    typer.echo(result)


@app.command()
def bench(
    scale: Annotated[
        str, typer.Option(help="small (~2 min), medium (a tenth of the country) or national")
    ] = "national",
    keep: Annotated[bool, typer.Option("--keep", help="Keep its database and files")] = False,
    workdir: Annotated[Path | None, typer.Option(help="Default: a temporary folder")] = None,
    scheduler: Annotated[
        bool,
        typer.Option(
            "--scheduler/--no-scheduler",
            help="Also take the month in through a real Airflow, beside `kcn ingest`",
        ),
    ] = True,
) -> None:
    """Benchmark the product at national scale on a fresh database; print one table."""
    _quiet_logging(False)
    from kcn.bench import benchmark, national

    if scale not in national.SCALES:
        typer.echo(f"--scale must be one of {', '.join(national.SCALES)}", err=True)
        raise typer.Exit(EXIT_CANNOT_RUN)
    typer.echo(benchmark.run(scale, keep=keep, workdir=workdir, scheduler=scheduler).render())


@warehouse_app.command("url")
def warehouse_url() -> None:
    """Print the warehouse's connection URL (for psql and BI tools)."""
    from kcn.warehouse.connection import warehouse_url

    typer.echo(warehouse_url())


@warehouse_app.command("start")
def warehouse_start() -> None:
    """Start the embedded PostgreSQL (a no-op when KCN_WAREHOUSE_URL is set)."""
    from kcn import pipeline
    from kcn.warehouse.connection import warehouse_url

    typer.echo(warehouse_url())
    pipeline.prepare_warehouse()


@warehouse_app.command("stop")
def warehouse_stop() -> None:
    """Stop the embedded PostgreSQL."""
    from kcn.settings import get_settings
    from kcn.warehouse import embedded

    embedded.stop(get_settings().pgdata)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def dbt(ctx: typer.Context) -> None:
    """Run dbt against the warehouse, e.g. `kcn dbt build` or `kcn dbt docs generate`."""
    from kcn import pipeline

    pipeline.run_dbt(list(ctx.args) or ["build"])


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())
