"""Validate one submission version: folder checks, parse findings, then the GX suites.

    findings = validate(parsed, history=history)
    outcome(findings)  # accepted | accepted_with_warnings | rejected

The GX context is ephemeral and made once per process (creating it is slow); each table
has a pandas dataframe asset with a whole-dataframe batch definition. Suites run with
result_format COMPLETE and unexpected_index_column_names ["file_name", "row_number"]: for
pandas GX then returns every offending row, not a sample, and each becomes a Finding.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from expectations import enterprises, indicators
from kcn import reference, rules
from kcn.findings import Finding, outcome_of
from kcn.settings import get_settings

if TYPE_CHECKING:
    from kcn.parse import ParsedSubmission

log = logging.getLogger(__name__)

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
INDEX_COLUMNS = ["file_name", "row_number"]

# A key of previous_ytd: (zone_code, enterprise_tax_code, metric_code, value_kind, currency).
YtdKey = tuple[str | None, str | None, str, str, str | None]


@dataclass(frozen=True)
class History:
    """What earlier accepted submissions tell about this one (empty: no history checks)."""

    known_tax_codes: frozenset[str] = frozenset()  # listed by the same board before
    previous_ytd: Mapping[YtdKey, float] = field(default_factory=dict)  # canonical unit
    received_at: datetime | None = None  # used when the parsed submission has none


def outcome(findings: list[Finding]) -> str:
    return outcome_of(findings)


def validate(parsed: ParsedSubmission, *, history: History | None = None) -> list[Finding]:
    """Every finding of one submission version, folder-level first, then file by file."""
    history = history or History()
    submitter, period = parsed.folder_submitter, parsed.folder_period
    folder = _folder_findings(submitter, period)
    if folder:
        return folder
    findings = _late(period, parsed.received_at or history.received_at)
    findings += parsed.findings
    if any(f.severity == "fatal" for f in parsed.findings):
        return findings

    listed: set[str] = set()
    if parsed.enterprises is not None:
        listed = set(parsed.enterprises["tax_code"].dropna())
    ctx = reference.rule_context(submitter, period, frozenset(listed) | history.known_tax_codes)
    for module, table, frame in (
        (indicators, "indicators", parsed.indicators),
        (enterprises, "enterprises", parsed.enterprises),
    ):
        if frame is not None and len(frame):
            table_findings = run_suite(module, table, frame, ctx)
            table_findings.sort(key=lambda f: (f.file or "", f.row or 0))  # stable sort
            findings += table_findings
    log.debug("%s %s: %d findings", submitter, period, len(findings))
    return findings


def validate_many(
    items: Sequence[tuple[ParsedSubmission, History | None]],
) -> list[list[Finding]]:
    """The findings of several submission versions, in the order given."""
    return [validate(parsed, history=history) for parsed, history in items]


def load_history(
    cur: Any, submitter_code: str, period: str, received_at: datetime | None = None
) -> History:
    """The History of a submission from the warehouse (a DB-API cursor on kcn_audit/kcn_raw).

    known_tax_codes: tax codes any accepted version of the same submitter up to this month
    listed. previous_ytd: the ytd figures of the version in force for the previous month of
    the same year (none for January), keyed as YtdKey, in the canonical unit.
    """
    cur.execute(
        "select distinct e.tax_code from kcn_raw.enterprises as e"
        " join kcn_audit.submission_version as v on v.version_id = e.version_id"
        " where v.submitter_code = %s and v.period <= %s and e.tax_code is not null"
        " and v.outcome in ('accepted', 'accepted_with_warnings')",
        (submitter_code, period),
    )
    known = frozenset(row[0] for row in cur.fetchall())
    start = reference.month_start(period)
    previous_ytd: dict[YtdKey, float] = {}
    if start.month > 1:
        previous = f"{start.year}-{start.month - 1:02d}"
        cur.execute(
            "select i.zone_code, i.enterprise_tax_code, i.metric_code, i.value_kind, i.unit,"
            " i.value from kcn_raw.indicators as i"
            " join kcn_audit.submission_version as v on v.version_id = i.version_id"
            " where v.submitter_code = %s and v.period = %s and i.period_basis = 'ytd'"
            " and v.outcome in ('accepted', 'accepted_with_warnings')"
            " and v.superseded_by is null",
            (submitter_code, previous),
        )
        units = reference.load().units
        for zone, tax_code, metric, value_kind, unit_code, value in cur.fetchall():
            unit = units.get(unit_code)
            if unit is not None and value is not None:  # accepted rows: a machine number
                key = (zone, tax_code, metric, value_kind, unit.currency)
                previous_ytd[key] = float(value) * unit.factor
    return History(known, previous_ytd, received_at)


def _folder_findings(submitter: str, period: str) -> list[Finding]:
    known = reference.load().submitters.get(submitter)
    if known is None:
        return [
            rules.finding(
                "E_UNKNOWN_SUBMITTER", file=None, column="submitter_code", value=submitter
            )
        ]
    if not reference.submitter_active(submitter, period):
        validity = known.validity
        return [
            rules.finding(
                "E_SUBMITTER_INACTIVE",
                file=None,
                column="submitter_code",
                value=submitter,
                period=period,
                valid_from=validity.valid_from.isoformat(),
                valid_to=validity.valid_to.isoformat() if validity.valid_to else ("nay", "now"),
            )
        ]
    return []


def deadline(period: str) -> datetime:
    """The last minute on time: the late day of the following month, 23:59 in Việt Nam."""
    start = reference.month_start(period)
    following = (start + timedelta(days=32)).replace(day=get_settings().late_day)
    return datetime.combine(following, time(23, 59, 59, 999999), LOCAL_TZ)


def _late(period: str, received_at: datetime | None) -> list[Finding]:
    """W_LATE; a naive received_at is taken as UTC (how the intake clock records it)."""
    if received_at is None:
        return []
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=UTC)
    due = deadline(period)
    if received_at <= due:
        return []
    local = received_at.astimezone(LOCAL_TZ)
    return [
        rules.finding(
            "W_LATE",
            file=None,
            value=local.isoformat(timespec="seconds"),
            period=period,
            received=local.strftime("%Y-%m-%d %H:%M"),
            deadline=due.strftime("%Y-%m-%d %H:%M"),
        )
    ]


@cache
def _datasource() -> Any:
    """The pandas datasource of the process's ephemeral GX context (no analytics, no bars)."""
    context = gx.get_context(
        mode="ephemeral",
        project_config=DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
        ),
    )
    return context.data_sources.add_pandas("kcn")


