"""The star schema's semantics on small SQL-inserted fixtures (issue 4's done-when checks).

Published figures from /work/shared/domain/seed_facts.csv (rows cited) are loaded as
submissions, the dbt project is built once, and each test asks the marts the question a
user would ask.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from kcn.transform.dbt_command import run_dbt
from kcn.warehouse import connection as warehouse
from tests.dbt.conftest import built_database, insert_submission, version_files
from tests.dbt.conftest import query as _query

pytestmark = [pytest.mark.integration, pytest.mark.slow]

D = Decimal
# A row: (zone_code, enterprise_tax_code, metric_code, value_kind, period_basis, value, unit).
Row = tuple[Any, ...]
HN_ALL_ZONES_11M_ESTIMATE: list[Row] = [  # seed_facts rows 15-20, reported 26/11/2021
    (None, None, "inv_new_projects", "estimate", "ytd", "7", "PROJECT"),
    (None, None, "inv_new_capital", "estimate", "ytd", "27", "USD_MN"),
    (None, None, "inv_new_capital", "estimate", "ytd", "315", "VND_BN"),
    (None, None, "inv_expansion_projects", "estimate", "ytd", "26", "PROJECT"),
    (None, None, "inv_added_capital", "estimate", "ytd", "147", "USD_MN"),
    (None, None, "inv_added_capital", "estimate", "ytd", "2039", "VND_BN"),
]
# The revised actual: new capital 26.9 (the full-year article, row 2), the rest unchanged.
HN_ALL_ZONES_11M_ACTUAL: list[Row] = [
    (
        zone,
        tax,
        metric,
        "actual",
        basis,
        "26.9" if (metric, unit) == ("inv_new_capital", "USD_MN") else value,
        unit,
    )
    for zone, tax, metric, _, basis, value, unit in HN_ALL_ZONES_11M_ESTIMATE
]
HN_ALL_ZONES_FULL_YEAR: list[Row] = [  # seed_facts rows 1-6
    (None, None, "inv_new_projects", "actual", "ytd", "7", "PROJECT"),
    (None, None, "inv_new_capital", "actual", "ytd", "26.9", "USD_MN"),
    (None, None, "inv_new_capital", "actual", "ytd", "315", "VND_BN"),
    (None, None, "inv_expansion_projects", "actual", "ytd", "23", "PROJECT"),
    (None, None, "inv_added_capital", "actual", "ytd", "109", "USD_MN"),
    (None, None, "inv_added_capital", "actual", "ytd", "2039", "VND_BN"),
]
# Hà Nội's registered capital in 2022, all zones: 5 months (rows 44-48, reported 26/05/2022),
# then the demo's H1 (kcn.demo_data's BQL-HN 2022-06 submission: the article gives only an
# estimate of the converted total, "dự kiến" 100, row 50, which no submission can carry).
HN_ALL_ZONES_2022_5M: list[Row] = [
    (None, None, "inv_new_capital", "actual", "ytd", "1", "USD_MN"),
    (None, None, "inv_new_capital", "actual", "ytd", "450", "VND_BN"),
    (None, None, "inv_added_capital", "actual", "ytd", "60", "USD_MN"),
    (None, None, "inv_added_capital", "actual", "ytd", "30", "VND_BN"),
]
HN_ALL_ZONES_2022_H1_DEMO: list[Row] = [
    (None, None, "inv_new_capital", "actual", "ytd", "1", "USD_MN"),
    (None, None, "inv_new_capital", "actual", "ytd", "630.069", "VND_BN"),
    (None, None, "inv_added_capital", "actual", "ytd", "64.705", "USD_MN"),
    (None, None, "inv_added_capital", "actual", "ytd", "30", "VND_BN"),
]
ND_ZONE = "KCN-ND-BAOMINH"
ND_TAX_CODE = "0100109106"

# (submitter, period, version_no, outcome, received_at (ICT), rows, enterprises)
VERSIONS: list[tuple[str, str, int, str, str, list[Row], list[tuple[str, ...]]]] = [
    ("BQL-HN", "2021-11", 1, "accepted", "2021-11-26 10:00", HN_ALL_ZONES_11M_ESTIMATE, []),
    ("BQL-HN", "2021-11", 2, "accepted", "2021-12-06 10:00", HN_ALL_ZONES_11M_ACTUAL, []),
    ("BQL-HN", "2021-12", 1, "accepted", "2022-01-07 10:00", HN_ALL_ZONES_FULL_YEAR, []),
    ("BQL-HN", "2022-05", 1, "accepted", "2022-06-03 10:00", HN_ALL_ZONES_2022_5M, []),
    ("BQL-HN", "2022-06", 1, "accepted", "2022-07-05 10:00", HN_ALL_ZONES_2022_H1_DEMO, []),
    # Nam Định: the 2021 plan sent in January (row 68), H1 output and exports (rows 66, 69).
    (
        "BQL-ND",
        "2021-01",
        1,
        "accepted",
        "2021-02-05 10:00",
        [
            (None, None, "biz_industrial_output", "plan", "year", "25940", "VND_BN"),
        ],
        [],
    ),
    (
        "BQL-ND",
        "2021-06",
        1,
        "accepted",
        "2021-07-05 10:00",
        [
            (None, None, "biz_industrial_output", "actual", "ytd", "12000", "VND_BN"),
            (None, None, "biz_export", "actual", "ytd", "450", "USD_MN"),
        ],
        [],
    ),
    # Hà Nam, full year 2021 (rows 76-78).
    (
        "BQL-HNA",
        "2021-12",
        1,
        "accepted",
        "2022-01-05 10:00",
        [
            (None, None, "inv_new_projects", "actual", "ytd", "35", "PROJECT"),
            (None, None, "inv_new_projects_fdi", "actual", "ytd", "20", "PROJECT"),
            (None, None, "inv_new_projects_ddi", "actual", "ytd", "15", "PROJECT"),
        ],
        [],
    ),
    # A Nam Định zone across the 2025-07-01 merger: BQL-ND until June, BQL-NB after.
    (
        "BQL-ND",
        "2024-07",
        1,
        "accepted",
        "2024-08-05 10:00",
        [
            (ND_ZONE, None, "biz_industrial_output", "actual", "month", "100", "VND_BN"),
        ],
        [],
    ),
    (
        "BQL-ND",
        "2025-06",
        1,
        "accepted",
        "2025-07-05 10:00",
        [
            (ND_ZONE, None, "biz_industrial_output", "actual", "month", "110", "VND_BN"),
            (ND_ZONE, None, "biz_industrial_output", "actual", "ytd", "600", "VND_BN"),
            (ND_ZONE, ND_TAX_CODE, "lab_workers", "actual", "eom", "800", "PERSON"),
        ],
        [(ND_TAX_CODE, "Công ty TNHH Dệt Bảo Minh", ND_ZONE, "FDI", "KR", "13", "construction")],
    ),
    (
        "BQL-NB",
        "2025-07",
        1,
        "accepted",
        "2025-08-05 10:00",
        [
            (ND_ZONE, None, "biz_industrial_output", "actual", "ytd", "720", "VND_BN"),
            (ND_ZONE, ND_TAX_CODE, "lab_workers", "actual", "eom", "950", "PERSON"),
            # the zone's workers: a row of rpt_land_labour_monthly (row 4)
            (ND_ZONE, None, "lab_workers", "actual", "eom", "950", "PERSON"),
            # the board's all zones, checked against its zone: rpt_zone_reconciliation (row 5)
            (None, None, "biz_industrial_output", "actual", "ytd", "720", "VND_BN"),
        ],
        [(ND_TAX_CODE, "Công ty TNHH Dệt Bảo Minh", ND_ZONE, "FDI", "KR", "13", "operating")],
    ),
]


@pytest.fixture(scope="module")
def star_url() -> Iterator[str]:
    """A database of this module's own, so its submissions meet no other test's."""
    with built_database("kcn_test_star", VERSIONS) as url:
        yield url


def test_hanoi_2021_capital_in_each_currency_and_converted(star_url: str) -> None:
    result = _query(
        star_url,
        """
        select period, new_capital_usd_mn_ytd, new_capital_vnd_bn_ytd,
               added_capital_usd_mn_ytd, added_capital_vnd_bn_ytd,
               round(registered_capital_converted_usd_mn_ytd, 2), fx_vnd_per_usd, fx_rate_date
        from reporting.rpt_investment_monthly
        where submitter_code = 'BQL-HN' and is_all_zones and period in ('2021-11', '2021-12')
        order by period
        """,
    )
    # 11 months at the implied 23,300 (row 21): 26.9 + 315/23.3 + 147 + 2039/23.3 = 274.93,
    # the published "275 triệu USD quy đổi"; the full year at the demo rate for 2021-12.
    expected = [
        (
            "2021-11",
            D("26.9"),
            D("315"),
            D("147"),
            D("2039"),
            D("274.93"),
            D("23300"),
            date(2021, 11, 26),
        ),
        (
            "2021-12",
            D("26.9"),
            D("315"),
            D("109"),
            D("2039"),
            D("237.80"),
            D("23100"),
            date(2021, 12, 31),
        ),
    ]
    assert result == expected


def test_every_converted_figure_names_its_rate(star_url: str) -> None:
    result = _query(
        star_url,
        """
        select currency, value_ytd, value_ytd_usd_mn, value_ytd_vnd_bn, fx_vnd_per_usd,
               fx_source_kind
        from marts.fct_indicator_values
        where submitter_code = 'BQL-HN' and period = '2021-11'
          and metric_code = 'inv_added_capital'
        order by currency
        """,
    )
    expected = [
        ("USD", D("147"), D("147"), D("3425.1"), D("23300"), "implied_by_published_figures"),
        ("VND", D("2039"), D("87.510730"), D("2039"), D("23300"), "implied_by_published_figures"),
    ]
    assert result == expected


def test_nam_dinh_h1_2021_output_against_its_annual_plan(star_url: str) -> None:
    result = _query(
        star_url,
        """
        select value_to_date, plan_value, plan_sent_period, pct_of_plan_ytd, remaining_to_plan
        from reporting.rpt_plan_vs_actual
        where submitter_code = 'BQL-ND' and is_all_zones and period = '2021-06'
          and metric_code = 'biz_industrial_output'
        """,
    )
    expected = [(D("12000"), D("25940"), "2021-01", D("46.26"), D("13940"))]
    assert result == expected


def test_ha_nam_2021_new_projects_are_fdi_plus_domestic(star_url: str) -> None:
    result = _query(
        star_url,
        """
        select new_projects_ytd, new_projects_fdi_ytd, new_projects_ddi_ytd
        from reporting.rpt_investment_monthly
        where submitter_code = 'BQL-HNA' and is_all_zones and period = '2021-12'
        """,
    )
    expected = [(D("35"), D("20"), D("15"))]
    assert result == expected


def test_nam_dinh_zone_series_continues_under_ninh_binh(star_url: str) -> None:
    result = _query(
        star_url,
        """
        select period, submitter_code, province_code, province_code_now, value_month,
               month_source, value_ytd, growth_month_pct
        from reporting.rpt_indicators_monthly
        where zone_code = %s and metric_code = 'biz_industrial_output'
        order by period
        """,
        (ND_ZONE,),
    )
    # July's month value comes from BQL-NB's ytd minus BQL-ND's June ytd: one series.
    expected = [
        ("2024-07", "BQL-ND", "ND", "NB", D("100"), "sent", None, None),
        ("2025-06", "BQL-ND", "ND", "NB", D("110"), "sent", D("600"), None),
        ("2025-07", "BQL-NB", "NB", "NB", D("120"), "derived_from_ytd", D("720"), D("20.00")),
    ]
    assert result == expected


def test_province_as_it_was_and_as_it_is_now(star_url: str) -> None:
    result = _query(
        star_url,
        """
        select period, province_basis, province_code, value_month
        from reporting.rpt_province_monthly
        where metric_code = 'biz_industrial_output' and period in ('2025-06', '2025-07')
        order by period, province_basis
        """,
    )
    expected = [
        ("2025-06", "as_was", "ND", D("110")),
        ("2025-06", "now", "NB", D("110")),
        ("2025-07", "as_was", "NB", D("120")),
        ("2025-07", "now", "NB", D("120")),
    ]
    assert result == expected


def test_enterprise_figures_join_the_listing_valid_that_month(star_url: str) -> None:
    result = _query(
        star_url,
        """
        select f.period, f.value_eom, e.enterprise_status
        from marts.fct_indicator_values as f
        inner join marts.dim_enterprise as e on f.enterprise_key = e.enterprise_key
        where f.enterprise_tax_code = %s
        order by f.period
        """,
        (ND_TAX_CODE,),
    )
    expected = [("2025-06", D("800"), "construction"), ("2025-07", D("950"), "operating")]
    assert result == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # Published on 26/11/2021 (row 16): the estimate.
        ("2021-11-30 12:00", [("estimate", D("27"))]),
        # After the revision of 6/12/2021: the actual.
        ("2021-12-31 12:00", [("actual", D("26.9"))]),
        # Before anything was received: nothing.
        ("2021-11-01 12:00", []),
    ],
)
def test_as_published_on_a_date(star_url: str, as_of: str, expected: list[Any]) -> None:
    """The query of docs/star-schema.md: the "as reported" time line (received_at)."""
    result = _query(star_url, _as_of_query("reported"), {"as_of": as_of})
    assert result == expected


def _as_of_query(time_line: str) -> str:
    """Hà Nội's 11-month new capital in USD on a date, on one of the two time lines."""
    return f"""
        select value_kind, value_canonical
        from marts.fct_indicator_vintages
        where submitter_code = 'BQL-HN' and period = '2021-11' and zone_code is null
          and metric_code = 'inv_new_capital' and currency = 'USD'
          and {time_line}_from <= %(as_of)s::timestamp at time zone 'Asia/Ho_Chi_Minh'
          and ({time_line}_to is null
               or {time_line}_to > %(as_of)s::timestamp at time zone 'Asia/Ho_Chi_Minh')
        """


