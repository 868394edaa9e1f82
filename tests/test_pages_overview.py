"""Overview page on the small district (period 2025-01..2025-04, as of 2025-04-04; numbers in small_district.py)."""

from __future__ import annotations

import pytest

from data_access import metrics
from data_access.db import make_engine
from data_access.filters import EVERYTHING
from data_access.settings import get_settings
from tests.small_district import period
from tests.test_pages_frame import run_page
from ui import format as fmt

pytestmark = pytest.mark.usefixtures("app_db")


def _cards(at) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.label: m.value for m in at.metric}


def test_kpis_are_the_hand_worked_numbers() -> None:
    cards = _cards(run_page("overview"))
    assert cards["Sinh hoạt đều đặn"] == "72,7\u00a0%"  # 8 held ÷ 11 due cell-months
    assert cards["Sinh hoạt đúng ngày"] == "54,5\u00a0%"  # 6 ÷ 11
    assert cards["Tỷ lệ đảng viên tham gia sinh hoạt"] == "88,7\u00a0%"  # 180 present ÷ 203 expected
    assert (cards["Tổ chức cơ sở đảng"], cards["Chi bộ"], cards["Đảng viên"]) == ("2", "3", "52")


def test_kpis_equal_the_metric_functions() -> None:
    cards = _cards(run_page("overview"))
    engine = make_engine(get_settings().database_url)
    kpis = metrics.overview(engine, filters=period(), scope=EVERYTHING)
    engine.dispose()
    assert cards["Sinh hoạt đều đặn"] == fmt.percent(kpis["regularity_rate"].value, lang="vi")
    assert cards["Cấp ủy cấp trên dự sinh hoạt"] == fmt.percent(kpis["superior_attendance_rate"].value, lang="vi")
    assert cards["Khắc phục đang quá hạn"] == fmt.number(kpis["overdue_follow_ups"].value, lang="vi")


def test_choosing_a_commune_narrows_the_numbers() -> None:
    at = run_page("overview")
    at.multiselect(key="f_communes").select("Đa Lộc").run()
    cards = _cards(at)
    assert cards["Sinh hoạt đều đặn"] == "100,0\u00a0%"  # 3 held ÷ 3 due
    assert cards["Tỷ lệ đảng viên tham gia sinh hoạt"] == "96,3\u00a0%"  # 26 ÷ 27


def test_english_switch_formats_numbers_the_english_way() -> None:
    cards = _cards(run_page("overview", lang="en"))
    assert cards["Participation rate"] == "88.7%"


def test_no_unit_in_scope_shows_the_empty_message() -> None:
    at = run_page("overview", commune="Lộc Sơn", kind="party_cell")
    assert [i.value for i in at.info] == [
        "Không có số liệu cho bộ lọc đã chọn. Hãy mở rộng thời gian hoặc chọn xã khác."
    ]
    assert len(at.metric) == 0


def test_alert_lists_hold_the_overdue_follow_ups() -> None:
    at = run_page("overview")
    # I1 (due 2025-03-01) and I4 (due 2025-02-01) are unresolved and past due on 2025-04-04
    assert "Quá hạn (2)" in [tab.label for tab in at.tabs]


def _alert_titles(at) -> list[str]:  # type: ignore[no-untyped-def]
    """The titles of the lists under "Cảnh báo" (before the reporting panel's title)."""
    titles = [str(s.value) for s in at.subheader]
    return titles[titles.index("Cảnh báo") + 1 : titles.index("Tình hình gửi số liệu của các xã")]


def test_only_the_open_alert_tab_draws_its_list() -> None:
    """The three tabs keep their counts; the open one (the first on arrival) draws its list with its downloads and
    link; choosing another tab draws that one instead."""
    at = run_page("overview")
    labels = [tab.label for tab in at.tabs]
    assert "Quá hạn (2)" in labels
    downloads = len(at.get("download_button"))
    assert len(_alert_titles(at)) == 1
    assert _alert_titles(at)[0].startswith("Chi bộ không sinh hoạt")
    at.session_state["overview_alert_tabs"] = labels[2]
    at.run()
    assert not at.exception, at.exception
    assert [tab.label for tab in at.tabs] == labels
    assert _alert_titles(at) == ["Việc khắc phục sau kiểm tra đã quá hạn"]
    overdue = next(df.value for df in at.dataframe if "Số ngày quá hạn" in df.value.columns)
    assert len(overdue) == 2  # I1 and I4
    assert len(at.get("download_button")) == downloads
