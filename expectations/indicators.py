"""The suite of the indicators table (contract sections 3, 5, 6 and 7).

The suite is the same for every submission (built once): what differs between submissions
(the folder's submitter and month, the jurisdiction, the known tax codes, the accepted
history) is turned by `prepare` into helper columns, row by row. So the indicators of many
submissions, concatenated with an `item` column naming the submission, are checked in one
GX run; every cross-row rule groups by `item` first.

`prepare` adds helper columns to the parsed table so that built-in expectations can state
cross-column and cross-row rules as set membership, ranges and column pairs. A helper is
None where an earlier rule already failed, and GX skips None: one mistake, one finding
(an unknown metric is not also reported as a bad unit or basis).

Every expectation carries meta: rule_id (contract section 7), column (the contract column
the finding points at), details (message fields known when the suite is built) and
row_details (message fields read from the offending row: a helper column, or a
[vietnamese, english] pair of helper columns).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import cache

import great_expectations as gx
import numpy as np
import pandas as pd
from great_expectations.expectations.metadata_types import FailureSeverity
from stdnum.vn import mst

from kcn.reference import (
    COUNT_FAMILIES,
    VALUE_KINDS,
    RuleContext,
    allowed_bases,
    allowed_units,
    load,
    month_start,
    rule_sets,
)
from kcn.rules import SEVERITY

E = gx.expectations

NUMBER_RE = r"^-?\d+(?:\.\d+)?$"
WHOLE_NUMBER_RE = r"^-?\d+(?:\.0+)?$"
TAX_CODE_RE = r"^\d{10}(?:-\d{3})?$"
ITEM = "item"  # the column naming the submission a row belongs to (a key of the contexts)

# E_PART_EXCEEDS_WHOLE: part -> whole, within one row set.
PART_OF = {
    "lab_workers_female": "lab_workers",
    "lab_workers_foreign": "lab_workers",
    "lnd_leased_area": "lnd_industrial_area",
    "lnd_industrial_area": "lnd_total_area",
    "inv_new_projects_fdi": "inv_new_projects",
    "inv_new_projects_ddi": "inv_new_projects",
    "ent_operating_fdi": "ent_operating",
    "ent_operating_ddi": "ent_operating",
}
# W_SUBTOTAL_MISMATCH: total -> (FDI part, domestic part).
SUBTOTALS = {
    "inv_new_projects": ("inv_new_projects_fdi", "inv_new_projects_ddi"),
    "ent_operating": ("ent_operating_fdi", "ent_operating_ddi"),
}
_FDI_PART = {total: parts[0] for total, parts in SUBTOTALS.items()}
_DDI_PART = {total: parts[1] for total, parts in SUBTOTALS.items()}
ZONE_SUM_TOLERANCE = 0.01
# W_YTD_MONTH_MISMATCH: ytd against the previous ytd plus the month value.
YTD_MONTH_TOLERANCE = 0.005
# W_YTD_DECREASE: a ytd below the previous one by more than float noise (units of another
# scale of the same currency convert with rounding).
YTD_DECREASE_SLACK = 1e-9

# W_OUTLIER: a robust z-score, z = (value - median) / scale, of a month value against the
# accepted month values of the same series (submitter, zone, enterprise, metric, value_kind,
# currency) in the OUTLIER_WINDOW_MONTHS before the reporting month.
# - Season: Tết falls in late January or in February, and activity (output, exports, new
#   projects) dips around it. A January or February value is compared only with January and
#   February values of earlier years (pooled, since Tết moves between them), any other month
#   only with March to December values. So a normal Tết dip meets other Tết months, and the
#   dips do not widen the spread of the ordinary months. With the window of 36 months a Tết
#   month has 6 same-season values after three years of history; before that it is not judged.
# - Scale: 1.4826 * MAD (consistent with a standard deviation for normal data), but at least
#   OUTLIER_MIN_SCALE of the median: a series that barely moves (MAD near 0) would otherwise
#   flag an ordinary 10 % change. With the threshold of 5, a value within +/-50 % of the
#   median is never flagged; what is flagged is a slipped unit or digit (x10, x1000, /1000).
# - Counts (projects, cases, persons) are small whole numbers: their scale is at least that
#   of a Poisson count with the median as mean, sqrt(median), and at least 1; else a zone
#   with one accident a month would be flagged for 0 or 2.
# - A series whose median and MAD are both 0 (mostly zero: rare events, lumpy investment)
#   has no scale and is not judged: one case after months of none is news, not an outlier.
# - LUMPY_FLOWS are not judged: one licence or one clearance decision is a month's whole
#   figure, so ten times the typical month is ordinary (the demo data, calibrated on the
#   published figures, flag them in one month out of ten otherwise).
# - OUTLIER_MIN_HISTORY values at least: a median of fewer says too little.
# Calibration: the 5-year demo (660 versions, history loaded month by month) gives no
# W_OUTLIER on clean data with these settings.
OUTLIER_WINDOW_MONTHS = 36
OUTLIER_MIN_HISTORY = 6
OUTLIER_THRESHOLD = 5.0
OUTLIER_MIN_SCALE = 0.1
MAD_TO_SIGMA = 1.4826
TET_MONTHS = (1, 2)
LUMPY_FLOWS = frozenset({"inv_new_capital", "inv_added_capital", "dst_land_cleared"})

# The key of contract section 3, with the unit's currency.
KEY = ["zone_code", "enterprise_tax_code", "metric_code", "value_kind", "period_basis", "currency"]
# A series: the key without the basis (a ytd row meets the month row of the same figure).
SERIES = ["zone_code", "enterprise_tax_code", "metric_code", "value_kind", "currency"]
# Rows that hold the same kind of figure for the same place (parts and wholes meet here).
ROW_SET = ["zone_code", "enterprise_tax_code", "value_kind", "period_basis", "currency"]

_NOT_BY = {
    "board": (
        "chỉ UBND quận/huyện báo cáo chỉ tiêu này; hãy bỏ dòng này",
        "only district committees report this metric; remove the row",
    ),
    "district": (
        "chỉ Ban Quản lý các KCN báo cáo chỉ tiêu này; hãy bỏ dòng này",
        "only the management board reports this metric; remove the row",
    ),
}
_NOT_PER_ENTERPRISE = (
    "chỉ tiêu này chỉ báo cáo theo khu, không theo doanh nghiệp; hãy để trống enterprise_tax_code",
    "this metric is reported per zone, not per enterprise; leave enterprise_tax_code empty",
)


def season(month: int) -> str:
    """The season a month's values are compared within (W_OUTLIER): 'tet' or 'normal'."""
    return "tet" if month in TET_MONTHS else "normal"


