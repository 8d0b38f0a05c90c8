"""The rules of contract section 7: severity and a bilingual message that says what to change.

Messages are `str.format` templates. Every template may use {file}, {row}, {column} and
{value}; the other fields come from `finding(..., **details)`. A detail given as a
(vietnamese, english) pair (tuple or 2-list) is rendered in the language of each message:
pass lists of codes as one joined string. A detail a template needs but nobody gave is
shown as "?" rather than failing the whole run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from kcn.intake.tables import ParsedSubmission, ReadProblem
from kcn.validation.findings import Finding

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    severity: str  # fatal | error | warning
    vi: str
    en: str
    defaults: dict[str, object] = field(default_factory=dict)  # details a caller may omit
    # other wordings of the same rule, chosen by the detail `case` (e.g. an empty table)
    cases: dict[str, tuple[str, str]] = field(default_factory=dict)


# Plain-English detail values callers pass (parse: what="rows"), shown in Vietnamese too.
_TERMS = {"bytes": ("byte", "bytes"), "rows": ("dòng", "rows"), "?": ("không rõ", "unknown")}
# Why a file cannot be read (the `reason` reading gives): the message says it in each
# language; the library's own words stay in the finding's detail.
REASONS: dict[str, tuple[str, str]] = {
    "not_regular": (
        "đây không phải là một tệp thông thường (liên kết, thư mục con, thiết bị hoặc ống) "
        "nên không được đọc",
        "it is not a regular file (a link, a sub-folder, a device or a pipe), so it is not read",
    ),
    "not_zip": (
        "tệp không phải là một sổ tính XLSX (không đọc được cấu trúc nén của nó)",
        "the file is not an XLSX workbook (its zip structure cannot be read)",
    ),
    "xlsx": (
        "nội dung sổ tính bị hỏng hoặc không đúng chuẩn XLSX",
        "the workbook's content is damaged or not standard XLSX",
    ),
    "csv": (
        "nội dung không đúng định dạng CSV",
        "the content is not valid CSV",
    ),
    "unclosed_quote": (
        'có một dấu ngoặc kép (") mở ở dòng này mà không được đóng',
        'a double quote (") opens on this row and is never closed',
    ),
    "too_many_cells": (
        "dòng này có nhiều ô hơn dòng tiêu đề (có thể do dấu phẩy trong một ô không được đặt "
        "trong ngoặc kép)",
        "this row has more cells than the header (perhaps a comma inside a cell that is not "
        "quoted)",
    ),
    "unexpected": (
        "đã xảy ra một lỗi không lường trước khi đọc hoặc kiểm tra báo cáo này; bộ phận kỹ "
        "thuật đã được ghi nhận chi tiết. Hãy kiểm tra tệp có mở được bằng Excel không",
        "an unexpected problem occurred while reading or checking this submission; the "
        "technical details are kept for the warehouse team. Check that the file opens in "
        "Excel",
    ),
}
_UNKNOWN_REASON = ("định dạng không nhận ra", "unrecognised format")


RULES: dict[str, Rule] = {
    # -- the folder and its files (fatal: nothing else is checked) --
    "E_FILE_UNREADABLE": Rule(
        "fatal",
        "Không mở được tệp {file} dưới dạng CSV hoặc XLSX ({reason}). "
        "Hãy lưu lại tệp ở định dạng CSV (UTF-8) hoặc XLSX rồi gửi lại.",
        "The file {file} cannot be opened as CSV or XLSX ({reason}). "
        "Save it as CSV (UTF-8) or XLSX and send it again.",
        {"reason": _UNKNOWN_REASON},
        cases={
            "row": (
                "Tệp {file}, dòng {row}: không đọc được dưới dạng CSV ({reason}). Hãy sửa dòng "
                "này (hoặc lưu lại tệp từ Excel ở định dạng CSV UTF-8) rồi gửi lại.",
                "The file {file}, row {row}: cannot be read as CSV ({reason}). Correct this "
                "row (or save the file again from Excel as CSV UTF-8) and send it again.",
            )
        },
    ),
    "E_ENCODING": Rule(
        "fatal",
        "Tệp {file} không phải UTF-8 hợp lệ (byte {offset}, dòng {line}; mã đoán được: "
        "{guess}). Hãy lưu tệp với mã hóa UTF-8 (trong Excel: Lưu thành > CSV UTF-8) rồi "
        "gửi lại.",
        "The file {file} is not valid UTF-8 (byte {offset}, line {line}; detected "
        "encoding: {guess}). Save it with UTF-8 encoding (in Excel: Save As > CSV UTF-8) "
        "and send it again.",
        {"guess": "?"},
        cases={
            "control": (
                "Tệp {file} chứa ký tự điều khiển {char} ở dòng {line} (byte {offset}); một "
                "tệp CSV chỉ được chứa văn bản. Hãy xóa ký tự này (thường do sao chép từ phần "
                "mềm khác) hoặc lưu lại tệp từ Excel ở định dạng CSV UTF-8 rồi gửi lại.",
                "The file {file} holds the control character {char} on line {line} (byte "
                "{offset}); a CSV file may hold text only. Remove it (it usually comes from "
                "copying out of another program) or save the file again from Excel as CSV "
                "UTF-8, and send it again.",
            )
        },
    ),
    "E_TOO_LARGE": Rule(
        "fatal",
        "Tệp {file} quá lớn ({size} {what}; giới hạn {limit} {what}). Hãy bỏ các dòng và "
        "trang tính không thuộc mẫu báo cáo, hoặc chia số liệu thành nhiều lần gửi.",
        "The file {file} is too large ({size} {what}; the limit is {limit} {what}). Remove "
        "rows and sheets that are not part of the template, or split the data.",
        {"what": "bytes"},
    ),
    "E_NO_INDICATORS": Rule(
        "fatal",
        "Thư mục báo cáo không có bảng chỉ tiêu. Hãy gửi tệp indicators.csv, hoặc một tệp "
        "XLSX có trang tính tên 'indicators'.",
        "The submission folder has no indicators table. Send indicators.csv, or an XLSX "
        "workbook with a sheet named 'indicators'.",
        cases={
            "empty": (
                "Bảng chỉ tiêu trong tệp {file} không có dòng số liệu nào (tệp rỗng, chỉ có "
                "dòng tiêu đề, hoặc chỉ có dòng trống). Hãy điền số liệu vào từ dòng 2 rồi "
                "gửi lại.",
                "The indicators table in {file} has no data rows (an empty file, a header "
                "alone, or blank lines only). Fill in the figures from row 2 and send it "
                "again.",
            )
        },
    ),
    "E_MISSING_COLUMN": Rule(
        "fatal",
        "Tệp {file} thiếu cột bắt buộc '{column}'. Hãy thêm cột này vào dòng tiêu đề "
        "(dòng 1), đúng tên như trong mẫu báo cáo.",
        "The file {file} lacks the required column '{column}'. Add it to the header "
        "(row 1), named exactly as in the template.",
        cases={
            "separator": (
                "Tệp {file} có vẻ được phân tách bằng {separator}, không phải dấu phẩy, nên "
                "không tìm thấy các cột bắt buộc ({columns}). Hãy lưu lại tệp ở định dạng CSV "
                "với dấu phẩy (trong Excel: Lưu thành > CSV UTF-8) rồi gửi lại.",
                "The file {file} seems to be separated by {separator}, not commas, so its "
                "required columns ({columns}) are not found. Save it as CSV with commas (in "
                "Excel: Save As > CSV UTF-8) and send it again.",
            )
        },
    ),
    "E_AMBIGUOUS_FILES": Rule(
        "fatal",
        "Thư mục báo cáo có nhiều hơn một bảng {table}: {files}. Hãy giữ lại đúng một "
        "(một tệp {table}.csv hoặc một trang tính '{table}' trong một sổ tính XLSX), xóa "
        "các bảng còn lại rồi gửi lại.",
        "The submission folder holds more than one {table} table: {files}. Keep exactly one "
        "(a {table}.csv file or an '{table}' sheet in one XLSX workbook), remove the others "
        "and send it again.",
    ),
    "E_DUPLICATE_COLUMN": Rule(
        "fatal",
        "Tệp {file}: cột '{column}' xuất hiện hai lần trong dòng tiêu đề (dòng 1). Hãy giữ "
        "một cột '{column}' và xóa hoặc đổi tên cột kia rồi gửi lại.",
        "The file {file}: the column '{column}' appears twice in the header (row 1). Keep "
        "one '{column}' column, delete or rename the other, and send it again.",
    ),
    "E_PERIOD_NOT_OPEN": Rule(
        "fatal",
        "Báo cáo kỳ {period} được nhận lúc {received}, trước khi kỳ này bắt đầu ({opens}). "
        "Hãy kiểm tra tên thư mục kỳ báo cáo (YYYY-MM); số liệu của một tháng chỉ được gửi "
        "từ ngày đầu tiên của tháng đó.",
        "The report for {period} was received at {received}, before that month began "
        "({opens}). Check the reporting month (the YYYY-MM folder); a month's figures may be "
        "sent from its first day on.",
    ),
    "E_UNKNOWN_SUBMITTER": Rule(
        "fatal",
        "Mã đơn vị báo cáo '{value}' (tên thư mục) không có trong danh mục. Hãy đặt tên "
        "thư mục bằng đúng mã đơn vị đã được cấp, ví dụ BQL-HN.",
        "The submitter code '{value}' (the folder name) is not in the registry. Name the "
        "folder with your assigned submitter code, e.g. BQL-HN.",
    ),
    "E_SUBMITTER_INACTIVE": Rule(
        "fatal",
        "Đơn vị '{value}' không có hiệu lực trong kỳ {period} (hiệu lực từ {valid_from} "
        "đến {valid_to}). Hãy kiểm tra lại kỳ báo cáo (tên thư mục YYYY-MM); nếu đơn vị "
        "đã được sáp nhập, báo cáo do đơn vị kế nhiệm gửi.",
        "The submitter '{value}' is not valid in {period} (valid from {valid_from} to "
        "{valid_to}). Check the reporting month (the YYYY-MM folder); if the submitter was "
        "merged, its successor reports instead.",
    ),
    # -- rows of the indicators table --
    "E_SUBMITTER_MISMATCH": Rule(
        "error",
        "Dòng {row}: submitter_code là '{value}' nhưng thư mục thuộc đơn vị {expected}. "
        "Hãy sửa thành {expected}, hoặc đặt tệp vào đúng thư mục của đơn vị mình.",
        "Row {row}: submitter_code is '{value}' but the folder belongs to {expected}. "
        "Change it to {expected}, or put the file in your own submitter's folder.",
    ),
    "E_PERIOD_MISMATCH": Rule(
        "error",
        "Dòng {row}: period là '{value}' nhưng thư mục là kỳ {expected}. Hãy sửa thành "
        "{expected} (dạng YYYY-MM); số liệu kỳ khác phải gửi trong thư mục của kỳ đó.",
        "Row {row}: period is '{value}' but the folder is for {expected}. Change it to "
        "{expected} (YYYY-MM); figures for another month go in that month's folder.",
    ),
    "E_UNKNOWN_METRIC": Rule(
        "error",
        "Dòng {row}: mã chỉ tiêu '{value}' không có trong danh mục chỉ tiêu. Hãy ghi đúng "
        "mã trong danh mục (mục 5 của quy định), ví dụ inv_new_projects.",
        "Row {row}: the metric code '{value}' is not in the metric catalogue. Use a code "
        "from the catalogue (contract section 5), e.g. inv_new_projects.",
    ),
    "E_METRIC_NOT_ALLOWED": Rule(
        "error",
        "Dòng {row}: không được báo cáo chỉ tiêu '{value}' ở dòng này: {reason}.",
        "Row {row}: the metric '{value}' is not allowed in this row: {reason}.",
    ),
    "E_UNKNOWN_ZONE": Rule(
        "error",
        "Dòng {row}: mã khu công nghiệp '{value}' không có trong danh mục. Hãy ghi đúng mã "
        "khu, ví dụ KCN-HN-THANGLONG (dòng số liệu theo doanh nghiệp bắt buộc có zone_code).",
        "Row {row}: the zone code '{value}' is not in the registry. Use a registered zone "
        "code, e.g. KCN-HN-THANGLONG (an enterprise-level row must give its zone_code).",
    ),
    "E_ZONE_NOT_IN_JURISDICTION": Rule(
        "error",
        "Dòng {row}: khu '{value}' không thuộc phạm vi của {submitter} trong kỳ {period}. "
        "Hãy bỏ dòng này hoặc sửa mã khu; các khu thuộc phạm vi: {allowed}.",
        "Row {row}: the zone '{value}' is not {submitter}'s in {period}. Remove the row "
        "or correct the zone code; your zones are: {allowed}.",
    ),
    "E_UNKNOWN_ENTERPRISE": Rule(
        "error",
        "Dòng {row}: mã số thuế '{value}' chưa có trong bảng doanh nghiệp. Hãy thêm doanh "
        "nghiệp này vào bảng enterprises của lần gửi này, hoặc sửa lại mã số thuế.",
        "Row {row}: the tax code '{value}' is not in any enterprises table. Add the "
        "enterprise to this submission's enterprises table, or correct the tax code.",
    ),
    "E_TAX_CODE": Rule(
        "error",
        "Dòng {row}: mã số thuế '{value}' không hợp lệ (sai định dạng hoặc sai chữ số kiểm "
        "tra). Hãy ghi 10 chữ số, hoặc với chi nhánh 10 chữ số, dấu '-' và 3 chữ số (ví "
        "dụ 0100109106-001), đúng như trên giấy chứng nhận đăng ký doanh nghiệp.",
        "Row {row}: the tax code '{value}' is invalid (bad format or check digit). Write "
        "10 digits, or for a branch 10 digits, '-' and 3 digits (e.g. 0100109106-001), "
        "exactly as on the enterprise registration certificate.",
    ),
    "E_VALUE_KIND": Rule(
        "error",
        "Dòng {row}: value_kind '{value}' không hợp lệ. Hãy ghi một trong: actual (thực "
        "hiện), estimate (ước tính), plan (kế hoạch).",
        "Row {row}: value_kind '{value}' is not valid. Use one of: actual, estimate, plan.",
    ),
    "E_BASIS": Rule(
        "error",
        "Dòng {row}: period_basis '{value}' không dùng được cho chỉ tiêu {metric} với "
        "value_kind '{value_kind}'. Hãy ghi: {allowed}.",
        "Row {row}: period_basis '{value}' is not allowed for the metric {metric} with "
        "value_kind '{value_kind}'. Use: {allowed}.",
    ),
    "E_BAD_NUMBER": Rule(
        "error",
        "Dòng {row}: giá trị '{value}' không phải là số. Hãy ghi số chỉ gồm chữ số, dùng "
        "dấu '.' cho phần thập phân, không dấu phân cách hàng nghìn, không khoảng trắng "
        "(ví dụ 1178 hoặc 26.9).",
        "Row {row}: the value '{value}' is not a number. Write digits only, with '.' as "
        "the decimal mark, no thousands separators and no spaces (e.g. 1178 or 26.9).",
    ),
    "E_TEXT_TOO_LONG": Rule(
        "error",
        "Dòng {row}: nội dung cột {column} dài {length} ký tự, quá giới hạn {limit} ký tự. "
        "Hãy rút gọn nội dung.",
        "Row {row}: the {column} is {length} characters long, over the limit of {limit}. "
        "Shorten it.",
    ),
    "E_TABLE_NOT_ALLOWED": Rule(
        "error",
        "Tệp {file}: UBND quận/huyện không gửi bảng doanh nghiệp (enterprises); chỉ Ban Quản "
        "lý các KCN gửi bảng này. Hãy bỏ bảng doanh nghiệp khỏi báo cáo rồi gửi lại.",
        "The file {file}: a district committee does not send an enterprises table; only "
        "the management boards do. Remove the enterprises table and send it again.",
    ),
    "E_NEGATIVE": Rule(
        "error",
        "Dòng {row}: giá trị {value} là số âm. Chỉ tiêu không nhận giá trị âm; hãy ghi số "
        "từ 0 trở lên (nếu số liệu trước đã sai, hãy ghi số đúng của kỳ này).",
        "Row {row}: the value {value} is negative. Metrics take no negative values; write "
        "a number of 0 or more (if an earlier figure was wrong, give this month's correct "
        "figure).",
    ),
    "E_NOT_INTEGER": Rule(
        "error",
        "Dòng {row}: giá trị {value} của chỉ tiêu đếm ({unit}) phải là số nguyên. Hãy ghi "
        "số nguyên, không có phần thập phân.",
        "Row {row}: the value {value} of a count ({unit}) must be a whole number. Write it "
        "without decimals.",
    ),
    "E_UNIT": Rule(
        "error",
        "Dòng {row}: đơn vị tính '{value}' không dùng được cho chỉ tiêu {metric}. Hãy ghi "
        "một trong: {allowed}.",
        "Row {row}: the unit '{value}' cannot be used for the metric {metric}. Use one "
        "of: {allowed}.",
    ),
    "E_DUPLICATE_KEY": Rule(
        "error",
        "Dòng {row} lặp lại dòng {first_row}: cùng khu, doanh nghiệp, chỉ tiêu {value}, "
        "value_kind, period_basis và loại tiền. Hãy giữ một dòng và xóa dòng lặp.",
        "Row {row} repeats row {first_row}: same zone, enterprise, metric {value}, "
        "value_kind, period_basis and currency. Keep one of them and delete the other.",
    ),
    "E_PART_EXCEEDS_WHOLE": Rule(
        "error",
        "Dòng {row}: {metric} = {value} lớn hơn {whole_metric} = {whole_value} (dòng "
        "{whole_row}) của cùng khu, doanh nghiệp và loại số liệu. Phần không thể lớn hơn "
        "tổng; hãy sửa một trong hai số.",
        "Row {row}: {metric} = {value} is above {whole_metric} = {whole_value} (row "
        "{whole_row}) for the same zone, enterprise and kind of figure. A part cannot "
        "exceed its whole; correct one of the two.",
    ),
    # -- rows of the enterprises table --
    "E_BAD_REFERENCE": Rule(
        "error",
        "Dòng {row}: {column} '{value}' không hợp lệ. Hãy ghi {allowed}.",
        "Row {row}: {column} '{value}' is not valid. Use {allowed}.",
    ),
    # -- warnings: the version loads, flagged --
    "W_NUMBER_AS_TEXT": Rule(
        "warning",
        "Dòng {row}: ô giá trị được nhập dạng chữ và đã được đọc theo cách viết Việt Nam "
        "thành {value}. Hãy kiểm tra con số này và định dạng ô là Số (Number) trong Excel.",
        "Row {row}: the value cell holds text, read by Vietnamese conventions as {value}. "
        "Check the figure and format the cell as a Number in Excel.",
    ),
    "W_SUBTOTAL_MISMATCH": Rule(
        "warning",
        "Dòng {row}: {metric} = {value} khác tổng FDI + trong nước = {parts_sum}. Hãy "
        "kiểm tra lại ba số này.",
        "Row {row}: {metric} = {value} differs from FDI + domestic = {parts_sum}. Check "
        "the three figures.",
    ),
    "W_ZONE_SUM_MISMATCH": Rule(
        "warning",
        "Dòng {row}: số liệu chung các khu của {metric} = {value} {unit} lệch hơn 1% so với "
        "tổng các dòng theo từng khu = {zone_sum} {unit}. Hãy kiểm tra dòng tổng và các "
        "dòng theo khu.",
        "Row {row}: the all-zones figure of {metric} = {value} {unit} differs by more than "
        "1% from the sum of the zone rows = {zone_sum} {unit}. Check the total and the "
        "zone rows.",
    ),
    "W_YTD_DECREASE": Rule(
        "warning",
        "Dòng {row}: số lũy kế {value} nhỏ hơn số lũy kế tháng trước ({previous}). Nếu số "
        "liệu đã được điều chỉnh giảm thì giữ nguyên; nếu không, hãy sửa lại.",
        "Row {row}: the year-to-date value {value} is below last month's ({previous}). "
        "Keep it if the figures were revised down; otherwise correct it.",
    ),
    "W_YTD_MONTH_MISMATCH": Rule(
        "warning",
        "Dòng {row}: số lũy kế {value} lệch hơn 0,5% so với lũy kế tháng trước cộng số "
        "tháng này ({expected}). Hãy kiểm tra số tháng và số lũy kế.",
        "Row {row}: the year-to-date value {value} differs by more than 0.5% from last "
        "month's year-to-date plus this month ({expected}). Check both figures.",
    ),
    "W_OUTLIER": Rule(
        "warning",
        "Dòng {row}: giá trị {value} khác thường so với các kỳ trước của cùng khu và chỉ "
        "tiêu (thường khoảng {typical}). Hãy kiểm tra lại đơn vị tính và con số.",
        "Row {row}: the value {value} is far from earlier months of the same zone and "
        "metric (typically about {typical}). Check the unit and the figure.",
    ),
    "W_LATE": Rule(
        "warning",
        "Báo cáo kỳ {period} nhận lúc {received}, sau hạn {deadline}. Số liệu vẫn được "
        "nhận; lần sau hãy gửi trước hạn.",
        "The report for {period} was received at {received}, after the deadline of "
        "{deadline}. It is still taken in; next time send it before the deadline.",
    ),
}

SEVERITY: dict[str, str] = {rule_id: rule.severity for rule_id, rule in RULES.items()}


class _Fields(dict[str, object]):
    """Template fields; a field nobody supplied renders as '?'."""

    def __missing__(self, key: str) -> str:
        log.warning("message field %s missing", key)
        return "?"


def _fields(language: int, common: dict[str, object], details: dict[str, object]) -> _Fields:
    """Template fields in one language (0 Vietnamese, 1 English)."""
    fields = _Fields(common)
    for key, detail in details.items():
        if isinstance(detail, str) and detail in _TERMS:
            detail = _TERMS[detail]
        pair = isinstance(detail, tuple | list) and len(detail) == 2
        fields[key] = detail[language] if pair else detail  # type: ignore[index]
    return fields


def finding(
    rule_id: str,
    *,
    file: str | None,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
    **details: object,
) -> Finding:
    """The finding of `rule_id` at file/row/column, its message filled from `details`.

    Two details are not message fields: `case` picks another wording of the rule, and
    `detail` (a library's own text, for engineers) is kept with the finding, not shown."""
    rule = RULES[rule_id]
    case = details.pop("case", None)
    detail = details.pop("detail", None)
    if rule_id == "E_FILE_UNREADABLE" and isinstance(details.get("reason"), str):
        reason = str(details["reason"])
        if reason not in REASONS:  # an unknown reason's text is no part of a message
            detail = detail or reason
        details["reason"] = REASONS.get(reason, _UNKNOWN_REASON)
    vi_template, en_template = rule.cases.get(str(case), (rule.vi, rule.en))
    details = {**rule.defaults, **{k: v for k, v in details.items() if v is not None}}
    common = {"file": file, "row": row, "column": column}
    vi = _fields(0, {**common, "value": "(trống)" if value is None else value}, details)
    en = _fields(1, {**common, "value": "(empty)" if value is None else value}, details)
    return Finding(
        rule_id=rule_id,
        severity=rule.severity,
        file=file,
        row=row,
        column=column,
        value=value,
        message_vi=vi_template.format_map(vi),
        message_en=en_template.format_map(en),
        detail=None if detail is None else str(detail),
    )


def finding_of(problem: ReadProblem) -> Finding:
    """The finding of a problem that stopped reading a file."""
    return finding(
        problem.rule_id,
        file=problem.file,
        row=problem.row,
        column=problem.column,
        value=problem.value,
        detail=problem.detail,
        **problem.details,
    )


def reading_findings(parsed: ParsedSubmission) -> list[Finding]:
    """The findings of every problem that stopped reading a submission."""
    return [finding_of(p) for p in parsed.problems]
