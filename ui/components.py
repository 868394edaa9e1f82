"""Rendering blocks every page uses: header, KPI cards, chart and table with downloads, definitions, empty state.

A page is thin::

    from ui import components as ui, data, theme
    from ui.filters import current_filters, current_scope

    filters, scope = frame.start_page("nav.regularity").filters, current_scope()
    table = data.metric("regularity", filters=filters, scope=scope, by="month")
    if ui.empty(table):
        st.stop()
    fig = theme.rate_trend(table, rate_columns=["regularity_rate"])
    ui.chart_with_download(fig, table, key="reg_trend", view="regularity", title="regularity.trend_title",
                           definition="def.regularity_rate")

Text arguments are catalogue keys (`ui.i18n`), so every word on screen comes from the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, cast

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data_access.metrics import Kpi
from data_access.settings import get_settings
from ui import escape, margins, tables
from ui import format as fmt
from ui.downloads import DataSource, download_buttons, rate_columns
from ui.figures_cache import ReadyFigure
from ui.filters import FRAME_KEY, FilterState
from ui.i18n import column_labels, current_language, t, vocab_label

PERCENT_KPIS = {
    "regularity_rate",
    "on_fixed_day_rate",
    "participation_rate",
    "thematic_coverage",
    "superior_attendance_rate",
    "good_or_above_share",
}
# How a change reads: "normal" (up is good), "inverse" (up is bad), "off" (neither).
KPI_DELTA_COLOURS = {
    "organisations": "off",
    "cells": "off",
    "members": "off",
    "inspections": "off",
    "thematic_meetings": "off",
    "topics_used": "off",
    "rated": "off",
    "overdue_follow_ups": "inverse",
    "corrected": "inverse",
}
DEFINITIONS_SHOWN_KEY = "_definitions_shown"
UNIT_KPIS = ("organisations", "cells", "members", "rated")
# Columns holding stored codes, shown by their label (`<vocabulary>.<code>` in the catalogue).
VOCABULARY_COLUMNS = {
    "kind": "meeting_kind",
    "outcome": "outcome",
    "level": "rating",
    "organisation_kind": "organisation_kind",
    "inspection_kind": "inspection_kind",
    "follow_up_status": "follow_up_status",
    "cell_kind": "cell_kind",
    "sector": "sector",
    "quality": "quality",
    "level_of": "unit_level",
}


# Long Vietnamese KPI labels ("Tỷ lệ đảng viên tham gia sinh hoạt") wrap instead of being cut with an ellipsis. On
# a phone the KPI cards (`kpi_row`, in a container keyed `kpis_…`) go two to a row, not one: ten cards one under
# the other made the Overview 4,200 px tall before its first chart.
PAGE_CSS = """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricLabel"] { height: auto !important; min-height: 2.6em; align-items: flex-start !important; }
@media (max-width: 640px) {
  [class*="st-key-kpis_"] [data-testid="stHorizontalBlock"] {
    flex-flow: row wrap !important; gap: 0.5rem !important;
  }
  [class*="st-key-kpis_"] [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.25rem) !important; width: calc(50% - 0.25rem) !important;
    min-width: calc(50% - 0.25rem) !important; max-width: calc(50% - 0.25rem) !important;
  }
  [class*="st-key-kpis_"] [data-testid="stColumn"]:not(:has([data-testid="stMetric"])) { display: none !important; }
  [class*="st-key-kpis_"] [data-testid="stMetricValue"] { font-size: 1.6rem !important; }
  [class*="st-key-kpis_"] [data-testid="stMetricLabel"] { min-height: 0; font-size: 0.8rem; }
}
</style>"""


def page_header(title_key: str, *, state: FilterState) -> None:
    """The page title, the demo badge, and the scope in words under it."""
    st.html(PAGE_CSS)
    st.session_state[DEFINITIONS_SHOWN_KEY] = set()  # this run's page has shown no definition yet
    st.title(t(title_key), anchor=False)
    if get_settings().demo_mode:
        st.badge(t("app.demo_badge"), icon=":material/science:", color="orange", help=t("app.demo_help"))
    st.caption(escape.md(state.words()))


def empty(df: pd.DataFrame | None) -> bool:
    """Show the "no data for these filters" message when `df` has no rows; True when it was shown."""
    if df is None or df.empty:
        st.info(t("msg.empty"), icon=":material/filter_alt_off:")
        return True
    return False


def definition(key: str, **params: Any) -> None:
    """A metric's definition (catalogue key `def.*`), in small print next to its chart."""
    text = t(key, **params)
    _shown_definitions().add(text)
    st.caption(f"**{t('msg.definition')}:** {text}")


