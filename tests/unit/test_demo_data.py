"""The demo generator: folder layout, contract formats, calibration to the published figures,
faults and their corrections, determinism.

The checks read the generated CSV files back with the csv module and a small contract checker
written here from the contract text, independent of the generator and of the validator.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from stdnum.vn import mst

import kcn
from kcn.contract import ENTERPRISE_COLUMNS, INDICATOR_COLUMNS
from kcn.demo.data import (
    DemoManifest,
    apply_corrections,
    expected_figures,
    generate,
)

D = Decimal
START, END = "2020-01", "2022-06"
BOARDS = {"BQL-HN", "BQL-ND", "BQL-HNA"}
DISTRICTS = {
    "UBND-HN-LONGBIEN",
    "UBND-HN-BACTULIEM",
    "UBND-HN-DONGANH",
    "UBND-HN-CHUONGMY",
    "UBND-HN-SOCSON",
    "UBND-HN-MELINH",
    "UBND-HN-THACHTHAT",
    "UBND-HN-QUOCOAI",
    "UBND-HN-PHUXUYEN",
}
INDICATOR_HEADER = list(INDICATOR_COLUMNS)
ENTERPRISE_HEADER = list(ENTERPRISE_COLUMNS)


# --- Reading back ------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def months(start: str, end: str) -> list[str]:
    out, (y, m) = [], map(int, start.split("-"))
    while f"{y:04d}-{m:02d}" <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def digest(landing: Path) -> dict[str, str]:
    return {
        str(p.relative_to(landing)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(landing.rglob("*.csv"))
    }


class Landing:
    """The indicators of a landing area, with the sums the calibration is stated in."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.rows = {
            (f.parent.parent.name, f.parent.name): read_csv(f)
            for f in root.glob("*/*/indicators.csv")
        }

    def all_zones(
        self, period: str, submitter: str, metric: str, unit: str, basis: str
    ) -> dict[str, str]:
        [row] = [
            r
            for r in self.rows[(period, submitter)]
            if r["zone_code"] == ""
            and r["metric_code"] == metric
            and r["unit"] == unit
            and r["period_basis"] == basis
        ]
        return row

    def zone_sum(self, submitter: str, metric: str, unit: str, periods: list[str]) -> Decimal:
        return sum(
            (
                D(r["value"])
                for p in periods
                for r in self.rows[(p, submitter)]
                if r["zone_code"]
                and not r["enterprise_tax_code"]
                and r["metric_code"] == metric
                and r["unit"] == unit
            ),
            D(0),
        )

    def zone_months(self, submitter: str, metric: str, unit: str, period: str) -> Decimal:
        """Sum of the zone rows from January to the period: what a ytd figure should equal."""
        return self.zone_sum(submitter, metric, unit, months(period[:4] + "-01", period))


# --- A small contract checker (contract sections 1, 3, 4) ---------------------------------------

REFERENCE = Path(kcn.__file__).parent / "reference"
METRICS = {r["metric_code"]: r for r in read_csv(REFERENCE / "metrics.csv")}
UNITS = {r["unit_code"]: r for r in read_csv(REFERENCE / "units.csv")}
SUBMITTERS = {r["submitter_code"]: r for r in read_csv(REFERENCE / "submitters.csv")}
ZONE_PROVINCES = read_csv(REFERENCE / "zone_provinces.csv")
ZONE_DISTRICTS = read_csv(REFERENCE / "zone_districts.csv")
BASES = {
    ("F", "actual"): {"month", "ytd"},
    ("F", "estimate"): {"month", "ytd"},
    ("F", "plan"): {"year"},
    ("S", "actual"): {"eom"},
    ("S", "estimate"): {"eom"},
    ("S", "plan"): {"year"},
    ("R", "actual"): {"month", "ytd"},
    ("R", "estimate"): {"month", "ytd"},
    ("R", "plan"): {"year"},
}
COUNTS = {"PROJECT", "ENTERPRISE", "PERSON", "CASE"}
PARTS = (
    ("lab_workers_female", "lab_workers"),
    ("lab_workers_foreign", "lab_workers"),
    ("lnd_leased_area", "lnd_industrial_area"),
    ("lnd_industrial_area", "lnd_total_area"),
)


def valid(row: dict[str, str], period: str) -> bool:
    day = period + "-01"
    return row["valid_from"] <= day and (not row["valid_to"] or day <= row["valid_to"])


def jurisdiction(submitter: str, period: str) -> set[str]:
    if SUBMITTERS[submitter]["submitter_type"] == "district":
        return {
            r["zone_code"]
            for r in ZONE_DISTRICTS
            if r["submitter_code"] == submitter and valid(r, period)
        }
    province = SUBMITTERS[submitter]["province_code"]
    return {
        r["zone_code"]
        for r in ZONE_PROVINCES
        if r["province_code"] == province and valid(r, period)
    }


