"""The suite of the indicators table (contract sections 3, 5, 6 and 7).

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
from functools import cache

import great_expectations as gx
import pandas as pd
from great_expectations.expectations.metadata_types import FailureSeverity
from stdnum.vn import mst

from kcn.reference import VALUE_KINDS, RuleContext, allowed_bases, allowed_units, load
from kcn.rules import SEVERITY

E = gx.expectations

NUMBER_RE = r"^-?\d+(?:\.\d+)?$"
WHOLE_NUMBER_RE = r"^-?\d+(?:\.0+)?$"
TAX_CODE_RE = r"^\d{10}(?:-\d{3})?$"

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
ZONE_SUM_TOLERANCE = 0.01
# The key of contract section 3, with the unit's currency.
KEY = ["zone_code", "enterprise_tax_code", "metric_code", "value_kind", "period_basis", "currency"]
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


@cache
def tax_code_ok(code: object) -> bool:
    """10 digits or 10-3 digits, with a valid check digit (stdnum.vn.mst)."""
    return isinstance(code, str) and bool(re.fullmatch(TAX_CODE_RE, code)) and mst.is_valid(code)


def _text(series: pd.Series) -> pd.Series:
    """Text cells as Python objects with None for missing (pandas 3 would use NaN)."""
    return series.astype(object).where(series.notna(), None)


def _join(*parts: pd.Series, when: pd.Series) -> pd.Series:
    """'a|b|c' of the parts (missing -> ''), None where `when` is false."""
    out = parts[0].fillna("").astype(str)
    for part in parts[1:]:
        out = out + "|" + part.fillna("").astype(str)
    return out.where(when, None).astype(object)


def _fmt(x: float) -> str:
    return f"{x:.12g}"


def prepare(frame: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """The parsed indicators plus the helper columns the suite checks."""
    ref = load()
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

    metric = df["metric_code"].map(ref.metrics)
    known = metric.notna()
    enterprise_row = df["enterprise_tax_code"].notna()
    df["metric_family"] = metric.map(lambda m: m.unit_family, na_action="ignore")
    kind = metric.map(lambda m: m.kind, na_action="ignore")

    # E_METRIC_NOT_ALLOWED, with the reason to show
    df["metric_use"] = _join(
        df["metric_code"], enterprise_row.map({True: "E", False: "Z"}), when=known
    )
    reason = [
        _NOT_PER_ENTERPRISE if f"{c}|Z" in ctx.metric_uses else _NOT_BY[ctx.submitter_type]
        for c in df["metric_code"]
    ]
    df["not_allowed_vi"] = [vi for vi, _ in reason]
    df["not_allowed_en"] = [en for _, en in reason]

    # zones: an enterprise row must name one; a registered zone must be the submitter's
    df["zone_check"] = df["zone_code"].where(~(enterprise_row & df["zone_code"].isna()), "")
    df["zone_registered"] = df["zone_code"].where(df["zone_code"].isin(ctx.zones), None)

    # enterprises: format and check digit, then listed somewhere
    tax_ok = df["enterprise_tax_code"].map(tax_code_ok, na_action="ignore")
    df["tax_code_ok"] = tax_ok.astype(object)
    # a set of thousands of tax codes would slow GX down (it copies value_set per metric)
    df["tax_code_listed"] = (
        df["enterprise_tax_code"]
        .where(tax_ok.eq(True), None)
        .map(lambda code: code in ctx.known_tax_codes, na_action="ignore")
        .astype(object)
    )

    # basis and unit, judged only for a known metric (and a valid value_kind)
    vk_ok = df["value_kind"].isin(VALUE_KINDS)
    df["basis_key"] = _join(kind, df["value_kind"], df["period_basis"], when=known & vk_ok)
    df["basis_allowed"] = [
        ", ".join(allowed_bases(k, v)) if isinstance(k, str) else None
        for k, v in zip(kind, df["value_kind"], strict=True)
    ]
    df["metric_unit"] = _join(df["metric_code"], df["unit"], when=known)
    unit_ok = df["metric_unit"].isin(ctx.metric_units)
    df["units_allowed"] = df["metric_code"].map(
        lambda c: ", ".join(allowed_units(c)) if c in ref.metrics else None
    )

    # numbers: negative and integer only for a number; integer only for a count
    number_ok = df["value"].str.fullmatch(NUMBER_RE).eq(True)
    df["number"] = pd.to_numeric(df["value"].where(number_ok), errors="coerce")
    is_count = metric.map(lambda m: m.is_count, na_action="ignore").eq(True)
    df["count_value"] = df["value"].where(number_ok & is_count, None)

    # the key of contract section 3 (currency of the unit, not the unit)
    unit = df["unit"].map(ref.units)
    df["currency"] = _text(unit.map(lambda u: u.currency, na_action="ignore"))
    keys = df[KEY].fillna("\x00")  # missing parts of a key compare equal
    df["key_occurrence"] = keys.groupby(KEY).cumcount() + 1
    df["key_first_row"] = keys.assign(row=df["row_number"]).groupby(KEY)["row"].transform("first")

    # figures clean enough to compare across rows, in the canonical unit
    factor = unit.map(lambda u: u.factor, na_action="ignore").astype(float)
    clean = known & unit_ok & df["number"].ge(0) & vk_ok
    df["canonical"] = (df["number"] * factor).where(clean)
    _parts_and_wholes(df, clean)
    _zone_sums(df, clean, metric, factor)
    return df


def _lookup(df: pd.DataFrame, clean: pd.Series, metric_of_row: pd.Series) -> pd.DataFrame:
    """For each row, the clean row of the same row set whose metric is `metric_of_row`."""
    rows = df.loc[clean, [*ROW_SET, "metric_code", "canonical", "row_number"]]
    rows = rows.fillna({c: "\x00" for c in ROW_SET}).drop_duplicates([*ROW_SET, "metric_code"])
    probe = df[ROW_SET].fillna("\x00").assign(metric_code=metric_of_row)
    return probe.merge(rows, on=[*ROW_SET, "metric_code"], how="left").set_index(df.index)


def _parts_and_wholes(df: pd.DataFrame, clean: pd.Series) -> None:
    whole = _lookup(df, clean, df["metric_code"].map(PART_OF))
    is_part = clean & whole["canonical"].notna()
    df["whole_value"] = whole["canonical"].where(is_part)
    df["whole_metric"] = df["metric_code"].map(PART_OF).where(is_part)
    df["whole_row"] = whole["row_number"].where(is_part)
    df["whole_value_text"] = df["whole_value"].map(_fmt, na_action="ignore")

    fdi = _lookup(df, clean, df["metric_code"].map({t: p[0] for t, p in SUBTOTALS.items()}))
    ddi = _lookup(df, clean, df["metric_code"].map({t: p[1] for t, p in SUBTOTALS.items()}))
    total = df["canonical"]
    consistent = fdi["canonical"].le(total) & ddi["canonical"].le(total)  # else: part > whole
    df["parts_sum"] = (fdi["canonical"] + ddi["canonical"]).where(clean & consistent)
    df["parts_sum_text"] = df["parts_sum"].map(_fmt, na_action="ignore")


def _zone_sums(df: pd.DataFrame, clean: pd.Series, metric: pd.Series, factor: pd.Series) -> None:
    summable = clean & metric.map(lambda m: m.agg_over_zones == "sum", na_action="ignore").eq(True)
    zone_level = summable & df["enterprise_tax_code"].isna()
    by = ["metric_code", "value_kind", "period_basis", "currency"]
    keys = df[by].fillna({"currency": "\x00"})
    sums = (
        keys.assign(zone_sum=df["canonical"])[zone_level & df["zone_code"].notna()]
        .groupby(by, as_index=False)["zone_sum"]
        .sum()
    )
    all_zones = zone_level & df["zone_code"].isna()
    zone_sum = keys.merge(sums, on=by, how="left")["zone_sum"].set_axis(df.index).where(all_zones)
    total = df["canonical"]
    gap = (total - zone_sum).abs() / zone_sum
    df["zone_sum_gap"] = gap.mask(zone_sum.eq(0), total.ne(0).map({True: math.inf, False: 0.0}))
    df["zone_sum_text"] = (zone_sum / factor).map(_fmt, na_action="ignore")


def build_suite(ctx: RuleContext) -> gx.ExpectationSuite:
    """The expectations of one submitter's indicators for one month (run on `prepare`'s frame)."""
    suite = gx.ExpectationSuite(name=f"indicators.{ctx.submitter_code}.{ctx.period}")
    jurisdiction = ", ".join(sorted(ctx.jurisdiction)) or "-"
    expected = {"submitter_code": ctx.submitter_code, "period": ctx.period}
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
                details={"expected": expected.get(column)},
            )
        )
    for e in (
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_SUBMITTER_MISMATCH",
            "submitter_code",
            "submitter_code equals the folder's submitter",
            column="submitter_code",
            value_set=[ctx.submitter_code],
            details={"expected": ctx.submitter_code},
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_PERIOD_MISMATCH",
            "period",
            "period equals the folder's month",
            column="period",
            value_set=[ctx.period],
            details={"expected": ctx.period},
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_UNKNOWN_METRIC",
            "metric_code",
            "metric_code is in the metric catalogue",
            column="metric_code",
            value_set=sorted(ctx.metrics),
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_METRIC_NOT_ALLOWED",
            "metric_code",
            "the submitter type, and the level of the row, may report the metric",
            column="metric_use",
            value_set=sorted(ctx.metric_uses),
            row_details={"reason": ["not_allowed_vi", "not_allowed_en"]},
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_UNKNOWN_ZONE",
            "zone_code",
            "zone_code is registered (and given on enterprise rows)",
            column="zone_check",
            value_set=sorted(ctx.zones),
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_ZONE_NOT_IN_JURISDICTION",
            "zone_code",
            "the zone is in the submitter's jurisdiction in the reporting month",
            column="zone_registered",
            value_set=sorted(ctx.jurisdiction),
            details={
                "submitter": ctx.submitter_code,
                "period": ctx.period,
                "allowed": jurisdiction,
            },
        ),
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
            value_set=sorted(ctx.basis_keys),
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
            value_set=sorted(ctx.metric_units),
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
                "whole_value": "whole_value_text",
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
            row_details={"metric": "metric_code", "parts_sum": "parts_sum_text"},
        ),
        expect(
            E.ExpectColumnValuesToBeBetween,
            "W_ZONE_SUM_MISMATCH",
            "value",
            "the all-zones figure is within 1 % of the sum of the zone rows",
            column="zone_sum_gap",
            max_value=ZONE_SUM_TOLERANCE,
            row_details={"metric": "metric_code", "unit": "unit", "zone_sum": "zone_sum_text"},
        ),
    ):
        suite.add_expectation(e)
    return suite
