"""What a submission is judged against: the reference sets (the same for all), and its own
context: who sent it, for which month, and what the accepted history in the warehouse says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from kcn import reference
from kcn.contract import (
    ALLOWED_BASES,
    IN_FORCE_OUTCOMES,
    MACHINE_NUMBER_PATTERN,
    OWNERSHIPS,
    STATUSES,
    VALUE_KINDS,
)
from kcn.period import month_index, month_start, period_of, step
from kcn.validation import outlier, ytd
from kcn.validation.frames import ITEM, SeriesKey
from kcn.validation.outlier import MonthReference


@dataclass(frozen=True)
class RuleSets:
    """The reference sets every submission is checked against (the same for all of them)."""

    metrics: frozenset[str]
    zones: frozenset[str]  # every registered zone
    metric_uses: frozenset[str]  # 'submitter_type|metric|Z' / '...|E' allowed
    basis_keys: frozenset[str]  # 'kind|value_kind|period_basis' allowed by contract section 3
    metric_units: frozenset[str]  # 'metric|unit' allowed
    value_kinds: tuple[str, ...] = VALUE_KINDS
    ownerships: tuple[str, ...] = OWNERSHIPS
    statuses: tuple[str, ...] = STATUSES


@cache
def rule_sets() -> RuleSets:
    ref = reference.load()
    uses = set()
    for metric in ref.metrics.values():
        by_type = {"board": metric.by_board, "district": metric.by_district}
        for submitter_type, allowed in by_type.items():
            if allowed:
                uses.add(f"{submitter_type}|{metric.code}|Z")
                if metric.level == "E":
                    uses.add(f"{submitter_type}|{metric.code}|E")
    return RuleSets(
        metrics=frozenset(ref.metrics),
        zones=frozenset(ref.zones),
        metric_uses=frozenset(uses),
        basis_keys=frozenset(
            f"{kind}|{value_kind}|{basis}"
            for (kind, value_kind), bases in ALLOWED_BASES.items()
            for basis in bases
        ),
        metric_units=frozenset(
            f"{code}|{unit}" for code in ref.metrics for unit in reference.allowed_units(code)
        ),
    )


@dataclass(frozen=True)
class RuleContext:
    """What one submission is judged against besides the RuleSets: who sent it, for which
    month, and what the accepted history in the warehouse says."""

    submitter_code: str
    submitter_type: str  # board | district
    period: str
    jurisdiction: frozenset[str]  # the submitter's zones in that month
    known_tax_codes: frozenset[str] = frozenset()  # this submission's table + earlier accepted
    # ytd figures of the previous month's version in force, canonical unit
    previous_ytd: Mapping[SeriesKey, float] = field(default_factory=dict)
    # the same season's accepted month values per series (W_OUTLIER)
    month_reference: Mapping[SeriesKey, MonthReference] = field(default_factory=dict)


def rule_context(
    submitter_code: str,
    period: str,
    known_tax_codes: frozenset[str] = frozenset(),
    previous_ytd: Mapping[SeriesKey, float] | None = None,
    month_reference: Mapping[SeriesKey, MonthReference] | None = None,
) -> RuleContext:
    """The RuleContext of an active submitter; KeyError if the code is not registered."""
    submitter = reference.load().submitters[submitter_code]
    return RuleContext(
        submitter_code=submitter_code,
        submitter_type=submitter.type,
        period=period,
        jurisdiction=reference.jurisdiction(submitter_code, period),
        known_tax_codes=known_tax_codes,
        previous_ytd=previous_ytd or {},
        month_reference=month_reference or {},
    )


@dataclass(frozen=True)
class History:
    """What earlier accepted submissions tell about this one (empty: no history checks)."""

    known_tax_codes: frozenset[str] = frozenset()  # listed by the same board before
    previous_ytd: Mapping[SeriesKey, float] = field(default_factory=dict)  # canonical unit
    received_at: datetime | None = None  # used when the parsed submission has none
    # W_OUTLIER: per series, the same season's accepted month values (see load_history)
    month_reference: Mapping[SeriesKey, MonthReference] = field(default_factory=dict)


def load_history(
    cur: Any, submitter_code: str, period: str, received_at: datetime | None = None
) -> History:
    """The History of a submission from the warehouse (a DB-API cursor on kcn_audit/kcn_raw),
    read from the versions in force (accepted, not superseded) of the same submitter, in two
    queries. A board's zone and enterprise rows also follow their zones back to the boards
    that reported them before (reference.earlier_boards: BQL-NB's zones to BQL-ND and
    BQL-HNA before 2025-07); its all-zones rows cover its own jurisdiction, so they have only
    its own history.

    known_tax_codes: tax codes any accepted version of the same submitter up to this month
    listed (E_UNKNOWN_ENTERPRISE). previous_ytd: see ytd.previous_ytd. month_reference: see
    outlier.month_reference.
    """
    cur.execute(
        _sql("known_tax_codes.sql"),
        {"submitter": submitter_code, "period": period, "ok": list(IN_FORCE_OUTCOMES)},
    )
    known = frozenset(row[0] for row in cur.fetchall())

    start = month_start(period)
    units = reference.load().units.values()
    earlier = reference.earlier_boards(submitter_code, period)
    cur.execute(
        _sql("history.sql"),
        {
            "submitter": submitter_code,
            "submitters": [submitter_code, *sorted(earlier)],
            "zones": sorted(reference.jurisdiction(submitter_code, period)) if earlier else [],
            "own_rows_only": not earlier,
            "ok": list(IN_FORCE_OUTCOMES),
            "period": period,
            "previous": step(period, -1) if start.month > 1 else None,
            "first": period_of(month_index(period) - outlier.OUTLIER_WINDOW_MONTHS),
            "tet_months": list(outlier.TET_MONTHS),
            "tet": outlier.season(start.month) == "tet",
            "units": [u.code for u in units],
            "factors": [u.factor for u in units],
            "currencies": [u.currency or "" for u in units],
            "number_pattern": MACHINE_NUMBER_PATTERN,
        },
    )
    figures = cur.fetchall()
    return History(known, ytd.previous_ytd(figures), received_at, outlier.month_reference(figures))


@cache
def _sql(name: str) -> str:
    return resources.files("kcn.validation").joinpath(name).read_text(encoding="utf-8")


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
