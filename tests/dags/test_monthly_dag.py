"""Whole DAG runs with dag.test(): a month of submissions from landing to marts.

Runs against a real PostgreSQL: a database made for this module on KCN_TEST_DATABASE_URL's
server, else on the embedded server, and dropped at the end (only that one).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pendulum
import pytest

from kcn import local_airflow as airflow_home
from kcn.warehouse import connection as warehouse
from tests.conftest import write_submission

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ICT = "Asia/Ho_Chi_Minh"
RUN_OF_APRIL_2024 = pendulum.datetime(2024, 4, 11, 2, tz=ICT)  # processes 2024-03
ON_TIME = pendulum.datetime(2024, 4, 5, 9, tz=ICT).timestamp()  # before the deadline (10th)
HN_TWO_PROJECTS = [{"zone_code": "KCN-HN-NOIBAI", "metric_code": "inv_new_projects", "value": "2"}]


@pytest.fixture(scope="module")
def warehouse_url() -> Iterator[str]:
    server = os.environ.get("KCN_TEST_DATABASE_URL") or warehouse.server_url()
    name = f"kcn_test_dags_{uuid.uuid4().hex[:10]}"
    warehouse.ensure_database(server, name)
    yield server.rsplit("/", 1)[0] + "/" + name
    warehouse.drop_database(server, name)


@pytest.fixture
def landing(tmp_path: Path, warehouse_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Landing, archive and outbox in a temporary folder; the module's database as warehouse."""
    for name in ("landing", "archive", "outbox"):
        monkeypatch.setenv(f"KCN_{name.upper()}", str(tmp_path / name))
    monkeypatch.setenv("KCN_WAREHOUSE_URL", warehouse_url)
    return tmp_path / "landing"


def _submit(landing: Path, submitter: str, rows: list[dict[str, str]]) -> None:
    folder = write_submission(landing, "2024-03", submitter, rows)
    for path in folder.iterdir():  # received on time: no W_LATE
        os.utime(path, (ON_TIME, ON_TIME))


def _query(url: str, statement: str) -> list[tuple]:
    with warehouse.connect(url) as conn, conn.cursor() as cur:
        cur.execute(statement)
        return cur.fetchall()


def _asset_events(uri: str) -> int:
    """Events Airflow recorded for an asset: what schedules the DAGs that wait for it."""
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import func, select

    with create_session() as session:
        return session.scalar(
            select(func.count())
            .select_from(AssetEvent)
            .join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .where(AssetModel.uri == uri)
        )


def test_a_month_runs_from_landing_to_marts(
    airflow_db: Path, landing: Path, warehouse_url: str
) -> None:
    _submit(landing, "BQL-HN", HN_TWO_PROJECTS)
    _submit(
        landing,
        "BQL-HNA",
        [{"zone_code": "KCN-HNA-DONGVAN1", "metric_code": "inv_new_project", "value": "7"}],
    )
    _submit(
        landing,
        "UBND-HN-SOCSON",
        [
            {
                "zone_code": "KCN-HN-NOIBAI",
                "metric_code": "saf_fire_incidents",
                "value": "1",
                "unit": "CASE",
            }
        ],
    )

    events_before = _asset_events("kcn://warehouse/raw_submissions")

    intake_state = airflow_home.run_dag("kcn_monthly_intake", RUN_OF_APRIL_2024)

    assert intake_state == "success"
    registry = _query(
        warehouse_url,
        "select submitter_code, period, version_no, outcome"
        " from kcn_audit.submission_version order by 1",
    )
    assert registry == [
        ("BQL-HN", "2024-03", 1, "accepted"),
        ("BQL-HNA", "2024-03", 1, "rejected"),
        ("UBND-HN-SOCSON", "2024-03", 1, "accepted"),
    ]
    findings = _query(
        warehouse_url,
        "select v.submitter_code, f.rule_id, f.value"
        " from kcn_audit.finding as f join"
        " kcn_audit.submission_version as v using (version_id)",
    )
    assert findings == [("BQL-HNA", "E_UNKNOWN_METRIC", "inv_new_project")]
    assert _asset_events("kcn://warehouse/raw_submissions") == events_before + 1
    # After the deadline, a reminder to each board and district still missing: Hà Nam's
    # only version was rejected, Nam Định's board and eight districts sent nothing.
    reminders = _query(
        warehouse_url,
        "select submitter_code, reason, outbox_path from kcn_audit.reminder"
        " where submitter_code like 'BQL-%' order by 1",
    )
    assert reminders == [
        ("BQL-HNA", "rejected_only", "2024-03/BQL-HNA/reminder-rejected_only.txt"),
        ("BQL-ND", "missing", "2024-03/BQL-ND/reminder-missing.txt"),
    ]
    assert _query(warehouse_url, "select count(*) from kcn_audit.reminder") == [(10,)]
    assert (landing.parent / "outbox" / "2024-03" / "BQL-ND" / "reminder-missing.txt").exists()

    transform_state = airflow_home.run_dag("kcn_transform", pendulum.now(ICT))

    assert transform_state == "success"
    facts = _query(
        warehouse_url,
        "select submitter_code, zone_code, metric_code, value_kind, period_basis,"
        " value_canonical from marts.fct_indicators_monthly"
        " where period = '2024-03' order by 1",
    )
    assert facts == [
        ("BQL-HN", "KCN-HN-NOIBAI", "inv_new_projects", "actual", "month", Decimal("2")),
        ("UBND-HN-SOCSON", "KCN-HN-NOIBAI", "saf_fire_incidents", "actual", "month", Decimal("1")),
    ]
    # the transform writes the month's audit report: its versions and their findings
    from bs4 import BeautifulSoup

    report = landing.parent / "outbox" / "audit" / "kcn-audit-2024-03.html"
    page = BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser")
    versions = page.select("#versions-table tbody tr")
    assert [tr.find_all("td")[1].get_text() for tr in versions] == [
        "BQL-HN",
        "BQL-HNA",
        "UBND-HN-SOCSON",
    ]
    assert "E_UNKNOWN_METRIC" in page.select_one("#findings-table").get_text()


def test_running_a_month_again_changes_nothing(
    airflow_db: Path, landing: Path, warehouse_url: str
) -> None:
    """A re-run, here with the period given as a param on another date, finds no new version."""
    _submit(landing, "BQL-HN", HN_TWO_PROJECTS)
    assert airflow_home.run_dag("kcn_monthly_intake", RUN_OF_APRIL_2024) == "success"
    before = _query(
        warehouse_url,
        "select version_id, outcome, validated_at from kcn_audit.submission_version order by 1",
    )

    state = airflow_home.run_dag(
        "kcn_monthly_intake", pendulum.datetime(2024, 9, 11, 2, tz=ICT), conf={"period": "2024-03"}
    )

    assert state == "success"
    after = _query(
        warehouse_url,
        "select version_id, outcome, validated_at from kcn_audit.submission_version order by 1",
    )
    assert after == before