def _shown_definitions() -> set[str]:
    shown = st.session_state.get(DEFINITIONS_SHOWN_KEY)
    if not isinstance(shown, set):
        shown = st.session_state[DEFINITIONS_SHOWN_KEY] = set()
    return shown


def titled_block_head(
    title: str | None,
    title_params: Mapping[str, Any] | None,
    definition_key: str | None,
    definition_params: Mapping[str, Any] | None,
) -> None:
    """A block's title and its definition: written out the first time the page shows that definition, and behind
    the title's help icon after that (Participation wrote the same 40 words three times)."""
    text = t(definition_key, **(definition_params or {})) if definition_key else None
    repeat = text is not None and text in _shown_definitions()
    if title:
        st.subheader(t(title, **escape.md_params(title_params)), anchor=False, help=text if repeat else None)
    if definition_key and not repeat:
        definition(definition_key, **(definition_params or {}))


def kpi_value(kpi: str, value: float | None) -> str:
    return fmt.percent(value) if kpi in PERCENT_KPIS else fmt.number(value)


def kpi_unchanged(kpi: str, change: float | None) -> bool:
    """True when the change shows as nothing (`0`, `0,0 điểm %`): no arrow and no colour then."""
    return change is not None and not any(ch in "123456789" for ch in (kpi_change(kpi, change) or ""))


def kpi_change(kpi: str, change: float | None) -> str | None:
    if change is None:
        return None
    return fmt.points(change) if kpi in PERCENT_KPIS else fmt.signed_number(change)


def kpi_row(
    kpis: Mapping[str, Kpi],
    *,
    sparklines: Mapping[str, Sequence[float]] | None = None,
    per_row: int = 5,
    target: float | None = None,
) -> None:
    """KPI cards: value, change against the previous period, a sparkline, the definition as help (the
    participation target, default from the settings, filled into the definitions that name it).

    `kpis` maps a KPI id (`metrics.KPI_IDS`) to an object with `value`, `previous` and `change` (`metrics.Kpi`).
    Cards wrap `per_row` to a row; on a phone two to a row (`PAGE_CSS`).
    """
    sparklines = sparklines or {}
    target = get_settings().target_participation if target is None else target
    ids = list(kpis)
    if not ids:
        return
    with st.container(key=f"kpis_{ids[0]}"):
        _kpi_cards(kpis, ids, sparklines=sparklines, per_row=per_row, target=target)


def _kpi_cards(
    kpis: Mapping[str, Kpi], ids: list[str], *, sparklines: Mapping[str, Sequence[float]], per_row: int, target: float
) -> None:
    for start in range(0, len(ids), per_row):
        columns = st.columns(per_row)
        for column, kpi in zip(columns, ids[start : start + per_row], strict=False):
            item = kpis[kpi]
            help_params = {"target": fmt.percent(target, decimals=0)}
            # a number compared with a previous period that has none says so, rather than showing no arrow
            no_previous = item.compared and item.value is not None and item.previous is None
            plain = no_previous or kpi_unchanged(kpi, item.change)
            # an unchanged count of units says nothing worth a grey "0" chip
            silent = plain and not no_previous and kpi in UNIT_KPIS
            with column:
                st.metric(
                    t(f"kpi.{kpi}"),
                    kpi_value(kpi, item.value),
                    delta=None if silent else t("msg.no_previous") if no_previous else kpi_change(kpi, item.change),
                    delta_color=cast(
                        Literal["normal", "inverse", "off"], "off" if plain else KPI_DELTA_COLOURS.get(kpi, "normal")
                    ),
                    help=t(f"def.{kpi}", **help_params) + "  \n" + t("msg.change_help"),
                    chart_data=list(sparklines.get(kpi, ())) or None,
                    chart_type="area",
                    border=True,
                    height="stretch",
                    delta_arrow="off" if plain else "auto",
                )


NAME_COLUMNS = ("province", "commune", "organisation", "cell", "name", "body", "topic", "rank")