@pytest.mark.parametrize(
    ("as_of", "reported", "recorded"),
    [
        # Version 1 was received at 10:00 on 26/11/2021 and validated an hour later: at 10:30
        # it was the board's report, but the warehouse did not hold it yet.
        ("2021-11-26 10:30", [("estimate", D("27"))], []),
        ("2021-11-26 11:30", [("estimate", D("27"))], [("estimate", D("27"))]),
        # Version 2 (the actual) received at 10:00 on 6/12/2021, validated at 11:00.
        ("2021-12-06 10:30", [("actual", D("26.9"))], [("estimate", D("27"))]),
        ("2021-12-06 11:30", [("actual", D("26.9"))], [("actual", D("26.9"))]),
    ],
)
def test_as_reported_and_as_known_to_the_warehouse(
    star_url: str, as_of: str, reported: list[Any], recorded: list[Any]
) -> None:
    result = (
        _query(star_url, _as_of_query("reported"), {"as_of": as_of}),
        _query(star_url, _as_of_query("recorded"), {"as_of": as_of}),
    )
    assert result == (reported, recorded)


def test_revisions_list_estimate_to_actual_with_its_size(star_url: str) -> None:
    result = _query(
        star_url,
        """
        select metric_code, currency, revision_type, previous_value, value, change
        from marts.fct_indicator_revisions
        where submitter_code = 'BQL-HN' and period = '2021-11'
        order by metric_code, currency
        """,
    )
    expected = [
        ("inv_added_capital", "USD", "estimate_to_actual", D("147"), D("147"), D("0")),
        ("inv_added_capital", "VND", "estimate_to_actual", D("2039"), D("2039"), D("0")),
        ("inv_expansion_projects", None, "estimate_to_actual", D("26"), D("26"), D("0")),
        ("inv_new_capital", "USD", "estimate_to_actual", D("27"), D("26.9"), D("-0.1")),
        ("inv_new_capital", "VND", "estimate_to_actual", D("315"), D("315"), D("0")),
        ("inv_new_projects", None, "estimate_to_actual", D("7"), D("7"), D("0")),
    ]
    assert result == expected


