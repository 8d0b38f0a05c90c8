"""Reference data (the CSV files beside this module), loaded once, and its lookups: who
reports when, on which zones, in which units.

Validity is judged on the first day of the reporting month: a submitter, a zone's province
or a zone-district link counts for month M when valid_from <= M-01 <= valid_to (open end
when valid_to is empty).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from kcn.period import month_start
from kcn.settings import get_settings

REFERENCE_DIR = Path(__file__).parent
COUNT_FAMILIES = frozenset({"PROJECT", "ENTERPRISE", "PERSON", "CASE"})


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


def active_submitters(period: str) -> tuple[str, ...]:
    """Every submitter that owes a report for the month, in submitters.csv order."""
    return tuple(code for code in load().submitters if submitter_active(code, period))


def expected_submitters(period: str) -> frozenset[str]:
    """Every submitter that owes a report for the month (completeness)."""
    return frozenset(active_submitters(period))


def origin_province(zone: str) -> str:
    """The province a zone first belonged to (before any merger)."""
    return min(
        (zp for zp in load().zone_provinces if zp.zone == zone),
        key=lambda zp: zp.validity.valid_from,
    ).province


def allowed_units(metric_code: str) -> tuple[str, ...]:
    """Unit codes of the metric's family (both currencies for money), in catalogue order."""
    ref = load()
    family = ref.metrics[metric_code].unit_family
    return tuple(code for code, unit in ref.units.items() if unit.family == family)


def currency_of(unit_code: str | None) -> str | None:
    unit = load().units.get(unit_code) if unit_code else None
    return unit.currency if unit else None
