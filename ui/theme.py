"""The house look of every chart, and pure figure builders (`DataFrame -> go.Figure`, no fetching, no `st.`).

`style_figure()` is the one helper that gives every plotly figure its look: system fonts with Vietnamese glyphs
(no web fonts: the product runs on a closed network), the party-red palette, transparent backgrounds so the
Streamlit light and dark themes both stay readable, the reader's number format (`layout.separators`: decimal
comma in Vietnamese), percent axes, and the participation target line.

A page builds a figure with one of the builders below and hands it to `ui.components.chart_with_download`.
Builders take the language explicitly (default: the current one) so tests can call them without Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data_access.filters import Month
from ui import escape
from ui import format as fmt
from ui.i18n import column_label, current_language, t

FONT_FAMILY = "'Liberation Sans', 'DejaVu Sans', 'Segoe UI', Roboto, Arial, sans-serif"
PRIMARY = "#b71c1c"
TARGET_COLOUR = "#2e7d32"
# Distinct in light and dark, red first (the party's colour), then colours that stay apart for colour-blind readers.
PALETTE = ("#c62828", "#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#5d4037", "#9e9d24")
STATUS_COLOURS = {
    "on_fixed_day": "#2e7d32",
    "other_day": "#f9a825",
    "missed": "#c62828",
    "not_due": "#9e9e9e",
}
GRID_COLOUR = "rgba(128,128,128,0.25)"
# Past this many lines (a province has 558 communes) a trend draws every series as one thin line of one trace,
# named on hover, without a legend: 558 traces with their legend take Chromium about 2 s to draw, one trace 0.1 s.
MAX_NAMED_SERIES = 40
# Past this many bars a ranking drops the value written on each bar (hover and the table still give it): placing
# 558 labels is a third of the chart's drawing time.
MAX_LABELLED_BARS = 60
MANY_SERIES_COLOUR = "rgba(21,101,192,0.35)"


def percent_texts(values: Sequence[float | None] | pd.Series, *, lang: str, decimals: int = 1) -> list[str]:
    """Rates as the reader writes them (`85,3 %` / `85.3%`), for `hovertext`: plotly's own `%{y:.1%}` cannot put
    the space Vietnamese wants before the percent sign."""
    return [fmt.percent(None if pd.isna(v) else float(v), decimals=decimals, lang=lang) for v in values]


def percent_ticks(*, lang: str, step: float = 0.2) -> dict[str, list[float] | list[str]]:
    """Tick positions and labels of a 0–100 % axis in the reader's format (`tickvals`, `ticktext`)."""
    count = round(1 / step)
    values = [round(k * step, 6) for k in range(count + 1)]
    return {"tickvals": values, "ticktext": [fmt.percent(v, decimals=0, lang=lang) for v in values]}


def _month_dates(values: pd.Series) -> pd.Series:
    return pd.Series([Month.parse(str(v)).first_day for v in values], index=values.index)


def style_figure(
    fig: go.Figure,
    *,
    lang: str | None = None,
    percent_axis: str | None = None,
    target: float | None = None,
    height: int | None = None,
    month_axis: str | None = None,
    percent_step: float = 0.2,
) -> go.Figure:
    """Apply the house look to `fig` in place and return it.

    `percent_axis` ("x" or "y") formats that axis as percentages from 0 to 100 % (ticks every `percent_step`, written
    `80 %` in Vietnamese, `80%` in English); `target` draws the dashed target
    line on it with its label; `month_axis` ("x" or "y") shows dates as months in the reader's language.
    """
    lang = lang or current_language()
    fig.update_layout(
        font={"family": FONT_FAMILY, "size": 13},
        separators=fmt.plotly_separators(lang),
        colorway=list(PALETTE),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        margin={"l": 8, "r": 8, "t": 36, "b": 8},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0, "title": None},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        title={"font": {"size": 15}},
    )
    fig.update_xaxes(gridcolor=GRID_COLOUR, zerolinecolor=GRID_COLOUR, automargin=True)
    fig.update_yaxes(gridcolor=GRID_COLOUR, zerolinecolor=GRID_COLOUR, automargin=True)
    if height:
        fig.update_layout(height=height)
    if percent_axis:
        update = fig.update_yaxes if percent_axis == "y" else fig.update_xaxes
        update(tickmode="array", **percent_ticks(lang=lang, step=percent_step), range=[0, 1.04], rangemode="tozero")
    if month_axis:
        update = fig.update_xaxes if month_axis == "x" else fig.update_yaxes
        update(tickformat="%m/%Y" if lang == "vi" else "%b %Y", type="date")
    if target is not None and percent_axis:
        label = t("participation.target_line", lang=lang, target=fmt.percent(target, decimals=0, lang=lang))
        line = {"color": TARGET_COLOUR, "width": 2, "dash": "dash"}
        if percent_axis == "y":
            fig.add_hline(y=target, line=line, annotation_text=label, annotation_position="bottom right")
        else:
            # No text on a vertical line: it would sit on the bars; the definition beside the chart names the target.
            fig.add_vline(x=target, line=line)
    return fig


