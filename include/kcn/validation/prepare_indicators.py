"""Prepare the indicators of many submissions for their suite (expectations.indicators).

`prepare` adds helper columns to the parsed table so that built-in expectations can state
cross-column and cross-row rules as set membership, ranges and column pairs. A helper is
None where an earlier rule already failed, and GX skips None: one mistake, one finding
(an unknown metric is not also reported as a bad unit or basis).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from kcn.contract import (
    INDICATOR_COLUMNS,
    TEXT_LIMITS,
    VALUE_KINDS,
    allowed_bases,
    is_machine_number,
)
from kcn.reference import allowed_units, load
from kcn.validation.context import RuleContext, per_item, rule_sets
from kcn.validation.frames import (
    ITEM,
    KEY,
    ROW_SET,
    SERIES,
    Codes,
    first_match,
    in_item_sets,
    join,
    take,
    tax_codes_ok,
    text,
    text_length_columns,
)
from kcn.validation.outlier import outliers
from kcn.validation.ytd import ytd_checks

# The columns of the indicators table that the rules read as text (the folder's submitter
# and period are compared as they are; the note is not judged).
RULE_COLUMNS = tuple(c for c in INDICATOR_COLUMNS if c not in ("submitter_code", "period", "note"))

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


def prepare(frame: pd.DataFrame, contexts: Mapping[int, RuleContext]) -> pd.DataFrame:
    """The parsed indicators of the submissions in `contexts` (column `item` names each row's
    submission) plus the helper columns the suite checks."""
    ref = load()
    sets = rule_sets()
    df = frame.copy()
    for column in RULE_COLUMNS:
        df[column] = text(df[column])
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
    df["metric_use"] = join(submitter_type, metric_code, level, when=known)
    per_zone = join(submitter_type, metric_code, pd.Series("Z", index=df.index), when=known)
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
    df["basis_key"] = join(kind, df["value_kind"], df["period_basis"], when=known & vk_ok)
    basis_ok = df["basis_key"].isin(sets.basis_keys).to_numpy()
    allowed = {f"{k}|{vk}": ", ".join(allowed_bases(k, vk)) for k in "FSR" for vk in VALUE_KINDS}
    df["basis_allowed"] = text(join(kind, df["value_kind"], when=known).map(allowed))
    df["metric_unit"] = join(metric_code, df["unit"], when=known)
    unit_ok = df["metric_unit"].isin(sets.metric_units)
    df["units_allowed"] = metric_code.map({c: ", ".join(allowed_units(c)) for c in ref.metrics})

    # numbers: negative and integer only for a number; integer only for a count
    text_length_columns(df, "note", TEXT_LIMITS["note"])  # E_TEXT_TOO_LONG

    # E_BAD_NUMBER: the contract's one definition of a machine number (None: no value,
    # reported as missing instead)
    number_ok = df["value"].map(is_machine_number).astype(bool) & df["value"].notna()
    df["number_ok"] = number_ok.astype(object).where(df["value"].notna(), None)
    df["number"] = pd.to_numeric(df["value"].where(number_ok), errors="coerce")
    is_count = metric_code.map({c: m.is_count for c, m in ref.metrics.items()}).eq(True)
    df["count_value"] = df["value"].where(number_ok & is_count, None)

    # the key of contract section 3 (currency of the unit, not the unit)
    df["currency"] = text(df["unit"].map({c: u.currency for c, u in ref.units.items()}))
    key_codes = Codes(df)
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
    previous = {i: c.previous_ytd for i, c in contexts.items()}
    ytd_checks(df, flow, basis, series, context["month_of_year"], factor, previous)
    references = {i: c.month_reference for i, c in contexts.items()}
    outliers(df, clean & basis_ok & (basis == "month"), factor, references)
    return df


def _metric_numbers(metrics: pd.Series) -> np.ndarray:
    """The catalogue position of each metric code, -1 for none or unknown."""
    order = {code: i for i, code in enumerate(load().metrics)}
    return metrics.map(order).fillna(-1).to_numpy(dtype=np.int64)


def _parts_and_wholes(df: pd.DataFrame, clean: np.ndarray, key_codes: Codes) -> None:
    row_set = key_codes.of(ITEM, *ROW_SET)
    width = len(load().metrics)
    key = row_set * width + _metric_numbers(df["metric_code"])

    def in_row_set(metric_of_row: pd.Series) -> np.ndarray:
        """Each row's clean row of the same row set with the metric `metric_of_row`."""
        wanted = _metric_numbers(metric_of_row)
        return first_match(key, clean, np.where(wanted >= 0, row_set * width + wanted, -1))

    whole_metric = df["metric_code"].map(PART_OF)
    whole = in_row_set(whole_metric)
    whole_value = take(df["canonical"], whole)
    is_part = clean & whole_value.notna()
    df["whole_value"] = whole_value.where(is_part)
    df["whole_metric"] = text(whole_metric.where(is_part))
    df["whole_row"] = take(df["row_number"], whole).where(is_part)

    fdi = take(df["canonical"], in_row_set(df["metric_code"].map(_FDI_PART)))
    ddi = take(df["canonical"], in_row_set(df["metric_code"].map(_DDI_PART)))
    total = df["canonical"]
    consistent = fdi.le(total) & ddi.le(total)  # else: reported as part > whole
    df["parts_sum"] = (fdi + ddi).where(clean & consistent)


def _zone_sums(df: pd.DataFrame, clean: np.ndarray, factor: pd.Series, key_codes: Codes) -> None:
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
