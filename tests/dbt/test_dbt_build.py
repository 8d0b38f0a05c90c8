"""dbt build on a small warehouse: only versions in force reach the marts, exactly scaled,
each currency kept apart, zones joined to the province of the reporting month."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import yaml

from kcn.settings import get_settings
from kcn.transform.dbt_command import run_dbt
from kcn.warehouse import connection as warehouse
from tests.dbt.conftest import insert_enterprise_rows, insert_indicator_rows, insert_version
from tests.dbt.conftest import query as _query

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TAX_CODE = "0100109106"
CANON = (TAX_CODE, "Công ty TNHH Canon Việt Nam", "KCN-HN-NOIBAI", "FDI", "JP", "26", "operating")

# (submitter, period, version_no, outcome, rows); a row is
# (zone_code, enterprise_tax_code, metric_code, value_kind, period_basis, value, unit).
VERSIONS: list[tuple[str, str, int, str, list[tuple[Any, ...]]]] = [
    (
        "BQL-HN",
        "2024-03",
        1,
        "accepted",
        [
            (None, None, "inv_new_capital", "actual", "ytd", "26.9", "USD_MN"),
            (None, None, "inv_new_capital", "actual", "ytd", "315000", "VND_MN"),
            ("KCN-HN-NOIBAI", None, "lab_workers", "actual", "eom", "165000", "PERSON"),
            ("KCN-HN-NOIBAI", TAX_CODE, "biz_export", "actual", "month", "1250", "USD_TH"),
        ],
    ),
    # Newer but rejected: its rows (garbage included) must never reach the marts.
    (
        "BQL-HN",
        "2024-03",
        2,
        "rejected",
        [
            (None, None, "inv_new_capital", "actual", "ytd", "1.178,5", "VND_MN"),
            (None, None, "inv_new_capital", "actual", "ytd", "abc", "USD_MN"),
        ],
    ),
    (
        "BQL-ND",
        "2025-06",
        1,
        "accepted",
        [
            ("KCN-ND-HOAXA", None, "lnd_total_area", "actual", "eom", "200.5", "HA"),
        ],
    ),
    # After the merger the same zone is Ninh Bình's, reported by BQL-NB.
    (
        "BQL-NB",
        "2025-07",
        1,
        "accepted_with_warnings",
        [
            ("KCN-ND-HOAXA", None, "lnd_total_area", "actual", "eom", "200.5", "HA"),
        ],
    ),
]


def _insert_version(
    cur: Any,
    submitter: str,
    period: str,
    version_no: int,
    outcome: str,
    rows: list[tuple[Any, ...]],
) -> int:
    version_id = insert_version(cur, submitter, period, version_no, outcome)
    insert_indicator_rows(cur, version_id, submitter, period, rows)
    return version_id


@pytest.fixture(scope="module")
def built(warehouse_test_url: str) -> Iterator[dict[str, Any]]:
    """Fill the registry and raw tables, run dbt build once; yield the URL and version ids."""
    with warehouse.connect(warehouse_test_url) as conn, conn.cursor() as cur:
        ids = {
            (submitter, period, version_no): _insert_version(
                cur, submitter, period, version_no, outcome, rows
            )
            for submitter, period, version_no, outcome, rows in VERSIONS
        }
        insert_enterprise_rows(cur, ids[("BQL-HN", "2024-03", 1)], [CANON])
        cur.execute(
            """
            insert into kcn_audit.finding
                (version_id, rule_id, severity, file_name, row_number, column_name, value,
                 message_vi, message_en)
            values (%s, 'W_OUTLIER', 'warning', 'indicators.csv', 2, 'value', '200.5',
                    'Giá trị bất thường', 'Unusual value')
            """,
            (ids[("BQL-NB", "2025-07", 1)],),
        )
    run_dbt(["build"], url=warehouse_test_url)
    yield {"url": warehouse_test_url, "ids": ids}


def test_rejected_newer_version_leaves_the_accepted_one_in_force(built: dict[str, Any]) -> None:
    result = _query(
        built["url"],
        "select distinct version_id, outcome from marts.fct_indicators_monthly "
        "where submitter_code = 'BQL-HN' and period = '2024-03'",
    )
    expected = [(built["ids"][("BQL-HN", "2024-03", 1)], "accepted")]
    assert result == expected


# Questions to the marts, and their answers.
ANSWERS = [
    pytest.param(
        "select currency, value_canonical, canonical_unit, value_as_sent, unit_as_sent "
        "from marts.fct_indicators_monthly "
        "where metric_code = 'inv_new_capital' and zone_code is null order by currency",
        [
            ("USD", Decimal("26.9"), "USD_MN", Decimal("26.9"), "USD_MN"),
            ("VND", Decimal("315"), "VND_BN", Decimal("315000"), "VND_MN"),
        ],
        id="both_currencies_are_kept_and_scaled_exactly",
    ),
    pytest.param(
        "select f.value_canonical, f.canonical_unit, e.enterprise_name, e.ownership "
        "from marts.fct_indicators_monthly as f "
        "inner join marts.dim_enterprise as e on f.enterprise_tax_code = e.tax_code",
        [(Decimal("1.25"), "USD_MN", "Công ty TNHH Canon Việt Nam", "FDI")],
        id="enterprise_figure_scaled_and_linked",
    ),
    pytest.param(
        "select f.period_key, f.submitter_code, z.province_code "
        "from marts.fct_indicators_monthly as f "
        "inner join marts.dim_zone as z on f.zone_key = z.zone_key "
        "where f.zone_code = 'KCN-ND-HOAXA' order by f.period_key",
        [(202506, "BQL-ND", "ND"), (202507, "BQL-NB", "NB")],
        id="zone_key_follows_the_2025_merger",
    ),
    pytest.param(
        "select outcome, warning_rule_ids from marts.fct_indicators_monthly "
        "where submitter_code = 'BQL-NB'",
        [("accepted_with_warnings", "W_OUTLIER")],
        id="warnings_load_flagged",
    ),
    pytest.param(
        "select period, month_start::text, year, quarter, half, month, month_name_vi, "
        "month_name_en from marts.dim_period where period_key = 202103",
        [("2021-03", "2021-03-01", 2021, 1, 1, 3, "Tháng 3", "March")],
        id="dim_period_labels",
    ),
]


@pytest.mark.parametrize(("question", "answer"), ANSWERS)
def test_marts_answers(built: dict[str, Any], question: str, answer: list[tuple]) -> None:
    assert _query(built["url"], question) == answer


def test_failed_dbt_test_raises_naming_the_node(built: dict[str, Any]) -> None:
    """An accepted value the cast refuses fails not_null, and run_dbt says which test."""
    url = built["url"]
    with warehouse.connect(url) as conn, conn.cursor() as cur:
        bad_version = _insert_version(
            cur,
            "BQL-HN",
            "2024-04",
            1,
            "accepted",
            [
                (None, None, "inv_new_projects", "actual", "month", "seven", "PROJECT"),
            ],
        )
    try:
        with pytest.raises(RuntimeError, match="not_null_int_indicator_vintages_value_canonical"):
            run_dbt(["build", "--select", "int_indicator_vintages"], url=url)
        # the failed test is kept with its failing row, beside the history of earlier runs
        [(status, failures, relation, sample)] = _query(
            url,
            "select status, failures, failures_relation, failure_sample"
            " from kcn_audit.dbt_test_result where test_name = %s"
            " order by invoked_at desc limit 1",
            ("not_null_int_indicator_vintages_value_canonical",),
        )
        assert (status, failures) == ("fail", 1)
        assert relation.startswith('"') and '"dbt_test_failures"' in relation
        assert [row["version_id"] for row in sample] == [bad_version]
        [(runs, passed)] = _query(
            url,
            "select count(distinct run_id), count(*) filter (where status = 'pass')"
            " from kcn_audit.dbt_test_result",
        )
        assert runs == 2 and passed > 100  # the fixture's whole build, then this one
    finally:
        with warehouse.connect(url) as conn, conn.cursor() as cur:
            cur.execute(
                "delete from intermediate.int_indicator_vintages where version_id = %s",
                (bad_version,),
            )
            cur.execute("delete from kcn_raw.indicators where version_id = %s", (bad_version,))
            cur.execute(
                "delete from kcn_audit.submission_version where version_id = %s", (bad_version,)
            )


def test_every_model_column_is_described(built: dict[str, Any]) -> None:
    """dbt docs describe every column of every model as built (issue 4: BI users and
    auditors read the docs, so a column added without a description is a bug)."""
    described: dict[str, dict[str, str]] = {}
    for path in (get_settings().dbt_project_dir / "models").rglob("*.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            described[model["name"]] = {
                c["name"]: (c.get("description") or "").strip() for c in model.get("columns", [])
            }
    built_columns = _query(
        built["url"],
        "select table_name, column_name from information_schema.columns"
        " where table_schema in ('staging', 'intermediate', 'marts', 'reporting')",
    )
    assert built_columns
    missing = sorted(
        f"{table}.{column}"
        for table, column in built_columns
        if not described.get(table, {}).get(column)
    )
    assert missing == []
