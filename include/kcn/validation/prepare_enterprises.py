"""Prepare the enterprises of many submissions for their suite (expectations.enterprises):
helper columns and the `item` column as in prepare_indicators."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import pandas as pd
import pycountry

from kcn.contract import OWNERSHIPS, TEXT_LIMITS
from kcn.validation.context import RuleContext, per_item, rule_sets
from kcn.validation.frames import ITEM, in_item_sets, tax_codes_ok, text_length_columns


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
    text_length_columns(df, "enterprise_name", TEXT_LIMITS["enterprise_name"])
    return df
