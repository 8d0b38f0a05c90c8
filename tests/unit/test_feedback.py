"""Feedback to the submitter: the findings CSV and the marked-up copy of the submission."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kcn import contract
from kcn.validation import feedback, rules
from kcn.validation.findings import Finding
from tests.conftest import write_submission

RED, AMBER = feedback.FILLS["error"].fgColor.rgb, feedback.FILLS["warning"].fgColor.rgb
ATTACK = '=HYPERLINK("http://example.com","x")'


def _findings(file: str) -> list[Finding]:
    return [
        rules.finding(
            "W_LATE",
            file=None,
            value="2024-04-11T08:00:00+07:00",
            period="2024-03",
            received="2024-04-11 08:00",
            deadline="2024-04-10 23:59",
        ),
        rules.finding(
            "E_UNKNOWN_METRIC", file=file, row=3, column="metric_code", value="inv_new_project"
        ),
        rules.finding("E_NEGATIVE", file=file, row=4, column="value", value="-5"),
        rules.finding("W_NUMBER_AS_TEXT", file=file, row=4, column="value", value="-5"),
        rules.finding(
            "W_SUBTOTAL_MISMATCH",
            file=file,
            row=2,
            column="value",
            value="3",
            metric="inv_new_projects",
            parts_sum="4",
        ),
    ]


def _csv_submission(tmp_path: Path) -> dict[str, Path]:
    folder = write_submission(
        tmp_path / "landing",
        "2024-03",
        "BQL-HN",
        [
            {"metric_code": "inv_new_projects", "value": "3"},
            {"metric_code": "inv_new_project", "value": "1", "note": ATTACK},
            {"metric_code": "inv_new_projects_fdi", "value": "-5", "note": "@SUM(A1)"},
        ],
    )
    return {"indicators.csv": folder / "indicators.csv"}


def _write(tmp_path: Path, findings: list[Finding], files: dict[str, Path]) -> Workbook:
    paths = feedback.write_feedback(
        tmp_path / "outbox", "2024-03", "BQL-HN", 2, "rejected", findings, files
    )
    folder = tmp_path / "outbox" / "2024-03" / "BQL-HN"
    assert paths == [folder / "v2-rejected-findings.csv", folder / "v2-rejected-feedback.xlsx"]
    return load_workbook(paths[1])


def _header(ws) -> dict[str, str]:
    return {c.value: c.column_letter for c in ws[1]}


def test_csv_submission_is_copied_with_offending_cells_marked(tmp_path: Path) -> None:
    book = _write(tmp_path, _findings("indicators.csv"), _csv_submission(tmp_path))

    assert book.sheetnames == ["findings", "indicators.csv"]
    ws = book["indicators.csv"]
    col = _header(ws)
    metric, value = ws[f"{col['metric_code']}3"], ws[f"{col['value']}4"]
    assert metric.value == "inv_new_project"
    assert metric.fill.fgColor.rgb == RED
    assert "not in the metric catalogue" in metric.comment.text
    assert "không có trong danh mục" in metric.comment.text
    assert value.fill.fgColor.rgb == RED  # an error and a warning on one cell: red
    assert "E_NEGATIVE" in value.comment.text and "W_NUMBER_AS_TEXT" in value.comment.text
    assert ws[f"{col['value']}2"].fill.fgColor.rgb == AMBER
    assert ws[f"{col['value']}3"].fill.fill_type is None
    note = ws[f"{col[feedback.FEEDBACK_COLUMN]}4"].value
    assert "E_NEGATIVE" in note and "negative" in note and "số âm" in note


def test_formula_like_text_is_never_a_formula(tmp_path: Path) -> None:
    findings = [
        *_findings("indicators.csv"),
        rules.finding("E_UNKNOWN_ZONE", file="indicators.csv", row=3, column="note", value=ATTACK),
    ]
    book = _write(tmp_path, findings, _csv_submission(tmp_path))

    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    ws = book["indicators.csv"]
    col = _header(ws)
    for coordinate, text in (
        (f"{col['note']}3", ATTACK),
        (f"{col['note']}4", "@SUM(A1)"),
        (f"{col['value']}4", "-5"),
    ):
        assert (ws[coordinate].value, ws[coordinate].data_type) == (text, "s")
        assert ws[coordinate].quotePrefix
    listed = [row[5] for row in book["findings"].iter_rows(min_row=2, values_only=True)]
    assert ATTACK in listed and "-5" in listed


def test_control_characters_do_not_break_the_workbook(tmp_path: Path) -> None:
    files = _csv_submission(tmp_path)
    path = files["indicators.csv"]
    path.write_text(
        path.read_text(encoding="utf-8").replace("@SUM(A1)", "a\x0bb\x00c"), encoding="utf-8"
    )
    findings = [
        rules.finding("E_BAD_NUMBER", file="indicators.csv", row=4, column="note", value="a\x0bb")
    ]

    book = _write(tmp_path, findings, files)

    ws = book["indicators.csv"]
    assert ws[f"{_header(ws)['note']}4"].value == "a\ufffdb\ufffdc"
    assert book["findings"]["F2"].value == "a\ufffdb"


def test_findings_sheet_lists_every_finding_with_its_cell(tmp_path: Path) -> None:
    findings = _findings("indicators.csv")
    book = _write(tmp_path, findings, _csv_submission(tmp_path))

    ws = book["findings"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (*feedback.FIELDS, "cell")
    assert [r[0] for r in rows[1:]] == [f.rule_id for f in findings]
    assert rows[1][3] is None and rows[1][8] is None  # W_LATE: the whole folder
    assert rows[2][6] == findings[1].message_vi and rows[2][7] == findings[1].message_en
    assert rows[2][8] == "indicators.csv!E3"
    assert ws["B3"].fill.fgColor.rgb == RED and ws["B2"].fill.fgColor.rgb == AMBER
    assert book.active.title == "findings"


def test_findings_csv_is_written_beside_the_workbook(tmp_path: Path) -> None:
    findings = _findings("indicators.csv")
    _write(tmp_path, findings, _csv_submission(tmp_path))

    path = tmp_path / "outbox" / "2024-03" / "BQL-HN" / "v2-rejected-findings.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["rule_id"] for r in rows] == [f.rule_id for f in findings]
    assert rows[2]["value"] == "'-5"  # quoted: a spreadsheet would not run it


def _xlsx_submission(tmp_path: Path) -> dict[str, Path]:
    book = Workbook()
    ws = book.active
    ws.title = "indicators"
    ws.append(list(contract.INDICATOR_COLUMNS))
    ws.append(
        [
            "BQL-HN",
            "2024-03",
            "KCN-HN-NOIBAI",
            None,
            "inv_new_projects",
            "actual",
            "month",
            3,
            "PROJECT",
            "@cmd",
        ]
    )
    ws.append(
        [
            "BQL-HN",
            "2024-03",
            "KCN-HN-NOIBAI",
            None,
            "inv_new_projects_fdi",
            "actual",
            "month",
            "=1+1",
            "PROJECT",
            None,
        ]
    )
    ent = book.create_sheet("enterprises")
    ent.append(list(contract.ENTERPRISE_COLUMNS))
    ent.append(["0100109106", "Công ty A", "KCN-ND-HOAXA", "FDI", "JP", None, "operating"])
    path = tmp_path / "archive" / "0f" / "0f3a9c"  # an archive copy: no .xlsx extension
    path.parent.mkdir(parents=True)
    book.save(path)
    return {"bao-cao.xlsx": path}


def test_xlsx_submission_is_marked_in_place_on_the_right_sheet(tmp_path: Path) -> None:
    findings = [
        rules.finding(
            "E_ZONE_NOT_IN_JURISDICTION",
            file="bao-cao.xlsx",
            row=2,
            column="zone_code",
            value="KCN-ND-HOAXA",
            submitter="BQL-HN",
            period="2024-03",
            allowed="KCN-HN-NOIBAI",
        ),
        rules.finding(
            "E_BAD_NUMBER",
            file="bao-cao.xlsx",
            row=3,
            column="value",
            value="#FORMULA_WITHOUT_CACHED_VALUE",
        ),
    ]
    book = _write(tmp_path, findings, _xlsx_submission(tmp_path))

    assert book.sheetnames == ["findings", "indicators", "enterprises"]
    assert book["enterprises"]["C2"].fill.fgColor.rgb == RED
    assert "KCN-HN-NOIBAI" in book["enterprises"]["C2"].comment.text
    assert book["indicators"]["C2"].fill.fill_type is None  # same row and column, other sheet
    assert book["indicators"]["H3"].fill.fgColor.rgb == RED
    assert book["indicators"]["H3"].data_type != "f"  # the formula is not copied
    assert book["indicators"]["H2"].value == 3  # numbers stay numbers
    assert (book["indicators"]["J2"].value, book["indicators"]["J2"].data_type) == ("@cmd", "s")
    assert book["findings"]["I2"].value == "enterprises!C2"


@pytest.mark.parametrize("rule_id", ["E_FILE_UNREADABLE", "E_TOO_LARGE"])
def test_unreadable_file_gets_only_the_findings_sheet(tmp_path: Path, rule_id: str) -> None:
    broken = tmp_path / "bao-cao.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    findings = [rules.finding(rule_id, file="bao-cao.xlsx", size=1, limit=1)]

    book = _write(tmp_path, findings, {"bao-cao.xlsx": broken})

    assert book.sheetnames == ["findings"]
    assert book["findings"]["A2"].value == rule_id


def test_spreadsheet_safe_quotes_formula_starts() -> None:
    assert [feedback.spreadsheet_safe(v) for v in ("=1", "+1", "-5", "@x", "ok", 5)] == [
        "'=1",
        "'+1",
        "'-5",
        "'@x",
        "ok",
        5,
    ]


def test_clean_version_gets_the_findings_csv_alone(tmp_path: Path) -> None:
    paths = feedback.write_feedback(
        tmp_path / "outbox", "2024-03", "BQL-HN", 1, "accepted", [], _csv_submission(tmp_path)
    )
    folder = tmp_path / "outbox" / "2024-03" / "BQL-HN"
    assert paths == [folder / "v1-accepted-findings.csv"]
    assert sorted(p.name for p in folder.iterdir()) == ["v1-accepted-findings.csv"]
    assert (folder / "v1-accepted-findings.csv").read_text(encoding="utf-8-sig").count("\n") == 1
