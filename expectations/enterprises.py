"""The suite of the enterprises table (contract section 4), on the helper columns that
kcn.validation.prepare_enterprises adds; reference sets and severities passed in as for
indicators."""

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

VSIC_RE = r"^(?:[A-U]|[0-9]{2,5})$"  # a VSIC 2018 section letter, or a 2- to 5-digit code
RuleSets = Any  # kcn.validation.context.RuleSets: zones, ownerships, statuses, ...

_ALLOWED = {
    "ownership": (
        "FDI (có vốn đầu tư nước ngoài) hoặc DDI (trong nước)",
        "FDI (foreign-invested) or DDI (domestic)",
    ),
    "investor_country": (
        "mã quốc gia ISO 3166-1 alpha-2 của nhà đầu tư (ví dụ JP, KR); bắt buộc với FDI; "
        "doanh nghiệp trong nước (DDI) ghi VN hoặc để trống",
        "the investor's ISO 3166-1 alpha-2 country code (e.g. JP, KR); required for FDI; "
        "VN or empty for a domestic (DDI) enterprise",
    ),
    "status": (
        "một trong: operating, construction, suspended, closed",
        "one of: operating, construction, suspended, closed",
    ),
    "vsic_code": (
        "mã VSIC 2018: một chữ cái ngành (A đến U) hoặc 2 đến 5 chữ số",
        "a VSIC 2018 code: a section letter (A to U) or 2 to 5 digits",
    ),
}


def build_suite(sets: RuleSets, severity: Mapping[str, str]) -> gx.ExpectationSuite:
    """The expectations of enterprises tables, run on the prepared frame (the same for every
    submission)."""
    suite = gx.ExpectationSuite(name="enterprises")
    zones = sorted(sets.zones)

    def reference(
        reported_column: str,
        description: str,
        expectation: type[gx.expectations.Expectation] = E.ExpectColumnValuesToBeInSet,
        **check: object,
    ) -> gx.expectations.Expectation:
        """E_BAD_REFERENCE on a contract column, its finding telling what the column allows."""
        return expect(
            expectation,
            "E_BAD_REFERENCE",
            reported_column,
            description,
            severity=severity,
            details={"allowed": _ALLOWED[reported_column]},
            **check,
        )

    for e in (
        tax_code_expectation("tax_code", severity),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_UNKNOWN_ZONE",
            "zone_code",
            "zone_code is given and registered",
            severity=severity,
            column="zone_check",
            value_set=zones,
        ),
        zone_in_jurisdiction_expectation(severity),
        text_length_expectation("enterprise_name", severity),
        reference(
            "ownership",
            "ownership is FDI or DDI",
            column="ownership_check",
            value_set=list(sets.ownerships),
        ),
        reference(
            "investor_country",
            "investor_country is ISO 3166-1 alpha-2, required for FDI, VN or empty for DDI",
            column="country_ok",
            value_set=[True],
        ),
        reference(
            "status",
            "status is operating, construction, suspended or closed",
            column="status_check",
            value_set=list(sets.statuses),
        ),
        reference(
            "vsic_code",
            "vsic_code, when given, is a section letter or 2 to 5 digits",
            E.ExpectColumnValuesToMatchRegex,
            column="vsic_code",
            regex=VSIC_RE,
        ),
    ):
        suite.add_expectation(e)
    return suite
