"""Numbers and dates in the reader's language."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.filters import Month
from ui import format as fmt


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("vi", ["9.000", "85,3 %", "24/11/2026", "03/2025"]), ("en", ["9,000", "85.3%", "24 Nov 2026", "Mar 2025"])],
)
def test_number_percent_date_month(lang: str, expected: list[str]) -> None:
    got = [fmt.number(9000, lang=lang), fmt.percent(0.853, lang=lang), fmt.date(dt.date(2026, 11, 24), lang=lang)]
    got.append(fmt.month("2025-03", lang=lang))
    assert [g.replace(fmt.NBSP, " ") for g in got] == expected


def test_missing_rate_is_a_dash() -> None:
    assert fmt.percent(float("nan"), lang="vi") == "–"


def test_month_range_in_vietnamese() -> None:
    assert fmt.month_range(Month(2025, 1), Month(2025, 12), lang="vi") == "01/2025–12/2025"


def test_change_in_points_is_signed_with_ascii_minus() -> None:
    assert fmt.points(-0.021, lang="en").replace(fmt.NBSP, " ") == "-2.1 pts"


def test_plotly_separators_put_the_decimal_comma_first_in_vietnamese() -> None:
    assert (fmt.plotly_separators("vi"), fmt.plotly_separators("en")) == (",.", ".,")


@pytest.mark.parametrize(("lang", "expected"), [("vi", "+2,1 điểm %"), ("en", "+2.1 pts")])
def test_change_in_points_in_both_languages(lang: str, expected: str) -> None:
    assert fmt.points(0.021, lang=lang).replace(fmt.NBSP, " ") == expected


@pytest.mark.parametrize(("lang", "expected"), [("vi", "Quý 1/2025"), ("en", "Q1 2025")])
def test_quarter(lang: str, expected: str) -> None:
    assert fmt.quarter("2025-Q1", lang=lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [("vi", "-1.234.567"), ("en", "-1,234,567")])
def test_large_negative_count(lang: str, expected: str) -> None:
    assert fmt.signed_number(-1234567, lang=lang) == expected


def test_a_change_that_rounds_to_nothing_has_no_sign() -> None:
    assert fmt.points(-0.0004, lang="vi").replace(fmt.NBSP, " ") == "0,0 điểm %"
    assert (fmt.signed_number(0, lang="en"), fmt.signed_number(-0.2, lang="en")) == ("0", "0")
