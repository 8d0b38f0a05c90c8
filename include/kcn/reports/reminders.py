"""Reminders to the submitters whose report for a month is missing after the deadline: one
bilingual message per submitter that sent nothing, or whose only versions were rejected
(DHIS2 counts both as missing), written to the outbox and sent by e-mail when a mail
server is configured.

    outbox/<period>/<submitter>/reminder-<reason>.txt

Each reminder is recorded in kcn_audit.reminder, one per (period, submitter, reason): a
run that finds it recorded does not write it again, and one that finds it sent does not
send it again. Who is missing is read from the registry at the time of the run (the rules
of marts.fct_reporting_completeness), so a version that arrived after the last dbt run
stops its reminder.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from importlib import resources
from pathlib import Path
from typing import Any

from kcn.period import VN_TZ, deadline, month_start
from kcn.reports.status import registry_completeness
from kcn.settings import SmtpSettings

logger = logging.getLogger(__name__)

MISSING = "missing"
REJECTED_ONLY = "rejected_only"
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Reminder:
    period: str
    submitter_code: str
    reason: str  # missing | rejected_only
    name_vi: str
    name_en: str
    is_board: bool
    recipients: tuple[str, ...]  # from submitters.csv's contact_email; empty: none known
    deadline_at: datetime
    rejected_version_id: int | None = None
    rejected_version_no: int | None = None
    rejected_errors: int = 0

    @property
    def file_name(self) -> str:
        return f"reminder-{self.reason}.txt"


def due_reminders(cur: Any, period: str, late_day: int) -> list[Reminder]:
    """The reminders a month owes: one per expected submitter without an accepted version."""
    completeness = registry_completeness(cur, period, late_day)
    missing = sorted(code for code, row in completeness.items() if row["missing"])
    if not missing:
        return []
    cur.execute(_sql("reminder_targets.sql"), {"period": period, "submitters": tuple(missing)})
    due = deadline(period, late_day)
    reminders = []
    for code, name_vi, name_en, kind, emails, rejected_id, rejected_no, errors in cur.fetchall():
        rejected_only = bool(completeness[code]["rejected_only"])
        reminders.append(
            Reminder(
                period=period,
                submitter_code=code,
                reason=REJECTED_ONLY if rejected_only else MISSING,
                name_vi=name_vi or code,
                name_en=name_en or code,
                is_board=kind == "board",
                recipients=tuple(e.strip() for e in (emails or "").split(";") if e.strip()),
                deadline_at=due,
                rejected_version_id=rejected_id if rejected_only else None,
                rejected_version_no=rejected_no if rejected_only else None,
                rejected_errors=errors if rejected_only else 0,
            )
        )
    return reminders


def remind(
    conn: Any,
    period: str,
    outbox: Path,
    late_day: int,
    smtp: SmtpSettings | None,
    now: datetime,
) -> list[dict[str, Any]]:
    """Write (and send, when `smtp` is given) every reminder the month owes that was not
    written (sent) before; return what happened to each. Nothing is due before the
    deadline."""
    if now <= deadline(period, late_day):
        logger.warning("%s: the deadline has not passed, no reminder is due", period)
        return []
    results = []
    with conn.cursor() as cur:
        reminders = due_reminders(cur, period, late_day)
    for reminder in reminders:
        results.append(_remind_one(conn, reminder, outbox, smtp))
        conn.commit()  # each reminder recorded (and sent) before the next
    return results


def _remind_one(
    conn: Any, reminder: Reminder, outbox: Path, smtp: SmtpSettings | None
) -> dict[str, Any]:
    subject, body = compose(reminder)
    path = outbox / reminder.period / reminder.submitter_code / reminder.file_name
    with conn.cursor() as cur:
        cur.execute(
            _sql("reminder_record.sql"),
            {
                "period": reminder.period,
                "submitter_code": reminder.submitter_code,
                "reason": reminder.reason,
                "rejected_version_id": reminder.rejected_version_id,
                "deadline_at": reminder.deadline_at,
                "recipients": ", ".join(reminder.recipients) or None,
                "subject": subject,
                "outbox_path": str(path.relative_to(outbox)),
            },
        )
        is_new = cur.fetchone() is not None
        # The row, locked: a second run at the same time waits, then finds it sent.
        cur.execute(
            "select reminder_id, sent_at from kcn_audit.reminder"
            " where period = %s and submitter_code = %s and reason = %s for update",
            (reminder.period, reminder.submitter_code, reminder.reason),
        )
        reminder_id, sent_at = cur.fetchone()
        if is_new:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
        status = "written" if is_new else "already written"
        if sent_at is not None:
            status = "already sent"
        elif smtp is not None and reminder.recipients:
            message_id = send(smtp, reminder.recipients, subject, body)
            cur.execute(
                "update kcn_audit.reminder set sent_at = now(), message_id = %s"
                " where reminder_id = %s",
                (message_id, reminder_id),
            )
            status = "sent"
        elif smtp is not None:
            logger.warning(
                "%s has no contact_email in submitters.csv: its reminder for %s is in the"
                " outbox only",
                reminder.submitter_code,
                reminder.period,
            )
    logger.info(
        "reminder %s %s (%s): %s", reminder.submitter_code, reminder.period, reminder.reason, status
    )
    return {
        "submitter_code": reminder.submitter_code,
        "period": reminder.period,
        "reason": reminder.reason,
        "status": status,
        "path": str(path),
        "recipients": list(reminder.recipients),
    }


def send(smtp: SmtpSettings, recipients: tuple[str, ...], subject: str, body: str) -> str:
    """Send one plain-text message; return its Message-ID."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = smtp.mail_from
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=smtp.mail_from.rpartition("@")[2] or None)
    message["Content-Language"] = "vi, en"
    message.set_content(body)
    client_class = smtplib.SMTP_SSL if smtp.ssl else smtplib.SMTP
    with client_class(smtp.host, smtp.port, timeout=60) as client:
        if smtp.starttls and not smtp.ssl:
            client.starttls()
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        client.send_message(message)
    return str(message["Message-ID"])


