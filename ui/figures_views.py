"""Figure builders of the Thematic topics, Inspections, Classification and Organisations views, and the pure table
shaping they need (`DataFrame -> go.Figure` / `DataFrame -> DataFrame`; no fetching, no `st.`).

Every figure gets the house look from `ui.theme.style_figure`; every word on it comes from the catalogue (imported
in `ui.i18n`). Builders take `lang` explicitly (default: the current language).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from data_access.metrics import CLASSIFICATION_LEVELS
from data_access.models import OUTCOMES
from data_access.vnsort import vn_key, vn_order
from ui import escape
from ui import format as fmt
from ui.i18n import column_label, current_language, t, vocab_label
from ui.theme import MAX_LABELLED_BARS, PALETTE, percent_texts, style_figure

OUTCOME_COLOURS = {
    "commended": "#2e7d32",
    "satisfactory": "#1565c0",
    "correction_required": "#ef6c00",
    "disciplined": "#c62828",
}
LEVEL_COLOURS = {"excellent": "#1b5e20", "good": "#66bb6a", "complete": "#f9a825", "not_complete": "#c62828"}
# Enough distinct colours for every topic of a quarter (the house palette first).
TOPIC_COLOURS = (*PALETTE, "#283593", "#f06292", "#00695c", "#8d6e63", "#546e7a", "#fbc02d", "#7cb342")
HEAT_SCALE = [[0.0, "rgba(198,40,40,0.06)"], [0.0001, "#ffcdd2"], [0.5, "#e57373"], [1.0, "#b71c1c"]]


def quarter_text(value: str, *, lang: str | None = None) -> str:
    """`2025-Q1` → vi `Quý 1/2025`, en `Q1 2025`."""
    return fmt.quarter(value, lang=lang)


YEAR_COLUMNS = ("first_year", "last_year")


def screen_ready(df: pd.DataFrame) -> pd.DataFrame:
    """A copy the shared table formatter shows well: nullable integers (`days_left`, `duration_min`) as plain
    values or None, and year columns as text (never `2.021`). CSV of it is the same text as of `df`."""
    out = df.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.Int64Dtype):
            out[column] = pd.Series(
                [None if pd.isna(v) else int(v) for v in out[column]], index=out.index, dtype=object
            )
        elif column in YEAR_COLUMNS:
            out[column] = out[column].astype(str)
    return out


def _height(rows: int, *, per_row: int = 28, minimum: int = 240, extra: int = 100) -> int:
    return max(minimum, per_row * rows + extra)


# --------------------------------------------------------------------------------------------------------------
# Thematic topics


def topic_counts(df: pd.DataFrame, *, labels: Mapping[str, str] | None = None, lang: str | None = None) -> go.Figure:
    """Horizontal bars: thematic meetings per topic (`metrics.topics` by topic), most held at the top."""
    lang = lang or current_language()
    labels = labels or {}
    ordered = df.sort_values("meetings", ascending=True, kind="stable")
    names = [labels.get(v, v) for v in ordered["topic"]]
    fig = go.Figure(
        go.Bar(
            x=ordered["meetings"],
            y=_short_labels(names, 34),
            orientation="h",
            marker_color=PALETTE[1],
            text=[fmt.number(v, lang=lang) for v in ordered["meetings"]],
            textposition="auto",
            textangle=0,
            customdata=list(zip(names, ordered["cells"], strict=True)),
            hovertemplate="%{customdata[0]}<br>"
            + column_label("meetings", lang=lang)
            + ": %{x:,}<br>"
            + column_label("cells", lang=lang)
            + ": %{customdata[1]:,}<extra></extra>",
        )
    )
    fig.update_layout(showlegend=False)
    fig.update_yaxes(type="category")
    return style_figure(fig, lang=lang, height=_height(len(ordered), per_row=34))


QUARTERS_LEVEL = 6  # quarter labels stay level up to this many


def topic_quarters(df: pd.DataFrame, *, labels: Mapping[str, str] | None = None, lang: str | None = None) -> go.Figure:
    """Stacked bars: thematic meetings per quarter (x), one colour per topic (`metrics.topics` by quarter)."""
    lang = lang or current_language()
    labels = labels or {}
    quarters = list(dict.fromkeys(df["quarter"]))
    x = [quarter_text(q, lang=lang) for q in quarters]
    fig = go.Figure()
    for k, topic in enumerate(sorted(set(df["topic"]), key=lambda tp: vn_key(labels.get(tp, tp)))):
        part = df[df["topic"] == topic].set_index("quarter")["meetings"]
        name = labels.get(topic, topic)
        fig.add_trace(
            go.Bar(
                x=x,
                y=[int(part.get(q, 0)) for q in quarters],
                name=_shorten(name, 44),
                marker_color=TOPIC_COLOURS[k % len(TOPIC_COLOURS)],
                hovertemplate=f"{escape.plot(name)}<br>%{{x}}: %{{y:,}}<extra></extra>",
            )
        )
    # Past a few quarters the labels slant; the legend below then moves down so that they never overlap.
    many = len(quarters) > QUARTERS_LEVEL
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category", tickangle=-45 if many else 0)
    fig.update_yaxes(title=t("topics.axis_meetings", lang=lang))
    style_figure(fig, lang=lang, height=380 + 22 * len(fig.data) + (60 if many else 0))
    fig.update_layout(legend={"y": -0.3 if many else -0.12, "yanchor": "top", "orientation": "h"})
    return fig


# Past this many communes the topic heatmap writes no count in its squares and leaves no gap between them (the count
# is in the hover): 558 rows of written, separated squares take Chromium 3 s to draw, plain ones 0.25 s.
MAX_WRITTEN_HEAT_ROWS = 60


def topic_heatmap(
    df: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    label_column: str = "commune",
    cells: Mapping[str, int] | None = None,
    lang: str | None = None,
) -> go.Figure:
    """A heatmap of thematic meetings: one row per commune (or other `label_column` value: provinces), one column
    per topic (`metrics.topics` by commune or province).

    With `cells` (each place's cells in the period, `data_access.units.cells_in_period`) a square's colour is the
    share of the place's cells that held the topic, so a big commune does not wash out the rest; the hover gives
    the cells and meetings behind it, and a zero is written as 0. Without it, the colour is the meeting count."""
    lang = lang or current_language()
    labels = labels or {}
    communes = sorted(set(df[label_column]), key=vn_key)
    topics = sorted(set(df["topic"]), key=vn_key)
    counts = {(c, tp): int(n) for c, tp, n in zip(df[label_column], df["topic"], df["meetings"], strict=True)}
    z: list[list[float]] = [[counts.get((c, tp), 0) for tp in topics] for c in communes]
    short = _short_labels([labels.get(tp, tp) for tp in topics], 24)
    names = [labels.get(tp, tp) for tp in topics]
    if cells is not None:
        held = {(c, tp): int(n) for c, tp, n in zip(df[label_column], df["topic"], df["cells"], strict=True)}
        hover = [
            [
                t(
                    "topics.heat_hover",
                    lang=lang,
                    held=fmt.number(held.get((c, tp), 0), lang=lang),
                    cells=fmt.number(cells.get(c, 0), lang=lang),
                    meetings=fmt.number(counts.get((c, tp), 0), lang=lang),
                )
                for tp in topics
            ]
            for c in communes
        ]
        z = [[held.get((c, tp), 0) / cells[c] if cells.get(c) else 0.0 for tp in topics] for c in communes]
        fig = _share_heatmap(z, names=names, short=short, communes=communes, hover=hover, lang=lang)
        if len(communes) > MAX_WRITTEN_HEAT_ROWS:
            fig.update_traces(text=None, texttemplate=None)
    elif len(communes) > MAX_WRITTEN_HEAT_ROWS:
        fig = _plain_heatmap(z, names=names, short=short, communes=communes)
    else:
        fig = _written_heatmap(z, names=names, short=short, communes=communes, lang=lang)
    fig.update_yaxes(autorange="reversed", type="category", showgrid=False)
    fig.update_xaxes(type="category", side="top", showgrid=False, tickangle=-45)
    style_figure(fig, lang=lang, height=_height(len(communes), per_row=30, extra=200))
    return fig


def _share_heatmap(
    z: list[list[float]],
    *,
    names: list[str],
    short: list[str],
    communes: list[str],
    hover: list[list[str]],
    lang: str,
) -> go.Figure:
    return go.Figure(
        go.Heatmap(
            z=z,
            x=short,
            y=communes,
            customdata=[[(name, words) for name, words in zip(names, row, strict=True)] for row in hover],
            colorscale=HEAT_SCALE,
            zmin=0,  # the scale's first stop is for "no cell held it", never for the smallest share
            zmax=1,
            xgap=2,
            ygap=2,
            text=[[fmt.percent(v, decimals=0, lang=lang) if v else "0" for v in row] for row in z],
            texttemplate="%{text}",
            showscale=False,
            hovertemplate="%{y}<br>%{customdata[0]}: %{text}<br>%{customdata[1]}<extra></extra>",
        )
    )


def _written_heatmap(
    z: list[list[float]], *, names: list[str], short: list[str], communes: list[str], lang: str
) -> go.Figure:
    full = [names for _ in communes]
    return go.Figure(
        go.Heatmap(
            z=z,
            x=short,
            y=communes,
            customdata=full,
            colorscale=HEAT_SCALE,
            zmin=0,  # the scale's first stop is for "no meeting", never for the smallest count
            zmax=max([1, *(v for row in z for v in row)]),
            xgap=2,
            ygap=2,
            text=[[fmt.number(v, lang=lang) if v else "" for v in row] for row in z],
            texttemplate="%{text}",
            showscale=False,
            hovertemplate="%{y}<br>%{customdata}: %{z:,}<extra></extra>",
        )
    )


def _plain_heatmap(z: list[list[float]], *, names: list[str], short: list[str], communes: list[str]) -> go.Figure:
    """The heatmap of many communes: the full topic names on x (the hover shows them) written short as ticks."""
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=names,
            y=communes,
            colorscale=HEAT_SCALE,
            zmin=0,  # the scale's first stop is for "no meeting", never for the smallest count
            zmax=max([1, *(v for row in z for v in row)]),
            showscale=False,
            hovertemplate="%{y}<br>%{x}: %{z:,}<extra></extra>",
        )
    )
    fig.update_xaxes(tickmode="array", tickvals=names, ticktext=short)
    return fig


def _shorten(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _short_labels(names: Sequence[str], width: int) -> list[str]:
    """Names cut to `width` for a phone-width axis; the full names when cutting would make two of them equal."""
    short = [_shorten(n, width) for n in names]
    return short if len(set(short)) == len(set(names)) else list(names)


def quarter_rate(df: pd.DataFrame, *, rate_column: str, lang: str | None = None) -> go.Figure:
    """A line of one rate per quarter (`metrics.thematic` by quarter), as percentages."""
    lang = lang or current_language()
    label = column_label(rate_column, lang=lang)
    fig = go.Figure(
        go.Scatter(
            x=[quarter_text(q, lang=lang) for q in df["quarter"]],
            y=df[rate_column],
            mode="lines+markers",
            name=label,
            line={"color": PALETTE[0], "width": 3},
            hovertext=percent_texts(df[rate_column], lang=lang),
            hovertemplate=f"{label}<br>%{{x}}: %{{hovertext}}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    fig.update_layout(showlegend=False)
    return style_figure(fig, lang=lang, percent_axis="y", height=320)


# --------------------------------------------------------------------------------------------------------------
# Inspections


def outcome_bars(
    df: pd.DataFrame,
    *,
    label_column: str,
    horizontal: bool = False,
    label_vocabulary: str | None = None,
    lang: str | None = None,
) -> go.Figure:
    """Stacked bars of inspections per outcome (`metrics.inspections`), one bar per value of `label_column`
    (quarters along x, or communes / bodies / kinds down y when `horizontal`)."""
    lang = lang or current_language()
    values = list(df[label_column])
    if label_column == "quarter":
        labels = [quarter_text(v, lang=lang) for v in values]
    elif label_vocabulary:
        labels = [vocab_label(label_vocabulary, str(v), lang=lang) for v in values]
    else:
        labels = [str(v) for v in values]
    fig = go.Figure()
    for outcome in OUTCOMES:
        name = vocab_label("outcome", outcome, lang=lang)
        counts = df[outcome]
        bar = (
            go.Bar(x=counts, y=labels, orientation="h", hovertemplate=f"%{{y}}<br>{name}: %{{x:,}}<extra></extra>")
            if horizontal
            else go.Bar(x=labels, y=counts, hovertemplate=f"%{{x}}<br>{name}: %{{y:,}}<extra></extra>")
        )
        bar.update(name=name, marker_color=OUTCOME_COLOURS[outcome])
        fig.add_trace(bar)
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    if horizontal:
        fig.update_yaxes(autorange="reversed", type="category")
        fig.update_xaxes(title=t("inspections.axis_count", lang=lang))
        height = _height(len(labels), extra=130)
    else:
        fig.update_xaxes(type="category")
        fig.update_yaxes(title=t("inspections.axis_count", lang=lang))
        height = 360
    return style_figure(fig, lang=lang, height=height)


def commended_vs_corrected(inspections_by_quarter: pd.DataFrame) -> pd.DataFrame:
    """Per quarter: inspections, commended, and corrected (= correction required + disciplined)."""
    df = inspections_by_quarter
    return pd.DataFrame(
        {
            "quarter": df["quarter"],
            "inspections": df["inspections"].astype("int64"),
            "commended": df["commended"].astype("int64"),
            "corrected": (df["correction_required"] + df["disciplined"]).astype("int64"),
        }
    ).reset_index(drop=True)


def balance_bars(df: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Grouped bars per quarter: commended against corrected (`commended_vs_corrected`)."""
    lang = lang or current_language()
    x = [quarter_text(q, lang=lang) for q in df["quarter"]]
    fig = go.Figure()
    for column, colour in (("commended", OUTCOME_COLOURS["commended"]), ("corrected", OUTCOME_COLOURS["disciplined"])):
        name = column_label(column, lang=lang)
        fig.add_trace(
            go.Bar(
                x=x,
                y=df[column],
                name=name,
                marker_color=colour,
                hovertemplate=f"%{{x}}<br>{name}: %{{y:,}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title=t("inspections.axis_count", lang=lang))
    return style_figure(fig, lang=lang, height=320)


# --------------------------------------------------------------------------------------------------------------
# Classification


def level_shares(df: pd.DataFrame) -> pd.DataFrame:
    """`metrics.classification` rows with each level as a share of `rated` (`<level>_share`)."""
    out = df.copy()
    rated = out["rated"].astype("float64")
    for level in CLASSIFICATION_LEVELS:
        out[f"{level}_share"] = (out[level].astype("float64") / rated.where(rated != 0)).astype("float64")
    return out


def level_mix(df: pd.DataFrame, *, label_column: str, horizontal: bool = False, lang: str | None = None) -> go.Figure:
    """100 % stacked bars of the classification levels (`metrics.classification`), one bar per `label_column`
    value (years along x in order, or places down y when `horizontal`, the lowest share good or above at the top);
    hover gives the count and the share."""
    lang = lang or current_language()
    shares = level_shares(df)
    if horizontal:  # places ranked: the lowest share good or above first, at the top
        shares = shares.sort_values(
            ["good_or_above_share", "not_complete_share"], ascending=[True, False], na_position="last", kind="stable"
        )
    labels = [str(v) for v in shares[label_column]]
    fig = go.Figure()
    for level in CLASSIFICATION_LEVELS:
        name = vocab_label("rating", level, lang=lang)
        share = shares[f"{level}_share"]
        text: list[str] | None = [
            fmt.percent(v, decimals=0, lang=lang) if pd.notna(v) and v >= 0.08 else "" for v in share
        ]
        if len(labels) > MAX_LABELLED_BARS:  # hover still gives the share
            text = None
        common = {
            "name": name,
            "marker_color": LEVEL_COLOURS[level],
            "customdata": shares[level],
            "text": text,
            "textposition": "inside",
            "hovertext": percent_texts(share, lang=lang, decimals=0),
        }
        if horizontal:
            fig.add_trace(
                go.Bar(
                    x=share,
                    y=labels,
                    orientation="h",
                    hovertemplate=f"%{{y}}<br>{name}: %{{customdata}} (%{{hovertext}})<extra></extra>",
                    **common,
                )
            )
        else:
            fig.add_trace(
                go.Bar(
                    x=labels,
                    y=share,
                    hovertemplate=f"%{{x}}<br>{name}: %{{customdata}} (%{{hovertext}})<extra></extra>",
                    **common,
                )
            )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    if horizontal:
        fig.update_yaxes(autorange="reversed", type="category")
        return style_figure(fig, lang=lang, percent_axis="x", height=_height(len(labels), extra=140))
    fig.update_xaxes(type="category")
    return style_figure(fig, lang=lang, percent_axis="y", height=360)


def year_rate(df: pd.DataFrame, *, rate_column: str, lang: str | None = None) -> go.Figure:
    """A line of one rate per year (`metrics.classification` by year)."""
    lang = lang or current_language()
    label = column_label(rate_column, lang=lang)
    fig = go.Figure(
        go.Scatter(
            x=[str(y) for y in df["year"]],
            y=df[rate_column],
            mode="lines+markers+text",
            text=[fmt.percent(v, lang=lang) for v in df[rate_column]],
            textposition="top center",
            cliponaxis=False,
            name=label,
            line={"color": LEVEL_COLOURS["good"], "width": 3},
            hovertext=percent_texts(df[rate_column], lang=lang),
            hovertemplate=f"{label}<br>%{{x}}: %{{hovertext}}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    fig.update_layout(showlegend=False)
    return style_figure(fig, lang=lang, percent_axis="y", height=320)


def level_grid(df: pd.DataFrame, *, years: Sequence[int], lang: str | None = None) -> go.Figure:
    """A grid: one row per base organisation, one column per year, coloured by its level
    (`browse.organisation_levels`); a year without a rating stays blank."""
    lang = lang or current_language()
    rows = list(dict.fromkeys(zip(df["commune"], df["organisation"], strict=True)))
    index = {key: i for i, key in enumerate(rows)}
    columns = {int(y): j for j, y in enumerate(years)}
    codes = list(CLASSIFICATION_LEVELS)
    z: list[list[float | None]] = [[None] * len(years) for _ in rows]
    text = [[""] * len(years) for _ in rows]
    for commune, org, year, level in zip(df["commune"], df["organisation"], df["year"], df["level"], strict=True):
        if int(year) in columns and level in codes:
            i, j = index[(commune, org)], columns[int(year)]
            z[i][j] = codes.index(level)
            text[i][j] = vocab_label("rating", level, lang=lang)
    n = len(codes)
    scale = []
    for k, code in enumerate(codes):
        scale += [[k / n, LEVEL_COLOURS[code]], [(k + 1) / n, LEVEL_COLOURS[code]]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(y) for y in years],
            y=[org for _, org in rows],
            text=text,
            zmin=-0.5,
            zmax=n - 0.5,
            colorscale=scale,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
        )
    )
    for code in codes:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 12, "symbol": "square", "color": LEVEL_COLOURS[code]},
                name=vocab_label("rating", code, lang=lang),
            )
        )
    fig.update_yaxes(autorange="reversed", type="category", showgrid=False)
    fig.update_xaxes(type="category", side="top", showgrid=False)
    style_figure(fig, lang=lang, height=_height(len(rows), per_row=24, extra=150))
    fig.update_layout(legend={"y": -0.02, "yanchor": "top", "orientation": "h"}, margin={"t": 48})
    return fig


