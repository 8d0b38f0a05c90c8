"""`kcn template`: the XLSX workbook a submitter fills in for one month.

The `indicators` sheet is pre-filled with the rows the submitter normally sends (contract
sections 3 and 5), codes in the contract's columns and Vietnamese labels in extra columns
to the right (the parser ignores unknown columns). Drop-downs come from a hidden `lists`
sheet: an inline list is limited to 255 characters.

    write_template("BQL-HN", "2024-03", Path("BQL-HN-2024-03.xlsx"))
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kcn import reference
from kcn.contract import ENTERPRISE_COLUMNS, INDICATOR_COLUMNS, OWNERSHIPS, STATUSES, VALUE_KINDS
from kcn.period import DEFAULT_LATE_DAY, deadline, month_start

LABEL_COLUMNS = ("ten_khu", "ten_chi_tieu", "metric_name_en")  # ignored by the parser
# What a board or district normally sends, by metric kind: (value_kind, period_basis).
USUAL_BASIS = {"F": ("actual", "month"), "S": ("actual", "eom"), "R": ("actual", "month")}
# Money metrics in the currencies they are usually reported in; others in VND_BN. Registered
# capital comes as "X triệu USD và Y tỷ đồng": two rows.
MONEY_UNITS = {
    "inv_new_capital": ("USD_MN", "VND_BN"),
    "inv_added_capital": ("USD_MN", "VND_BN"),
    "biz_export": ("USD_MN",),
    "biz_import": ("USD_MN",),
}
LAST_ROW = 5000  # drop-downs and text format reach this row, so added rows get them too
ALL_ZONES_VI = "Tất cả các KCN thuộc phạm vi (để trống zone_code)"

_HEADER_FONT = Font(bold=True)
_LABEL_FILL = PatternFill("solid", fgColor="FFF2F2F2")  # grey: labels, not data
_VALUE_FILL = PatternFill("solid", fgColor="FFFFF9DB")  # pale yellow: fill these in


class TemplateError(ValueError):
    """The template cannot be made (unknown or inactive submitter, bad period)."""


@dataclass(frozen=True)
class TemplateRow:
    zone_code: str | None
    metric_code: str
    value_kind: str
    period_basis: str
    unit: str


def template_rows(submitter_code: str, period: str) -> list[TemplateRow]:
    """The rows the submitter is expected to send for the month, zone by zone."""
    ref = _load_active(submitter_code, period)
    submitter = ref.submitters[submitter_code]
    board = submitter.type == "board"
    metrics = [m for m in ref.metrics.values() if (m.by_board if board else m.by_district)]
    zones = _zones(ref, submitter_code, period)
    rows = [
        TemplateRow(zone, m.code, *USUAL_BASIS[m.kind], unit)
        for zone in zones
        for m in metrics
        for unit in _units(m)
    ]
    if board:  # the board's lũy kế of investment attracted, all zones together
        rows += [
            TemplateRow(None, m.code, "actual", "ytd", unit)
            for m in metrics
            if m.code.startswith("inv_")
            for unit in _units(m)
        ]
    return rows


def _load_active(submitter_code: str, period: str) -> reference.Reference:
    """The reference data, once the submitter is known to be active in the month."""
    try:
        month_start(period)
    except ValueError as exc:
        raise TemplateError(
            f"Kỳ báo cáo phải có dạng YYYY-MM, nhận được '{period}'. / "
            f"The period must be YYYY-MM, got '{period}'."
        ) from exc
    ref = reference.load()
    submitter = ref.submitters.get(submitter_code)
    if submitter is None:
        raise TemplateError(
            f"Mã đơn vị '{submitter_code}' không có trong danh mục; các mã: "
            f"{', '.join(ref.submitters)}. / The submitter code '{submitter_code}' is not "
            f"registered; the codes are: {', '.join(ref.submitters)}."
        )
    if not reference.submitter_active(submitter_code, period):
        validity = submitter.validity
        until = validity.valid_to.isoformat() if validity.valid_to else "nay / now"
        raise TemplateError(
            f"Đơn vị {submitter_code} không có hiệu lực trong kỳ {period} (hiệu lực "
            f"{validity.valid_from} đến {until}); không có báo cáo nào phải gửi. / "
            f"The submitter {submitter_code} is not valid in {period} (valid "
            f"{validity.valid_from} to {until}); no report is due."
        )
    return ref


def write_template(
    submitter_code: str, period: str, path: Path, *, late_day: int = DEFAULT_LATE_DAY
) -> Path:
    """Write the template workbook to `path`; TemplateError if no report is due."""
    book = build_template(submitter_code, period, late_day=late_day)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def build_template(
    submitter_code: str, period: str, *, late_day: int = DEFAULT_LATE_DAY
) -> Workbook:
    ref = _load_active(submitter_code, period)
    board = ref.submitters[submitter_code].type == "board"
    zones = _zones(ref, submitter_code, period)
    book = Workbook()
    indicators = book.active
    indicators.title = "indicators"
    enterprises = book.create_sheet("enterprises") if board else None
    instructions = book.create_sheet("instructions")
    lists = book.create_sheet("lists")
    lists.sheet_state = "hidden"

    ranges = _write_lists(lists, ref, zones)
    _write_indicators(indicators, ref, submitter_code, period)
    _validate(
        indicators,
        INDICATOR_COLUMNS,
        ranges,
        ("metric_code", "unit", "value_kind", "period_basis", "zone_code"),
    )
    if enterprises is not None:
        _header(enterprises, ENTERPRISE_COLUMNS)
        _text_format(enterprises, ENTERPRISE_COLUMNS)
        _validate(enterprises, ENTERPRISE_COLUMNS, ranges, ("zone_code", "ownership", "status"))
    _write_instructions(instructions, ref, submitter_code, period, board, late_day)
    return book


def _zones(ref: reference.Reference, submitter_code: str, period: str) -> list[str]:
    """The submitter's zones in registry order (operating zones first, as zones.csv lists)."""
    jurisdiction = reference.jurisdiction(submitter_code, period)
    return [code for code in ref.zones if code in jurisdiction]


