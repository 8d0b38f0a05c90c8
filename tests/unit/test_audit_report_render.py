"""The audit report's pure parts: the chart's coordinates and how figures are printed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kcn.reports.audit_report import _number, chart


def test_the_chart_puts_100_percent_at_the_top_and_0_at_the_bottom() -> None:
    trend = [
        {"period": "2021-10", "reporting_rate": Decimal("100"), "on_time_rate": Decimal("0")},
        {"period": "2021-11", "reporting_rate": Decimal("50"), "on_time_rate": None},
    ]

    result = chart(trend, width=240, height=148)

    assert result is not None
    assert result.reporting == [(40.0, 12.0, 100.0), (224.0, 62.0, 50.0)]
    assert result.on_time == [(40.0, 112.0, 0.0), (224.0, 112.0, 0.0)]
    assert result.labels == [(40.0, "2021-10"), (224.0, "2021-11")]
    assert chart([]) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "–"),
        (1234567, "1\u202f234\u202f567"),
        (Decimal("26.90"), "26.9"),
        (Decimal("315.000"), "315"),
        (2039.456, "2\u202f039.46"),
        ("KCN-HN-NOIBAI", "KCN-HN-NOIBAI"),
    ],
)
def test_figures_print_with_thin_spaces_and_at_most_two_decimals(value, expected) -> None:
    assert _number(value) == expected
