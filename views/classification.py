"""Classification: the yearly mix of levels, the "good or above" trend, per commune and per organisation, and the
organisations excellent several years in a row."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from data_access.browse import rating_years
from data_access.metrics import Kpi
from ui import components as ui
from ui import data, data_views, frame, places
from ui import figures_views as figures
from ui import views_components as views
from ui.filters import current_scope
from ui.i18n import t

VIEW = "classification"
MIN_RUN_YEARS = 2
MAX_GRID_ORGANISATIONS = 60

filters, scope = frame.start_page("classification.title").filters, current_scope()

# A year is classified at its end: the 12 months to a December hold no classified year yet, so the page shows the
# latest classified years before the period instead, and says so.
shown = data_views.latest_rated_years(filters=filters, scope=scope)
if shown is None:
    ui.empty(None)
    st.stop()
if shown != filters:
    st.info(
        t(
            "classification.earlier_years",
            first=shown.period_from.year,
            last=shown.period_to.year,
            asked=filters.period_to.year,
        ),
        icon=":material/history:",
    )
    filters = shown
by_year = data.metric("classification", filters=filters, scope=scope, by="year")


def _year_value(year: int, column: str) -> float | None:
    row = by_year[by_year["year"] == year]
    if row.empty or pd.isna(row[column].iloc[0]):
        return None
    return float(row[column].iloc[0])


latest = int(by_year["year"].iloc[-1])
ui.kpi_row(
    {
        kpi: Kpi(_year_value(latest, kpi), _year_value(latest - 1, kpi))
        for kpi in ("rated", "good_or_above_share", "excellent")
    },
    per_row=3,
)


@st.fragment
def _by_place_of_a_year() -> None:
    """The communes' mix of one year; choosing the year reruns this block only (a click on a commune, the page)."""
    ui.rerun_page_if_asked()
    years = [int(y) for y in by_year["year"]]
    year = st.segmented_control(
        t("classification.year"), years, default=latest, key="classification_year", required=True
    )
    by_place = places.named(data.metric("classification", filters=filters, scope=scope, by=level), level)
    by_place = by_place[by_place["year"] == (year or latest)].reset_index(drop=True)
    drawn = places.drawn(
        figures.level_shares(by_place),  # the chart's order: the lowest share good or above first
        key="classification_communes",
        level=level,
        worst_first=[("good_or_above_share", True), ("not_complete_share", False)],
    )
    views.chart(
        by_place,
        partial(figures.level_mix, label_column=level, horizontal=True),
        drawn=drawn,
        key="classification_communes",
        view=VIEW + f"-by-{level}-{year or latest}",
        title=places.title("classification.communes_title", level),
        title_params={"year": year or latest},
        definition_key="def.classification",
        on_select=ui.then_whole_page(places.on_select("classification_communes", level)),
        note=places.note(level),
    )


# On arrival the mix of levels by year and by commune; the trend and the grid of organisations on demand.
level = places.level_of(filters=filters, scope=scope)
left, right = st.columns(2)
with left:
    views.chart(
        by_year,
        partial(figures.level_mix, label_column="year"),
        key="classification_mix",
        view=VIEW + "-by-year",
        title="classification.mix_title",
        definition_key="def.classification",
    )
with right:
    _by_place_of_a_year()

runs = data_views.excellent_runs(filters=filters, scope=scope, min_years=MIN_RUN_YEARS)
if runs.empty:
    with st.container(border=True):
        st.subheader(t("classification.runs_title"), anchor=False)
        ui.definition("def.excellent_runs", n=MIN_RUN_YEARS)
        st.caption(t("classification.no_runs", n=MIN_RUN_YEARS))
else:
    views.table(
        figures.screen_ready(runs),
        key="classification_runs",
        view=VIEW + "-excellent-runs",
        title="classification.runs_title",
        definition_key="def.excellent_runs",
        definition_params={"n": MIN_RUN_YEARS},
    )

chosen = ui.more_charts(
    "classification_more", [("trend", "classification.trend_title"), ("grid", "classification.grid_title")]
)
if chosen == "trend":
    views.chart(
        by_year,
        partial(figures.year_rate, rate_column="good_or_above_share"),
        key="classification_trend",
        view=VIEW + "-good-or-above",
        title="classification.trend_title",
        definition_key="def.classification",
    )
elif chosen == "grid" and places.lists_wait(level):
    places.lists_note(title="classification.grid_title")
elif chosen == "grid":
    levels = data_views.organisation_levels(filters=filters, scope=scope)
    organisations = list(dict.fromkeys(levels["organisation"]))
    if len(organisations) > MAX_GRID_ORGANISATIONS:
        st.caption(t("views.shown_of", shown=MAX_GRID_ORGANISATIONS, total=len(organisations)))
        levels = levels[levels["organisation"].isin(organisations[:MAX_GRID_ORGANISATIONS])].reset_index(drop=True)
    first_year, _ = rating_years(filters)
    views.chart(
        levels,
        partial(
            figures.level_grid, years=list(range(first_year, int(levels["year"].max()) + 1)) if len(levels) else []
        ),
        key="classification_grid",
        view=VIEW + "-by-organisation",
        title="classification.grid_title",
        definition_key="def.organisation_levels",
    )
