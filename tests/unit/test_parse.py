from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from kcn.contract import INDICATOR_COLUMNS
from kcn.intake import parse, tables
from kcn.validation.rules import reading_findings
from tests.conftest import write_submission


def _parse(folder: Path, **kw) -> tables.ParsedSubmission:
    return parse.parse_folder(folder, **kw)


def test_csv_rows_keep_spreadsheet_row_numbers_and_skip_blank_lines(tmp_path: Path) -> None:
    folder = write_submission(
        tmp_path,
        "2024-03",
        "BQL-HN",
        [
            {"zone_code": "KCN-HN-NOIBAI", "metric_code": "inv_new_projects", "value": "2"},
            {"zone_code": "KCN-HN-THANGLONG", "metric_code": "inv_new_projects", "value": "1"},
        ],
    )
    path = folder / "indicators.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], lines[1], "", lines[2]]) + "\n", encoding="utf-8")

    result = _parse(folder)

    assert reading_findings(result) == []
    assert list(result.indicators["row_number"]) == [2, 4]
    assert list(result.indicators["zone_code"]) == ["KCN-HN-NOIBAI", "KCN-HN-THANGLONG"]
    assert result.indicators["enterprise_tax_code"].isna().all()


def test_bom_is_allowed_and_text_is_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Hòa Xá ước tính")
    folder = write_submission(
        tmp_path,
        "2024-03",
        "BQL-ND",
        [{"metric_code": "inv_new_projects", "value": "2", "note": decomposed}],
    )
    path = folder / "indicators.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    result = _parse(folder)

    assert result.indicators.loc[0, "submitter_code"] == "BQL-ND"
    assert result.indicators.loc[0, "note"] == unicodedata.normalize("NFC", decomposed)


def test_invalid_utf8_says_where_the_first_bad_byte_is(tmp_path: Path) -> None:
    folder = write_submission(
        tmp_path,
        "2024-03",
        "BQL-HN",
        [{"metric_code": "inv_new_projects", "value": "2", "note": "Hà Nam"}],
    )
    path = folder / "indicators.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1258"))

    result = _parse(folder)

    assert [f.rule_id for f in reading_findings(result)] == ["E_ENCODING"]
    finding = reading_findings(result)[0]
    assert finding.severity == "fatal"
    assert finding.row == 2
    assert result.indicators is None


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "2024-03" / "BQL-HN"
    folder.mkdir(parents=True)
    (folder / "indicators.csv").write_text(
        "submitter_code,period,metric_code,value_kind,period_basis,unit\n"
        "BQL-HN,2024-03,inv_new_projects,actual,month,PROJECT\n",
        encoding="utf-8",
    )

    result = _parse(folder)

    assert [(f.rule_id, f.column) for f in reading_findings(result)] == [
        ("E_MISSING_COLUMN", "value")
    ]


def test_folder_without_indicators_is_fatal(tmp_path: Path) -> None:
    folder = tmp_path / "2024-03" / "BQL-HN"
    folder.mkdir(parents=True)
    (folder / "readme.txt").write_text("nothing here")

    result = _parse(folder)

    assert [f.rule_id for f in reading_findings(result)] == ["E_NO_INDICATORS"]


def test_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    folder = write_submission(
        tmp_path, "2024-03", "BQL-HN", [{"metric_code": "inv_new_projects", "value": "2"}]
    )

    result = _parse(folder, limits=tables.Limits(max_bytes=50))

    assert [f.rule_id for f in reading_findings(result)] == ["E_TOO_LARGE"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.178", "1178"),
        ("26,9", "26.9"),
        ("9.405,326", "9405.326"),
        ("315", "315"),
        ("1,178.5", None),
        ("abc", None),
        ("", None),
    ],
)
def test_vietnamese_numbers_in_text_cells(text: str, expected: str | None) -> None:
    from kcn.intake.xlsx_file import vietnamese_number

    assert vietnamese_number(text) == expected


def test_xlsx_reads_numbers_text_numbers_and_formulas(tmp_path: Path) -> None:
    from openpyxl import Workbook

    folder = tmp_path / "2024-03" / "BQL-HN"
    folder.mkdir(parents=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "indicators"
    sheet.append(list(INDICATOR_COLUMNS))
    for metric, value, unit in (
        ("inv_new_capital", 26.9, "USD_MN"),
        ("inv_new_capital", "315", "VND_BN"),
        ("inv_added_capital", "2.039", "VND_BN"),
        ("inv_added_capital", "=1+1", "USD_MN"),
    ):
        sheet.append(["BQL-HN", "2024-03", None, None, metric, "actual", "ytd", value, unit, None])
    sheet.append([None] * 10)
    book.save(folder / "bao-cao.xlsx")

    result = _parse(folder)
    frame = result.indicators

    assert reading_findings(result) == []
    assert list(frame["row_number"]) == [2, 3, 4, 5]
    assert list(frame["value"][:3]) == ["26.9", "315", "2039"]
    assert list(frame["value_as_text"][:3]) == [False, True, True]
    # openpyxl writes formulas without a cached value: read as a non-number (E_BAD_NUMBER)
    from kcn.intake.xlsx_file import FORMULA_NO_CACHE

    assert frame.loc[3, "value"] == FORMULA_NO_CACHE
