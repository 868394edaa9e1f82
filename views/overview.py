"""Overview: the headline numbers with their change and trend, communes ranked, and the alert lists."""

from __future__ import annotations

import streamlit as st

from data_access.filters import Filters, Scope
from data_access.lineage import crosses_merger
from data_access.settings import get_settings
from ui import components as ui
from ui import data, figures_cache, frame, places, tables, theme
from ui import format as fmt
from ui.briefing import briefing_download
from ui.filters import current_scope
from ui.i18n import t
from ui.reporting import reporting_note, reporting_panel
from ui.warming import MISSED_WINDOW, OVERVIEW_BY_MONTH, OVERVIEW_BY_PLACE

VIEW = "overview"
HEADLINE_KPIS = ("regularity_rate", "on_fixed_day_rate", "participation_rate", "thematic_coverage")


@st.fragment
def _alerts(filters: Filters, scope: Scope, target: float) -> None:
    """The alert lists, in tabs: only the open tab's list is drawn, and choosing a tab reruns this block only (three
    tables with their titles, definitions, downloads and links were a fifth of the page's elements)."""
    st.subheader(t("overview.alerts"), anchor=False)
    missed = data.missed_meetings(filters=filters, scope=scope, window=MISSED_WINDOW)
    below = data.below_target(filters=filters, scope=scope, target=target)
    overdue = data.overdue_follow_ups(filters=filters, scope=scope)
    tab_missed, tab_below, tab_overdue = st.tabs(
        [
            t("overview.tab_missed", n=fmt.number(len(missed))),
            t("overview.tab_below", n=fmt.number(len(below))),
            t("overview.tab_overdue", n=fmt.number(len(overdue))),
        ],
        key="overview_alert_tabs",
        on_change="rerun",
    )
    if tab_missed.open is not False:
        with tab_missed:
            ui.table_with_download(
                missed,
                key="overview_missed",
                view=VIEW + "-missed",
                title="overview.alert_missed",
                title_params={"window": MISSED_WINDOW},
                definition_key="def.missed_meetings",
                definition_params={"window": MISSED_WINDOW},
                height=300,
                worst_first=[("missed_months", False)],
            )
            ui.page_link("views/regularity.py", label_key="overview.alert_link")
    if tab_below.open:
        with tab_below:
            ui.table_with_download(
                below[["commune", "organisation", "cell", "meetings", "participation_rate"]],
                key="overview_below",
                view=VIEW + "-below-target",
                title="overview.alert_below",
                title_params={"target": fmt.percent(target, decimals=0)},
                definition_key="def.participation_rate",
                definition_params={"target": fmt.percent(target, decimals=0)},
                height=300,
                worst_first=[("participation_rate", True)],
            )
            ui.page_link("views/participation.py", label_key="overview.alert_link")
    if tab_overdue.open:
        with tab_overdue:
            ui.table_with_download(
                overdue[["commune", "organisation", "cell", "outcome", "follow_up_due", "days_overdue"]],
                key="overview_overdue",
                view=VIEW + "-overdue",
                title="overview.alert_overdue",
                definition_key="def.overdue_follow_ups",
                height=300,
                worst_first=[("days_overdue", False)],
            )
            ui.page_link("views/inspections.py", label_key="overview.alert_link")


filters, scope = frame.start_page("overview.title").filters, current_scope()
target = get_settings().target_participation

kpis = data.overview(filters=filters, scope=scope)
# the metrics summed from the same cell-months, grouped alike, asked in one statement each grouping
by_month = data.metrics_together(OVERVIEW_BY_MONTH, filters=filters, scope=scope, by="month")
regularity_by_month = by_month["regularity"]
if kpis["cells"].value == 0 and regularity_by_month.empty:
    ui.empty(None)
    st.stop()

