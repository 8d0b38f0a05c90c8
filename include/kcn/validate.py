"""Validate submission versions: folder checks, parse findings, then the GX suites.

    findings = validate(parsed, history=history)
    outcome(findings)  # accepted | accepted_with_warnings | rejected
    validate_many([(parsed, history), ...])  # the same, with one GX run per table for all

The GX context is ephemeral and made once per process (creating it is slow); each table
has a pandas dataframe asset with a whole-dataframe batch definition. The suites are the
same for every submission and built once: what is particular to a submission (its folder,
jurisdiction, known tax codes, history) becomes helper columns in the suite module's
`prepare`. GX costs well over half a second per run whatever the row count, so the
tables of all the submissions of a batch are concatenated, with an `item` column naming
the submission, and checked in one run. Suites run with result_format COMPLETE and
unexpected_index_column_names [item, position]: for pandas GX then returns every offending
row, not a sample, and each becomes a Finding of its submission (file and row number read
at its position).
"""

from __future__ import annotations

import logging
import math
import time as clock
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
from kcn.reference import MonthReference, SeriesKey
from kcn.settings import get_settings

if TYPE_CHECKING:
    from kcn.parse import ParsedSubmission

log = logging.getLogger(__name__)

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ITEM = indicators.ITEM
POSITION = "position"  # the row's position in the concatenated frame (finds its cells)
# GX looks each index column up by name for every offending row: the fewer the faster.
INDEX_COLUMNS = [ITEM, POSITION]

YtdKey = SeriesKey  # the name before month references shared the key

__all__ = [
    "History",
    "MonthReference",
    "SeriesKey",
    "YtdKey",
    "deadline",
    "load_history",
    "outcome",
    "validate",
    "validate_many",
]


@dataclass(frozen=True)
class History:
    """What earlier accepted submissions tell about this one (empty: no history checks)."""

    known_tax_codes: frozenset[str] = frozenset()  # listed by the same board before
    previous_ytd: Mapping[SeriesKey, float] = field(default_factory=dict)  # canonical unit
    received_at: datetime | None = None  # used when the parsed submission has none
    # W_OUTLIER: per series, the same season's accepted month values (see load_history)
    month_reference: Mapping[SeriesKey, MonthReference] = field(default_factory=dict)


def outcome(findings: list[Finding]) -> str:
    return outcome_of(findings)


def validate(parsed: ParsedSubmission, *, history: History | None = None) -> list[Finding]:
    """Every finding of one submission version, folder-level first, then file by file."""
    return validate_many([(parsed, history)])[0]


def validate_many(
    items: Sequence[tuple[ParsedSubmission, History | None]],
) -> list[list[Finding]]:
    """The findings of several submission versions, in the order given, each as `validate`
    gives it: folder findings alone if any; else W_LATE, the parse findings, and unless one
    is fatal the indicators' then the enterprises' findings by file and row."""
    results: list[list[Finding]] = []
    contexts: dict[int, reference.RuleContext] = {}
    for item, (parsed, history) in enumerate(items):
        history = history or History()
        submitter, period = parsed.folder_submitter, parsed.folder_period
        folder = _folder_findings(submitter, period)
        if folder:
            results.append(folder)
            continue
        results.append(_late(period, parsed.received_at or history.received_at) + parsed.findings)
        if parsed.fatal:
            continue
        listed: set[str] = set()
        if parsed.enterprises is not None:
            listed = set(parsed.enterprises["tax_code"].dropna())
        contexts[item] = reference.rule_context(
            submitter,
            period,
            frozenset(listed) | history.known_tax_codes,
            history.previous_ytd,
            history.month_reference,
        )
    for module, table in ((indicators, "indicators"), (enterprises, "enterprises")):
        frames = {
            item: frame
            for item in contexts
            if (frame := getattr(items[item][0], table)) is not None and len(frame)
        }
        if not frames:
            continue
        by_item = run_suite(module, table, frames, contexts)
        for item, table_findings in by_item.items():
            table_findings.sort(key=lambda f: (f.file or "", f.row or 0))  # stable sort
            results[item] += table_findings
    log.debug("validated %d versions, %d findings", len(items), sum(map(len, results)))
    return results


