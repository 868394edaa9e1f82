"""Inspections: outcomes over time, per commune, body and kind; commended against corrected; open and overdue
follow-ups with their due dates."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from data_access.metrics import Kpi
from ui import components as ui
from ui import data, data_views, frame, places, theme
from ui import figures_views as figures
from ui import views_components as views
from ui.filters import current_scope
from ui.i18n import t

VIEW = "inspections"

filters, scope = frame.start_page("inspections.title").filters, current_scope()

total = data.metric("inspections", filters=filters, scope=scope, by="total")
overdue = data.overdue_follow_ups(filters=filters, scope=scope)
open_ones = data_views.open_follow_ups(filters=filters, scope=scope)
if int(total["inspections"].sum()) == 0 and overdue.empty and open_ones.empty:
    ui.empty(None)
    st.stop()

previous = filters.previous_period()
before = data.metric("inspections", filters=previous, scope=scope, by="total")
overdue_before = data.overdue_follow_ups(filters=previous, scope=scope)


def _count(df: pd.DataFrame, *columns: str) -> float:
    return float(sum(int(df[c].sum()) for c in columns))


ui.kpi_row(
    {
        "inspections": Kpi(_count(total, "inspections"), _count(before, "inspections")),
        "commended": Kpi(_count(total, "commended"), _count(before, "commended")),
        "corrected": Kpi(
            _count(total, "correction_required", "disciplined"), _count(before, "correction_required", "disciplined")
        ),
        "overdue_follow_ups": Kpi(float(len(overdue)), float(len(overdue_before))),
        "open_follow_ups": Kpi(float(len(open_ones)), None, compared=False),
    },
    per_row=5,
)


def _with_inspection_kind(df: pd.DataFrame) -> pd.DataFrame:
    """`kind` renamed `inspection_kind`, so the shared table shows it as inspection / supervision, not as a meeting
    kind (the shared formatter maps a column named `kind` to the meeting kinds)."""
    return figures.screen_ready(df.rename(columns={"kind": "inspection_kind"}))


# On arrival the outcomes over time and per commune; the balance, the bodies and the kinds on demand.
by_quarter = data.metric("inspections", filters=filters, scope=scope, by="quarter")
level = places.level_of(filters=filters, scope=scope)
left, right = st.columns(2)
with left:
    views.chart(
        by_quarter,
        partial(theme.marked, figures.outcome_bars, label_column="quarter", mergers=data.merger_dates(scope=scope)),
        key="inspections_time",
        view=VIEW + "-by-quarter",
        title="inspections.time_title",
        definition_key="def.inspection_outcomes",
    )
with right:
    by_place = places.named(data.metric("inspections", filters=filters, scope=scope, by=level), level)
    views.chart(
        by_place,
        partial(figures.outcome_bars, label_column=level, horizontal=True),
        # a province's hundreds of communes: the chart draws those with most to follow up, the table holds them all
        drawn=places.drawn(
            by_place,
            key="inspections_communes",
            level=level,
            worst_first=[("overdue_follow_ups", False), ("correction_required", False), ("disciplined", False)],
            switch_label="place.draw_all.follow_ups",
        ),
        key="inspections_communes",
        view=VIEW + "-by-" + level,
        title=places.title("inspections.communes_title", level),
        definition_key="def.inspection_outcomes",
        on_select=places.on_select("inspections_communes", level),
        note=" ".join(n for n in (t("def.overdue_in_period"), places.note(level)) if n),
    )

views.table(
    _with_inspection_kind(overdue),
    key="inspections_overdue",
    view=VIEW + "-overdue-follow-ups",
    title="inspections.overdue_title",
    definition_key="def.overdue_follow_ups",
    worst_first=[("days_overdue", False)],
)
views.table(
    _with_inspection_kind(open_ones),
    key="inspections_open",
    view=VIEW + "-open-follow-ups",
    title="inspections.open_title",
    definition_key="def.open_follow_ups",
)

chosen = ui.more_charts(
    "inspections_more",
    [
        ("balance", "inspections.balance_title"),
        ("bodies", "inspections.bodies_title"),
        ("kinds", "inspections.kinds_title"),
    ],
)
if chosen == "balance":
    views.chart(
        figures.commended_vs_corrected(by_quarter),
        partial(theme.marked, figures.balance_bars, mergers=data.merger_dates(scope=scope)),
        key="inspections_balance",
        view=VIEW + "-commended-vs-corrected",
        title="inspections.balance_title",
        definition_key="def.commended_vs_corrected",
    )
elif chosen == "bodies":
    views.chart(
        data.metric("inspections", filters=filters, scope=scope, by="body"),
        partial(figures.outcome_bars, label_column="body", horizontal=True),
        key="inspections_bodies",
        view=VIEW + "-by-body",
        title="inspections.bodies_title",
        definition_key="def.inspection_outcomes",
    )
elif chosen == "kinds":
    views.chart(
        _with_inspection_kind(data.metric("inspections", filters=filters, scope=scope, by="kind")),
        partial(
            figures.outcome_bars, label_column="inspection_kind", horizontal=True, label_vocabulary="inspection_kind"
        ),
        key="inspections_kinds",
        view=VIEW + "-by-kind",
        title="inspections.kinds_title",
        definition_key="def.inspection_outcomes",
    )
