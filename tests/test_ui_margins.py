"""Margins worked out on the server (`ui.margins.fit`): room for the labels, automargin off, or the figure untouched
when the room cannot be told. Widths are Liberation Sans advance widths (thousandths of the font size) × 1.08."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from ui import figures_cache, figures_views, margins, theme


def test_a_word_is_as_wide_as_its_letters_in_liberation_sans() -> None:
    # "Lộc": L 556 + o 556 + c 500 (ộ as wide as o) = 1612 thousandths; at 10 px: 16.12 px, × 1.08 = 17.41 px
    assert margins.text_width("Lộc", size=10) == pytest.approx(17.4096)
    assert margins.text_width("Lộc", size=10) == margins.text_width("Loc", size=10)


def horizontal_bars(names: list[str]) -> go.Figure:
    fig = go.Figure(go.Bar(x=[3] * len(names), y=names, orientation="h"))
    fig.update_layout(font={"size": 10}, margin={"l": 8, "r": 8, "t": 36, "b": 8})
    fig.update_yaxes(type="category", automargin=True)
    fig.update_xaxes(automargin=True)
    return fig


def test_the_left_margin_holds_the_longest_name_and_automargin_is_off() -> None:
    fig = margins.fit(horizontal_bars(["Lộc", "Lộc Lộc"]))
    # "Lộc Lộc": 1612 + space 278 + 1612 = 3502 → 37.82 px, + 6 px to the axis = 43.82 → 44
    assert fig.layout.margin.l == 44
    # numbers up to 3 along x: "3.0" = 556 + 278 + 556 = 1390 → 15.01 px wide, but x labels need a line's height:
    # 10 px × 1.3 + 6 = 19 → 19
    assert fig.layout.margin.b == 19
    assert fig.layout.margin.t == 36  # nothing on top: the margin given stays
    assert fig.layout.xaxis.automargin is False and fig.layout.yaxis.automargin is False


def test_an_axis_title_adds_a_line_and_its_gap() -> None:
    fig = horizontal_bars(["Lộc"])
    fig.update_xaxes(title="Số cuộc")
    # 19 as above + 10 px × 1.3 + 10 = 42
    assert margins.fit(fig).layout.margin.b == 42


def test_labels_slanted_by_the_builder_get_their_height() -> None:
    fig = go.Figure(go.Bar(x=["Lộc", "Lộc Lộc"], y=[1, 2]))
    fig.update_layout(font={"size": 10}, margin={"b": 8})
    fig.update_xaxes(type="category", tickangle=-90)
    # slanted at 90°: the longest label's width 37.82 + 6 = 43.82 → 44
    assert margins.fit(fig).layout.margin.b == 44


def test_names_along_x_that_may_not_fit_a_phone_get_the_room_of_a_30_degree_slant_and_no_more() -> None:
    fig = go.Figure(go.Bar(x=["Lộc Lộc"] + [f"Lộc {k}" for k in range(9)], y=list(range(10))))
    fig.update_layout(font={"size": 10}, margin={"b": 8})
    fitted = margins.fit(fig)
    # ten labels of 26-38 px do not fit in 200 px: slanted 30°, the widest ("Lộc Lộc", 37.82 px) needs
    # 37.82 × sin 30° + 13 × cos 30° + 6 = 18.91 + 11.26 + 6 = 36.17 → 37
    assert fitted.layout.margin.b == 37
    assert tuple(fitted.layout.xaxis.autotickangles) == (0, 30)


def test_names_along_x_that_fit_a_phone_stay_level() -> None:
    fig = go.Figure(go.Bar(x=["Lộc", "Lộc Lộc"], y=[1, 2]))
    fig.update_layout(font={"size": 10}, margin={"b": 8})
    fitted = margins.fit(fig)
    assert fitted.layout.margin.b == 19 and fitted.layout.xaxis.autotickangles is None


def test_dates_along_an_axis_of_no_type_leave_the_figure_as_it_is() -> None:
    fig = go.Figure(go.Scatter(x=[pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01")], y=[1, 2]))
    fig.update_xaxes(automargin=True)
    assert margins.fit(fig).layout.xaxis.automargin is True


def test_a_top_axis_takes_the_top_margin() -> None:
    fig = go.Figure(go.Heatmap(z=[[1, 2]], x=["A", "B"], y=["Lộc"]))
    fig.update_layout(font={"size": 10}, margin={"t": 8, "b": 8})
    fig.update_xaxes(side="top", type="category")
    fitted = margins.fit(fig)
    assert fitted.layout.margin.t == 19 and fitted.layout.margin.b == 8


def test_every_figure_from_the_cache_is_drawn_without_automargin() -> None:
    """The browser draws a figure with automargin twice; the house builders' figures come out without it."""
    figures_cache.clear()
    ranking = pd.DataFrame({"commune": ["Xã A", "Thị trấn Hậu Lộc"], "regularity_rate": [0.9, 0.7]})
    outcomes = pd.DataFrame({"commune": ["Xã A", "Xã B"], **{o: [1, 2] for o in figures_views.OUTCOMES}})
    for ready, longest in (
        (
            figures_cache.figure(theme.rate_ranking, ranking, label_column="commune", rate_column="regularity_rate"),
            "Thị trấn Hậu Lộc",
        ),
        (
            figures_cache.figure(figures_views.outcome_bars, outcomes, label_column="commune", horizontal=True),
            "Xã B",
        ),
    ):
        layout = ready.figure.layout
        assert layout.xaxis.automargin is False and layout.yaxis.automargin is False
        assert layout.margin.l >= margins.text_width(longest, size=13) + margins.TICK_GAP
