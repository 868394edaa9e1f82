"""Participation: the monthly rate against the target, how meetings spread, communes compared, cells below target
with their history, and unexcused absences."""

from __future__ import annotations

import streamlit as st

from data_access.settings import get_settings
from ui import components as ui
from ui import data, figures_cache, frame, places, tables, theme
from ui import format as fmt
from ui.filters import current_scope
from ui.i18n import column_label, t
from ui.reporting import reporting_note

VIEW = "participation"
MAX_BELOW = 50

filters, scope = frame.start_page("participation.title").filters, current_scope()
target = get_settings().target_participation
target_words = {"target": fmt.percent(target, decimals=0)}

by_month = data.metric("participation", filters=filters, scope=scope, by="month")
if ui.empty(by_month):
    st.stop()

# On arrival the trend and the communes against the target; the spread of meetings and the absences on demand.
left, right = st.columns(2)
with left:
    ui.chart_with_download(
        figures_cache.figure(
            theme.marked,
            theme.rate_trend,
            tables.whole_months(by_month, filters),
            rate_columns=["participation_rate"],
            target=target,
            mergers=data.merger_dates(scope=scope),
        ),
        by_month,
        key="participation_trend",
        view=VIEW + "-by-month",
        title="participation.trend_title",
        definition_key="def.participation_rate",
        definition_params=target_words,
        note=" ".join(
            n for n in (tables.partial_month_note(filters), reporting_note(filters=filters, scope=scope)) if n
        )
        or None,
    )
with right:
    level = places.level_of(filters=filters, scope=scope)
    by_place = places.named(data.metric("participation", filters=filters, scope=scope, by=level), level)
    ui.chart_with_download(
        figures_cache.figure(
            theme.rate_ranking, by_place, label_column=level, rate_column="participation_rate", target=target
        ),
        by_place,
        key="participation_communes",
        view=places.view(VIEW, level),
        title=places.title("participation.communes_title", level),
        definition_key="def.participation_rate",
        definition_params=target_words,
        on_select=places.on_select("participation_communes", level),
        note=places.note(level),
    )


if places.lists_wait(level):
    places.lists_note(title="participation.below_title")
else:
    below = data.below_target(filters=filters, scope=scope, target=target).head(MAX_BELOW)
    history = data.cell_history(
        filters=filters, scope=scope, cells=tuple(zip(below["organisation"], below["cell"], strict=True))
    )
    shown = tables.with_history(below, history, months=tables.period_months(filters))
    # The rate and its history next to the names (a phone shows the first columns); the download keeps the
    # contract order.
    first = ["commune", "organisation", "cell", "participation_rate", "history"]
    shown = shown[[c for c in first if c in shown] + [c for c in shown.columns if c not in first]]
    ui.table_with_download(
        shown,
        key="participation_below",
        view=VIEW + "-below-target",
        title="participation.below_title",
        definition_key="def.participation_rate",
        definition_params=target_words,
        column_config={
            column_label("history"): st.column_config.LineChartColumn(
                column_label("history"), y_min=0, y_max=1, help=t("col.history_help")
            )
        },
        download_columns=list(below.columns),
        height=400,
    )

chosen = ui.more_charts(
    "participation_more",
    [("distribution", "participation.distribution_title"), ("absences", "participation.unexcused_title")],
)
if chosen == "distribution":
    bands = data.meeting_rate_distribution(filters=filters, scope=scope)
    ui.chart_with_download(
        figures_cache.figure(theme.band_bars, bands, target=target),
        bands,
        key="participation_distribution",
        view=VIEW + "-distribution",
        title="participation.distribution_title",
        definition_key="def.meeting_rate",
        percent_columns=["rate_from", "rate_to"],
    )
elif chosen == "absences":
    absences = tables.absence_shares(by_place, place=level)
    ui.chart_with_download(
        figures_cache.figure(theme.absence_bars, absences, label_column=level),
        absences,
        key="participation_absences",
        view=VIEW + "-absences" + ("" if level == "commune" else "-provinces"),
        title="participation.unexcused_title",
        definition_key="def.absences",
        on_select=places.on_select("participation_absences", level),
        note=places.note(level),
    )