def expect(
    expectation: type[gx.expectations.Expectation],
    rule_id: str,
    reported_column: str,
    description: str,
    *,
    details: dict[str, object] | None = None,
    row_details: dict[str, object] | None = None,
    **kwargs: object,
) -> gx.expectations.Expectation:
    """An expectation of a contract rule, with its severity and the meta findings need.

    `reported_column` is the contract column a finding names (the expectation itself may
    check a helper column).
    """
    warning = SEVERITY[rule_id] == "warning"
    severity = FailureSeverity.WARNING if warning else FailureSeverity.CRITICAL
    meta = {
        "rule_id": rule_id,
        "column": reported_column,
        "details": details or {},
        "row_details": row_details or {},
    }
    return expectation(description=description, severity=severity, meta=meta, **kwargs)


def zone_in_jurisdiction_expectation() -> gx.expectations.Expectation:
    """E_ZONE_NOT_IN_JURISDICTION on the zone_in_jurisdiction column prepare() adds, with
    the per_item context columns as row details. Shared by the indicator and enterprise
    suites, whose rows carry a zone the same way."""
    return expect(
        E.ExpectColumnValuesToBeInSet,
        "E_ZONE_NOT_IN_JURISDICTION",
        "zone_code",
        "the zone is in the submitter's jurisdiction in the reporting month",
        column="zone_in_jurisdiction",
        value_set=[True],
        row_details={
            "submitter": "expected_submitter",
            "period": "expected_period",
            "allowed": "jurisdiction_text",
        },
    )


