"""Figures built once per (builder, data, options, language) and reused by every later run, for every viewer.

Building a plotly figure goes through plotly's validators for every property set (`style_figure`'s layout and
axes, the target line, each trace): about a third of the server's CPU on a page switch whose data was already
cached. A figure is a pure function of its builder's arguments (`ui.theme`, `ui.figures_views`: DataFrames in,
figure out, the language explicit), so it is built on its first use and kept (`st.cache_resource`, shared, never
changed after: `st.plotly_chart` copies it before sending).

    fig = figures_cache.figure(theme.rate_ranking, ranking, label_column="commune", rate_column="regularity_rate")
    ui.chart_with_download(fig, ranking, key=..., ...)

The builder is a module-level function or a `functools.partial` of one (its bound arguments are part of the key);
a lambda could read page variables the key cannot see, so it is refused. The house look stays in `ui.theme`. The
figures carry no colour of the Streamlit theme (transparent backgrounds, colours readable on both), so the theme is
not part of the key.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from ui import escape, margins
from ui.i18n import current_language

MAX_FIGURES = 256


@dataclass(frozen=True)
class ReadyFigure:
    """A built figure, its data texts already escaped (`ui.escape.figure`) and its margins fixed (`ui.margins.fit`);
    shared by every viewer: read only."""

    figure: go.Figure


def _unwrap(build: Callable[..., go.Figure]) -> tuple[Callable[..., go.Figure], tuple[Any, ...], dict[str, Any]]:
    args: tuple[Any, ...] = ()
    options: dict[str, Any] = {}
    while isinstance(build, functools.partial):
        args, options = (*build.args, *args), {**build.keywords, **options}
        build = build.func
    if getattr(build, "__name__", "<lambda>") == "<lambda>" or "<locals>" in getattr(build, "__qualname__", ""):
        raise TypeError("a figure builder must be a module-level function or a functools.partial of one")
    return build, args, options


def _name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def figure(build: Callable[..., go.Figure], *args: Any, lang: str | None = None, **options: Any) -> ReadyFigure:
    """`build(*args, lang=lang, **options)`, escaped, built once per distinct arguments (DataFrames by content).

    A builder given as an argument (`theme.marked(theme.rate_trend, …)`: a builder wrapping another) is keyed by
    its name, as `build` is: Streamlit's hasher cannot hash a function."""
    function, bound_args, bound_options = _unwrap(build)
    every = (*bound_args, *args)
    key = tuple(_name(_unwrap(a)[0]) if inspect.isroutine(a) else a for a in every)
    return ReadyFigure(
        _built(_name(function), function, lang or current_language(), key, {**bound_options, **options}, every)
    )


@st.cache_resource(max_entries=MAX_FIGURES, show_spinner=False)
def _built(
    name: str,
    _function: Callable[..., go.Figure],
    lang: str,
    key: tuple[Any, ...],
    options: Mapping[str, Any],
    _args: tuple[Any, ...],
) -> go.Figure:
    """The figure; `key` stands for `_args` in the cache's key (each builder among them by its name). Its margins are
    fixed here (`ui.margins`), so that the browser draws it once."""
    return margins.fit(escape.figure(_function(*_args, lang=lang, **options)))


def clear() -> None:
    """Forget every built figure."""
    _built.clear()
