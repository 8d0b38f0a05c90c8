"""The suite of the enterprises table (contract section 4); helpers, meta and the `item`
column of several submissions as in indicators."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import great_expectations as gx
import pandas as pd
import pycountry

from expectations.indicators import (
    ITEM,
    E,
    expect,
    in_item_sets,
    per_item,
    tax_codes_ok,
    zone_in_jurisdiction_expectation,
)
from kcn.reference import RuleContext, rule_sets

OWNERSHIPS = ("FDI", "DDI")
STATUSES = ("operating", "construction", "suspended", "closed")
VSIC_RE = r"^(?:[A-U]|\d{2,5})$"  # a VSIC 2018 section letter, or a 2- to 5-digit code

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


@cache
def ownership_countries() -> frozenset[str]:
    """'ownership|country' pairs allowed: FDI names a foreign country, DDI is VN or empty."""
    foreign = {c.alpha_2 for c in pycountry.countries} - {"VN"}
    return frozenset({f"FDI|{code}" for code in foreign} | {"DDI|VN", "DDI|"})


def prepare(frame: pd.DataFrame, contexts: Mapping[int, RuleContext]) -> pd.DataFrame:
    """The parsed enterprises of the submissions in `contexts` (column `item`) plus the helper
    columns the suite checks."""
    df = frame.copy()
    for column in ("tax_code", "zone_code", "ownership", "investor_country", "vsic_code", "status"):
        df[column] = df[column].astype(object).where(df[column].notna(), None)
    context = per_item(df, contexts)
    for column in ("expected_submitter", "expected_period", "jurisdiction_text"):
        df[column] = context[column]
    df["tax_code_ok"] = tax_codes_ok(df["tax_code"]).where(df["tax_code"].notna(), False)
    df["zone_check"] = df["zone_code"].fillna("")  # required: empty is not a zone
    registered = df["zone_code"].isin(rule_sets().zones)
    df["zone_registered"] = df["zone_code"].where(registered, None)
    mine = in_item_sets(df[ITEM], df["zone_code"], {i: c.jurisdiction for i, c in contexts.items()})
    df["zone_in_jurisdiction"] = mine.astype(object).where(registered, None)
    df["ownership_check"] = df["ownership"].fillna("")
    owned = df["ownership"].isin(OWNERSHIPS)
    pairs = df["ownership"].fillna("") + "|" + df["investor_country"].fillna("")
    df["country_ok"] = pairs.isin(ownership_countries()).astype(object).where(owned, None)
    df["status_check"] = df["status"].fillna("")
    return df


@cache
def build_suite() -> gx.ExpectationSuite:
    """The expectations of enterprises tables (the same for every submission: built once)."""
    suite = gx.ExpectationSuite(name="enterprises")
    zones = sorted(rule_sets().zones)
    for e in (
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_TAX_CODE",
            "tax_code",
            "tax_code has 10 or 10-3 digits and a valid check digit",
            column="tax_code_ok",
            value_set=[True],
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_UNKNOWN_ZONE",
            "zone_code",
            "zone_code is given and registered",
            column="zone_check",
            value_set=zones,
        ),
        zone_in_jurisdiction_expectation(),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_BAD_REFERENCE",
            "ownership",
            "ownership is FDI or DDI",
            column="ownership_check",
            value_set=list(OWNERSHIPS),
            details={"allowed": _ALLOWED["ownership"]},
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_BAD_REFERENCE",
            "investor_country",
            "investor_country is ISO 3166-1 alpha-2, required for FDI, VN or empty for DDI",
            column="country_ok",
            value_set=[True],
            details={"allowed": _ALLOWED["investor_country"]},
        ),
        expect(
            E.ExpectColumnValuesToBeInSet,
            "E_BAD_REFERENCE",
            "status",
            "status is operating, construction, suspended or closed",
            column="status_check",
            value_set=list(STATUSES),
            details={"allowed": _ALLOWED["status"]},
        ),
        expect(
            E.ExpectColumnValuesToMatchRegex,
            "E_BAD_REFERENCE",
            "vsic_code",
            "vsic_code, when given, is a section letter or 2 to 5 digits",
            column="vsic_code",
            regex=VSIC_RE,
            details={"allowed": _ALLOWED["vsic_code"]},
        ),
    ):
        suite.add_expectation(e)
    return suite
