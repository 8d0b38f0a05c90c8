"""Helpers that prepare frames for the suites: per-row context, codes for grouping, and
look-ups between rows, all vectorised over the rows of many submissions at once.

Several submissions are checked in one GX run: their rows are concatenated with an `item`
column naming the submission (a key of the contexts), and every cross-row look-up groups by
`item` first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from stdnum.vn import mst

ITEM = "item"  # the column naming the submission a row belongs to (a key of the contexts)
TAX_CODE_RE = r"^[0-9]{10}(?:-[0-9]{3})?$"  # ASCII digits only

# The key of contract section 3, with the unit's currency.
KEY = ["zone_code", "enterprise_tax_code", "metric_code", "value_kind", "period_basis", "currency"]
# A series: the key without the basis (a ytd row meets the month row of the same figure).
SERIES = ["zone_code", "enterprise_tax_code", "metric_code", "value_kind", "currency"]
# Rows that hold the same kind of figure for the same place (parts and wholes meet here).
ROW_SET = ["zone_code", "enterprise_tax_code", "value_kind", "period_basis", "currency"]

# A figure's series within one submitter: (zone_code, enterprise_tax_code, metric_code,
# value_kind, currency of the unit). The key of contract section 3 without the period_basis.
SeriesKey = tuple[str | None, str | None, str, str, str | None]


@cache
def tax_code_ok(code: object) -> bool:
    """10 digits or 10-3 digits, with a valid check digit (stdnum.vn.mst)."""
    return isinstance(code, str) and bool(re.fullmatch(TAX_CODE_RE, code)) and mst.is_valid(code)


def tax_codes_ok(codes: pd.Series) -> pd.Series:
    """tax_code_ok of each cell (None for a missing one), judged once per distinct code."""
    verdict = {code: tax_code_ok(code) for code in codes.dropna().unique()}
    return codes.map(verdict).astype(object).where(codes.notna(), None)


def codes(*columns: pd.Series | np.ndarray) -> np.ndarray:
    """One integer per distinct combination of the columns' values, numbered 0, 1, ... in
    order of first appearance; a missing value equals another missing value (as missing
    parts of a key compare equal). Integer columns (codes already) combine fastest."""
    code = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        values, uniques = pd.factorize(column, use_na_sentinel=False)
        code = pd.factorize(code * len(uniques) + values)[0]
    return code


class Codes(dict[str, np.ndarray]):
    """The codes of a frame's columns, each column factorized once."""

    def __init__(self, df: pd.DataFrame) -> None:
        super().__init__()
        self._df = df

    def of(self, *columns: str) -> np.ndarray:
        for column in columns:
            if column not in self:
                self[column] = codes(self._df[column])
        return codes(*(self[column] for column in columns))


def in_item_sets(
    item: pd.Series, values: pd.Series, sets: Mapping[int, Iterable[str]]
) -> pd.Series:
    """Whether each value is in its item's set (False for a missing value)."""
    members = [(i, v) for i, vs in sets.items() for v in vs]
    both = codes(
        np.concatenate([item.to_numpy(), np.array([i for i, _ in members], dtype=np.int64)]),
        np.concatenate([values.to_numpy(dtype=object), np.array([v for _, v in members], object)]),
    )
    found = np.isin(both[: len(values)], both[len(values) :])
    return pd.Series(found, index=values.index) & values.notna()


def first_match(key: np.ndarray, candidates: np.ndarray, probe: np.ndarray) -> np.ndarray:
    """For each probe, the position of the first candidate row whose key equals it; -1 where
    there is none (and where the probe is negative: nothing wanted)."""
    positions = np.flatnonzero(candidates)
    if not len(positions):
        return np.full(len(probe), -1)
    keys, first = np.unique(key[positions], return_index=True)
    at = np.clip(np.searchsorted(keys, probe), 0, len(keys) - 1)
    hit = (probe >= 0) & (keys[at] == probe)
    return np.where(hit, positions[first[at]], -1)


def take(values: pd.Series, at: np.ndarray) -> pd.Series:
    """values at positions `at` (NaN where -1), aligned with values' index."""
    taken = values.to_numpy(dtype=float)[np.maximum(at, 0)]
    return pd.Series(np.where(at >= 0, taken, np.nan), index=values.index)


EXCERPT = 60  # characters of an over-long text a finding shows


def text_length_columns(df: pd.DataFrame, column: str, limit: int) -> None:
    """E_TEXT_TOO_LONG helpers: `<column>_ok` (None for an empty cell), its length, the
    limit, and an excerpt a finding shows instead of the whole text."""
    values = df[column].astype(object).where(df[column].notna(), None).tolist()
    lengths = [None if v is None else len(str(v)) for v in values]
    df[f"{column}_ok"] = pd.Series(
        [None if n is None else n <= limit for n in lengths], index=df.index, dtype=object
    )
    df[f"{column}_length"] = pd.Series(lengths, index=df.index, dtype=object)
    df[f"{column}_limit"] = limit
    df[f"{column}_excerpt"] = pd.Series(
        [
            None if n is None or n <= limit else str(v)[:EXCERPT] + "…"
            for v, n in zip(values, lengths, strict=True)
        ],
        index=df.index,
        dtype=object,
    )


def text(series: pd.Series) -> pd.Series:
    """Text cells as Python objects with None for missing (pandas 3 would use NaN)."""
    return series.astype(object).where(series.notna(), None)


def join(*parts: pd.Series, when: pd.Series) -> pd.Series:
    """'a|b|c' of the parts (missing -> ''), None where `when` is false; each distinct
    combination is joined once."""
    code = codes(*parts)
    _, first = np.unique(code, return_index=True)  # code i first appears at first[i]
    columns = [part.to_numpy(dtype=object) for part in parts]
    labels = np.array(
        ["|".join("" if pd.isna(c[i]) else str(c[i]) for c in columns) for i in first],
        dtype=object,
    )
    return pd.Series(labels[code], index=parts[0].index).where(when, None)


def history_values(
    df: pd.DataFrame, rows: np.ndarray, history: Sequence[tuple[Any, ...]], columns: list[str]
) -> pd.DataFrame:
    """History figures (item, *series key, *columns) aligned with df's rows where `rows`,
    NaN elsewhere and where the row's series has none."""
    out = pd.DataFrame(np.nan, index=df.index, columns=columns)
    if not history or not rows.any():
        return out
    found = pd.DataFrame(history, columns=[ITEM, *SERIES, *columns])
    wanted = df.loc[rows, [ITEM, *SERIES]]
    both = codes(
        *(
            np.concatenate([wanted[c].to_numpy(dtype=object), found[c].to_numpy(dtype=object)])
            for c in (ITEM, *SERIES)
        )
    )
    at = pd.Index(both[len(wanted) :]).get_indexer(both[: len(wanted)])  # one per series
    values = found[columns].to_numpy(dtype=float)[np.maximum(at, 0)]
    out.loc[rows, columns] = np.where((at >= 0)[:, None], values, np.nan)
    return out