def test_status_marks_the_figure_in_force(star_url: str) -> None:
    result = _query(
        star_url,
        """
        select period, obs_status, version_no from marts.fct_indicator_values
        where submitter_code = 'BQL-HN' and metric_code = 'inv_new_projects'
        order by period
        """,
    )
    expected = [("2021-11", "A", 2), ("2021-12", "A", 1)]
    assert result == expected


def test_hanoi_2021_converted_capital_has_no_published_target(star_url: str) -> None:
    """Row 22 puts the 11-month 2021 converted total at 92 % of "the annual plan": 274.93
    (as test_hanoi_2021_capital_in_each_currency_and_converted reads it) of about 300. No
    article publishes that plan, so no target holds it and no percentage is derived."""
    converted = _query(
        star_url,
        """
        select round(registered_capital_converted_usd_mn_ytd, 2)
        from reporting.rpt_investment_monthly
        where submitter_code = 'BQL-HN' and is_all_zones and period = '2021-11'
        """,
    )
    targets = _query(
        star_url,
        """
        select target_id from marts.fct_plan_targets
        where submitter_code = 'BQL-HN' and period = '2021-11'
          and measure_code = 'inv_registered_capital_converted'
        """,
    )
    assert converted == [(D("274.93"),)]
    assert targets == []


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        # 5 months at the implied 24,000 (row 49's "81 triệu USD"): 1 + 450/24 + 60 + 30/24.
        (
            "2022-05",
            [
                (
                    "sf13",
                    "range",
                    D("300"),
                    D("400"),
                    D("81"),
                    D("27.00"),
                    D("20.25"),
                    D("219"),
                    D("319"),
                    "below",
                    D("24000"),
                    date(2022, 5, 26),
                ),
                (
                    "sf55",
                    "approx",
                    D("400"),
                    D("400"),
                    D("81"),
                    D("20.25"),
                    D("20.25"),
                    D("319"),
                    D("319"),
                    "below",
                    D("24000"),
                    date(2022, 5, 26),
                ),
            ],
        ),
        # The demo's H1 at the demo rate for 2022-06: 1 + 630.069/23.2 + 64.705 + 30/23.2 =
        # 94.16, 23.54 % of 400. The article's 25 % (row 51) is of its estimate of 100
        # (row 50), which the demo's submissions do not reach.
        (
            "2022-06",
            [
                (
                    "sf13",
                    "range",
                    D("300"),
                    D("400"),
                    D("94.16"),
                    D("31.39"),
                    D("23.54"),
                    D("205.84"),
                    D("305.84"),
                    "below",
                    D("23200"),
                    date(2022, 6, 30),
                ),
                (
                    "sf55",
                    "approx",
                    D("400"),
                    D("400"),
                    D("94.16"),
                    D("23.54"),
                    D("23.54"),
                    D("305.84"),
                    D("305.84"),
                    "below",
                    D("23200"),
                    date(2022, 6, 30),
                ),
            ],
        ),
    ],
)
def test_hanoi_2022_converted_capital_against_its_targets(
    star_url: str, period: str, expected: list[Any]
) -> None:
    """The range 300-400 (row 13) and the later "khoảng 400" (row 55) both stay, each
    measured on the same actual."""
    result = _query(
        star_url,
        """
        select target_id, bound_kind, low_value, high_value, round(actual_to_date, 2),
               pct_of_low, pct_of_high, round(remaining_to_low, 2),
               round(remaining_to_high, 2), target_status, fx_vnd_per_usd, fx_rate_date
        from reporting.rpt_plan_targets
        where submitter_code = 'BQL-HN' and period = %s
          and measure_code = 'inv_registered_capital_converted'
        order by target_id
        """,
        (period,),
    )
    assert result == expected