@cache
def tax_code_ok(code: object) -> bool:
    """10 digits or 10-3 digits, with a valid check digit (stdnum.vn.mst)."""
    return isinstance(code, str) and bool(re.fullmatch(TAX_CODE_RE, code)) and mst.is_valid(code)


def tax_codes_ok(codes: pd.Series) -> pd.Series:
    """tax_code_ok of each cell (None for a missing one), judged once per distinct code."""
    verdict = {code: tax_code_ok(code) for code in codes.dropna().unique()}
    return codes.map(verdict).astype(object).where(codes.notna(), None)


def per_item(df: pd.DataFrame, contexts: Mapping[int, RuleContext]) -> pd.DataFrame:
    """Each row's submission context, aligned with df: expected submitter and period, the
    submitter's type, the reporting month of year, and the jurisdiction as a message shows it."""
    items = pd.DataFrame.from_dict(
        {
            item: {
                "expected_submitter": ctx.submitter_code,
                "expected_period": ctx.period,
                "submitter_type": ctx.submitter_type,
                "month_of_year": month_start(ctx.period).month,
                "jurisdiction_text": ", ".join(sorted(ctx.jurisdiction)) or "-",
            }
            for item, ctx in contexts.items()
        },
        orient="index",
    )
    return items.reindex(df[ITEM].to_numpy()).set_axis(df.index)


def codes(*columns: pd.Series | np.ndarray) -> np.ndarray:
    """One integer per distinct combination of the columns' values, numbered 0, 1, ... in
    order of first appearance; a missing value equals another missing value (as missing
    parts of a key compare equal). Integer columns (codes already) combine fastest."""
    code = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        values, uniques = pd.factorize(column, use_na_sentinel=False)
        code = pd.factorize(code * len(uniques) + values)[0]
    return code


class _Codes(dict[str, np.ndarray]):
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


def _take(values: pd.Series, at: np.ndarray) -> pd.Series:
    """values at positions `at` (NaN where -1), aligned with values' index."""
    taken = values.to_numpy(dtype=float)[np.maximum(at, 0)]
    return pd.Series(np.where(at >= 0, taken, np.nan), index=values.index)


def _text(series: pd.Series) -> pd.Series:
    """Text cells as Python objects with None for missing (pandas 3 would use NaN)."""
    return series.astype(object).where(series.notna(), None)


def _join(*parts: pd.Series, when: pd.Series) -> pd.Series:
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


