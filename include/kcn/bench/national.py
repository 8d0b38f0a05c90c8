"""A synthetic country for the benchmarks: reference overlay, submission folders, history.

The country (`Country`) has the shape of Vietnam's industrial zones after the 2025
reorganisation: 34 provinces, each with one management board (BQL-XPnn); about 420 zones;
the district committees that report on them (UBND-XPnn-Dkk, most with one zone); 12,000
enterprises with valid tax codes (mã số thuế). Every code is synthetic (`XP` provinces),
so it can never be mistaken for a real figure, and none of it is in include/kcn/reference:
`write_reference` writes an *overlay*, the real reference CSVs plus the synthetic rows, and
the benchmark points kcn at it with KCN_REFERENCE_DIR (kcn.settings), which both the
warehouse's kcn_ref tables and the validator read.

One month (`Country.month`) is what every submitter sends, as the contract has it:

- a board: its all-zones rows (ytd of the flows, eom of the stocks; annual plans in
  January), every metric of the catalogue for each of its zones (month and ytd of the
  flows, eom of the stocks, the month rate), and for each of its enterprises the
  enterprise-level metrics (revenue, exports, imports and budget in each currency, month
  and ytd; workers, female and foreign workers; average income), plus its enterprises
  table;
- a district: the district metrics (events, land clearance, inspections) of each zone
  located in it, month and ytd.

At national scale that is about 285,000 indicator rows and 12,000 enterprise rows in 450
submissions. The figures are consistent the way validation checks them: integer
arithmetic in hundredths, so a ytd is exactly the previous ytd plus the month, the
all-zones row exactly the sum of the zone rows, FDI plus domestic exactly the total, parts
below their wholes; values move smoothly (growth, a Tết dip, ±8 % noise), so W_OUTLIER has
little to say. Everything is deterministic for a seed: the values of month t come from a
generator seeded with (seed, t) alone.

`load_history` COPYs months straight into kcn_audit.submission_version (outcome accepted)
and kcn_raw: history is already validated, and sending ten national years through the
pipeline would take hours. A few boards a month send a second version (estimates first,
then actuals), so the vintages and revisions marts have work to do.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from stdnum.vn import mst

from kcn.contract import ENTERPRISE_COLUMNS, INDICATOR_COLUMNS
from kcn.period import local_day, month_index
from kcn.settings import DEFAULT_REFERENCE_DIR

START_YEAR = 2015  # growth is measured from here
USD_RATE_BN = 24.0  # VND_BN per USD_MN for splitting synthetic amounts into currencies

MONEY_UNIT = {"VND": "VND_BN", "USD": "USD_MN"}
CURRENCIES = ("VND", "USD")
# Enterprise-level money flows, each sent in both currencies.
ENT_FLOWS = ("biz_revenue", "biz_export", "biz_import", "biz_state_budget")
ENT_STOCKS = ("lab_workers", "lab_workers_female", "lab_workers_foreign")
INV_COUNTS = (
    "inv_new_projects",
    "inv_new_projects_fdi",
    "inv_new_projects_ddi",
    "inv_expansion_projects",
    "inv_revoked_projects",
)
INV_MONEY = (
    ("inv_new_capital", "USD"),
    ("inv_new_capital", "VND"),
    ("inv_added_capital", "USD"),
    ("inv_added_capital", "VND"),
    ("inv_implemented_capital", "VND"),
)
EVENTS = (
    "lab_work_stoppages",
    "env_violations",
    "saf_fire_incidents",
    "saf_labour_accidents",
    "saf_labour_accident_deaths",
)
DISTRICT_METRICS = (*EVENTS, "dst_land_cleared", "dst_inspections", "dst_security_incidents")
LAND = ("lnd_total_area", "lnd_industrial_area", "lnd_leased_area")
# The all-zones plans a board sends in January (value_kind plan, period_basis year).
PLANS: tuple[tuple[str, str | None], ...] = (
    ("inv_new_capital", "USD"),
    ("inv_new_capital", "VND"),
    ("biz_industrial_output", "VND"),
    ("biz_export", "USD"),
    ("biz_revenue", "VND"),
)

_UNIT_OF = {  # non-money metrics: the unit code is the family
    **dict.fromkeys(INV_COUNTS, "PROJECT"),
    "ent_operating": "ENTERPRISE",
    "ent_operating_fdi": "ENTERPRISE",
    "ent_operating_ddi": "ENTERPRISE",
    **dict.fromkeys(ENT_STOCKS, "PERSON"),
    "lab_avg_income": "VND_MN_PER_PERSON_MONTH",
    **dict.fromkeys(EVENTS, "CASE"),
    "saf_labour_accident_deaths": "PERSON",
    **dict.fromkeys(LAND, "HA"),
    "dst_land_cleared": "HA",
    "env_wwtp_capacity": "M3_PER_DAY",
    "dst_inspections": "CASE",
    "dst_security_incidents": "CASE",
}
# Metrics sent with two decimals (hundredths); counts and m³/day are whole numbers.
_HUNDREDTHS = {"lab_avg_income", *LAND, "dst_land_cleared"}

_COUNTRIES = ("KR", "JP", "CN", "TW", "SG", "US", "DE", "HK", "TH", "MY", "FR", "NL")
_VSIC = (
    "2610",
    "2620",
    "2640",
    "2710",
    "2740",
    "2790",
    "2930",
    "2220",
    "1702",
    "2013",
    "2100",
    "3250",
    "1050",
    "1079",
    "1410",
    "1520",
    "2592",
    "2819",
    "C",
    "10",
)


@dataclass(frozen=True)
class Scale:
    """How big the synthetic country and its history are."""

    name: str
    provinces: int
    zones: int
    districts: int  # district submitters; each reports the zones located in it
    enterprises: int
    short_history: int  # months loaded before the first measured dbt run (1 year)
    long_history: int  # months loaded before the second (10 years)
    bi_repeats: int  # runs of each BI query (p50, p95)
    disk_gb: int  # free disk the benchmark needs (database, temporary files, landing)
    seed: int = 20240501

    @property
    def submitters(self) -> int:
        return self.provinces + self.districts


SCALES: dict[str, Scale] = {
    "small": Scale(
        "small",
        provinces=2,
        zones=6,
        districts=4,
        enterprises=150,
        short_history=1,
        long_history=3,
        bi_repeats=5,
        disk_gb=1,
    ),
    # A tenth of the country, for a quick look at how the costs grow.
    "medium": Scale(
        "medium",
        provinces=4,
        zones=42,
        districts=42,
        enterprises=1_200,
        short_history=12,
        long_history=120,
        bi_repeats=10,
        disk_gb=8,
    ),
    "national": Scale(
        "national",
        provinces=34,
        zones=420,
        districts=416,
        enterprises=12_000,
        short_history=12,
        long_history=120,
        bi_repeats=20,
        disk_gb=65,
    ),
}


# --- Months ---------------------------------------------------------------------------------------


# --- The country ----------------------------------------------------------------------------------


def _apportion(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split a whole number in proportion to weights, each part at least `minimum`."""
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError(f"cannot give {len(weights)} parts at least {minimum} of {total}")
    if rest == 0:
        return np.full(len(weights), minimum, dtype=np.int64)
    share = weights / weights.sum() * rest
    parts = np.floor(share).astype(np.int64)
    order = np.argsort(-(share - parts), kind="stable")
    parts[order[: rest - parts.sum()]] += 1
    return parts + minimum


