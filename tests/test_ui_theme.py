"""Figure builders and the house look, on hand-made tables."""

from __future__ import annotations

import pandas as pd
import pytest

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
    assert list(bars.y) == ["B", "A"]  # the worst first, at the top (the category axis is reversed)
    assert list(bars.marker.color) == [theme.PALETTE[0], theme.PALETTE[1]]


def test_a_ranking_spans_the_values_not_0_to_100_percent_and_keeps_the_target_off_the_values() -> None:
    # 22 communes between 91.7 % and 100 %: on 0–100 % every bar ended at the same place.
    table = pd.DataFrame({"commune": ["A", "B", "C"], "regularity_rate": [0.917, 1.0, 0.95]})
    fig = theme.rate_ranking(table, label_column="commune", rate_column="regularity_rate", target=0.85, lang="vi")
    assert fig.layout.yaxis.autorange == "reversed"
    # from under the target (85 % - 2 points, down to 5 points) to 100 %, ticks every 5 points
    assert list(fig.layout.xaxis.range) == [pytest.approx(0.795), pytest.approx(1.005)]
    assert list(fig.layout.xaxis.tickvals) == [0.8, 0.85, 0.9, 0.95, 1.0]
    values = [a for a in fig.layout.annotations if a.xref == "paper"]
    # the values in a column right of the plot, in the dots' order (worst first)
    assert [(a.y, a.text.replace("\u00a0", " "), a.x, a.xanchor) for a in values] == [
        (0, "91,7 %", 1.0, "left"),  # A, C, B: the categories' positions, worst first
        (1, "95,0 %", 1.0, "left"),
        (2, "100,0 %", 1.0, "left"),
    ]
    (target,) = [a for a in fig.layout.annotations if a.xref != "paper"]
    assert target.text.replace("\u00a0", " ") == "Mục tiêu 85 %" and target.yanchor == "bottom"


def test_rate_span_without_a_target_starts_2_points_under_the_lowest() -> None:
    assert theme.rate_span([0.917, 1.0]) == pytest.approx((0.85, 1.0))
    assert theme.rate_span([0.5, 0.52]) == pytest.approx((0.45, 0.55))  # at least 10 points wide
    assert theme.rate_span([None, float("nan")]) == (0.0, 1.0)


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


def _communes_by_month(communes: int) -> pd.DataFrame:
    """`communes` communes × 2 months; commune k has rates k/100 and k/100 + 0.01 (commune 0 misses month 2)."""
    rows = [
        (f"X{k:02d}", month, k / 100 + (0.01 if month == "2025-02" else 0))
        for k in range(communes)
        for month in ("2025-01", "2025-02")
    ]
    table = pd.DataFrame(rows, columns=["commune", "month", "regularity_rate"])
    return table.drop(index=1).reset_index(drop=True)


def test_a_trend_of_a_few_communes_draws_one_named_line_each() -> None:
    table = _communes_by_month(theme.MAX_NAMED_SERIES)
    fig = theme.rate_trend(table, rate_columns=["regularity_rate"], series_column="commune", lang="vi")
    assert len(fig.data) == 40 and fig.data[1].name == "X01"


def test_a_trend_of_many_communes_is_one_line_with_every_value_named_on_hover() -> None:
    table = _communes_by_month(theme.MAX_NAMED_SERIES + 1)  # 41 communes, 81 rows
    fig = theme.rate_trend(table, rate_columns=["regularity_rate"], series_column="commune", lang="vi")
    (trace,) = fig.data
    points = [(who, y) for who, y in zip(trace.customdata, trace.y, strict=True) if who is not None]
    assert len(points) == 81 and len(trace.y) == 81 + 41  # one gap after each commune
    assert points[:3] == [("X00", 0.0), ("X01", 0.01), ("X01", 0.02)]
    assert trace.hovertext[2].replace("\u00a0", " ") == "1,0 %"  # [1] is the gap after X00
    assert fig.layout.showlegend is False


def test_a_lone_month_of_a_commune_keeps_its_marker_in_the_one_line_trend() -> None:
    table = _communes_by_month(theme.MAX_NAMED_SERIES + 1)
    (trace,) = theme.rate_trend(table, rate_columns=["regularity_rate"], series_column="commune", lang="vi").data
    assert trace.mode == "lines+markers"
    assert list(trace.marker.size[:4]) == [5, 0, 0, 0]  # X00 has only January: between two gaps, drawn as a dot


def test_a_ranking_of_many_bars_leaves_the_values_to_the_hover() -> None:
    many = pd.DataFrame({"commune": [f"X{k:02d}" for k in range(61)], "regularity_rate": [k / 100 for k in range(61)]})
    few = theme.rate_ranking(many.head(60), label_column="commune", rate_column="regularity_rate", lang="vi").data[0]
    bars = theme.rate_ranking(many, label_column="commune", rate_column="regularity_rate", lang="vi").data[0]
    assert len(few.text) == 60 and bars.text is None
    assert bars.hovertext[-1].replace("\u00a0", " ") == "60,0 %"


