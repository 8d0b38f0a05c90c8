"""The numbers behind the demo submissions: published figures and the choices around them.

Every figure taken from the articles' catalogue (seed_facts.csv) cites its row (`row n`). The
rest are plausible choices (marked "choice"), sized so that the demo's monthly rows add up
to the published figures. kcn.demo.data turns these into monthly zone-level rows.

Provinces here are the *origin* provinces of the zones (HN, ND, HNA): a Nam Định zone keeps
its series after 2025-07, when BQL-NB reports it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal as D

PROVINCES = ("HN", "ND", "HNA")

# Hà Nội reports revenue, budget (and here implemented capital) in USD; the others in VND
# (DOMAIN.md, "Two currencies"). Exports and imports are in USD everywhere.
LOCAL_CURRENCY = {"HN": "USD_MN", "ND": "VND_BN", "HNA": "VND_BN", "NB": "VND_BN"}

# Tax-code (MST) province prefixes, as the brief asks. (Unverified: the tax authority's own
# prefixes for Nam Định and Hà Nam may be 06 and 07; only the check digit is validated.)
MST_PREFIX = {"HN": "01", "ND": "36", "HNA": "35"}


# --- Zones ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZoneProfile:
    """Static character of a zone (choice; areas roughly those of the real zones, unverified)."""

    weight: float  # share of its province's activity (operating zones of a province sum to 1)
    fdi_share: float  # share of operating enterprises that are foreign-invested
    female_share: float  # share of workers who are women
    foreign_share: float  # share of workers who are foreigners
    income_factor: float  # average income relative to the province's
    total_ha: D
    industrial_ha: D
    leased_ha_2021_01: D
    leased_ha_per_month: D
    wwtp: tuple[tuple[str, int], ...]  # (from month, m3/day); empty: no central plant reported


ZONE_PROFILES: dict[str, ZoneProfile] = {
    "KCN-HN-NOIBAI": ZoneProfile(
        0.10,
        0.62,
        0.58,
        0.006,
        0.98,
        D("114.0"),
        D("79.5"),
        D("79.5"),
        D("0"),
        (("2000-01", 2400),),
    ),
    "KCN-HN-THANGLONG": ZoneProfile(
        0.34,
        0.93,
        0.62,
        0.011,
        1.10,
        D("274.0"),
        D("198.0"),
        D("198.0"),
        D("0"),
        (("2000-01", 12000),),
    ),
    "KCN-HN-QUANGMINH": ZoneProfile(
        0.16,
        0.48,
        0.60,
        0.005,
        0.97,
        D("344.0"),
        D("246.0"),
        D("232.4"),
        D("0.25"),
        (("2000-01", 6000), ("2023-07", 9000)),
    ),
    "KCN-HN-NAMTHANGLONG": ZoneProfile(
        0.03,
        0.55,
        0.52,
        0.006,
        1.04,
        D("30.4"),
        D("21.3"),
        D("20.9"),
        D("0.02"),
        (("2000-01", 1000),),
    ),
    "KCN-HN-SAIDONGB": ZoneProfile(
        0.05, 0.60, 0.56, 0.007, 1.02, D("41.6"), D("27.3"), D("27.3"), D("0"), (("2000-01", 2000),)
    ),
    "KCN-HN-HANOIDAITU": ZoneProfile(
        0.03,
        0.45,
        0.55,
        0.004,
        0.96,
        D("40.0"),
        D("28.4"),
        D("25.6"),
        D("0.05"),
        (("2000-01", 1500),),
    ),
    "KCN-HN-THACHTHATQUOCOAI": ZoneProfile(
        0.11,
        0.30,
        0.61,
        0.004,
        0.93,
        D("155.0"),
        D("112.0"),
        D("108.0"),
        D("0.06"),
        (("2000-01", 3000),),
    ),
    "KCN-HN-PHUNGHIA": ZoneProfile(
        0.10,
        0.35,
        0.63,
        0.004,
        0.92,
        D("170.0"),
        D("118.0"),
        D("114.5"),
        D("0.05"),
        (("2000-01", 3000),),
    ),
    "KCN-HN-NAMHANOI": ZoneProfile(
        0.08,
        0.40,
        0.57,
        0.005,
        0.95,
        D("72.0"),
        D("53.0"),
        D("41.0"),
        D("0.20"),
        (("2000-01", 2000),),
    ),
    "KCN-ND-HOAXA": ZoneProfile(
        0.55,
        0.42,
        0.64,
        0.005,
        1.02,
        D("326.9"),
        D("240.0"),
        D("236.0"),
        D("0.03"),
        (("2000-01", 7500),),
    ),
    "KCN-ND-BAOMINH": ZoneProfile(
        0.30,
        0.50,
        0.62,
        0.006,
        1.00,
        D("150.0"),
        D("108.0"),
        D("95.0"),
        D("0.15"),
        (("2000-01", 4000),),
    ),
    "KCN-ND-RANGDONG": ZoneProfile(
        0.15,
        0.55,
        0.76,
        0.008,
        0.95,
        D("600.0"),
        D("440.0"),
        D("120.0"),
        D("1.50"),
        (("2000-01", 5000), ("2024-01", 15000)),
    ),
    # Under construction: reports land only.
    "KCN-ND-MYTHUAN": ZoneProfile(
        0.0, 0.0, 0.0, 0.0, 0.0, D("150.0"), D("108.0"), D("0"), D("0.30"), ()
    ),
    "KCN-HNA-DONGVAN1": ZoneProfile(
        0.24,
        0.52,
        0.60,
        0.006,
        1.00,
        D("320.0"),
        D("231.0"),
        D("225.0"),
        D("0.05"),
        (("2000-01", 6000),),
    ),
    "KCN-HNA-DONGVAN2": ZoneProfile(
        0.28,
        0.68,
        0.63,
        0.009,
        1.06,
        D("320.0"),
        D("235.0"),
        D("228.0"),
        D("0.05"),
        (("2000-01", 8000),),
    ),
    "KCN-HNA-DONGVAN3": ZoneProfile(
        0.22,
        0.60,
        0.58,
        0.008,
        1.03,
        D("600.0"),
        D("440.0"),
        D("300.0"),
        D("1.20"),
        (("2000-01", 6000),),
    ),
    "KCN-HNA-CHAUSON": ZoneProfile(
        0.12,
        0.40,
        0.61,
        0.004,
        0.95,
        D("170.0"),
        D("126.0"),
        D("100.0"),
        D("0.30"),
        (("2000-01", 2000),),
    ),
    "KCN-HNA-THAIHA": ZoneProfile(
        0.14,
        0.58,
        0.66,
        0.006,
        0.97,
        D("250.0"),
        D("180.0"),
        D("130.0"),
        D("0.80"),
        (("2000-01", 3000),),
    ),
}


# --- Seasonality ------------------------------------------------------------------------------

# Output by month: the Tết holiday (late January or February) halts factories for a week or
# two, so January and February dip; the year ends strong (choice).
OUTPUT_SEASON = {
    1: 0.82,
    2: 0.68,
    3: 1.00,
    4: 1.02,
    5: 1.04,
    6: 1.05,
    7: 1.04,
    8: 1.06,
    9: 1.06,
    10: 1.08,
    11: 1.10,
    12: 1.16,
}
# COVID-19 slowed factories in all three provinces: the first lockdown of April 2020 and the
# wave of July-September 2021 (choice).
COVID = {2020: {3: 0.96, 4: 0.88}, 2021: {7: 0.95, 8: 0.86, 9: 0.85}}
# Licensing slows around Tết and speeds up before the year closes (choice).
INVEST_SEASON = {
    1: 0.7,
    2: 0.5,
    3: 1.0,
    4: 1.0,
    5: 1.0,
    6: 1.0,
    7: 1.0,
    8: 1.0,
    9: 1.0,
    10: 1.0,
    11: 1.0,
    12: 1.2,
}


# --- Business flows: annual totals and checkpoints ----------------------------------------------

# A flow's yearly series: (month, cumulative total at the end of that month), the last at
# month 12. Values are in the unit given with the metric in BUSINESS_UNITS.
Checkpoints = tuple[tuple[int, D], ...]

# (metric, unit); unit "local" is LOCAL_CURRENCY of the province.
BUSINESS_FLOWS = (
    ("biz_industrial_output", "VND_BN"),
    ("biz_revenue", "local"),
    ("biz_export", "USD_MN"),
    ("biz_import", "USD_MN"),
    ("biz_state_budget", "local"),
    ("inv_implemented_capital", "local"),
)

BUSINESS_2021: dict[str, dict[str, Checkpoints]] = {
    "HN": {
        "biz_industrial_output": ((12, D("188000")),),  # choice
        "biz_revenue": ((12, D("8650")),),  # choice: "tăng khá so với 2020" (row 7)
        "biz_export": ((12, D("6900")),),  # choice (row 7: grew, unquantified)
        "biz_import": ((12, D("6100")),),  # choice
        "biz_state_budget": ((12, D("420")),),  # choice (row 7: grew, unquantified)
        "inv_implemented_capital": ((12, D("310")),),  # choice
    },
    "ND": {
        # row 66: H1 2021 output 12,000 VND_BN (46.26 % of the 25,940 plan, rows 67-68)
        "biz_industrial_output": ((6, D("12000")), (12, D("25300"))),
        "biz_revenue": ((12, D("27600")),),  # choice
        "biz_export": ((6, D("450")), (12, D("985"))),  # row 69: H1 450 USD_MN
        "biz_import": ((12, D("610")),),  # choice
        "biz_state_budget": ((6, D("200")), (12, D("430"))),  # row 72: H1 200 VND_BN
        "inv_implemented_capital": ((12, D("2150")),),  # choice
    },
    "HNA": {
        "biz_industrial_output": ((12, D("129000")),),  # row 83: 2021 ≈ 129,000 VND_BN (ước)
        "biz_revenue": ((12, D("136500")),),  # choice
        "biz_export": ((12, D("3420")),),  # choice
        "biz_import": ((12, D("2950")),),  # choice
        "biz_state_budget": ((12, D("5790")),),  # row 86: 2021 ≈ 5,790 VND_BN (ước)
        "inv_implemented_capital": ((12, D("6800")),),  # choice
    },
}

# Years after 2021 grow from the year before by a seeded rate in this range, except where a
# published figure fixes a checkpoint.
BUSINESS_GROWTH = (0.04, 0.14)
BUSINESS_OVERRIDES: dict[tuple[str, int], dict[str, Checkpoints]] = {
    # Hà Nam 2020, implied by the growth the 2021 report gives (28/12/2021): output "tăng
    # 22,9%" to 129,000 (rows 83-84: 129,000 / 1.229 = 104,963.4) and budget "tăng 34,6%" to
    # 5,790 (rows 86-87: 5,790 / 1.346 = 4,301.6).
    ("HNA", 2020): {
        "biz_industrial_output": ((12, D("104963.4")),),
        "biz_state_budget": ((12, D("4301.6")),),
    },
    ("HN", 2022): {
        "biz_revenue": ((6, D("4869")), (12, D("9980"))),  # row 53: H1 2022 4,869 USD_MN
        "biz_state_budget": ((6, D("238.5")), (12, D("470"))),  # row 54: H1 2022 238.5 USD_MN
    },
}


# --- Investment: projects and registered capital ------------------------------------------------


@dataclass(frozen=True)
class Investment:
    """Cumulative investment licensed from January to a month (one province).

    Expansion projects are split into FDI and domestic only to give their capital a currency:
    FDI projects register in USD, domestic ones in VND (DOMAIN.md, "Two currencies").
    """

    new_fdi: int
    new_ddi: int
    new_usd: D
    new_vnd: D
    exp_fdi: int
    exp_ddi: int
    added_usd: D
    added_vnd: D

    @property
    def new_projects(self) -> int:
        return self.new_fdi + self.new_ddi

    @property
    def expansion_projects(self) -> int:
        return self.exp_fdi + self.exp_ddi

    def __sub__(self, earlier: Investment) -> Investment:
        """What was licensed after `earlier`, a checkpoint of the same year."""
        return Investment(
            **{f.name: getattr(self, f.name) - getattr(earlier, f.name) for f in fields(self)}
        )


# Hà Nội 2021, full year (published 17/02/2022): rows 1-6.
HN_2021_NEW_PROJECTS = 7  # row 1
HN_2021_NEW_CAPITAL_USD = D("26.9")  # row 2
HN_2021_NEW_CAPITAL_VND = D("315")  # row 3
HN_2021_EXPANSION_PROJECTS = 23  # row 4
HN_2021_ADDED_CAPITAL_USD = D("109")  # row 5
HN_2021_ADDED_CAPITAL_VND = D("2039")  # row 6
# Hà Nội, 11 months of 2021 (reported 26/11/2021): rows 15-20. New projects and both VND
# figures equal the full year's. The article prints new capital as "27 triệu USD" (row 16):
# publication rounding of 26.9, so the demo sends 26.9. Expansion projects and added USD
# capital were later revised down (26 -> 23, 147 -> 109): the demo sends the 11-month
# figures in the all-zones ytd rows of 2021-11 and the full-year ones in 2021-12.
HN_2021_11M_NEW_CAPITAL_USD_PUBLISHED = D("27")  # row 16
HN_2021_11M_EXPANSION_PROJECTS = 26  # row 18
HN_2021_11M_ADDED_CAPITAL_VND = D("2039")  # row 19
HN_2021_11M_ADDED_CAPITAL_USD = D("147")  # row 20
# Hà Nội, 5 months of 2022 (reported 26/05/2022): rows 43-48.
HN_2022_5M = Investment(
    new_fdi=1,
    new_ddi=3,  # row 43: 4 new projects (the FDI/domestic split is a choice)
    new_usd=D("1"),
    new_vnd=D("450"),  # rows 44-45
    exp_fdi=9,
    exp_ddi=3,  # row 46: 12 expansion projects (split: choice)
    added_usd=D("60"),
    added_vnd=D("30"),  # rows 47-48
)
# Hà Nam 2021 (reported 28/12/2021): rows 76-78 (35 = 20 FDI + 15 domestic) and rows 80-81
# (536.958 USD_MN and 9,405.326 VND_BN of new and added capital together). The split between
# new and added capital is a choice: USD 321.958 new + 215.000 added; VND 6,105.326 new +
# 3,300.000 added.
HNA_2021_NEW_PROJECTS_FDI = 20  # row 77
HNA_2021_NEW_PROJECTS_DDI = 15  # row 78
HNA_2021_TOTAL_CAPITAL_USD = D("536.958")  # row 80
HNA_2021_TOTAL_CAPITAL_VND = D("9405.326")  # row 81
HNA_2021_NEW_CAPITAL_USD = D("321.958")  # choice
HNA_2021_NEW_CAPITAL_VND = D("6105.326")  # choice
HNA_2021_ADDED_CAPITAL_USD = HNA_2021_TOTAL_CAPITAL_USD - HNA_2021_NEW_CAPITAL_USD
HNA_2021_ADDED_CAPITAL_VND = HNA_2021_TOTAL_CAPITAL_VND - HNA_2021_NEW_CAPITAL_VND

# Hà Nội, H1 2021: implied by row 52, where the H1 2022 forecast of 100 (row 50) is "bằng 45%
# so với cùng kỳ năm 2021": the converted H1 2021 total is about 222 (100 / 0.45 = 222.2).
# At the implied 23,300 VND/USD, 26.9 + 315/23.3 + 94.27 + 2039/23.3 = 222.20: all of 2021's
# new projects and domestic expansions were licensed by June (choice), and USD 94.27 of the
# 109 added. Later months add 3 FDI expansions.
HN_2021_H1 = Investment(
    new_fdi=4,
    new_ddi=3,
    new_usd=HN_2021_NEW_CAPITAL_USD,
    new_vnd=HN_2021_NEW_CAPITAL_VND,
    exp_fdi=14,
    exp_ddi=6,
    added_usd=D("94.27"),
    added_vnd=HN_2021_ADDED_CAPITAL_VND,
)
# Hà Nội, 11 months of 2020: implied by row 23, where the 11-month 2021 converted total
# (275 USD_MN published; 274.93 from rows 16-20 at 23,300) is "gấp 2,3 lần cùng kỳ" (2.3
# times, growth 130 %): 274.93 / 2.3 = 119.53. At the 2020 rate of 23,200: 18.5 + 260/23.2
# + 71.724 + 420/23.2 = 119.534 (the split is a choice). December 2020 adds one domestic
# project and one expansion.
HN_2020_11M = Investment(3, 2, D("18.5"), D("260"), 12, 5, D("71.724"), D("420"))
HN_2020 = Investment(3, 3, D("18.5"), D("300"), 13, 5, D("74.5"), D("420"))

HN_2021 = Investment(
    new_fdi=4,
    new_ddi=3,  # split of row 1: choice
    new_usd=HN_2021_NEW_CAPITAL_USD,
    new_vnd=HN_2021_NEW_CAPITAL_VND,
    exp_fdi=17,
    exp_ddi=6,  # split of row 4: choice
    added_usd=HN_2021_ADDED_CAPITAL_USD,
    added_vnd=HN_2021_ADDED_CAPITAL_VND,
)
assert HN_2021.new_projects == HN_2021_NEW_PROJECTS
assert HN_2021.expansion_projects == HN_2021_EXPANSION_PROJECTS

# Investment checkpoints per (province, year): (month, cumulative Investment). The last is
# month 12. Years not listed are derived from the year before (INVESTMENT_GROWTH).
INVESTMENT: dict[tuple[str, int], tuple[tuple[int, Investment], ...]] = {
    ("HN", 2020): ((11, HN_2020_11M), (12, HN_2020)),
    # Everything licensed in 2021 was licensed by the end of November (rows 1, 15): December
    # adds nothing.
    ("HN", 2021): ((6, HN_2021_H1), (11, HN_2021), (12, HN_2021)),
    ("HN", 2022): (
        (5, HN_2022_5M),
        (12, Investment(4, 6, D("48.6"), D("1320"), 21, 7, D("186.2"), D("655"))),  # choice
    ),
    ("ND", 2021): (
        (12, Investment(7, 5, D("212.5"), D("1860"), 9, 6, D("96.3"), D("725"))),  # choice
    ),
    ("HNA", 2021): (
        (
            12,
            Investment(
                new_fdi=HNA_2021_NEW_PROJECTS_FDI,
                new_ddi=HNA_2021_NEW_PROJECTS_DDI,
                new_usd=HNA_2021_NEW_CAPITAL_USD,
                new_vnd=HNA_2021_NEW_CAPITAL_VND,
                exp_fdi=36,
                exp_ddi=22,  # choice ("điều chỉnh 170 lượt dự án", row 79, counts all
                # adjustments, not only capital increases)
                added_usd=HNA_2021_ADDED_CAPITAL_USD,
                added_vnd=HNA_2021_ADDED_CAPITAL_VND,
            ),
        ),
    ),
}
INVESTMENT_COUNT_GROWTH = (0.75, 1.30)
INVESTMENT_MONEY_GROWTH = (0.75, 1.35)

# All-zones ytd rows whose published value differs from the sum of the zone months: the
# 11-month figures of Hà Nội 2021 that the full-year report revised down (rows 18, 20).
YTD_OVERRIDES: dict[tuple[str, str], dict[tuple[str, str], D]] = {
    ("BQL-HN", "2021-11"): {
        ("inv_expansion_projects", "PROJECT"): D(HN_2021_11M_EXPANSION_PROJECTS),
        ("inv_added_capital", "USD_MN"): HN_2021_11M_ADDED_CAPITAL_USD,
    },
}


# --- Stocks: province totals at anchor months, linear in between -------------------------------

ENT_OPERATING_ANCHORS: dict[str, tuple[tuple[str, int], ...]] = {
    "HN": (
        ("2020-01", 679),
        ("2021-01", 688),
        ("2022-01", 701),
        ("2022-02", 701),  # row 9: 701 on 17/02/2022
        ("2025-12", 742),
    ),
    # row 65: 150 at 30/06/2021
    "ND": (("2020-01", 141), ("2021-01", 146), ("2021-06", 150), ("2025-12", 176)),
    "HNA": (("2020-01", 304), ("2021-01", 318), ("2025-12", 392)),
}
LAB_WORKERS_ANCHORS: dict[str, tuple[tuple[str, int], ...]] = {
    # rows 10, 14: "gần 165.000" (nearly 165,000) in November 2021 and February 2022; the
    # demo sends 164,800-164,950, and a post-Tết dip in February 2022.
    "HN": (
        ("2020-01", 158900),
        ("2021-01", 161200),
        ("2021-11", 164800),
        ("2021-12", 164850),
        ("2022-01", 164900),
        ("2022-02", 164600),
        ("2025-12", 181000),
    ),
    # row 73: 45,000
    "ND": (("2020-01", 42800), ("2021-01", 43900), ("2021-06", 45000), ("2025-12", 52500)),
    "HNA": (("2020-01", 82600), ("2021-01", 86000), ("2025-12", 104000)),
}
# Workers are a little fewer at the end of February, before all return after Tết (row 11).
FEBRUARY_WORKERS_DIP = 0.988

# Average income (VND_MN per person per month) in 2021 and its yearly growth (choice).
INCOME_2021 = {"HN": 8.4, "ND": 6.3, "HNA": 7.2}
INCOME_GROWTH = 0.06
JANUARY_INCOME_BONUS = 1.15  # Tết bonus paid with January wages (choice)
# row 74: Nam Định's average income in H1 2021 was 6.3 VND_MN/person/month: the
# workers-weighted mean of its zone months January-June 2021 is made exactly 6.30.
ND_2021_H1_INCOME = D("6.3")


# --- Annual plans (kế hoạch), sent in January ---------------------------------------------------

# Published plans, and plans the articles imply; other plans are the year's outcome times a
# seeded factor (PLAN_FACTOR). A plan of registered capital comes in each currency, as the
# capital does; its converted total (rpt_investment_monthly) is what the articles compare with.
PLANS: dict[tuple[str, int], dict[tuple[str, str], D]] = {
    # Row 22: the 11-month 2021 converted total (274.93) is 92 % of the 2021 plan, so the plan
    # converts to about 298.8 at the 2021-11 rate of 23,300: 60 + 1,200/23.3 + 120 +
    # 1,570/23.3 = 298.88 (the split is a choice), and 274.93 is 91.99 % of it.
    ("HN", 2021): {
        ("inv_new_capital", "USD_MN"): D("60"),
        ("inv_new_capital", "VND_BN"): D("1200"),
        ("inv_added_capital", "USD_MN"): D("120"),
        ("inv_added_capital", "VND_BN"): D("1570"),
    },
    ("ND", 2021): {
        ("biz_industrial_output", "VND_BN"): D("25940"),  # row 68
        ("biz_export", "USD_MN"): D("1000"),  # row 71
    },
    ("HN", 2022): {
        ("biz_revenue", "USD_MN"): D("8200"),  # row 58
        ("biz_state_budget", "USD_MN"): D("229.4"),  # row 59
    },
    ("HNA", 2021): {
        # implied by row 85: 129,000 is 107.7 % of it (129,000 / 119,780 = 107.70 %)
        ("biz_industrial_output", "VND_BN"): D("119780"),
        ("biz_state_budget", "VND_BN"): D("5000"),  # implied by row 88 (115.8 % = 5,790 / 5,000)
        # Row 82: the 2021 registered capital (536.958 USD_MN + 9,405.326 VND_BN, 944.11 at the
        # 2021-12 rate of 23,100) is 181 % of the plan, which converts to 944.11 / 1.81 =
        # 521.61: 200 + 4,000/23.1 + 100 + 1,119.2/23.1 = 521.61 (the split is a choice).
        ("inv_new_capital", "USD_MN"): D("200"),
        ("inv_new_capital", "VND_BN"): D("4000"),
        ("inv_added_capital", "USD_MN"): D("100"),
        ("inv_added_capital", "VND_BN"): D("1119.2"),
    },
}
PLAN_FACTOR = (0.93, 1.02)
PLAN_METRICS = (
    ("biz_industrial_output", "VND_BN"),
    ("biz_revenue", "local"),
    ("biz_export", "USD_MN"),
    ("biz_state_budget", "local"),
)


# --- Forecasts published before their month closed -----------------------------------------

# Row 50: on 26/05/2022 Hà Nội forecast (dự kiến) its H1 2022 converted registered capital at
# "about 100 million USD". The board's 2022-06 submission received that day carries the
# forecast as estimates of the H1 ytd; the actual follows in July. The forecast of each part:
# 1 + 700/23.2 + 67.5 + 30/23.2 = 99.97 at the 2022-06 rate (the split is a choice). Revenue and
# budget (rows 53-54) are the published estimates, which the actual then equals.
HN_2022_H1_FORECAST_DATE = "2022-05-26"
# Contract 1.1 (E_PERIOD_NOT_OPEN) takes a month's report from the month's first day on: the
# forecast stated on 26/05 reaches the warehouse on 01/06, the first day it may.
HN_2022_H1_FORECAST_RECEIVED = "2022-06-01"
HN_2022_H1_FORECAST: dict[tuple[str, str], D] = {
    ("inv_new_capital", "USD_MN"): D("1"),
    ("inv_new_capital", "VND_BN"): D("700"),
    ("inv_added_capital", "USD_MN"): D("67.5"),
    ("inv_added_capital", "VND_BN"): D("30"),
    ("biz_revenue", "USD_MN"): D("4869"),  # row 53
    ("biz_state_budget", "USD_MN"): D("238.5"),  # row 54
}


# --- Enterprises listed in enterprises.csv ----------------------------------------------------

ENTERPRISES_PER_PROVINCE = {"HN": 120, "ND": 40, "HNA": 70}
# How many of them also report enterprise-level rows every month (the largest ones).
REPORTING_ENTERPRISES = {"HN": 16, "ND": 8, "HNA": 12}
FDI_COUNTRIES = {
    "HN": (
        ("JP", 35),
        ("KR", 30),
        ("CN", 10),
        ("TW", 8),
        ("SG", 7),
        ("US", 5),
        ("TH", 3),
        ("DE", 2),
    ),
    "ND": (("KR", 40), ("CN", 20), ("TW", 15), ("JP", 15), ("HK", 5), ("SG", 5)),
    "HNA": (("KR", 45), ("JP", 25), ("CN", 15), ("TW", 10), ("SG", 5)),
}
# Zones whose tenants are all in textiles and garments (Rạng Đông is a textile zone).
TEXTILE_ZONES = frozenset({"KCN-ND-RANGDONG"})