def test_nam_dinh_h1_2021_against_its_published_targets(star_url: str) -> None:
    """Rows 67 and 70: output 12,000 is 46.26 % of 25,940; exports 450 are 45 % of 1 billion
    USD (rows 68 and 71, the targets)."""
    result = _query(
        star_url,
        """
        select target_id, actual_to_date, pct_of_low, remaining_to_low, target_status,
               to_date_label_vi
        from reporting.rpt_plan_targets
        where submitter_code = 'BQL-ND' and period = '2021-06' and actual_to_date is not null
        order by target_id
        """,
    )
    expected = [
        ("sf68", D("12000"), D("46.26"), D("13940"), "below", "Lũy kế 6 tháng đầu năm 2021"),
        ("sf71", D("450"), D("45.00"), D("550"), "below", "Lũy kế 6 tháng đầu năm 2021"),
    ]
    assert result == expected


def test_targets_the_warehouse_cannot_measure_say_why(star_url: str) -> None:
    """New zones 2021-2025 (three conflicting targets, rows 12, 42, 61) are no metric of the
    contract; Nam Định's 2021-2025 targets (rows 62-64) cover the whole province."""
    result = _query(
        star_url,
        """
        select target_id, measure_code, bound_kind, low_value, high_value, no_actual_reason,
               source_article
        from reporting.rpt_plan_targets
        where period = '2021-11' and first_month = '2021-01' and last_month = '2025-12'
        order by target_id
        """,
    )
    hn_000, hn_001, hn_002 = (
        "000_914499c5a05a442f.txt",
        "001_230f482cdb742622.txt",
        "002_4057b316f5feab92.txt",
    )
    nd = "003_2ca06fef1e37add8.txt"
    expected = [
        ("sf12", "zon_new_established", "range", D("2"), D("5"), "measure_not_received", hn_000),
        ("sf42", "zon_new_established", "range", D("3"), D("5"), "measure_not_received", hn_001),
        ("sf61", "zon_new_established", "point", D("5"), D("5"), "measure_not_received", hn_002),
        (
            "sf62",
            "inv_registered_capital_converted",
            "at_least",
            D("80000"),
            None,
            "scope_not_received",
            nd,
        ),
        (
            "sf63",
            "inv_registered_capital_fdi",
            "at_least",
            D("2000"),
            None,
            "measure_not_received",
            nd,
        ),
        (
            "sf64",
            "inv_registered_capital_ddi",
            "at_least",
            D("30000"),
            None,
            "measure_not_received",
            nd,
        ),
    ]
    assert result == expected