def _units(metric: reference.Metric) -> tuple[str, ...]:
    if metric.unit_family == "money":
        return MONEY_UNITS.get(metric.code, ("VND_BN",))
    return (metric.unit_family,)  # each other family has one unit, named as the family


def _header(ws: Worksheet, columns: tuple[str, ...]) -> None:
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = _HEADER_FONT
    ws.freeze_panes = "A2"
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, len(column) + 4)


def _text_format(ws: Worksheet, columns: tuple[str, ...]) -> None:
    """Codes stay text: Excel would turn 2024-03 into a date and drop a tax code's leading 0."""
    for i, column in enumerate(columns, start=1):
        if column != "value":
            ws.column_dimensions[get_column_letter(i)].number_format = "@"


def _write_indicators(ws: Worksheet, ref: reference.Reference, submitter: str, period: str) -> None:
    columns = (*INDICATOR_COLUMNS, *LABEL_COLUMNS)
    _header(ws, columns)
    _text_format(ws, INDICATOR_COLUMNS)
    for row in template_rows(submitter, period):
        metric = ref.metrics[row.metric_code]
        zone_name = ref.zones[row.zone_code].name_vi if row.zone_code else ALL_ZONES_VI
        values = {
            "submitter_code": submitter,
            "period": period,
            "zone_code": row.zone_code,
            "metric_code": row.metric_code,
            "value_kind": row.value_kind,
            "period_basis": row.period_basis,
            "unit": row.unit,
            "ten_khu": zone_name,
            "ten_chi_tieu": metric.name_vi,
            "metric_name_en": metric.name_en,
        }
        ws.append([values.get(c) for c in columns])
    value_col = INDICATOR_COLUMNS.index("value") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(r, value_col).fill = _VALUE_FILL
        for c in range(len(INDICATOR_COLUMNS) + 1, len(columns) + 1):
            ws.cell(r, c).fill = _LABEL_FILL
    ws.column_dimensions[get_column_letter(len(INDICATOR_COLUMNS) + 1)].width = 30
    ws.column_dimensions[get_column_letter(len(INDICATOR_COLUMNS) + 2)].width = 40


def _write_lists(ws: Worksheet, ref: reference.Reference, zones: list[str]) -> dict[str, str]:
    """One column per drop-down; returns column name -> the range a validation refers to."""
    lists = {
        "metric_code": list(ref.metrics),
        "unit": list(ref.units),
        "value_kind": list(VALUE_KINDS),
        "period_basis": ["month", "ytd", "eom", "year"],
        "zone_code": zones,
        "ownership": list(OWNERSHIPS),
        "status": list(STATUSES),
    }
    ranges = {}
    for i, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(i)
        ws.cell(1, i, name)
        for r, value in enumerate(values, start=2):
            ws.cell(r, i, value)
        ranges[name] = f"lists!${letter}$2:${letter}${max(2, len(values) + 1)}"
    return ranges


def _validate(
    ws: Worksheet, columns: tuple[str, ...], ranges: dict[str, str], names: tuple[str, ...]
) -> None:
    for name in names:
        letter = get_column_letter(columns.index(name) + 1)
        dv = DataValidation(
            type="list",
            formula1=ranges[name],
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Mã không hợp lệ / Invalid code",
            error=f"Chọn một giá trị trong danh sách {name}. / Pick a value from the {name} list.",
        )
        dv.add(f"{letter}2:{letter}{LAST_ROW}")
        ws.add_data_validation(dv)


