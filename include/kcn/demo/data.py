"""Realistic monthly submission folders for the demo and the tests.

`generate` writes the first submissions of every month, as boards and districts would send
them (contract section 2): `<landing>/<YYYY-MM>/<SUBMITTER>/indicators.csv`, plus
`enterprises.csv` for boards. A handful of them break one contract rule each;
`apply_corrections` then rewrites those folders with the corrected resubmission, and replaces
one early estimate by the actual figures. Everything is deterministic for a seed.

The figures reproduce the published ones of seed_facts.csv (see kcn.demo_calibration and
`expected_figures`): yearly and year-to-date totals are split over months and zones with
integer arithmetic, so the zone rows add up exactly to the all-zones rows.

How the data are built:

1. A *model* holds, for every zone and month, the value of every metric the boards report
   (flows, stocks, rates), per origin province (HN, ND, HNA). Flows are split from yearly
   checkpoints over months (with the Tết dip) and then over zones; stocks are interpolated
   between anchor months and split over zones.
2. A *submission* is a view of the model: a board's operating zones of the month, plus its
   all-zones rows (ytd flows, eom stocks, January plans) and the enterprise-level rows of its
   largest enterprises; a district's linked zones with small event counts.
3. *Faults* mutate one row of a first-round submission; the correction is the clean view.
"""

from __future__ import annotations

import csv
import io
import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from stdnum.vn import mst

from kcn import reference
from kcn.contract import ENTERPRISE_COLUMNS, INDICATOR_COLUMNS
from kcn.demo import calibration as cal
from kcn.period import month_index as _index
from kcn.period import months as _months
from kcn.period import period_of as _month

__all__ = [
    "ENTERPRISE_COLUMNS",
    "INDICATOR_COLUMNS",
    "DemoManifest",
    "ExpectedFigure",
    "PlannedFault",
    "PlannedRevision",
    "apply_corrections",
    "expected_figures",
    "generate",
]


Row = tuple[str, ...]  # one indicators row, in INDICATOR_COLUMNS order
Key = tuple[str, int, str, str]  # (zone, month index, metric, unit)


# --- Public records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedFault:
    """A contract violation written on purpose into a first-round submission."""

    period: str
    submitter_code: str
    rule_id: str
    file: str
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str
    value: str
    description: str


@dataclass(frozen=True)
class PlannedRevision:
    """A valid first-round submission that the correction round replaces (e.g. ước -> actual).

    `received_on` (ISO date): when the first version arrived, before its month closed; the
    demo stamps its files with that day (a version's received time is its files' newest).
    """

    period: str
    submitter_code: str
    description: str
    received_on: str


@dataclass(frozen=True)
class DemoManifest:
    start: str
    end: str
    seed: int
    faults_enabled: bool
    months: tuple[str, ...]
    submitters: tuple[tuple[str, tuple[str, ...]], ...]  # (month, submitter codes)
    faults: tuple[PlannedFault, ...]
    revisions: tuple[PlannedRevision, ...]
    corrected: tuple[tuple[str, str], ...]  # (period, submitter) folders apply_corrections rewrites
    # (period, submitter, ISO date): first submissions that arrived before their month closed
    received_early: tuple[tuple[str, str, str], ...] = ()

    def submitters_of(self, month: str) -> tuple[str, ...]:
        return dict(self.submitters)[month]

    def folders(self, landing: Path) -> list[Path]:
        return [landing / m / s for m, subs in self.submitters for s in subs]


@dataclass(frozen=True)
class ExpectedFigure:
    """A published figure as the corrected demo data hold it: one all-zones row
    (zone_code and enterprise_tax_code empty) of the submitter's submission for `period`."""

    province_code: str
    submitter_code: str
    metric_code: str
    period: str
    value_kind: str
    period_basis: str
    unit: str
    value: Decimal  # exactly what the demo row says
    published: Decimal | None  # the seed_facts figure (None: a part of a published total)
    seed_rows: tuple[int, ...]
    note: str = ""


# --- Reference data: the zones a submitter reports, in zones.csv order ---------------------------


def _zones_of(submitter: str, month: str) -> list[str]:
    mine = reference.jurisdiction(submitter, month)
    return [z for z in reference.load().zones if z in mine]


# --- Deterministic randomness and exact splitting -------------------------------------------------


def _rng(seed: int, *key: object) -> random.Random:
    """A generator of its own for every key: a value never depends on what was drawn before."""
    return random.Random(f"{seed}/" + "/".join(map(str, key)))


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split a whole number in proportion to weights (largest remainder); the parts sum to it."""
    if total < 0:
        raise ValueError(f"cannot split a negative total {total}")
    ints = [max(0, round(w * 1_000_000)) for w in weights]
    whole = sum(ints)
    if whole == 0:
        if total:
            raise ValueError("cannot split a positive total over zero weights")
        return [0] * len(weights)
    parts = [total * w // whole for w in ints]
    remainders = [total * w % whole for w in ints]
    for i in sorted(range(len(ints)), key=lambda i: (-remainders[i], i))[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _to_units(value: Decimal, scale: int) -> int:
    units = value.scaleb(scale)
    if units != units.to_integral_value():
        raise ValueError(f"{value} has more than {scale} decimals")
    return int(units)


def _from_units(units: int, scale: int) -> Decimal:
    return Decimal(units).scaleb(-scale)


def _fmt(value: Decimal) -> str:
    """Machine form: digits, optional '.', no exponent, no trailing zeros."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _scale(metric: str, unit: str) -> int:
    """Decimals kept for a metric: capital to the thousandth (536.958), money 2, counts 0."""
    if unit in ("PROJECT", "ENTERPRISE", "PERSON", "CASE", "M3_PER_DAY"):
        return 0
    if metric in ("inv_new_capital", "inv_added_capital"):
        return 3
    return 2


def _unit(spec: str, province: str) -> str:
    return cal.LOCAL_CURRENCY[province] if spec == "local" else spec


# --- What boards and districts send ---------------------------------------------------------------

# Zone rows of a board, in catalogue order: (metric, unit spec, period_basis).
ZONE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("inv_new_projects", "PROJECT", "month"),
    ("inv_new_projects_fdi", "PROJECT", "month"),
    ("inv_new_projects_ddi", "PROJECT", "month"),
    ("inv_new_capital", "USD_MN", "month"),
    ("inv_new_capital", "VND_BN", "month"),
    ("inv_expansion_projects", "PROJECT", "month"),
    ("inv_added_capital", "USD_MN", "month"),
    ("inv_added_capital", "VND_BN", "month"),
    ("inv_revoked_projects", "PROJECT", "month"),
    ("inv_implemented_capital", "local", "month"),
    ("ent_operating", "ENTERPRISE", "eom"),
    ("ent_operating_fdi", "ENTERPRISE", "eom"),
    ("ent_operating_ddi", "ENTERPRISE", "eom"),
    ("biz_industrial_output", "VND_BN", "month"),
    ("biz_revenue", "local", "month"),
    ("biz_export", "USD_MN", "month"),
    ("biz_import", "USD_MN", "month"),
    ("biz_state_budget", "local", "month"),
    ("lab_workers", "PERSON", "eom"),
    ("lab_workers_female", "PERSON", "eom"),
    ("lab_workers_foreign", "PERSON", "eom"),
    ("lab_avg_income", "VND_MN_PER_PERSON_MONTH", "month"),
    ("lab_work_stoppages", "CASE", "month"),
    ("lnd_total_area", "HA", "eom"),
    ("lnd_industrial_area", "HA", "eom"),
    ("lnd_leased_area", "HA", "eom"),
    ("env_wwtp_capacity", "M3_PER_DAY", "eom"),
    ("env_violations", "CASE", "month"),
    ("saf_fire_incidents", "CASE", "month"),
    ("saf_labour_accidents", "CASE", "month"),
    ("saf_labour_accident_deaths", "PERSON", "month"),
)
LAND_ROWS = tuple(r for r in ZONE_ROWS if r[0].startswith("lnd_"))
# All-zones rows "as the boards publish them": lũy kế for flows, the stock at month end.
ALL_ZONES_YTD = tuple(r for r in ZONE_ROWS if r[2] == "month" and r[0].startswith(("inv_", "biz_")))
ALL_ZONES_EOM = tuple(r for r in ZONE_ROWS if r[0].startswith(("ent_operating", "lab_workers")))
INCOME = ("lab_avg_income", "VND_MN_PER_PERSON_MONTH")
# What districts may send (by = D in the catalogue); all flows, per linked zone.
DISTRICT_ROWS: tuple[tuple[str, str], ...] = (
    ("lab_work_stoppages", "CASE"),
    ("env_violations", "CASE"),
    ("saf_fire_incidents", "CASE"),
    ("saf_labour_accidents", "CASE"),
    ("saf_labour_accident_deaths", "PERSON"),
    ("dst_land_cleared", "HA"),
    ("dst_inspections", "CASE"),
    ("dst_security_incidents", "CASE"),
)