def prepare(frame: pd.DataFrame, contexts: Mapping[int, RuleContext]) -> pd.DataFrame:
    """The parsed indicators of the submissions in `contexts` (column `item` names each row's
    submission) plus the helper columns the suite checks."""
    ref = load()
    sets = rule_sets()
    df = frame.copy()
    for column in (
        "zone_code",
        "enterprise_tax_code",
        "metric_code",
        "value_kind",
        "period_basis",
        "value",
        "unit",
    ):
        df[column] = _text(df[column])
    context = per_item(df, contexts)
    for column in ("expected_submitter", "expected_period", "jurisdiction_text"):
        df[column] = context[column]
    submitter_type = context["submitter_type"]

    metric_code = df["metric_code"]
    known = metric_code.isin(sets.metrics)
    enterprise_row = df["enterprise_tax_code"].notna()
    df["metric_family"] = metric_code.map({c: m.unit_family for c, m in ref.metrics.items()})
    kind = metric_code.map({c: m.kind for c, m in ref.metrics.items()})

    # E_METRIC_NOT_ALLOWED, with the reason to show
    level = pd.Series(np.where(enterprise_row, "E", "Z"), index=df.index)
    df["metric_use"] = _join(submitter_type, metric_code, level, when=known)
    per_zone = _join(submitter_type, metric_code, pd.Series("Z", index=df.index), when=known)
    per_zone_ok = per_zone.isin(sets.metric_uses)
    for language, name in enumerate(("not_allowed_vi", "not_allowed_en")):
        not_by = submitter_type.map({t: reason[language] for t, reason in _NOT_BY.items()})
        df[name] = not_by.mask(per_zone_ok, _NOT_PER_ENTERPRISE[language])

    # zones: an enterprise row must name one; a registered zone must be the submitter's
    df["zone_check"] = df["zone_code"].where(~(enterprise_row & df["zone_code"].isna()), "")
    registered = df["zone_code"].isin(sets.zones)
    df["zone_registered"] = df["zone_code"].where(registered, None)
    mine = in_item_sets(df[ITEM], df["zone_code"], {i: c.jurisdiction for i, c in contexts.items()})
    df["zone_in_jurisdiction"] = mine.astype(object).where(registered, None)

    # enterprises: format and check digit, then listed somewhere
    tax_ok = tax_codes_ok(df["enterprise_tax_code"])
    df["tax_code_ok"] = tax_ok
    listed = in_item_sets(
        df[ITEM], df["enterprise_tax_code"], {i: c.known_tax_codes for i, c in contexts.items()}
    )
    df["tax_code_listed"] = listed.astype(object).where(tax_ok.eq(True), None)

    # basis and unit, judged only for a known metric (and a valid value_kind)
    vk_ok = df["value_kind"].isin(VALUE_KINDS)
    df["basis_key"] = _join(kind, df["value_kind"], df["period_basis"], when=known & vk_ok)
    basis_ok = df["basis_key"].isin(sets.basis_keys).to_numpy()
    allowed = {f"{k}|{vk}": ", ".join(allowed_bases(k, vk)) for k in "FSR" for vk in VALUE_KINDS}
    df["basis_allowed"] = _text(_join(kind, df["value_kind"], when=known).map(allowed))
    df["metric_unit"] = _join(metric_code, df["unit"], when=known)
    unit_ok = df["metric_unit"].isin(sets.metric_units)
    df["units_allowed"] = metric_code.map({c: ", ".join(allowed_units(c)) for c in ref.metrics})

    # numbers: negative and integer only for a number; integer only for a count
    number_ok = df["value"].str.fullmatch(NUMBER_RE).eq(True)
    df["number"] = pd.to_numeric(df["value"].where(number_ok), errors="coerce")
    is_count = metric_code.map({c: m.is_count for c, m in ref.metrics.items()}).eq(True)
    df["count_value"] = df["value"].where(number_ok & is_count, None)

    # the key of contract section 3 (currency of the unit, not the unit)
    df["currency"] = _text(df["unit"].map({c: u.currency for c, u in ref.units.items()}))
    key_codes = _Codes(df)
    key = key_codes.of(ITEM, *KEY)
    df["key_occurrence"] = pd.Series(key, index=df.index).groupby(key).cumcount() + 1
    df["key_first_row"] = df["row_number"].groupby(key).transform("first")

    # figures clean enough to compare across rows, in the canonical unit
    factor = df["unit"].map({c: u.factor for c, u in ref.units.items()}).astype(float)
    clean = (known & unit_ok & df["number"].ge(0) & vk_ok).to_numpy()
    df["canonical"] = (df["number"] * factor).where(clean)
    _parts_and_wholes(df, clean, key_codes)
    _zone_sums(df, clean, factor, key_codes)
    basis = df["period_basis"].to_numpy(dtype=object)
    flow = clean & basis_ok & kind.eq("F").to_numpy()
    series = key_codes.of(ITEM, *SERIES)
    _ytd_checks(df, flow, basis, series, context["month_of_year"], factor, contexts)
    _outliers(df, clean & basis_ok & (basis == "month"), factor, contexts)
    return df


def _metric_numbers(metrics: pd.Series) -> np.ndarray:
    """The catalogue position of each metric code, -1 for none or unknown."""
    order = {code: i for i, code in enumerate(load().metrics)}
    return metrics.map(order).fillna(-1).to_numpy(dtype=np.int64)


