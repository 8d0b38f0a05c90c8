"""`kcn`: the command line of KCN Warehouse."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, cast

import typer

app = typer.Typer(
    help="KCN Warehouse: monthly reports of industrial zones, validated and modelled.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
warehouse_app = typer.Typer(help="The warehouse database.", no_args_is_help=True)
app.add_typer(warehouse_app, name="warehouse")
access_app = typer.Typer(
    help="Logins for BI tools, auditors and provinces (docs/access.md).", no_args_is_help=True
)
app.add_typer(access_app, name="access")

EXIT_OK, EXIT_REJECTED, EXIT_CANNOT_RUN = 0, 1, 2


def _cannot_run(exc: BaseException) -> typer.Exit:
    """Print a bilingual message of something that stopped a command; exit code 2."""
    typer.echo(str(exc), err=True)
    return typer.Exit(EXIT_CANNOT_RUN)


def _stopping_errors() -> tuple[type[BaseException], ...]:
    """Errors a command stops on with a message and exit code 2, never a traceback: a bad
    month, a warehouse that cannot be reached or went away, another run holding the lock."""
    from kcn.pipeline import PeriodError
    from kcn.warehouse.connection import WarehouseUnavailable
    from kcn.warehouse.locks import Busy

    return (PeriodError, WarehouseUnavailable, Busy)


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

    try:
        summary = pipeline.ingest(periods=period or None, landing_dir=landing, run_dbt_after=dbt)
    except _stopping_errors() as exc:
        raise _cannot_run(exc) from exc
    typer.echo(summary_text(summary))


@app.command()
def status(
    period: Annotated[str, typer.Option("--period", "-p", help="YYYY-MM")],
    format: Annotated[str, typer.Option("--format")] = "text",
) -> None:
    """What arrived for a month, what is missing, and each version's outcome."""
    _quiet_logging(False)
    from kcn import pipeline

    try:
        summary = pipeline.month_summary(period)
    except _stopping_errors() as exc:
        raise _cannot_run(exc) from exc
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
    rejected_only = ", ".join(summary["rejected_only"]) or "none / không"
    console.print(f"Rejected only (counted as missing) / Chỉ có bản bị từ chối: {rejected_only}")
    c = cast(dict[str, Any], summary["completeness"])
    console.print(
        f"Expected / Phải nộp: {c['expected']}; received / Đã nhận: {c['actual']}; "
        f"on time / Đúng hạn: {c['on_time']}; reporting rate / Tỷ lệ nộp: "
        f"{_percent(c['reporting_rate'])}; on-time rate / Tỷ lệ đúng hạn: "
        f"{_percent(c['on_time_rate'])} ({summary['completeness_source']})"
    )

    from kcn.intake.landing import ISSUE_REASONS

    issues: list[dict[str, Any]] = summary["landing_issues"]
    for issue in issues:
        vi, en = ISSUE_REASONS.get(issue["reason"], (issue["reason"], issue["reason"]))
        console.print(
            f"Not taken in / Không tiếp nhận: {issue['path']!r}: {vi} / {en}"
            f" (seen {issue['times_seen']}x, last {issue['last_seen'][:16]})",
            markup=False,
        )


def _percent(rate: object) -> str:
    return "-" if rate is None else f"{rate} %"


@app.command()
def report(
    period: Annotated[str, typer.Option("--period", "-p", help="YYYY-MM")],
    data_docs: Annotated[
        bool, typer.Option("--data-docs", help="Also build GX Data Docs of the month's results")
    ] = False,
) -> None:
    """Write the month's audit report: one HTML file that opens without a server."""
    _quiet_logging(False)
    from kcn import pipeline
    from kcn.period import is_period

    if not is_period(period):
        typer.echo(
            f"--period phải có dạng YYYY-MM, ví dụ 2021-11 / --period must be YYYY-MM,"
            f" e.g. 2021-11 (got {period!r})",
            err=True,
        )
        raise typer.Exit(EXIT_CANNOT_RUN)
    typer.echo(str(pipeline.write_audit_report(period)))
    if data_docs:
        typer.echo(str(pipeline.build_data_docs(period)))


