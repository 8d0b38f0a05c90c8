"""Incremental builds give the same warehouse as full builds, and leave other months alone.

Submissions arrive in three batches: a first `dbt run` builds from scratch; the second batch
brings a new month, an estimate revised into an actual, a revision of a month whose same
month next year is already loaded, and an enterprise whose status changes; the third, only
a new month, in which one enterprise changes back and another is listed as before. The
second and third `dbt run` are incremental. Every incremental model, and the dimension
built from one, must then hold exactly what `dbt run --full-refresh` builds from all the
submissions at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from kcn.settings import get_settings
from kcn.transform.dbt_command import run_dbt
from tests.dbt.conftest import fresh_database, insert_submissions
from tests.dbt.conftest import query as _query
from tests.dbt.test_star_schema import (
    HN_ALL_ZONES_11M_ACTUAL,
    HN_ALL_ZONES_11M_ESTIMATE,
    HN_ALL_ZONES_FULL_YEAR,
    ND_TAX_CODE,
    ND_ZONE,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

OTHER_TAX_CODE = "0600123451"
RANG_DONG = ("Công ty CP Dệt may Rạng Đông", ND_ZONE, "DDI", "VN", "14")
NOIBAI = "KCN-HN-NOIBAI"
BAO_MINH = ("Công ty TNHH Dệt Bảo Minh", ND_ZONE, "FDI", "KR", "13")
FIRST_BATCH = [
    ("BQL-HN", "2021-11", 1, "accepted", "2021-11-26 10:00", HN_ALL_ZONES_11M_ESTIMATE, []),
    ("BQL-HN", "2021-12", 1, "accepted", "2022-01-07 10:00", HN_ALL_ZONES_FULL_YEAR, []),
    (
        "BQL-ND",
        "2021-01",
        1,
        "accepted",
        "2021-02-05 10:00",
        [(None, None, "biz_industrial_output", "plan", "year", "25940", "VND_BN")],
        [],
    ),
    (
        "BQL-ND",
        "2024-07",
        1,
        "accepted",
        "2024-08-05 10:00",
        [(ND_ZONE, None, "biz_industrial_output", "actual", "month", "100", "VND_BN")],
        [],
    ),
    (
        "BQL-ND",
        "2025-06",
        1,
        "accepted",
        "2025-07-05 10:00",
        [
            (ND_ZONE, None, "biz_industrial_output", "actual", "ytd", "600", "VND_BN"),
            (ND_ZONE, ND_TAX_CODE, "lab_workers", "actual", "eom", "800", "PERSON"),
        ],
        [(ND_TAX_CODE, *BAO_MINH, "construction")],
    ),
    # Month values only: exports miss February (a gap), imports start with an estimate.
    (
        "BQL-HN",
        "2023-01",
        1,
        "accepted",
        "2023-02-05 10:00",
        [
            (NOIBAI, None, "biz_export", "actual", "month", "10", "USD_MN"),
            (NOIBAI, None, "biz_import", "estimate", "month", "5", "USD_MN"),
        ],
        [],
    ),
    (
        "BQL-HN",
        "2023-02",
        1,
        "accepted",
        "2023-03-05 10:00",
        [(NOIBAI, None, "biz_import", "actual", "month", "6", "USD_MN")],
        [],
    ),
    (
        "BQL-HN",
        "2023-03",
        1,
        "accepted",
        "2023-04-05 10:00",
        [
            (NOIBAI, None, "biz_export", "actual", "month", "30", "USD_MN"),
            (NOIBAI, None, "biz_import", "actual", "month", "7", "USD_MN"),
        ],
        [],
    ),
    (
        "BQL-NB",
        "2025-07",
        1,
        "accepted",
        "2025-08-05 10:00",
        [
            (ND_ZONE, None, "biz_industrial_output", "actual", "ytd", "720", "VND_BN"),
            (None, None, "biz_industrial_output", "actual", "ytd", "720", "VND_BN"),
            (ND_ZONE, None, "lab_workers", "actual", "eom", "5000", "PERSON"),
            (ND_ZONE, None, "lnd_total_area", "actual", "eom", "250", "HA"),
            (ND_ZONE, ND_TAX_CODE, "lab_workers", "actual", "eom", "950", "PERSON"),
        ],
        [(ND_TAX_CODE, *BAO_MINH, "operating")],
    ),
]
SECOND_BATCH = [
    # The 11-month estimate revised into the actual: 2021-11 and the derived 2021-12 change.
    ("BQL-HN", "2021-11", 2, "accepted", "2021-12-06 10:00", HN_ALL_ZONES_11M_ACTUAL, []),
    # A month sent late, between two loaded ones, and a revised plan.
    (
        "BQL-ND",
        "2021-06",
        1,
        "accepted",
        "2021-07-05 10:00",
        [
            (None, None, "biz_industrial_output", "actual", "ytd", "12000", "VND_BN"),
            (ND_ZONE, None, "lnd_total_area", "actual", "eom", "200", "HA"),
            (None, None, "biz_industrial_output", "plan", "year", "26000", "VND_BN"),
        ],
        [],
    ),
    # A revision of 2024-07: the growth of 2025-07 against it changes.
    (
        "BQL-ND",
        "2024-07",
        2,
        "accepted",
        "2024-08-20 10:00",
        [(ND_ZONE, None, "biz_industrial_output", "actual", "month", "105", "VND_BN")],
        [],
    ),
    # April of the month-value series: its ytd follows March's as built, gap and status.
    (
        "BQL-HN",
        "2023-04",
        1,
        "accepted",
        "2023-05-05 10:00",
        [
            (NOIBAI, None, "biz_export", "actual", "month", "40", "USD_MN"),
            (NOIBAI, None, "biz_import", "actual", "month", "8", "USD_MN"),
        ],
        [],
    ),
    # A new month, with the enterprise suspended; and a rejected version that changes nothing.
    (
        "BQL-NB",
        "2025-08",
        1,
        "accepted",
        "2025-09-05 10:00",
        [
            (ND_ZONE, None, "biz_industrial_output", "actual", "ytd", "840", "VND_BN"),
            (None, None, "biz_industrial_output", "actual", "ytd", "850", "VND_BN"),
            (ND_ZONE, None, "lab_workers", "actual", "eom", "5100", "PERSON"),
            (ND_ZONE, None, "lnd_total_area", "actual", "eom", "260", "HA"),
            (ND_ZONE, ND_TAX_CODE, "lab_workers", "actual", "eom", "0", "PERSON"),
        ],
        [(ND_TAX_CODE, *BAO_MINH, "suspended"), (OTHER_TAX_CODE, *RANG_DONG, "operating")],
    ),
    (
        "BQL-NB",
        "2025-08",
        2,
        "rejected",
        "2025-09-06 10:00",
        [(ND_ZONE, None, "biz_industrial_output", "actual", "ytd", "1", "VND_BN")],
        [],
    ),
]
# Only a month after every other: its listings are compared with the month before, which
# this run does not rebuild.
THIRD_BATCH = [
    (
        "BQL-NB",
        "2025-09",
        1,
        "accepted",
        "2025-10-05 10:00",
        [
            (ND_ZONE, ND_TAX_CODE, "lab_workers", "actual", "eom", "900", "PERSON"),
            (ND_ZONE, OTHER_TAX_CODE, "lab_workers", "actual", "eom", "300", "PERSON"),
        ],
        [(ND_TAX_CODE, *BAO_MINH, "operating"), (OTHER_TAX_CODE, *RANG_DONG, "operating")],
    ),
]
UNTOUCHED_PERIODS = ("2025-06", "2023-03")  # 2023-03 is read back for 2023-04, not rewritten
# The models that grow with the history of submissions: each must be incremental.
BIG_MODELS = [
    "intermediate.int_indicator_vintages",
    "intermediate.int_enterprise_tax_codes",
    "intermediate.int_enterprise_listings",
    "intermediate.int_zone_areas",
    "marts.fct_indicator_values",
    "marts.fct_indicators_monthly",
    "marts.fct_indicator_revisions",
    "marts.fct_plans",
    "reporting.rpt_indicators_monthly",
    "reporting.rpt_investment_monthly",
    "reporting.rpt_land_labour_monthly",
    "reporting.rpt_plan_vs_actual",
    "reporting.rpt_province_monthly",
    "reporting.rpt_zone_reconciliation",
]
# Tables rebuilt on every run from an incremental model.
BUILT_FROM_INCREMENTAL = ["marts.dim_enterprise", "marts.dim_zone"]
GROWTH_2025_07 = """
    select value_month_last_year::text, growth_month_pct::text
    from reporting.rpt_indicators_monthly
    where zone_code = %s and period = '2025-07' and metric_code = 'biz_industrial_output'
      and enterprise_tax_code is null
