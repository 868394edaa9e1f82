"""The briefing's two charts as SVG text: vector in the PDF, drawn here from the numbers (no browser, no network,
no web font: the text uses the document's serif font, which the PDF engine embeds).

`ranking_svg`: one bar per place (worst first, as the table) for its participation rate in the month, bars below
the target in red, a dashed line at the target. `trend_svg`: regularity and participation over 12 months, with the
target line.
"""

from __future__ import annotations

import math
from html import escape

import pandas as pd

from data_access.briefing import texts as tx
from data_access.briefing.content import Briefing

FONT = "Liberation Serif, Times New Roman, serif"
INK = "#1a1a1a"
GRID = "#c8c8c8"
RED = "#b71c1c"
BLUE = "#1f4e79"
GOLD = "#b8860b"
WIDTH = 600


def _text(x: float, y: float, text: str, *, size: float = 10, anchor: str = "start", fill: str = INK) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}">{escape(text)}</text>'
    )


def _svg(height: float, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}">' + "".join(parts) + "</svg>"
    )


def _short(name: str, limit: int = 34) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def ranking_svg(briefing: Briefing, lang: str) -> str:
    """Participation per place of the ranking, in the ranking's order, against the target."""
    table = briefing.ranking
    label_column = "commune" if briefing.ranked_by == "commune" else "cell"
    row, top, left, right = 17.0, 8.0, 190.0, 50.0
    plot = WIDTH - left - right
    height = top + row * len(table) + 24
    parts = []
    for tick in range(0, 101, 20):
        x = left + plot * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - 20:.1f}" stroke="{GRID}" />')
        parts.append(_text(x, height - 8, tx.percent(tick / 100, lang, decimals=0), size=10, anchor="middle"))
    for i, r in enumerate(table.itertuples(index=False)):
        y = top + row * i
        parts.append(_text(left - 6, y + row * 0.72, _short(str(getattr(r, label_column))), size=10, anchor="end"))
        rate = r.participation_rate
        if pd.isna(rate):
            parts.append(_text(left + 4, y + row * 0.72, tx.MISSING, size=10))
            continue
        colour = RED if rate < briefing.target else BLUE
        width = plot * min(max(float(rate), 0.0), 1.0)
        parts.append(
            f'<rect x="{left:.1f}" y="{y + 2:.1f}" width="{width:.1f}" height="{row - 4:.1f}" fill="{colour}" />'
        )
        parts.append(_text(left + width + 4, y + row * 0.72, tx.percent(rate, lang), size=10))
    x = left + plot * briefing.target
    parts.append(
        f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 20:.1f}" stroke="{GOLD}" '
        'stroke-width="1.5" stroke-dasharray="5,3" />'
    )
    return _svg(height, parts)


def trend_svg(briefing: Briefing, lang: str) -> str:
    """Regularity and participation per month of the 12 to the briefing's month, with the target line."""
    trend = briefing.trend
    series = {"regularity_rate": BLUE, "participation_rate": RED}
    values = [float(v) for c in series for v in trend[c] if pd.notna(v)] + [briefing.target]
    low = max(0.0, math.floor(min(values) * 10) / 10 - 0.1)
    top, bottom, left, right, height = 10.0, 46.0, 46.0, 20.0, 230.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (1 - low))

    step = plot_w / max(len(trend) - 1, 1)
    parts = []
    tick = low
    while tick <= 1.0001:
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="{GRID}" />')
        parts.append(_text(left - 4, y + 3, tx.percent(tick, lang, decimals=0), size=10, anchor="end"))
        tick += 0.1
    for i, month in enumerate(trend["month"]):
        parts.append(_text(left + step * i, height - bottom + 14, tx.month(str(month), lang), size=10, anchor="middle"))
    y = y_of(briefing.target)
    parts.append(
        f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="{GOLD}" stroke-width="1.5" '
        'stroke-dasharray="5,3" />'
    )
    for column, colour in series.items():
        points = [(left + step * i, y_of(float(v))) for i, v in enumerate(trend[column]) if pd.notna(v)]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" />')
        parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}" />' for x, y in points)
    legend_y = height - 10
    x = left
    for column, colour in series.items():
        parts.append(f'<rect x="{x}" y="{legend_y - 8}" width="14" height="3" fill="{colour}" />')
        label = tx.word(f"kpi.{column}", lang)
        parts.append(_text(x + 18, legend_y - 3, label, size=10))
        x += 34 + 5.2 * len(label)
    parts.append(
        f'<line x1="{x}" y1="{legend_y - 6.5}" x2="{x + 14}" y2="{legend_y - 6.5}" stroke="{GOLD}" '
        'stroke-width="1.5" stroke-dasharray="4,2" />'
    )
    target = tx.percent(briefing.target, lang, decimals=0)
    parts.append(_text(x + 18, legend_y - 3, tx.word("chart.target", lang, target=target), size=10))
    return _svg(height, parts)
