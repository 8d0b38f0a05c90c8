"""Completeness and timeliness (DHIS2's expected, actual and on-time reports) in the marts,
the reporting relations and `kcn status`, on a registry of a few versions."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from kcn.reports import status
from kcn.transform.dbt_command import run_dbt
from kcn.warehouse import connection as warehouse
from tests.dbt.conftest import fresh_database, insert_version
from tests.dbt.conftest import query as _query

pytestmark = [pytest.mark.integration, pytest.mark.slow]

D = Decimal
LEVELS = ("submitter", "province", "national")
HN_DISTRICTS = 9  # Hà Nội's district submitters in include/kcn/reference/submitters.csv
# (submitter, period, version_no, outcome, received_at in Vietnam)
VERSIONS = [
    ("BQL-HN", "2021-11", 1, "accepted", "2021-12-06 10:00"),
    # rejected on time, never resent: missing
    ("BQL-ND", "2021-11", 1, "rejected", "2021-12-05 10:00"),
    # accepted three days after the deadline
    ("BQL-HNA", "2021-11", 1, "accepted_with_warnings", "2021-12-13 08:00"),
    # a district: rejected, then accepted at 23:30 on the deadline's day
    ("UBND-HN-DONGANH", "2021-11", 1, "rejected", "2021-12-08 10:00"),
    ("UBND-HN-DONGANH", "2021-11", 2, "accepted", "2021-12-10 23:30"),
    # after the merger and the end of districts: only Hà Nội's and Ninh Bình's boards owe
    ("BQL-NB", "2025-07", 1, "accepted", "2025-08-04 10:00"),
]


def insert_versions(cur: Any, versions: list[tuple[str, str, int, str, str]]) -> None:
    for submitter, period, version_no, outcome, received_at in versions:
        insert_version(cur, submitter, period, version_no, outcome, received_at=received_at)


@pytest.fixture(scope="module")
def completeness_url() -> Iterator[dict[str, Any]]:
    with fresh_database("kcn_test_completeness") as url:
        with warehouse.connect(url) as conn, conn.cursor() as cur:
            insert_versions(cur, VERSIONS)
            before_dbt = status.month_summary(cur, "2021-11")
        models = [f"+rpt_completeness_{level}_monthly" for level in LEVELS]
        run_dbt(["build", "--select", *models, "--indirect-selection", "cautious"], url=url)
        yield {"url": url, "before_dbt": before_dbt}


# Questions to the reporting relations, and their answers.
ANSWERS = [
    pytest.param(
        """
        select submitter_code, expected, actual, on_time, rejected_only, missing, days_late,
               report_status_en
        from reporting.rpt_completeness_submitter_monthly
        where period = '2021-11' and (submitter_code like 'BQL-%%' or versions_received > 0)
        order by submitter_code
        """,
        [
            ("BQL-HN", 1, 1, 1, 0, 0, 0, "On time"),
            ("BQL-HNA", 1, 1, 0, 0, 0, 3, "Late"),
            ("BQL-ND", 1, 0, 0, 1, 1, None, "Rejected, not resent"),
            ("UBND-HN-DONGANH", 1, 1, 1, 0, 0, 0, "On time"),
        ],
        id="each_submitter_of_a_month",
    ),
    pytest.param(
        """
        select period, province_code, expected, actual, on_time, rejected_only, missing,
               reporting_rate, on_time_rate, period_start::text
        from reporting.rpt_completeness_province_monthly
        where province_code = 'HN' and period in ('2021-11', '2025-07')
        order by period
        """,
        [
            # the board and 9 districts; the board and Đông Anh reported, on time
            ("2021-11", "HN", 10, 2, 2, 0, 8, D("20.00"), D("20.00"), "2021-11-01"),
            # districts ended on 2025-06-30: only the board is expected
            ("2025-07", "HN", 1, 0, 0, 0, 1, D("0.00"), D("0.00"), "2025-07-01"),
        ],
        id="hanoi_districts_reporting_rate",
    ),
    pytest.param(
        """
        select period, expected, actual, on_time, rejected_only, missing, reporting_rate,
               on_time_rate
        from reporting.rpt_completeness_national_monthly
        where period in ('2021-11', '2021-12', '2025-07')
        order by period
        """,
        [
            ("2021-11", 3 + HN_DISTRICTS, 3, 2, 1, 9, D("25.00"), D("16.67")),
            # a month nobody sent: everyone missing
            ("2021-12", 3 + HN_DISTRICTS, 0, 0, 0, 12, D("0.00"), D("0.00")),
            # after the merger: Hà Nội's and Ninh Bình's boards
            ("2025-07", 2, 1, 1, 0, 1, D("50.00"), D("50.00")),
        ],
        id="national_rollup_across_the_merger",
    ),
]


@pytest.mark.parametrize(("question", "answer"), ANSWERS)
def test_reporting_answers(
    completeness_url: dict[str, Any], question: str, answer: list[tuple]
) -> None:
    assert _query(completeness_url["url"], question) == answer


def test_status_reads_the_marts_numbers(completeness_url: dict[str, Any]) -> None:
    with warehouse.connect(completeness_url["url"]) as conn, conn.cursor() as cur:
        result = status.month_summary(cur, "2021-11")
    assert result["completeness_source"] == "marts.fct_reporting_completeness"
    assert result["completeness"] == {
        "expected": 12,
        "actual": 3,
        "on_time": 2,
        "rejected_only": 1,
        "missing": 9,
        "reporting_rate": 25.0,
        "on_time_rate": 16.67,
    }
    assert result["rejected_only"] == ["BQL-ND"]
    assert "BQL-ND" in result["missing"]
    assert result["late"] == ["BQL-HNA"]
    # Before dbt had run, status worked the same numbers out from the registry.
    before = completeness_url["before_dbt"]
    assert before["completeness_source"] == "kcn_audit.submission_version"
    for key in ("completeness", "missing", "rejected_only", "late", "expected"):
        assert before[key] == result[key], key
