"""Every expectation's result kept per version: GX runs once for many versions, and each
version's share of the counts is what GX gives when it checks that version alone."""

from __future__ import annotations

from dataclasses import replace

from kcn.validation.checks import MAX_ROWS
from kcn.validation.validate import judge_many
from tests.unit.test_validate import add, change, submission


def _without_observed(checks: list) -> list:
    return [replace(c, observed_value=None) for c in checks]


def test_each_version_gets_what_gx_gives_it_alone() -> None:
    clean = submission()
    faulty = submission(
        change(3, metric_code="bogus"), change(5, value="x"), change(7, zone_code=None)
    )
    other = submission(change(4, value_kind="guess"), submitter="BQL-HN")
    items = [(p, [], None) for p in (clean, faulty, other)]

    _, together = judge_many(items)
    alone = [judge_many([item])[1][0] for item in items]

    assert [_without_observed(c) for c in together] == [_without_observed(c) for c in alone]


def test_a_failing_expectation_names_its_rows_and_counts() -> None:
    faulty = submission(change(3, metric_code="bogus"), change(5, metric_code="nope"))

    [findings], [checks] = judge_many([(faulty, [], None)])

    [unknown] = [
        c
        for c in checks
        if c.rule_id == "E_UNKNOWN_METRIC"
        and c.expectation_type == "expect_column_values_to_be_in_set"
    ]
    assert (unknown.success, unknown.element_count, unknown.unexpected_count) == (False, 17, 2)
    assert unknown.unexpected_percent == 100 * 2 / 17
    assert unknown.unexpected_rows == (("indicators.csv", 3), ("indicators.csv", 5))
    assert unknown.suite == "indicators" and unknown.severity == "error"
    assert {c.suite for c in checks} == {"indicators", "enterprises"}
    # every expectation that passed is kept too, with its counts
    passed = [c for c in checks if c.success]
    assert passed and all(c.unexpected_count == 0 and not c.unexpected_rows for c in passed)
    # a rule's findings and its failed expectations point at the same rows
    assert {(f.file, f.row) for f in findings if f.rule_id == "E_UNKNOWN_METRIC"} == set(
        unknown.unexpected_rows
    )


def test_failing_rows_are_bounded() -> None:
    many = submission(*[add(metric_code=f"bogus_{i}") for i in range(MAX_ROWS + 5)])

    [_], [checks] = judge_many([(many, [], None)])

    [unknown] = [
        c
        for c in checks
        if c.rule_id == "E_UNKNOWN_METRIC"
        and c.expectation_type == "expect_column_values_to_be_in_set"
    ]
    assert unknown.unexpected_count == MAX_ROWS + 5
    assert len(unknown.unexpected_rows) == MAX_ROWS
    assert unknown.unexpected_rows[0] == ("indicators.csv", 19)


def test_a_version_stopped_before_the_suites_has_no_check_results() -> None:
    unknown_board = submission(submitter="BQL-XX")

    [findings], [checks] = judge_many([(unknown_board, [], None)])

    assert [f.rule_id for f in findings] == ["E_UNKNOWN_SUBMITTER"]
    assert checks == []
