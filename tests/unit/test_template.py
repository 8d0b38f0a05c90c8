"""The template workbook: the right rows, drop-downs, and a filled template is accepted."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from kcn import contract
from kcn.cli import app
from kcn.contract import ACCEPTED as OUTCOME_ACCEPTED
from kcn.intake import parse, template
from kcn.validation.findings import outcome_of
from kcn.validation.validate import validate

# Values that agree with each other: FDI + DDI = total, parts below wholes.
CONSISTENT = {
    "inv_new_projects": 3,
    "inv_new_projects_fdi": 2,
    "inv_new_projects_ddi": 1,
    "ent_operating": 10,
    "ent_operating_fdi": 6,
    "ent_operating_ddi": 4,
    "lab_workers": 100,
    "lab_workers_female": 40,
    "lab_workers_foreign": 5,
    "lnd_total_area": 300,
    "lnd_industrial_area": 200.5,
    "lnd_leased_area": 150.25,
}


def _fill(path: Path, folder: Path) -> Path:
    """Fill every value of the template with a valid number, save it in a submission folder."""
    book = load_workbook(path)
    ws = book["indicators"]
    header = [c.value for c in ws[1]]
    metric_col, value_col = header.index("metric_code") + 1, header.index("value") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(r, value_col).value = CONSISTENT.get(ws.cell(r, metric_col).value, 1)
    folder.mkdir(parents=True)
    out = folder / "bao-cao.xlsx"
    book.save(out)
    return out


@pytest.mark.parametrize(
    ("submitter", "period"),
    [("BQL-HN", "2024-03"), ("BQL-NB", "2025-07"), ("UBND-HN-THACHTHAT", "2024-03")],
)
def test_filled_template_is_accepted(tmp_path: Path, submitter: str, period: str) -> None:
    path = template.write_template(submitter, period, tmp_path / "template.xlsx")
    _fill(path, tmp_path / period / submitter)

    parsed = parse.parse_folder(tmp_path / period / submitter)
    findings = validate(parsed)

    assert findings == []
    assert outcome_of(findings) == OUTCOME_ACCEPTED
    expected_rows = len(template.template_rows(submitter, period))
    assert len(parsed.indicators) == expected_rows
    assert not set(template.LABEL_COLUMNS) & set(parsed.indicators.columns)


def test_board_rows_cover_its_zones_and_the_all_zones_ytd() -> None:
    rows = template.template_rows("BQL-NB", "2025-07")

    zones = {r.zone_code for r in rows}
    assert "KCN-ND-HOAXA" in zones and "KCN-HNA-DONGVAN1" in zones and None in zones
    all_zones = [r for r in rows if r.zone_code is None]
    assert {r.period_basis for r in all_zones} == {"ytd"}
    assert {r.metric_code[:4] for r in all_zones} == {"inv_"}
    basis = {(r.metric_code, r.value_kind, r.period_basis) for r in rows if r.zone_code}
    assert ("inv_new_projects", "actual", "month") in basis
    assert ("ent_operating", "actual", "eom") in basis
    assert ("lab_avg_income", "actual", "month") in basis
    capital_units = {r.unit for r in rows if r.metric_code == "inv_new_capital"}
    assert capital_units == {"USD_MN", "VND_BN"}
    assert not any(r.metric_code.startswith("dst_") for r in rows)


def test_district_rows_are_its_zones_and_district_metrics() -> None:
    rows = template.template_rows("UBND-HN-LONGBIEN", "2024-03")

    assert {r.zone_code for r in rows} == {"KCN-HN-SAIDONGB", "KCN-HN-HANOIDAITU"}
    assert "dst_land_cleared" in {r.metric_code for r in rows}
    assert "inv_new_projects" not in {r.metric_code for r in rows}
    assert {(r.value_kind, r.period_basis) for r in rows} == {("actual", "month")}


def test_workbook_has_drop_downs_labels_and_instructions(tmp_path: Path) -> None:
    path = template.write_template("BQL-HN", "2024-03", tmp_path / "t.xlsx")

    book = load_workbook(path)
    ws = book["indicators"]
    header = [c.value for c in ws[1]]
    assert header[: len(contract.INDICATOR_COLUMNS)] == list(contract.INDICATOR_COLUMNS)
    assert header[len(contract.INDICATOR_COLUMNS) :] == list(template.LABEL_COLUMNS)
    validated = {str(dv.sqref)[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    letters = {c: chr(ord("A") + i) for i, c in enumerate(contract.INDICATOR_COLUMNS)}
    for column in ("metric_code", "unit", "value_kind", "period_basis", "zone_code"):
        assert validated[letters[column]].startswith("lists!"), column
    assert book["lists"].sheet_state == "hidden"
    lists_header = [c.value for c in book["lists"][1]]
    zone_list = [
        row[lists_header.index("zone_code")]
        for row in book["lists"].iter_rows(min_row=2, values_only=True)
    ]
    assert "KCN-HN-NOIBAI" in zone_list and "KCN-ND-HOAXA" not in zone_list
    assert (ws["A2"].value, ws["B2"].value, ws["H2"].value) == ("BQL-HN", "2024-03", None)
    assert ws["K2"].value == "KCN Nội Bài"
    ent = book["enterprises"]
    assert [c.value for c in ent[1]] == list(contract.ENTERPRISE_COLUMNS)
    assert {dv.formula1 for dv in ent.data_validations.dataValidation} >= {
        "lists!$F$2:$F$3",
        "lists!$G$2:$G$5",
    }
    text = " ".join(str(c.value) for row in book["instructions"].iter_rows() for c in row)
    assert "10/04/2024" in text and "lũy kế" in text and "thousands separators" in text


def test_district_template_has_no_enterprises_sheet(tmp_path: Path) -> None:
    path = template.write_template("UBND-HN-SOCSON", "2024-03", tmp_path / "t.xlsx")

    assert "enterprises" not in load_workbook(path).sheetnames


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-s", "UBND-HN-LONGBIEN", "-p", "2025-07"], "not valid in 2025-07"),
        (["-s", "BQL-XX", "-p", "2024-03"], "not registered"),
        (["-s", "BQL-HN", "-p", "2024-3"], "YYYY-MM"),
    ],
)
def test_cli_refuses_what_no_report_is_due_for(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(app, ["template", *args, "--out", str(tmp_path / "t.xlsx")])

    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "t.xlsx").exists()


def test_cli_writes_the_template(tmp_path: Path) -> None:
    out = tmp_path / "BQL-HN-2024-03.xlsx"
    result = CliRunner().invoke(
        app, ["template", "--submitter", "BQL-HN", "--period", "2024-03", "--out", str(out)]
    )

    assert result.exit_code == 0
    assert load_workbook(out).sheetnames == ["indicators", "enterprises", "instructions", "lists"]
