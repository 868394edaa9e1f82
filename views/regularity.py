"""Regularity: which cells met each month (and on their fixed day), the trend per commune, organisations ranked."""

from __future__ import annotations

import streamlit as st

from ui import components as ui
from ui import data, figures_cache, frame, places, tables, theme
from ui import format as fmt
from ui.filters import current_scope
from ui.i18n import t
from ui.reporting import reporting_note
from ui.warming import MAX_GRID_CELLS

VIEW = "regularity"
MAX_SEPARATE_LINES = 4  # up to this many places, one line each; past it, the spread and the weakest
WORST_NAMED = 3

filters, scope = frame.start_page("regularity.title").filters, current_scope()
level = places.level_of(filters=filters, scope=scope)

if places.lists_wait(level):
    # the country: no grid of cells; the page is empty when no place has a due cell-month
    if ui.empty(data.metric("regularity", filters=filters, scope=scope, by="total").dropna(subset=["regularity_rate"])):
        st.stop()
    places.lists_note(title="regularity.grid_title")
else:
    shown, total = data.least_regular_grid(filters=filters, scope=scope, max_cells=MAX_GRID_CELLS)
    if ui.empty(shown):
        st.stop()
    if total > MAX_GRID_CELLS:
        st.caption(t("regularity.grid_limited", shown=MAX_GRID_CELLS, total=total))
    ui.chart_with_download(
        figures_cache.figure(theme.cell_month_grid, shown, months=tables.period_months(filters)),
        shown.drop(columns=["cell_id"]),
        key="regularity_grid",
        view=VIEW + "-cell-month",
        title="regularity.grid_title",
        definition_key="regularity.grid_help",
        show_table=False,
    )
    ui.definition("def.due_cell_month")

if level == "commune":
    communes = data.communes(scope=scope)
    if filters.communes:
        communes = communes[communes["id"].isin(filters.communes)]
    trend = data.metric_per_commune("regularity", filters=filters, scope=scope, by="month", communes=communes)
else:
    trend = places.named(data.metric_per_province("regularity", filters=filters, scope=scope, by="month"), level)
drawn = tables.whole_months(trend, filters).dropna(subset=["regularity_rate"])
mergers = data.merger_dates(scope=scope)
lines = drawn[level].nunique()
if lines > MAX_SEPARATE_LINES:
    # many places: the band from the lowest to the highest, all of them together, and the weakest named
    by_place = data.metric("regularity", filters=filters, scope=scope, by=level).dropna(subset=["regularity_rate"])
    worst = list(by_place.sort_values("regularity_rate", kind="stable")[level].head(WORST_NAMED))
    overall = tables.whole_months(data.metric("regularity", filters=filters, scope=scope, by="month"), filters)
    figure = figures_cache.figure(
        theme.marked,
        theme.spread_trend,
        drawn,
        overall,
        rate_column="regularity_rate",
        place_column=level,
        worst=worst,
        mergers=mergers,
    )
    how = t(places.title("regularity.trend_spread", level), n=fmt.number(lines), worst=len(worst))
else:
    figure = figures_cache.figure(
        theme.marked, theme.rate_trend, drawn, rate_columns=["regularity_rate"], series_column=level, mergers=mergers
    )
    how = None
ui.chart_with_download(
    figure,
    trend,
    key="regularity_trend",
    view=VIEW + ("-communes" if level == "commune" else "-provinces") + "-by-month",
    title=places.title("regularity.trend_title", level),
    definition_key="def.regularity_rate",
    table_worst_first=[("regularity_rate", True)],
    note=" ".join(
        n
        for n in (
            places.note(level),
            how,
            tables.partial_month_note(filters),
            reporting_note(filters=filters, scope=scope),
        )
        if n
    )
    or None,
)

if places.lists_wait(level):
    places.lists_note(title="regularity.ranking_title")
else:
    ranking = tables.organisation_ranking(data.metric("regularity", filters=filters, scope=scope, by="organisation"))
    ui.table_with_download(
        ranking,
        key="regularity_ranking",
        view=VIEW + "-organisations",
        title="regularity.ranking_title",
        definition_key="def.on_fixed_day_rate",
        height=420,
        worst_first=[("rank", False)],
    )
