"""The pipeline's steps on a real PostgreSQL: intake, staging, validation, versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kcn import pipeline
from tests.conftest import query as _query
from tests.conftest import write_submission

pytestmark = pytest.mark.integration


def _good_rows(projects: str = "2") -> list[dict[str, str]]:
    return [{"zone_code": "KCN-HN-NOIBAI", "metric_code": "inv_new_projects", "value": projects}]


def _send_march(landing: Path, rows: list[dict[str, str]]) -> int:
    """BQL-HN sends March 2024 in place of what it sent before; the new version's id."""
    shutil.rmtree(landing / "2024-03" / "BQL-HN", ignore_errors=True)
    write_submission(landing, "2024-03", "BQL-HN", rows)
    [version] = pipeline.intake_month("2024-03")
    return version


def test_versions_are_registered_once_and_a_rejected_one_leaves_the_accepted_in_force(
    workspace: Path, database_url: str
) -> None:
    landing = workspace / "landing"
    first = _send_march(landing, _good_rows())

    assert pipeline.process_version(first)["outcome"] == "accepted"
    assert pipeline.intake_month("2024-03") == []  # same content: no new version

    second = _send_march(
        landing,
        [
            *_good_rows("3"),
            {"zone_code": "KCN-HN-NOIBAI", "metric_code": "inv_new_project", "value": "1"},
        ],
    )
    result = pipeline.process_version(second)

    assert result["outcome"] == "rejected"
    rows = _query(
        database_url,
        "select version_no, outcome, superseded_by from kcn_audit.submission_version"
        " order by version_no",
    )
    assert rows == [(1, "accepted", None), (2, "rejected", None)]
    finding = _query(
        database_url,
        "select rule_id, file_name, row_number, column_name, value"
        " from kcn_audit.finding where version_id = %s",
        (second,),
    )
    assert finding == [("E_UNKNOWN_METRIC", "indicators.csv", 3, "metric_code", "inv_new_project")]
    # every received row stays in the raw layer for audit, rejected or not
    assert _query(
        database_url, "select count(*) from kcn_raw.indicators where version_id = %s", (second,)
    ) == [(2,)]
    assert (workspace / "outbox" / "2024-03" / "BQL-HN" / "v2-rejected-findings.csv").exists()


def test_an_accepted_correction_supersedes_the_older_version(
    workspace: Path, database_url: str
) -> None:
    landing = workspace / "landing"
    first = _send_march(landing, _good_rows())
    pipeline.process_version(first)
    second = _send_march(landing, _good_rows("5"))

    pipeline.process_version(second)
    pipeline.process_version(second)  # a re-run gives the same result

    assert _query(
        database_url,
        "select version_no, outcome, superseded_by from kcn_audit.submission_version"
        " order by version_no",
    ) == [(1, "accepted", second), (2, "accepted", None)]
    assert _query(database_url, "select count(*) from kcn_raw.indicators") == [(2,)]


def test_an_unreadable_file_is_rejected_and_the_month_goes_on(
    workspace: Path, database_url: str
) -> None:
    landing = workspace / "landing"
    bad = landing / "2024-03" / "BQL-ND"
    bad.mkdir(parents=True)
    (bad / "indicators.csv").write_bytes("Hà Nam".encode("cp1258") + b"\xff\xfe\n")
    write_submission(landing, "2024-03", "BQL-HN", _good_rows())

    results = [pipeline.process_version(v) for v in pipeline.intake_month("2024-03")]
    outcomes = {r["submitter_code"]: r["outcome"] for r in results}

    assert outcomes == {"BQL-HN": "accepted", "BQL-ND": "rejected"}
    assert _query(
        database_url,
        "select rule_id, severity from kcn_audit.finding f join "
        "kcn_audit.submission_version v using (version_id) where v.submitter_code ="
        " 'BQL-ND' and f.severity <> 'warning'",
    ) == [("E_ENCODING", "fatal")]


