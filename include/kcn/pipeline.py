"""The monthly pipeline's steps, called by the Airflow DAGs and the CLI.

Each step works on a fixed partition (a month, a version) and can run twice with the same
result.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from kcn import feedback, intake, parse, stage, warehouse
from kcn.findings import Finding, outcome_of
from kcn.settings import Settings, get_settings

logger = logging.getLogger(__name__)

ACCEPTED = ("accepted", "accepted_with_warnings")


def prepare_warehouse(settings: Settings | None = None) -> None:
    with warehouse.connect(warehouse.warehouse_url(settings)) as conn:
        warehouse.ensure_schema(conn)


def intake_month(period: str, settings: Settings | None = None) -> list[int]:
    """Archive and register every new version in `<landing>/<period>`; return those to validate."""
    settings = settings or get_settings()
    if not intake.PERIOD_RE.match(period):
        raise ValueError(f"period must be YYYY-MM, got {period!r}")
    with warehouse.connect(warehouse.warehouse_url(settings)) as conn, conn.cursor() as cur:
        for folder in intake.submission_folders(settings.landing, period):
            version = intake.read_folder(folder)
            intake.archive(version, settings.archive)
            intake.register(cur, version)
            conn.commit()  # each registered version is safe before the next is read
        cur.execute(
            "select version_id from kcn_audit.submission_version"
            " where period = %s and outcome is null order by submitter_code, version_no",
            (period,),
        )
        return [row[0] for row in cur.fetchall()]


def stage_version(version_id: int, settings: Settings | None = None) -> dict[str, object]:
    """Parse a version's archived files and COPY every row into kcn_raw (replacing a re-run).

    What stops reading (fatal findings) is recorded at once, so validation knows it.
    """
    settings = settings or get_settings()
    with warehouse.connect(warehouse.warehouse_url(settings)) as conn, conn.cursor() as cur:
        submitter, period, _, files, received_at = _version(cur, version_id)
        paths = _archived_paths(files, settings)
        limits = parse.Limits(settings.max_file_bytes, settings.max_rows)
        parsed = parse.parse_files(paths, submitter, period, limits=limits, received_at=received_at)
        counts = stage.stage_version(cur, version_id, parsed)
        _record_findings(cur, version_id, parsed.findings)
        cur.execute("update kcn_audit.submission_version set outcome = null, validated_at = null"
                    " where version_id = %s", (version_id,))
    return {"version_id": version_id, "submitter_code": submitter, "period": period,
            "rows": counts, "fatal": parsed.fatal}


def validate_versions(version_ids: list[int], settings: Settings | None = None,
                      ) -> list[dict[str, object]]:
    """Validate staged versions together (one GX run per table), record outcomes and findings,
    update which version is in force, and write each submitter's findings report."""
    from kcn import validate  # GX is heavy: load it only where validation runs

    settings = settings or get_settings()
    if not version_ids:
        return []
    with warehouse.connect(warehouse.warehouse_url(settings)) as conn, conn.cursor() as cur:
        # The history rules sort three years of a board's figures: in memory, not on disk.
        cur.execute("set local work_mem = '64MB'")
        staged = stage.read_staged(cur, version_ids)
        items, meta = [], []
        for version_id in version_ids:
            submitter, period, version_no, files, received_at = _version(cur, version_id)
            indicators, enterprises = staged.get(version_id, (None, None))
            parsed = parse.ParsedSubmission(submitter, period, indicators, enterprises,
                                            _parse_findings(cur, version_id), received_at)
            items.append((parsed, validate.load_history(cur, submitter, period, received_at)))
            meta.append((version_id, submitter, period, version_no, files))
        all_findings = validate.validate_many(items)
        results = []
        for (version_id, submitter, period, version_no, files), findings in zip(
                meta, all_findings, strict=True):
            outcome = outcome_of(findings)
            _record_findings(cur, version_id, findings)
            cur.execute("update kcn_audit.submission_version set outcome = %s, validated_at = now()"
                        " where version_id = %s", (outcome, version_id))
            _update_supersession(cur, submitter, period)
            feedback.write_feedback(settings.outbox, period, submitter, version_no, outcome,
                                    findings, _archived_paths(files, settings))
            logger.info("%s %s v%s: %s (%d findings)", submitter, period, version_no, outcome,
                        len(findings))
            results.append({"version_id": version_id, "submitter_code": submitter,
                            "period": period, "version_no": version_no, "outcome": outcome,
                            "findings": len(findings)})
    return results


