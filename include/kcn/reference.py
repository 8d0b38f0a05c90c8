"""Reference data (include/kcn/reference/*.csv), loaded once, and the lookups validation needs.

Validity is judged on the first day of the reporting month: a submitter, a zone's province
or a zone-district link counts for month M when valid_from <= M-01 <= valid_to (open end
when valid_to is empty).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from kcn.settings import get_settings

REFERENCE_DIR = Path(__file__).parent / "reference"

VALUE_KINDS = ("actual", "estimate", "plan")
COUNT_FAMILIES = frozenset({"PROJECT", "ENTERPRISE", "PERSON", "CASE"})

# Contract section 3: allowed period_basis by (metric kind, value_kind).
_BASES: dict[tuple[str, str], tuple[str, ...]] = {
    **{("F", vk): ("month", "ytd") for vk in ("actual", "estimate")},
    **{("S", vk): ("eom",) for vk in ("actual", "estimate")},
    **{("R", vk): ("month", "ytd") for vk in ("actual", "estimate")},
    ("F", "plan"): ("year",),
    ("S", "plan"): ("year",),
    ("R", "plan"): ("year",),
}


@dataclass(frozen=True)
class Validity:
    valid_from: date
    valid_to: date | None  # None: still valid

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Submitter:
    code: str
    name_vi: str
    name_en: str
    type: str  # board | district
    province: str
    validity: Validity


@dataclass(frozen=True)
class Zone:
    code: str
    name_vi: str
    name_en: str
    status: str


@dataclass(frozen=True)
class ZoneProvince:
    zone: str
    province: str
    validity: Validity


@dataclass(frozen=True)
class ZoneDistrict:
    zone: str
    district_vi: str
    submitter: str | None  # the district's submitter code, if it reports
    validity: Validity


@dataclass(frozen=True)
class Metric:
    code: str
    name_vi: str
    name_en: str
    unit_family: str  # money, a count family, HA, M3_PER_DAY, VND_MN_PER_PERSON_MONTH
    kind: str  # F flow | S stock | R rate
    level: str  # Z zone or all-zones | E also per enterprise
    by_board: bool
    by_district: bool
    agg_over_zones: str  # sum | weighted_avg

    @property
    def is_count(self) -> bool:
        return self.unit_family in COUNT_FAMILIES


@dataclass(frozen=True)
class Unit:
    code: str
    family: str
    currency: str | None  # VND | USD for money units
    canonical: str
    factor: float  # value * factor = value in the canonical unit


@dataclass(frozen=True)
class Reference:
    submitters: dict[str, Submitter]
    zones: dict[str, Zone]
    zone_provinces: tuple[ZoneProvince, ...]
    zone_districts: tuple[ZoneDistrict, ...]
    metrics: dict[str, Metric]
    units: dict[str, Unit]


def _rows(name: str) -> list[dict[str, str]]:
    # REFERENCE_DIR unless KCN_REFERENCE_DIR is set (kcn.settings)
    with (get_settings().reference_dir / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _validity(row: dict[str, str]) -> Validity:
    end = row["valid_to"]
    return Validity(date.fromisoformat(row["valid_from"]), date.fromisoformat(end) if end else None)


@cache
def load() -> Reference:
    """Read every reference CSV once per process."""
    submitters = {
        r["submitter_code"]: Submitter(
            r["submitter_code"],
            r["name_vi"],
            r["name_en"],
            r["submitter_type"],
            r["province_code"],
            _validity(r),
        )
        for r in _rows("submitters.csv")
    }
    zones = {
        r["zone_code"]: Zone(r["zone_code"], r["name_vi"], r["name_en"], r["status"])
        for r in _rows("zones.csv")
    }
    zone_provinces = tuple(
        ZoneProvince(r["zone_code"], r["province_code"], _validity(r))
        for r in _rows("zone_provinces.csv")
    )
    zone_districts = tuple(
        ZoneDistrict(r["zone_code"], r["district_vi"], r["submitter_code"] or None, _validity(r))
        for r in _rows("zone_districts.csv")
    )
    metrics = {
        r["metric_code"]: Metric(
            r["metric_code"],
            r["name_vi"],
            r["name_en"],
            r["unit_family"],
            r["kind"],
            r["level"],
            r["by_board"] == "true",
            r["by_district"] == "true",
            r["agg_over_zones"],
        )
        for r in _rows("metrics.csv")
    }
    units = {
        r["unit_code"]: Unit(
            r["unit_code"],
            r["family"],
            r["currency"] or None,
            r["canonical_unit"],
            float(r["factor_to_canonical"]),
        )
        for r in _rows("units.csv")
    }
    return Reference(submitters, zones, zone_provinces, zone_districts, metrics, units)


def month_start(period: str) -> date:
    """'2024-03' -> date(2024, 3, 1); ValueError for anything else."""
    year, sep, month = period.partition("-")
    if not (sep and len(year) == 4 and len(month) == 2):
        raise ValueError(f"period must be YYYY-MM, got {period!r}")
    return date(int(year), int(month), 1)


def submitter_active(code: str, period: str) -> bool:
    submitter = load().submitters.get(code)
    return submitter is not None and submitter.validity.covers(month_start(period))


@cache
def jurisdiction(submitter_code: str, period: str) -> frozenset[str]:
    """The zones the submitter reports on in that month (empty if unknown or inactive)."""
    ref = load()
    submitter = ref.submitters.get(submitter_code)
    day = month_start(period)
    if submitter is None or not submitter.validity.covers(day):
        return frozenset()
    if submitter.type == "board":
        return frozenset(
            zp.zone
            for zp in ref.zone_provinces
            if zp.province == submitter.province and zp.validity.covers(day)
        )
    return frozenset(
        zd.zone
        for zd in ref.zone_districts
        if zd.submitter == submitter_code and zd.validity.covers(day)
    )


@cache
def earlier_boards(submitter_code: str, period: str) -> frozenset[str]:
    """The other boards that reported, before this month, zones this board reports in it:
    BQL-ND and BQL-HNA for BQL-NB after the 2025 merger. A zone's series runs on under its
    new board (as series_reporter has it in the marts), so their zone rows are history."""
    ref = load()
    submitter = ref.submitters.get(submitter_code)
    if submitter is None or submitter.type != "board":
        return frozenset()
    zones = jurisdiction(submitter_code, period)
    day = month_start(period)
    provinces = {
        zp.province
        for zp in ref.zone_provinces
        if zp.zone in zones and zp.validity.valid_from < day
    }
    return frozenset(
        code
        for code, board in ref.submitters.items()
        if code != submitter_code
        and board.type == "board"
        and board.province in provinces
        and board.validity.valid_from < day
    )


def expected_submitters(period: str) -> frozenset[str]:
    """Every submitter that owes a report for the month (completeness)."""
    return frozenset(code for code in load().submitters if submitter_active(code, period))


def allowed_units(metric_code: str) -> tuple[str, ...]:
    """Unit codes of the metric's family (both currencies for money), in catalogue order."""
    ref = load()
    family = ref.metrics[metric_code].unit_family
    return tuple(code for code, unit in ref.units.items() if unit.family == family)