def contract_errors(folder: Path) -> set[tuple[str, int]]:
    """(rule_id, row) of every error the contract defines that this folder commits."""
    period, submitter = folder.parent.name, folder.name
    kind_of_submitter = SUBMITTERS[submitter]["submitter_type"]
    zones = jurisdiction(submitter, period)
    errors: set[tuple[str, int]] = set()
    listed: set[str] = set()
    if (folder / "enterprises.csv").exists():
        for n, e in enumerate(read_csv(folder / "enterprises.csv"), start=2):
            listed.add(e["tax_code"])
            if not mst.is_valid(e["tax_code"]):
                errors.add(("E_TAX_CODE", n))
            if e["zone_code"] not in zones:
                errors.add(("E_ZONE_NOT_IN_JURISDICTION", n))
            if (
                (e["ownership"], e["investor_country"] == "VN")
                not in (("FDI", False), ("DDI", True))
                or not re.fullmatch(r"[A-Z]{2}", e["investor_country"])
                or e["status"] not in ("operating", "construction", "suspended", "closed")
                or not re.fullmatch(r"[A-U]|\d{2,5}", e["vsic_code"])
            ):
                errors.add(("E_BAD_REFERENCE", n))
    seen: set[tuple[str, ...]] = set()
    values: dict[tuple[str, ...], tuple[Decimal, int]] = {}
    for n, r in enumerate(read_csv(folder / "indicators.csv"), start=2):
        if r["submitter_code"] != submitter:
            errors.add(("E_SUBMITTER_MISMATCH", n))
        if r["period"] != period:
            errors.add(("E_PERIOD_MISMATCH", n))
        zone, tax, code = r["zone_code"], r["enterprise_tax_code"], r["metric_code"]
        if zone and zone not in zones:
            errors.add(("E_ZONE_NOT_IN_JURISDICTION", n))
        if tax and (not mst.is_valid(tax)):
            errors.add(("E_TAX_CODE", n))
        if tax and tax not in listed:
            errors.add(("E_UNKNOWN_ENTERPRISE", n))
        metric, unit = METRICS.get(code), UNITS.get(r["unit"])
        if metric is None:
            errors.add(("E_UNKNOWN_METRIC", n))
            continue
        if (
            metric[f"by_{kind_of_submitter}"] != "true"
            or (tax and metric["level"] != "E")
            or (tax and not zone)
        ):
            errors.add(("E_METRIC_NOT_ALLOWED", n))
        if r["period_basis"] not in BASES.get((metric["kind"], r["value_kind"]), set()):
            errors.add(("E_BASIS", n))
        if unit is None or unit["family"] != metric["unit_family"]:
            errors.add(("E_UNIT", n))
        if not re.fullmatch(r"-?\d+(\.\d+)?", r["value"]):
            errors.add(("E_BAD_NUMBER", n))
            continue
        value = D(r["value"])
        if value < 0:
            errors.add(("E_NEGATIVE", n))
        if metric["unit_family"] in COUNTS and value != value.to_integral_value():
            errors.add(("E_NOT_INTEGER", n))
        key = (
            zone,
            tax,
            code,
            r["value_kind"],
            r["period_basis"],
            (unit or {}).get("currency") or r["unit"],
        )
        if key in seen:
            errors.add(("E_DUPLICATE_KEY", n))
        seen.add(key)
        values[(zone, tax, r["value_kind"], r["period_basis"], code)] = (value, n)
    for (zone, tax, kind, basis, code), (value, n) in values.items():
        for part, whole in PARTS:
            other = values.get((zone, tax, kind, basis, whole))
            if code == part and other and value > other[0]:
                errors.add(("E_PART_EXCEEDS_WHOLE", n))
    return errors


# VND per USD of seeds/exchange_rates.csv, restated: the rates the published converted totals
# imply (2021-01..11: 23,300) and the demo's approximate ones (2020: 23,200; 2021-12: 23,100;
# 2022-06: 23,200).
RATE_2020, RATE_2021_11, RATE_2021_12, RATE_2022_06 = (D(23200), D(23300), D(23100), D(23200))


def converted(rows: dict[tuple[str, str], dict[str, str]], vnd_per_usd: Decimal) -> Decimal:
    """Tổng vốn quy đổi: new + added registered capital, VND_BN converted into USD_MN."""
    total = D(0)
    for metric in ("inv_new_capital", "inv_added_capital"):
        total += D(rows[(metric, "USD_MN")]["value"])
        total += D(rows[(metric, "VND_BN")]["value"]) * 1000 / vnd_per_usd
    return total.quantize(D("0.01"))


