"""One rule for what a number is: the validator's definition (kcn.contract) is the pattern
dbt and the history query cast with, and PostgreSQL casts every value it accepts to the same
number. Property-based: values across Unicode digit classes, separators, signs, exponents
and lengths, checked against a real PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import psycopg2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kcn.contract import MACHINE_NUMBER_PATTERN, is_machine_number
from kcn.settings import get_settings

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]

# Digits of many classes: ASCII, full-width, Arabic-Indic, Devanagari, Thai, Bengali,
# mathematical bold, superscripts; and what sits around numbers: separators, signs, exponents.
DIGITS = "0123456789１２３٠١٢٣०१२३๐๑๒৩𝟎𝟏²³"
AROUND = ".,;:-+−eE_ \t\n\u00a0\u2009'٫٬"
WORDS = ["NaN", "nan", "Infinity", "-Infinity", "inf", "1e5", "0x1F", "1_000", ".5", "5."]


def _digits(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=min_size, max_size=max_size)


numbers_like = st.one_of(
    # well-formed machine numbers, up to and past the limits
    st.builds(
        lambda sign, whole, frac: sign + whole + (f".{frac}" if frac else ""),
        st.sampled_from(["", "-", "+"]),
        _digits(1, 18),
        st.one_of(st.just(""), _digits(1, 33)),
    ),
    # anything made of digits of every class and what sits around them
    st.text(alphabet=DIGITS + AROUND, min_size=0, max_size=24),
    # exponent notation
    st.builds(
        lambda m, e: f"{m}{e}",
        _digits(1, 4),
        st.sampled_from(["e5", "E-3", "e+308", "e", "e0"]),
    ),
    st.sampled_from(WORDS),
    st.text(max_size=12).filter(lambda s: "\x00" not in s),
)


@pytest.fixture(scope="module")
def cursor(database_url: str) -> Iterator[object]:
    conn = psycopg2.connect(database_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        yield cur
    conn.close()


def _postgres(cur, value: str) -> tuple[bool, Decimal | None]:
    """(does the value match the pattern in PostgreSQL, its numeric cast when it does)."""
    cur.execute("select %s ~ %s", (value, MACHINE_NUMBER_PATTERN))
    [matched] = cur.fetchone()
    if not matched:
        return False, None
    cur.execute("select %s::numeric", (value,))  # a cast of what matched never fails
    return True, cur.fetchone()[0]


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(value=numbers_like)
def test_the_validator_accepts_exactly_what_the_warehouse_casts(cursor, value: str) -> None:
    matched, number = _postgres(cursor, value)

    assert is_machine_number(value) == matched, value
    if matched:
        assert number == Decimal(value), value


@pytest.mark.parametrize(
    "value",
    ["１２３", "١٢٣", "1e308", "1E5", "1,5", "1 000", "+1", ".5", "5.", "1234567890123456", ""],
)
def test_what_is_no_machine_number(cursor, value: str) -> None:
    assert not is_machine_number(value)
    assert _postgres(cursor, value) == (False, None)


@pytest.mark.parametrize("value", ["0", "-3", "1178.5", "123456789012345", "0.000000001"])
def test_what_is_a_machine_number(cursor, value: str) -> None:
    assert is_machine_number(value)
    assert _postgres(cursor, value) == (True, Decimal(value))


def test_dbt_casts_with_the_validators_pattern() -> None:
    macro = (ROOT / "dbt_project" / "macros" / "machine_number.sql").read_text("utf-8")
    [quoted] = re.findall(r"'([^']*)'", macro.split("{% macro", 1)[1])
    assert quoted == MACHINE_NUMBER_PATTERN
    scaled = (ROOT / "dbt_project" / "macros" / "scaled_indicator_rows.sql").read_text("utf-8")
    assert "~ {{ machine_number_pattern() }}" in scaled
    history = (ROOT / "include" / "kcn" / "validation" / "history.sql").read_text("utf-8")
    assert "~ %(number_pattern)s" in history
    assert get_settings().dbt_project_dir.is_dir()
