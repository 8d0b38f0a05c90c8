"""W_OUTLIER (contract section 7): a month value far from the same season's history.

W_OUTLIER: a robust z-score, z = (value - median) / scale, of a month value against the
accepted month values of the same series (submitter, zone, enterprise, metric, value_kind,
currency) in the OUTLIER_WINDOW_MONTHS before the reporting month.
- Season: Tết falls in late January or in February, and activity (output, exports, new
  projects) dips around it. A January or February value is compared only with January and
  February values of earlier years (pooled, since Tết moves between them), any other month
  only with March to December values. So a normal Tết dip meets other Tết months, and the
  dips do not widen the spread of the ordinary months. With the window of 36 months a Tết
  month has 6 same-season values after three years of history; before that it is not judged.
- Scale: 1.4826 * MAD (consistent with a standard deviation for normal data), but at least
  OUTLIER_MIN_SCALE of the median: a series that barely moves (MAD near 0) would otherwise
  flag an ordinary 10 % change. With the threshold of 5, a value within +/-50 % of the
  median is never flagged; what is flagged is a slipped unit or digit (x10, x1000, /1000).
- Counts (projects, cases, persons) are small whole numbers: their scale is at least that
  of a Poisson count with the median as mean, sqrt(median), and at least 1; else a zone
  with one accident a month would be flagged for 0 or 2.
- A series whose median and MAD are both 0 (mostly zero: rare events, lumpy investment)
  has no scale and is not judged: one case after months of none is news, not an outlier.
- LUMPY_FLOWS are not judged: one licence or one clearance decision is a month's whole
  figure, so ten times the typical month is ordinary (the demo data, calibrated on the
  published figures, flag them in one month out of ten otherwise).
- OUTLIER_MIN_HISTORY values at least: a median of fewer says too little.
Calibration: the 5-year demo (660 versions, history loaded month by month) gives no
W_OUTLIER on clean data with these settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kcn.reference import COUNT_FAMILIES
from kcn.validation.frames import SeriesKey, history_values

OUTLIER_WINDOW_MONTHS = 36
OUTLIER_MIN_HISTORY = 6
OUTLIER_THRESHOLD = 5.0
OUTLIER_MIN_SCALE = 0.1
MAD_TO_SIGMA = 1.4826
TET_MONTHS = (1, 2)
LUMPY_FLOWS = frozenset({"inv_new_capital", "inv_added_capital", "dst_land_cleared"})


@dataclass(frozen=True)
class MonthReference:
    """What the accepted month values of one series say is normal.

    n: how many values; median and mad (median absolute deviation, unscaled) of them, in the
    canonical unit.
    """

    n: int
    median: float
    mad: float


def season(month: int) -> str:
    """The season a month's values are compared within (W_OUTLIER): 'tet' or 'normal'."""
    return "tet" if month in TET_MONTHS else "normal"


def month_reference(figures: Iterable[tuple]) -> dict[SeriesKey, MonthReference]:
    """Per series with OUTLIER_MIN_HISTORY values or more, the count, median and MAD of the
    same season's month values among the history rows that history.sql returns."""
    rows = [row for row in figures if row[0] == "same_season_month"]
    if not rows:
        return {}
    frame = pd.DataFrame(
        rows,
        columns=["kind", "zone", "tax_code", "metric", "value_kind", "currency", "period", "value"],
    )
    series = ["zone", "tax_code", "metric", "value_kind", "currency"]
    grouped = frame.groupby(series, sort=False, dropna=False)["value"]
    frame["n"] = grouped.transform("size")
    frame = frame[frame["n"] >= OUTLIER_MIN_HISTORY]
    if frame.empty:
        return {}
    grouped = frame.groupby(series, sort=False, dropna=False)["value"]
    frame = frame.assign(median=grouped.transform("median"))
    frame["deviation"] = (frame["value"] - frame["median"]).abs()
    summary = frame.groupby(series, sort=False, dropna=False).agg(
        n=("n", "first"), median=("median", "first"), mad=("deviation", "median")
    )
    return {
        (zone or None, tax_code or None, metric, value_kind, currency or None): MonthReference(
            int(n), float(median), float(mad)
        )
        for (zone, tax_code, metric, value_kind, currency), n, median, mad in zip(
            summary.index, summary["n"], summary["median"], summary["mad"], strict=True
        )
    }


def outliers(
    df: pd.DataFrame,
    month: np.ndarray,
    factor: pd.Series,
    references: Mapping[int, Mapping[SeriesKey, MonthReference]],
) -> None:
    """W_OUTLIER's robust z-score of clean month values with enough history (see above)."""
    history = [
        (i, *key, r.n, r.median, r.mad)
        for i, by_series in references.items()
        for key, r in by_series.items()
    ]
    month = month & ~df["metric_code"].isin(LUMPY_FLOWS).to_numpy()
    ref = history_values(df, month, history, ["n", "median", "mad"])
    median = ref["median"].abs()
    floor = OUTLIER_MIN_SCALE * median
    count_floor = np.sqrt(median.clip(lower=1.0)).where(df["metric_family"].isin(COUNT_FAMILIES))
    floor = floor.where(~(count_floor > floor), count_floor)
    scale = (MAD_TO_SIGMA * ref["mad"]).where(lambda spread: spread > floor, floor)
    judged = ref["n"].ge(OUTLIER_MIN_HISTORY) & scale.gt(0)
    df["outlier_z"] = ((df["canonical"] - ref["median"]) / scale).where(judged)
    df["outlier_typical"] = (ref["median"] / factor).where(judged)
    within = df["outlier_z"].abs().le(OUTLIER_THRESHOLD)
    df["outlier_ok"] = within.astype(object).where(df["outlier_z"].notna(), None)