# --- Fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def first_round(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoManifest]:
    landing = tmp_path_factory.mktemp("first") / "landing"
    return landing, generate(landing, START, END)


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Landing, list[Path]]:
    landing = tmp_path_factory.mktemp("corrected") / "landing"
    manifest = generate(landing, START, END)
    before = digest(landing)
    changed = apply_corrections(landing, manifest)
    after = digest(landing)
    rewritten = {k for k in after if after[k] != before[k]}
    assert rewritten == {f"{m}/{s}/indicators.csv" for m, s in manifest.corrected}
    return Landing(landing), changed


# --- Layout and formats ------------------------------------------------------------------------


def test_one_folder_per_valid_submitter_and_month(first_round):
    landing, manifest = first_round

    assert list(manifest.months) == months(START, END)
    for month in months(START, END):
        folders = {p.name for p in (landing / month).iterdir()}
        assert folders == BOARDS | DISTRICTS
        assert set(manifest.submitters_of(month)) == folders
        for name in folders:
            files = sorted(p.name for p in (landing / month / name).iterdir())
            expected = (
                ["enterprises.csv", "indicators.csv"] if name in BOARDS else ["indicators.csv"]
            )
            assert files == expected


def test_files_have_the_contract_columns_and_small_sizes(first_round):
    landing, _ = first_round
    for path in landing.rglob("*.csv"):
        text = path.read_bytes().decode("utf-8")
        header, *rows = list(csv.reader(text.splitlines()))
        expected = INDICATOR_HEADER if path.name == "indicators.csv" else ENTERPRISE_HEADER
        assert header == expected
        assert 0 < len(rows) <= 500
        assert all(len(row) == len(header) for row in rows)


def test_corrected_data_break_no_contract_rule(corrected):
    landing, _ = corrected
    for folder in sorted({p.parent for p in landing.root.glob("*/*/indicators.csv")}):
        assert contract_errors(folder) == set(), folder


def test_values_are_in_machine_form(corrected):
    landing, _ = corrected
    for rows in landing.rows.values():
        for r in rows:
            assert re.fullmatch(r"\d+(\.\d{1,3})?", r["value"]), r


def test_districts_send_only_their_metrics_per_linked_zone(corrected):
    landing, _ = corrected
    rows = landing.rows[("2021-05", "UBND-HN-THACHTHAT")]

    assert {r["zone_code"] for r in rows} == {"KCN-HN-THACHTHATQUOCOAI"}
    assert {r["metric_code"] for r in rows} == {
        "lab_work_stoppages",
        "env_violations",
        "saf_fire_incidents",
        "saf_labour_accidents",
        "saf_labour_accident_deaths",
        "dst_land_cleared",
        "dst_inspections",
        "dst_security_incidents",
    }
    assert {r["period_basis"] for r in rows} == {"month"}


# --- Calibration: published figures --------------------------------------------------------------

# (submitter, period, metric, unit, value): seed_facts.csv rows, restated here on purpose.
ZONE_MONTH_TOTALS = [
    # Hà Nội 2021 full year, rows 1-6
    ("BQL-HN", "2021-12", "inv_new_projects", "PROJECT", D("7")),
    ("BQL-HN", "2021-12", "inv_new_capital", "USD_MN", D("26.9")),
    ("BQL-HN", "2021-12", "inv_new_capital", "VND_BN", D("315")),
    ("BQL-HN", "2021-12", "inv_expansion_projects", "PROJECT", D("23")),
    ("BQL-HN", "2021-12", "inv_added_capital", "USD_MN", D("109")),
    ("BQL-HN", "2021-12", "inv_added_capital", "VND_BN", D("2039")),
    # Hà Nội, 5 months of 2022, rows 43-48
    ("BQL-HN", "2022-05", "inv_new_projects", "PROJECT", D("4")),
    ("BQL-HN", "2022-05", "inv_new_capital", "USD_MN", D("1")),
    ("BQL-HN", "2022-05", "inv_new_capital", "VND_BN", D("450")),
    ("BQL-HN", "2022-05", "inv_expansion_projects", "PROJECT", D("12")),
    ("BQL-HN", "2022-05", "inv_added_capital", "USD_MN", D("60")),
    ("BQL-HN", "2022-05", "inv_added_capital", "VND_BN", D("30")),
    # Hà Nội H1 2022, rows 53-54
    ("BQL-HN", "2022-06", "biz_revenue", "USD_MN", D("4869")),
    ("BQL-HN", "2022-06", "biz_state_budget", "USD_MN", D("238.5")),
    # Nam Định H1 2021, rows 66, 69, 72
    ("BQL-ND", "2021-06", "biz_industrial_output", "VND_BN", D("12000")),
    ("BQL-ND", "2021-06", "biz_export", "USD_MN", D("450")),
    ("BQL-ND", "2021-06", "biz_state_budget", "VND_BN", D("200")),
    # Hà Nam 2021, rows 76-78, 83, 86
    ("BQL-HNA", "2021-12", "inv_new_projects", "PROJECT", D("35")),
    ("BQL-HNA", "2021-12", "inv_new_projects_fdi", "PROJECT", D("20")),
    ("BQL-HNA", "2021-12", "inv_new_projects_ddi", "PROJECT", D("15")),
    ("BQL-HNA", "2021-12", "biz_industrial_output", "VND_BN", D("129000")),
    ("BQL-HNA", "2021-12", "biz_state_budget", "VND_BN", D("5790")),
]