def allowed_bases(kind: str, value_kind: str) -> tuple[str, ...]:
    """Allowed period_basis for a metric kind (F/S/R) and a value_kind; () if none."""
    return _BASES.get((kind, value_kind), ())


def currency_of(unit_code: str | None) -> str | None:
    unit = load().units.get(unit_code) if unit_code else None
    return unit.currency if unit else None


# A figure's series within one submitter: (zone_code, enterprise_tax_code, metric_code,
# value_kind, currency of the unit). The key of contract section 3 without the period_basis.
SeriesKey = tuple[str | None, str | None, str, str, str | None]


@dataclass(frozen=True)
class MonthReference:
    """What the accepted month values of one series say is normal (W_OUTLIER).

    n: how many values; median and mad (median absolute deviation, unscaled) of them, in the
    canonical unit. Built by kcn.validate.load_history from the same season's months.
    """

    n: int
    median: float
    mad: float


@dataclass(frozen=True)
class RuleSets:
    """The reference sets every submission is checked against (the same for all of them)."""

    metrics: frozenset[str]
    zones: frozenset[str]  # every registered zone
    metric_uses: frozenset[str]  # 'submitter_type|metric|Z' / '...|E' allowed
    basis_keys: frozenset[str]  # 'kind|value_kind|period_basis' allowed by contract section 3
    metric_units: frozenset[str]  # 'metric|unit' allowed


@cache
def rule_sets() -> RuleSets:
    ref = load()
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
            for (kind, value_kind), bases in _BASES.items()
            for basis in bases
        ),
        metric_units=frozenset(
            f"{code}|{unit}" for code in ref.metrics for unit in allowed_units(code)
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
    submitter = load().submitters[submitter_code]
    return RuleContext(
        submitter_code=submitter_code,
        submitter_type=submitter.type,
        period=period,
        jurisdiction=jurisdiction(submitter_code, period),
        known_tax_codes=known_tax_codes,
        previous_ytd=previous_ytd or {},
        month_reference=month_reference or {},
    )
