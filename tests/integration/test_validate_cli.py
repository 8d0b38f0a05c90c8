"""`kcn validate <folder> --format json` against a real warehouse with accepted history:
every rule of contract section 7 fires through the CLI, and its near miss does not.

The warehouse of this module is a database of its own, loaded once through the pipeline
(intake, stage, validate) with 38 months of BQL-HN history; each case writes a folder
outside the landing area and runs the CLI in-process (GX is imported once).
"""

from __future__ import annotations

import csv
import json
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from typer.testing import CliRunner

from kcn import pipeline
from kcn.cli import app
from kcn.contract import ENTERPRISE_COLUMNS
from kcn.warehouse import connection as warehouse
from tests.conftest import INDICATOR_HEADER, _on_time, write_submission
from tests.row_edits import Edit, add, change, change_ent, drop

pytestmark = pytest.mark.integration

ICT = ZoneInfo("Asia/Ho_Chi_Minh")
ENTERPRISE_HEADER = list(ENTERPRISE_COLUMNS)
FINDING_KEYS = {"rule_id", "severity", "file", "row", "column", "value", "message_vi", "message_en"}
FDI_CODE, DDI_CODE, BRANCH_CODE = "0100109106", "0100233488", "0100109106-001"
HISTORY_CODE = "0312687878"  # listed only by an accepted submission of 2023-06
UNLISTED_CODE = "0101248141"  # a valid MST nobody lists
NOIBAI, THANGLONG = "KCN-HN-NOIBAI", "KCN-HN-THANGLONG"

# A clean BQL-HN submission; with the history below it is accepted without warnings.
BASE: list[dict[str, str]] = [
    {"metric_code": "inv_new_projects", "period_basis": "ytd", "value": "35"},  # 2
    {"metric_code": "inv_new_projects_fdi", "period_basis": "ytd", "value": "20"},  # 3
    {"metric_code": "inv_new_projects_ddi", "period_basis": "ytd", "value": "15"},  # 4
    {"metric_code": "inv_new_capital", "period_basis": "ytd", "value": "26.9", "unit": "USD_MN"},
    {
        "zone_code": NOIBAI,
        "metric_code": "biz_industrial_output",
        "value": "1000",
        "unit": "VND_BN",
    },  # 6
    {
        "zone_code": THANGLONG,
        "metric_code": "lab_workers",
        "period_basis": "eom",
        "value": "1000",
        "unit": "PERSON",
    },  # 7
    {
        "zone_code": THANGLONG,
        "metric_code": "lab_workers_female",
        "period_basis": "eom",
        "value": "600",
        "unit": "PERSON",
    },  # 8
    {
        "zone_code": THANGLONG,
        "enterprise_tax_code": FDI_CODE,
        "metric_code": "lab_workers",
        "period_basis": "eom",
        "value": "800",
        "unit": "PERSON",
    },  # 9
    {"metric_code": "biz_export", "period_basis": "ytd", "value": "500", "unit": "USD_MN"},  # 10
    {
        "zone_code": THANGLONG,
        "metric_code": "biz_export",
        "period_basis": "ytd",
        "value": "300",
        "unit": "USD_MN",
    },  # 11
    {
        "zone_code": NOIBAI,
        "metric_code": "biz_export",
        "period_basis": "ytd",
        "value": "200000",
        "unit": "USD_TH",
    },  # 12
    {"metric_code": "saf_fire_incidents", "value": "0", "unit": "CASE"},  # 13
]
ENTERPRISES: list[dict[str, str]] = [
    {
        "tax_code": FDI_CODE,
        "enterprise_name": "Công ty TNHH Điện tử Ánh Dương",
        "zone_code": THANGLONG,
        "ownership": "FDI",
        "investor_country": "JP",
        "vsic_code": "2610",
        "status": "operating",
    },
    {
        "tax_code": DDI_CODE,
        "enterprise_name": "Công ty Cổ phần Cơ khí Đông Anh",
        "zone_code": NOIBAI,
        "ownership": "DDI",
        "investor_country": "VN",
        "vsic_code": "C",
        "status": "operating",
    },
]