@app.command()
def remind(
    period: Annotated[str, typer.Option("--period", "-p", help="YYYY-MM")],
) -> None:
    """Remind every submitter whose report for the month is missing or was rejected only
    (after the deadline): a message in the outbox, and by e-mail when SMTP is configured."""
    _quiet_logging(False)
    from kcn import pipeline
    from kcn.period import deadline, is_period
    from kcn.settings import get_settings

    if not is_period(period):
        typer.echo(f"kcn remind: --period must be YYYY-MM, got {period!r}", err=True)
        raise typer.Exit(2)
    due = deadline(period, get_settings().late_day)
    if datetime.now(UTC) <= due:
        typer.echo(
            f"{period}: hạn nộp {due:%d/%m/%Y %H:%M} chưa qua, chưa nhắc / the deadline"
            f" {due:%Y-%m-%d %H:%M} (Vietnam) has not passed: no reminder is due yet"
        )
        return
    results = pipeline.remind(period)
    for r in results:
        to = ", ".join(r["recipients"]) or "no contact_email / không có địa chỉ"
        typer.echo(f"{r['submitter_code']} ({r['reason']}): {r['status']} -> {to}; {r['path']}")
    if not results:
        typer.echo(f"{period}: nothing missing / không thiếu báo cáo nào")


@app.command()
def demo(
    start: Annotated[str, typer.Option(help="First month")] = "2020-01",
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


@access_app.command("grant")
def access_grant(
    role: Annotated[
        str, typer.Option("--role", help="kcn_reader, kcn_auditor or kcn_reader_<province>")
    ],
    login: Annotated[str, typer.Option("--login", help="The new login's name, e.g. alice")],
) -> None:
    """Create a login with a generated password; print it once, with how to connect."""
    _quiet_logging(False)
    from kcn import pipeline
    from kcn.settings import get_settings
    from kcn.warehouse.connection import connect, warehouse_url
    from kcn.warehouse.logins import grant
    from kcn.warehouse.roles import AccessError

    settings = get_settings()
    url = warehouse_url(settings)
    try:
        pipeline.prepare_warehouse(settings)  # the roles exist before a login joins one
        with connect(url, as_owner=False) as conn:
            created = grant(conn, role, login, settings.reference_dir)
    except AccessError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_CANNOT_RUN) from exc
    typer.echo(
        f"Tài khoản / Login: {created.name} ({role})\n"
        f"Mật khẩu / Password: {created.password}\n"
        "  (chỉ hiện một lần; hãy lưu lại ngay / shown once only; store it now)\n"
        f"psql / BI: {created.url(url)}"
    )


@access_app.command("revoke")
def access_revoke(
    login: Annotated[str, typer.Option("--login", help="A login created by `kcn access grant`")],
) -> None:
    """Drop a login created by `kcn access grant`."""
    _quiet_logging(False)
    from kcn.settings import get_settings
    from kcn.warehouse.connection import connect, warehouse_url
    from kcn.warehouse.logins import revoke
    from kcn.warehouse.roles import AccessError

    settings = get_settings()
    try:
        with connect(warehouse_url(settings), as_owner=False) as conn:
            revoke(conn, login, settings.reference_dir)
    except AccessError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_CANNOT_RUN) from exc
    typer.echo(f"Đã thu hồi / Revoked: {login}")


@access_app.command("list")
def access_list() -> None:
    """The reader and auditor logins, with their roles."""
    _quiet_logging(False)
    from kcn.settings import get_settings
    from kcn.warehouse.connection import connect, warehouse_url
    from kcn.warehouse.logins import list_logins

    settings = get_settings()
    with connect(warehouse_url(settings), as_owner=False) as conn:
        for item in list_logins(conn, settings.reference_dir):
            typer.echo(f"{item.name}\t{', '.join(item.roles)}")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def dbt(ctx: typer.Context) -> None:
    """Run dbt against the warehouse, e.g. `kcn dbt build` or `kcn dbt docs generate`."""
    from kcn import pipeline

    try:
        pipeline.run_dbt(list(ctx.args) or ["build"])
    except _stopping_errors() as exc:
        raise _cannot_run(exc) from exc


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())