# Rows sent as ước (estimate) for good: Hà Nam's full-year 2021 figures reported 28/12/2021
# (seed_facts rows 83, 86).
ESTIMATES: dict[tuple[str, str], tuple[frozenset[tuple[str, str]], str]] = {
    ("BQL-HNA", "2021-12"): (
        frozenset({("biz_industrial_output", "VND_BN"), ("biz_state_budget", "VND_BN")}),
        "Ước thực hiện năm 2021, báo cáo ngày 28/12/2021",
    ),
}
# First-round submissions sent before the month closed (the boards' 11-month reports come out
# around 26 November): every ytd row is an estimate, and the correction round sends the
# actual figures. Investment licensed is known exactly, so those estimates equal the actual
# figures; output, trade, budget and income estimates are off by under 1 %.
# (Not Hà Nội's 2021-11: its 11-month figures are actual from the start, so that the lower
# full-year figures of 2021-12 meet them and raise W_YTD_DECREASE in the first round.)
# Hà Nội's H1 2022 figures were forecast on 26/05/2022 (seed_facts rows 50, 53-54): its 2022-06
# submission arrives on 01/06/2022, the first day the contract takes a report of June, with the
# forecast (cal.HN_2022_H1_FORECAST) as estimates, and the correction round sends the actual H1
# figures in July.
REVISIONS: tuple[PlannedRevision, ...] = (
    PlannedRevision(
        "2021-11",
        "BQL-ND",
        "11-month figures first sent on 26/11/2021 as estimates (ước), then the actual figures",
        "2021-11-26",
    ),
    PlannedRevision(
        "2022-06",
        "BQL-HN",
        "H1 2022 figures forecast on 26/05/2022 (dự kiến: registered capital about 100 million "
        "USD converted), then the actual figures",
        cal.HN_2022_H1_FORECAST_RECEIVED,
    ),
)
_REVISION_NOTE = {
    ("BQL-ND", "2021-11"): "Ước 11 tháng, báo cáo ngày 26/11/2021",
    ("BQL-HN", "2022-06"): "Dự kiến 6 tháng đầu năm 2022, báo cáo ngày 26/05/2022",
}
# First submissions, not revised, that arrived before their month closed, on the day the
# articles report them: Hà Nội's 11 months of 2021 (26/11/2021, rows 15-20) and 5 months of
# 2022 (26/05/2022, rows 43-48), Hà Nam's 2021 (28/12/2021, rows 76-88). Their actual figures
# are provisional (obs_status P). The rest arrive five days after their month.
EARLY_REPORTS: dict[tuple[str, str], str] = {
    ("2021-11", "BQL-HN"): "2021-11-26",
    ("2021-12", "BQL-HNA"): "2021-12-28",
    ("2022-05", "BQL-HN"): "2022-05-26",
}
# Published forecasts that replace the estimates _early_estimate would make.
_FORECASTS: dict[tuple[str, str], dict[tuple[str, str], Decimal]] = {
    ("BQL-HN", "2022-06"): cal.HN_2022_H1_FORECAST,
}
# Notes on all-zones rows that a reader of the data would ask about.
_ROW_NOTES: dict[tuple[str, str, str, str], str] = {
    (
        "BQL-HN",
        "2021-12",
        "inv_expansion_projects",
        "PROJECT",
    ): "Số liệu cả năm; điều chỉnh giảm so với báo cáo 11 tháng (26 dự án)",
    (
        "BQL-HN",
        "2021-12",
        "inv_added_capital",
        "USD_MN",
    ): "Số liệu cả năm; điều chỉnh giảm so với báo cáo 11 tháng (147 triệu USD)",
}


# --- Enterprises ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Enterprise:
    tax_code: str
    name: str
    zone: str
    ownership: str
    country: str
    vsic: str
    status: str
    reports: bool  # sends enterprise-level rows every month
    worker_share: float  # of its zone's workers
    revenue_share: float
    export_share: float  # 0: does not export
    female_factor: float  # relative to its zone's female share
    foreign_factor: float

    def csv_row(self) -> Row:
        return (
            self.tax_code,
            self.name,
            self.zone,
            self.ownership,
            self.country,
            self.vsic,
            self.status,
        )


# Sectors: (Vietnamese trade word, English trade word, VSIC 2018 codes).
_SECTORS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Điện tử", "Electronics", ("2610", "2620", "2630", "2640")),
    ("Linh kiện điện tử", "Components", ("2610", "2651", "2680")),
    ("Cơ khí", "Precision", ("2592", "2599", "2819", "2822")),
    ("Thiết bị điện", "Electric", ("2710", "2733", "2740", "2790")),
    ("Linh kiện ô tô", "Automotive", ("2930",)),
    ("Nhựa", "Plastic", ("2220",)),
    ("Bao bì", "Packaging", ("1702", "2220")),
    ("Hóa chất", "Chemical", ("2013", "2023")),
    ("Dược phẩm", "Pharma", ("2100",)),
    ("Thiết bị y tế", "Medical", ("3250",)),
    ("Thực phẩm", "Foods", ("1050", "1079")),
    ("Giày da", "Footwear", ("1520",)),
    ("Dệt may", "Garment", ("1410", "1430")),
)
_TEXTILE_SECTORS = (
    ("Sợi", "Yarn", ("1311",)),
    ("Dệt nhuộm", "Textile", ("1312", "1313")),
    ("Dệt may", "Garment", ("1410", "1430")),
)
_BRANDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    # country: (first syllables, second syllables, name suffix)
    "KR": (
        ("Dae", "Han", "Seo", "Hyo", "Sung", "Woo", "Jin", "Kum", "Yeon", "Il"),
        ("sung", "jin", "won", "il", "kwang", "shin", "do", "hwa"),
        "Vina",
    ),
    "JP": (
        ("Hoku", "Naka", "Tsuru", "Maru", "Yama", "Kita", "Asa", "Shima", "Oka", "Take"),
        ("yama", "mura", "kawa", "ta", "moto", "hara", "zaki", "no"),
        "Việt Nam",
    ),
    "CN": (
        ("Hua", "Jin", "Xin", "Long", "Tian", "Hong", "Sheng", "Yuan", "Da", "Feng"),
        ("xin", "long", "tai", "cheng", "feng", "hui", "da", "an"),
        "Việt Nam",
    ),
    "TW": (
        ("Fu", "Hong", "Chia", "Yu", "Tai", "Wei", "Kuo", "Ming"),
        ("yu", "tai", "sheng", "hua", "lin", "chuan"),
        "Việt Nam",
    ),
    "HK": (("Wing", "Kam", "Tak", "Lee", "Po"), ("hing", "fung", "shing", "wah"), "Việt Nam"),
    "SG": (
        ("Asia", "Straits", "Meridian", "Lion", "Orchid"),
        ("", " Pacific", " Point"),
        "Việt Nam",
    ),
    "US": (
        ("Summit", "Crest", "Blue", "Pioneer", "Liberty"),
        ("", "line", "water", "field"),
        "Việt Nam",
    ),
    "TH": (("Siam", "Chao", "Thai"), (" Star", " Union", " Royal"), "Việt Nam"),
    "DE": (("Rhein", "Berg", "Nord", "Hoch"), ("tal", "feld", "mann", "haus"), "Việt Nam"),
}
_VN_NAMES = (
    "An Phát",
    "Minh Long",
    "Hòa Bình",
    "Tiến Đạt",
    "Việt Hưng",
    "Đại Dương",
    "Tân Tiến",
    "Phú Thịnh",
    "Hồng Hà",
    "Sông Hồng",
    "Kim Sơn",
    "Hưng Thịnh",
    "Đông Á",
    "Nam Việt",
    "Trường Giang",
    "Phúc Lâm",
    "Quang Minh",
    "Hải Long",
    "Thiên Phú",
    "Bình Minh",
    "Đức Thành",
    "Hà Thanh",
    "Vĩnh Phát",
    "Ngọc Lan",
    "Thái Sơn",
)


