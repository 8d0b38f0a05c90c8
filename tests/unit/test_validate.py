"""Validating one submission version with real GX: each rule fires; its near miss does not."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from kcn.contract import ACCEPTED as OUTCOME_ACCEPTED
from kcn.contract import ACCEPTED_WITH_WARNINGS as OUTCOME_WARNINGS
from kcn.contract import ENTERPRISE_COLUMNS
from kcn.contract import REJECTED as OUTCOME_REJECTED
from kcn.intake.tables import ParsedSubmission, problem
from kcn.validation.context import History
from kcn.validation.findings import outcome_of as outcome
from kcn.validation.prepare_indicators import RULE_COLUMNS
from kcn.validation.validate import validate
from tests.row_edits import Edit, add, change, change_ent, drop

ICT = ZoneInfo("Asia/Ho_Chi_Minh")
FDI_CODE, DDI_CODE, BRANCH_CODE = "0100109106", "0100233488", "0100109106-001"
UNLISTED_CODE = "0312687878"  # a valid MST that no enterprises table lists

# A clean BQL-HN 2024-03 submission. Spreadsheet rows: the first data row is row 2.
INDICATORS: list[tuple[str | None, str | None, str, str, str, str, str]] = [
    # zone_code, enterprise_tax_code, metric_code, value_kind, period_basis, value, unit
    (None, None, "inv_new_projects", "actual", "ytd", "35", "PROJECT"),  # 2
    (None, None, "inv_new_projects_fdi", "actual", "ytd", "20", "PROJECT"),  # 3
    (None, None, "inv_new_projects_ddi", "actual", "ytd", "15", "PROJECT"),  # 4
    (None, None, "inv_new_capital", "actual", "ytd", "26.9", "USD_MN"),  # 5
    (None, None, "inv_new_capital", "actual", "ytd", "315", "VND_BN"),  # 6
    ("KCN-HN-THANGLONG", None, "lab_workers", "actual", "eom", "1000", "PERSON"),  # 7
    ("KCN-HN-THANGLONG", None, "lab_workers_female", "actual", "eom", "600", "PERSON"),  # 8
    ("KCN-HN-THANGLONG", FDI_CODE, "lab_workers", "actual", "eom", "800", "PERSON"),  # 9
    ("KCN-HN-NOIBAI", None, "lnd_total_area", "actual", "eom", "100", "HA"),  # 10
    ("KCN-HN-NOIBAI", None, "lnd_industrial_area", "actual", "eom", "80", "HA"),  # 11
    ("KCN-HN-NOIBAI", None, "lnd_leased_area", "actual", "eom", "60.5", "HA"),  # 12
    (None, None, "biz_export", "actual", "ytd", "500", "USD_MN"),  # 13
    ("KCN-HN-THANGLONG", None, "biz_export", "actual", "ytd", "300", "USD_MN"),  # 14
    ("KCN-HN-NOIBAI", None, "biz_export", "actual", "ytd", "200000", "USD_TH"),  # 15
    (None, None, "inv_new_projects", "plan", "year", "100", "PROJECT"),  # 16
    (None, None, "saf_fire_incidents", "actual", "month", "0", "CASE"),  # 17
    (
        "KCN-HN-NOIBAI",
        DDI_CODE,
        "lab_avg_income",
        "estimate",
        "ytd",
        "9.5",
        "VND_MN_PER_PERSON_MONTH",
    ),  # 18
]
ENTERPRISES: list[tuple[str, str, str | None, str | None, str | None, str | None, str]] = [
    # tax_code, enterprise_name, zone_code, ownership, investor_country, vsic_code, status
    (
        FDI_CODE,
        "Công ty TNHH Điện tử Ánh Dương",
        "KCN-HN-THANGLONG",
        "FDI",
        "JP",
        "2610",
        "operating",
    ),  # 2
    (
        DDI_CODE,
        "Công ty Cổ phần Cơ khí Đông Anh",
        "KCN-HN-NOIBAI",
        "DDI",
        "VN",
        "C",
        "operating",
    ),  # 3
]
IND_COLUMNS = list(RULE_COLUMNS)
ENT_COLUMNS = list(ENTERPRISE_COLUMNS)


def submission(
    *edits: Edit,
    submitter: str = "BQL-HN",
    period: str = "2024-03",
    received_at: datetime | None = None,
) -> ParsedSubmission:
    """The clean submission with `edits` applied (edits see indicator and enterprise rows)."""
    ind = [
        dict(
            zip(IND_COLUMNS, r, strict=True),
            submitter_code=submitter,
            period=period,
            note=None,
            value_as_text=False,
        )
        for r in INDICATORS
    ]
    ent = [dict(zip(ENT_COLUMNS, r, strict=True)) for r in ENTERPRISES]
    for edit in edits:
        edit(ind, ent)
    indicators = pd.DataFrame(ind)
    indicators.insert(0, "row_number", range(2, len(ind) + 2))
    indicators.insert(0, "file_name", "indicators.csv")
    enterprises = pd.DataFrame(ent, columns=ENT_COLUMNS)
    enterprises.insert(0, "row_number", range(2, len(ent) + 2))
    enterprises.insert(0, "file_name", "enterprises.csv")
    return ParsedSubmission(submitter, period, indicators, enterprises, [], received_at=received_at)


def only(**values: object) -> Edit:
    """Replace every row by one all-zones fire-incident row with `values`; no enterprises."""

    def edit(ind: list[dict], ent: list[dict]) -> None:
        ind[:] = [{**ind[15], "zone_code": None, **values}]
        ent.clear()

    return edit


def located(findings: list, rule_id: str) -> list[tuple[str | None, int | None, str | None]]:
    return [(f.file, f.row, f.column) for f in findings if f.rule_id == rule_id]


def test_the_clean_submission_is_accepted():
    findings = validate(submission())

    assert findings == []
    assert outcome(findings) == OUTCOME_ACCEPTED


IND, ENT = "indicators.csv", "enterprises.csv"
TRIGGERS = [
    # (edits, rule_id, where it is reported)
    ((change(2, submitter_code="BQL-ND"),), "E_SUBMITTER_MISMATCH", (IND, 2, "submitter_code")),
    ((change(3, submitter_code=None),), "E_SUBMITTER_MISMATCH", (IND, 3, "submitter_code")),
    ((change(4, period="2024-02"),), "E_PERIOD_MISMATCH", (IND, 4, "period")),
    ((change(4, period="03/2024"),), "E_PERIOD_MISMATCH", (IND, 4, "period")),
    ((change(5, metric_code="inv_new_capitals"),), "E_UNKNOWN_METRIC", (IND, 5, "metric_code")),
    ((change(5, metric_code=None),), "E_UNKNOWN_METRIC", (IND, 5, "metric_code")),
    (
        (change(17, metric_code="dst_inspections"),),
        "E_METRIC_NOT_ALLOWED",
        (IND, 17, "metric_code"),
    ),  # a district metric from a board
    (
        (change(9, metric_code="ent_operating", unit="ENTERPRISE"),),
        "E_METRIC_NOT_ALLOWED",
        (IND, 9, "metric_code"),
    ),  # a zone-level metric on an enterprise row
    ((change(7, zone_code="KCN-HN-BACTHANGLONG"),), "E_UNKNOWN_ZONE", (IND, 7, "zone_code")),
    ((change(9, zone_code=None),), "E_UNKNOWN_ZONE", (IND, 9, "zone_code")),
    ((change(7, zone_code="KCN-ND-HOAXA"),), "E_ZONE_NOT_IN_JURISDICTION", (IND, 7, "zone_code")),
    (
        (change_ent(3, zone_code="KCN-HNA-CHAUSON"),),
        "E_ZONE_NOT_IN_JURISDICTION",
        (ENT, 3, "zone_code"),
    ),
    (
        (change(9, enterprise_tax_code=UNLISTED_CODE),),
        "E_UNKNOWN_ENTERPRISE",
        (IND, 9, "enterprise_tax_code"),
    ),
    (
        (change(9, enterprise_tax_code="0100109107"),),
        "E_TAX_CODE",
        (IND, 9, "enterprise_tax_code"),
    ),  # check digit
    ((change_ent(2, tax_code="0100109106002"),), "E_TAX_CODE", (ENT, 2, "tax_code")),
    ((change_ent(2, tax_code=None),), "E_TAX_CODE", (ENT, 2, "tax_code")),
    ((change(2, value_kind="forecast"),), "E_VALUE_KIND", (IND, 2, "value_kind")),
    ((change(2, value_kind=None),), "E_VALUE_KIND", (IND, 2, "value_kind")),
    ((change(7, period_basis="ytd"),), "E_BASIS", (IND, 7, "period_basis")),  # stock
    ((change(16, period_basis="month"),), "E_BASIS", (IND, 16, "period_basis")),  # plan
    ((change(2, period_basis=None),), "E_BASIS", (IND, 2, "period_basis")),
    ((change(5, value="26,9"),), "E_BAD_NUMBER", (IND, 5, "value")),
    ((change(6, value="1 178"),), "E_BAD_NUMBER", (IND, 6, "value")),
    ((change(6, value=None),), "E_BAD_NUMBER", (IND, 6, "value")),
    ((change(6, value="-5"),), "E_NEGATIVE", (IND, 6, "value")),
    ((change(2, value="35.5"),), "E_NOT_INTEGER", (IND, 2, "value")),
    ((change(2, unit="USD"),), "E_UNIT", (IND, 2, "unit")),  # another family
    ((change(5, unit="TRIEU_USD"),), "E_UNIT", (IND, 5, "unit")),  # unknown
    ((change(5, unit=None),), "E_UNIT", (IND, 5, "unit")),
    ((add(),), "E_DUPLICATE_KEY", (IND, 19, "metric_code")),  # row 2 again
    (
        (add(metric_code="inv_new_capital", value="26900", unit="USD_TH"),),
        "E_DUPLICATE_KEY",
        (IND, 19, "metric_code"),
    ),  # same currency as row 5, another scale
    ((change(8, value="1200"),), "E_PART_EXCEEDS_WHOLE", (IND, 8, "value")),
    ((change(12, value="90"),), "E_PART_EXCEEDS_WHOLE", (IND, 12, "value")),
    ((change(3, value="40"),), "E_PART_EXCEEDS_WHOLE", (IND, 3, "value")),
    ((change_ent(2, ownership="foreign"),), "E_BAD_REFERENCE", (ENT, 2, "ownership")),
    ((change_ent(2, investor_country="JPN"),), "E_BAD_REFERENCE", (ENT, 2, "investor_country")),
    (
        (change_ent(2, investor_country=None),),
        "E_BAD_REFERENCE",
        (ENT, 2, "investor_country"),
    ),  # FDI needs the investor's country
    (
        (change_ent(3, investor_country="KR"),),
        "E_BAD_REFERENCE",
        (ENT, 3, "investor_country"),
    ),  # DDI is VN
    ((change_ent(2, status="active"),), "E_BAD_REFERENCE", (ENT, 2, "status")),
    ((change_ent(2, vsic_code="C10a"),), "E_BAD_REFERENCE", (ENT, 2, "vsic_code")),
    ((change(6, value_as_text=True),), "W_NUMBER_AS_TEXT", (IND, 6, "value")),
    ((change(2, value="36"),), "W_SUBTOTAL_MISMATCH", (IND, 2, "value")),
    ((change(13, value="510"),), "W_ZONE_SUM_MISMATCH", (IND, 13, "value")),  # 2 % off
]
NEAR_MISSES = [
    # (edits, rule_id that must not be reported)
    ((change(17, metric_code="dst_inspection"),), "E_METRIC_NOT_ALLOWED"),  # unknown instead
    ((change(17, metric_code="lab_work_stoppages"),), "E_METRIC_NOT_ALLOWED"),  # B and D
    (
        (change(9, metric_code="biz_export", period_basis="ytd", unit="USD_MN"),),
        "E_METRIC_NOT_ALLOWED",
    ),  # an enterprise-level metric
    (
        (
            change(2, zone_code="KCN-HN-DONGANH"),
            change(3, zone_code="KCN-HN-DONGANH"),
            change(4, zone_code="KCN-HN-DONGANH"),
        ),
        "E_ZONE_NOT_IN_JURISDICTION",
    ),  # planned zone
    (
        (
            change(9, enterprise_tax_code=BRANCH_CODE),
            lambda ind, ent: ent.append({**ent[0], "tax_code": BRANCH_CODE}),
        ),
        "E_TAX_CODE",
    ),
    (
        (
            change(9, enterprise_tax_code=BRANCH_CODE),
            lambda ind, ent: ent.append({**ent[0], "tax_code": BRANCH_CODE}),
        ),
        "E_UNKNOWN_ENTERPRISE",
    ),
    (
        (
            change(2, value_kind="estimate"),
            change(3, value_kind="estimate"),
            change(4, value_kind="estimate"),
        ),
        "E_VALUE_KIND",
    ),
    ((change(7, value_kind="estimate"), change(8, value_kind="estimate")), "E_BASIS"),
    ((change(18, period_basis="month"),), "E_BASIS"),  # a rate takes month
    ((change(6, value="-5"),), "E_BAD_NUMBER"),  # negative, not malformed
    ((change(6, value="0"),), "E_NEGATIVE"),
    ((change(2, value="abc"),), "E_NEGATIVE"),  # not a number: nothing more is said
    ((change(2, value="abc"),), "E_NOT_INTEGER"),
    ((change(2, value="35.0"),), "E_NOT_INTEGER"),
    ((change(5, value="26.95"),), "E_NOT_INTEGER"),  # money is not a count
    ((change(5, metric_code="inv_new_capitals", unit="PROJECT"),), "E_UNIT"),  # unknown metric
    ((change(5, metric_code="inv_new_capitals", period_basis="eom"),), "E_BASIS"),
    ((change(5, unit="USD_TH", value="26900"),), "E_UNIT"),
    (
        (
            add(metric_code="inv_added_capital", value="1.5", unit="USD_MN"),
            add(metric_code="inv_added_capital", value="35", unit="VND_BN"),
        ),
        "E_DUPLICATE_KEY",
    ),  # one figure in two currencies
    ((add(metric_code="inv_new_projects", value_kind="estimate"),), "E_DUPLICATE_KEY"),
    ((change(8, value="1000"),), "E_PART_EXCEEDS_WHOLE"),  # equal is fine
    ((change(8, zone_code="KCN-HN-NOIBAI", value="1200"),), "E_PART_EXCEEDS_WHOLE"),
    ((change(3, value="40"),), "W_SUBTOTAL_MISMATCH"),  # reported as part > whole only
    ((drop(3),), "W_SUBTOTAL_MISMATCH"),  # no FDI row: nothing to compare
    ((change(13, value="504"),), "W_ZONE_SUM_MISMATCH"),  # 0.8 % off
    ((change(13, value="500000", unit="USD_TH"),), "W_ZONE_SUM_MISMATCH"),
    ((change_ent(3, investor_country=None),), "E_BAD_REFERENCE"),  # DDI: empty is fine
    ((change_ent(2, vsic_code="C"), change_ent(3, vsic_code="10710")), "E_BAD_REFERENCE"),
]


@pytest.mark.parametrize(
    ("edits", "rule_id", "where"), TRIGGERS, ids=[f"{c[1]}-{i}" for i, c in enumerate(TRIGGERS)]
)
def test_rule_fires_at_the_offending_cell(edits, rule_id, where):
    findings = validate(submission(*edits))

    result = located(findings, rule_id)
    assert result == [where], findings
    assert outcome(findings) == (OUTCOME_WARNINGS if rule_id.startswith("W_") else OUTCOME_REJECTED)


@pytest.mark.parametrize(
    ("edits", "rule_id"), NEAR_MISSES, ids=[f"{c[1]}-{i}" for i, c in enumerate(NEAR_MISSES)]
)
def test_near_miss_does_not_fire(edits, rule_id):
    findings = validate(submission(*edits))

    assert located(findings, rule_id) == [], findings


def test_one_mistake_is_one_finding():
    findings = validate(
        submission(
            change(5, metric_code="inv_new_capitals", unit="XYZ", period_basis="eom"),
            change(2, value="3,5"),
        )
    )

    result = [(f.rule_id, f.row) for f in findings]
    assert result == [("E_BAD_NUMBER", 2), ("E_UNKNOWN_METRIC", 5)]


def test_every_offending_row_is_reported_not_a_sample():
    many = [add(period="2024-02", value_kind="estimate", zone_code=f"Z{i}") for i in range(60)]
    findings = validate(submission(*many))

    rows = [f.row for f in findings if f.rule_id == "E_PERIOD_MISMATCH"]
    assert rows == list(range(19, 79))
    assert len([f for f in findings if f.rule_id == "E_UNKNOWN_ZONE"]) == 60


def test_finding_carries_value_and_bilingual_message():
    findings = validate(submission(change(2, unit="USD")))

    (finding,) = findings
    assert finding.value == "USD"
    assert "Dòng 2: đơn vị tính 'USD'" in finding.message_vi
    assert "PROJECT" in finding.message_vi and "PROJECT" in finding.message_en


def test_duplicate_names_the_first_row():
    (finding,) = validate(submission(add()))

    assert "row 2" in finding.message_en


def test_known_tax_codes_from_history_count_as_listed():
    parsed = submission(change(9, enterprise_tax_code=UNLISTED_CODE))

    findings = validate(parsed, history=History(known_tax_codes=frozenset({UNLISTED_CODE})))

    assert findings == []


@pytest.mark.parametrize(
    ("submitter", "period", "rule_id"),
    [
        ("BQL-XX", "2024-03", "E_UNKNOWN_SUBMITTER"),
        ("UBND-HN-LONGBIEN", "2025-07", "E_SUBMITTER_INACTIVE"),  # districts end 2025-06-30
        ("BQL-NB", "2025-06", "E_SUBMITTER_INACTIVE"),  # Ninh Bình's board starts 2025-07-01
        ("UBND-HN-BACTULIEM", "2014-03", "E_SUBMITTER_INACTIVE"),
    ],
)
def test_folder_findings_are_fatal_and_stop_validation(submitter, period, rule_id):
    findings = validate(submission(change(2, value="abc"), submitter=submitter, period=period))

    result = [(f.rule_id, f.severity, f.row, f.value) for f in findings]
    assert result == [(rule_id, "fatal", None, submitter)]


@pytest.mark.parametrize(
    ("submitter", "period", "zone"),
    [
        ("BQL-NB", "2025-07", "KCN-ND-HOAXA"),  # after the merger
        ("BQL-ND", "2025-06", "KCN-ND-HOAXA"),
        ("UBND-HN-LONGBIEN", "2024-03", "KCN-HN-SAIDONGB"),
        ("UBND-HN-QUOCOAI", "2024-03", "KCN-HN-THACHTHATQUOCOAI"),  # a zone in two districts
    ],
)
def test_jurisdiction_follows_the_reporting_month(submitter, period, zone):
    parsed = submission(only(zone_code=zone), submitter=submitter, period=period)

    assert validate(parsed) == []


def test_district_zone_outside_its_district():
    parsed = submission(only(zone_code="KCN-HN-NOIBAI"), submitter="UBND-HN-LONGBIEN")

    assert located(validate(parsed), "E_ZONE_NOT_IN_JURISDICTION") == [(IND, 2, "zone_code")]


@pytest.mark.parametrize(
    ("received", "late"),
    [
        (datetime(2024, 4, 10, 23, 59, tzinfo=ICT), False),
        (datetime(2024, 4, 11, 0, 0, tzinfo=ICT), True),
        (datetime(2024, 4, 10, 16, 59), False),  # naive = UTC: 23:59 in Hà Nội
        (datetime(2024, 4, 10, 17, 0), True),
    ],
)
def test_late_after_the_tenth_of_the_following_month(received, late):
    findings = validate(submission(received_at=received))

    result = [(f.rule_id, f.severity, f.row) for f in findings]
    assert result == ([("W_LATE", "warning", None)] if late else [])


def test_fatal_parse_findings_pass_through_without_gx():
    parsed = submission(change(2, value="abc"))
    parsed.problems = [problem("E_MISSING_COLUMN", file="enterprises.csv", column="status")]

    findings = validate(parsed)

    assert [(f.rule_id, f.file, f.column) for f in findings] == [
        ("E_MISSING_COLUMN", "enterprises.csv", "status")
    ]
