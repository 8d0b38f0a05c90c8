"""Reminders after the deadline: one bilingual message per missing or rejected-only
submitter, in the outbox and through a real SMTP server (aiosmtpd, started here), sent once."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from kcn import pipeline
from kcn.settings import SmtpSettings, get_settings
from kcn.warehouse import connection as warehouse
from tests.dbt.conftest import fresh_database
from tests.dbt.conftest import query as _query
from tests.dbt.test_completeness import insert_versions

pytestmark = [pytest.mark.integration]

PERIOD = "2021-11"
AFTER_DEADLINE = datetime(2021, 12, 11, 2, tzinfo=UTC)  # 09:00 on the 11th in Vietnam
HN_DISTRICTS = [
    "UBND-HN-LONGBIEN",
    "UBND-HN-BACTULIEM",
    "UBND-HN-DONGANH",
    "UBND-HN-CHUONGMY",
    "UBND-HN-MELINH",
    "UBND-HN-THACHTHAT",
    "UBND-HN-QUOCOAI",
    "UBND-HN-PHUXUYEN",
]  # every Hà Nội district but Sóc Sơn, which sends nothing
VERSIONS = [
    ("BQL-HN", PERIOD, 1, "accepted", "2021-12-06 10:00"),
    ("BQL-ND", PERIOD, 1, "rejected", "2021-12-05 10:00"),  # rejected only
    *((code, PERIOD, 1, "accepted", "2021-12-08 10:00") for code in HN_DISTRICTS),
]


class Inbox:
    """An aiosmtpd handler keeping every message it is sent."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def registry_url() -> Iterator[str]:
    with fresh_database("kcn_test_remind") as url:
        with warehouse.connect(url) as conn, conn.cursor() as cur:
            insert_versions(cur, VERSIONS)
            cur.execute(
                """
                insert into kcn_audit.finding
                    (version_id, rule_id, severity, file_name, row_number, column_name,
                     value, message_vi, message_en)
                select version_id, 'E_UNKNOWN_METRIC', 'error', 'indicators.csv', 2,
                       'metric_code', 'inv_new_project', 'Mã chỉ tiêu không có', 'Unknown metric'
                from kcn_audit.submission_version where submitter_code = 'BQL-ND'
                """
            )
        yield url


def _settings(url: str, outbox: Path, smtp: SmtpSettings | None) -> Any:
    return replace(get_settings(), warehouse_url=url, outbox=outbox, smtp=smtp)