REFORM_COLOUR = "#6a1b9a"


def mark_mergers(fig: go.Figure, dates: Sequence[dt.date], *, lang: str | None = None) -> go.Figure:
    """Mark each merger day of `dates` that the figure's time axis crosses with a vertical line and its label, in
    place: on a date axis, at the day when it falls after the first point and by the last; on an axis of quarters
    (`fmt.quarter` labels), at the start of the merger's quarter when that is not the first one shown. Any other
    figure is left as it is."""
    if not dates:
        return fig
    lang = lang or current_language()
    shown: list[dt.date] = []
    categories: list[str] = []
    for trace in fig.data:
        xs = getattr(trace, "x", None)
        if xs is not None:
            shown += [v.date() if isinstance(v, pd.Timestamp) else v for v in xs if isinstance(v, dt.date)]
            categories += [v for v in xs if isinstance(v, str) and v not in categories]
    for day in sorted(set(dates)):
        where: object = None
        if shown and min(shown) < day <= max(shown):
            where = day
        elif not shown:
            quarter = fmt.quarter(f"{day.year}-Q{(day.month - 1) // 3 + 1}", lang=lang)
            if quarter in categories[1:]:
                where = categories.index(quarter) - 0.5  # between the quarter before and the merger's
        if where is None:
            continue
        # a shape and an annotation: plotly's add_vline cannot place a label on a date axis; the label sits at the
        # foot of the line, clear of rates that run near 100 %
        line = {"color": REFORM_COLOUR, "width": 2, "dash": "dot"}
        fig.add_shape(type="line", xref="x", yref="paper", x0=where, x1=where, y0=0, y1=1, line=line)
        text = t("chart.reform", lang=lang, date=fmt.date(day, lang=lang))
        fig.add_annotation(
            x=where, xref="x", y=0, yref="paper", xanchor="left", yanchor="bottom", showarrow=False, text=text,
            font={"color": REFORM_COLOUR},
        )  # fmt: skip
    return fig


def marked(
    build: Callable[..., go.Figure], *args: Any, mergers: tuple[dt.date, ...] = (), lang: str, **options: Any
) -> go.Figure:
    """`build(*args, lang=lang, **options)` with the merger days `mergers` marked (`mark_mergers`): a figure builder
    for `ui.figures_cache.figure`, so the marked figure is built once like any other, never marked again."""
    return mark_mergers(build(*args, lang=lang, **options), mergers, lang=lang)