participation_by_month = by_month["participation"]
superior_by_month = by_month["superior_attendance"]
inspections_by_month = data.metric("inspections", filters=filters, scope=scope, by="month")
thematic_by_quarter = data.metric("thematic", filters=filters, scope=scope, by="quarter")
# The sparklines draw whole months: the as-of month so far would read as a collapse (tables.whole_months).
regularity_months = tables.whole_months(regularity_by_month, filters)
sparklines = {
    "regularity_rate": theme.sparkline_values(regularity_months, column="regularity_rate"),
    "on_fixed_day_rate": theme.sparkline_values(regularity_months, column="on_fixed_day_rate"),
    "participation_rate": theme.sparkline_values(
        tables.whole_months(participation_by_month, filters), column="participation_rate"
    ),
    "thematic_coverage": theme.sparkline_values(thematic_by_quarter, column="thematic_coverage"),
    "superior_attendance_rate": theme.sparkline_values(
        tables.whole_months(superior_by_month, filters), column="superior_attendance_rate"
    ),
    "inspections": theme.sparkline_values(tables.whole_months(inspections_by_month, filters), column="inspections"),
}
# The first screen: how the cells are doing (the four rates), then where to act (the alerts); the rest below.
ui.kpi_row({k: kpis[k] for k in HEADLINE_KPIS}, sparklines=sparklines, per_row=len(HEADLINE_KPIS), target=target)
if partial := tables.partial_month_note(filters):
    st.caption(partial)
if unreported := reporting_note(filters=filters, scope=scope):
    st.caption(unreported)
briefing_download(filters=filters, scope=scope)

mergers = data.merger_dates(scope=scope)
if crosses_merger(filters, mergers):  # a period across a merger of communes: one line per commune, the day marked
    communes = data.communes(scope=scope)
    if filters.communes:
        communes = communes[communes["id"].isin(filters.communes)]
    reform = data.metric_per_commune("regularity", filters=filters, scope=scope, by="month", communes=communes)
    drawn = tables.whole_months(reform, filters).dropna(subset=["regularity_rate"])
    ui.chart_with_download(
        figures_cache.figure(
            theme.marked,
            theme.rate_trend,
            drawn,
            rate_columns=["regularity_rate"],
            series_column="commune",
            mergers=mergers,
        ),
        reform,
        key="overview_reform",
        view=VIEW + "-merger-by-month",
        title="overview.reform_trend",
        title_params={"grouping": t(f"grouping.{filters.grouping}").lower()},
        definition_key="overview.reform_trend_help",
    )

level = places.level_of(filters=filters, scope=scope)
left, right = st.columns([3, 2])
with left:
    by_place = data.metrics_together(OVERVIEW_BY_PLACE, filters=filters, scope=scope, by=level)
    ranking = tables.commune_ranking(
        places.named(by_place["regularity"], level),
        places.named(by_place["participation"], level),
        place=level,
    )
    drawn = places.drawn(
        ranking,
        key="overview_ranking",
        level=level,
        worst_first=[("regularity_rate", True), ("participation_rate", True)],
    )
    ui.chart_with_download(
        figures_cache.figure(theme.rate_ranking, drawn, label_column=level, rate_column="regularity_rate"),
        ranking,
        key="overview_ranking",
        view=places.view(VIEW, level),
        title=places.title("overview.ranking", level),
        definition_key="overview.ranking_help",
        on_select=places.on_select("overview_ranking", level),
        note=places.note(level),
    )
with right:
    if places.lists_wait(level):
        places.lists_note(title="overview.alerts")
    else:
        _alerts(filters, scope, target)

reporting_panel(filters=filters, scope=scope)

st.subheader(t("overview.more_figures"), anchor=False)
others = {k: kpi for k, kpi in kpis.items() if k not in HEADLINE_KPIS}
ui.kpi_row(others, sparklines=sparklines, per_row=len(others), target=target)
with st.expander(t("msg.definition"), icon=":material/info:"):  # one list, one element to draw
    lines = [f"- {t('def.due_cell_month')}"]
    for kpi in kpis:
        params = {"target": fmt.percent(target, decimals=0)} if kpi == "participation_rate" else {}
        lines.append(f"- **{t('kpi.' + kpi)}**: {t('def.' + kpi, **params)}")
    st.markdown("\n".join(lines))