def _tax_codes(count: int, province_of: np.ndarray) -> list[str]:
    """Valid 10-digit tax codes: two digits of the province, seven sequential, a check digit."""
    codes = []
    serial = 1_000_000
    for province in province_of:
        while True:
            serial += 1
            body = f"{40 + int(province) % 60:02d}{serial:07d}"
            check = mst.calc_check_digit(body)
            if len(check) == 1:  # a weighted sum of 10 has no check digit: skip the number
                break
        codes.append(body + check)
    assert len(codes) == count
    return codes


class Country:
    """The synthetic provinces, zones, districts and enterprises, and the figures they send."""

    def __init__(self, scale: Scale) -> None:
        if not scale.provinces <= scale.districts <= scale.zones:
            raise ValueError("need provinces <= districts <= zones")
        self.scale = scale
        rng = np.random.default_rng([scale.seed, 0])
        p, z, e = scale.provinces, scale.zones, scale.enterprises
        self.provinces = [f"XP{i + 1:02d}" for i in range(p)]
        self.boards = [f"BQL-{code}" for code in self.provinces]
        zones_per_province = _apportion(z, rng.lognormal(0, 0.6, p), minimum=1)
        self.zone_province = np.repeat(np.arange(p), zones_per_province)
        # districts: one per province, the rest where there are zones to share out
        districts_per_province = 1 + _apportion(
            scale.districts - p, (zones_per_province - 1).astype(float)
        )
        self.zones: list[str] = []
        self.districts: list[str] = []
        self.district_province: list[int] = []
        zone_district: list[int] = []
        for i, (nz, nd) in enumerate(zip(zones_per_province, districts_per_province, strict=True)):
            first = len(self.districts)
            for k in range(nd):
                self.districts.append(f"UBND-{self.provinces[i]}-D{k + 1:02d}")
                self.district_province.append(i)
            for j in range(nz):
                self.zones.append(f"KCN-{self.provinces[i]}-{j + 1:03d}")
                zone_district.append(first + j * nd // nz)  # contiguous groups of zones
        self.zone_district = np.array(zone_district)
        self.submitters = [*self.boards, *self.districts]

        # enterprises, at least one per zone, grouped by zone
        per_zone = _apportion(e, rng.lognormal(0, 0.9, z), minimum=1)
        self.ent_zone = np.repeat(np.arange(z), per_zone)
        self.ent_fdi = rng.random(e) < 0.45
        self.ent_tax = _tax_codes(e, self.zone_province[self.ent_zone])
        self.ent_country = np.where(self.ent_fdi, rng.choice(_COUNTRIES, e), "VN")
        self.ent_vsic = rng.choice(_VSIC, e)
        self.zone_fdi = np.bincount(self.ent_zone, self.ent_fdi, minlength=z).astype(np.int64)
        self.zone_ent = per_zone.astype(np.int64)

        # static levels of the figures
        self.ent_revenue = rng.lognormal(np.log(20.0), 1.1, e)  # VND_BN a month
        self.ent_usd_share = np.where(
            self.ent_fdi, rng.uniform(0.5, 0.95, e), rng.uniform(0.0, 0.2, e)
        )
        self.ent_export = np.where(self.ent_fdi, rng.uniform(0.3, 0.9, e), rng.uniform(0, 0.3, e))
        self.ent_import = self.ent_export * rng.uniform(0.3, 0.8, e)
        self.ent_budget = rng.uniform(0.02, 0.08, e)
        self.ent_workers = np.maximum(5, rng.lognormal(np.log(180), 1.0, e))
        self.ent_female = rng.uniform(0.3, 0.8, e)
        self.ent_foreign = np.where(
            self.ent_fdi, rng.uniform(0.005, 0.03, e), rng.uniform(0, 0.004, e)
        )
        self.ent_income = rng.uniform(6.0, 14.0, e)  # VND_MN a person a month
        self.zone_area = np.rint(rng.lognormal(np.log(250), 0.6, z) * 100).astype(np.int64)
        self.zone_occupancy = rng.uniform(0.4, 0.85, z)
        self.zone_wwtp = (self.zone_area // 100 * 15).astype(np.int64)
        self.zone_fdi_share = np.clip(self.zone_fdi / self.zone_ent, 0.1, 0.9)

    # --- Reference overlay ------------------------------------------------------------------------

    def write_reference(self, target: Path, source: Path = DEFAULT_REFERENCE_DIR) -> Path:
        """The real reference CSVs plus the synthetic rows, in `target` (KCN_REFERENCE_DIR)."""
        target.mkdir(parents=True, exist_ok=True)
        for path in source.glob("*.csv"):
            shutil.copyfile(path, target / path.name)
        since = "2000-01-01"
        rows: dict[str, list[list[str]]] = {
            "provinces.csv": [
                [code, f"Tỉnh Mẫu {code[2:]}", f"Synthetic province {code[2:]}", since, ""]
                for code in self.provinces
            ],
            "submitters.csv": [
                *(
                    [
                        board,
                        f"Ban Quản lý các KCN tỉnh Mẫu {code[2:]}",
                        f"Synthetic province {code[2:]} Industrial Zones Authority",
                        "board",
                        code,
                        "",
                        since,
                        "",
                        "",  # contact_email: synthetic submitters get no reminder by mail
                    ]
                    for board, code in zip(self.boards, self.provinces, strict=True)
                ),
                *(
                    [
                        district,
                        f"UBND huyện Mẫu {district[5:]}",
                        f"People's Committee of synthetic district {district[5:]}",
                        "district",
                        self.provinces[p],
                        self._district_name(k),
                        since,
                        "",
                        "",
                    ]
                    for k, (district, p) in enumerate(
                        zip(self.districts, self.district_province, strict=True)
                    )
                ),
            ],
            "zones.csv": [
                [
                    zone,
                    f"KCN Mẫu {zone[4:]}",
                    f"Synthetic Industrial Park {zone[4:]}",
                    "",
                    "operating",
                ]
                for zone in self.zones
            ],
            "zone_provinces.csv": [
                [zone, self.provinces[p], since, ""]
                for zone, p in zip(self.zones, self.zone_province, strict=True)
            ],
            "zone_districts.csv": [
                [zone, self._district_name(k), self.districts[k], since, ""]
                for zone, k in zip(self.zones, self.zone_district, strict=True)
            ],
        }
        for name, extra in rows.items():
            with (target / name).open("a", encoding="utf-8", newline="") as f:
                csv.writer(f, lineterminator="\n").writerows(extra)
        return target

    def _district_name(self, k: int) -> str:
        return f"Huyện Mẫu {self.districts[k][5:]}"

    # --- Figures of a month -----------------------------------------------------------------------

    @lru_cache(maxsize=16)  # noqa: B019 - one Country per benchmark; months are reused by ytd
    def month_values(self, t: int) -> dict[str, np.ndarray]:
        """Every figure of month index t, in hundredths (money, areas, income) or units."""
        rng = np.random.default_rng([self.scale.seed, t])
        e, z, p = self.scale.enterprises, self.scale.zones, self.scale.provinces
        years = (t - START_YEAR * 12) / 12
        month = t % 12 + 1
        season = {1: 0.9, 2: 0.75, 12: 1.1}.get(month, 1.0)
        growth = 1.06**years

        def cents(x: np.ndarray) -> np.ndarray:
            return np.rint(np.maximum(x, 0) * 100).astype(np.int64)

        def by_zone(x: np.ndarray) -> np.ndarray:
            return np.rint(np.bincount(self.ent_zone, x, minlength=z)).astype(np.int64)

        def noise(sd: float, n: int) -> np.ndarray:
            return 1 + sd * rng.standard_normal(n)

        v: dict[str, np.ndarray] = {}
        revenue = self.ent_revenue * growth * season * noise(0.08, e)
        amounts = {
            "biz_revenue": (revenue, self.ent_usd_share),
            "biz_export": (revenue * self.ent_export, np.full(e, 0.9)),
            "biz_import": (revenue * self.ent_import, np.full(e, 0.85)),
            "biz_state_budget": (revenue * self.ent_budget, np.where(self.ent_fdi, 0.3, 0.0)),
        }
        for metric, (amount, usd) in amounts.items():
            v[f"e:{metric}:VND"] = cents(amount * (1 - usd))
            v[f"e:{metric}:USD"] = cents(amount * usd / USD_RATE_BN)
        workers = np.rint(self.ent_workers * (1 + 0.03 * years) * noise(0.01, e)).astype(np.int64)
        v["e:lab_workers"] = workers
        v["e:lab_workers_female"] = np.floor(workers * self.ent_female).astype(np.int64)
        v["e:lab_workers_foreign"] = np.floor(workers * self.ent_foreign).astype(np.int64)
        v["e:lab_avg_income"] = cents(self.ent_income * 1.05**years * noise(0.02, e))

        # zones: sums of their enterprises, and what only zones report
        for key in [k for k in v if k.startswith("e:") and k != "e:lab_avg_income"]:
            v["z:" + key[2:]] = by_zone(v[key].astype(float))
        weighted = np.bincount(self.ent_zone, v["e:lab_avg_income"] * workers, minlength=z)
        v["z:lab_avg_income"] = np.rint(weighted / np.maximum(v["z:lab_workers"], 1)).astype(
            np.int64
        )
        rate = (0.3 + self.zone_ent / 60) * season
        projects = rng.poisson(rate)
        fdi = rng.binomial(projects, self.zone_fdi_share)
        v["z:inv_new_projects"], v["z:inv_new_projects_fdi"] = projects, fdi
        v["z:inv_new_projects_ddi"] = projects - fdi
        v["z:inv_new_capital:USD"] = cents(fdi * rng.lognormal(np.log(8), 0.8, z))
        v["z:inv_new_capital:VND"] = cents((projects - fdi) * rng.lognormal(np.log(120), 0.8, z))
        expansion = rng.poisson(rate / 2)
        v["z:inv_expansion_projects"] = expansion
        v["z:inv_added_capital:USD"] = cents(
            expansion * self.zone_fdi_share * rng.lognormal(np.log(3), 0.8, z)
        )
        v["z:inv_added_capital:VND"] = cents(
            expansion * (1 - self.zone_fdi_share) * rng.lognormal(np.log(40), 0.8, z)
        )
        v["z:inv_revoked_projects"] = rng.poisson(0.05, z)
        v["z:inv_implemented_capital:VND"] = cents(
            self.zone_ent * 2.0 * growth * season * noise(0.1, z)
        )
        v["z:ent_operating"] = self.zone_ent
        v["z:ent_operating_fdi"] = self.zone_fdi
        v["z:ent_operating_ddi"] = self.zone_ent - self.zone_fdi
        v["z:biz_industrial_output:VND"] = by_zone(revenue * 85)  # 0.85 of revenue, hundredths
        for metric, mean in zip(EVENTS, (0.02, 0.1, 0.03, 0.1), strict=False):
            v[f"z:{metric}"] = rng.poisson(mean, z)
        v["z:saf_labour_accident_deaths"] = rng.binomial(v["z:saf_labour_accidents"], 0.1)
        industrial = np.rint(self.zone_area * 0.7).astype(np.int64)
        occupancy = np.minimum(0.97, self.zone_occupancy + 0.01 * years)
        v["z:lnd_total_area"] = self.zone_area
        v["z:lnd_industrial_area"] = industrial
        v["z:lnd_leased_area"] = np.rint(industrial * occupancy).astype(np.int64)
        v["z:env_wwtp_capacity"] = self.zone_wwtp

        # districts, per zone located in them
        for metric, mean in zip(EVENTS, (0.02, 0.15, 0.03, 0.1), strict=False):
            v[f"d:{metric}"] = rng.poisson(mean, z)
        v["d:saf_labour_accident_deaths"] = rng.binomial(v["d:saf_labour_accidents"], 0.1)
        v["d:dst_land_cleared"] = cents(rng.exponential(0.5, z) * (rng.random(z) < 0.3))
        v["d:dst_inspections"] = rng.poisson(1.5, z)
        v["d:dst_security_incidents"] = rng.poisson(0.3, z)

        # boards: the all-zones figures, exact sums of their zones
        for key in [k for k in v if k.startswith("z:")]:
            if key[2:].split(":")[0] in _BOARD_METRICS:
                v["b:" + key[2:]] = (
                    np.bincount(self.zone_province, v[key].astype(float), minlength=p)
                    .round()
                    .astype(np.int64)
                )
        return v

    def ytd_values(self, t: int) -> dict[str, np.ndarray]:
        """Sums of the month values from January to month t (the lũy kế)."""
        months = range(t - t % 12, t + 1)
        first, *rest = (self.month_values(m) for m in months)
        out = {k: a.copy() for k, a in first.items()}
        for values in rest:
            for k in out:
                out[k] += values[k]
        return out

    # --- Submissions ------------------------------------------------------------------------------

    @cached_property
    def _layout(self) -> tuple[dict[str, int], int]:
        """Offsets of each named array in the flat vector of a month's figures."""
        offsets, position = {}, 0
        for key, values in self.month_values(START_YEAR * 12).items():
            offsets[key] = position
            position += len(values)
        return offsets, position

    def _flat(self, values: dict[str, np.ndarray]) -> np.ndarray:
        offsets, _ = self._layout
        return np.concatenate([values[k] for k in offsets])

    @cached_property
    def template(self) -> pd.DataFrame:
        """Every row every submitter sends each month (not the January plans), in file order:
        submitter, zone_code, enterprise_tax_code, metric_code, period_basis, unit, the value's
        place in the flat figure vector, and its decimals."""
        return self._rows(plans=False)

    @cached_property
    def plan_template(self) -> pd.DataFrame:
        return self._rows(plans=True)

    def _rows(self, plans: bool) -> pd.DataFrame:
        offsets, _ = self._layout
        rows: list[tuple] = []

        def add(
            sub: int,
            zone: str,
            tax: str,
            metric: str,
            currency: str | None,
            basis: str,
            key: str,
            index: int | np.integer,
        ) -> None:
            unit = MONEY_UNIT[currency] if currency else _UNIT_OF[metric]
            decimals = 2 if currency or metric in _HUNDREDTHS else 0
            rows.append((sub, zone, tax, metric, basis, unit, offsets[key] + index, decimals))

        zone_rows = _zone_rows()
        for b in range(self.scale.provinces):
            if plans:
                for metric, currency in PLANS:
                    add(b, "", "", metric, currency, "year", f"b:{metric}:{currency}", b)
                continue
            for metric, currency, basis in zone_rows:
                if metric in _BOARD_METRICS and basis != "month":
                    add(b, "", "", metric, currency, basis, _key("b", metric, currency), b)
            zones = np.flatnonzero(self.zone_province == b)
            for zi in zones:
                for metric, currency, basis in zone_rows:
                    add(
                        b,
                        self.zones[zi],
                        "",
                        metric,
                        currency,
                        basis,
                        _key("z", metric, currency),
                        zi,
                    )
            for ei in np.flatnonzero(np.isin(self.ent_zone, zones)):
                zone, tax = self.zones[self.ent_zone[ei]], self.ent_tax[ei]
                for metric in ENT_FLOWS:
                    for currency in CURRENCIES:
                        for basis in ("month", "ytd"):
                            add(b, zone, tax, metric, currency, basis, f"e:{metric}:{currency}", ei)
                for metric in ENT_STOCKS:
                    add(b, zone, tax, metric, None, "eom", f"e:{metric}", ei)
                for basis in ("month", "ytd"):
                    add(b, zone, tax, "lab_avg_income", None, basis, "e:lab_avg_income", ei)
        if not plans:
            first = self.scale.provinces
            for k in range(len(self.districts)):
                for zi in np.flatnonzero(self.zone_district == k):
                    for metric in DISTRICT_METRICS:
                        for basis in ("month", "ytd"):
                            add(
                                first + k,
                                self.zones[zi],
                                "",
                                metric,
                                None,
                                basis,
                                f"d:{metric}",
                                zi,
                            )
        frame = pd.DataFrame(
            rows,
            columns=[
                "sub",
                "zone_code",
                "enterprise_tax_code",
                "metric_code",
                "period_basis",
                "unit",
                "flat",
                "decimals",
            ],
        )
        frame["submitter_code"] = np.array(self.submitters, dtype=object)[frame["sub"]]
        frame["row_number"] = frame.groupby("sub").cumcount() + 2  # header is row 1
        return frame

    def month(self, period: str) -> pd.DataFrame:
        """The indicator rows of every submission of a month, with `sub` (submitter index)
        and `row_number` (in its indicators.csv), INDICATOR_COLUMNS as text."""
        t = month_index(period)
        month_flat = self._flat(self.month_values(t))
        ytd_flat = self._flat(self.ytd_values(t))
        if t % 12 == 0:  # January: the annual plans come first
            frame = pd.concat(
                [self.plan_template.assign(part=0), self.template.assign(part=1)], ignore_index=True
            )
            frame = frame.sort_values(
                ["sub", "part", "row_number"], kind="stable", ignore_index=True
            ).drop(columns="part")
            frame["row_number"] = frame.groupby("sub").cumcount() + 2
        else:
            frame = self.template.copy()
        flat = frame["flat"].to_numpy()
        basis = frame["period_basis"].to_numpy()
        units = np.where(basis == "ytd", ytd_flat[flat], month_flat[flat])
        units = np.where(basis == "year", month_flat[flat] * 13, units)  # a plan: 13 Januaries
        # a rate's ytd is its average over the year so far, not a sum
        rate_ytd = (basis == "ytd") & (frame["metric_code"].to_numpy() == "lab_avg_income")
        units = np.where(rate_ytd, np.rint(units / (t % 12 + 1)).astype(np.int64), units)
        frame["value"] = _format(units, frame["decimals"].to_numpy())
        frame["value_kind"] = np.where(basis == "year", "plan", "actual")
        frame["period"] = period
        frame["note"] = ""
        return frame

    def enterprises(self, board: int) -> pd.DataFrame:
        """A board's enterprises table (ENTERPRISE_COLUMNS)."""
        index = np.flatnonzero(self.zone_province[self.ent_zone] == board)
        return pd.DataFrame(
            {
                "tax_code": [self.ent_tax[i] for i in index],
                "enterprise_name": [f"Công ty TNHH Sản xuất Mẫu {i + 1:05d}" for i in index],
                "zone_code": [self.zones[self.ent_zone[i]] for i in index],
                "ownership": np.where(self.ent_fdi[index], "FDI", "DDI"),
                "investor_country": self.ent_country[index],
                "vsic_code": self.ent_vsic[index],
                "status": "operating",
            },
            columns=list(ENTERPRISE_COLUMNS),
        )

    # --- Landing area -----------------------------------------------------------------------------

    def write_month(self, landing: Path, period: str) -> dict[str, int]:
        """Every submission folder of a month (contract section 2), on time; returns sizes."""
        frame = self.month(period)
        received = local_day(period, 5).timestamp()
        sizes = {"submissions": 0, "indicator_rows": 0, "enterprise_rows": 0, "bytes": 0}
        for sub, rows in frame.groupby("sub", sort=True):
            folder = landing / period / self.submitters[sub]
            folder.mkdir(parents=True, exist_ok=True)
            files = {"indicators.csv": rows.loc[:, list(INDICATOR_COLUMNS)]}
            if sub < self.scale.provinces:
                files["enterprises.csv"] = self.enterprises(int(sub))
                sizes["enterprise_rows"] += len(files["enterprises.csv"])
            for name, table in files.items():
                path = folder / name
                table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
                os.utime(path, (received, received))
                sizes["bytes"] += path.stat().st_size
            sizes["submissions"] += 1
            sizes["indicator_rows"] += len(rows)
        return sizes

    # --- History, straight into the warehouse -----------------------------------------------------

    def load_history(self, conn, periods: Iterable[str]) -> dict[str, int]:
        """COPY already-validated months into kcn_audit.submission_version (accepted) and
        kcn_raw; a few boards a month send an estimate first, then the actual figures."""
        totals = {"months": 0, "versions": 0, "indicator_rows": 0, "enterprise_rows": 0}
        from kcn.text import fold_key  # what stage.py stages beside each name

        enterprise_frames = {}
        for board in range(self.scale.provinces):
            table = self.enterprises(board)
            enterprise_frames[board] = table.assign(
                enterprise_name_key=table["enterprise_name"].map(fold_key)
            )
        with conn.cursor() as cur:
            for period in periods:
                counts = self._load_month(cur, period, enterprise_frames)
                conn.commit()
                totals["months"] += 1
                for key, value in counts.items():
                    totals[key] += value
        return totals

    def _load_month(
        self,
        cur,
        period: str,
        enterprise_frames: dict[int, pd.DataFrame],
    ) -> dict[str, int]:
        from psycopg2.extras import execute_values

        frame = self.month(period)
        t = month_index(period)
        rng = np.random.default_rng([self.scale.seed, t, 1])
        revised = set(
            rng.choice(
                self.scale.provinces, max(1, self.scale.provinces // 17), replace=False
            ).tolist()
        )
        first, second = local_day(period, 5), local_day(period, 9)
        registry = []  # (sub, version_no, received_at)
        for sub in range(len(self.submitters)):
            registry.append((sub, 1, first + timedelta(minutes=7 * sub % 600)))
            if sub in revised:
                registry.append((sub, 2, second + timedelta(minutes=sub)))
        values = [
            (
                self.submitters[sub],
                period,
                no,
                _sha(self.submitters[sub], period, no),
                received,
                received,
                "bench-history",
                _FILES_JSON,
                "accepted",
                received + timedelta(hours=1),
            )
            for sub, no, received in registry
        ]
        ids = execute_values(
            cur,
            "insert into kcn_audit.submission_version (submitter_code, period, version_no,"
            " content_sha256, received_at, registered_at, landing_path, files, outcome,"
            " validated_at) values %s returning version_id",
            values,
            page_size=1000,
            fetch=True,
        )
        version = {(sub, no): row[0] for (sub, no, _), row in zip(registry, ids, strict=True)}
        cur.execute(
            "update kcn_audit.submission_version as v set superseded_by = n.version_id"
            " from kcn_audit.submission_version as n where v.period = %s and n.period = %s"
            " and v.submitter_code = n.submitter_code and v.version_no = 1 and n.version_no = 2",
            (period, period),
        )

        is_revised = frame["sub"].isin(revised)
        once = frame[~is_revised]
        parts = [once.assign(version_id=once["sub"].map(lambda s: version[(s, 1)]))]
        if revised:  # version 1 sends the ytd figures as estimates, 1 % low; version 2 actuals
            final = frame[is_revised]
            estimate = final.copy()
            ytd = estimate["period_basis"].eq("ytd").to_numpy()
            estimate.loc[ytd, "value_kind"] = "estimate"
            estimate.loc[ytd, "value"] = _format(
                np.array(
                    [
                        _units(x, d)
                        for x, d in zip(
                            estimate.loc[ytd, "value"], estimate.loc[ytd, "decimals"], strict=True
                        )
                    ],
                    dtype=np.int64,
                )
                * 99
                // 100,
                estimate.loc[ytd, "decimals"].to_numpy(),
            )
            parts.append(estimate.assign(version_id=estimate["sub"].map(lambda s: version[(s, 1)])))
            parts.append(final.assign(version_id=final["sub"].map(lambda s: version[(s, 2)])))
        rows = pd.concat(parts, ignore_index=True)
        rows["file_name"] = "indicators.csv"
        rows["value_as_text"] = "f"
        _copy(
            cur,
            "kcn_raw.indicators",
            rows,
            ["version_id", "file_name", "row_number", *INDICATOR_COLUMNS, "value_as_text"],
        )

        enterprise_parts = []
        for (sub, _), version_id in version.items():
            if sub < self.scale.provinces:
                table = enterprise_frames[sub]
                enterprise_parts.append(
                    table.assign(
                        version_id=version_id,
                        file_name="enterprises.csv",
                        row_number=np.arange(2, len(table) + 2),
                    )
                )
        enterprises = pd.concat(enterprise_parts, ignore_index=True)
        _copy(
            cur,
            "kcn_raw.enterprises",
            enterprises,
            ["version_id", "file_name", "row_number", *ENTERPRISE_COLUMNS, "enterprise_name_key"],
        )
        return {
            "versions": len(version),
            "indicator_rows": len(rows),
            "enterprise_rows": len(enterprises),
        }


# Metrics of the boards' all-zones rows: lũy kế of the flows, the stock at month end.
_BOARD_METRICS = frozenset(
    {
        *INV_COUNTS,
        *(m for m, _ in INV_MONEY),
        "biz_industrial_output",
        *ENT_FLOWS,
        "ent_operating",
        "ent_operating_fdi",
        "ent_operating_ddi",
        *ENT_STOCKS,
    }
)
_FILES_JSON = json.dumps([{"name": "indicators.csv", "note": "history loaded by kcn bench"}])


def _zone_rows() -> list[tuple[str, str | None, str]]:
    """(metric, currency, basis) of a board's rows for one zone, in catalogue order."""
    out: list[tuple[str, str | None, str]] = []
    flows = [
        *((m, None) for m in INV_COUNTS[:3]),
        ("inv_new_capital", "USD"),
        ("inv_new_capital", "VND"),
        ("inv_expansion_projects", None),
        ("inv_added_capital", "USD"),
        ("inv_added_capital", "VND"),
        ("inv_revoked_projects", None),
        ("inv_implemented_capital", "VND"),
    ]
    for metric, currency in flows:
        out += [(metric, currency, "month"), (metric, currency, "ytd")]
    out += [(m, None, "eom") for m in ("ent_operating", "ent_operating_fdi", "ent_operating_ddi")]
    out += [("biz_industrial_output", "VND", b) for b in ("month", "ytd")]
    for metric in ENT_FLOWS:
        for currency in CURRENCIES:
            out += [(metric, currency, "month"), (metric, currency, "ytd")]
    out += [(m, None, "eom") for m in ENT_STOCKS]
    out += [("lab_avg_income", None, "month"), ("lab_avg_income", None, "ytd")]
    for metric in EVENTS:
        out += [(metric, None, "month"), (metric, None, "ytd")]
    out += [(m, None, "eom") for m in (*LAND, "env_wwtp_capacity")]
    return out


def _key(level: str, metric: str, currency: str | None) -> str:
    return f"{level}:{metric}:{currency}" if currency else f"{level}:{metric}"


def _format(units: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    """Machine numbers: whole units as digits, hundredths as digits '.' two digits."""
    out = units.astype(str).astype(object)
    two = decimals == 2
    if two.any():
        u = units[two]
        whole = (u // 100).astype(str)
        frac = np.char.zfill((u % 100).astype(str), 2)
        out[two] = np.char.add(np.char.add(whole, "."), frac)
    return out


def _units(text: str, decimals: int) -> int:
    if decimals == 2:
        whole, _, frac = text.partition(".")
        return int(whole) * 100 + int(frac or 0)
    return int(text)


def _sha(submitter: str, period: str, version_no: int) -> str:
    return hashlib.sha256(f"kcn-bench/{submitter}/{period}/{version_no}".encode()).hexdigest()


def _copy(cur, table: str, frame: pd.DataFrame, columns: Sequence[str]) -> None:
    buffer = io.StringIO()
    frame.loc[:, list(columns)].to_csv(buffer, index=False, header=False, lineterminator="\n")
    buffer.seek(0)
    cur.copy_expert(f"copy {table} ({', '.join(columns)}) from stdin with (format csv)", buffer)