def _company(rng: random.Random, country: str, textile: bool) -> tuple[str, str]:
    """A plausible (fictitious) registered name and a VSIC code that fits it."""
    trade_vi, trade_en, vsic_codes = rng.choice(_TEXTILE_SECTORS if textile else _SECTORS)
    vsic = rng.choice(vsic_codes)
    if country == "VN":
        form = rng.choice(("Công ty Cổ phần", "Công ty TNHH"))
        return f"{form} {trade_vi} {rng.choice(_VN_NAMES)}", vsic
    first, second, suffix = _BRANDS[country]
    brand = rng.choice(first) + rng.choice(second)
    if country == "CN":
        return f"Công ty TNHH {trade_vi} {brand} {suffix}", vsic
    return f"Công ty TNHH {brand} {trade_en} {suffix}", vsic


def _tax_code(rng: random.Random, prefix: str, taken: set[str]) -> str:
    """A 10-digit MST: province prefix, 7-digit sequence, check digit (stdnum.vn.mst)."""
    while True:
        body = prefix + f"{rng.randint(100_000, 1_099_999):07d}"
        check = mst.calc_check_digit(body)
        if len(check) == 1 and body + check not in taken:  # "10" has no valid check digit
            taken.add(body + check)
            return body + check


class _Draft(NamedTuple):
    tax_code: str
    name: str
    zone: str
    fdi: bool
    country: str
    vsic: str
    status: str
    size: float  # relative size, drives the shares of the zone's figures


def _enterprises(seed: int, province: str) -> tuple[_Enterprise, ...]:
    rng = _rng(seed, "enterprises", province)
    ref = reference.load()
    zones = [z for z in ref.zones if reference.origin_province(z) == province]
    operating = [z for z in zones if ref.zones[z].status == "operating"]
    building = [z for z in zones if ref.zones[z].status == "under construction"]
    countries, country_weights = zip(*cal.FDI_COUNTRIES[province], strict=True)
    taken: set[str] = set()
    names: set[str] = set()
    drafts: list[_Draft] = []
    for i in range(cal.ENTERPRISES_PER_PROVINCE[province]):
        if building and i % 20 == 19:  # a few investors still building in a new zone
            zone, status = rng.choice(building), "construction"
        else:
            zone = rng.choices(operating, [cal.ZONE_PROFILES[z].weight for z in operating])[0]
            status = rng.choices(
                ("operating", "construction", "suspended", "closed"), (92, 3, 3, 2)
            )[0]
        fdi = rng.random() < cal.ZONE_PROFILES[zone].fdi_share
        country = rng.choices(countries, country_weights)[0] if fdi else "VN"
        textile = zone in cal.TEXTILE_ZONES
        name, vsic = _company(rng, country, textile)
        while name in names:
            name, vsic = _company(rng, country, textile)
        names.add(name)
        tax_code = _tax_code(rng, cal.MST_PREFIX[province], taken)
        if province == "HN" and i in (7, 41):  # two branches (chi nhánh) of Hà Nội companies
            tax_code += f"-{i // 7:03d}"
            name = "Chi nhánh " + name
        size = rng.lognormvariate(0, 0.9) * (2.0 if fdi else 1.0)
        drafts.append(_Draft(tax_code, name, zone, fdi, country, vsic, status, size))
    return _with_shares(rng, drafts, cal.REPORTING_ENTERPRISES[province])


def _with_shares(
    rng: random.Random, drafts: list[_Draft], reporting: int
) -> tuple[_Enterprise, ...]:
    """Give the largest operating enterprises their shares of their zone's figures.

    The listed enterprises of a zone share at most 55 % of its workers, so enterprise rows never
    add up to more than their zone's rows.
    """
    operating = [d for d in drafts if d.status == "operating"]
    reporters = {d.tax_code for d in sorted(operating, key=lambda d: -d.size)[:reporting]}
    zone_size: dict[str, float] = {}
    for d in operating:
        zone_size[d.zone] = zone_size.get(d.zone, 0.0) + d.size
    out = []
    for tax_code, name, zone, fdi, country, vsic, status, size in drafts:
        share = 0.55 * size / zone_size[zone] if status == "operating" else 0.0
        exports = fdi or rng.random() < 0.4
        out.append(
            _Enterprise(
                tax_code=tax_code,
                name=name,
                zone=zone,
                ownership="FDI" if fdi else "DDI",
                country=country,
                vsic=vsic,
                status=status,
                reports=tax_code in reporters,
                worker_share=share,
                revenue_share=share * rng.uniform(0.7, 1.3),
                export_share=share * (rng.uniform(0.8, 1.4) if fdi else rng.uniform(0.2, 0.6))
                if exports
                else 0.0,
                female_factor=rng.uniform(0.7, 1.3),
                foreign_factor=rng.uniform(0.5, 1.2) if fdi else 0,
            )
        )
    return tuple(sorted(out, key=lambda e: (e.zone, e.tax_code)))


# --- The model: every zone, every month -----------------------------------------------------------


