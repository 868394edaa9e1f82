"""Names are data: shown as written, never as Markdown, HTML or a link (no Streamlit here).

A commune, organisation or cell name comes from an imported file, and a link parameter from anyone. Streamlit
renders Markdown (links, images fetched by every viewer's browser, bold, `:material/…:` icons, `:red[…]`
colours, `$…$` formulas) in titles, headers, captions, notices, expander and tab labels; plotly renders a subset
of HTML (`<b>`, `<i>`, `<a href>`, `<br>`) in tick labels, legends, hovers and titles. Every such text that holds
a name goes through `md` or `plot` here, at the place it is drawn; tables (`st.dataframe`) show text as is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

# Every ASCII punctuation mark may be backslash-escaped in CommonMark; these are the ones Markdown, GitHub
# extensions or Streamlit's directives give a meaning to (the colon for `:icon:` and `:red[…]`).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&\"'])")
_NEWLINES = re.compile(r"[\r\n]+")


# Streamlit also turns bare addresses into links after the Markdown is parsed (GitHub's "autolink literals":
# `http://…`, `www.…`, `name@host.tld`), past any escape; an invisible word joiner breaks each such pattern.
WORD_JOINER = "\u2060"
_AUTOLINKS = re.compile(r"(?i)(\b(?:https?|ftp|mailto)(?=:)|\bwww(?=\.)|@)")


def md(text: object) -> str:
    """`text` for a Streamlit element that renders Markdown: every character shown as written, on one line, and
    no address made a link."""
    plain = _AUTOLINKS.sub(lambda m: m.group(1) + WORD_JOINER, _NEWLINES.sub(" ", str(text)))
    return _MARKDOWN.sub(r"\\\1", plain)


def md_all(names: Iterable[object]) -> list[str]:
    return [md(n) for n in names]


def md_params(params: Mapping[str, object] | None) -> dict[str, Any]:
    """Catalogue parameters for a Markdown text: the texts escaped (names), numbers left to the catalogue."""
    return {k: md(v) if isinstance(v, str) else v for k, v in (params or {}).items()}


def plot(text: object) -> str:
    """`text` for a plotly label, legend entry or hover: `<`, `>` and `&` as entities, which plotly shows as the
    characters themselves (its pseudo-HTML then has no tag to render)."""
    return html.escape(str(text), quote=False)


def unplot(text: object) -> str:
    """The name behind a plotly label made by `plot` (a clicked bar reports its label)."""
    return html.unescape(str(text))


_DATA_ATTRIBUTES = ("x", "y", "z", "text", "hovertext", "labels", "parents", "customdata")


def _escaped(values: Any) -> Any:
    if isinstance(values, str):
        return plot(values)
    if isinstance(values, tuple | list):
        return type(values)(_escaped(v) for v in values)
    if isinstance(values, np.ndarray) and values.dtype.kind in "OUS":
        return np.array(_escaped(values.tolist()), dtype=object)
    return values


def figure(fig: Any) -> Any:
    """Escape the data texts of every trace of a plotly figure (category labels, texts, hover data, legend names),
    leaving the figure's own formatting (hover templates, titles) alone. Returns `fig`, changed in place."""
    for trace in fig.data:
        for attribute in _DATA_ATTRIBUTES:
            if attribute in trace and trace[attribute] is not None:
                trace[attribute] = _escaped(trace[attribute])
        if "name" in trace and isinstance(trace.name, str):
            trace.name = plot(trace.name)
    for axis in ("xaxis", "yaxis"):
        ticks = fig.layout[axis].ticktext
        if ticks is not None:
            fig.layout[axis].ticktext = _escaped(ticks)
    return fig