def _parts_and_wholes(df: pd.DataFrame, clean: np.ndarray, key_codes: _Codes) -> None:
    row_set = key_codes.of(ITEM, *ROW_SET)
    width = len(load().metrics)
    key = row_set * width + _metric_numbers(df["metric_code"])

    def in_row_set(metric_of_row: pd.Series) -> np.ndarray:
        """Each row's clean row of the same row set with the metric `metric_of_row`."""
        wanted = _metric_numbers(metric_of_row)
        return first_match(key, clean, np.where(wanted >= 0, row_set * width + wanted, -1))

    whole_metric = df["metric_code"].map(PART_OF)
    whole = in_row_set(whole_metric)
    whole_value = _take(df["canonical"], whole)
    is_part = clean & whole_value.notna()
    df["whole_value"] = whole_value.where(is_part)
    df["whole_metric"] = _text(whole_metric.where(is_part))
    df["whole_row"] = _take(df["row_number"], whole).where(is_part)

    fdi = _take(df["canonical"], in_row_set(df["metric_code"].map(_FDI_PART)))
    ddi = _take(df["canonical"], in_row_set(df["metric_code"].map(_DDI_PART)))
    total = df["canonical"]
    consistent = fdi.le(total) & ddi.le(total)  # else: reported as part > whole
    df["parts_sum"] = (fdi + ddi).where(clean & consistent)


def _zone_sums(df: pd.DataFrame, clean: np.ndarray, factor: pd.Series, key_codes: _Codes) -> None:
    summable = {c for c, m in load().metrics.items() if m.agg_over_zones == "sum"}
    zone_level = clean & (df["metric_code"].isin(summable) & df["enterprise_tax_code"].isna())
    group = key_codes.of(ITEM, "metric_code", "value_kind", "period_basis", "currency")
    zone_rows = (zone_level & df["zone_code"].notna()).to_numpy()
    canonical = df["canonical"].to_numpy(dtype=float)
    size = int(group.max()) + 1 if len(group) else 0
    sums = np.bincount(group[zone_rows], weights=canonical[zone_rows], minlength=size)
    counts = np.bincount(group[zone_rows], minlength=size)
    all_zones = (zone_level & df["zone_code"].isna()).to_numpy() & (counts[group] > 0)
    zone_sum = pd.Series(np.where(all_zones, sums[group], np.nan), index=df.index)
    total = df["canonical"]
    gap = (total - zone_sum).abs() / zone_sum
    df["zone_sum_gap"] = gap.mask(zone_sum.eq(0), total.ne(0).map({True: math.inf, False: 0.0}))
    df["zone_sum_in_unit"] = zone_sum / factor