def display_frame(
    df: pd.DataFrame, *, percent_columns: Sequence[str] | None = None, lang: str | None = None
) -> pd.DataFrame:
    """A copy of `df` for the screen: headers in the reader's language, months as `03/2025`, stored codes as their
    labels, dates as `dd/mm/yyyy`. Numbers stay numbers, so a click on a header sorts them as numbers; how they
    read (`85,3 %`, `9.000`) is `number_columns`' column configuration."""
    lang = lang or current_language()  # once: reading it from the session state per value costs seconds
    out = pd.DataFrame(index=df.index)
    for column in df.columns:
        series = df[column]
        if column == "month":
            out[column] = [fmt.month(str(v), lang=lang) for v in series]
        elif column == "quarter":
            out[column] = [fmt.quarter(str(v), lang=lang) for v in series]
        elif column in VOCABULARY_COLUMNS:
            out[column] = [
                fmt.MISSING
                if v is None or (not isinstance(v, str) and pd.isna(v))
                else vocab_label(VOCABULARY_COLUMNS[column], str(v), lang=lang)
                for v in series
            ]
        elif pd.api.types.is_bool_dtype(series) or column == "history" or pd.api.types.is_numeric_dtype(series):
            out[column] = series
        elif series.map(lambda v: hasattr(v, "isoformat") and not isinstance(v, str)).any():
            out[column] = [fmt.date(v, lang=lang) if v is not None and not pd.isna(v) else fmt.MISSING for v in series]
        elif series.dtype == object:  # a column with no date at all, or text with gaps: a dash, never "None"
            out[column] = [fmt.MISSING if v is None or (isinstance(v, float) and v != v) else v for v in series]
        else:
            out[column] = series
    return out.rename(columns=column_labels([str(c) for c in df.columns], lang=lang))


def number_columns(
    df: pd.DataFrame, *, percent_columns: Sequence[str] | None = None, lang: str | None = None
) -> dict[str, Any]:
    """How `display_frame(df)`'s columns read, by header: rates as percentages with one decimal, counts whole, other
    numbers with one decimal, years plain; in the browser's number format (a Vietnamese browser writes `85,3 %`
    and `9.000`: Streamlit formats numbers in the reader's locale, and has no decimal comma of its own). The first
    column naming a place or unit is pinned, so a table scrolled sideways on a phone keeps its names."""
    lang = lang or current_language()
    rates = set(rate_columns(df) if percent_columns is None else percent_columns)
    labels = column_labels([str(c) for c in df.columns], lang=lang)
    config: dict[str, Any] = {}
    for column in df.columns:
        series, label = df[column], labels[str(column)]
        if column in rates:
            config[label] = st.column_config.NumberColumn(label, format="percent", step=0.001)
        elif column == "year":
            config[label] = st.column_config.NumberColumn(label, format="%d")
        elif pd.api.types.is_bool_dtype(series) or column == "history":
            continue
        elif pd.api.types.is_integer_dtype(series):
            config[label] = st.column_config.NumberColumn(label, format="localized", step=1)
        elif pd.api.types.is_float_dtype(series):
            config[label] = st.column_config.NumberColumn(label, format="localized", step=0.1)
    pinned = next((c for c in df.columns if c in NAME_COLUMNS and c != "rank"), None)
    if pinned is not None and len(df.columns) > 2:
        config[labels[str(pinned)]] = st.column_config.Column(labels[str(pinned)], pinned=True)
    return config


def screen_table(
    df: pd.DataFrame,
    *,
    percent_columns: Sequence[str] | None = None,
    max_rows: int = tables.MAX_TABLE_ROWS,
    worst_first: Sequence[tuple[str, bool]] = (),
    column_config: Mapping[str, Any] | None = None,
    **dataframe_options: Any,
) -> None:
    """`df` as a table in the reader's language, cut to `max_rows` rows (`ui.tables.rows_for_screen`) with a line
    saying how many are shown and that the download holds them all. `column_config` adds to (and overrides) the
    number formats of `number_columns`."""
    shown = tables.rows_for_screen(df, limit=max_rows, worst_first=worst_first)
    if len(shown) < len(df):
        key = "table.shown_of_worst_first" if worst_first else "table.shown_of"
        st.caption(t(key, shown=fmt.number(len(shown)), total=fmt.number(len(df))))
    st.dataframe(
        display_frame(shown, percent_columns=percent_columns),
        hide_index=True,
        width="stretch",
        column_config={**number_columns(shown, percent_columns=percent_columns), **(column_config or {})},
        **dataframe_options,
    )


