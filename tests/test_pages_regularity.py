"""Regularity page on the small district (period 2025-01..2025-04, as of 2025-04-04)."""

from __future__ import annotations

import pytest

from tests.test_pages_frame import run_page

pytestmark = pytest.mark.usefixtures("app_db")


def _ranking(at):  # type: ignore[no-untyped-def]
    return next(df.value for df in at.dataframe if "Thứ hạng" in df.value.columns)


def test_organisations_ranked_by_regularity() -> None:
    ranking = _ranking(run_page("regularity"))
    # Đa Lộc's cell: 3 held ÷ 3 due; Lộc Sơn's committee: c1 3 + c2 1 + c3 1 held ÷ 4 + 1 + 3 due = 5 ÷ 8
    assert list(ranking["Tổ chức cơ sở đảng"]) == ["Chi bộ Trường THCS Đa Lộc", "Đảng bộ xã Lộc Sơn"]
    assert list(ranking["Tỷ lệ sinh hoạt đều đặn"]) == [1.0, 5 / 8]
    assert list(ranking["Tỷ lệ sinh hoạt đúng ngày"]) == [pytest.approx(2 / 3), 4 / 8]  # 2 ÷ 3; 4 ÷ 8


def test_choosing_a_commune_keeps_only_its_organisations() -> None:
    at = run_page("regularity")
    at.multiselect(key="f_communes").select("Lộc Sơn").run()
    assert list(_ranking(at)["Tổ chức cơ sở đảng"]) == ["Đảng bộ xã Lộc Sơn"]


def test_grid_and_trend_are_drawn() -> None:
    at = run_page("regularity")
    charts = at.get("plotly_chart")
    assert len(charts) == 2


def test_empty_selection_shows_the_message() -> None:
    at = run_page("regularity", commune="Lộc Sơn", kind="party_cell")
    assert len(at.info) == 1 and not at.get("plotly_chart")


def test_english_headers() -> None:
    ranking = next(df.value for df in run_page("regularity", lang="en").dataframe if "Rank" in df.value.columns)
    assert list(ranking["Regularity"]) == [1.0, 5 / 8]
