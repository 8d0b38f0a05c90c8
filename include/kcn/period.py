"""The reporting month: 'YYYY-MM' text, its arithmetic, its deadline and Vietnam's clock.

Every module that reads, steps or compares a reporting month does it here, so a month is
parsed one way everywhere.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

VN_TZ_NAME = "Asia/Ho_Chi_Minh"
VN_TZ = ZoneInfo(VN_TZ_NAME)  # submitters' clock: deadlines and arrival days are local
PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"  # ASCII digits: \d takes any digit
PERIOD_RE = re.compile(PERIOD_PATTERN, re.ASCII)
DEFAULT_LATE_DAY = 10  # submissions are late after this day of the following month


def is_period(text: str) -> bool:
    """'2024-03' is a reporting month; '2024-3', '2024-13' and '2024-03\\n' are not."""
    return isinstance(text, str) and PERIOD_RE.fullmatch(text) is not None


def opens_at(period: str) -> datetime:
    """The first moment of the reporting month in Vietnam: a version received before it is
    for a month not yet open (E_PERIOD_NOT_OPEN)."""
    return datetime.combine(month_start(period), time(0), VN_TZ)


def month_start(period: str) -> date:
    """'2024-03' -> date(2024, 3, 1); ValueError for anything else."""
    year, sep, month = period.partition("-")
    if not (sep and len(year) == 4 and len(month) == 2):
        raise ValueError(f"period must be YYYY-MM, got {period!r}")
    return date(int(year), int(month), 1)


def month_index(period: str) -> int:
    """Months since year 0: consecutive months differ by one."""
    start = month_start(period)
    return start.year * 12 + start.month - 1


def period_of(index: int) -> str:
    """The inverse of month_index."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def step(period: str, months: int) -> str:
    """The month `months` after (or before, when negative) `period`."""
    return period_of(month_index(period) + months)


def months(start: str, end: str) -> list[str]:
    """Every month from start to end, both included; [] when start is after end."""
    return [period_of(i) for i in range(month_index(start), month_index(end) + 1)]


def deadline(period: str, late_day: int = DEFAULT_LATE_DAY) -> datetime:
    """The last moment on time: the late day of the following month, 23:59 in Vietnam."""
    following = month_start(step(period, 1)).replace(day=late_day)
    return datetime.combine(following, time(23, 59, 59, 999999), VN_TZ)


def local_day(period: str, day: int, hour: int = 9) -> datetime:
    """A day of the month after `period`, at `hour` in Vietnam (when a report arrives)."""
    following = month_start(step(period, 1))
    return datetime.combine(following + timedelta(days=day - 1), time(hour), VN_TZ)