class _Model:
    """Zone-level monthly values for whole calendar years, for one seed."""

    def __init__(self, seed: int, first_year: int, last_year: int) -> None:
        self.seed = seed
        self.years = range(first_year, last_year + 1)
        self.values: dict[Key, Decimal] = {}
        self.plans: dict[tuple[str, int], dict[tuple[str, str], Decimal]] = {}
        self.enterprises = {p: _enterprises(seed, p) for p in cal.PROVINCES}
        ref = reference.load()
        self.zones = {
            p: [z for z in ref.zones if reference.origin_province(z) == p] for p in cal.PROVINCES
        }
        self.operating = {
            p: [z for z in zs if ref.zones[z].status == "operating"] for p, zs in self.zones.items()
        }
        for province in cal.PROVINCES:
            for year in self.years:
                self._business(province, year)
                self._investment(province, year)
                self._stocks(province, year)
                self._events(province, year)
                self._plans(province, year)
            self._land(province)
        if 2021 in self.years:
            self._calibrate_income("ND", 2021, 6, cal.ND_2021_H1_INCOME)

    def get(self, zone: str, index: int, metric: str, unit: str) -> Decimal:
        return self.values[(zone, index, metric, unit)]

    # Flows split from yearly checkpoints.

    def _split_year(
        self,
        province: str,
        year: int,
        metric: str,
        unit: str,
        checkpoints: cal.Checkpoints,
        season: dict[int, float],
    ) -> None:
        scale = _scale(metric, unit)
        zones = self.operating[province]
        profile = [cal.ZONE_PROFILES[z].weight for z in zones]
        done, month_units = 0, []
        first = 1
        for last, cumulative in checkpoints:
            months = range(first, last + 1)
            rng = _rng(self.seed, "months", province, year, metric, last)
            weights = [
                season[m] * cal.COVID.get(year, {}).get(m, 1.0) * rng.uniform(0.96, 1.04)
                for m in months
            ]
            increment = _to_units(cumulative, scale) - done
            month_units += _apportion(increment, weights)
            done, first = done + increment, last + 1
        for month, units in enumerate(month_units, start=1):
            rng = _rng(self.seed, "zones", province, year, month, metric)
            parts = _apportion(units, [w * rng.uniform(0.9, 1.1) for w in profile])
            for zone, part in zip(zones, parts, strict=True):
                self.values[(zone, year * 12 + month - 1, metric, unit)] = _from_units(part, scale)

    def _business(self, province: str, year: int) -> None:
        for metric, spec in cal.BUSINESS_FLOWS:
            self._split_year(
                province,
                year,
                metric,
                _unit(spec, province),
                _business_checkpoints(self.seed, province, year, metric),
                cal.OUTPUT_SEASON,
            )

    def _investment(self, province: str, year: int) -> None:
        zones = self.operating[province]
        cells = [(z, year * 12 + m - 1) for z in zones for m in range(1, 13)]
        counts = {k: dict.fromkeys(cells, 0) for k in ("new_fdi", "new_ddi", "exp")}
        money = {k: dict.fromkeys(cells, 0) for k in ("new_usd", "new_vnd", "add_usd", "add_vnd")}
        previous, first = _NO_INVESTMENT, 1
        for last, cumulative in _investment_checkpoints(self.seed, province, year):
            months = list(range(first, last + 1))
            licensed = cumulative - previous
            groups = (  # count bucket, money bucket, projects, their capital
                ("new_fdi", "new_usd", licensed.new_fdi, licensed.new_usd),
                ("new_ddi", "new_vnd", licensed.new_ddi, licensed.new_vnd),
                ("exp", "add_usd", licensed.exp_fdi, licensed.added_usd),
                ("exp", "add_vnd", licensed.exp_ddi, licensed.added_vnd),
            )
            for count_key, money_key, n, capital in groups:
                rng = _rng(self.seed, "projects", province, year, last, count_key, money_key)
                for cell, units in self._place_projects(
                    rng, zones, year, months, n, _to_units(capital, 3)
                ):
                    counts[count_key][cell] += 1
                    money[money_key][cell] += units
            previous, first = cumulative, last + 1
        for zone, index in cells:
            fdi, ddi = counts["new_fdi"][(zone, index)], counts["new_ddi"][(zone, index)]
            revoked = int(_rng(self.seed, "revoked", zone, index).random() < 0.05)
            for metric, unit, value in (
                ("inv_new_projects", "PROJECT", Decimal(fdi + ddi)),
                ("inv_new_projects_fdi", "PROJECT", Decimal(fdi)),
                ("inv_new_projects_ddi", "PROJECT", Decimal(ddi)),
                ("inv_new_capital", "USD_MN", _from_units(money["new_usd"][(zone, index)], 3)),
                ("inv_new_capital", "VND_BN", _from_units(money["new_vnd"][(zone, index)], 3)),
                ("inv_expansion_projects", "PROJECT", Decimal(counts["exp"][(zone, index)])),
                ("inv_added_capital", "USD_MN", _from_units(money["add_usd"][(zone, index)], 3)),
                ("inv_added_capital", "VND_BN", _from_units(money["add_vnd"][(zone, index)], 3)),
                ("inv_revoked_projects", "PROJECT", Decimal(revoked)),
            ):
                self.values[(zone, index, metric, unit)] = value

    @staticmethod
    def _place_projects(
        rng: random.Random,
        zones: list[str],
        year: int,
        months: list[int],
        n: int,
        capital_units: int,
    ) -> list[tuple[tuple[str, int], int]]:
        """Put n projects in (zone, month) cells and share their capital (in thousandths)."""
        if n < 0 or capital_units < 0:
            raise ValueError("investment checkpoints must not decrease within a year")
        if n == 0:
            if capital_units:
                raise ValueError("capital registered without a project to carry it")
            return []
        month_weights = [cal.INVEST_SEASON[m] for m in months]
        zone_weights = [cal.ZONE_PROFILES[z].weight for z in zones]
        minimum = 1 if capital_units >= n else 0
        shares = _apportion(
            capital_units - minimum * n, [rng.uniform(0.2, 1.0) ** 2 + 0.05 for _ in range(n)]
        )
        placed = []
        for share in shares:
            month = rng.choices(months, month_weights)[0]
            zone = rng.choices(zones, zone_weights)[0]
            placed.append(((zone, year * 12 + month - 1), share + minimum))
        return placed

    # Stocks interpolated between anchors, split over zones with fixed weights.

    def _stocks(self, province: str, year: int) -> None:
        zones = self.operating[province]
        weights = [cal.ZONE_PROFILES[z].weight for z in zones]
        for month in range(1, 13):
            index = year * 12 + month - 1
            enterprises = self._province_stock(province, "ent_operating", index)
            for zone, total in zip(zones, _apportion(enterprises, weights), strict=True):
                fdi = _round(total * cal.ZONE_PROFILES[zone].fdi_share)
                self._set_stock(
                    zone, index, "ent_operating", "ENTERPRISE", (total, fdi, total - fdi)
                )
            workers = self._province_stock(province, "lab_workers", index)
            for zone, total in zip(zones, _apportion(workers, weights), strict=True):
                profile = cal.ZONE_PROFILES[zone]
                self._set_stock(
                    zone,
                    index,
                    "lab_workers",
                    "PERSON",
                    (
                        total,
                        _round(total * profile.female_share),
                        _round(total * profile.foreign_share),
                    ),
                )
            for zone in zones:
                self.values[(zone, index) + INCOME] = self._income(province, zone, year, month)

    def _set_stock(
        self, zone: str, index: int, metric: str, unit: str, values: tuple[int, int, int]
    ) -> None:
        suffixes = (
            ("", "_fdi", "_ddi") if metric == "ent_operating" else ("", "_female", "_foreign")
        )
        for suffix, value in zip(suffixes, values, strict=True):
            self.values[(zone, index, metric + suffix, unit)] = Decimal(value)

    def _province_stock(self, province: str, metric: str, index: int) -> int:
        anchors = (
            cal.ENT_OPERATING_ANCHORS if metric == "ent_operating" else cal.LAB_WORKERS_ANCHORS
        )[province]
        points = [(_index(m), v) for m, v in anchors]
        exact = dict(points)
        if index in exact:
            return exact[index]
        value = float(_interpolate(points, index))
        if metric == "lab_workers" and index % 12 == 1:
            value *= cal.FEBRUARY_WORKERS_DIP
        return _round(
            value * _rng(self.seed, "stock", province, metric, index).uniform(0.9975, 1.0025)
        )

    def _income(self, province: str, zone: str, year: int, month: int) -> Decimal:
        base = cal.INCOME_2021[province] * (1 + cal.INCOME_GROWTH) ** (year - 2021)
        bonus = cal.JANUARY_INCOME_BONUS if month == 1 else 1.0
        noise = _rng(self.seed, "income", zone, year, month).uniform(0.97, 1.03)
        value = base * cal.ZONE_PROFILES[zone].income_factor * bonus * noise
        return Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def _calibrate_income(self, province: str, year: int, last_month: int, target: Decimal) -> None:
        """Make the workers-weighted mean income of January..last_month equal the target."""
        cells = [
            (z, year * 12 + m - 1)
            for z in self.operating[province]
            for m in range(1, last_month + 1)
        ]
        weight = {c: self.get(*c, "lab_workers", "PERSON") for c in cells}
        total = sum(weight.values())
        cent = Decimal("0.01")

        def shortfall() -> Decimal:
            return target * total - sum(weight[c] * self.get(*c, *INCOME) for c in cells)

        shift = (shortfall() / total).quantize(cent, ROUND_HALF_UP)
        for c in cells:
            self.values[c + INCOME] += shift
        heaviest = max(cells, key=lambda c: weight[c])
        self.values[heaviest + INCOME] += (shortfall() / weight[heaviest]).quantize(
            cent, ROUND_HALF_UP
        )

    # Land, wastewater, small event counts.

    def _land(self, province: str) -> None:
        ref = reference.load()
        start = _index("2021-01")
        for zone in self.zones[province]:
            if ref.zones[zone].status == "planned":
                continue
            profile = cal.ZONE_PROFILES[zone]
            for year in self.years:
                for index in range(year * 12, year * 12 + 12):
                    leased = min(
                        profile.industrial_ha,
                        max(
                            Decimal(0),
                            (
                                profile.leased_ha_2021_01
                                + profile.leased_ha_per_month * (index - start)
                            ),
                        ),
                    )
                    self.values[(zone, index, "lnd_total_area", "HA")] = profile.total_ha
                    self.values[(zone, index, "lnd_industrial_area", "HA")] = profile.industrial_ha
                    self.values[(zone, index, "lnd_leased_area", "HA")] = leased
                    capacity = [c for since, c in profile.wwtp if _index(since) <= index]
                    if capacity:
                        self.values[(zone, index, "env_wwtp_capacity", "M3_PER_DAY")] = Decimal(
                            capacity[-1]
                        )

    def _events(self, province: str, year: int) -> None:
        for zone in self.operating[province]:
            size = cal.ZONE_PROFILES[zone].weight * len(self.operating[province])
            for index in range(year * 12, year * 12 + 12):
                rng = _rng(self.seed, "events", zone, index)
                accidents = _poisson(rng, 0.35 * size)
                for metric, unit, value in (
                    ("lab_work_stoppages", "CASE", _poisson(rng, 0.03 * size)),
                    ("env_violations", "CASE", _poisson(rng, 0.08 * size)),
                    ("saf_fire_incidents", "CASE", _poisson(rng, 0.04 * size)),
                    ("saf_labour_accidents", "CASE", accidents),
                    (
                        "saf_labour_accident_deaths",
                        "PERSON",
                        sum(rng.random() < 0.12 for _ in range(accidents)),
                    ),
                ):
                    self.values[(zone, index, metric, unit)] = Decimal(value)

    # Annual plans.

    def _plans(self, province: str, year: int) -> None:
        plans = dict(cal.PLANS.get((province, year), {}))
        for metric, spec in cal.PLAN_METRICS:
            unit = _unit(spec, province)
            if (metric, unit) in plans:
                continue
            outcome = _business_checkpoints(self.seed, province, year, metric)[-1][1]
            factor = _rng(self.seed, "plan", province, year, metric).uniform(*cal.PLAN_FACTOR)
            step = Decimal(10) if outcome >= 1000 else Decimal("0.1")
            plans[(metric, unit)] = (outcome * Decimal(str(factor)) / step).quantize(
                Decimal(1), ROUND_HALF_UP
            ) * step
        self.plans[(province, year)] = plans


