"""A corpus of malformed submissions (issue: "nothing received is lost, nothing bad is
published, one bad file never blocks a month"), and checksums of what the pipeline leaves in
the warehouse.

Every case is one submission folder of BQL-ND (or a district) in a month of its own, beside a
clean BQL-HN submission of the same month that must be accepted whatever its neighbour holds.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from tests.conftest import INDICATOR_HEADER, _on_time, write_submission

GOOD_HN = [{"zone_code": "KCN-HN-NOIBAI", "metric_code": "inv_new_projects", "value": "2"}]
GOOD_ND = [{"zone_code": "KCN-ND-HOAXA", "metric_code": "inv_new_projects", "value": "3"}]
ENTERPRISE_HEADER = "tax_code,enterprise_name,zone_code,ownership,investor_country,vsic_code,status"
ENTERPRISE_ROW = "0100233488,Công ty Cổ phần Cơ khí,KCN-HN-NOIBAI,DDI,VN,C,operating"


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Path, str], Path]  # (landing, period) -> the submission folder
    outcome: str
    rules: frozenset[str]  # rule ids the version must have (others may come too)
    submitter: str = "BQL-ND"


def _stamp(folder: Path, period: str) -> Path:
    when = _on_time(period).timestamp()
    for path in folder.iterdir():
        if not path.is_symlink():
            os.utime(path, (when, when))
    return folder


def good(landing: Path, period: str, submitter: str = "BQL-ND") -> Path:
    return write_submission(landing, period, submitter, GOOD_ND)


def csv_bytes(data: bytes) -> Callable[[Path, str], Path]:
    """indicators.csv with exactly these bytes."""

    def build(landing: Path, period: str) -> Path:
        folder = good(landing, period)
        (folder / "indicators.csv").write_bytes(data)
        return _stamp(folder, period)

    return build


def header() -> bytes:
    return (",".join(INDICATOR_HEADER) + "\n").encode()


def row(value: str = "3", note: str = "", period: str = "{period}") -> str:
    return f"BQL-ND,{period},KCN-ND-HOAXA,,inv_new_projects,actual,month,{value},PROJECT,{note}\n"


def csv_rows(*lines: str, head: bytes | None = None) -> Callable[[Path, str], Path]:
    def build(landing: Path, period: str) -> Path:
        folder = good(landing, period)
        text = (head or header()) + "".join(line.format(period=period) for line in lines).encode()
        (folder / "indicators.csv").write_bytes(text)
        return _stamp(folder, period)

    return build


def value(text: str) -> Callable[[Path, str], Path]:
    return lambda landing, period: write_submission(
        landing, period, "BQL-ND", [{**GOOD_ND[0], "value": text}]
    )


def workbook(
    rows: list[list[object]],
    *,
    head: list[str] | None = None,
    name: str = "report.xlsx",
    keep_csv: bool = False,
) -> Callable[[Path, str], Path]:
    def build(landing: Path, period: str) -> Path:
        folder = good(landing, period)
        if not keep_csv:
            (folder / "indicators.csv").unlink()
        book = openpyxl.Workbook()
        ws = book.active
        ws.title = "indicators"
        ws.append(head or INDICATOR_HEADER)
        for cells in rows:
            ws.append([period if c == "{period}" else c for c in cells])
        book.save(folder / name)
        return _stamp(folder, period)

    return build


def xrow(number: object) -> list[object]:
    return [
        "BQL-ND",
        "{period}",
        "KCN-ND-HOAXA",
        None,
        "inv_new_projects",
        "actual",
        "month",
        number,
        "PROJECT",
        None,
    ]


def linked_file(target: Path) -> Callable[[Path, str], Path]:
    def build(landing: Path, period: str) -> Path:
        folder = good(landing, period)
        (folder / "indicators.csv").unlink()
        (folder / "indicators.csv").symlink_to(target)
        return folder

    return build


def pipe(landing: Path, period: str) -> Path:
    folder = good(landing, period)
    os.mkfifo(folder / "enterprises.csv")
    return folder


def extra_file(name: str, data: bytes) -> Callable[[Path, str], Path]:
    def build(landing: Path, period: str) -> Path:
        folder = good(landing, period)
        (folder / name).write_bytes(data)
        return _stamp(folder, period)

    return build


def shared_strings_bomb(landing: Path, period: str) -> Path:
    """A workbook whose shared strings declare 60 MB (about 60 KB compressed): over the
    size limit of the fault tests (20 MB)."""
    folder = workbook([xrow(3)])(landing, period)
    path = folder / "report.xlsx"
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/sharedStrings.xml", "w") as member,
    ):
        if True:  # the member is written in three parts
            member.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(60):
                member.write(b"<si><t>a</t></si>" * (1024 * 1024 // 17))
            member.write(b"</sst>")
    return _stamp(folder, period)


def sparse_file(size: int) -> Callable[[Path, str], Path]:
    """indicators.csv of `size` bytes (sparse: nothing is written)."""

    def build(landing: Path, period: str) -> Path:
        folder = good(landing, period)
        with (folder / "indicators.csv").open("r+b") as f:
            f.truncate(size)
        return _stamp(folder, period)

    return build


def district_with_enterprises(landing: Path, period: str) -> Path:
    folder = write_submission(
        landing,
        period,
        "UBND-HN-SOCSON",
        [
            {
                "zone_code": "KCN-HN-NOIBAI",
                "metric_code": "dst_security_incidents",
                "unit": "CASE",
                "value": "1",
            }
        ],
    )
    (folder / "enterprises.csv").write_text(f"{ENTERPRISE_HEADER}\n{ENTERPRISE_ROW}\n", "utf-8")
    return _stamp(folder, period)


REJECTED, ACCEPTED = "rejected", "accepted"


def cases(outside: Path) -> list[Case]:
    """The corpus; `outside` is a file outside the landing area a link may point at."""
    r = frozenset
    return [
        Case("empty-0-bytes", csv_bytes(b""), REJECTED, r({"E_NO_INDICATORS"})),
        Case("header-only", csv_rows(), REJECTED, r({"E_NO_INDICATORS"})),
        Case("blank-lines", csv_rows("\n", "\n", "\n"), REJECTED, r({"E_NO_INDICATORS"})),
        Case("header-only-xlsx", workbook([]), REJECTED, r({"E_NO_INDICATORS"})),
        Case("nul-byte", csv_rows(row("3\x005")), REJECTED, r({"E_ENCODING"})),
        Case("escape-sequence", csv_rows(row("3", "\x1b[2J")), REJECTED, r({"E_ENCODING"})),
        Case("vietnamese-text", csv_rows(row("3", "Hà Nam")), ACCEPTED, r()),  # control: fine
        Case("cp1258", _cp1258, REJECTED, r({"E_ENCODING"})),
        Case("full-width-digits", value("１２３"), REJECTED, r({"E_BAD_NUMBER"})),
        Case("arabic-indic-digits", value("١٢٣"), REJECTED, r({"E_BAD_NUMBER"})),
        Case("400-digits", value("9" * 400), REJECTED, r({"E_BAD_NUMBER"})),
        Case("exponent-csv", value("1e5"), REJECTED, r({"E_BAD_NUMBER"})),
        Case("1e308-xlsx", workbook([xrow(1e308)]), REJECTED, r({"E_BAD_NUMBER"})),
        Case("15-digits", value("123456789012345"), ACCEPTED, r()),
        Case("link-to-system-file", linked_file(outside), REJECTED, r({"E_FILE_UNREADABLE"})),
        Case("pipe", pipe, REJECTED, r({"E_FILE_UNREADABLE"})),
        Case(
            "two-indicators-csv",
            extra_file("Indicators.csv", b"x\n"),
            REJECTED,
            r({"E_AMBIGUOUS_FILES"}),
        ),
        Case(
            "csv-beside-workbook",
            workbook([xrow(4)], keep_csv=True),
            REJECTED,
            r({"E_AMBIGUOUS_FILES"}),
        ),
        Case(
            "duplicated-value-csv",
            csv_rows(row("3").rstrip("\n") + ",4\n", head=header().rstrip(b"\n") + b",value\n"),
            REJECTED,
            r({"E_DUPLICATE_COLUMN"}),
        ),
        Case(
            "duplicated-value-xlsx",
            workbook([[*xrow(3), 4]], head=[*INDICATOR_HEADER, "value"]),
            REJECTED,
            r({"E_DUPLICATE_COLUMN"}),
        ),
        Case("10-mb-note", csv_rows(row("3", "x" * 10_000_000)), REJECTED, r({"E_TEXT_TOO_LONG"})),
        Case(
            "unclosed-quote",
            csv_rows(row("3"), row("3", '"open')),
            REJECTED,
            r({"E_FILE_UNREADABLE"}),
        ),
        Case(
            "semicolons",
            csv_rows(row("3").replace(",", ";"), head=header().replace(b",", b";")),
            REJECTED,
            r({"E_MISSING_COLUMN"}),
        ),
        Case(
            "not-a-zip",
            extra_file("report.xlsx", b"PK\x03\x04 not a workbook"),
            REJECTED,
            r({"E_FILE_UNREADABLE"}),
        ),
        Case("shared-strings-bomb", shared_strings_bomb, REJECTED, r({"E_TOO_LARGE"})),
        Case("21-mb-file", sparse_file(21 * 1024 * 1024), REJECTED, r({"E_TOO_LARGE"})),
        Case("formula-text", value("=1+1"), REJECTED, r({"E_BAD_NUMBER"})),
        Case(
            "sql-text", csv_rows(row("3", "'); drop table kcn_raw.indicators; --")), ACCEPTED, r()
        ),
        Case(
            "district-enterprises",
            district_with_enterprises,
            REJECTED,
            r({"E_TABLE_NOT_ALLOWED"}),
            submitter="UBND-HN-SOCSON",
        ),
        Case("control-clean", value("3"), ACCEPTED, r()),
    ]


def _cp1258(landing: Path, period: str) -> Path:
    folder = csv_rows(row("3", "KCN Đông Anh"))(landing, period)
    path = folder / "indicators.csv"
    path.write_bytes(path.read_text("utf-8").encode("cp1258"))
    return _stamp(folder, period)


def landing_oddities(landing: Path, outside_folder: Path) -> dict[str, str]:
    """Entries of the landing area that are not submissions: path -> the reason expected."""
    (landing / "2025-04 " / "BQL-HN").mkdir(parents=True)
    write_submission(landing, "2025-04 ", "BQL-HN", GOOD_HN)
    write_submission(landing, "2025-03\n", "BQL-HN", GOOD_HN)
    (landing / "readme.txt").write_text("hello")
    (landing / "2024-13").mkdir()
    (landing / "2021-01").mkdir(exist_ok=True)
    (landing / "2021-01" / "indicators.csv").write_text("x")
    (landing / "2021-01" / "bql hn").mkdir()
    (landing / "2021-01" / "BQL-NB").symlink_to(outside_folder, target_is_directory=True)
    (landing / "2021-02").symlink_to(outside_folder.parent, target_is_directory=True)
    return {
        "2025-04 ": "not_a_month",
        "2025-03\n": "not_a_month",
        "readme.txt": "not_a_month",
        "2024-13": "not_a_month",
        "2021-02": "link",
        "2021-01/indicators.csv": "file_in_month",
        "2021-01/bql hn": "not_a_submitter",
        "2021-01/BQL-NB": "link",
    }


CHECKSUM_SQL = {
    "versions": """
        select coalesce(md5(string_agg(concat_ws(',', v.submitter_code, v.period, v.version_no,
            v.content_sha256, v.outcome, s.version_no), '|' order by v.submitter_code, v.period,
            v.version_no)), '')
        from kcn_audit.submission_version as v
        left join kcn_audit.submission_version as s on v.superseded_by = s.version_id
    """,
    "findings": """
        select coalesce(md5(string_agg(concat_ws(',', v.submitter_code, v.period, v.version_no,
            f.rule_id, f.severity, f.file_name, f.row_number, f.column_name, f.value,
            f.message_vi, f.message_en), '|' order by v.submitter_code, v.period, v.version_no,
            f.rule_id, f.file_name, f.row_number, f.column_name, f.value)), '')
        from kcn_audit.finding as f
        inner join kcn_audit.submission_version as v on f.version_id = v.version_id
    """,
    "raw_indicators": """
        select coalesce(md5(string_agg(concat_ws(',', v.submitter_code, v.period, v.version_no,
            i.file_name, i.row_number, i.metric_code, i.value, i.value_as_text, md5(i.note)),
            '|' order by v.submitter_code, v.period, v.version_no, i.file_name, i.row_number)), '')
        from kcn_raw.indicators as i
        inner join kcn_audit.submission_version as v on i.version_id = v.version_id
    """,
    "raw_enterprises": """
        select coalesce(md5(string_agg(concat_ws(',', v.submitter_code, v.period, v.version_no,
            e.file_name, e.row_number, e.tax_code, e.enterprise_name), '|'
            order by v.submitter_code, v.period, v.version_no, e.file_name, e.row_number)), '')
        from kcn_raw.enterprises as e
        inner join kcn_audit.submission_version as v on e.version_id = v.version_id
    """,
    "pending": "select count(*)::text from kcn_audit.submission_version where outcome is null",
}


def checksums(url: str) -> dict[str, str]:
    import psycopg2

    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            out = {}
            for name, statement in CHECKSUM_SQL.items():
                cur.execute(statement)
                out[name] = cur.fetchone()[0]
            return out
    finally:
        conn.close()
