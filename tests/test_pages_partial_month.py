"""The as-of month that is not over is left out of trend lines and sparklines, and the page says so.

The small district's view runs to April 2025 as of 4 April 2025: April's figures count four days, and drawn beside
whole months they read as a collapse (or a jump). The tables and downloads keep April."""

from __future__ import annotations

import json

import pytest

from tests.test_pages_frame import run_page

pytestmark = pytest.mark.usefixtures("app_db")
NOTE_VI = (
    "Tháng 04/2025 chưa kết thúc (số liệu đến 04/04/2025) nên không vẽ trên đường diễn biến; bảng số liệu và "
    "tệp tải về vẫn có tháng này."
)


def _figures(at) -> list[dict]:  # type: ignore[no-untyped-def]
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_the_participation_trend_draws_whole_months_and_says_why_april_is_missing() -> None:
    at = run_page("participation")
    trend = _figures(at)[0]
    (line,) = [trace for trace in trend["data"] if trace.get("mode") == "lines+markers"]
    assert [x[:7] for x in line["x"]] == ["2025-01", "2025-02", "2025-03"]
    assert NOTE_VI in [c.value for c in at.caption]
    table = next(df.value for df in at.dataframe if "Tháng" in df.value.columns)
    assert list(table["Tháng"])[-1] == "04/2025"  # the table keeps April


def test_a_whole_last_month_is_drawn_and_needs_no_note() -> None:
    at = run_page("participation", as_of="2025-04-30")
    (line,) = [trace for trace in _figures(at)[0]["data"] if trace.get("mode") == "lines+markers"]
    assert [x[:7] for x in line["x"]][-1] == "2025-04"
    assert not [c.value for c in at.caption if "chưa kết thúc" in c.value]


def test_the_overview_sparklines_leave_the_partial_month_out() -> None:
    at = run_page("overview")
    cards = {m.label: m for m in at.metric}
    # regularity by month: January, February, March (April is partial)
    assert len(cards["Sinh hoạt đều đặn"].proto.chart_data) == 3
    assert NOTE_VI in [c.value for c in at.caption]
