"""Figures are built once per (builder, data, options, language) and reused; names are escaped once."""

from __future__ import annotations

from functools import partial

import pandas as pd
import plotly.graph_objects as go
import pytest

from ui import figures_cache, margins, theme

BUILT: list[tuple[str, str]] = []


def bars(df: pd.DataFrame, *, title: str = "", lang: str | None = None) -> go.Figure:
    BUILT.append((title, str(lang)))
    return go.Figure(go.Bar(x=df["rate"], y=df["commune"], name=title))


@pytest.fixture(autouse=True)
def _fresh() -> None:
    BUILT.clear()
    figures_cache.clear()


def frame(*rates: float) -> pd.DataFrame:
    return pd.DataFrame({"commune": [f"Xã {k}" for k in range(len(rates))], "rate": list(rates)})


def test_the_same_data_and_language_build_the_figure_once() -> None:
    first = figures_cache.figure(bars, frame(0.5, 0.9), title="a", lang="vi")
    again = figures_cache.figure(bars, frame(0.5, 0.9), title="a", lang="vi")  # an equal frame, not the same one
    assert again.figure is first.figure
    assert BUILT == [("a", "vi")]


def test_other_data_options_or_language_build_anew() -> None:
    figures_cache.figure(bars, frame(0.5, 0.9), title="a", lang="vi")
    figures_cache.figure(bars, frame(0.5, 0.8), title="a", lang="vi")
    figures_cache.figure(bars, frame(0.5, 0.9), title="b", lang="vi")
    figures_cache.figure(bars, frame(0.5, 0.9), title="a", lang="en")
    assert BUILT == [("a", "vi"), ("a", "vi"), ("b", "vi"), ("a", "en")]


def test_a_partial_s_bound_options_are_part_of_the_key() -> None:
    one = figures_cache.figure(partial(bars, title="a"), frame(0.5), lang="vi")
    two = figures_cache.figure(partial(bars, title="b"), frame(0.5), lang="vi")
    assert [t.name for t in one.figure.data] == ["a"]
    assert [t.name for t in two.figure.data] == ["b"]


def test_a_lambda_is_refused_because_the_key_cannot_see_what_it_reads() -> None:
    with pytest.raises(TypeError):
        figures_cache.figure(lambda df, lang=None: bars(df, lang=lang), frame(0.5), lang="vi")


def test_names_are_escaped_once_when_built_and_stay_so_when_reused() -> None:
    df = pd.DataFrame({"commune": ["<b>A & B</b>"], "rate": [0.5]})
    first = figures_cache.figure(bars, df, lang="vi")
    again = figures_cache.figure(bars, df, lang="vi")
    assert list(again.figure.data[0].y) == ["&lt;b&gt;A &amp; B&lt;/b&gt;"]
    assert first.figure is again.figure


def test_a_house_builder_gives_the_figure_it_gives_uncached() -> None:
    df = pd.DataFrame({"commune": ["Xã A", "Xã B"], "regularity_rate": [0.9, 0.7]})
    cached = figures_cache.figure(
        theme.rate_ranking, df, label_column="commune", rate_column="regularity_rate", target=0.85, lang="vi"
    )
    plain = theme.rate_ranking(df, label_column="commune", rate_column="regularity_rate", target=0.85, lang="vi")
    assert cached.figure.to_dict() == margins.fit(plain).to_dict()


def months(*rates: float) -> pd.DataFrame:
    return pd.DataFrame({"month": pd.date_range("2025-05-01", periods=len(rates), freq="MS").date, "rate": list(rates)})


def line(df: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    BUILT.append(("line", str(lang)))
    return go.Figure(go.Scatter(x=df["month"], y=df["rate"]))


def test_a_merger_line_is_drawn_once_on_a_figure_built_once() -> None:
    """`theme.marked` wraps another builder (an argument Streamlit cannot hash: it is keyed by its name); the
    shared figure gets its one line and label when built, and reuse adds none."""
    merger = (pd.Timestamp("2025-07-01").date(),)
    first = figures_cache.figure(theme.marked, line, months(0.9, 0.8, 0.85, 0.9), mergers=merger, lang="vi")
    again = figures_cache.figure(theme.marked, line, months(0.9, 0.8, 0.85, 0.9), mergers=merger, lang="vi")
    assert again.figure is first.figure
    assert BUILT == [("line", "vi")]
    assert len(first.figure.layout.shapes) == 1
    assert str(first.figure.layout.shapes[0].x0) == "2025-07-01"
    unmarked = figures_cache.figure(theme.marked, line, months(0.9, 0.8, 0.85, 0.9), mergers=(), lang="vi")
    assert unmarked.figure is not first.figure and len(unmarked.figure.layout.shapes) == 0