def test_a_topic_heatmap_of_many_communes_writes_no_counts_and_hovers_the_full_topic() -> None:
    from ui import figures_views

    topic = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    communes = [f"X{k:02d}" for k in range(figures_views.MAX_WRITTEN_HEAT_ROWS + 1)]
    table = pd.DataFrame({"commune": communes, "topic": [topic] * len(communes), "meetings": range(len(communes))})
    heatmap = figures_views.topic_heatmap(table, lang="vi")
    cells = heatmap.data[0]
    assert cells.text is None and cells.xgap is None
    assert list(cells.x) == [topic] and [row[0] for row in cells.z][:3] == [0, 1, 2]
    assert heatmap.layout.xaxis.ticktext[0].endswith("…")  # the axis writes it short


def test_a_spread_trend_draws_the_band_the_overall_line_and_the_weakest_only() -> None:
    per_place = pd.DataFrame(
        {
            "commune": ["A", "A", "B", "B", "C", "C"],
            "month": ["2025-01", "2025-02"] * 3,
            "regularity_rate": [1.0, 0.9, 0.5, 0.75, 0.8, float("nan")],
        }
    )
    overall = pd.DataFrame({"month": ["2025-01", "2025-02"], "regularity_rate": [0.77, 0.8]})
    fig = theme.spread_trend(
        per_place, overall, rate_column="regularity_rate", place_column="commune", worst=["B"], lang="vi"
    )
    low, high, together, weakest = fig.data
    assert list(low.y) == [0.5, 0.75] and list(high.y) == [1.0, 0.9]  # C's missing February is no minimum
    assert high.fill == "tonexty" and low.showlegend is False
    assert (together.name, list(together.y), together.line.width) == ("Chung", [0.77, 0.8], 3)
    assert (weakest.name, list(weakest.y), weakest.line.dash) == ("B", [0.5, 0.75], "dot")


def test_absences_are_shares_of_the_expected_attendances_highest_unexcused_first() -> None:
    from ui import tables

    by_commune = pd.DataFrame(
        {
            "commune": ["Big", "Small", "None"],
            "expected": [1000, 40, 0],
            "absent_excused": [100, 2, 0],
            "absent_unexcused": [30, 4, 0],
        }
    )
    shares = tables.absence_shares(by_commune)
    # Big: 30 unexcused of 1,000 = 3 %; Small: 4 of 40 = 10 %: the small commune's members stay away more often
    assert list(shares["commune"]) == ["Small", "Big", "None"]
    assert list(shares["unexcused_share"][:2]) == [0.1, 0.03]
    assert list(shares["excused_share"][:2]) == [0.05, 0.1]
    fig = theme.absence_bars(shares, label_column="commune", lang="vi")
    unexcused, _excused = fig.data
    assert list(unexcused.y) == ["Small", "Big", "None"] and fig.layout.yaxis.autorange == "reversed"
    assert unexcused.customdata[0] == "4 trên 40 lượt"
    assert list(fig.layout.xaxis.range) == [0, pytest.approx(0.2)]  # Small has 15 % in all: up to the next 5 points


def test_a_topic_heatmap_with_cells_colours_the_share_of_each_communes_cells() -> None:
    from ui import figures_views

    # Big has 40 cells, 10 held topic x in 30 meetings; Small has 4 cells, 3 held x; nobody in Small held y.
    table = pd.DataFrame(
        {"commune": ["Big", "Big", "Small"], "topic": ["x", "y", "x"], "meetings": [30, 2, 3], "cells": [10, 2, 3]}
    )
    heatmap = figures_views.topic_heatmap(table, cells={"Big": 40, "Small": 4}, lang="vi").data[0]
    assert [list(row) for row in heatmap.z] == [[0.25, 0.05], [0.75, 0.0]]  # Small's 75 % no longer washed out
    assert (heatmap.zmin, heatmap.zmax) == (0, 1)
    assert [[v.replace("\u00a0", " ") for v in row] for row in heatmap.text] == [["25 %", "5 %"], ["75 %", "0"]]
    assert heatmap.customdata[0][0][1] == "10 trên 40 chi bộ của xã đã sinh hoạt chủ đề này (30 buổi)"


def test_the_classification_mix_per_commune_puts_the_weakest_first() -> None:
    from ui import figures_views

    table = pd.DataFrame(
        {
            "commune": ["A", "B", "C"],
            "rated": [4, 4, 4],
            "excellent": [1, 0, 0],
            "good": [3, 2, 2],
            "complete": [0, 2, 1],
            "not_complete": [0, 0, 1],
            "good_or_above_share": [1.0, 0.5, 0.5],
        }
    )
    fig = figures_views.level_mix(table, label_column="commune", horizontal=True, lang="vi")
    # B and C both have half good or above; C has a quarter not complete, so it is weaker
    assert list(fig.data[0].y) == ["C", "B", "A"]
    years = figures_views.level_mix(table.assign(year=[2023, 2024, 2025]), label_column="year", lang="vi")
    assert list(years.data[0].x) == ["2023", "2024", "2025"]  # years keep their order