@pytest.mark.parametrize(("submitter", "period", "metric", "unit", "expected"), ZONE_MONTH_TOTALS)
def test_zone_months_add_up_to_the_published_figure(
    corrected, submitter, period, metric, unit, expected
):
    landing, _ = corrected

    result = landing.zone_months(submitter, metric, unit, period)
    ytd = landing.all_zones(period, submitter, metric, unit, "ytd")

    assert result == expected
    assert D(ytd["value"]) == expected


def test_ha_nam_capital_new_plus_added_is_the_published_total(corrected):
    landing, _ = corrected
    for unit, total in (("USD_MN", D("536.958")), ("VND_BN", D("9405.326"))):  # rows 80, 81
        result = sum(
            D(landing.all_zones("2021-12", "BQL-HNA", metric, unit, "ytd")["value"])
            for metric in ("inv_new_capital", "inv_added_capital")
        )
        assert result == total
        assert (
            landing.zone_months("BQL-HNA", "inv_new_capital", unit, "2021-12")
            + landing.zone_months("BQL-HNA", "inv_added_capital", unit, "2021-12")
            == total
        )


def test_ha_noi_11_month_figures_are_revised_down_at_year_end(corrected):
    """Rows 15-20 vs 1-6: the Dec ytd is below the Nov ytd (a W_YTD_DECREASE, not an error)."""
    landing, _ = corrected
    published_11m = {
        ("inv_new_projects", "PROJECT"): D("7"),
        ("inv_new_capital", "USD_MN"): D("26.9"),
        ("inv_new_capital", "VND_BN"): D("315"),
        ("inv_expansion_projects", "PROJECT"): D("26"),
        ("inv_added_capital", "USD_MN"): D("147"),
        ("inv_added_capital", "VND_BN"): D("2039"),
    }
    for (metric, unit), expected in published_11m.items():
        row = landing.all_zones("2021-11", "BQL-HN", metric, unit, "ytd")
        assert (row["value_kind"], D(row["value"])) == ("actual", expected)
    for metric, unit in (("inv_expansion_projects", "PROJECT"), ("inv_added_capital", "USD_MN")):
        november = D(landing.all_zones("2021-11", "BQL-HN", metric, unit, "ytd")["value"])
        december = D(landing.all_zones("2021-12", "BQL-HN", metric, unit, "ytd")["value"])
        assert december < november


def test_every_other_ytd_row_is_the_sum_of_its_zone_months(corrected):
    landing, _ = corrected
    revised = {
        ("2021-11", "BQL-HN", "inv_expansion_projects"),
        ("2021-11", "BQL-HN", "inv_added_capital"),
    }
    checked = 0
    for (period, submitter), rows in landing.rows.items():
        for r in rows:
            if r["zone_code"] or r["period_basis"] != "ytd" or r["metric_code"] == "lab_avg_income":
                continue
            if (period, submitter, r["metric_code"]) in revised and r["unit"] != "VND_BN":
                continue
            zone_total = landing.zone_months(submitter, r["metric_code"], r["unit"], period)
            assert D(r["value"]) == zone_total, (period, submitter, r)
            checked += 1
    assert checked == len(months(START, END)) * len(BOARDS) * 15 - len(revised)