def test_reminders_are_sent_once_in_both_languages(
    registry_url: str, inbox: tuple[Inbox, int], tmp_path: Path
) -> None:
    handler, port = inbox
    smtp = SmtpSettings(host="127.0.0.1", port=port, mail_from="kcn@warehouse.kcn.example")
    settings = _settings(registry_url, tmp_path / "outbox", smtp)

    first = pipeline.remind(PERIOD, settings, now=AFTER_DEADLINE)
    second = pipeline.remind(PERIOD, settings, now=AFTER_DEADLINE)

    result = sorted((r["submitter_code"], r["reason"], r["status"]) for r in first)
    expected = [
        ("BQL-HNA", "missing", "sent"),
        ("BQL-ND", "rejected_only", "sent"),
        ("UBND-HN-SOCSON", "missing", "sent"),
    ]
    assert result == expected
    assert sorted((r["submitter_code"], r["status"]) for r in second) == [
        ("BQL-HNA", "already sent"),
        ("BQL-ND", "already sent"),
        ("UBND-HN-SOCSON", "already sent"),
    ]
    assert len(handler.messages) == 3  # the second run sent nothing
    by_recipient = {m["To"]: m for m in handler.messages}
    rejected = by_recipient["bql-nd@kcn.example"]
    body = rejected.get_content()
    assert rejected["Subject"] == (
        "[KCN] Nhắc nộp báo cáo tháng 11/2021 / Reminder: report for November 2021 (BQL-ND)"
    )
    for text in (
        "Kính gửi: Ban Quản lý các Khu công nghiệp tỉnh Nam Định",
        "bị từ chối vì có 1 lỗi",
        "23:59 ngày 10/12/2021 (giờ Việt Nam)",
        "To: Nam Dinh Industrial Zones Authority",
        "rejected for 1 error(s)",
        "23:59 on 10 December 2021 (Vietnam time)",
        "v1-rejected-findings.csv, v1-rejected-feedback.xlsx",
        "indicators.csv (bắt buộc)",
        "indicators.csv (required)",
        "enterprises.csv",
        "kcn template --submitter BQL-ND --period 2021-11",
    ):
        assert text in body, text
    district = by_recipient["ubnd-hn-socson@kcn.example"].get_content()
    assert "chưa nhận được báo cáo tháng 11/2021" in district
    assert "had not received your report for November 2021" in district
    assert "enterprises.csv" not in district  # boards only
    # The outbox holds the same text; the registry records what was sent.
    assert (tmp_path / "outbox" / PERIOD / "BQL-ND" / "reminder-rejected_only.txt").read_text(
        encoding="utf-8"
    ) == body
    sent = _query(
        registry_url,
        "select submitter_code, reason, recipients, sent_at is not null, message_id is not null"
        " from kcn_audit.reminder order by submitter_code",
    )
    assert sent == [
        ("BQL-HNA", "missing", "bql-hna@kcn.example", True, True),
        ("BQL-ND", "rejected_only", "bql-nd@kcn.example", True, True),
        ("UBND-HN-SOCSON", "missing", "ubnd-hn-socson@kcn.example", True, True),
    ]


def test_without_smtp_written_then_sent_once_configured(
    registry_url: str, inbox: tuple[Inbox, int], tmp_path: Path
) -> None:
    handler, port = inbox
    outbox = tmp_path / "outbox"

    offline = pipeline.remind(PERIOD, _settings(registry_url, outbox, None), now=AFTER_DEADLINE)

    assert {r["status"] for r in offline} == {"written"}
    assert (outbox / PERIOD / "BQL-HNA" / "reminder-missing.txt").exists()
    assert _query(registry_url, "select count(*) from kcn_audit.reminder where sent_at is null")
    assert handler.messages == []

    smtp = SmtpSettings(host="127.0.0.1", port=port, mail_from="kcn@warehouse.kcn.example")
    online = pipeline.remind(PERIOD, _settings(registry_url, outbox, smtp), now=AFTER_DEADLINE)

    assert {r["status"] for r in online} == {"sent"}
    assert len(handler.messages) == 3


def test_nothing_is_due_before_the_deadline(registry_url: str, tmp_path: Path) -> None:
    before = datetime(2021, 12, 10, 16, 0, tzinfo=UTC)  # 23:00 on the 10th in Vietnam
    result = pipeline.remind(PERIOD, _settings(registry_url, tmp_path, None), now=before)
    assert result == []
    assert _query(registry_url, "select count(*) from kcn_audit.reminder") == [(0,)]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, None),
        (
            {"KCN_SMTP_HOST": "mail.local", "KCN_SMTP_PORT": "2525", "KCN_SMTP_FROM": "a@b"},
            SmtpSettings("mail.local", 2525, "a@b"),
        ),
        (
            {
                "AIRFLOW__SMTP__SMTP_HOST": "relay",
                "AIRFLOW__SMTP__SMTP_USER": "u",
                "AIRFLOW__SMTP__SMTP_PASSWORD": "p",
                "AIRFLOW__SMTP__SMTP_MAIL_FROM": "airflow@x",
            },
            SmtpSettings("relay", 25, "airflow@x", "u", "p", starttls=True),
        ),
    ],
)
def test_smtp_settings_from_kcn_or_airflow(env: dict[str, str], expected: Any) -> None:
    from kcn.settings import smtp_settings

    result = smtp_settings(env)
    assert result == expected
    assert "p'" not in repr(result)  # the password is never in a repr (logs)
