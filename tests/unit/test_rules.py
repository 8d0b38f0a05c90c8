"""Rules (ids, severities, messages) and the reference lookups they rely on."""

from __future__ import annotations

import re

import pytest

from kcn import contract, reference
from kcn.validation import rules

# Contract section 7, as fixed.
CONTRACT_SEVERITY = {
    "E_FILE_UNREADABLE": "fatal",
    "E_ENCODING": "fatal",
    "E_TOO_LARGE": "fatal",
    "E_NO_INDICATORS": "fatal",
    "E_MISSING_COLUMN": "fatal",
    "E_UNKNOWN_SUBMITTER": "fatal",
    "E_SUBMITTER_INACTIVE": "fatal",
    "E_SUBMITTER_MISMATCH": "error",
    "E_PERIOD_MISMATCH": "error",
    "E_UNKNOWN_METRIC": "error",
    "E_METRIC_NOT_ALLOWED": "error",
    "E_UNKNOWN_ZONE": "error",
    "E_ZONE_NOT_IN_JURISDICTION": "error",
    "E_UNKNOWN_ENTERPRISE": "error",
    "E_TAX_CODE": "error",
    "E_VALUE_KIND": "error",
    "E_BASIS": "error",
    "E_BAD_NUMBER": "error",
    "E_NEGATIVE": "error",
    "E_NOT_INTEGER": "error",
    "E_UNIT": "error",
    "E_DUPLICATE_KEY": "error",
    "E_PART_EXCEEDS_WHOLE": "error",
    "E_BAD_REFERENCE": "error",
    "W_NUMBER_AS_TEXT": "warning",
    "W_SUBTOTAL_MISMATCH": "warning",
    "W_ZONE_SUM_MISMATCH": "warning",
    "W_YTD_DECREASE": "warning",
    "W_YTD_MONTH_MISMATCH": "warning",
    "W_OUTLIER": "warning",
    "W_LATE": "warning",
    # version 1.1 (section 9)
    "E_PERIOD_NOT_OPEN": "fatal",
    "E_AMBIGUOUS_FILES": "fatal",
    "E_DUPLICATE_COLUMN": "fatal",
    "E_TEXT_TOO_LONG": "error",
    "E_TABLE_NOT_ALLOWED": "error",
}
VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]")


def test_every_contract_rule_has_its_severity():
    assert rules.SEVERITY == CONTRACT_SEVERITY


@pytest.mark.parametrize("rule_id", sorted(CONTRACT_SEVERITY))
def test_message_is_vietnamese_and_english(rule_id):
    rule = rules.RULES[rule_id]

    assert VIETNAMESE.search(rule.vi), rule.vi
    assert not VIETNAMESE.search(rule.en), rule.en


@pytest.mark.parametrize(
    ("rule_id", "details", "expected_vi", "expected_en"),
    [
        # what the parser passes
        (
            "E_ENCODING",
            {"row": 3, "value": "c3 28", "offset": 41, "line": 3, "guess": "cp1258"},
            "byte 41, dòng 3; mã đoán được: cp1258",
            "byte 41, line 3; detected encoding: cp1258",
        ),
        (
            "E_ENCODING",
            {"offset": 41, "line": 3, "guess": "?"},
            "mã đoán được: không rõ",
            "detected encoding: unknown",
        ),
        (
            "E_TOO_LARGE",
            {"size": 60_000_000, "limit": 52_428_800},
            "60000000 byte; giới hạn 52428800 byte",
            "60000000 bytes; the limit is 52428800 bytes",
        ),
        (
            "E_TOO_LARGE",
            {"size": 1_000_001, "limit": 1_000_000, "what": "rows"},
            "1000001 dòng; giới hạn 1000000 dòng",
            "1000001 rows; the limit is 1000000 rows",
        ),
        (
            "E_FILE_UNREADABLE",
            {"reason": "not_zip"},
            "không phải là một sổ tính XLSX",
            "not an XLSX workbook",
        ),
        ("E_FILE_UNREADABLE", {}, "(định dạng không nhận ra)", "(unrecognised format)"),
        (
            "E_MISSING_COLUMN",
            {"column": "period_basis"},
            "thiếu cột bắt buộc 'period_basis'",
            "lacks the required column 'period_basis'",
        ),
        ("E_NO_INDICATORS", {}, "indicators.csv", "indicators.csv"),
    ],
)
def test_parser_details_fill_the_message(rule_id, details, expected_vi, expected_en):
    finding = rules.finding(rule_id, file="indicators.csv", **details)

    assert expected_vi in finding.message_vi
    assert expected_en in finding.message_en
    assert "?" not in finding.message_vi + finding.message_en
    assert finding.severity == "fatal"


def test_a_librarys_text_is_kept_as_detail_never_in_a_message():
    finding = rules.finding(
        "E_FILE_UNREADABLE", file="a.xlsx", reason="not_zip", detail="File is not a zip file"
    )
    unknown = rules.finding("E_FILE_UNREADABLE", file="a.xlsx", reason="Error tokenizing data")

    assert finding.detail == "File is not a zip file"
    assert "zip file" not in finding.message_vi + finding.message_en
    assert unknown.detail == "Error tokenizing data"
    assert "tokenizing" not in unknown.message_vi + unknown.message_en
    assert "detail" not in finding.to_json()


