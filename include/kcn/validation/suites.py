"""Run the Great Expectations suites on the prepared tables of many submissions at once.

The GX context is ephemeral and made once per process (creating it is slow); each table
has a pandas dataframe asset with a whole-dataframe batch definition. The suites are the
same for every submission and built once: what is particular to a submission (its folder,
jurisdiction, known tax codes, history) becomes helper columns in `prepare`. GX costs well
over half a second per run whatever the row count, so the tables of all the submissions of
a batch are concatenated, with an `item` column naming the submission, and checked in one
run. Suites run with result_format COMPLETE and unexpected_index_column_names
[item, position]: for pandas GX then returns every offending row, not a sample, and each
becomes a Finding of its submission (file and row number read at its position).
"""

from __future__ import annotations

import logging
import math
import time as clock
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from expectations import enterprises, indicators
from kcn.validation import prepare_enterprises, prepare_indicators, rules
from kcn.validation.checks import CheckResult, split_by_item
from kcn.validation.context import RuleContext, rule_sets
from kcn.validation.findings import Finding
from kcn.validation.frames import ITEM

log = logging.getLogger(__name__)

POSITION = "position"  # the row's position in the concatenated frame (finds its cells)
# GX looks each index column up by name for every offending row: the fewer the faster.
INDEX_COLUMNS = [ITEM, POSITION]
Prepare = Callable[[pd.DataFrame, Mapping[int, RuleContext]], pd.DataFrame]
# Each table: how its frame is prepared, and its suite.
TABLES: dict[str, tuple[Prepare, Callable[..., gx.ExpectationSuite]]] = {
    "indicators": (prepare_indicators.prepare, indicators.build_suite),
    "enterprises": (prepare_enterprises.prepare, enterprises.build_suite),
}


@cache
def suite(table: str) -> gx.ExpectationSuite:
    """The table's suite, built once per process (a GX context must exist first)."""
    _datasource()
    return TABLES[table][1](rule_sets(), rules.SEVERITY)


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
    table: str,
    frames: Mapping[int, pd.DataFrame],
    contexts: Mapping[int, RuleContext],
    checks: dict[int, list[CheckResult]] | None = None,
) -> dict[int, list[Finding]]:
    """Concatenate the items' frames, prepare them, run the module's suite once, and give
    each item the Findings of its offending rows (in the suite's order). With `checks`,
    each item's result of every expectation is added to it too (checks.py)."""
    started = clock.perf_counter()
    combined = pd.concat(frames, names=[ITEM, None]).reset_index(level=0).reset_index(drop=True)
    prepare = TABLES[table][0]
    prepared = prepare(combined, {item: contexts[item] for item in frames})
    prepared[POSITION] = range(len(prepared))
    prepared_at = clock.perf_counter()
    definition = _batch_definition(table)
    expectations = suite(table)
    # GX filters the whole frame for every expectation: give it only the columns it checks
    checked = prepared[[*INDEX_COLUMNS, *_checked_columns(expectations)]]
    batch = definition.get_batch(batch_parameters={"dataframe": checked})
    result = batch.validate(
        expectations,
        result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": INDEX_COLUMNS,
            "return_unexpected_index_query": False,
        },
    )
    validated_at = clock.perf_counter()
    if checks is not None:
        by_item = split_by_item(table, result.results, prepared, ITEM, POSITION, rules.SEVERITY)
        for item, item_checks in by_item.items():
            checks.setdefault(item, []).extend(item_checks)
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
        "%s: %d items, %d rows; prepare %.2f s, GX %.2f s, checks and findings %.2f s",
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
        value=_cell(cells[meta.get("value_column", column)][i]),
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
