"""Shared rendering helpers that need no Streamlit run: how a KPI change and a table read on screen."""

from __future__ import annotations

import pandas as pd
import pytest

from data_access.settings import get_settings
from ui.components import display_frame, kpi_unchanged, number_columns


@pytest.fixture(autouse=True)
def vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_LANGUAGE", "vi")
    get_settings.cache_clear()


def test_a_change_that_rounds_to_nothing_reads_as_unchanged() -> None:
    assert kpi_unchanged("participation_rate", -0.0004)  # 0,0 điểm %
    assert not kpi_unchanged("participation_rate", -0.0006)  # -0,1 điểm %
    assert (kpi_unchanged("cells", 0), kpi_unchanged("cells", 1), kpi_unchanged("cells", None)) == (True, False, False)


def test_screen_table_writes_quarters_codes_and_missing_codes_in_words() -> None:
    table = pd.DataFrame({"quarter": ["2025-Q1", "2025-Q2"], "quality": ["good", None], "meetings": [1200, 3]})
    shown = display_frame(table, percent_columns=[])
    assert shown.columns.tolist() == ["Quý", "Chất lượng buổi sinh hoạt", "Số buổi sinh hoạt"]
    assert shown.values.tolist() == [["Quý 1/2025", "Tốt", 1200], ["Quý 2/2025", "–", 3]]


def test_numbers_stay_numbers_and_read_as_rates_counts_and_years_with_the_names_pinned() -> None:
    table = pd.DataFrame(
        {
            "commune": ["Đa Lộc", "Lộc Sơn"],
            "year": [2024, 2025],
            "meetings": [1200, 3],
            "participation_rate": [0.9629, None],
            "members": [12.5, 3.0],
        }
    )
    shown = display_frame(table)
    assert shown["Tỷ lệ đảng viên tham gia"].tolist()[0] == 0.9629  # sorts as a number, not as "96,3 %"
    config = number_columns(table)
    kinds = {label: (c.get("type_config", {}).get("format"), c.get("pinned")) for label, c in config.items()}
    assert kinds == {
        "Xã, thị trấn": (None, True),
        "Năm": ("%d", None),
        "Số buổi sinh hoạt": ("localized", None),
        "Tỷ lệ đảng viên tham gia": ("percent", None),
        "Đảng viên": ("localized", None),
    }
    assert config["Tỷ lệ đảng viên tham gia"]["type_config"]["step"] == 0.001  # one decimal: 96,3 %
    assert number_columns(table, percent_columns=[])["Tỷ lệ đảng viên tham gia"]["type_config"]["format"] == "localized"


def _seven_alerts_page() -> None:
    import pandas as pd

    from ui.components import table_with_download

    table = pd.DataFrame({"cell": list("abcdefg"), "missed_months": [1, 2, 1, 1, 1, 1, 3]})
    table_with_download(
        table, key="alerts", view="alerts", max_rows=5, worst_first=[("missed_months", False)], height=300
    )


def _run_seven_alerts(monkeypatch: pytest.MonkeyPatch, *, lang: str) -> tuple[object, list[pd.DataFrame]]:
    from streamlit.testing.v1 import AppTest

    from ui import components

    downloaded: list[pd.DataFrame] = []
    monkeypatch.setattr(components, "download_buttons", lambda data, **_: downloaded.append(data))
    monkeypatch.setenv("DASHBOARD_LANGUAGE", lang)
    get_settings.cache_clear()
    at = AppTest.from_function(_seven_alerts_page, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at, downloaded


def test_a_long_table_shows_its_first_rows_worst_first_and_says_how_many(monkeypatch: pytest.MonkeyPatch) -> None:
    at, _ = _run_seven_alerts(monkeypatch, lang="vi")
    shown = at.dataframe[0].value
    assert shown["Chi bộ"].tolist() == ["g", "b", "a", "c", "d"]  # 3 and 2 missed months first, ties in order
    assert [c.value for c in at.caption] == [
        "Đang hiển thị 5 trên 7 dòng, yếu nhất trước. Bảng đầy đủ có trong tệp tải về (CSV, XLSX)."
    ]


def test_the_line_about_a_cut_table_is_in_english_too(monkeypatch: pytest.MonkeyPatch) -> None:
    at, _ = _run_seven_alerts(monkeypatch, lang="en")
    assert [c.value for c in at.caption] == [
        "Showing 5 of 7 rows, weakest first; the full table is in the download (CSV, XLSX)."
    ]


def test_the_download_of_a_cut_table_holds_every_row_in_the_tables_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.downloads import csv_bytes

    _, downloaded = _run_seven_alerts(monkeypatch, lang="vi")
    (table,) = downloaded
    lines = csv_bytes(table).decode("utf-8-sig").splitlines()
    assert lines == ["cell,missed_months", "a,1", "b,2", "c,1", "d,1", "e,1", "f,1", "g,3"]