"""  # no new figure in its year before it, none a year before


APRIL_2023 = """
    select metric_code, value_month::text, value_ytd::text, ytd_source, value_ytd_status
    from marts.fct_indicator_values
    where zone_code = %s and period = '2023-04'
    order by metric_code
"""
LISTINGS = """
    select tax_code, period, enterprise_status, is_change
    from intermediate.int_enterprise_listings
    where tax_code in (%s, %s)
    order by tax_code, period
"""


def _incremental_models() -> list[str]:
    """schema.name of every incremental model of the project (the folder is the schema)."""
    models = get_settings().dbt_project_dir / "models"
    return sorted(
        f"{path.parent.name}.{path.stem}"
        for path in models.rglob("*.sql")
        if "materialized='incremental'" in path.read_text()
    )


def _contents(url: str, relation: str) -> Counter[tuple[Any, ...]]:
    """The rows of a relation without loaded_at, as a multiset."""
    schema, name = relation.split(".")
    columns = [
        c
        for (c,) in _query(
            url,
            "select column_name from information_schema.columns"
            " where table_schema = %s and table_name = %s and column_name <> 'loaded_at'"
            " order by ordinal_position",
            (schema, name),
        )
    ]
    assert columns, relation
    select = ", ".join(f'"{c}"::text' for c in columns)
    return Counter(_query(url, f"select {select} from {relation}"))


@pytest.fixture(scope="module")
def two_batches() -> Iterator[dict[str, Any]]:
    with fresh_database("kcn_test_incr") as url:
        insert_submissions(url, FIRST_BATCH)
        run_dbt(["seed"], url=url)
        run_dbt(["run"], url=url)
        first_loaded = {
            period: stamp
            for period, stamp in _query(
                url, "select period, max(loaded_at) from marts.fct_indicator_values group by 1"
            )
        }
        insert_submissions(url, SECOND_BATCH)
        run_dbt(["run"], url=url)
        models = _incremental_models()
        loaded = dict(
            _query(url, "select period, max(loaded_at) from marts.fct_indicator_values group by 1")
        )
        growth = _query(url, GROWTH_2025_07, (ND_ZONE,))
        april = _query(url, APRIL_2023, (NOIBAI,))
        insert_submissions(url, THIRD_BATCH)
        run_dbt(["run"], url=url)
        compared = [*models, *BUILT_FROM_INCREMENTAL]
        incremental = {model: _contents(url, model) for model in compared}
        listings = _query(url, LISTINGS, (OTHER_TAX_CODE, ND_TAX_CODE))
        run_dbt(["run", "--full-refresh"], url=url)
        full = {model: _contents(url, model) for model in compared}
        yield {
            "url": url,
            "models": models,
            "incremental": incremental,
            "full": full,
            "first_loaded": first_loaded,
            "loaded": loaded,
            "growth": growth,
            "listings": listings,
            "april": april,
        }


def test_every_big_model_is_incremental(two_batches: dict[str, Any]) -> None:
    assert set(two_batches["models"]) >= set(BIG_MODELS)


@pytest.mark.parametrize("model", BIG_MODELS + BUILT_FROM_INCREMENTAL)
def test_incremental_run_equals_full_refresh(two_batches: dict[str, Any], model: str) -> None:
    incremental, full = two_batches["incremental"][model], two_batches["full"][model]
    assert sum(full.values()) > 0, f"{model} is empty: the test would prove nothing"
    assert incremental - full == Counter(), f"{model}: rows only the incremental run has"
    assert full - incremental == Counter(), f"{model}: rows only the full refresh has"


def test_second_run_rebuilt_the_changed_months_only(two_batches: dict[str, Any]) -> None:
    first, loaded = two_batches["first_loaded"], two_batches["loaded"]
    rebuilt = sorted(p for p, stamp in loaded.items() if first.get(p) != stamp)
    # 2021-06 and 2021-11 arrived, and the months after them in 2021; 2023-04 and 2025-08
    # are new; 2024-07 was revised. Nothing else was written again.
    assert rebuilt == ["2021-06", "2021-11", "2021-12", "2023-04", "2024-07", "2025-08"]
    for period in UNTOUCHED_PERIODS:
        assert loaded[period] == first[period]


def test_revision_a_year_back_reaches_this_years_growth(two_batches: dict[str, Any]) -> None:
    """The 2024-07 revision (100 -> 105) changes 2025-07's growth, which the second run
    rebuilt without any new figure for 2025-07 (month 720 - 600 = 120)."""
    assert two_batches["growth"] == [("105", "14.29")]


def test_listings_compared_with_the_month_before_the_run(two_batches: dict[str, Any]) -> None:
    """The third run rebuilt 2025-09 alone: Bảo Minh back to operating is a change against
    its suspended 2025-08 listing, Rạng Đông listed as before is not."""
    expected = [
        (ND_TAX_CODE, "2025-06", "construction", True),
        (ND_TAX_CODE, "2025-07", "operating", True),
        (ND_TAX_CODE, "2025-08", "suspended", True),
        (ND_TAX_CODE, "2025-09", "operating", True),
        (OTHER_TAX_CODE, "2025-08", "operating", True),
        (OTHER_TAX_CODE, "2025-09", "operating", False),
    ]
    assert two_batches["listings"] == expected


def test_a_month_carries_on_from_the_month_before_as_built(two_batches: dict[str, Any]) -> None:
    """2023-04 alone was rebuilt: exports stay a gap (February was never sent), imports add
    April onto March's derived 18 and keep January's estimate status."""
    expected = [
        ("biz_export", "40", None, "gap", None),
        ("biz_import", "8", "26", "derived_from_months", "E"),
    ]
    assert two_batches["april"] == expected