def rate_trend(
    df: pd.DataFrame,
    *,
    rate_columns: Sequence[str],
    month_column: str = "month",
    series_column: str | None = None,
    target: float | None = None,
    lang: str | None = None,
) -> go.Figure:
    """Lines of one or more rates by month. With `series_column`, one line per value (e.g. per commune) of the
    single rate in `rate_columns`; otherwise one line per rate column, named by its header."""
    lang = lang or current_language()
    fig = go.Figure()
    x = _month_dates(df[month_column]) if len(df) else pd.Series(dtype="object")
    x_hover = "%{x|%m/%Y}" if lang == "vi" else "%{x|%b %Y}"
    if series_column and df[series_column].nunique() > MAX_NAMED_SERIES:
        fig.add_trace(_one_trace_of_many(df, x=x, rate=rate_columns[0], series_column=series_column, lang=lang))
        fig.update_layout(showlegend=False)
    elif series_column:
        rate = rate_columns[0]
        for name, part in df.groupby(series_column, sort=False):
            fig.add_trace(
                go.Scatter(
                    x=x.loc[part.index],
                    y=part[rate],
                    name=str(name),
                    mode="lines+markers",
                    hovertext=percent_texts(part[rate], lang=lang),
                    hovertemplate=f"{escape.plot(name)}<br>{x_hover}: %{{hovertext}}<extra></extra>",
                )
            )
    else:
        for rate in rate_columns:
            label = column_label(rate, lang=lang)
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=df[rate],
                    name=label,
                    mode="lines+markers",
                    hovertext=percent_texts(df[rate], lang=lang),
                    hovertemplate=f"{label}<br>{x_hover}: %{{hovertext}}<extra></extra>",
                )
            )
    return style_figure(fig, lang=lang, percent_axis="y", target=target, month_axis="x", height=360)


SPREAD_FILL = "rgba(21,101,192,0.14)"
OVERALL_COLOUR = "#1a237e"
WORST_COLOURS = ("#c62828", "#ef6c00", "#ad1457")


def spread_trend(
    per_place: pd.DataFrame,
    overall: pd.DataFrame,
    *,
    rate_column: str,
    place_column: str,
    worst: Sequence[str],
    target: float | None = None,
    lang: str | None = None,
) -> go.Figure:
    """One rate by month for many places at once, readable at any count: the band from the lowest to the highest
    place each month, the line of all of them together (`overall`, one row per month), and a named line for each
    place in `worst` (the weakest of the period). Twenty-two lines and a legend of 22 were spaghetti."""
    lang = lang or current_language()
    x_hover = "%{x|%m/%Y}" if lang == "vi" else "%{x|%b %Y}"
    fig = go.Figure()
    rates = per_place.dropna(subset=[rate_column])
    if len(rates):
        spread = rates.groupby("month", sort=True)[rate_column].agg(["min", "max"]).reset_index()
        months = _month_dates(spread["month"])
        fig.add_trace(
            go.Scatter(x=months, y=spread["min"], mode="lines", line={"width": 0}, hoverinfo="skip", showlegend=False)
        )
        fig.add_trace(
            go.Scatter(
                x=months,
                y=spread["max"],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=SPREAD_FILL,
                name=t("trend.spread", lang=lang),
                customdata=percent_texts(spread["min"], lang=lang),
                hovertext=percent_texts(spread["max"], lang=lang),
                hovertemplate=f"{x_hover}: %{{customdata}} – %{{hovertext}}<extra>{t('trend.spread', lang=lang)}</extra>",
            )
        )
    drawn = overall.dropna(subset=[rate_column])
    if len(drawn):
        label = t("trend.overall", lang=lang)
        fig.add_trace(
            go.Scatter(
                x=_month_dates(drawn["month"]),
                y=drawn[rate_column],
                name=label,
                mode="lines+markers",
                line={"color": OVERALL_COLOUR, "width": 3},
                hovertext=percent_texts(drawn[rate_column], lang=lang),
                hovertemplate=f"{label}<br>{x_hover}: %{{hovertext}}<extra></extra>",
            )
        )
    for colour, name in zip(WORST_COLOURS, worst, strict=False):
        part = rates[rates[place_column] == name]
        fig.add_trace(
            go.Scatter(
                x=_month_dates(part["month"]),
                y=part[rate_column],
                name=str(name),
                mode="lines+markers",
                line={"color": colour, "width": 1.5, "dash": "dot"},
                marker={"size": 5},
                hovertext=percent_texts(part[rate_column], lang=lang),
                hovertemplate=f"{escape.plot(name)}<br>{x_hover}: %{{hovertext}}<extra></extra>",
            )
        )
    return style_figure(fig, lang=lang, percent_axis="y", target=target, month_axis="x", height=380)


