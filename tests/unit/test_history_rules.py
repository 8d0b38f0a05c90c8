"""The history rules (W_YTD_DECREASE, W_YTD_MONTH_MISMATCH, W_OUTLIER) on a History built
directly, and validate_many against validate one by one."""

from __future__ import annotations

import pandas as pd
import pytest

from kcn.intake.tables import ParsedSubmission
from kcn.validation.context import History
from kcn.validation.outlier import MonthReference
from kcn.validation.prepare_indicators import RULE_COLUMNS
from kcn.validation.validate import validate, validate_many

COLUMNS = list(RULE_COLUMNS)
NOIBAI = "KCN-HN-NOIBAI"
# BQL-HN, all-zones ytd figures and one zone's month figures; row 2 is the first data row.
ROWS = [
    (None, None, "inv_new_projects", "actual", "ytd", "35", "PROJECT"),  # 2
    (None, None, "inv_new_projects", "actual", "month", "5", "PROJECT"),  # 3
    (None, None, "inv_new_capital", "actual", "ytd", "26.9", "USD_MN"),  # 4
    (NOIBAI, None, "biz_industrial_output", "actual", "month", "1000", "VND_BN"),  # 5
    (None, None, "lab_avg_income", "estimate", "ytd", "9.5", "VND_MN_PER_PERSON_MONTH"),  # 6
    (NOIBAI, None, "saf_fire_incidents", "actual", "month", "0", "CASE"),  # 7
]
PROJECTS = (None, None, "inv_new_projects", "actual", None)
CAPITAL = (None, None, "inv_new_capital", "actual", "USD")
OUTPUT = (NOIBAI, None, "biz_industrial_output", "actual", "VND")
INCOME = (None, None, "lab_avg_income", "estimate", None)
FIRES = (NOIBAI, None, "saf_fire_incidents", "actual", None)


def submission(*changes: tuple[int, str, str | None], period: str = "2024-03") -> ParsedSubmission:
    """The rows above for BQL-HN, with (row, column, value) changes."""
    frame = pd.DataFrame(ROWS, columns=COLUMNS)
    frame.insert(0, "period", period)
    frame.insert(0, "submitter_code", "BQL-HN")
    frame.insert(0, "row_number", range(2, len(ROWS) + 2))
    frame.insert(0, "file_name", "indicators.csv")
    frame["note"] = None
    frame["value_as_text"] = False
    for row, column, value in changes:
        frame.loc[row - 2, column] = value
    return ParsedSubmission("BQL-HN", period, frame, None, [])


def found(parsed: ParsedSubmission, history: History | None) -> list[tuple[str, int | None]]:
    return [(f.rule_id, f.row) for f in validate(parsed, history=history)]


def test_no_history_says_nothing():
    assert found(submission(), History()) == []


@pytest.mark.parametrize(
    ("previous", "changes", "expected"),
    [
        ({CAPITAL: 30.0}, (), [("W_YTD_DECREASE", 4)]),
        ({CAPITAL: 26.9}, (), []),  # equal is fine
        ({CAPITAL: 26.9}, ((4, "value", "26900"), (4, "unit", "USD_TH")), []),  # another scale
        ({CAPITAL: 0.0269}, ((4, "value", "26.8"), (4, "unit", "USD_TH")), [("W_YTD_DECREASE", 4)]),
        ({INCOME: 10.0}, (), []),  # a rate is not cumulative
        ({(None, None, "inv_new_capital", "estimate", "USD"): 30.0}, (), []),  # another key
        ({(None, None, "inv_new_capital", "actual", "VND"): 30.0}, (), []),  # another currency
    ],
)
def test_ytd_below_last_months_ytd(previous, changes, expected):
    result = found(submission(*changes), History(previous_ytd=previous))

    assert result == expected


@pytest.mark.parametrize(
    ("previous", "changes", "expected"),
    [
        ({PROJECTS: 30.0}, (), []),  # 30 + 5 = 35
        ({PROJECTS: 28.0}, (), [("W_YTD_MONTH_MISMATCH", 2)]),  # 28 + 5 = 33
        ({PROJECTS: 30.0}, ((2, "value", "35.1"), (2, "unit", "PROJECT")), []),  # not integer
        (
            {CAPITAL: 26.8},
            ((3, "metric_code", "inv_new_capital"), (3, "value", "0"), (3, "unit", "USD_MN")),
            [],
        ),  # 0.37 % off: within 0.5 %
        (
            {CAPITAL: 26.7},
            ((3, "metric_code", "inv_new_capital"), (3, "value", "0"), (3, "unit", "USD_MN")),
            [("W_YTD_MONTH_MISMATCH", 4)],
        ),  # 0.75 %
        ({PROJECTS: 28.0}, ((3, "value_kind", "estimate"),), []),  # no month row of the key
        ({PROJECTS: 40.0}, (), [("W_YTD_DECREASE", 2)]),  # said once, as a decrease
        ({}, (), []),  # no previous month: nothing to add to
    ],
)
def test_ytd_is_last_months_ytd_plus_this_month(previous, changes, expected):
    result = found(submission(*changes), History(previous_ytd=previous))

    assert [(r, row) for r, row in result if r != "E_NOT_INTEGER"] == expected


