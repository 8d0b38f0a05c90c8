"""The year-to-date rules, which read the previous month: W_YTD_DECREASE and
W_YTD_MONTH_MISMATCH (contract section 7).

A ytd flow must not fall below the previous month's ytd of the same series, and must equal
the previous ytd plus this month's value (within a tolerance). The previous month's ytd
comes from the version in force of that month (see `previous_ytd`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from kcn.validation.frames import SeriesKey, first_match, history_values, take

# W_YTD_MONTH_MISMATCH: ytd against the previous ytd plus the month value.
YTD_MONTH_TOLERANCE = 0.005
# W_YTD_DECREASE: a ytd below the previous one by more than float noise (units of another
# scale of the same currency convert with rounding).
YTD_DECREASE_SLACK = 1e-9


def previous_ytd(figures: Iterable[tuple]) -> dict[SeriesKey, float]:
    """The ytd figures of the previous month, keyed by series, from the history rows
    (figure kind, zone, enterprise, metric, value_kind, currency, period, value) that
    history.sql returns; canonical unit."""
    return {
        (zone or None, tax_code or None, metric, value_kind, currency or None): float(value)
        for kind, zone, tax_code, metric, value_kind, currency, _, value in figures
        if kind == "previous_ytd"
    }


def ytd_checks(
    df: pd.DataFrame,
    flow: np.ndarray,
    basis: np.ndarray,
    series: np.ndarray,
    month_of_year: pd.Series,
    factor: pd.Series,
    previous_ytds: Mapping[int, Mapping[SeriesKey, float]],
) -> None:
    """W_YTD_DECREASE and W_YTD_MONTH_MISMATCH on clean ytd rows of flows (rates such as
    lab_avg_income are not cumulative; stocks have no ytd)."""
    ytd = flow & (basis == "ytd")
    history = [(i, *key, v) for i, ytds in previous_ytds.items() for key, v in ytds.items()]
    previous = history_values(df, ytd, history, ["previous"])["previous"]
    total = df["canonical"]
    floor = previous * (1 - YTD_DECREASE_SLACK)
    df["ytd_floor"] = floor
    df["ytd_previous"] = previous / factor

    # January restarts the year: its ytd is its month value, whatever came before
    start = previous.mask(ytd & month_of_year.eq(1).to_numpy(), 0.0)
    same = first_match(series, flow & (basis == "month"), np.where(ytd, series, -1))
    expected = start + take(total, same)
    gap = (total - expected).abs() / expected
    gap = gap.mask(expected.eq(0), total.ne(0).map({True: math.inf, False: 0.0}))
    decreased = total.lt(floor)  # said once, as a decrease
    df["ytd_month_gap"] = gap.where(ytd & expected.notna() & ~decreased)
    df["ytd_expected"] = (expected / factor).where(df["ytd_month_gap"].notna())
    within = df["ytd_month_gap"].le(YTD_MONTH_TOLERANCE)
    df["ytd_month_ok"] = within.astype(object).where(df["ytd_month_gap"].notna(), None)