def test_stocks_and_income_match_the_published_levels(corrected):
    landing, _ = corrected

    def all_zones(period: str, submitter: str, metric: str, unit: str, basis: str = "eom"):
        return D(landing.all_zones(period, submitter, metric, unit, basis)["value"])

    # Hà Nội: "gần 165.000" workers (rows 10, 14), 701 enterprises (row 9)
    for period in ("2021-11", "2021-12", "2022-01", "2022-02"):
        workers = all_zones(period, "BQL-HN", "lab_workers", "PERSON")
        assert D("163350") <= workers <= D("165000")
        assert workers == landing.zone_sum("BQL-HN", "lab_workers", "PERSON", [period])
    assert all_zones("2022-01", "BQL-HN", "ent_operating", "ENTERPRISE") == 701
    # Nam Định at 30/06/2021: 150 enterprises, 45,000 workers, 6.3 million VND (rows 65, 73, 74)
    assert landing.zone_sum("BQL-ND", "ent_operating", "ENTERPRISE", ["2021-06"]) == 150
    assert landing.zone_sum("BQL-ND", "lab_workers", "PERSON", ["2021-06"]) == 45000
    assert all_zones("2021-06", "BQL-ND", "lab_avg_income", "VND_MN_PER_PERSON_MONTH", "ytd") == D(
        "6.3"
    )
    weighted = sum(
        D(w["value"]) * D(i["value"])
        for p in months("2021-01", "2021-06")
        for w in landing.rows[(p, "BQL-ND")]
        for i in landing.rows[(p, "BQL-ND")]
        if w["zone_code"]
        and not w["enterprise_tax_code"]
        and w["metric_code"] == "lab_workers"
        and i["zone_code"] == w["zone_code"]
        and not i["enterprise_tax_code"]
        and i["metric_code"] == "lab_avg_income"
    )
    workers = landing.zone_sum("BQL-ND", "lab_workers", "PERSON", months("2021-01", "2021-06"))
    assert (weighted / workers).quantize(D("0.01")) == D("6.30")


def test_plans_are_sent_in_january(corrected):
    landing, _ = corrected
    plans = {
        (p, s, r["metric_code"], r["unit"]): D(r["value"])
        for (p, s), rows in landing.rows.items()
        for r in rows
        if r["value_kind"] == "plan"
    }

    assert plans[("2021-01", "BQL-ND", "biz_industrial_output", "VND_BN")] == 25940  # row 68
    assert plans[("2021-01", "BQL-ND", "biz_export", "USD_MN")] == 1000  # row 71
    assert plans[("2022-01", "BQL-HN", "biz_revenue", "USD_MN")] == 8200  # row 58
    assert plans[("2022-01", "BQL-HN", "biz_state_budget", "USD_MN")] == D("229.4")  # row 59
    assert {p for p, *_ in plans} == {"2020-01", "2021-01", "2022-01"}


def test_currencies_follow_each_province(corrected):
    landing, _ = corrected
    units = defaultdict(set)
    for (_, submitter), rows in landing.rows.items():
        for r in rows:
            units[(submitter, r["metric_code"])].add(r["unit"])

    assert units[("BQL-HN", "biz_revenue")] == {"USD_MN"}
    assert units[("BQL-HN", "biz_state_budget")] == {"USD_MN"}
    assert units[("BQL-ND", "biz_revenue")] == {"VND_BN"}
    assert units[("BQL-HNA", "biz_state_budget")] == {"VND_BN"}
    assert units[("BQL-HNA", "biz_export")] == {"USD_MN"}
    assert units[("BQL-HN", "inv_new_capital")] == {"USD_MN", "VND_BN"}


def test_expected_figures_are_in_the_corrected_data(corrected):
    landing, _ = corrected
    figures = expected_figures()

    assert len(
        {
            (f.submitter_code, f.period, f.metric_code, f.value_kind, f.period_basis, f.unit)
            for f in figures
        }
    ) == len(figures)
    for f in figures:
        [row] = [
            r
            for r in landing.rows[(f.period, f.submitter_code)]
            if r["zone_code"] == ""
            and r["metric_code"] == f.metric_code
            and r["unit"] == f.unit
            and r["value_kind"] == f.value_kind
            and r["period_basis"] == f.period_basis
        ]
        assert D(row["value"]) == f.value, f
        if f.published is not None:
            assert abs(f.value - f.published) <= f.published * D("0.015"), f


# --- Internal consistency ----------------------------------------------------------------------


