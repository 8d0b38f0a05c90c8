"""The suite of the enterprises table (contract section 4); helpers and meta as in indicators."""

from __future__ import annotations

from functools import cache

import great_expectations as gx
import pandas as pd
import pycountry

from expectations.indicators import E, expect, tax_code_ok
from kcn.reference import RuleContext

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


def prepare(frame: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """The parsed enterprises plus the helper columns the suite checks."""
    df = frame.copy()
    for column in ("tax_code", "zone_code", "ownership", "investor_country", "vsic_code", "status"):
        df[column] = df[column].astype(object).where(df[column].notna(), None)
    df["tax_code_ok"] = df["tax_code"].map(tax_code_ok)
    df["zone_check"] = df["zone_code"].fillna("")  # required: empty is not a zone
    df["zone_registered"] = df["zone_code"].where(df["zone_code"].isin(ctx.zones), None)
    df["ownership_check"] = df["ownership"].fillna("")
    owned = df["ownership"].isin(OWNERSHIPS)
    pairs = df["ownership"].fillna("") + "|" + df["investor_country"].fillna("")
    df["country_ok"] = pairs.map(ownership_countries().__contains__).where(owned, None)
    df["status_check"] = df["status"].fillna("")
    return df


def build_suite(ctx: RuleContext) -> gx.ExpectationSuite:
    """The expectations of one submitter's enterprises table for one month."""
    suite = gx.ExpectationSuite(name=f"enterprises.{ctx.submitter_code}.{ctx.period}")
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
                "allowed": ", ".join(sorted(ctx.jurisdiction)) or "-",
            },
        ),
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