def _history(
    df: pd.DataFrame, rows: np.ndarray, history: list[tuple[object, ...]], columns: list[str]
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


def _ytd_checks(
    df: pd.DataFrame,
    flow: np.ndarray,
    basis: np.ndarray,
    series: np.ndarray,
    month_of_year: pd.Series,
    factor: pd.Series,
    contexts: Mapping[int, RuleContext],
) -> None:
    """W_YTD_DECREASE and W_YTD_MONTH_MISMATCH on clean ytd rows of flows (rates such as
    lab_avg_income are not cumulative; stocks have no ytd)."""
    ytd = flow & (basis == "ytd")
    history = [(i, *key, v) for i, c in contexts.items() for key, v in c.previous_ytd.items()]
    previous = _history(df, ytd, history, ["previous"])["previous"]
    total = df["canonical"]
    floor = previous * (1 - YTD_DECREASE_SLACK)
    df["ytd_floor"] = floor
    df["ytd_previous"] = previous / factor

    # January restarts the year: its ytd is its month value, whatever came before
    start = previous.mask(ytd & month_of_year.eq(1).to_numpy(), 0.0)
    same = first_match(series, flow & (basis == "month"), np.where(ytd, series, -1))
    expected = start + _take(total, same)
    gap = (total - expected).abs() / expected
    gap = gap.mask(expected.eq(0), total.ne(0).map({True: math.inf, False: 0.0}))
    decreased = total.lt(floor)  # said once, as a decrease
    df["ytd_month_gap"] = gap.where(ytd & expected.notna() & ~decreased)
    df["ytd_expected"] = (expected / factor).where(df["ytd_month_gap"].notna())


def _outliers(
    df: pd.DataFrame, month: np.ndarray, factor: pd.Series, contexts: Mapping[int, RuleContext]
) -> None:
    """W_OUTLIER's robust z-score of clean month values with enough history (see above)."""
    history = [
        (i, *key, r.n, r.median, r.mad)
        for i, c in contexts.items()
        for key, r in c.month_reference.items()
    ]
    month = month & ~df["metric_code"].isin(LUMPY_FLOWS).to_numpy()
    ref = _history(df, month, history, ["n", "median", "mad"])
    median = ref["median"].abs()
    floor = OUTLIER_MIN_SCALE * median
    count_floor = np.sqrt(median.clip(lower=1.0)).where(df["metric_family"].isin(COUNT_FAMILIES))
    floor = floor.where(~(count_floor > floor), count_floor)
    scale = (MAD_TO_SIGMA * ref["mad"]).where(lambda spread: spread > floor, floor)
    judged = ref["n"].ge(OUTLIER_MIN_HISTORY) & scale.gt(0)
    df["outlier_z"] = ((df["canonical"] - ref["median"]) / scale).where(judged)
    df["outlier_typical"] = (ref["median"] / factor).where(judged)


@cache
def build_suite() -> gx.ExpectationSuite:
    """The expectations of indicators (run on `prepare`'s frame); the same for every
    submission, so built once."""
    suite = gx.ExpectationSuite(name="indicators")
    sets = rule_sets()
    expected = {"submitter_code": "expected_submitter", "period": "expected_period"}
    for column, rule_id in (
        ("submitter_code", "E_SUBMITTER_MISMATCH"),
        ("period", "E_PERIOD_MISMATCH"),
        ("metric_code", "E_UNKNOWN_METRIC"),
        ("value_kind", "E_VALUE_KIND"),
        ("value", "E_BAD_NUMBER"),
    ):
        suite.add_expectation(
            expect(
                E.ExpectColumnValuesToNotBeNull,
                rule_id,
                column,
                f"{column} is required",
                column=column,
                row_details={"expected": expected[column]} if column in expected else None,
            )
        )
    for e in (
        expect(
            E.ExpectColumnPairValuesToBeEqual,
            "E_SUBMITTER_MISMATCH",
            "submitter_code",
            "submitter_code equals the folder's submitter",
            column_A="submitter_code",
            column_B="expected_submitter",
            ignore_row_if="either_value_is_missing",
            row_details={"expected": "expected_submitter"},
        ),
        expect(
            E.ExpectColumnPairValuesToBeEqual,
            "E_PERIOD_MISMATCH",
            "period",
            "period equals the folder's month",
            column_A="period",
            column_B="expected_period",
            ignore_row_if="either_value_is_missing",
            row_details={"expected": "expected_period"},
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_UNKNOWN_METRIC",
            "metric_code",
            "metric_code is in the metric catalogue",
            column="metric_code",
            value_set=sorted(sets.metrics),
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_METRIC_NOT_ALLOWED",
            "metric_code",
            "the submitter type, and the level of the row, may report the metric",
            column="metric_use",
            value_set=sorted(sets.metric_uses),
            row_details={"reason": ["not_allowed_vi", "not_allowed_en"]},
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_UNKNOWN_ZONE",
            "zone_code",
            "zone_code is registered (and given on enterprise rows)",
            column="zone_check",
            value_set=sorted(sets.zones),
        ),
        zone_in_jurisdiction_expectation(),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_TAX_CODE",
            "enterprise_tax_code",
            "enterprise_tax_code has 10 or 10-3 digits and a valid check digit",
            column="tax_code_ok",
            value_set=[True],
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_UNKNOWN_ENTERPRISE",
            "enterprise_tax_code",
            "the enterprise is listed in this or an earlier enterprises table",
            column="tax_code_listed",
            value_set=[True],
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_VALUE_KIND",
            "value_kind",
            "value_kind is actual, estimate or plan",
            column="value_kind",
            value_set=list(VALUE_KINDS),
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_BASIS",
            "period_basis",
            "period_basis fits the metric's kind and the value_kind",
            column="basis_key",
            value_set=sorted(sets.basis_keys),
            row_details={
                "metric": "metric_code",
                "value_kind": "value_kind",
                "allowed": "basis_allowed",
            },
        ),
        expect(
            E.ExpectColumnValuesToMatchRegex,
            "E_BAD_NUMBER",
            "value",
            "value is digits with an optional '.' and decimals",
            column="value",
            regex=NUMBER_RE,
        ),
        expect(
            E.ExpectColumnValuesToBeBetween,
            "E_NEGATIVE",
            "value",
            "value is not below zero",
            column="number",
            min_value=0,
        ),
        expect(
            E.ExpectColumnValuesToMatchRegex,
            "E_NOT_INTEGER",
            "value",
            "a count is a whole number",
            column="count_value",
            regex=WHOLE_NUMBER_RE,
            row_details={"unit": "metric_family"},
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_UNIT",
            "unit",
            "unit is of the metric's family (and a known unit)",
            column="metric_unit",
            value_set=sorted(sets.metric_units),
            row_details={"metric": "metric_code", "allowed": "units_allowed"},
        ),
        expect(
            E.ExpectColumnValuesToBeBetween,
            "E_DUPLICATE_KEY",
            "metric_code",
            "the key (zone, enterprise, metric, value_kind, basis, currency) occurs once",
            column="key_occurrence",
            max_value=1,
            row_details={"first_row": "key_first_row"},
        ),
        expect(
            E.ExpectColumnPairValuesAToBeGreaterThanB,
            "E_PART_EXCEEDS_WHOLE",
            "value",
            "a part is not above its whole in the same row set",
            column_A="whole_value",
            column_B="canonical",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            row_details={
                "metric": "metric_code",
                "whole_metric": "whole_metric",
                "whole_value": "whole_value",
                "whole_row": "whole_row",
            },
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "W_NUMBER_AS_TEXT",
            "value",
            "value was a number cell, not text read by Vietnamese conventions",
            column="value_as_text",
            value_set=[False],
        ),
        expect(
            E.ExpectColumnPairValuesToBeEqual,
            "W_SUBTOTAL_MISMATCH",
            "value",
            "FDI + domestic equals the total",
            column_A="canonical",
            column_B="parts_sum",
            ignore_row_if="either_value_is_missing",
            row_details={"metric": "metric_code", "parts_sum": "parts_sum"},
        ),
        expect(
            E.ExpectColumnValuesToBeBetween,
            "W_ZONE_SUM_MISMATCH",
            "value",
            "the all-zones figure is within 1 % of the sum of the zone rows",
            column="zone_sum_gap",
            max_value=ZONE_SUM_TOLERANCE,
            row_details={"metric": "metric_code", "unit": "unit", "zone_sum": "zone_sum_in_unit"},
        ),
        expect(
            E.ExpectColumnPairValuesAToBeGreaterThanB,
            "W_YTD_DECREASE",
            "value",
            "a ytd flow is not below the previous month's ytd of the same key",
            column_A="canonical",
            column_B="ytd_floor",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            row_details={"previous": "ytd_previous"},
        ),
        expect(
            E.ExpectColumnValuesToBeBetween,
            "W_YTD_MONTH_MISMATCH",
            "value",
            "a ytd flow is within 0.5 % of the previous month's ytd plus this month's value",
            column="ytd_month_gap",
            max_value=YTD_MONTH_TOLERANCE,
            row_details={"expected": "ytd_expected"},
        ),
        expect(
            E.ExpectColumnValuesToBeBetween,
            "W_OUTLIER",
            "value",
            "a month value is within 5 robust standard deviations of the same season's history",
            column="outlier_z",
            min_value=-OUTLIER_THRESHOLD,
            max_value=OUTLIER_THRESHOLD,
            row_details={"typical": "outlier_typical"},
        ),
    ):
        suite.add_expectation(e)
    return suite