def load_history(
    cur: Any, submitter_code: str, period: str, received_at: datetime | None = None
) -> History:
    """The History of a submission from the warehouse (a DB-API cursor on kcn_audit/kcn_raw),
    read from the versions in force (accepted, not superseded) of the same submitter, in two
    queries. A board's zone and enterprise rows also follow their zones back to the boards
    that reported them before (reference.earlier_boards: BQL-NB's zones to BQL-ND and
    BQL-HNA before 2025-07); its all-zones rows cover its own jurisdiction, so they have only
    its own history.

    known_tax_codes: tax codes any accepted version of the same submitter up to this month
    listed. previous_ytd: the ytd figures of the previous month of the same year (none for
    January), keyed by SeriesKey, in the canonical unit. month_reference: per series, the
    count, median and MAD of the month values of the indicators.OUTLIER_WINDOW_MONTHS
    before this month that fall in this month's season (indicators.season), for series with
    at least indicators.OUTLIER_MIN_HISTORY of them.
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
    previous = start - timedelta(days=1)
    first = start.year * 12 + start.month - 1 - indicators.OUTLIER_WINDOW_MONTHS
    units = reference.load().units.values()
    earlier = reference.earlier_boards(submitter_code, period)
    cur.execute(
        _HISTORY_SQL,
        {
            "submitter": submitter_code,
            "submitters": [submitter_code, *sorted(earlier)],
            "zones": sorted(reference.jurisdiction(submitter_code, period)) if earlier else [],
            "own_rows_only": not earlier,
            "period": period,
            "previous": f"{previous:%Y-%m}" if start.month > 1 else None,
            "first": f"{first // 12:04d}-{first % 12 + 1:02d}",
            "tet_months": list(indicators.TET_MONTHS),
            "tet": indicators.season(start.month) == "tet",
            "min_history": indicators.OUTLIER_MIN_HISTORY,
            "units": [u.code for u in units],
            "factors": [u.factor for u in units],
            "currencies": [u.currency or "" for u in units],
        },
    )
    previous_ytd: dict[SeriesKey, float] = {}
    month_reference: dict[SeriesKey, MonthReference] = {}
    for figure, zone, tax_code, metric, value_kind, currency, n, value, mad in cur.fetchall():
        key = (zone or None, tax_code or None, metric, value_kind, currency or None)
        if figure == "previous_ytd":
            previous_ytd[key] = float(value)
        else:
            month_reference[key] = MonthReference(int(n), float(value), float(mad))
    return History(known, previous_ytd, received_at, month_reference)


# The figures of the versions in force of one submitter that history rules compare with, in
# the canonical unit (units come as arrays from the reference CSV). Accepted rows hold
# machine numbers; the regular expression only keeps a cast from ever failing.
_HISTORY_SQL = r"""
with unit as (
    select * from unnest(%(units)s::text[], %(factors)s::float8[], %(currencies)s::text[])
        as u (unit, factor, currency)
),
versions as (
    select version_id, period, submitter_code from kcn_audit.submission_version
    where submitter_code = any(%(submitters)s)
      and outcome in ('accepted', 'accepted_with_warnings') and superseded_by is null
      and period >= %(first)s and period < %(period)s
),
figure as (
    select v.period, i.period_basis, coalesce(i.zone_code, '') as zone_code,
           coalesce(i.enterprise_tax_code, '') as enterprise_tax_code, i.metric_code,
           i.value_kind, u.currency, i.value::float8 * u.factor as value
    from versions as v
    join kcn_raw.indicators as i on i.version_id = v.version_id
    join unit as u on u.unit = i.unit
    -- An array of the few version ids: PostgreSQL then reads their rows by the primary key
    -- instead of scanning every staged row of the warehouse for each submission.
    where i.version_id = any(array(select version_id from versions))
      and i.period_basis in ('ytd', 'month') and i.metric_code is not null
      and i.value_kind is not null and i.value ~ '^-?\d+(\.\d+)?$'
      -- From an earlier board, only the rows of zones this submitter now reports. Without
      -- one the literal true folds the test away: a test on both tables would make
      -- PostgreSQL estimate one row and plan the statistics below as nested loops.
      and (%(own_rows_only)s or v.submitter_code = %(submitter)s
           or i.zone_code = any(%(zones)s::text[]))
),
same_season as (
    select * from figure
    where period_basis = 'month'
      and (substr(period, 6, 2)::int = any(%(tet_months)s)) = %(tet)s
),
reference as (
    select zone_code, enterprise_tax_code, metric_code, value_kind, currency,
           count(*) as n, percentile_cont(0.5) within group (order by value) as median
    from same_season
    group by zone_code, enterprise_tax_code, metric_code, value_kind, currency
    having count(*) >= %(min_history)s
)
select 'previous_ytd', zone_code, enterprise_tax_code, metric_code, value_kind, currency,
       null, value, null