def test_totals_parts_and_zone_sums_are_consistent(corrected):
    landing, _ = corrected
    for (period, submitter), rows in landing.rows.items():
        by_key = {
            (
                r["zone_code"],
                r["enterprise_tax_code"],
                r["metric_code"],
                r["unit"],
                r["value_kind"],
                r["period_basis"],
            ): D(r["value"])
            for r in rows
        }
        for (zone, tax, metric, unit, kind, basis), value in by_key.items():
            for total in ("inv_new_projects", "ent_operating"):
                if metric == total:
                    fdi = by_key[(zone, tax, total + "_fdi", unit, kind, basis)]
                    ddi = by_key[(zone, tax, total + "_ddi", unit, kind, basis)]
                    assert fdi + ddi == value, (period, submitter, zone, metric)
            if basis == "eom" and not zone and metric.startswith(("ent_", "lab_")):
                assert value == landing.zone_sum(submitter, metric, unit, [period])
        for zone in {r["zone_code"] for r in rows if r["zone_code"]}:
            for metric in ("lab_workers", "lab_workers_female", "biz_revenue"):
                parts = [
                    D(r["value"])
                    for r in rows
                    if r["zone_code"] == zone
                    and r["enterprise_tax_code"]
                    and r["metric_code"] == metric
                ]
                whole = [
                    D(r["value"])
                    for r in rows
                    if r["zone_code"] == zone
                    and not r["enterprise_tax_code"]
                    and r["metric_code"] == metric
                ]
                if parts:
                    assert sum(parts) <= whole[0], (period, submitter, zone, metric)


def test_output_dips_at_tet(corrected):
    landing, _ = corrected
    for submitter in BOARDS:
        for year in ("2021", "2022"):
            by_month = {
                m: landing.zone_sum(submitter, "biz_industrial_output", "VND_BN", [m])
                for m in months(f"{year}-01", f"{year}-06")
            }
            spring = (
                by_month[f"{year}-03"]
                + by_month[f"{year}-04"]
                + by_month[f"{year}-05"]
                + by_month[f"{year}-06"]
            ) / 4
            assert by_month[f"{year}-02"] < by_month[f"{year}-01"] < spring
            assert by_month[f"{year}-02"] < D("0.8") * spring


def test_tax_codes_are_valid_and_enterprise_rows_refer_to_listed_enterprises(corrected):
    landing, _ = corrected
    listed: dict[str, dict[str, str]] = {}
    for path in landing.root.glob("*/*/enterprises.csv"):
        for e in read_csv(path):
            listed[e["tax_code"]] = e
            assert mst.is_valid(e["tax_code"]), e
            assert (
                e["tax_code"][:2]
                == {"BQL-HN": "01", "BQL-ND": "36", "BQL-HNA": "35"}[path.parent.name]
            )
    assert 150 <= len(listed) <= 400
    assert {e["investor_country"] for e in listed.values() if e["ownership"] == "FDI"} >= {
        "KR",
        "JP",
        "CN",
        "TW",
        "SG",
    }
    enterprise_rows = [
        r for rows in landing.rows.values() for r in rows if r["enterprise_tax_code"]
    ]
    assert enterprise_rows
    for r in enterprise_rows:
        assert listed[r["enterprise_tax_code"]]["zone_code"] == r["zone_code"]
        assert METRICS[r["metric_code"]]["level"] == "E"


# --- Faults and corrections ---------------------------------------------------------------------


def test_first_round_has_one_fault_per_planned_folder(first_round):
    landing, manifest = first_round
    faulty = {(f.period, f.submitter_code): f for f in manifest.faults}

    assert sorted(f.rule_id for f in manifest.faults) == sorted(
        [
            "E_UNKNOWN_METRIC",
            "E_BAD_NUMBER",
            "E_ZONE_NOT_IN_JURISDICTION",
            "E_PERIOD_MISMATCH",
            "E_NEGATIVE",
            "E_DUPLICATE_KEY",
        ]
    )
    for folder in sorted({p.parent for p in landing.glob("*/*/indicators.csv")}):
        fault = faulty.get((folder.parent.name, folder.name))
        expected = {(fault.rule_id, fault.row)} if fault else set()
        assert contract_errors(folder) == expected, folder


def test_first_round_sends_11_month_estimates_that_the_correction_makes_actual(
    first_round, corrected
):
    landing, manifest = first_round
    first = [
        r
        for r in read_csv(landing / "2021-11" / "BQL-ND" / "indicators.csv")
        if r["period_basis"] == "ytd"
    ]
    final = [r for r in corrected[0].rows[("2021-11", "BQL-ND")] if r["period_basis"] == "ytd"]

    assert [(r.period, r.submitter_code, r.received_on) for r in manifest.revisions] == [
        ("2021-11", "BQL-ND", "2021-11-26"),
        ("2022-06", "BQL-HN", "2022-06-01"),
    ]
    assert {r["value_kind"] for r in first} == {"estimate"}
    assert {r["value_kind"] for r in final} == {"actual"}
    assert len(first) == len(final) == 16
    for estimate, actual in zip(first, final, strict=True):
        assert (estimate["metric_code"], estimate["unit"]) == (
            actual["metric_code"],
            actual["unit"],
        )
        if estimate["metric_code"].startswith(("inv_new", "inv_exp", "inv_added")):
            assert estimate["value"] == actual["value"]
        else:
            assert abs(D(estimate["value"]) - D(actual["value"])) <= D(actual["value"]) / 100