# --------------------------------------------------------------------------------------------------------------
# Organisations: one table of each unit's figures, from the metric tables


UNIT_KPI_COLUMNS = (
    "regularity_rate",
    "on_fixed_day_rate",
    "participation_rate",
    "thematic_coverage",
    "superior_attendance_rate",
)


def unit_kpis(
    regularity: pd.DataFrame,
    participation: pd.DataFrame,
    thematic: pd.DataFrame,
    superior: pd.DataFrame,
    *,
    keys: Sequence[str],
) -> pd.DataFrame:
    """One row per unit (the group columns `keys` of the metric tables): its rates side by side, in the order of
    the regularity table (every due unit), joined with the units that only have meetings."""
    table = regularity[[*keys, "due_cell_months", "regularity_rate", "on_fixed_day_rate"]]
    for other, columns in (
        (participation, ["meetings", "participation_rate"]),
        (thematic, ["thematic_coverage"]),
        (superior, ["superior_attendance_rate"]),
    ):
        table = table.merge(other[[*keys, *columns]], on=list(keys), how="left")
    table = table.iloc[vn_order(*[table[k].tolist() for k in keys])].reset_index(drop=True)
    table["meetings"] = table["meetings"].fillna(0).astype("int64")
    return table[[*keys, "due_cell_months", "meetings", *UNIT_KPI_COLUMNS]]
