"""Shared rendering helpers that need no Streamlit run: how a KPI change and a table read on screen."""

from __future__ import annotations

import pandas as pd
import pytest

from data_access.settings import get_settings
from ui.components import display_frame, kpi_unchanged


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
    assert shown.values.tolist() == [["Quý 1/2025", "Tốt", "1.200"], ["Quý 2/2025", "–", "3"]]