def test_hanoi_h1_2022_forecast_is_sent_on_26_may_then_revised(first_round, corrected):
    """Row 50: "dự kiến" about 100 million USD of converted registered capital in H1 2022,
    stated on 26/05/2022; rows 53-54: revenue 4,869 and budget 238.5 USD_MN, estimates."""
    landing, manifest = first_round
    first = {
        (r["metric_code"], r["unit"]): r
        for r in read_csv(landing / "2022-06" / "BQL-HN" / "indicators.csv")
        if r["period_basis"] == "ytd" and not r["zone_code"]
    }
    final = {
        (r["metric_code"], r["unit"]): r
        for r in corrected[0].rows[("2022-06", "BQL-HN")]
        if r["period_basis"] == "ytd" and not r["zone_code"]
    }

    assert ("2022-06", "BQL-HN", "2022-06-01") in {
        (r.period, r.submitter_code, r.received_on) for r in manifest.revisions
    }
    assert {r["value_kind"] for r in first.values()} == {"estimate"}
    assert {r["value_kind"] for r in final.values()} == {"actual"}
    assert converted(first, RATE_2022_06) == D("99.97")  # "khoảng 100 triệu USD"
    assert converted(final, RATE_2022_06) == D("94.16")  # the actual, revised down
    for metric, value in (("biz_revenue", D("4869")), ("biz_state_budget", D("238.5"))):
        assert D(first[(metric, "USD_MN")]["value"]) == value
        assert D(final[(metric, "USD_MN")]["value"]) == value


def test_2020_gives_the_growth_the_articles_publish(corrected):
    """Rows 23, 84, 87: growth on the same period of 2020; row 52: H1 2022's forecast of 100
    is 45 % of H1 2021."""
    landing, _ = corrected

    def ytd(period: str, submitter: str) -> dict[tuple[str, str], dict[str, str]]:
        return {
            (r["metric_code"], r["unit"]): r
            for r in landing.rows[(period, submitter)]
            if r["period_basis"] == "ytd" and not r["zone_code"]
        }

    def growth(now: Decimal, before: Decimal, places: str) -> Decimal:
        return ((now / before - 1) * 100).quantize(D(places))

    hn_11m_2021 = converted(ytd("2021-11", "BQL-HN"), RATE_2021_11)
    hn_11m_2020 = converted(ytd("2020-11", "BQL-HN"), RATE_2020)
    assert hn_11m_2021 == D("274.93")  # "275 triệu USD quy đổi", row 21
    assert growth(hn_11m_2021, hn_11m_2020, "1") == 130  # "gấp 2,3 lần", row 23
    assert (D(100) / converted(ytd("2021-06", "BQL-HN"), RATE_2021_11) * 100).quantize(
        D("1")
    ) == 45  # "bằng 45% so với cùng kỳ năm 2021", row 52
    hna_2021, hna_2020 = ytd("2021-12", "BQL-HNA"), ytd("2020-12", "BQL-HNA")
    for metric, expected in (("biz_industrial_output", "22.9"), ("biz_state_budget", "34.6")):
        now = D(hna_2021[(metric, "VND_BN")]["value"])
        before = D(hna_2020[(metric, "VND_BN")]["value"])
        assert growth(now, before, "0.1") == D(expected), metric


def test_implied_plans_give_the_published_percentages(corrected):
    """Rows 22, 82, 85: percentages of plans the articles do not state."""
    landing, _ = corrected

    def plans(submitter: str) -> dict[tuple[str, str], dict[str, str]]:
        return {
            (r["metric_code"], r["unit"]): r
            for r in landing.rows[("2021-01", submitter)]
            if r["value_kind"] == "plan"
        }

    hn_plan = converted(plans("BQL-HN"), RATE_2021_11)
    hna_plan = converted(plans("BQL-HNA"), RATE_2021_12)
    hna_capital = D("536.958") + D("9405.326") * 1000 / RATE_2021_12  # rows 80-81
    hna_output_plan = D(plans("BQL-HNA")[("biz_industrial_output", "VND_BN")]["value"])

    assert (D("274.93") / hn_plan * 100).quantize(D("1")) == 92  # row 22
    assert (hna_capital / hna_plan * 100).quantize(D("1")) == 181  # row 82
    assert (D(129000) / hna_output_plan * 100).quantize(D("0.1")) == D("107.7")  # row 85