def _expected_status(bound_kind: str, low: Decimal, high: Decimal | None, actual: Decimal) -> str:
    if bound_kind == "at_least":
        return "met" if actual >= low else "not_yet_met"
    assert high is not None
    return "below" if actual < low else "above" if actual > high else "within"


def _pct(actual: Decimal, bound: Decimal | None) -> Decimal | None:
    if bound is None:
        return None
    return (actual / bound * 100).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def test_percentages_and_statuses_follow_from_the_bounds(star_url: str) -> None:
    rows = _query(
        star_url,
        """
        select bound_kind, low_value, high_value, actual_to_date, pct_of_low, pct_of_high,
               remaining_to_low, remaining_to_high, target_status
        from marts.fct_plan_targets
        where actual_to_date is not null
        """,
    )
    assert len(rows) >= 4, "too few actuals: the test would prove little"
    for kind, low, high, actual, pct_low, pct_high, rest_low, rest_high, status in rows:
        result = (pct_low, pct_high, rest_low, rest_high, status)
        expected = (
            _pct(actual, low),
            _pct(actual, high),
            low - actual,
            None if high is None else high - actual,
            _expected_status(kind, low, high, actual),
        )
        assert result == expected


def test_incremental_run_adds_the_new_version_and_leaves_history_alone(star_url: str) -> None:
    """int_indicator_vintages appends a new month's rows; rows already there are not rewritten."""
    history = "select version_id, row_number, xmin::text from intermediate.int_indicator_vintages"
    before = set(_query(star_url, history))
    with warehouse.connect(star_url) as conn, conn.cursor() as cur:
        new_version = insert_submission(
            cur,
            "BQL-HNA",
            "2022-01",
            1,
            "accepted",
            "2022-02-05 10:00",
            [(None, None, "inv_new_projects", "actual", "ytd", "3", "PROJECT")],
            [],
        )
    run_dbt(["build", "--select", "int_indicator_vintages+"], url=star_url)
    after = set(_query(star_url, history))
    assert before <= after
    assert {(v, r) for v, r, _ in after - before} == {(new_version, 2)}


