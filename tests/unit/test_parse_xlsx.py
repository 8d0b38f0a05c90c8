"""Reading submission workbooks as contract section 3 says (kcn.intake.xlsx_file)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from kcn import contract
from kcn.intake import parse, tables
from kcn.intake.xlsx_file import FORMULA_NO_CACHE
from kcn.validation.rules import reading_findings
from kcn.validation.validate import validate

SHEET_XML = "xl/worksheets/sheet1.xml"  # the first sheet openpyxl writes: indicators here


def _row(value: object, metric: str = "inv_new_capital", unit: str = "USD_MN") -> list[object]:
    """An indicators row of BQL-HN 2024-03, valid except perhaps for its value."""
    return [
        "BQL-HN",
        "2024-03",
        "KCN-HN-NOIBAI",
        None,
        metric,
        "actual",
        "month",
        value,
        unit,
        None,
    ]


def _workbook(
    tmp_path: Path,
    rows: list[list[object] | None],
    *,
    build: Callable[[Workbook], None] | None = None,
) -> Path:
    """A submission folder with one workbook; None in `rows` leaves that row empty."""
    book = Workbook()
    ws = book.active
    ws.title = "indicators"
    ws.append(list(contract.INDICATOR_COLUMNS))
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row or [], start=1):
            ws.cell(r, c, value)
    if build:
        build(book)
    folder = tmp_path / "2024-03" / "BQL-HN"
    folder.mkdir(parents=True)
    book.save(folder / "bao-cao.xlsx")
    return folder


def _rewrite(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """Edit one member of the zip in place: what openpyxl cannot write (cached values)."""
    with zipfile.ZipFile(path) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    contents[member] = change(contents[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


def _values(parsed: tables.ParsedSubmission) -> list[tuple[int, str | None, bool]]:
    frame = parsed.indicators
    return list(zip(frame["row_number"], frame["value"], frame["value_as_text"], strict=True))


def test_numeric_cells_are_machine_numbers(tmp_path: Path) -> None:
    folder = _workbook(
        tmp_path, [_row(1178), _row(26.9, unit="VND_BN"), _row(0.1 * 3, "inv_added_capital")]
    )

    result = parse.parse_folder(folder)

    assert reading_findings(result) == []
    assert _values(result) == [(2, "1178", False), (3, "26.9", False), (4, "0.3", False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.178", "1178"), ("26,9", "26.9"), ("9.405,326", "9405.326"), ("315", "315")],
)
def test_text_numbers_are_read_the_vietnamese_way_and_flagged(
    tmp_path: Path, text: str, expected: str
) -> None:
    folder = _workbook(tmp_path, [_row(text)])

    result = parse.parse_folder(folder)
    findings = validate(result)

    assert _values(result) == [(2, expected, True)]
    assert [(f.rule_id, f.row, f.column, f.value) for f in findings] == [
        ("W_NUMBER_AS_TEXT", 2, "value", expected)
    ]


def test_text_that_is_no_number_stays_text_and_is_a_bad_number(tmp_path: Path) -> None:
    folder = _workbook(tmp_path, [_row("26,9 triệu")])

    result = parse.parse_folder(folder)

    assert _values(result) == [(2, "26,9 triệu", False)]
    assert [f.rule_id for f in validate(result)] == ["E_BAD_NUMBER"]


def test_formula_is_read_by_its_cached_value(tmp_path: Path) -> None:
    folder = _workbook(tmp_path, [_row("=20+6.9")])
    path = folder / "bao-cao.xlsx"
    _rewrite(
        path, SHEET_XML, lambda xml: xml.replace(b"<f>20+6.9</f><v />", b"<f>20+6.9</f><v>26.9</v>")
    )

    result = parse.parse_folder(folder)

    assert _values(result) == [(2, "26.9", False)]
    assert validate(result) == []


def test_formula_without_cached_value_is_a_bad_number(tmp_path: Path) -> None:
    folder = _workbook(tmp_path, [_row(5), _row("=SUM(H2:H2)", "inv_added_capital")])

    result = parse.parse_folder(folder)
    findings = validate(result)

    assert _values(result) == [(2, "5", False), (3, FORMULA_NO_CACHE, False)]
    assert [(f.rule_id, f.row) for f in findings] == [("E_BAD_NUMBER", 3)]


def test_rows_are_numbered_as_the_spreadsheet_shows_them(tmp_path: Path) -> None:
    folder = _workbook(tmp_path, [_row(1), None, _row(2, unit="VND_BN")])

    result = parse.parse_folder(folder)

    assert [(r, v) for r, v, _ in _values(result)] == [(2, "1"), (4, "2")]


def test_empty_merged_and_blank_trailing_rows_are_ignored(tmp_path: Path) -> None:
    def trailing(book: Workbook) -> None:
        ws = book["indicators"]
        ws.merge_cells("A5:J6")
        ws["A7"] = "   "
        ws["A20"].number_format = "0.00"  # formatted but empty

    folder = _workbook(tmp_path, [_row(1), _row(2, unit="VND_BN")], build=trailing)

    result = parse.parse_folder(folder)

    assert reading_findings(result) == []
    assert list(result.indicators["row_number"]) == [2, 3]


def test_other_sheets_and_unknown_columns_are_ignored(tmp_path: Path) -> None:
    def extras(book: Workbook) -> None:
        notes = book.create_sheet("ghi chu", 0)  # before indicators
        notes.append(["anything", "=1/0"])
        ws = book["indicators"]
        ws.title = " Indicators "  # sheet names are matched trimmed, case-insensitively
        ws["K1"], ws["K2"] = "ten_khu", "KCN Nội Bài"

    folder = _workbook(tmp_path, [_row(1)], build=extras)

    result = parse.parse_folder(folder)

    assert reading_findings(result) == []
    assert list(result.indicators.columns) == [
        "file_name",
        "row_number",
        *contract.INDICATOR_COLUMNS,
        "value_as_text",
    ]
    assert result.enterprises is None


def test_period_typed_as_a_date_is_the_month(tmp_path: Path) -> None:
    row = _row(1)
    row[1] = datetime(2024, 3, 1)
    folder = _workbook(tmp_path, [row])

    result = parse.parse_folder(folder)

    assert result.indicators.loc[0, "period"] == "2024-03"


def test_archive_copy_without_extension_is_read(tmp_path: Path) -> None:
    folder = _workbook(tmp_path, [_row(1)])
    archived = tmp_path / "ab" / "ab12cd"  # the archive names copies by their SHA-256
    archived.parent.mkdir()
    (folder / "bao-cao.xlsx").rename(archived)

    result = parse.parse_files({"bao-cao.xlsx": archived}, "BQL-HN", "2024-03")

    assert reading_findings(result) == []
    assert _values(result) == [(2, "1", False)]


def test_header_only_enterprises_sheet_is_an_empty_table(tmp_path: Path) -> None:
    folder = _workbook(
        tmp_path,
        [_row(1)],
        build=lambda book: book.create_sheet("enterprises").append(
            list(contract.ENTERPRISE_COLUMNS)
        ),
    )

    result = parse.parse_folder(folder)

    assert reading_findings(result) == []
    assert len(result.enterprises) == 0


def test_a_wrong_used_range_does_not_hide_rows(tmp_path: Path) -> None:
    folder = _workbook(tmp_path, [_row(1), _row(2, unit="VND_BN")])
    _rewrite(
        folder / "bao-cao.xlsx",
        SHEET_XML,
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', xml),
    )

    result = parse.parse_folder(folder)

    assert list(result.indicators["value"]) == ["1", "2"]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.write_bytes(path.read_bytes()[:300]), id="truncated"),
        pytest.param(lambda path: path.write_text("tax_code\n0100109106\n"), id="not-a-zip"),
        pytest.param(
            lambda path: _rewrite(path, SHEET_XML, lambda xml: xml[: len(xml) // 2]),
            id="broken-sheet-xml",
        ),
    ],
)
def test_damaged_workbook_is_unreadable(tmp_path: Path, damage: Callable[[Path], None]) -> None:
    folder = _workbook(tmp_path, [_row(1), _row(2, unit="VND_BN")])
    damage(folder / "bao-cao.xlsx")

    result = parse.parse_folder(folder)

    assert [(f.rule_id, f.severity, f.file) for f in reading_findings(result)] == [
        ("E_FILE_UNREADABLE", "fatal", "bao-cao.xlsx")
    ]
    assert result.indicators is None


def test_zip_bomb_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _workbook(tmp_path, [_row(1)])
    path = folder / "bao-cao.xlsx"
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/padding.xml", "w") as member,
    ):
        for _ in range(20):  # 20 MB of zeros, about 20 KB compressed
            member.write(b"0" * 1024 * 1024)
    assert path.stat().st_size < 100_000

    def must_not_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr("openpyxl.load_workbook", must_not_open)
    result = parse.parse_folder(folder, limits=tables.Limits(max_bytes=100_000))

    assert [(f.rule_id, f.severity) for f in reading_findings(result)] == [("E_TOO_LARGE", "fatal")]


def test_file_over_the_size_limit_is_too_large(tmp_path: Path) -> None:
    folder = _workbook(tmp_path, [_row(1)])

    result = parse.parse_folder(folder, limits=tables.Limits(max_bytes=1_000))

    assert [f.rule_id for f in reading_findings(result)] == ["E_TOO_LARGE"]


def test_too_many_rows_is_too_large(tmp_path: Path) -> None:
    folder = _workbook(tmp_path, [_row(1), _row(2, unit="VND_BN"), _row(3, "inv_added_capital")])

    result = parse.parse_folder(folder, limits=tables.Limits(max_rows=2))

    assert [(f.rule_id, f.file) for f in reading_findings(result)] == [
        ("E_TOO_LARGE", "bao-cao.xlsx")
    ]
    assert "rows" in reading_findings(result)[0].message_en
