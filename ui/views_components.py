"""Rendering blocks of the Thematic topics, Inspections, Classification and Organisations views, built on the
shared ones in `ui.components`: a chart or table that says so when it has no rows, and a selection reader.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import components as ui
from ui import escape, figures_cache
from ui.i18n import t


def empty_block(*, title: str, title_params: Mapping[str, Any] | None = None, message: str = "msg.empty") -> None:
    """A titled box holding the "no data" message, where a chart or table would be."""
    with st.container(border=True):
        st.subheader(t(title, **escape.md_params(title_params)), anchor=False)
        st.info(t(message), icon=":material/filter_alt_off:")


def chart(
    data: pd.DataFrame,
    build: Callable[[pd.DataFrame], go.Figure],
    *,
    drawn: pd.DataFrame | None = None,
    **kwargs: Any,
) -> Any:
    """`ui.components.chart_with_download` of `build(data)`, or the titled "no data" message when `data` is empty.

    `build` is a figure builder or a `functools.partial` of one: the figure is built once per data and language
    (`ui.figures_cache`). `drawn`: the rows the chart draws when not all of `data` (`ui.places.drawn`); the table
    and the downloads hold `data`."""
    if data.empty:
        empty_block(title=kwargs["title"], title_params=kwargs.get("title_params"))
        return None
    return ui.chart_with_download(figures_cache.figure(build, data if drawn is None else drawn), data, **kwargs)


SHORT_TABLE_ROWS = 10
TABLE_HEIGHT = 400


def table(data: pd.DataFrame, **kwargs: Any) -> None:
    """`ui.components.table_with_download`, or the titled "no data" message when `data` is empty. A short table
    takes the height of its rows; a long one scrolls inside `TABLE_HEIGHT` pixels."""
    if data.empty:
        empty_block(title=kwargs["title"], title_params=kwargs.get("title_params"), message="views.no_rows")
        return
    kwargs.setdefault("height", "auto" if len(data) <= SHORT_TABLE_ROWS else TABLE_HEIGHT)
    ui.table_with_download(data, **kwargs)


def selected_labels(chart_key: str, *, axis: str = "y") -> list[str]:
    """The `axis` values of the points selected in the chart rendered with key `chart_key` (in an `on_select`
    callback, before the chart is drawn again)."""
    event = st.session_state.get(f"{chart_key}_chart")
    if event is None:
        return []
    selection = event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    points = selection.get("points", []) if isinstance(selection, dict) else getattr(selection, "points", [])
    return [escape.unplot(p[axis]) for p in points or [] if isinstance(p, dict) and p.get(axis) is not None]
