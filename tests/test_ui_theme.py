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
    assert fig.layout.yaxis.ticktext[4].replace("\u00a0", " ") == "80 %"
    assert [shape.y0 for shape in fig.layout.shapes] == [0.85]
    assert fig.layout.annotations[0].text.replace("\u00a0", " ") == "Mục tiêu 85 %"


def test_ranking_colours_bars_below_the_target() -> None:
    table = pd.DataFrame({"commune": ["A", "B"], "participation_rate": [0.9, 0.7]})
    bars = theme.rate_ranking(table, label_column="commune", rate_column="participation_rate", target=0.85).data[0]
    assert list(bars.y) == ["B", "A"]  # best at the top of a horizontal bar chart = last
    assert list(bars.marker.color) == [theme.PALETTE[0], theme.PALETTE[1]]


def test_percent_axis_ticks_follow_the_language() -> None:
    table = pd.DataFrame({"month": ["2025-01"], "regularity_rate": [0.9]})
    vi = theme.rate_trend(table, rate_columns=["regularity_rate"], lang="vi").layout.yaxis
    en = theme.rate_trend(table, rate_columns=["regularity_rate"], lang="en").layout.yaxis
    assert list(vi.tickvals) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert [v.replace("\u00a0", " ") for v in vi.ticktext] == ["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"]
    assert list(en.ticktext) == ["0%", "20%", "40%", "60%", "80%", "100%"]


def test_hover_shows_rates_in_the_readers_format() -> None:
    table = pd.DataFrame({"commune": ["Lộc Sơn", "Đa Lộc"], "participation_rate": [0.853, float("nan")]})
    vi = theme.rate_ranking(table, label_column="commune", rate_column="participation_rate", lang="vi").data[0]
    en = theme.rate_ranking(table, label_column="commune", rate_column="participation_rate", lang="en").data[0]
    assert "%{hovertext}" in vi.hovertemplate
    # ascending: the missing rate first, then 85.3 %
    assert [h.replace("\u00a0", " ") for h in vi.hovertext] == ["–", "85,3 %"]
    assert list(en.hovertext) == ["–", "85.3%"]


def test_month_axis_and_hover_dates_follow_the_language() -> None:
    table = pd.DataFrame({"month": ["2025-01"], "regularity_rate": [0.9]})
    vi = theme.rate_trend(table, rate_columns=["regularity_rate"], lang="vi")
    en = theme.rate_trend(table, rate_columns=["regularity_rate"], lang="en")
    assert (vi.layout.xaxis.tickformat, en.layout.xaxis.tickformat) == ("%m/%Y", "%b %Y")
    assert "%{x|%m/%Y}" in vi.data[0].hovertemplate and "%{x|%b %Y}" in en.data[0].hovertemplate


def test_topic_heatmap_keeps_its_pale_first_colour_for_zero_only() -> None:
    from ui import figures_views

    table = pd.DataFrame({"commune": ["A", "A", "B", "B"], "topic": ["x", "y", "x", "y"], "meetings": [4, 455, 0, 20]})
    heatmap = figures_views.topic_heatmap(table, lang="vi").data[0]
    assert (heatmap.zmin, heatmap.zmax) == (0, 455)  # 4 is near the bottom, not at it


def test_many_quarters_slant_their_labels_and_push_the_legend_down() -> None:
    from ui import figures_views

    quarters = [f"{2021 + k // 4}-Q{k % 4 + 1}" for k in range(12)]
    table = pd.DataFrame({"quarter": quarters, "topic": ["x"] * 12, "meetings": [3] * 12})
    few = figures_views.topic_quarters(table.head(4), lang="en").layout
    many = figures_views.topic_quarters(table, lang="en").layout
    assert (few.xaxis.tickangle, few.legend.y) == (0, -0.12)
    assert (many.xaxis.tickangle, many.legend.y) == (-45, -0.3)


def test_count_hovers_use_the_thousands_separator_of_the_layout() -> None:
    from ui import figures_views

    table = pd.DataFrame({"quarter": ["2025-Q1"], "inspections": [1200], "commended": [1200], "corrected": [0]})
    bars = figures_views.balance_bars(table, lang="vi")
    assert bars.layout.separators == ",." and all("%{y:,}" in bar.hovertemplate for bar in bars.data)