def compose(reminder: Reminder) -> tuple[str, str]:
    """The subject and the body, in Vietnamese then English: what is missing, what to send,
    where, and the deadline that passed."""
    start = month_start(reminder.period)
    month_vi = f"tháng {start.month}/{start.year}"
    month_en = f"{MONTHS_EN[start.month - 1]} {start.year}"
    due = reminder.deadline_at.astimezone(VN_TZ)
    due_vi = f"23:59 ngày {due.day:02d}/{due.month:02d}/{due.year} (giờ Việt Nam)"
    due_en = f"23:59 on {due.day} {MONTHS_EN[due.month - 1]} {due.year} (Vietnam time)"
    code, period = reminder.submitter_code, reminder.period
    folder = f"{period}/{code}/"
    subject = f"[KCN] Nhắc nộp báo cáo {month_vi} / Reminder: report for {month_en} ({code})"
    if reminder.reason == REJECTED_ONLY:
        files = (
            f"v{reminder.rejected_version_no}-rejected-findings.csv,"
            f" v{reminder.rejected_version_no}-rejected-feedback.xlsx"
        )
        situation_vi = (
            f"Báo cáo {month_vi} của đơn vị ({code}) đã nhận (phiên bản"
            f" {reminder.rejected_version_no}) bị từ chối vì có {reminder.rejected_errors} lỗi,"
            f" nên đến hạn {due_vi} vẫn được tính là chưa nộp."
        )
        action_vi = (
            f"Đề nghị sửa các lỗi được liệt kê trong tệp phản hồi ({files}; ô lỗi tô đỏ) trong"
            f" thư mục phản hồi {folder}, rồi gửi lại toàn bộ báo cáo:"
        )
        situation_en = (
            f"Your report for {month_en} ({code}) was received (version"
            f" {reminder.rejected_version_no}) but rejected for {reminder.rejected_errors}"
            f" error(s), so at the deadline, {due_en}, it counts as not submitted."
        )
        action_en = (
            f"Please correct the errors listed in the feedback files ({files}; cells in"
            f" error are marked red) in your feedback folder {folder}, then send the whole"
            " report again:"
        )
    else:
        situation_vi = (
            f"Đến hạn nộp {due_vi}, Kho dữ liệu KCN chưa nhận được báo cáo {month_vi}"
            f" của đơn vị ({code})."
        )
        action_vi = "Đề nghị gửi ngay báo cáo gồm:"
        situation_en = (
            f"By the deadline, {due_en}, the KCN warehouse had not received your report for"
            f" {month_en} ({code})."
        )
        action_en = "Please send the report now:"
    files_vi = [
        f"- indicators.csv (bắt buộc): các chỉ tiêu {month_vi}, hoặc một tệp .xlsx có trang"
        f" 'indicators'; tệp mẫu điền sẵn: kcn template --submitter {code} --period {period}"
    ]
    files_en = [
        f"- indicators.csv (required): the indicators for {month_en}, or one .xlsx workbook"
        f" with an 'indicators' sheet; a pre-filled template: kcn template --submitter {code}"
        f" --period {period}"
    ]
    if reminder.is_board:
        files_vi.append("- enterprises.csv (hoặc trang 'enterprises'): danh sách doanh nghiệp")
        files_en.append("- enterprises.csv (or an 'enterprises' sheet): the enterprise list")
    body = "\n".join(
        [
            f"Kính gửi: {reminder.name_vi}",
            "",
            situation_vi,
            action_vi,
            *files_vi,
            f"vào thư mục {folder} của khu vực tiếp nhận. Kiểm tra trước khi gửi:"
            f" kcn validate {folder}",
            "Báo cáo gửi sau hạn vẫn được tiếp nhận và được ghi nhận là nộp trễ.",
            "",
            "---",
            "",
            f"To: {reminder.name_en}",
            "",
            situation_en,
            action_en,
            *files_en,
            f"into the folder {folder} of the landing area. Check it before sending:"
            f" kcn validate {folder}",
            "A report sent after the deadline is still taken in, and recorded as late.",
            "",
        ]
    )
    return subject, body


def _sql(name: str) -> str:
    return resources.files("kcn.reports").joinpath(name).read_text("utf-8")
