"""Figure builders and the house look, on hand-made tables."""

from __future__ import annotations

import pandas as pd

from ui import theme


def _grid() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "commune": ["Lộc Sơn"] * 3,
            "organisation": ["Đảng bộ xã Lộc Sơn"] * 3,
            "cell": ["Chi bộ thôn 1"] * 3,
            "cell_id": [1, 1, 1],
            "meeting_day": [3, 3, 3],
            "month": ["2025-01", "2025-02", "2025-03"],
            "held": [True, True, False],
            "on_fixed_day": [True, False, False],
        }
    )


def test_grid_codes_each_month_and_marks_months_without_a_due_row_not_due() -> None:
    fig = theme.cell_month_grid(_grid(), months=["2025-01", "2025-02", "2025-03", "2025-04"], lang="vi")
    heatmap = fig.data[0]
    # codes: 0 not due, 1 missed, 2 other day, 3 on the fixed day
    assert [list(row) for row in heatmap.z] == [[3, 2, 1, 0]]
    assert list(heatmap.x) == ["01/2025", "02/2025", "03/2025", "04/2025"]


def test_vietnamese_figures_use_the_decimal_comma_and_a_target_line() -> None:
    table = pd.DataFrame({"month": ["2025-01", "2025-02"], "participation_rate": [0.9, 0.8]})
    fig = theme.rate_trend(table, rate_columns=["participation_rate"], target=0.85, lang="vi")
    assert fig.layout.separators == ",."
    assert fig.layout.yaxis.tickformat == ".0%"
    assert [shape.y0 for shape in fig.layout.shapes] == [0.85]
    assert fig.layout.annotations[0].text.replace("\u00a0", " ") == "Mục tiêu 85 %"


def test_ranking_colours_bars_below_the_target() -> None:
    table = pd.DataFrame({"commune": ["A", "B"], "participation_rate": [0.9, 0.7]})
    bars = theme.rate_ranking(table, label_column="commune", rate_column="participation_rate", target=0.85).data[0]
    assert list(bars.y) == ["B", "A"]  # best at the top of a horizontal bar chart = last
    assert list(bars.marker.color) == [theme.PALETTE[0], theme.PALETTE[1]]
