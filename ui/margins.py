"""Margins worked out on the server, so that the browser draws each chart once.

With `automargin` on an axis, plotly.js draws the chart, measures the tick labels and titles, widens the margins and
draws the whole chart again. That second drawing was a third to a half of Chromium's time for a chart: 606 → 204 ms
for the communes ranking of a province (558 names), 156 → 63 ms for a district's (20), in headless Chromium
(plotly.js `newPlot`, automargin on both axes against margins given here). Tick labels and axis titles are known when
the figure is built (category names, the ticks written by `ui.theme`, the size of the numbers on a value axis), so
`fit(fig)` reserves their room from their text and turns `automargin` off.

A label's width is estimated from its characters at the figure's font size, with room to spare: a margin a little
wider than needed leaves blank space; a narrower one would cut a name. Names along x with no angle given slant in
plotly.js when they do not fit the chart's width, which only the browser knows (a phone's chart is 300 px wide):
when they might, the axis gets the room of labels slanted by `SLANT` degrees and may slant them that far only
(`autotickangles`). A figure with values whose labels cannot be told here (dates along an axis of no type) is left
as it is.
"""

from __future__ import annotations

import math
import numbers
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

DEFAULT_FONT_SIZE = 13
LINE_HEIGHT = 1.3  # a line of text, in font sizes
TICK_GAP = 6  # px between the axis line and its labels
TITLE_GAP = 10  # px around an axis title
SPARE = 1.08  # labels are measured a little wider than estimated
FLAT_X_WIDTH = 200  # px: x labels adding up to this fit side by side on a phone's chart, so they never slant
SLANT = 30  # degrees: how far labels that do not fit may slant
# Advance widths of Liberation Sans (Arial's metrics), in thousandths of the font size; an accented letter is as wide
# as its base letter (Vietnamese marks sit above or below it), any other character is taken as wide as an "M".
_ASCII = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
_ASCII_WIDTHS = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 "
    "556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 "
    "778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 "
    "222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584"
)
_WIDTHS = dict(zip(_ASCII, map(int, _ASCII_WIDTHS.split()), strict=True)) | {
    "Đ": 722,
    "đ": 556,
    "·": 278,
    "–": 556,
    "—": 1000,
    "…": 1000,
    "\u00a0": 278,
}
_OTHER_WIDTH = 833


def text_width(text: str, *, size: float) -> float:
    """The width in px of `text` written at `size` px in Liberation Sans (an estimate on the wide side)."""
    thousandths = 0
    for char in unicodedata.normalize("NFC", text):
        width = _WIDTHS.get(char)
        if width is None:
            base = unicodedata.normalize("NFD", char)[0]
            width = _WIDTHS.get(base, _OTHER_WIDTH)
        thousandths += width
    return thousandths / 1000 * size * SPARE


def fit(fig: go.Figure) -> go.Figure:
    """Give `fig` fixed margins wide enough for its tick labels and axis titles, and turn `automargin` off on every
    axis, in place; a figure with an axis whose room cannot be known here is left as it is. Returns `fig`."""
    layout: Mapping[str, Any] = fig.layout.to_plotly_json()
    traces = [_placed(trace) for trace in fig.data]
    size = float((layout.get("font") or {}).get("size") or DEFAULT_FONT_SIZE)
    axes = sorted({name for name in layout if name.startswith(("xaxis", "yaxis"))} | _used_axes(traces))
    margin = dict(layout.get("margin") or {})
    pushes: dict[str, float] = {}
    slanting = []
    for name in axes:
        axis = layout.get(name) or {}
        room = _axis_room(name, axis, traces, layout, size=size)
        if room is None:
            return fig
        if _may_slant(name, axis, traces, size=size):
            slanting.append(name)
        side = _side(name, axis)
        pushes[side] = max(pushes.get(side, 0.0), room)
    for side, room in pushes.items():
        margin[side] = max(float(margin.get(side) or 0), math.ceil(room))
    fig.update_layout(margin=margin)
    for name in axes:
        fig.layout[name].automargin = False
    for name in slanting:
        fig.layout[name].autotickangles = [0, SLANT]
    return fig


def _placed(trace: Any) -> dict[str, Any]:
    """What of a trace says where it draws: its axes and its values along them (arrays as the figure holds them;
    `to_plotly_json` would give them as encoded typed arrays)."""
    return {name: trace[name] for name in ("x", "y", "xaxis", "yaxis") if name in trace}


