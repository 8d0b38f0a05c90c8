"""What every suite's expectations carry: the contract rule, its severity and the meta a
finding needs.

Every expectation carries meta: rule_id (contract section 7), column (the contract column
the finding points at), details (message fields known when the suite is built) and
row_details (message fields read from the offending row: a helper column, or a
[vietnamese, english] pair of helper columns). The suites check helper columns that the
validation's `prepare` step adds to the submitted tables.
"""

from __future__ import annotations

from collections.abc import Mapping

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity

E = gx.expectations


def expect(
    expectation: type[gx.expectations.Expectation],
    rule_id: str,
    reported_column: str,
    description: str,
    *,
    severity: Mapping[str, str],
    details: dict[str, object] | None = None,
    row_details: dict[str, object] | None = None,
    value_column: str | None = None,
    **kwargs: object,
) -> gx.expectations.Expectation:
    """An expectation of a contract rule, with its severity and the meta findings need.

    `reported_column` is the contract column a finding names (the expectation itself may
    check a helper column); `severity` maps rule ids to fatal, error or warning;
    `value_column` is where the finding's value is read, when not the reported column
    (an excerpt of an over-long text, say).
    """
    warning = severity[rule_id] == "warning"
    level = FailureSeverity.WARNING if warning else FailureSeverity.CRITICAL
    meta = {
        "rule_id": rule_id,
        "column": reported_column,
        "details": details or {},
        "row_details": row_details or {},
    }
    if value_column:
        meta["value_column"] = value_column
    return expectation(description=description, severity=level, meta=meta, **kwargs)


def zone_in_jurisdiction_expectation(
    severity: Mapping[str, str],
) -> gx.expectations.Expectation:
    """E_ZONE_NOT_IN_JURISDICTION on the zone_in_jurisdiction column prepare() adds, with
    the per_item context columns as row details. Shared by the indicator and enterprise
    suites, whose rows carry a zone the same way."""
    return expect(
        E.ExpectColumnValuesToBeInSet,
        "E_ZONE_NOT_IN_JURISDICTION",
        "zone_code",
        "the zone is in the submitter's jurisdiction in the reporting month",
        severity=severity,
        column="zone_in_jurisdiction",
        value_set=[True],
        row_details={
            "submitter": "expected_submitter",
            "period": "expected_period",
            "allowed": "jurisdiction_text",
        },
    )


def tax_code_expectation(
    reported_column: str, severity: Mapping[str, str]
) -> gx.expectations.Expectation:
    """E_TAX_CODE on the tax_code_ok column prepare() adds for the table's tax code column."""
    return expect(
        E.ExpectColumnValuesToBeInSet,
        "E_TAX_CODE",
        reported_column,
        f"{reported_column} has 10 or 10-3 digits and a valid check digit",
        severity=severity,
        column="tax_code_ok",
        value_set=[True],
    )


def text_length_expectation(
    column: str, severity: Mapping[str, str]
) -> gx.expectations.Expectation:
    """E_TEXT_TOO_LONG on the <column>_ok, _excerpt, _length and _limit columns prepare()
    adds for a text column with a length limit."""
    return expect(
        E.ExpectColumnValuesToBeInSet,
        "E_TEXT_TOO_LONG",
        column,
        f"{column} is not longer than the contract allows",
        severity=severity,
        column=f"{column}_ok",
        value_set=[True],
        value_column=f"{column}_excerpt",
        row_details={"length": f"{column}_length", "limit": f"{column}_limit"},
    )