def test_reports_the_articles_date_arrive_on_that_day(first_round):
    """A version's received time is its files' newest: the demo stamps these folders so."""
    _, manifest = first_round

    assert manifest.received_early == (
        ("2021-11", "BQL-HN", "2021-11-26"),  # rows 15-23, reported 26/11/2021
        ("2021-11", "BQL-ND", "2021-11-26"),  # its 11-month estimates
        ("2021-12", "BQL-HNA", "2021-12-28"),  # rows 76-88, reported 28/12/2021
        ("2022-05", "BQL-HN", "2022-05-26"),  # rows 43-49, reported 26/05/2022
        (
            "2022-06",
            "BQL-HN",
            "2022-06-01",
        ),  # rows 50-54, the H1 forecast, from the first day of June
    )


def test_hanoi_11_month_figures_are_actual_from_the_first_round(first_round):
    """So that the lower full-year figures of 2021-12 meet them (W_YTD_DECREASE)."""
    landing, _ = first_round
    rows = [
        r
        for r in read_csv(landing / "2021-11" / "BQL-HN" / "indicators.csv")
        if r["period_basis"] == "ytd"
    ]

    assert {r["value_kind"] for r in rows} == {"actual"}


def test_corrections_rewrite_exactly_the_faulty_and_revised_folders(first_round, corrected):
    _, manifest = first_round
    _, changed = corrected

    result = sorted((p.parent.name, p.name) for p in changed)
    expected = sorted(
        {(f.period, f.submitter_code) for f in manifest.faults}
        | {(r.period, r.submitter_code) for r in manifest.revisions}
    )

    assert result == expected == sorted(manifest.corrected)
    assert ("2021-11", "BQL-ND") in result


def test_without_faults_only_the_revision_remains(tmp_path):
    manifest = generate(tmp_path, "2021-03", "2021-11", faults=False)

    assert manifest.faults == ()
    assert manifest.corrected == (("2021-11", "BQL-ND"),)
    for folder in sorted({p.parent for p in tmp_path.glob("*/*/indicators.csv")}):
        assert contract_errors(folder) == set(), folder


# --- Determinism and the 2025 merger ------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, first_round):
    generate(tmp_path / "a", "2022-04", "2022-05", seed=7)
    generate(tmp_path / "b", "2022-04", "2022-05", seed=7)
    generate(tmp_path / "c", "2022-04", "2022-05", seed=8)
    full, _ = first_round

    a, b, c = digest(tmp_path / "a"), digest(tmp_path / "b"), digest(tmp_path / "c")
    assert a == b
    assert a != c
    # A month's content does not depend on the range it was generated with.
    assert {k: v for k, v in digest(full).items() if k[:7] in ("2022-04", "2022-05")} == a


def test_merger_hands_nam_dinh_and_ha_nam_zones_to_ninh_binh(tmp_path):
    manifest = generate(tmp_path, "2025-05", "2025-08")
    landing = Landing(tmp_path)

    assert manifest.faults == ()
    for month in ("2025-05", "2025-06"):
        assert set(manifest.submitters_of(month)) == BOARDS | DISTRICTS
    for month in ("2025-07", "2025-08"):
        assert set(manifest.submitters_of(month)) == {"BQL-HN", "BQL-NB"}
    nb_zones = {r["zone_code"] for r in landing.rows[("2025-07", "BQL-NB")] if r["zone_code"]}
    before = {
        r["zone_code"]
        for s in ("BQL-ND", "BQL-HNA")
        for r in landing.rows[("2025-06", s)]
        if r["zone_code"]
    }
    assert nb_zones == before
    assert {z.split("-")[1] for z in nb_zones} == {"ND", "HNA"}
    listed = read_csv(tmp_path / "2025-07" / "BQL-NB" / "enterprises.csv")
    assert {e["tax_code"][:2] for e in listed} == {"35", "36"}
    assert any(r["value_kind"] == "plan" for r in landing.rows[("2025-07", "BQL-NB")])
    # Lũy kế continues across the merger: NB's July ytd = June ytds of ND and HNA + July.
    for metric, unit in (("biz_industrial_output", "VND_BN"), ("inv_new_projects", "PROJECT")):
        june = sum(
            D(landing.all_zones("2025-06", s, metric, unit, "ytd")["value"])
            for s in ("BQL-ND", "BQL-HNA")
        )
        july = landing.zone_sum("BQL-NB", metric, unit, ["2025-07"])
        nb = D(landing.all_zones("2025-07", "BQL-NB", metric, unit, "ytd")["value"])
        assert nb == june + july
    for folder in sorted({p.parent for p in tmp_path.glob("*/*/indicators.csv")}):
        assert contract_errors(folder) == set(), folder