def _one_trace_of_many(df: pd.DataFrame, *, x: pd.Series, rate: str, series_column: str, lang: str) -> go.Scatter:
    """Every series of `df` as one thin line of a single trace (a gap between series), its name in the hover.

    Built from arrays (one row of `df` is one point; series in the order they first appear, each followed by a gap):
    a Python loop per series and lists of Python objects made plotly's checks take most of a second at 558."""
    codes, names = pd.factorize(df[series_column], sort=False)
    order = np.argsort(codes, kind="stable")
    at = np.arange(len(df)) + codes[order]  # each earlier series leaves one gap before this point
    size = len(df) + len(names)
    xs = np.full(size, None, dtype=object)
    ys = np.full(size, np.nan)
    who = np.full(size, None, dtype=object)
    texts = np.full(size, None, dtype=object)
    xs[at] = np.asarray([d.isoformat() for d in x], dtype=object)[order]
    ys[at] = df[rate].to_numpy(dtype="float64", na_value=np.nan)[order]
    who[at] = np.asarray([str(n) for n in names], dtype=object)[codes[order]]
    texts[at] = np.asarray(percent_texts(df[rate], lang=lang), dtype=object)[order]
    # Lines only (a marker per point is 7,000 SVG nodes at 558 communes); a point with no neighbour on its line (a
    # lone month between gaps) gets a marker, or it would not show at all.
    lone = ~np.isnan(ys) & np.isnan(np.r_[np.nan, ys[:-1]]) & np.isnan(np.r_[ys[1:], np.nan])
    x_hover = "%{x|%m/%Y}" if lang == "vi" else "%{x|%b %Y}"
    return go.Scatter(
        x=xs,
        y=ys,
        customdata=who,
        hovertext=texts,
        mode="lines+markers" if lone.any() else "lines",
        line={"color": MANY_SERIES_COLOUR, "width": 1},
        marker={"color": MANY_SERIES_COLOUR, "size": np.where(lone, 5, 0)},
        connectgaps=False,
        name=column_label(rate, lang=lang),
        hovertemplate=f"%{{customdata}}<br>{x_hover}: %{{hovertext}}<extra></extra>",
    )


def rate_span(values: Sequence[float | None] | pd.Series, *, target: float | None = None) -> tuple[float, float]:
    """The part of the 0–100 % axis a ranking needs: from a little under the lowest value (or the target) to a
    little over the highest, on whole 5 points, at least 10 points wide. Places at 91–100 % then spread across the
    chart instead of all ending at the same place on a 0–100 % axis."""
    known = [float(v) for v in values if v is not None and pd.notna(v)]
    if target is not None:
        known.append(target)
    if not known:
        return 0.0, 1.0
    low = max(0.0, np.floor((min(known) - 0.02) * 20) / 20)
    high = min(1.0, np.ceil((max(known) + 0.005) * 20) / 20)
    if high - low < 0.1:
        low = max(0.0, high - 0.1)
    return float(low), float(high)


def _span_ticks(low: float, high: float, *, lang: str) -> dict[str, list[float] | list[str]]:
    width = high - low
    step = 0.05 if width <= 0.3 else 0.1 if width <= 0.6 else 0.2
    first = np.ceil(low / step - 1e-9) * step
    values = [round(float(v), 6) for v in np.arange(first, high + 1e-9, step)]
    return {"tickvals": values, "ticktext": [fmt.percent(v, decimals=0, lang=lang) for v in values]}