def chart_with_download(
    fig: go.Figure | ReadyFigure,
    data: DataSource,
    *,
    key: str,
    view: str,
    title: str | None = None,
    title_params: Mapping[str, Any] | None = None,
    definition_key: str | None = None,
    definition_params: Mapping[str, Any] | None = None,
    percent_columns: Sequence[str] | None = None,
    show_table: bool = True,
    on_select: Literal["ignore", "rerun"] | Callable[[], None] = "ignore",
    table_worst_first: Sequence[tuple[str, bool]] = (),
    note: str | None = None,
) -> Any:
    """A titled chart, its definition, the data behind it in an expander, and CSV/XLSX of exactly that data.

    The expander's table shows at most `ui.tables.MAX_TABLE_ROWS` rows (`table_worst_first` picks which, see
    `screen_table`); the downloads hold every row. Returns what `st.plotly_chart` returns (the selection when
    `on_select="rerun"`). `note`: a line of text (already in the reader's language) under the definition. `fig`
    from `ui.figures_cache.figure` is drawn as built (escaped once, when built); a plain figure is escaped here, and
    its margins fixed (`ui.margins`: the browser then draws it once).
    """
    figure = fig.figure if isinstance(fig, ReadyFigure) else margins.fit(escape.figure(fig))
    with st.container(border=True):
        titled_block_head(title, title_params, definition_key, definition_params)
        if note:
            st.caption(note)
        event = st.plotly_chart(
            figure,
            width="stretch",
            key=f"{key}_chart",
            on_select=on_select,
            config={"displaylogo": False},
        )
        if show_table and isinstance(data, pd.DataFrame):
            with st.expander(t("download.table")):
                screen_table(data, percent_columns=percent_columns, worst_first=table_worst_first)
        download_buttons(
            data,
            key=key,
            view=view,
            percent_columns=percent_columns,
            title=t(title, **(title_params or {})) if title else None,
        )
    return event


def table_with_download(
    df: pd.DataFrame,
    *,
    key: str,
    view: str,
    title: str | None = None,
    title_params: Mapping[str, Any] | None = None,
    definition_key: str | None = None,
    definition_params: Mapping[str, Any] | None = None,
    percent_columns: Sequence[str] | None = None,
    height: int | str = "auto",
    column_config: Mapping[str, Any] | None = None,
    download_columns: Sequence[str] | None = None,
    max_rows: int = tables.MAX_TABLE_ROWS,
    worst_first: Sequence[tuple[str, bool]] = (),
) -> None:
    """A titled table in the reader's language (it scrolls on a phone) with CSV/XLSX of all its rows.

    At most `max_rows` rows are drawn, `worst_first` picking which (`screen_table`); the downloads hold every row.
    """
    with st.container(border=True):
        titled_block_head(title, title_params, definition_key, definition_params)
        if df.empty:
            st.caption(t("msg.no_alerts"))
            return
        screen_table(
            df,
            percent_columns=percent_columns,
            max_rows=max_rows,
            worst_first=worst_first,
            height=height,
            column_config=column_config,
        )
        rows = df if download_columns is None else df[list(download_columns)]
        download_buttons(
            rows,
            key=key,
            view=view,
            percent_columns=percent_columns,
            title=t(title, **(title_params or {})) if title else None,
        )


PAGE_RERUN_KEY = "_page_rerun_wanted"


def then_whole_page(callback: Callable[[], None]) -> Callable[[], None]:
    """`callback` (a chart's `on_select` that changes the filters, e.g. narrowing to a clicked commune) for a chart
    inside an `st.fragment`: a fragment's widget reruns the fragment only, so the fragment then reruns the whole
    page (`rerun_page_if_asked`, first thing in the fragment), and the sidebar and every block follow the filters."""

    def run() -> None:
        callback()
        st.session_state[PAGE_RERUN_KEY] = True

    return run


def rerun_page_if_asked() -> None:
    """In an `st.fragment`: rerun the whole page when a `then_whole_page` callback asked for it."""
    if st.session_state.pop(PAGE_RERUN_KEY, False):
        st.rerun(scope="app")


def more_charts(key: str, charts: Sequence[tuple[str, str]]) -> str | None:
    """A page's further charts, drawn on demand: a row of buttons named by the charts' titles (`(id, catalogue key
    of the title)` pairs); returns the id of the one chosen, None until one is. A page opens on the one or two charts
    a leader reads first; Chromium then draws those only, and the server sends those only."""
    titles = dict(charts)
    chosen = st.segmented_control(
        t("msg.more_charts"),
        list(titles),
        format_func=lambda chart: t(titles[chart]),
        default=None,
        key=key,
        help=t("msg.more_charts_help"),
    )
    return chosen if isinstance(chosen, str) else None


def page_link(path: str, *, label_key: str) -> None:
    """A link to another page of the app (filters carry over); nothing when the page runs on its own."""
    if st.session_state.get(FRAME_KEY):
        st.page_link(path, label=t(label_key), icon=":material/arrow_forward:")