def test_finding_keeps_location_and_value():
    result = rules.finding(
        "E_UNKNOWN_METRIC",
        file="indicators.csv",
        row=3,
        column="metric_code",
        value="inv_new_project",
    )

    assert (result.file, result.row, result.column, result.value) == (
        "indicators.csv",
        3,
        "metric_code",
        "inv_new_project",
    )
    assert result.message_vi.startswith("Dòng 3: mã chỉ tiêu 'inv_new_project'")
    assert result.message_en.startswith("Row 3: the metric code 'inv_new_project'")


def test_pair_detail_is_rendered_per_language():
    result = rules.finding(
        "E_METRIC_NOT_ALLOWED", file="x.csv", row=2, value="m", reason=("lý do", "the reason")
    )

    assert result.message_vi.endswith("lý do.")
    assert result.message_en.endswith("the reason.")


def test_missing_detail_shows_a_question_mark_instead_of_failing():
    result = rules.finding("E_SUBMITTER_MISMATCH", file="x.csv", row=2, value="BQL-ND")

    assert "BQL-HN" not in result.message_en
    assert "Change it to ?" in result.message_en


def test_unknown_rule_id_is_an_error():
    with pytest.raises(KeyError):
        rules.finding("E_NOPE", file=None)


# -- reference lookups --


@pytest.mark.parametrize(
    ("code", "period", "expected"),
    [
        ("BQL-HN", "2024-03", True),
        ("BQL-ND", "2025-06", True),
        ("BQL-ND", "2025-07", False),  # merged into Ninh Bình
        ("BQL-NB", "2025-07", True),
        ("UBND-HN-LONGBIEN", "2025-07", False),  # districts abolished
        ("UBND-HN-BACTULIEM", "2014-03", False),  # created 2014-04-01
        ("UBND-HN-BACTULIEM", "2014-04", True),
        ("BQL-XX", "2024-03", False),
    ],
)
def test_submitter_active(code, period, expected):
    assert reference.submitter_active(code, period) is expected


def test_board_jurisdiction_follows_the_zone_province():
    nd_zones = {"KCN-ND-HOAXA", "KCN-ND-BAOMINH", "KCN-ND-MYTHUAN", "KCN-ND-RANGDONG"}

    assert reference.jurisdiction("BQL-ND", "2025-06") == nd_zones
    assert reference.jurisdiction("BQL-ND", "2025-07") == frozenset()
    assert nd_zones < reference.jurisdiction("BQL-NB", "2025-07")
    assert len(reference.jurisdiction("BQL-NB", "2025-07")) == 9
    assert len(reference.jurisdiction("BQL-HN", "2024-03")) == 11


@pytest.mark.parametrize(
    ("code", "period", "expected"),
    [
        ("BQL-NB", "2025-07", {"BQL-ND", "BQL-HNA"}),  # the zones it took over
        ("BQL-NB", "2026-03", {"BQL-ND", "BQL-HNA"}),
        ("BQL-HN", "2024-03", set()),
        ("BQL-ND", "2025-06", set()),
        ("UBND-HN-SOCSON", "2024-03", set()),  # districts keep their own history
    ],
)
def test_earlier_boards_of_a_boards_zones(code, period, expected):
    assert reference.earlier_boards(code, period) == expected


def test_district_jurisdiction_is_its_zones():
    assert reference.jurisdiction("UBND-HN-LONGBIEN", "2024-03") == {
        "KCN-HN-SAIDONGB",
        "KCN-HN-HANOIDAITU",
    }
    assert reference.jurisdiction("UBND-HN-QUOCOAI", "2024-03") == {"KCN-HN-THACHTHATQUOCOAI"}
    assert reference.jurisdiction("UBND-HN-MELINH", "2008-07") == frozenset()


@pytest.mark.parametrize(
    ("kind", "value_kind", "expected"),
    [
        ("F", "actual", ("month", "ytd")),
        ("F", "estimate", ("month", "ytd")),
        ("F", "plan", ("year",)),
        ("S", "actual", ("eom",)),
        ("S", "plan", ("year",)),
        ("R", "estimate", ("month", "ytd")),
        ("R", "plan", ("year",)),
        ("F", "forecast", ()),
    ],
)
def test_allowed_bases(kind, value_kind, expected):
    assert contract.allowed_bases(kind, value_kind) == expected


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("inv_new_capital", ("VND", "VND_MN", "VND_BN", "USD", "USD_TH", "USD_MN")),
        ("inv_new_projects", ("PROJECT",)),
        ("lab_workers", ("PERSON",)),
        ("lab_avg_income", ("VND_MN_PER_PERSON_MONTH",)),
    ],
)
def test_allowed_units(metric, expected):
    assert reference.allowed_units(metric) == expected


def test_reference_is_loaded_once():
    assert reference.load() is reference.load()
    assert reference.load().units["USD_TH"].factor == 0.001
    assert reference.load().metrics["lab_work_stoppages"].by_district is True
