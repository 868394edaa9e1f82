"""Thematic topics: which topics cells study, when and where; quarterly coverage; cells that missed the last quarter."""

from __future__ import annotations

from functools import partial

import streamlit as st

from data_access.browse import last_due_quarter
from data_access.metrics import Kpi
from ui import components as ui
from ui import data, data_views, frame, places, theme
from ui import figures_views as figures
from ui import views_components as views
from ui.filters import current_scope
from ui.i18n import current_language, t

VIEW = "topics"

filters, scope = frame.start_page("topics.title").filters, current_scope()
lang = current_language()
labels = data_views.topic_labels(lang=lang)

by_topic = data.metric("topics", filters=filters, scope=scope, by="topic")
coverage = data.metric("thematic", filters=filters, scope=scope, by="total")
if by_topic.empty and (coverage.empty or not coverage["due_cell_quarters"].sum()):
    ui.empty(None)
    st.stop()

previous = data.previous_recorded(filters=filters)  # None: wholly before the first recorded meeting, no data
coverage_before = None if previous is None else data.metric("thematic", filters=previous, scope=scope, by="total")
topics_before = None if previous is None else data.metric("topics", filters=previous, scope=scope, by="topic")
level = places.level_of(filters=filters, scope=scope)
quarter = last_due_quarter(filters)
missing = None if places.lists_wait(level) else data_views.cells_without_thematic(filters=filters, scope=scope)


def _first(df, column):  # type: ignore[no-untyped-def]
    return float(df[column].iloc[0]) if df is not None and len(df) and df[column].notna().iloc[0] else None


kpis = {
    "thematic_coverage": Kpi(_first(coverage, "thematic_coverage"), _first(coverage_before, "thematic_coverage")),
    "thematic_meetings": Kpi(_first(coverage, "thematic_meetings"), _first(coverage_before, "thematic_meetings")),
    "topics_used": Kpi(float(len(by_topic)), None if topics_before is None else float(len(topics_before))),
}
if missing is not None:  # over several provinces the count waits for a province, like the list
    kpis["cells_without_thematic"] = Kpi(float(len(missing)) if quarter else None, None, compared=False)
ui.kpi_row(kpis, per_row=4)
if quarter is None:
    st.caption(t("topics.no_due_quarter"))

# On arrival which topics the cells studied and how each commune covers its quarters; the rest on demand.
left, right = st.columns(2)
with left:
    views.chart(
        by_topic,
        partial(figures.topic_counts, labels=labels),
        key="topics_counts",
        view=VIEW + "-by-topic",
        title="topics.counts_title",
        definition_key="def.topics",
    )
with right:
    coverage_by_place = places.named(data.metric("thematic", filters=filters, scope=scope, by=level), level)
    if coverage_by_place["due_cell_quarters"].sum() == 0:
        coverage_by_place = coverage_by_place.iloc[0:0]
    views.chart(
        coverage_by_place,
        partial(theme.rate_ranking, label_column=level, rate_column="thematic_coverage"),
        key="topics_coverage_communes",
        view=VIEW + "-coverage-by-" + level,
        title=places.title("topics.coverage_communes_title", level),
        definition_key="def.thematic_coverage",
        on_select=places.on_select("topics_coverage_communes", level),
        note=places.note(level),
    )

if quarter is not None and missing is None:
    places.lists_note(title="topics.missing_title", title_params={"quarter": figures.quarter_text(quarter)})
elif quarter is not None:
    views.table(
        missing,
        key="topics_missing",
        view=VIEW + "-cells-without-thematic",
        title="topics.missing_title",
        title_params={"quarter": figures.quarter_text(quarter)},
        definition_key="def.cells_without_thematic",
    )

chosen = ui.more_charts(
    "topics_more",
    [
        ("quarters", "topics.quarters_title"),
        ("heatmap", places.title("topics.heatmap_title", level)),
        ("coverage", "topics.coverage_trend_title"),
    ],
)
if chosen == "quarters":
    views.chart(
        data.metric("topics", filters=filters, scope=scope, by="quarter"),
        partial(theme.marked, figures.topic_quarters, labels=labels, mergers=data.merger_dates(scope=scope)),
        key="topics_quarters",
        view=VIEW + "-by-quarter",
        title="topics.quarters_title",
        definition_key="def.topics",
    )
elif chosen == "heatmap":
    by_place = places.named(data.metric("topics", filters=filters, scope=scope, by=level), level)
    place_cells = places.named(data.cells_in_period(filters=filters, scope=scope, by=level), level)
    cells_of = dict(zip(place_cells[level], place_cells["cells"], strict=True))
    views.chart(
        by_place.assign(place_cells=[cells_of.get(p, 0) for p in by_place[level]]) if len(by_place) else by_place,
        partial(figures.topic_heatmap, labels=labels, label_column=level, cells=cells_of),
        key="topics_heatmap",
        view=VIEW + "-by-" + level,
        title=places.title("topics.heatmap_title", level),
        definition_key="def.topics",
        note=" ".join(n for n in (t("topics.heat_help"), places.note(level)) if n),
    )
elif chosen == "coverage":
    views.chart(
        data.metric("thematic", filters=filters, scope=scope, by="quarter"),
        partial(
            theme.marked, figures.quarter_rate, rate_column="thematic_coverage", mergers=data.merger_dates(scope=scope)
        ),
        key="topics_coverage_trend",
        view=VIEW + "-coverage-by-quarter",
        title="topics.coverage_trend_title",
        definition_key="def.thematic_coverage",
    )