@cache
def _batch_definition(table: str) -> Any:
    """A whole-dataframe batch definition on the table's dataframe asset."""
    asset = _datasource().add_dataframe_asset(table)
    return asset.add_batch_definition_whole_dataframe("whole")


def run_suite(
    module: ModuleType, table: str, frame: pd.DataFrame, ctx: reference.RuleContext
) -> list[Finding]:
    """Prepare the frame, run the module's suite on it, one Finding per offending row."""
    prepared = module.prepare(frame, ctx)
    batch = _batch_definition(table).get_batch(batch_parameters={"dataframe": prepared})
    result = batch.validate(
        module.build_suite(ctx),
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": INDEX_COLUMNS},
    )
    keys = zip(prepared["file_name"], prepared["row_number"].astype(int), strict=True)
    position = {key: i for i, key in enumerate(keys)}
    cells = prepared.to_dict("list")  # column -> values: fast lookups for many findings
    findings = []
    for r in result.results:
        raised = r.exception_info.get("raised_exception") if r.exception_info else False
        if raised:
            raise RuntimeError(f"{table} expectation failed to run: {r.exception_info}")
        if r.success:
            continue
        meta = r.expectation_config.meta
        for index in r.result.get("unexpected_index_list", []):
            key = (index["file_name"], int(index["row_number"]))
            findings.append(_finding(meta, key, cells, position[key]))
    return findings


def _finding(
    meta: dict[str, Any], key: tuple[str, int], cells: dict[str, list[Any]], i: int
) -> Finding:
    """The Finding of one offending row; message fields from meta and from the row."""
    details = dict(meta.get("details", {}))
    for name, source in meta.get("row_details", {}).items():
        if isinstance(source, list | tuple):
            details[name] = (_cell(cells[source[0]][i]), _cell(cells[source[1]][i]))
        else:
            details[name] = _cell(cells[source][i])
    column = meta["column"]
    return rules.finding(
        meta["rule_id"],
        file=key[0],
        row=key[1],
        column=column,
        value=_cell(cells[column][i]),
        **details,
    )


def _cell(value: object) -> str | None:
    """A cell as the finding shows it: text, whole numbers without '.0', None for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