def rate_ranking(
    df: pd.DataFrame,
    *,
    label_column: str,
    rate_column: str,
    target: float | None = None,
    lang: str | None = None,
) -> go.Figure:
    """A dot per place on `rate_column`, the worst at the top, on an axis spanning the values (`rate_span`) so
    that the differences show; dots below the target red. The values are written in a column at the right edge
    (up to `MAX_LABELLED_BARS` places) and the target's label above the chart, so the target line crosses no text.
    """
    lang = lang or current_language()
    ordered = df.sort_values(rate_column, ascending=True, na_position="first", kind="stable")
    values = ordered[rate_column]
    labels = [str(v) for v in ordered[label_column]]
    colours = [PALETTE[0] if (target is not None and pd.notna(v) and v < target) else PALETTE[1] for v in values]
    written = len(ordered) <= MAX_LABELLED_BARS
    texts = [fmt.percent(v, lang=lang) for v in values]
    fig = go.Figure(
        go.Scatter(
            x=values,
            y=labels,
            mode="markers",
            marker={"color": colours, "size": 11, "line": {"width": 1, "color": "white"}},
            text=texts if written else None,
            hovertext=percent_texts(values, lang=lang),
            hovertemplate="%{y}: %{hovertext}<extra></extra>",
            name=column_label(rate_column, lang=lang),
            cliponaxis=False,
        )
    )
    low, high = rate_span(values, target=target)
    annotations: list[dict[str, object]] = []
    if written:
        annotations = [
            {
                "x": 1.0,
                "xref": "paper",
                "xanchor": "left",
                "xshift": 10,
                "y": position,  # the category's index: names are escaped on the axis when drawn
                "yref": "y",
                "text": text,
                "showarrow": False,
                "font": {"size": 12},
            }
            for position, text in enumerate(texts)
        ]
    fig.update_layout(
        showlegend=False,
        annotations=annotations,
        yaxis={"type": "category", "autorange": "reversed", "showgrid": True},
        xaxis={"range": [low - 0.005, high + 0.005], "tickmode": "array", **_span_ticks(low, high, lang=lang)},
    )
    height = max(240, 28 * len(ordered) + 90)
    style_figure(fig, lang=lang, height=height)
    fig.update_layout(margin={"l": 8, "r": 70 if written else 8, "t": 36, "b": 8})
    if target is not None:
        label = t("participation.target_line", lang=lang, target=fmt.percent(target, decimals=0, lang=lang))
        fig.add_vline(
            x=target,
            line={"color": TARGET_COLOUR, "width": 2, "dash": "dash"},
            annotation_text=label,
            annotation_position="top",
            annotation_font_color=TARGET_COLOUR,
        )
    return fig


def cell_month_status(df: pd.DataFrame) -> pd.Series:
    """The status code of each due cell-month row: `on_fixed_day`, `other_day` or `missed`."""
    return pd.Series(
        [
            "on_fixed_day" if fixed else "other_day" if held else "missed"
            for held, fixed in zip(df["held"], df["on_fixed_day"], strict=True)
        ],
        index=df.index,
        dtype="object",
    )