from figure
where period_basis = 'ytd' and period = %(previous)s
union all
select 'month_reference', r.zone_code, r.enterprise_tax_code, r.metric_code, r.value_kind,
       r.currency, r.n, r.median,
       percentile_cont(0.5) within group (order by abs(s.value - r.median))
from reference as r
join same_season as s
    using (zone_code, enterprise_tax_code, metric_code, value_kind, currency)
group by r.zone_code, r.enterprise_tax_code, r.metric_code, r.value_kind, r.currency, r.n,
         r.median
"""


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
    module: ModuleType,
    table: str,
    frames: Mapping[int, pd.DataFrame],
    contexts: Mapping[int, reference.RuleContext],
) -> dict[int, list[Finding]]:
    """Concatenate the items' frames, prepare them, run the module's suite once, and give
    each item the Findings of its offending rows (in the suite's order)."""
    started = clock.perf_counter()
    combined = pd.concat(frames, names=[ITEM, None]).reset_index(level=0).reset_index(drop=True)
    prepared = module.prepare(combined, {item: contexts[item] for item in frames})
    prepared[POSITION] = range(len(prepared))
    prepared_at = clock.perf_counter()
    definition = _batch_definition(table)  # first: a suite needs the GX context to exist
    suite = module.build_suite()
    # GX filters the whole frame for every expectation: give it only the columns it checks
    checked = prepared[[*INDEX_COLUMNS, *_checked_columns(suite)]]
    batch = definition.get_batch(batch_parameters={"dataframe": checked})
    result = batch.validate(
        suite,
        result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": INDEX_COLUMNS,
            "return_unexpected_index_query": False,
        },
    )
    validated_at = clock.perf_counter()
    cells = _Cells(prepared)
    findings: dict[int, list[Finding]] = {item: [] for item in frames}
    for r in result.results:
        raised = r.exception_info.get("raised_exception") if r.exception_info else False
        if raised:
            raise RuntimeError(f"{table} expectation failed to run: {r.exception_info}")
        if r.success:
            continue
        meta = r.expectation_config.meta
        for index in r.result.get("unexpected_index_list", []):
            item = int(index[ITEM])
            findings[item].append(_finding(meta, cells, int(index[POSITION])))
    log.debug(
        "%s: %d items, %d rows; prepare %.2f s, GX %.2f s, findings %.2f s",
        table,
        len(frames),
        len(prepared),
        prepared_at - started,
        validated_at - prepared_at,
        clock.perf_counter() - validated_at,
    )
    return findings


def _checked_columns(suite: gx.ExpectationSuite) -> list[str]:
    """The columns the suite's expectations read (not the message details), in suite order."""
    columns: dict[str, None] = {}
    for expectation in suite.expectations:
        for name in ("column", "column_A", "column_B"):
            column = getattr(expectation, name, None)
            if isinstance(column, str) and column not in INDEX_COLUMNS:
                columns[column] = None
    return list(columns)


class _Cells:
    """Column -> values of the prepared frame, converted only for columns a finding reads."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame
        self._columns: dict[str, list[Any]] = {}

    def __getitem__(self, column: str) -> list[Any]:
        if column not in self._columns:
            self._columns[column] = self._frame[column].tolist()
        return self._columns[column]


def _finding(meta: dict[str, Any], cells: _Cells, i: int) -> Finding:
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
        file=cells["file_name"][i],
        row=int(cells["row_number"][i]),
        column=column,
        value=_cell(cells[column][i]),
        **details,
    )


def _cell(value: object) -> str | None:
    """A cell as the finding shows it: text, whole numbers without '.0', other numbers to 12
    significant digits (no float noise such as 0.30000000000000004), None for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.12g}"
    return str(value)