def _round(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP))


def _interpolate(points: list[tuple[int, int]], index: int) -> float:
    if index <= points[0][0]:
        return points[0][1]
    for (i0, v0), (i1, v1) in zip(points, points[1:], strict=False):
        if i0 <= index <= i1:
            return v0 + (v1 - v0) * (index - i0) / (i1 - i0)
    return points[-1][1]


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means of incident counts."""
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


_NO_INVESTMENT = cal.Investment(0, 0, Decimal(0), Decimal(0), 0, 0, Decimal(0), Decimal(0))


@lru_cache(maxsize=256)
def _business_checkpoints(seed: int, province: str, year: int, metric: str) -> cal.Checkpoints:
    """Published checkpoints, else last year's total grown by a seeded rate."""
    override = cal.BUSINESS_OVERRIDES.get((province, year), {}).get(metric)
    if override:
        return override
    if year == 2021:
        return cal.BUSINESS_2021[province][metric]
    growth = _rng(seed, "growth", province, year, metric).uniform(*cal.BUSINESS_GROWTH)
    if year < 2021:  # before the published figures: shrink from the year after
        total = _business_checkpoints(seed, province, year + 1, metric)[-1][1] / Decimal(
            str(1 + growth)
        )
    else:
        total = _business_checkpoints(seed, province, year - 1, metric)[-1][1] * Decimal(
            str(1 + growth)
        )
    return ((12, total.quantize(Decimal("0.1"), ROUND_HALF_UP)),)


@lru_cache(maxsize=64)
def _investment_checkpoints(
    seed: int, province: str, year: int
) -> tuple[tuple[int, cal.Investment], ...]:
    """Published checkpoints, else the year before (or after) times seeded factors."""
    if (province, year) in cal.INVESTMENT:
        return cal.INVESTMENT[(province, year)]
    known = min(cal.INVESTMENT, key=lambda k: (k[0] != province, abs(k[1] - year)))
    step = 1 if year > known[1] else -1
    base = _investment_checkpoints(seed, province, year - step)[-1][1]
    rng = _rng(seed, "investment-growth", province, year)

    def count(n: int) -> int:
        return max(1, round(n * rng.uniform(*cal.INVESTMENT_COUNT_GROWTH)))

    def money(v: Decimal) -> Decimal:
        return (v * Decimal(str(rng.uniform(*cal.INVESTMENT_MONEY_GROWTH)))).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    grown = cal.Investment(
        count(base.new_fdi),
        count(base.new_ddi),
        money(base.new_usd),
        money(base.new_vnd),
        count(base.exp_fdi),
        count(base.exp_ddi),
        money(base.added_usd),
        money(base.added_vnd),
    )
    return ((12, grown),)


@lru_cache(maxsize=4)
def _model(seed: int, first_year: int, last_year: int) -> _Model:
    return _Model(seed, first_year, last_year)


# --- Submissions: rows from the model -------------------------------------------------------------