def _used_axes(traces: Iterable[Mapping[str, Any]]) -> set[str]:
    """The axes the traces draw on (`x`, `y2` …) as layout names (`xaxis`, `yaxis2` …)."""
    used = set()
    for trace in traces:
        for letter in ("x", "y"):
            anchor = str(trace.get(f"{letter}axis") or letter)
            used.add(f"{letter}axis{anchor[1:]}")
    return used


def _side(name: str, axis: Mapping[str, Any]) -> str:
    if name.startswith("x"):
        return "t" if axis.get("side") == "top" else "b"
    return "r" if axis.get("side") == "right" else "l"


def _title_text(axis: Mapping[str, Any]) -> str:
    title = axis.get("title")
    if isinstance(title, Mapping):
        return str(title.get("text") or "")
    return str(title or "")


def _axis_room(
    name: str, axis: Mapping[str, Any], traces: Sequence[Mapping[str, Any]], layout: Mapping[str, Any], *, size: float
) -> float | None:
    """The px the axis needs beside the plot (labels and title), or None when that cannot be told here."""
    if axis.get("visible") is False:
        return 0.0
    tick_size = float((axis.get("tickfont") or {}).get("size") or size)
    labels = [] if axis.get("showticklabels") is False else _labels(name, axis, traces, layout)
    if labels is None:
        return None
    widest = max((text_width(label, size=tick_size) for label in labels), default=0.0)
    title = _title_text(axis)
    title_room = size * LINE_HEIGHT + TITLE_GAP if title else 0.0
    if name.startswith("y"):
        return (widest + TICK_GAP if labels else 0.0) + title_room
    if not labels:
        return title_room
    angle = axis.get("tickangle")
    if not (isinstance(angle, int | float) and angle % 180) and _may_slant(name, axis, traces, size=size):
        angle = SLANT
    if isinstance(angle, int | float) and angle % 180:
        slant = math.radians(abs(angle))
        return widest * math.sin(slant) + tick_size * LINE_HEIGHT * math.cos(slant) + TICK_GAP + title_room
    return tick_size * LINE_HEIGHT + TICK_GAP + title_room


def _may_slant(name: str, axis: Mapping[str, Any], traces: Sequence[Mapping[str, Any]], *, size: float) -> bool:
    """True for names along x, with no angle given, that would not fit side by side on a phone's chart."""
    if not name.startswith("x") or axis.get("tickangle") not in (None, "auto") or axis.get("showticklabels") is False:
        return False
    if not (axis.get("type") in ("category", "multicategory") or _texts(name, traces)):
        return False
    labels = _labels(name, axis, traces, {}) or []
    tick_size = float((axis.get("tickfont") or {}).get("size") or size)
    return sum(text_width(label, size=tick_size) + TICK_GAP for label in labels) > FLAT_X_WIDTH


def _values(name: str, traces: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    """The values each trace on axis `name` puts along it (its x or y)."""
    letter = name[0]
    anchor = letter + name[5:]
    found = []
    for trace in traces:
        if str(trace.get(f"{letter}axis") or letter) != anchor:
            continue
        values = trace.get(letter)
        if values is None or isinstance(values, str | Mapping):
            continue
        found.append([v for v in values if v is not None and not (_is_number(v) and not math.isfinite(float(v)))])
    return found


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _texts(name: str, traces: Sequence[Mapping[str, Any]]) -> bool:
    return any(isinstance(v, str) for values in _values(name, traces) for v in values)


def _labels(
    name: str, axis: Mapping[str, Any], traces: Sequence[Mapping[str, Any]], layout: Mapping[str, Any]
) -> list[str] | None:
    """The tick labels the axis will write (or ones as wide), or None when they cannot be told."""
    if axis.get("ticktext") is not None:
        return [str(v) for v in axis["ticktext"]]
    values = _values(name, traces)
    if axis.get("type") in ("category", "multicategory") or _texts(name, traces):
        return list(dict.fromkeys(str(v) for part in values for v in part))
    tick_format = str(axis.get("tickformat") or "")
    if axis.get("type") == "date" or "%m" in tick_format or "%b" in tick_format:
        return ["12/2025" if "%m" in tick_format else "Sep 2025"]
    parts = [[abs(float(v)) for v in part if _is_number(v)] for part in values]
    if any(len(numbers_) < len(part) for numbers_, part in zip(parts, values, strict=True)):
        return None  # dates or other values along an axis of no declared type
    stacked = layout.get("barmode") in ("stack", "relative")
    bound = (
        sum(max(part, default=0.0) for part in parts)
        if stacked
        else max((max(p, default=0.0) for p in parts), default=0.0)
    )
    if "%" in tick_format:
        return [f"{bound * 100:,.0f}.0 %"]
    return [f"{bound:,.0f}.0"]  # room for one decimal: 2,5 between 2 and 3