def process_version(version_id: int, settings: Settings | None = None) -> dict[str, object]:
    """Stage and validate one version (repairs, tests)."""
    stage_version(version_id, settings)
    return validate_versions([version_id], settings)[0]


def _archived_paths(files: list[dict], settings: Settings) -> dict[str, Path]:
    """The archive copy of each file the pipeline reads, by its name as submitted."""
    return {f["name"]: settings.archive / f["archive_path"] for f in files
            if parse.is_submission_file(f["name"])}


def _version(cur, version_id: int) -> tuple:
    cur.execute(
        "select submitter_code, period, version_no, files, received_at"
        " from kcn_audit.submission_version where version_id = %s",
        (version_id,),
    )
    row = cur.fetchone()
    if row is None:
        raise LookupError(f"no submission version {version_id}")
    return row


def _parse_findings(cur, version_id: int) -> list[Finding]:
    """The findings recorded while reading: the file-level ones (row is null or fatal)."""
    cur.execute(
        "select rule_id, severity, file_name, row_number, column_name, value, message_vi,"
        " message_en from kcn_audit.finding where version_id = %s and rule_id = any(%s)"
        " order by finding_id",
        (version_id, list(parse.PARSE_RULES)),
    )
    return [Finding(*row) for row in cur.fetchall()]


def _record_findings(cur, version_id: int, findings: list[Finding]) -> None:
    cur.execute("delete from kcn_audit.finding where version_id = %s", (version_id,))
    if findings:
        from psycopg2.extras import execute_values

        execute_values(
            cur,
            "insert into kcn_audit.finding (version_id, rule_id, severity, file_name, row_number,"
            " column_name, value, message_vi, message_en) values %s",
            [(version_id, f.rule_id, f.severity, f.file, f.row, f.column, f.value, f.message_vi,
              f.message_en) for f in findings],
            page_size=1000,
        )


def _update_supersession(cur, submitter: str, period: str) -> None:
    """The newest accepted version is in force; older accepted ones point to it."""
    cur.execute(
        """
        with in_force as (
            select version_id, version_no from kcn_audit.submission_version
            where submitter_code = %(s)s and period = %(p)s and outcome in %(ok)s
            order by version_no desc limit 1
        )
        update kcn_audit.submission_version as v
        set superseded_by = case
            when v.outcome in %(ok)s and v.version_no < f.version_no then f.version_id end
        from in_force as f
        where v.submitter_code = %(s)s and v.period = %(p)s
        """,
        {"s": submitter, "p": period, "ok": ACCEPTED},
    )


def month_summary(period: str, settings: Settings | None = None) -> dict[str, object]:
    """What arrived for a month, what was expected, and the outcomes of the versions."""
    from kcn import reference

    settings = settings or get_settings()
    expected = sorted(reference.expected_submitters(period))
    with warehouse.connect(warehouse.warehouse_url(settings)) as conn, conn.cursor() as cur:
        cur.execute(
            """
            select v.submitter_code, v.version_no, v.outcome, v.received_at,
                   v.superseded_by is null and v.outcome in %s as in_force,
                   count(f.finding_id) filter (where f.severity in ('fatal', 'error')),
                   count(f.finding_id) filter (where f.severity = 'warning')
            from kcn_audit.submission_version as v
            left join kcn_audit.finding as f on f.version_id = v.version_id
            where v.period = %s
            group by v.version_id order by v.submitter_code, v.version_no
            """,
            (ACCEPTED, period),
        )
        versions = [
            {"submitter_code": s, "version_no": n, "outcome": o, "received_at": r.isoformat(),
             "in_force": bool(f), "errors": e, "warnings": w}
            for s, n, o, r, f, e, w in cur.fetchall()
        ]
    received = {v["submitter_code"] for v in versions}
    outcomes: dict[str, int] = {}
    for v in versions:
        outcomes[str(v["outcome"])] = outcomes.get(str(v["outcome"]), 0) + 1
    return {
        "period": period,
        "expected": expected,
        "missing": [s for s in expected if s not in received],
        "versions": versions,
        "outcomes": outcomes,
    }


def run_dbt(args: list[str] | None = None, settings: Settings | None = None) -> None:
    from kcn import dbt_runner

    dbt_runner.run_dbt(args or ["build"], url=warehouse.warehouse_url(settings))


def dump_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