# -- the warehouse and its history -------------------------------------------------------


def _history_month(period: str) -> list[dict[str, str]]:
    """BQL-HN's accepted figures of an earlier month: Nội Bài's output dips by half around
    Tết (January and February); February 2024 has the ytd figures March compares with."""
    month = int(period[5:])
    noise = (int(period[:4]) * 7 + month * 13) % 61 - 30  # -30 .. 30, deterministic
    output = (450 + noise // 2) if month in (1, 2) else (1000 + noise)
    rows = [
        {
            "zone_code": NOIBAI,
            "metric_code": "biz_industrial_output",
            "value": str(output),
            "unit": "VND_BN",
        }
    ]
    if period == "2024-02":
        rows += [
            {"metric_code": "inv_new_projects", "period_basis": "ytd", "value": "30"},
            {
                "metric_code": "inv_new_capital",
                "period_basis": "ytd",
                "value": "25",
                "unit": "USD_MN",
            },
        ]
    if period == "2023-06":
        rows += [
            {
                "zone_code": NOIBAI,
                "enterprise_tax_code": HISTORY_CODE,
                "metric_code": "lab_workers",
                "period_basis": "eom",
                "value": "120",
                "unit": "PERSON",
            }
        ]
    return rows


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    while f"{year}-{month:02d}" <= last:
        out.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@pytest.fixture(scope="module")
def history_warehouse(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """A database of this module's own (other tests truncate the session's), with BQL-HN's
    accepted months 2021-01 to 2024-02 loaded through the pipeline; (url, data folder)."""
    server = os.environ.get("KCN_TEST_DATABASE_URL") or warehouse.server_url()
    name = f"kcn_test_cli_{uuid.uuid4().hex[:10]}"
    warehouse.ensure_database(server, name)
    url = server.rsplit("/", 1)[0] + "/" + name
    data = tmp_path_factory.mktemp("history")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KCN_WAREHOUSE_URL", url)
        mp.setenv("KCN_DATA", str(data))
        for sub in ("LANDING", "ARCHIVE", "OUTBOX"):
            mp.delenv(f"KCN_{sub}", raising=False)
        pipeline.prepare_warehouse()
        versions = []
        for period in _months("2021-01", "2024-02"):
            folder = write_submission(data / "landing", period, "BQL-HN", _history_month(period))
            if period == "2023-06":
                _write_csv(
                    folder / "enterprises.csv",
                    ENTERPRISE_HEADER,
                    [{**ENTERPRISES[1], "tax_code": HISTORY_CODE, "enterprise_name": "Công ty X"}],
                )
            versions += pipeline.intake_month(period)
        for version in versions:
            pipeline.stage_version(version)
        outcomes = {r["outcome"] for r in pipeline.validate_versions(versions)}
        assert outcomes <= {"accepted", "accepted_with_warnings"}, outcomes
    yield url, data
    warehouse.drop_database(server, name)


@pytest.fixture
def cli(
    history_warehouse: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, dict | None]]:
    """Run `kcn validate <folder> --format json`; (exit code, the JSON printed or None)."""
    url, data = history_warehouse
    monkeypatch.setenv("KCN_WAREHOUSE_URL", url)
    monkeypatch.setenv("KCN_DATA", str(data))
    runner = CliRunner()

    def run(folder: Path, *options: str) -> tuple[int, dict | None]:
        result = runner.invoke(app, ["validate", str(folder), "--format", "json", *options])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else None

    return run


# -- submission folders -------------------------------------------------------------------


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def _stamp(folder: Path, when: datetime) -> None:
    for path in folder.iterdir():
        os.utime(path, (when.timestamp(), when.timestamp()))


def folder_of(
    root: Path,
    *edits: Edit,
    submitter: str = "BQL-HN",
    period: str = "2024-03",
    enterprises: bool = True,
) -> Path:
    """The BASE submission with `edits` applied, written as CSV files on time."""
    rows = [dict(r) for r in BASE]
    ents = [dict(e) for e in ENTERPRISES] if enterprises else []
    for edit in edits:
        edit(rows, ents)
    folder = write_submission(root, period, submitter, rows)
    if ents:
        _write_csv(folder / "enterprises.csv", ENTERPRISE_HEADER, ents)
    _stamp(folder, _on_time(period))
    return folder


def district_rows(rows: list[dict[str, str]], ents: list[dict[str, str]]) -> None:
    rows[:] = [
        {
            "zone_code": "KCN-HN-NOIBAI",
            "metric_code": "dst_security_incidents",
            "value": "1",
            "unit": "CASE",
        }
    ]
    ents.clear()


def xlsx_folder(root: Path, value: object, *, sheet: str = "indicators") -> Path:
    """BASE as one workbook, row 5's value cell holding `value` (a number or text)."""
    folder = root / "2024-03" / "BQL-HN"
    folder.mkdir(parents=True)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(INDICATOR_HEADER)
    defaults = {
        "submitter_code": "BQL-HN",
        "period": "2024-03",
        "value_kind": "actual",
        "period_basis": "month",
        "unit": "PROJECT",
    }
    for i, row in enumerate(BASE, start=2):
        cells = {**defaults, **row}
        cells["value"] = value if i == 5 else float(cells["value"])
        ws.append([cells.get(c) for c in INDICATOR_HEADER])
    enterprises = book.create_sheet("enterprises")
    enterprises.append(ENTERPRISE_HEADER)
    for e in ENTERPRISES:
        enterprises.append([e[c] for c in ENTERPRISE_HEADER])
    book.save(folder / "report.xlsx")
    _stamp(folder, _on_time("2024-03"))
    return folder


def rewrite(name: str, transform: Callable[[bytes], bytes]) -> Callable[[Path], Path]:
    """Folder builder: BASE with file `name` rewritten by `transform`."""

    def build(root: Path) -> Path:
        folder = folder_of(root)
        path = folder / name
        path.write_bytes(transform(path.read_bytes()))
        _stamp(folder, _on_time("2024-03"))
        return folder

    return build


def without_column(column: str) -> Callable[[bytes], bytes]:
    def transform(data: bytes) -> bytes:
        lines = list(csv.reader(data.decode("utf-8").splitlines()))
        at = lines[0].index(column)
        out = [
            ",".join(f'"{c}"' if "," in c else c for c in line[:at] + line[at + 1 :])
            for line in lines
        ]
        return ("\n".join(out) + "\n").encode("utf-8")

    return transform


def with_note(note: str, encoding: str, *, quoted: bool = True) -> Callable[[bytes], bytes]:
    """Row 2's note set to `note`, the file encoded in `encoding`."""

    def transform(data: bytes) -> bytes:
        lines = data.decode("utf-8").splitlines()
        lines[1] = lines[1] + (f'"{note}"' if quoted else note)
        return ("\n".join(lines) + "\n").encode(encoding)

    return transform


def received_at(when: datetime) -> Callable[[Path], Path]:
    def build(root: Path) -> Path:
        folder = folder_of(root)
        _stamp(folder, when)
        return folder

    return build


def only_enterprises(root: Path) -> Path:
    folder = folder_of(root)
    (folder / "indicators.csv").unlink()
    return folder


def indicators_only_in_a_workbook(root: Path) -> Path:
    return xlsx_folder(root, 26.9)


def edits(*what: Edit, **options: object) -> Callable[[Path], Path]:
    return lambda root: folder_of(root, *what, **options)  # type: ignore[arg-type]


# -- version 1.1 (contract section 9) -----------------------------------------------------


def header_and(*extra: str) -> Callable[[bytes], bytes]:
    """indicators.csv cut to its header, then `extra` lines."""
    return lambda data: ("\n".join([data.decode("utf-8").splitlines()[0], *extra]) + "\n").encode()


def add_column(name: str) -> Callable[[bytes], bytes]:
    """A column `name` appended to the header, an empty cell to every row."""

    def transform(data: bytes) -> bytes:
        lines = data.decode("utf-8").splitlines()
        return (
            "\n".join([lines[0] + "," + name] + [line + "," for line in lines[1:]]) + "\n"
        ).encode()

    return transform


def with_value(row: int, raw: bytes) -> Callable[[bytes], bytes]:
    """Row `row`'s value cell (column 8) replaced by the bytes `raw`."""

    def transform(data: bytes) -> bytes:
        lines = data.split(b"\n")
        cells = lines[row - 1].split(b",")
        cells[7] = raw
        lines[row - 1] = b",".join(cells)
        return b"\n".join(lines)

    return transform


def copy_as(name: str) -> Callable[[Path], Path]:
    def build(root: Path) -> Path:
        folder = folder_of(root)
        (folder / name).write_bytes((folder / "indicators.csv").read_bytes())
        _stamp(folder, _on_time("2024-03"))
        return folder

    return build


def with_workbook(*sheets: str) -> Callable[[Path], Path]:
    """BASE as CSV files, and a workbook with header-only sheets `sheets`."""

    def build(root: Path) -> Path:
        folder = folder_of(root)
        book = openpyxl.Workbook()
        book.active.title = sheets[0]
        for sheet in sheets[1:]:
            book.create_sheet(sheet)
        for ws in book.worksheets:
            ws.append(INDICATOR_HEADER if ws.title == "indicators" else ["x"])
        book.save(folder / "extra.xlsx")
        _stamp(folder, _on_time("2024-03"))
        return folder

    return build


def linked(name: str, target: str) -> Callable[[Path], Path]:
    def build(root: Path) -> Path:
        folder = folder_of(root)
        (folder / name).unlink(missing_ok=True)
        (folder / name).symlink_to(target)
        return folder

    return build


def header_only_workbook(root: Path) -> Path:
    folder = folder_of(root)
    (folder / "indicators.csv").unlink()
    book = openpyxl.Workbook()
    book.active.title = "indicators"
    book.active.append(INDICATOR_HEADER)
    book.save(folder / "report.xlsx")
    _stamp(folder, _on_time("2024-03"))
    return folder


def district_with_enterprises(rows: list[dict[str, str]], ents: list[dict[str, str]]) -> None:
    district_rows(rows, [])
    ents[:] = [{**ENTERPRISES[1], "zone_code": NOIBAI}]


DISTRICT = {"submitter": "UBND-HN-SOCSON", "period": "2025-03"}


TOO_SMALL = {"KCN_MAX_FILE_BYTES": "100"}
# (rule_id, folder builder, environment) that must report the rule
TRIGGERS: list[tuple[str, Callable[[Path], Path], dict[str, str]]] = [
    (
        "E_FILE_UNREADABLE",
        rewrite("indicators.csv", lambda d: d + b"a,b,c,d,e,f,g,h,i,j,k,l\n"),
        {},
    ),
    ("E_FILE_UNREADABLE", lambda root: _garbage_xlsx(root), {}),
    ("E_ENCODING", rewrite("indicators.csv", with_note("KCN Đông Anh", "cp1258")), {}),
    ("E_TOO_LARGE", edits(), TOO_SMALL),
    ("E_NO_INDICATORS", only_enterprises, {}),
    ("E_MISSING_COLUMN", rewrite("indicators.csv", without_column("unit")), {}),
    ("E_UNKNOWN_SUBMITTER", edits(submitter="BQL-XX"), {}),
    (
        "E_SUBMITTER_INACTIVE",
        edits(district_rows, submitter="UBND-HN-SOCSON", period="2025-08"),
        {},
    ),
    ("E_SUBMITTER_MISMATCH", edits(change(2, submitter_code="BQL-ND")), {}),
    ("E_PERIOD_MISMATCH", edits(change(4, period="2024-02")), {}),
    ("E_UNKNOWN_METRIC", edits(change(5, metric_code="inv_new_capitals")), {}),
    ("E_METRIC_NOT_ALLOWED", edits(change(13, metric_code="dst_inspections")), {}),
    ("E_UNKNOWN_ZONE", edits(change(7, zone_code="KCN-HN-BACTHANGLONG")), {}),
    ("E_ZONE_NOT_IN_JURISDICTION", edits(change(7, zone_code="KCN-ND-HOAXA")), {}),
    ("E_UNKNOWN_ENTERPRISE", edits(change(9, enterprise_tax_code=UNLISTED_CODE)), {}),
    ("E_TAX_CODE", edits(change(9, enterprise_tax_code="0100109107")), {}),
    ("E_VALUE_KIND", edits(change(2, value_kind="forecast")), {}),
    ("E_BASIS", edits(change(7, period_basis="ytd")), {}),
    ("E_BAD_NUMBER", edits(change(5, value="26,9")), {}),
    ("E_NEGATIVE", edits(change(13, value="-1")), {}),
    ("E_NOT_INTEGER", edits(change(2, value="35.5")), {}),
    ("E_UNIT", edits(change(2, unit="USD")), {}),
    ("E_DUPLICATE_KEY", edits(add()), {}),
    ("E_PART_EXCEEDS_WHOLE", edits(change(8, value="1200")), {}),
    ("E_BAD_REFERENCE", edits(change_ent(2, ownership="foreign")), {}),
    ("W_NUMBER_AS_TEXT", lambda root: xlsx_folder(root, "26,9"), {}),
    ("W_SUBTOTAL_MISMATCH", edits(change(2, value="36")), {}),
    ("W_ZONE_SUM_MISMATCH", edits(change(10, value="510")), {}),
    ("W_YTD_DECREASE", edits(change(5, value="20")), {}),  # February: 25
    (
        "W_YTD_MONTH_MISMATCH",
        edits(add(metric_code="inv_new_projects", period_basis="month", value="2")),
        {},
    ),  # 30+2
    ("W_OUTLIER", edits(change(6, value="10000")), {}),  # a digit too many
    ("W_OUTLIER", edits(change(6, value="4500"), period="2024-02"), {}),  # in Tết
    ("W_LATE", received_at(datetime(2024, 4, 11, 0, 0, tzinfo=ICT)), {}),
    # version 1.1: the added rules
    ("E_PERIOD_NOT_OPEN", edits(period="2030-01"), {}),  # received before 2030 began
    ("E_AMBIGUOUS_FILES", copy_as("Indicators.csv"), {}),
    ("E_AMBIGUOUS_FILES", with_workbook("indicators"), {}),  # a CSV and a workbook
    ("E_DUPLICATE_COLUMN", rewrite("indicators.csv", add_column("value")), {}),
    ("E_TEXT_TOO_LONG", edits(change(2, note="x" * 501)), {}),
    ("E_TEXT_TOO_LONG", edits(change_ent(2, enterprise_name="C" * 301)), {}),
    ("E_TABLE_NOT_ALLOWED", edits(district_with_enterprises, **DISTRICT), {}),
    # version 1.1: the clarifications
    ("E_NO_INDICATORS", rewrite("indicators.csv", lambda d: b""), {}),  # 0 bytes
    ("E_NO_INDICATORS", rewrite("indicators.csv", header_and()), {}),
    ("E_NO_INDICATORS", rewrite("indicators.csv", header_and("", "", "")), {}),
    ("E_NO_INDICATORS", header_only_workbook, {}),
    ("E_ENCODING", rewrite("indicators.csv", with_value(2, b"3\x005")), {}),  # a NUL
    ("E_ENCODING", rewrite("indicators.csv", with_value(2, b"3\x1b[31m5")), {}),
    ("E_BAD_NUMBER", edits(change(2, value="３５")), {}),  # full-width
    ("E_BAD_NUMBER", edits(change(2, value="٣٥")), {}),  # Arabic-Indic
    ("E_BAD_NUMBER", edits(change(2, value="1e5")), {}),
    ("E_BAD_NUMBER", edits(change(2, value="1" * 16)), {}),
    ("E_BAD_NUMBER", lambda root: xlsx_folder(root, 1e308), {}),
    ("E_FILE_UNREADABLE", linked("indicators.csv", "/etc/passwd"), {}),
    ("E_FILE_UNREADABLE", rewrite("indicators.csv", with_note('"open', "utf-8", quoted=False)), {}),
    ("E_MISSING_COLUMN", rewrite("indicators.csv", lambda d: d.replace(b",", b";")), {}),
]
# (rule_id, folder builder, environment) that must not report the rule
NEAR_MISSES: list[tuple[str, Callable[[Path], Path], dict[str, str]]] = [
    ("E_FILE_UNREADABLE", rewrite("indicators.csv", with_note("a, b", "utf-8")), {}),
    (
        "E_ENCODING",
        rewrite(
            "indicators.csv",
            lambda d: b"\xef\xbb\xbf" + with_note("Khu công nghiệp Hòa Xá", "utf-8")(d),
        ),
        {},
    ),
    ("E_TOO_LARGE", edits(), {"KCN_MAX_FILE_BYTES": "2000"}),  # the files are smaller
    ("E_NO_INDICATORS", indicators_only_in_a_workbook, {}),
    ("E_MISSING_COLUMN", rewrite("indicators.csv", without_column("note")), {}),  # optional
    ("E_UNKNOWN_SUBMITTER", edits(), {}),
    (
        "E_SUBMITTER_INACTIVE",
        edits(district_rows, submitter="UBND-HN-SOCSON", period="2025-06"),
        {},
    ),
    ("E_SUBMITTER_MISMATCH", edits(change(2, submitter_code=" BQL-HN ")), {}),  # stripped
    ("E_PERIOD_MISMATCH", edits(change(4, period=" 2024-03")), {}),
    ("E_UNKNOWN_METRIC", edits(change(13, metric_code="dst_inspections")), {}),  # not allowed
    ("E_METRIC_NOT_ALLOWED", edits(change(13, metric_code="lab_work_stoppages")), {}),  # B, D
    ("E_UNKNOWN_ZONE", edits(change(6, zone_code="KCN-HN-DONGANH")), {}),  # planned
    ("E_ZONE_NOT_IN_JURISDICTION", edits(change(6, zone_code="KCN-HN-SOCSON")), {}),
    ("E_UNKNOWN_ENTERPRISE", edits(change(9, enterprise_tax_code=HISTORY_CODE)), {}),
    (
        "E_TAX_CODE",
        edits(
            change(9, enterprise_tax_code=BRANCH_CODE),
            lambda rows, ents: ents.append({**ents[0], "tax_code": BRANCH_CODE}),
        ),
        {},
    ),
    ("E_VALUE_KIND", edits(change(13, value_kind="estimate")), {}),
    (
        "E_BASIS",
        edits(
            add(
                zone_code=THANGLONG,
                metric_code="lab_avg_income",
                value="9.5",
                unit="VND_MN_PER_PERSON_MONTH",
            )
        ),
        {},
    ),  # a rate takes month
    ("E_BAD_NUMBER", edits(change(5, value="26.90")), {}),
    ("E_NEGATIVE", edits(change(13, value="0")), {}),
    ("E_NOT_INTEGER", edits(change(2, value="35.0")), {}),
    ("E_UNIT", edits(change(5, value="26900", unit="USD_TH")), {}),
    (
        "E_DUPLICATE_KEY",
        edits(add(metric_code="inv_new_capital", value="315", unit="VND_BN")),
        {},
    ),  # the same figure in the other currency
    ("E_PART_EXCEEDS_WHOLE", edits(change(8, value="1000")), {}),
    ("E_BAD_REFERENCE", edits(change_ent(3, investor_country="")), {}),  # DDI: empty is fine
    ("W_NUMBER_AS_TEXT", lambda root: xlsx_folder(root, 26.9), {}),
    ("W_SUBTOTAL_MISMATCH", edits(drop(3)), {}),  # no FDI row: nothing to compare
    ("W_ZONE_SUM_MISMATCH", edits(change(10, value="504")), {}),  # 0.8 %
    ("W_YTD_DECREASE", edits(change(5, value="25000", unit="USD_TH")), {}),  # equal
    (
        "W_YTD_MONTH_MISMATCH",
        edits(add(metric_code="inv_new_projects", period_basis="month", value="5")),
        {},
    ),
    ("W_OUTLIER", edits(change(6, value="1400")), {}),  # +40 %
    ("W_OUTLIER", edits(change(6, value="440"), period="2024-02"), {}),  # the Tết dip
    ("W_LATE", received_at(datetime(2024, 4, 10, 23, 59, tzinfo=ICT)), {}),
    # version 1.1: the added rules
    ("E_PERIOD_NOT_OPEN", received_at(datetime(2024, 3, 1, 0, 0, tzinfo=ICT)), {}),  # its 1st
    ("E_AMBIGUOUS_FILES", with_workbook("notes"), {}),  # a workbook without a table sheet
    ("E_DUPLICATE_COLUMN", rewrite("indicators.csv", add_column(",")), {}),  # blank names
    ("E_TEXT_TOO_LONG", edits(change(2, note="x" * 500)), {}),
    ("E_TEXT_TOO_LONG", edits(change_ent(2, enterprise_name="C" * 300)), {}),
    ("E_TABLE_NOT_ALLOWED", edits(district_rows, **DISTRICT), {}),
    # version 1.1: the clarifications
    ("E_ENCODING", rewrite("indicators.csv", with_value(2, b'"3\t5"')), {}),  # a tab is text
    ("E_BAD_NUMBER", edits(change(2, value="123456789012345")), {}),  # 15 digits
    ("E_MISSING_COLUMN", rewrite("indicators.csv", lambda d: d.replace(b"note", b"note;x")), {}),
]


def _garbage_xlsx(root: Path) -> Path:
    folder = folder_of(root)
    (folder / "indicators.csv").unlink()
    (folder / "report.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    return folder


def _check_shape(report: dict) -> None:
    assert set(report) == {"submitter_code", "period", "outcome", "findings"}
    for finding in report["findings"]:
        assert set(finding) == FINDING_KEYS, finding
        assert finding["message_vi"] and finding["message_en"]


def _case_id(case: tuple[str, Callable, dict]) -> str:
    return case[0]


def _run_case(cli, tmp_path, monkeypatch, build, env) -> tuple[int, dict]:
    """The CLI's exit code and report on a case's folder, with the case's environment; the
    report is checked to have the shape every report has."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)

    code, report = cli(build(tmp_path / "dry"))

    assert report is not None
    _check_shape(report)
    return code, report


def test_the_base_submission_is_accepted_without_findings(cli, tmp_path):
    code, report = cli(folder_of(tmp_path))

    assert (code, report) == (
        0,
        {"submitter_code": "BQL-HN", "period": "2024-03", "outcome": "accepted", "findings": []},
    )


@pytest.mark.parametrize(("rule_id", "build", "env"), TRIGGERS, ids=map(_case_id, TRIGGERS))
def test_rule_fires_through_the_cli(cli, tmp_path, monkeypatch, rule_id, build, env):
    code, report = _run_case(cli, tmp_path, monkeypatch, build, env)

    rules = [f["rule_id"] for f in report["findings"]]
    assert rule_id in rules, report
    warning = rule_id.startswith("W_")
    assert report["outcome"] == ("accepted_with_warnings" if warning else "rejected"), report
    assert code == (0 if warning else 1)


@pytest.mark.parametrize(("rule_id", "build", "env"), NEAR_MISSES, ids=map(_case_id, NEAR_MISSES))
def test_near_miss_does_not_fire_through_the_cli(cli, tmp_path, monkeypatch, rule_id, build, env):
    code, report = _run_case(cli, tmp_path, monkeypatch, build, env)

    assert rule_id not in [f["rule_id"] for f in report["findings"]], report
    assert code == (1 if report["outcome"] == "rejected" else 0)


def test_every_contract_rule_has_a_trigger_and_a_near_miss():
    from kcn.validation.rules import RULES

    assert {case[0] for case in TRIGGERS} == set(RULES)
    assert {case[0] for case in NEAR_MISSES} == set(RULES)


def test_finding_locates_the_cell_and_says_what_to_change(cli, tmp_path):
    code, report = cli(folder_of(tmp_path, change(6, value="10000")))

    (finding,) = report["findings"]
    assert (
        finding["rule_id"],
        finding["file"],
        finding["row"],
        finding["column"],
        finding["value"],
    ) == ("W_OUTLIER", "indicators.csv", 6, "value", "10000")
    assert "typically about 1" in finding["message_en"]


def test_an_unclosed_quote_is_reported_on_the_row_it_opens(cli, tmp_path):
    folder = rewrite("indicators.csv", with_note('"open', "utf-8", quoted=False))(tmp_path)

    code, report = cli(folder)

    [finding] = report["findings"]
    assert (finding["rule_id"], finding["row"]) == ("E_FILE_UNREADABLE", 2)
    assert "never closed" in finding["message_en"]
    assert "không được đóng" in finding["message_vi"]


def test_a_semicolon_csv_is_told_its_separator_once(cli, tmp_path):
    folder = rewrite("indicators.csv", lambda d: d.replace(b",", b";"))(tmp_path)

    code, report = cli(folder)

    [finding] = report["findings"]
    assert finding["rule_id"] == "E_MISSING_COLUMN"
    assert "separated by ;" in finding["message_en"] and "save it as CSV with commas" in (
        finding["message_en"].replace("Save", "save")
    )
    assert "phân tách bằng ;" in finding["message_vi"]


def test_a_linked_file_is_reported_by_name_and_never_read(cli, tmp_path):
    code, report = cli(linked("indicators.csv", "/etc/passwd")(tmp_path))

    assert code == 1
    [finding] = [f for f in report["findings"] if f["rule_id"] == "E_FILE_UNREADABLE"]
    assert finding["file"] == "indicators.csv"
    assert "root:" not in json.dumps(report)


def test_no_library_text_in_a_message(cli, tmp_path):
    code, report = cli(_garbage_xlsx(tmp_path))

    for finding in report["findings"]:
        text = finding["message_vi"] + finding["message_en"]
        assert "zip file" not in text and "Error" not in text, finding


def test_text_output_prints_no_terminal_escape_sequence(history_warehouse, tmp_path, monkeypatch):
    url, data = history_warehouse
    monkeypatch.setenv("KCN_WAREHOUSE_URL", url)
    monkeypatch.setenv("KCN_DATA", str(data))
    folder = folder_of(tmp_path, change(2, value="\x1b[2J\x1b]0;pwned\x0735"))

    result = CliRunner().invoke(app, ["validate", str(folder), "--format", "text"])

    assert result.exit_code == 1, result.output
    assert "E_ENCODING" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_printable_strips_escape_sequences_and_shows_control_characters():
    from kcn.validation.dry_run import printable

    assert printable("a\x1b[31mred\x1b[0m\x1b]0;title\x07b\x00c") == "aredb\\x00c"


def test_a_missing_folder_cannot_run(cli, tmp_path):
    code, report = cli(tmp_path / "2024-03" / "BQL-HN")

    assert (code, report) == (2, None)


def test_an_unreachable_warehouse_cannot_run(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("KCN_WAREHOUSE_URL", "postgresql://postgres@127.0.0.1:1/kcn")

    code, report = cli(folder_of(tmp_path))

    assert (code, report) == (2, None)