def _short_labels(labels: Sequence[str], *, width: int = 30) -> list[str]:
    """Labels cut to `width` characters (an ellipsis marks the cut) and made unique with a counter."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        short = label if len(label) <= width else label[: width - 1].rstrip() + "…"
        seen[short] = seen.get(short, 0) + 1
        out.append(short if seen[short] == 1 else f"{short} ({seen[short]})")
    return out


def cell_month_grid(df: pd.DataFrame, *, months: Sequence[str], lang: str | None = None) -> go.Figure:
    """A heatmap: one row per cell, one column per month of the period; colour = held on the fixed day / held on
    another day / missed / not due (a month with no due row). `df` has the columns of `metrics.cell_months`."""
    lang = lang or current_language()
    codes = ("not_due", "missed", "other_day", "on_fixed_day")
    df = df.assign(status=cell_month_status(df), full=df["organisation"] + " · " + df["cell"])
    cell_ids = list(dict.fromkeys(zip(df["cell_id"], df["full"], df["cell"], df["commune"], strict=True)))
    index = {cell_id: i for i, (cell_id, *_rest) in enumerate(cell_ids)}
    rows = _short_labels([f"{cell} – {commune}" for _id, _full, cell, commune in cell_ids])
    full_names = [full for _id, full, _cell, _commune in cell_ids]
    col_index = {m: j for j, m in enumerate(months)}
    z = [[0] * len(months) for _ in cell_ids]
    text = [[t("cell_month.not_due", lang=lang)] * len(months) for _ in cell_ids]
    hover = [[full] * len(months) for full in full_names]
    for cell_id, month, status in zip(df["cell_id"], df["month"], df["status"], strict=True):
        if month in col_index:
            i, j = index[cell_id], col_index[month]
            z[i][j] = codes.index(status)
            text[i][j] = t(f"cell_month.{status}", lang=lang)
    n = len(codes)
    scale = []
    for k, code in enumerate(codes):
        scale += [[k / n, STATUS_COLOURS[code]], [(k + 1) / n, STATUS_COLOURS[code]]]
    x = [fmt.month(m, lang=lang) for m in months]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=rows,
            text=text,
            customdata=hover,
            zmin=-0.5,
            zmax=n - 0.5,
            colorscale=scale,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{customdata}<br>%{x}: %{text}<extra></extra>",
        )
    )
    # A legend for the four states: empty scatter traces carry the names and colours.
    for code in reversed(codes):
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 12, "symbol": "square", "color": STATUS_COLOURS[code]},
                name=t(f"cell_month.{code}", lang=lang),
            )
        )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top", showgrid=False)
    fig.update_layout(legend={"y": -0.02, "yanchor": "top", "orientation": "h"}, margin={"t": 48})
    height = max(260, 22 * len(rows) + 120)
    style_figure(fig, lang=lang, height=height)
    fig.update_layout(legend={"y": -0.02, "yanchor": "top"}, margin={"t": 48})
    fig.update_yaxes(showgrid=False)
    return fig


def absence_bars(df: pd.DataFrame, *, label_column: str, lang: str | None = None) -> go.Figure:
    """Stacked bars of the unexcused and excused absence shares per place (`tables.absence_shares`), in its order
    (the highest unexcused share at the top); the hover gives the counts behind each share."""
    lang = lang or current_language()
    fig = go.Figure()
    for share, count, colour in (
        ("unexcused_share", "absent_unexcused", PALETTE[0]),
        ("excused_share", "absent_excused", "#90a4ae"),
    ):
        label = column_label(share, lang=lang)
        counts = [
            t("participation.absence_hover", lang=lang, n=fmt.number(n, lang=lang), of=fmt.number(e, lang=lang))
            for n, e in zip(df[count], df["expected"], strict=True)
        ]
        fig.add_trace(
            go.Bar(
                x=df[share],
                y=df[label_column],
                orientation="h",
                name=label,
                marker_color=colour,
                customdata=counts,
                hovertext=percent_texts(df[share], lang=lang),
                hovertemplate=f"%{{y}}<br>{label}: %{{hovertext}} (%{{customdata}})<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    style_figure(fig, lang=lang, height=max(240, 28 * len(df) + 100))
    total = (df["unexcused_share"].fillna(0) + df["excused_share"].fillna(0)).max() if len(df) else 0
    high = max(0.05, float(np.ceil((total + 0.005) * 20) / 20))
    fig.update_xaxes(range=[0, high], tickmode="array", **_span_ticks(0.0, high, lang=lang))
    return fig


def sparkline_values(df: pd.DataFrame, *, column: str) -> list[float]:
    """The values of a monthly series for `st.metric(chart_data=...)`: missing months dropped."""
    return [float(v) for v in df[column] if pd.notna(v)]


def band_bars(df: pd.DataFrame, *, target: float | None = None, lang: str | None = None) -> go.Figure:
    """Meetings per 5-point band of their participation rate (`details.meeting_rate_distribution`): a histogram
    drawn from counts made in SQL, bands below the target in red."""
    lang = lang or current_language()
    widths = [max(b - a, 0.01) for a, b in zip(df["rate_from"], df["rate_to"], strict=True)]
    labels = [
        fmt.percent(a, decimals=0, lang=lang)
        if a >= 1
        else f"{fmt.percent(a, decimals=0, lang=lang)}–{fmt.percent(b, decimals=0, lang=lang)}"
        for a, b in zip(df["rate_from"], df["rate_to"], strict=True)
    ]
    colours = [PALETTE[0] if target is not None and a + 0.05 <= target else PALETTE[1] for a in df["rate_from"]]
    fig = go.Figure(
        go.Bar(
            x=[a + w / 2 for a, w in zip(df["rate_from"], widths, strict=True)],
            y=df["meetings"],
            width=[w * 0.92 for w in widths],
            marker_color=colours,
            customdata=labels,
            hovertemplate="%{customdata}: %{y:,}<extra></extra>",
            name=t("participation.count_meetings", lang=lang),
        )
    )
    fig.update_layout(showlegend=False)
    fig.update_yaxes(title=t("participation.count_meetings", lang=lang))
    style_figure(fig, lang=lang, percent_axis="x", height=340, percent_step=0.1)
    fig.update_xaxes(range=[0, 1.03])
    return fig