def _archive_path(submitter: str, period: str, version_no: int, name: str) -> str:
    return version_files(submitter, period, version_no, True)[0 if name == "indicators.csv" else 1][
        "archive_path"
    ]


def test_nam_dinh_2021_06_output_traced_to_its_file_and_row(star_url: str) -> None:
    """One relation to join: the figure's row, and the row of the plan it is compared with."""
    result = _query(
        star_url,
        """
        select l.value_role, l.version_submitter_code, l.version_period, l.version_no,
               l.file_name, l.row_number, l.archive_path
        from reporting.rpt_plan_vs_actual as p
        inner join reporting.rpt_figure_lineage as l
            on l.relation_name = 'rpt_plan_vs_actual' and l.row_key = p.row_key
        where p.submitter_code = 'BQL-ND' and p.period = '2021-06' and p.is_all_zones
          and p.metric_code = 'biz_industrial_output'
        order by l.value_role
        """,
    )
    expected = [
        (
            "plan",
            "BQL-ND",
            "2021-01",
            1,
            "indicators.csv",
            2,
            _archive_path("BQL-ND", "2021-01", 1, "indicators.csv"),
        ),
        (
            "ytd",
            "BQL-ND",
            "2021-06",
            1,
            "indicators.csv",
            2,
            _archive_path("BQL-ND", "2021-06", 1, "indicators.csv"),
        ),
    ]
    assert result == expected


