"""The GX results of one run split per submission version: one CheckResult per version and
expectation, with the counts GX would give had it checked that version alone, and the
(file, row) of its first failing rows.

GX runs once for the concatenated rows of many versions (suites.py): its element and
unexpected counts are of the whole batch. Each version's share comes from the `item`
column: rows per item from the frame, unexpected rows per item from the unexpected index
list, rows GX leaves out (missing values) per item from the checked columns, all counted
with pandas, not row by row in Python.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

MAX_ROWS = 100  # failing rows kept per version and expectation (the findings hold them all)


@dataclass(frozen=True)
class CheckResult:
    """One expectation of a suite on one submission version."""

    suite: str  # indicators | enterprises
    expectation_type: str
    rule_id: str
    severity: str
    column: str | None  # the column GX reads (may be a helper column)
    contract_column: str | None  # the contract column a finding names
    description: str | None
    success: bool
    element_count: int
    unexpected_count: int
    unexpected_percent: float | None  # of the rows judged (missing values left out)
    unexpected_rows: tuple[tuple[str, int], ...]  # (file_name, row_number), at most MAX_ROWS
    observed_value: str | None = None


def split_by_item(
    suite: str,
    results: list[Any],
    frame: pd.DataFrame,
    item_column: str,
    position_column: str,
    severity: Mapping[str, str],
) -> dict[int, list[CheckResult]]:
    """Each item's CheckResults of a GX run on `frame` (the rows of every item, with their
    file_name, row_number and position). Items without rows get none."""
    items = frame[item_column].to_numpy()
    element_counts = frame[item_column].value_counts()
    files = frame["file_name"].to_numpy()
    row_numbers = frame["row_number"].to_numpy()
    missing_cache: dict[tuple[str, ...], dict[Any, int]] = {}
    checks: dict[int, list[CheckResult]] = {int(i): [] for i in element_counts.index.tolist()}
    for r in results:
        config = r.expectation_config
        meta = config.meta or {}
        positions = np.fromiter(
            (index[position_column] for index in r.result.get("unexpected_index_list") or []),
            dtype=np.int64,
        )
        # the unexpected positions by item, then position: each item's are one slice
        owners = items[positions]
        order = np.lexsort((positions, owners))
        positions, owners = positions[order], owners[order]
        owner_ids, starts, counts = np.unique(owners, return_index=True, return_counts=True)
        slices = {
            int(o): (int(s), int(c)) for o, s, c in zip(owner_ids, starts, counts, strict=True)
        }
        missing = _missing(frame, item_column, config, missing_cache)
        observed = r.result.get("observed_value")
        for item, elements in zip(
            element_counts.index.tolist(), element_counts.tolist(), strict=True
        ):
            start, count = slices.get(int(item), (0, 0))
            judged = int(elements) - missing.get(item, 0) if missing is not None else int(elements)
            rows: tuple[tuple[str, int], ...] = ()
            if count:
                first = positions[start : start + min(count, MAX_ROWS)]
                rows = tuple(zip(files[first].tolist(), row_numbers[first].tolist(), strict=True))
            checks[int(item)].append(
                CheckResult(
                    suite=suite,
                    expectation_type=config.type,
                    rule_id=meta.get("rule_id", ""),
                    severity=severity.get(meta.get("rule_id", ""), "error"),
                    column=expectation_column(config.kwargs),
                    contract_column=meta.get("column"),
                    description=config.description,
                    success=count == 0,
                    element_count=int(elements),
                    unexpected_count=count,
                    unexpected_percent=100.0 * count / judged if judged else None,
                    unexpected_rows=rows,
                    observed_value=None if observed is None else json.dumps(observed, default=str),
                )
            )
    return checks


def expectation_column(kwargs: Mapping[str, Any]) -> str | None:
    """The column an expectation reads, or its pair of columns as "A, B"."""
    if "column" in kwargs:
        return str(kwargs["column"])
    if "column_A" in kwargs:
        return f"{kwargs['column_A']}, {kwargs['column_B']}"
    return None


def _missing(
    frame: pd.DataFrame,
    item_column: str,
    config: Any,
    cache: dict[tuple[str, ...], dict[Any, int]],
) -> dict[Any, int] | None:
    """Rows per item that GX leaves out of the expectation (its missing_count), as GX
    decides: null in the column, or in the pair as ignore_row_if says; None when GX judges
    every row (expect_column_values_to_not_be_null)."""
    kwargs = config.kwargs
    if config.type == "expect_column_values_to_not_be_null":
        return None
    if "column" in kwargs:
        key: tuple[str, ...] = (kwargs["column"],)
        mask = lambda: frame[kwargs["column"]].isna()  # noqa: E731
    elif "column_A" in kwargs:
        rule = kwargs.get("ignore_row_if") or "both_values_are_missing"
        a, b = kwargs["column_A"], kwargs["column_B"]
        key = (a, b, rule)
        if rule == "either_value_is_missing":
            mask = lambda: frame[a].isna() | frame[b].isna()  # noqa: E731
        elif rule == "both_values_are_missing":
            mask = lambda: frame[a].isna() & frame[b].isna()  # noqa: E731
        else:
            return None
    else:
        return None
    if key not in cache:
        counts = mask().groupby(frame[item_column]).sum()
        cache[key] = dict(zip(counts.index, counts.astype(int).tolist(), strict=True))
    return cache[key]
