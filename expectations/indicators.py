"""The suite of the indicators table (contract sections 3, 5, 6 and 7).

The suite is declarative: one expectation per rule and checked column, on the helper
columns that kcn.validation.prepare_indicators adds (set membership, ranges, column pairs).
It is the same for every submission; the reference sets and the severities are passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import great_expectations as gx

from expectations.common import (
    E,
    expect,
    tax_code_expectation,
    text_length_expectation,
    zone_in_jurisdiction_expectation,
)

WHOLE_NUMBER_RE = r"^-?[0-9]+(?:[.]0+)?$"  # checked on machine numbers only
ZONE_SUM_TOLERANCE = 0.01  # W_ZONE_SUM_MISMATCH: all-zones figure against the zone rows
RuleSets = Any  # kcn.validation.context.RuleSets: metrics, zones, metric_uses, ...


def build_suite(sets: RuleSets, severity: Mapping[str, str]) -> gx.ExpectationSuite:
    """The expectations of indicators, run on the prepared frame; the same for every
    submission, so built once per process."""
    suite = gx.ExpectationSuite(name="indicators")
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
                severity=severity,
                column=column,
                row_details={"expected": expected[column]} if column in expected else None,
            )
        )
    for column, rule_id, folder_value in (
        ("submitter_code", "E_SUBMITTER_MISMATCH", "submitter"),
        ("period", "E_PERIOD_MISMATCH", "month"),
    ):
        suite.add_expectation(
            expect(
                E.ExpectColumnPairValuesToBeEqual,
                rule_id,
                column,
                f"{column} equals the folder's {folder_value}",
                severity=severity,
                column_A=column,
                column_B=expected[column],
                ignore_row_if="either_value_is_missing",
                row_details={"expected": expected[column]},
            )
        )
    for e in (
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_UNKNOWN_METRIC",
            "metric_code",
            "metric_code is in the metric catalogue",
            severity=severity,
            column="metric_code",
            value_set=sorted(sets.metrics),
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_METRIC_NOT_ALLOWED",
            "metric_code",
            "the submitter type, and the level of the row, may report the metric",
            severity=severity,
            column="metric_use",
            value_set=sorted(sets.metric_uses),
            row_details={"reason": ["not_allowed_vi", "not_allowed_en"]},
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_UNKNOWN_ZONE",
            "zone_code",
            "zone_code is registered (and given on enterprise rows)",
            severity=severity,
            column="zone_check",
            value_set=sorted(sets.zones),
        ),
        zone_in_jurisdiction_expectation(severity),
        tax_code_expectation("enterprise_tax_code", severity),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_UNKNOWN_ENTERPRISE",
            "enterprise_tax_code",
            "the enterprise is listed in this or an earlier enterprises table",
            severity=severity,
            column="tax_code_listed",
            value_set=[True],
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_VALUE_KIND",
            "value_kind",
            "value_kind is actual, estimate or plan",
            severity=severity,
            column="value_kind",
            value_set=list(sets.value_kinds),
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_BASIS",
            "period_basis",
            "period_basis fits the metric's kind and the value_kind",
            severity=severity,
            column="basis_key",
            value_set=sorted(sets.basis_keys),
            row_details={
                "metric": "metric_code",
                "value_kind": "value_kind",
                "allowed": "basis_allowed",
            },
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_BAD_NUMBER",
            "value",
            "value is a machine number: ASCII digits (at most 15 before the point), an"
            " optional '.' and decimals (the contract's one definition, judged in prepare)",
            severity=severity,
            column="number_ok",
            value_set=[True],
        ),
        text_length_expectation("note", severity),
        expect(
            E.ExpectColumnValuesToBeBetween,
            "E_NEGATIVE",
            "value",
            "value is not below zero",
            severity=severity,
            column="number",
            min_value=0,
        ),
        expect(
            E.ExpectColumnValuesToMatchRegex,
            "E_NOT_INTEGER",
            "value",
            "a count is a whole number",
            severity=severity,
            column="count_value",
            regex=WHOLE_NUMBER_RE,
            row_details={"unit": "metric_family"},
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_UNIT",
            "unit",
            "unit is of the metric's family (and a known unit)",
            severity=severity,
            column="metric_unit",
            value_set=sorted(sets.metric_units),
            row_details={"metric": "metric_code", "allowed": "units_allowed"},
        ),
        expect(
            E.ExpectColumnValuesToBeBetween,
            "E_DUPLICATE_KEY",
            "metric_code",
            "the key (zone, enterprise, metric, value_kind, basis, currency) occurs once",
            severity=severity,
            column="key_occurrence",
            max_value=1,
            row_details={"first_row": "key_first_row"},
        ),
        expect(
            E.ExpectColumnPairValuesAToBeGreaterThanB,
            "E_PART_EXCEEDS_WHOLE",
            "value",
            "a part is not above its whole in the same row set",
            severity=severity,
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
            severity=severity,
            column="value_as_text",
            value_set=[False],
        ),
        expect(
            E.ExpectColumnPairValuesToBeEqual,
            "W_SUBTOTAL_MISMATCH",
            "value",
            "FDI + domestic equals the total",
            severity=severity,
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
            severity=severity,
            column="zone_sum_gap",
            max_value=ZONE_SUM_TOLERANCE,
            row_details={"metric": "metric_code", "unit": "unit", "zone_sum": "zone_sum_in_unit"},
        ),
        expect(
            E.ExpectColumnPairValuesAToBeGreaterThanB,
            "W_YTD_DECREASE",
            "value",
            "a ytd flow is not below the previous month's ytd of the same key",
            severity=severity,
            column_A="canonical",
            column_B="ytd_floor",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            row_details={"previous": "ytd_previous"},
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "W_YTD_MONTH_MISMATCH",
            "value",
            "a ytd flow is within 0.5 % of the previous month's ytd plus this month's value",
            severity=severity,
            column="ytd_month_ok",
            value_set=[True],
            row_details={"expected": "ytd_expected"},
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "W_OUTLIER",
            "value",
            "a month value is within 5 robust standard deviations of the same season's history",
            severity=severity,
            column="outlier_ok",
            value_set=[True],
            row_details={"typical": "outlier_typical"},
        ),
    ):
        suite.add_expectation(e)
    return suite