def test_aggregated_province_figure_traced_across_the_merger(star_url: str) -> None:
    """Ninh Bình's 2025-07 output (a province total) is the zone's July ytd minus its June ytd:
    lineage names BQL-NB's July row and the BQL-ND June rows it was derived from."""
    result = _query(
        star_url,
        """
        select l.value_role, l.version_submitter_code, l.version_period, l.file_name,
               l.row_number, l.figure_zone_code
        from reporting.rpt_province_monthly as p
        inner join reporting.rpt_figure_lineage as l
            on l.relation_name = 'rpt_province_monthly' and l.row_key = p.row_key
        where p.period = '2025-07' and p.province_basis = 'as_was' and p.province_code = 'NB'
          and p.metric_code = 'biz_industrial_output'
        order by l.version_period, l.row_number
        """,
    )
    expected = [
        ("earlier_month", "BQL-ND", "2025-06", "indicators.csv", 2, ND_ZONE),
        ("earlier_month", "BQL-ND", "2025-06", "indicators.csv", 3, ND_ZONE),
        ("ytd", "BQL-NB", "2025-07", "indicators.csv", 2, ND_ZONE),
    ]
    assert result == expected


def test_growth_traced_to_the_same_month_last_year(star_url: str) -> None:
    """The zone's July 2025 output and its growth on July 2024: three versions of two boards."""
    result = _query(
        star_url,
        """
        select l.value_role, l.version_submitter_code, l.version_period, l.row_number
        from reporting.rpt_indicators_monthly as r
        inner join reporting.rpt_figure_lineage as l
            on l.relation_name = 'rpt_indicators_monthly' and l.row_key = r.row_key
        where r.zone_code = %s and r.period = '2025-07'
          and r.metric_code = 'biz_industrial_output'
        order by l.version_period, l.row_number
        """,
        (ND_ZONE,),
    )
    expected = [
        ("same_period_last_year", "BQL-ND", "2024-07", 2),
        ("earlier_month", "BQL-ND", "2025-06", 2),
        ("earlier_month", "BQL-ND", "2025-06", 3),
        ("ytd", "BQL-NB", "2025-07", 2),
    ]
    assert result == expected


@pytest.mark.parametrize(
    ("relation", "condition"),
    [
        ("rpt_indicators_monthly", "true"),
        ("rpt_plan_vs_actual", "true"),
        ("rpt_investment_monthly", "true"),
        ("rpt_land_labour_monthly", "true"),
        ("rpt_province_monthly", "true"),
        ("rpt_zone_reconciliation", "true"),
        ("rpt_plan_targets", "figure_count > 0"),
        ("rpt_completeness_submitter_monthly", "versions_received > 0"),
        ("rpt_completeness_national_monthly", "actual > 0"),
    ],
)
def test_every_reporting_row_with_figures_has_lineage(
    star_url: str, relation: str, condition: str
) -> None:
    rows, traced = _query(
        star_url,
        f"""
        select count(*), count(*) filter (where exists (
            select 1 from reporting.rpt_figure_lineage as l
            where l.relation_name = %s and l.row_key = r.row_key
        ))
        from reporting.{relation} as r
        where {condition}
        """,
        (relation,),
    )[0]
    assert rows > 0
    assert traced == rows