def test_an_xlsx_submission_goes_through_the_archive_and_gets_feedback(
    workspace: Path, database_url: str
) -> None:
    from openpyxl import load_workbook

    from kcn.intake import template

    folder = workspace / "landing" / "2024-03" / "UBND-HN-THACHTHAT"
    folder.mkdir(parents=True)
    book = template.build_template("UBND-HN-THACHTHAT", "2024-03")
    sheet = book["indicators"]
    header = [c.value for c in sheet[1]]
    value = header.index("value") + 1
    for r in range(2, sheet.max_row + 1):
        sheet.cell(r, value).value = "1.000" if r == 2 else 1  # 1000, typed as text
    book.save(folder / "bao-cao-thang-3.xlsx")

    [version] = pipeline.intake_month("2024-03")
    result = pipeline.process_version(version)

    rows = sheet.max_row - 1
    assert result["outcome"] == "accepted_with_warnings"
    assert _query(
        database_url,
        "select count(*), count(*) filter (where value_as_text) from kcn_raw.indicators",
    ) == [(rows, 1)]
    assert _query(
        database_url,
        "select rule_id, row_number, value from kcn_audit.finding"
        " where severity = 'warning' and rule_id <> 'W_LATE'",
    ) == [("W_NUMBER_AS_TEXT", 2, "1000")]
    report = workspace / "outbox" / "2024-03" / "UBND-HN-THACHTHAT"
    feedback = load_workbook(next(report.glob("v1-*-feedback.xlsx")))
    assert "findings" in feedback.sheetnames


def _ytd(zone: str, value: str) -> dict[str, str]:
    return {
        "zone_code": zone,
        "metric_code": "biz_industrial_output",
        "period_basis": "ytd",
        "value": value,
        "unit": "VND_BN",
    }


@pytest.mark.parametrize(
    ("july_zone_ytd", "expected"),
    [
        ("650", []),  # June's 600 (BQL-ND) plus July's 50
        ("500", ["W_YTD_DECREASE"]),  # below June's 600 (said once, as a decrease)
        ("700", ["W_YTD_MONTH_MISMATCH"]),  # not 600 + 50
    ],
)
def test_the_merged_board_is_compared_with_the_board_its_zones_had(
    workspace: Path, database_url: str, july_zone_ytd: str, expected: list[str]
) -> None:
    """BQL-NB's first month (2025-07) after the merger: a zone's year to date runs on from
    what BQL-ND sent for it in June. BQL-NB's all-zones row covers more zones than BQL-ND's
    did, so BQL-ND's all-zones figures are not its history."""
    zone = "KCN-ND-BAOMINH"
    landing = workspace / "landing"
    write_submission(landing, "2025-06", "BQL-ND", [_ytd(zone, "600"), _ytd("", "600")])
    [june] = pipeline.intake_month("2025-06")
    assert pipeline.process_version(june)["outcome"] == "accepted"
    # The all-zones row equals its one zone row: below BQL-ND's 600 in the second case, and
    # silent, since BQL-ND's all-zones figure is not its history.
    july_rows = [
        _ytd(zone, july_zone_ytd),
        {**_ytd(zone, "50"), "period_basis": "month"},
        _ytd("", july_zone_ytd),
    ]
    write_submission(landing, "2025-07", "BQL-NB", july_rows)

    [july] = pipeline.intake_month("2025-07")
    pipeline.process_version(july)

    findings = _query(
        database_url,
        "select rule_id, row_number from kcn_audit.finding where version_id = %s order by rule_id",
        (july,),
    )
    assert findings == [(rule_id, 2) for rule_id in expected]


def test_every_expectation_result_is_kept_per_version(workspace: Path, database_url: str) -> None:
    landing = workspace / "landing"
    write_submission(landing, "2024-03", "BQL-HN", _good_rows())
    write_submission(
        landing,
        "2024-03",
        "BQL-ND",
        [{"zone_code": "KCN-ND-HOAXA", "metric_code": "inv_new_project", "value": "1"}],
    )
    good, bad = pipeline.intake_month("2024-03")
    for version_id in (good, bad):
        pipeline.stage_version(version_id)
    pipeline.validate_versions([good, bad])
    pipeline.validate_versions([good, bad])  # a re-run replaces, never adds

    rows = _query(
        database_url,
        "select version_id, count(*), count(*) filter (where not success),"
        " count(distinct run_id), sum(element_count) / count(*)"
        " from kcn_audit.check_result group by version_id order by version_id",
    )
    assert [(v, failed, runs, elements) for v, _, failed, runs, elements in rows] == [
        (good, 0, 1, 1),
        (bad, 1, 1, 1),
    ]
    assert rows[0][1] == rows[1][1] > 10  # every expectation of the suite, passed or not
    failed = _query(
        database_url,
        "select rule_id, unexpected_count, unexpected_percent, unexpected_rows"
        " from kcn_audit.check_result where not success",
    )
    assert failed == [
        ("E_UNKNOWN_METRIC", 1, 100, [{"file_name": "indicators.csv", "row_number": 2}])
    ]
