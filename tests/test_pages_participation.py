"""Participation page on the small district (period 2025-01..2025-04, as of 2025-04-04)."""

from __future__ import annotations

import pytest

from tests.test_pages_frame import run_page

pytestmark = pytest.mark.usefixtures("app_db")


def _table_with(at, column: str):  # type: ignore[no-untyped-def]
    return next(df.value for df in at.dataframe if column in df.value.columns and "Xã, thị trấn" in df.value.columns)


def test_cells_below_target_are_listed() -> None:
    at = run_page("participation")
    below = next(df.value for df in at.dataframe if "Diễn biến theo tháng" in df.value.columns)
    # Only Chi bộ thôn 3 is under 85 %: 33 present ÷ 40 expected
    assert list(below["Chi bộ"]) == ["Chi bộ thôn 3"]
    assert list(below["Tỷ lệ đảng viên tham gia"]) == [pytest.approx(33 / 40)]  # a number: sortable
    # the months with a meeting only (none in Feb and Apr): a missing value would stop the sparkline from drawing
    assert list(below["Diễn biến theo tháng"].iloc[0]) == [0.75, 0.9]  # 15/20 in Jan, 18/20 in Mar


def test_communes_compared() -> None:
    at = run_page("participation")
    communes = next(
        df.value for df in at.dataframe if list(df.value.columns[:2]) == ["Xã, thị trấn", "Số buổi sinh hoạt"]
    )
    # Đa Lộc 26 ÷ 27; Lộc Sơn (99 + 22 + 33) ÷ (112 + 24 + 40) = 154 ÷ 176
    assert list(communes["Tỷ lệ đảng viên tham gia"]) == [pytest.approx(26 / 27), pytest.approx(154 / 176)]


def test_a_stricter_commune_filter_changes_the_trend() -> None:
    at = run_page("participation", commune="Đa Lộc")
    trend = next(df.value for df in at.dataframe if "Tháng" in df.value.columns)
    assert list(trend["Tỷ lệ đảng viên tham gia"]) == [1.0, pytest.approx(8 / 9), 1.0]  # 9/9, 8/9, 9/9


def test_empty_period_shows_the_message() -> None:
    at = run_page("participation", **{"from": "2020-01", "to": "2020-03"})
    assert len(at.info) == 1 and not at.get("plotly_chart")