def _board_rows(model: _Model, submitter: str, month: str, first_round: bool) -> list[Row]:
    ref = reference.load()
    index = _index(month)
    year_start = index - index % 12
    province = ref.submitters[submitter].province
    zones = _zones_of(submitter, month)
    operating = [z for z in zones if ref.zones[z].status == "operating"]
    building = [z for z in zones if ref.zones[z].status == "under construction"]

    def row(
        zone: str,
        tax: str,
        metric: str,
        kind: str,
        basis: str,
        value: Decimal,
        unit: str,
        note: str = "",
    ) -> Row:
        return (submitter, month, zone, tax, metric, kind, basis, _fmt(value), unit, note)

    rows: list[Row] = []
    valid_from = ref.submitters[submitter].validity.valid_from
    if index % 12 == 0 or index == _index(valid_from.strftime("%Y-%m")):
        for (metric, unit), value in _board_plans(model, province, index // 12).items():
            rows.append(
                row("", "", metric, "plan", "year", value, unit, f"Kế hoạch năm {index // 12}")
            )

    estimates, estimate_note = ESTIMATES.get((submitter, month), (frozenset(), ""))
    revised = first_round and (submitter, month) in _REVISION_NOTE
    overrides = cal.YTD_OVERRIDES.get((submitter, month), {})
    for metric, spec, _ in ALL_ZONES_YTD:
        unit = _unit(spec, province)
        value = overrides.get((metric, unit)) or sum(
            (
                model.get(z, i, metric, unit)
                for z in operating
                for i in range(year_start, index + 1)
            ),
            Decimal(0),
        )
        kind, note = "actual", _ROW_NOTES.get((submitter, month, metric, unit), "")
        if (metric, unit) in estimates:
            kind, note = "estimate", estimate_note
        if revised:
            kind, note = "estimate", _REVISION_NOTE[(submitter, month)]
            forecast = _FORECASTS.get((submitter, month), {}).get((metric, unit))
            value = forecast or _early_estimate(model.seed, submitter, month, metric, value)
        rows.append(row("", "", metric, kind, "ytd", value, unit, note))
    for metric, unit, _ in ALL_ZONES_EOM:
        rows.append(
            row(
                "",
                "",
                metric,
                "actual",
                "eom",
                sum((model.get(z, index, metric, unit) for z in operating), Decimal(0)),
                unit,
            )
        )
    income = _weighted_income(
        model, [(z, i) for z in operating for i in range(year_start, index + 1)]
    )
    if revised:
        rows.append(
            row(
                "",
                "",
                INCOME[0],
                "estimate",
                "ytd",
                _early_estimate(model.seed, submitter, month, INCOME[0], income),
                INCOME[1],
                _REVISION_NOTE[(submitter, month)],
            )
        )
    else:
        rows.append(row("", "", INCOME[0], "actual", "ytd", income, INCOME[1]))

    for zone in zones:
        specs = ZONE_ROWS if zone in operating else LAND_ROWS if zone in building else ()
        for metric, spec, basis in specs:
            unit = _unit(spec, province)
            if (zone, index, metric, unit) in model.values:
                rows.append(
                    row(
                        zone,
                        "",
                        metric,
                        "actual",
                        basis,
                        model.get(zone, index, metric, unit),
                        unit,
                    )
                )
    rows += _enterprise_rows(model, submitter, month, province, operating)
    return rows


def _early_estimate(seed: int, submitter: str, month: str, metric: str, actual: Decimal) -> Decimal:
    """What a board estimated before the month closed: exact for licensing, else within 1 %."""
    if metric.startswith("inv_") and metric != "inv_implemented_capital":
        return actual
    factor = _rng(seed, "estimate", submitter, month, metric).uniform(0.992, 1.008)
    return (actual * _d(factor)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _board_plans(model: _Model, province: str, year: int) -> dict[tuple[str, str], Decimal]:
    """A board's plans; Ninh Bình's first plan adds up those of Nam Định and Hà Nam."""
    if province != "NB":
        return model.plans[(province, year)]
    merged: dict[tuple[str, str], Decimal] = {}
    for origin in ("ND", "HNA"):
        for key, value in model.plans[(origin, year)].items():
            merged[key] = merged.get(key, Decimal(0)) + value
    return merged


def _weighted_income(model: _Model, cells: list[tuple[str, int]]) -> Decimal:
    weights = [model.get(*c, "lab_workers", "PERSON") for c in cells]
    total = sum(
        (w * model.get(*c, *INCOME) for c, w in zip(cells, weights, strict=True)), Decimal(0)
    )
    return (total / sum(weights, Decimal(0))).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _enterprise_rows(
    model: _Model, submitter: str, month: str, province: str, operating: list[str]
) -> list[Row]:
    """Rows of the largest enterprises: parts of their zone's figures, never above them."""
    index = _index(month)
    rows: list[Row] = []
    for e in _listed_enterprises(model, operating):
        if not (e.reports and e.status == "operating"):
            continue
        profile = cal.ZONE_PROFILES[e.zone]
        rng = _rng(model.seed, "enterprise", e.tax_code, index)
        currency = cal.LOCAL_CURRENCY[province]
        workers = _floor(
            model.get(e.zone, index, "lab_workers", "PERSON")
            * _d(e.worker_share * rng.uniform(0.97, 1.03))
        )
        figures = [
            (
                "biz_revenue",
                "month",
                currency,
                model.get(e.zone, index, "biz_revenue", currency)
                * _d(e.revenue_share * rng.uniform(0.95, 1.05)),
            ),
            (
                "biz_export",
                "month",
                "USD_MN",
                model.get(e.zone, index, "biz_export", "USD_MN")
                * _d(e.export_share * rng.uniform(0.95, 1.05))
                if e.export_share
                else None,
            ),
            ("lab_workers", "eom", "PERSON", workers),
            (
                "lab_workers_female",
                "eom",
                "PERSON",
                _floor(workers * _d(profile.female_share * e.female_factor)),
            ),
            (
                "lab_workers_foreign",
                "eom",
                "PERSON",
                _floor(workers * _d(profile.foreign_share * e.foreign_factor))
                if e.ownership == "FDI"
                else None,
            ),
        ]
        for metric, basis, unit, value in figures:
            if value is not None:
                value = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
                rows.append(
                    (
                        submitter,
                        month,
                        e.zone,
                        e.tax_code,
                        metric,
                        "actual",
                        basis,
                        _fmt(value),
                        unit,
                        "",
                    )
                )
    return rows


def _listed_enterprises(model: _Model, zones: Iterable[str]) -> list[_Enterprise]:
    wanted = set(zones)
    return [e for p in cal.PROVINCES for e in model.enterprises[p] if e.zone in wanted]


def _d(value: float) -> Decimal:
    return Decimal(str(round(value, 6)))


def _floor(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), ROUND_FLOOR)


def _district_rows(model: _Model, submitter: str, month: str) -> list[Row]:
    """Small counts, mostly zeros; land clearance mostly for the planned zones."""
    ref = reference.load()
    index = _index(month)
    rows: list[Row] = []
    for zone in _zones_of(submitter, month):
        rng = _rng(model.seed, "district", submitter, zone, index)
        planned = ref.zones[zone].status == "planned"
        accidents = 0 if planned else _poisson(rng, 0.15)
        cleared = Decimal(0)
        if rng.random() < (0.45 if planned else 0.04):
            cleared = Decimal(str(round(rng.uniform(0.3, 8.0 if planned else 1.5), 2)))
        values: dict[str, int | Decimal] = {
            "lab_work_stoppages": 0 if planned else _poisson(rng, 0.02),
            "env_violations": _poisson(rng, 0.03 if planned else 0.06),
            "saf_fire_incidents": 0 if planned else _poisson(rng, 0.03),
            "saf_labour_accidents": accidents,
            "saf_labour_accident_deaths": sum(rng.random() < 0.1 for _ in range(accidents)),
            "dst_land_cleared": cleared,
            "dst_inspections": _poisson(rng, 0.3 if planned else 1.2),
            "dst_security_incidents": _poisson(rng, 0.1 if planned else 0.4),
        }
        for metric, unit in DISTRICT_ROWS:
            rows.append(
                (
                    submitter,
                    month,
                    zone,
                    "",
                    metric,
                    "actual",
                    "month",
                    _fmt(Decimal(values[metric])),
                    unit,
                    "",
                )
            )
    return rows


def _submission(
    model: _Model, submitter: str, month: str, first_round: bool
) -> tuple[list[Row], list[Row] | None]:
    """(indicators rows, enterprises rows or None for a district)."""
    ref = reference.load()
    if ref.submitters[submitter].type == "district":
        return _district_rows(model, submitter, month), None
    established = [z for z in _zones_of(submitter, month) if ref.zones[z].status != "planned"]
    enterprises = [e.csv_row() for e in _listed_enterprises(model, established)]
    return _board_rows(model, submitter, month, first_round), enterprises


# --- Faults ---------------------------------------------------------------------------------------

FaultEdit = Callable[[list[Row]], tuple[list[Row], int, str, str]]  # rows, file row, column, value


def _find(rows: list[Row], metric: str, zone: str | None = None) -> int:
    return next(
        i
        for i, r in enumerate(rows)
        if r[4] == metric and r[3] == "" and (r[2] != "" if zone is None else r[2] == zone)
    )


def _set(rows: list[Row], i: int, column: str, value: str) -> tuple[list[Row], int, str, str]:
    j = INDICATOR_COLUMNS.index(column)
    rows = list(rows)
    rows[i] = rows[i][:j] + (value,) + rows[i][j + 1 :]
    return rows, i + 2, column, value


def _misspell_metric(rows: list[Row]) -> tuple[list[Row], int, str, str]:
    return _set(
        rows, _find(rows, "inv_new_projects", "KCN-HN-THANGLONG"), "metric_code", "inv_new_project"
    )


def _thousands_separator(rows: list[Row]) -> tuple[list[Row], int, str, str]:
    i = _find(rows, "env_wwtp_capacity", "KCN-ND-HOAXA")
    return _set(rows, i, "value", f"{int(rows[i][7]):,}")


def _foreign_zone(rows: list[Row]) -> tuple[list[Row], int, str, str]:
    return _set(rows, _find(rows, "env_violations", "KCN-HNA-THAIHA"), "zone_code", "KCN-ND-HOAXA")


def _negative_count(rows: list[Row]) -> tuple[list[Row], int, str, str]:
    return _set(rows, _find(rows, "dst_security_incidents"), "value", "-1")


def _wrong_period(rows: list[Row]) -> tuple[list[Row], int, str, str]:
    previous = _month(_index(rows[0][1]) - 1)
    return _set(rows, _find(rows, "dst_inspections"), "period", previous)


def _duplicate_row(rows: list[Row]) -> tuple[list[Row], int, str, str]:
    i = _find(rows, "biz_export", "KCN-HN-NOIBAI")
    return rows[: i + 1] + [rows[i]] + rows[i + 1 :], i + 3, "metric_code", rows[i][4]


@dataclass(frozen=True)
class _FaultSpec:
    period: str
    submitter_code: str
    rule_id: str
    edit: FaultEdit
    description: str


FAULTS: tuple[_FaultSpec, ...] = (
    _FaultSpec(
        "2021-03",
        "BQL-HN",
        "E_UNKNOWN_METRIC",
        _misspell_metric,
        "metric code misspelt: inv_new_project for inv_new_projects",
    ),
    _FaultSpec(
        "2021-05",
        "BQL-ND",
        "E_BAD_NUMBER",
        _thousands_separator,
        "wastewater capacity typed with a thousands separator",
    ),
    _FaultSpec(
        "2021-08",
        "BQL-HNA",
        "E_ZONE_NOT_IN_JURISDICTION",
        _foreign_zone,
        "a row for KCN-HNA-THAIHA filed under Nam Định's KCN-ND-HOAXA",
    ),
    _FaultSpec(
        "2021-10",
        "UBND-HN-SOCSON",
        "E_NEGATIVE",
        _negative_count,
        "a count of security incidents of -1",
    ),
    _FaultSpec(
        "2022-02",
        "UBND-HN-DONGANH",
        "E_PERIOD_MISMATCH",
        _wrong_period,
        "one row dated the previous month",
    ),
    _FaultSpec("2022-04", "BQL-HN", "E_DUPLICATE_KEY", _duplicate_row, "a row pasted twice"),
)


# --- Writing --------------------------------------------------------------------------------------


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _write_folder(folder: Path, indicators: list[Row], enterprises: list[Row] | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "indicators.csv").write_bytes(_csv_bytes(INDICATOR_COLUMNS, indicators))
    if enterprises is not None:
        (folder / "enterprises.csv").write_bytes(_csv_bytes(ENTERPRISE_COLUMNS, enterprises))


# --- Public API -----------------------------------------------------------------------------------


def generate(
    landing: Path,
    start: str = "2020-01",
    end: str = "2025-12",
    *,
    seed: int = 7,
    faults: bool = True,
) -> DemoManifest:
    """Write the first submission of every submitter valid in every month from start to end."""
    landing = Path(landing)
    months = _months(start, end)
    model = _model(seed, int(start[:4]), int(end[:4]))
    fault_specs = {(f.period, f.submitter_code): f for f in FAULTS} if faults else {}
    planned: list[PlannedFault] = []
    submitters = []
    for month in months:
        active = reference.active_submitters(month)
        submitters.append((month, active))
        for submitter in active:
            indicators, enterprises = _submission(model, submitter, month, first_round=True)
            spec = fault_specs.get((month, submitter))
            if spec:
                indicators, row, column, value = spec.edit(indicators)
                planned.append(
                    PlannedFault(
                        month,
                        submitter,
                        spec.rule_id,
                        "indicators.csv",
                        row,
                        column,
                        value,
                        spec.description,
                    )
                )
            _write_folder(landing / month / submitter, indicators, enterprises)
    in_range = {(m, s) for m, subs in submitters for s in subs}
    revisions = tuple(r for r in REVISIONS if (r.period, r.submitter_code) in in_range)
    corrected = sorted(
        {(f.period, f.submitter_code) for f in planned}
        | {(r.period, r.submitter_code) for r in revisions}
    )
    return DemoManifest(
        start=start,
        end=end,
        seed=seed,
        faults_enabled=faults,
        months=tuple(months),
        submitters=tuple(submitters),
        faults=tuple(planned),
        revisions=revisions,
        corrected=tuple(corrected),
        received_early=tuple(
            sorted(
                [(p, sub, day) for (p, sub), day in EARLY_REPORTS.items() if (p, sub) in in_range]
                + [(r.period, r.submitter_code, r.received_on) for r in revisions]
            )
        ),
    )


def apply_corrections(landing: Path, manifest: DemoManifest) -> list[Path]:
    """Rewrite every faulty or revised folder with its corrected resubmission; return them."""
    landing = Path(landing)
    model = _model(manifest.seed, int(manifest.start[:4]), int(manifest.end[:4]))
    folders = []
    for month, submitter in manifest.corrected:
        indicators, enterprises = _submission(model, submitter, month, first_round=False)
        _write_folder(landing / month / submitter, indicators, enterprises)
        folders.append(landing / month / submitter)
    return folders


def expected_figures() -> list[ExpectedFigure]:
    """The published figures (seed_facts.csv) that the corrected demo data reproduce."""
    D = Decimal
    hn_2021 = cal.HN_2021
    figures = [
        # Hà Nội, full year 2021 (rows 1-6), in the 2021-12 submission.
        *_ytd(
            "HN",
            "2021-12",
            hn_2021,
            published=(
                hn_2021.new_projects,
                hn_2021.new_usd,
                hn_2021.new_vnd,
                hn_2021.expansion_projects,
                hn_2021.added_usd,
                hn_2021.added_vnd,
            ),
            rows=(1, 2, 3, 4, 5, 6),
        ),
        # Hà Nội, 11 months of 2021 (rows 15-20), in the 2021-11 submission.
        *(
            ExpectedFigure(
                "HN",
                "BQL-HN",
                metric,
                "2021-11",
                "actual",
                "ytd",
                unit,
                value,
                published,
                (row,),
                note,
            )
            for metric, unit, value, published, row, note in (
                ("inv_new_projects", "PROJECT", D(cal.HN_2021_NEW_PROJECTS), D(7), 15, ""),
                (
                    "inv_new_capital",
                    "USD_MN",
                    cal.HN_2021_NEW_CAPITAL_USD,
                    cal.HN_2021_11M_NEW_CAPITAL_USD_PUBLISHED,
                    16,
                    "published rounded to 27; the demo sends 26.9",
                ),
                ("inv_new_capital", "VND_BN", cal.HN_2021_NEW_CAPITAL_VND, D(315), 17, ""),
                (
                    "inv_expansion_projects",
                    "PROJECT",
                    D(cal.HN_2021_11M_EXPANSION_PROJECTS),
                    D(26),
                    18,
                    "above the zone months' sum (23): revised down in the full-year report",
                ),
                ("inv_added_capital", "VND_BN", cal.HN_2021_11M_ADDED_CAPITAL_VND, D(2039), 19, ""),
                (
                    "inv_added_capital",
                    "USD_MN",
                    cal.HN_2021_11M_ADDED_CAPITAL_USD,
                    D(147),
                    20,
                    "above the zone months' sum (109): revised down in the full-year report",
                ),
            )
        ),
        # Hà Nội, 5 months of 2022 (rows 43-48).
        *_ytd(
            "HN",
            "2022-05",
            cal.HN_2022_5M,
            published=(4, 1, 450, 12, 60, 30),
            rows=(43, 44, 45, 46, 47, 48),
        ),
        # Hà Nội, H1 2022 (rows 53-54): published as estimates; the demo's actual equals them.
        ExpectedFigure(
            "HN",
            "BQL-HN",
            "biz_revenue",
            "2022-06",
            "actual",
            "ytd",
            "USD_MN",
            D("4869"),
            D("4869"),
            (53,),
            "published as an estimate on 26/05/2022",
        ),
        ExpectedFigure(
            "HN",
            "BQL-HN",
            "biz_state_budget",
            "2022-06",
            "actual",
            "ytd",
            "USD_MN",
            D("238.5"),
            D("238.5"),
            (54,),
            "published as an estimate on 26/05/2022",
        ),
        # Hà Nội plans for 2022 (rows 58-59), in the 2022-01 submission.
        ExpectedFigure(
            "HN",
            "BQL-HN",
            "biz_revenue",
            "2022-01",
            "plan",
            "year",
            "USD_MN",
            D("8200"),
            D("8200"),
            (58,),
        ),
        ExpectedFigure(
            "HN",
            "BQL-HN",
            "biz_state_budget",
            "2022-01",
            "plan",
            "year",
            "USD_MN",
            D("229.4"),
            D("229.4"),
            (59,),
        ),
        # Hà Nội stocks (rows 9, 10, 14).
        ExpectedFigure(
            "HN",
            "BQL-HN",
            "ent_operating",
            "2022-01",
            "actual",
            "eom",
            "ENTERPRISE",
            D(701),
            D(701),
            (9,),
            "701 on 17/02/2022; also at 2022-02",
        ),
        ExpectedFigure(
            "HN",
            "BQL-HN",
            "lab_workers",
            "2021-11",
            "actual",
            "eom",
            "PERSON",
            D(164800),
            D(165000),
            (14,),
            "gần 165 nghìn: nearly 165,000",
        ),
        ExpectedFigure(
            "HN",
            "BQL-HN",
            "lab_workers",
            "2022-01",
            "actual",
            "eom",
            "PERSON",
            D(164900),
            D(165000),
            (10,),
            "gần 165.000, as of 17/02/2022",
        ),
        # Nam Định, H1 2021 (rows 65-74) and its 2021 plans (rows 68, 71).
        ExpectedFigure(
            "ND",
            "BQL-ND",
            "ent_operating",
            "2021-06",
            "actual",
            "eom",
            "ENTERPRISE",
            D(150),
            D(150),
            (65,),
        ),
        ExpectedFigure(
            "ND",
            "BQL-ND",
            "biz_industrial_output",
            "2021-06",
            "actual",
            "ytd",
            "VND_BN",
            D(12000),
            D(12000),
            (66,),
        ),
        ExpectedFigure(
            "ND",
            "BQL-ND",
            "biz_export",
            "2021-06",
            "actual",
            "ytd",
            "USD_MN",
            D(450),
            D(450),
            (69,),
        ),
        ExpectedFigure(
            "ND",
            "BQL-ND",
            "biz_state_budget",
            "2021-06",
            "actual",
            "ytd",
            "VND_BN",
            D(200),
            D(200),
            (72,),
        ),
        ExpectedFigure(
            "ND",
            "BQL-ND",
            "lab_workers",
            "2021-06",
            "actual",
            "eom",
            "PERSON",
            D(45000),
            D(45000),
            (73,),
            "trên 4,5 vạn: over 45,000",
        ),
        ExpectedFigure(
            "ND",
            "BQL-ND",
            "lab_avg_income",
            "2021-06",
            "actual",
            "ytd",
            "VND_MN_PER_PERSON_MONTH",
            cal.ND_2021_H1_INCOME,
            D("6.3"),
            (74,),
            "workers-weighted mean of the zone months January-June",
        ),
        ExpectedFigure(
            "ND",
            "BQL-ND",
            "biz_industrial_output",
            "2021-01",
            "plan",
            "year",
            "VND_BN",
            D(25940),
            D(25940),
            (68,),
        ),
        ExpectedFigure(
            "ND",
            "BQL-ND",
            "biz_export",
            "2021-01",
            "plan",
            "year",
            "USD_MN",
            D(1000),
            D(1000),
            (71,),
        ),
        # Hà Nam, 2021 (rows 76-86).
        ExpectedFigure(
            "HNA",
            "BQL-HNA",
            "inv_new_projects",
            "2021-12",
            "actual",
            "ytd",
            "PROJECT",
            D(35),
            D(35),
            (76,),
        ),
        ExpectedFigure(
            "HNA",
            "BQL-HNA",
            "inv_new_projects_fdi",
            "2021-12",
            "actual",
            "ytd",
            "PROJECT",
            D(20),
            D(20),
            (77,),
        ),
        ExpectedFigure(
            "HNA",
            "BQL-HNA",
            "inv_new_projects_ddi",
            "2021-12",
            "actual",
            "ytd",
            "PROJECT",
            D(15),
            D(15),
            (78,),
        ),
        *(
            ExpectedFigure(
                "HNA",
                "BQL-HNA",
                metric,
                "2021-12",
                "actual",
                "ytd",
                unit,
                value,
                None,
                (row,),
                f"part of {total} {unit} (new + added capital)",
            )
            for metric, unit, value, total, row in (
                (
                    "inv_new_capital",
                    "USD_MN",
                    cal.HNA_2021_NEW_CAPITAL_USD,
                    cal.HNA_2021_TOTAL_CAPITAL_USD,
                    80,
                ),
                (
                    "inv_added_capital",
                    "USD_MN",
                    cal.HNA_2021_ADDED_CAPITAL_USD,
                    cal.HNA_2021_TOTAL_CAPITAL_USD,
                    80,
                ),
                (
                    "inv_new_capital",
                    "VND_BN",
                    cal.HNA_2021_NEW_CAPITAL_VND,
                    cal.HNA_2021_TOTAL_CAPITAL_VND,
                    81,
                ),
                (
                    "inv_added_capital",
                    "VND_BN",
                    cal.HNA_2021_ADDED_CAPITAL_VND,
                    cal.HNA_2021_TOTAL_CAPITAL_VND,
                    81,
                ),
            )
        ),
        ExpectedFigure(
            "HNA",
            "BQL-HNA",
            "biz_industrial_output",
            "2021-12",
            "estimate",
            "ytd",
            "VND_BN",
            D(129000),
            D(129000),
            (83,),
            "ước, reported 28/12/2021",
        ),
        ExpectedFigure(
            "HNA",
            "BQL-HNA",
            "biz_state_budget",
            "2021-12",
            "estimate",
            "ytd",
            "VND_BN",
            D(5790),
            D(5790),
            (86,),
            "ước, reported 28/12/2021",
        ),
    ]
    return figures


def _ytd(
    province: str, period: str, inv: cal.Investment, published: tuple, rows: tuple[int, ...]
) -> list[ExpectedFigure]:
    submitter = f"BQL-{province}"
    values = (
        ("inv_new_projects", "PROJECT", Decimal(inv.new_projects)),
        ("inv_new_capital", "USD_MN", inv.new_usd),
        ("inv_new_capital", "VND_BN", inv.new_vnd),
        ("inv_expansion_projects", "PROJECT", Decimal(inv.expansion_projects)),
        ("inv_added_capital", "USD_MN", inv.added_usd),
        ("inv_added_capital", "VND_BN", inv.added_vnd),
    )
    return [
        ExpectedFigure(
            province,
            submitter,
            metric,
            period,
            "actual",
            "ytd",
            unit,
            value,
            Decimal(str(pub)),
            (row,),
        )
        for (metric, unit, value), pub, row in zip(values, published, rows, strict=True)
    ]