@pytest.mark.parametrize(
    ("month_value", "expected"),
    [("5", []), ("8", [("W_YTD_MONTH_MISMATCH", 2)])],
)
def test_january_ytd_is_its_month_value(month_value, expected):
    """January restarts the year: the previous ytd is 0 by definition, not missing."""
    parsed = submission((2, "value", "5"), (3, "value", month_value), period="2024-01")

    assert found(parsed, History()) == expected


@pytest.mark.parametrize(
    ("reference", "value", "unit", "expected"),
    [
        (MonthReference(12, 1000.0, 30.0), "1000", "VND_BN", []),
        (MonthReference(12, 1000.0, 30.0), "10000", "VND_BN", [("W_OUTLIER", 5)]),  # x10
        (MonthReference(12, 1000.0, 30.0), "1000000", "VND_MN", []),  # the same, in millions
        (MonthReference(12, 1000.0, 30.0), "1", "VND_BN", [("W_OUTLIER", 5)]),  # /1000
        (MonthReference(12, 1000.0, 30.0), "1490", "VND_BN", []),  # +49 %: the scale floor
        (MonthReference(12, 1000.0, 1.0), "1600", "VND_BN", [("W_OUTLIER", 5)]),
        (MonthReference(12, 1000.0, 200.0), "1900", "VND_BN", []),  # a wide history
        (MonthReference(5, 1000.0, 30.0), "10000", "VND_BN", []),  # too little history
    ],
)
def test_month_value_far_from_its_history(reference, value, unit, expected):
    parsed = submission((5, "value", value), (5, "unit", unit))

    assert found(parsed, History(month_reference={OUTPUT: reference})) == expected


@pytest.mark.parametrize(
    ("reference", "value", "expected"),
    [
        (MonthReference(24, 1.0, 0.0), "0", []),
        (MonthReference(24, 1.0, 0.0), "6", []),  # z = 5: the Poisson floor of 1
        (MonthReference(24, 1.0, 0.0), "7", [("W_OUTLIER", 7)]),
        (MonthReference(24, 16.0, 1.0), "35", []),  # z = 19 / sqrt(16) < 5
        (MonthReference(24, 16.0, 1.0), "40", [("W_OUTLIER", 7)]),
    ],
)
def test_a_count_varies_at_least_as_a_poisson_count(reference, value, expected):
    history = History(month_reference={FIRES: reference})

    assert found(submission((7, "value", value)), history) == expected


def test_lumpy_flows_are_not_judged():
    capital = (NOIBAI, None, "inv_added_capital", "actual", "USD")
    parsed = submission(
        (5, "metric_code", "inv_added_capital"), (5, "value", "12"), (5, "unit", "USD_MN")
    )

    assert found(parsed, History(month_reference={capital: MonthReference(24, 1.0, 0.2)})) == []


def test_rare_events_have_no_scale_and_are_not_judged():
    history = History(month_reference={FIRES: MonthReference(24, 0.0, 0.0)})

    assert found(submission((7, "value", "3")), history) == []


def test_ytd_rows_are_not_judged_as_outliers():
    history = History(month_reference={CAPITAL: MonthReference(24, 1.0, 0.1)})

    assert found(submission(), history) == []


def test_outlier_message_gives_the_typical_value_in_the_rows_unit():
    parsed = submission((5, "value", "10000000"), (5, "unit", "VND_MN"))
    history = History(month_reference={OUTPUT: MonthReference(12, 1000.0, 30.0)})

    (finding,) = validate(parsed, history=history)

    assert "typically about 1000000)" in finding.message_en
    assert "thường khoảng 1000000)" in finding.message_vi


def test_ytd_messages_give_last_months_figures_in_the_rows_unit():
    parsed = submission((4, "value", "20000"), (4, "unit", "USD_TH"))

    (finding,) = validate(parsed, history=History(previous_ytd={CAPITAL: 25.0}))

    assert finding.rule_id == "W_YTD_DECREASE"
    assert "below last month's (25000)" in finding.message_en


def test_validate_many_is_validate_one_by_one():
    items = [
        (submission(), History(previous_ytd={PROJECTS: 28.0})),
        (submission((5, "value", "abc")), None),
        (submission(), History(month_reference={OUTPUT: MonthReference(12, 10.0, 1.0)})),
        (ParsedSubmission("BQL-XX", "2024-03", None, None, []), None),
        (submission((2, "submitter_code", "BQL-ND"), period="2024-04"), History()),
    ]

    result = validate_many([(parsed, [], history) for parsed, history in items])

    assert result == [validate(parsed, history=history) for parsed, history in items]
    assert [[f.rule_id for f in findings] for findings in result] == [
        ["W_YTD_MONTH_MISMATCH"],
        ["E_BAD_NUMBER"],
        ["W_OUTLIER"],
        ["E_UNKNOWN_SUBMITTER"],
        ["E_SUBMITTER_MISMATCH"],
    ]