def _write_instructions(
    ws: Worksheet, ref: reference.Reference, submitter: str, period: str, board: bool, late_day: int
) -> None:
    due = deadline(period, late_day).date()
    name = ref.submitters[submitter].name_vi
    lines = [
        (
            f"Mẫu báo cáo tháng {period} — {name} ({submitter})",
            f"Monthly report template for {period} — {submitter}",
        ),
        (
            f"Hạn gửi: 23:59 ngày {due:%d/%m/%Y} (ngày {late_day} tháng sau), giờ Việt Nam.",
            f"Deadline: {due.isoformat()} 23:59 Vietnam time (day {late_day} of the following "
            "month).",
        ),
        (
            "Trang 'indicators' đã có sẵn các dòng thường báo cáo; chỉ cần ghi cột value. Các cột "
            "màu xám bên phải chỉ để đọc, không bắt buộc.",
            "The 'indicators' sheet lists the rows you normally send; fill in the value column. "
            "The grey columns on the right are labels only.",
        ),
        (
            "Số: chỉ ghi chữ số, dấu chấm '.' cho phần thập phân, không dấu phân cách hàng nghìn "
            "(ví dụ 1178 hoặc 26.9). Ô value phải là ô Số, không phải ô chữ.",
            "Numbers: digits only, '.' as the decimal mark, no thousands separators (e.g. 1178 "
            "or 26.9). The value cell must be a Number cell, not text.",
        ),
        (
            "Đơn vị tính (unit): chọn trong danh sách. Tiền: VND, VND_MN (triệu đồng), VND_BN (tỷ "
            "đồng), USD, USD_TH (nghìn USD), USD_MN (triệu USD). Không quy đổi tiền tệ: "
            "'26,9 triệu USD và 315 tỷ đồng' là hai dòng, một USD_MN và một VND_BN.",
            "Units: pick from the list. Money: VND, VND_MN, VND_BN, USD, USD_TH, USD_MN. Do not "
            "convert currencies: '26.9 million USD and 315 billion VND' is two rows, one in "
            "USD_MN and one in VND_BN.",
        ),
        (
            "Số đếm (PROJECT, ENTERPRISE, PERSON, CASE) là số nguyên. Không ghi số âm.",
            "Counts (PROJECT, ENTERPRISE, PERSON, CASE) are whole numbers. No negative values.",
        ),
        (
            "period_basis: month = riêng tháng này; ytd = lũy kế từ tháng 1 đến hết tháng này; "
            "eom = số tại cuối tháng (số doanh nghiệp, lao động, diện tích); year = kế hoạch năm.",
            "period_basis: month = this month alone; ytd = January to this month (lũy kế); "
            "eom = the stock at month end (enterprises, workers, area); year = an annual plan.",
        ),
        (
            "value_kind: actual = số thực hiện; estimate = số ước khi tháng chưa kết thúc (gửi lại "
            "số thực hiện sau); plan = kế hoạch năm (period_basis year).",
            "value_kind: actual = the final figure; estimate = an estimate before the month is "
            "closed (send the actual figure later); plan = the annual plan (period_basis year).",
        ),
        (
            "zone_code để trống: số liệu chung cho tất cả các khu thuộc phạm vi. Có thể thêm dòng "
            "(ví dụ số lũy kế, số ước, kế hoạch) và xóa dòng không có số liệu.",
            "An empty zone_code: a figure for all your zones together. You may add rows (e.g. "
            "year-to-date, estimates, plans) and delete rows you have no figure for.",
        ),
    ]
    if board:
        lines.append(
            (
                "Trang 'enterprises': danh sách doanh nghiệp (mã số thuế 10 số hoặc 10 số-3 số, "
                "ownership FDI/DDI, investor_country mã ISO 2 chữ cái, status). Cần khi có dòng "
                "theo doanh nghiệp (enterprise_tax_code).",
                "The 'enterprises' sheet: the enterprises (tax code of 10 or 10-3 digits, "
                "ownership FDI/DDI, investor_country ISO alpha-2, status). Needed for "
                "enterprise-level rows (enterprise_tax_code).",
            )
        )
    lines += [
        (
            f"Lưu tệp vào thư mục {period}/{submitter}/ (tên tệp tùy ý, đuôi .xlsx). "
            "Kiểm tra trước "
            f"khi gửi: kcn validate {period}/{submitter} --format json",
            f"Save the file in the folder {period}/{submitter}/ (any name ending in .xlsx). Check "
            f"it before sending: kcn validate {period}/{submitter} --format json",
        ),
        (
            "Gửi lại cả thư mục để sửa: bản mới thay thế toàn bộ bản trước.",
            "To correct, send the whole folder again: the new version replaces the earlier one.",
        ),
    ]
    ws.append(["Tiếng Việt", "English"])
    for cell in ws[1]:
        cell.font = _HEADER_FONT
    for vi, en in lines:
        ws.append([vi, en])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 90
    ws.column_dimensions["B"].width = 90
