"""Organisations: browse commune → base organisation → cell → its meetings and inspections, each level with its
figures (the metric functions narrowed to that unit); names searchable without accents; a click on a bar opens it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from data_access.browse import active_on, name_matches
from data_access.filters import Filters
from data_access.metrics import Kpi
from ui import components as ui
from ui import data, data_views, escape, frame, links, places, theme
from ui import figures_views as figures
from ui import format as fmt
from ui import views_components as views
from ui.filters import current_scope
from ui.i18n import t, vocab_label
from ui.reporting import commune_reporting

VIEW = "organisations"
SEARCH_KEY = "org_search"
LEVEL_KEYS = ("org_commune", "org_organisation", "org_cell")
LINK_READ_KEY = "_org_link_read"
RATE_KPIS = (
    "regularity_rate",
    "on_fixed_day_rate",
    "participation_rate",
    "thematic_coverage",
    "superior_attendance_rate",
)

state = frame.start_page("organisations.title")
filters, scope = state.filters, current_scope()
level = places.level_of(filters=filters, scope=scope)

if places.lists_wait(level):
    # The country: the provinces side by side (a click narrows the filters to one), and the walk from commune to
    # cell once a province is chosen (its 228,783 cells are a 17 s list nationally).
    by_province = places.named(
        figures.unit_kpis(
            *data.metrics_together(places.UNIT_METRICS, filters=filters, scope=scope, by=level).values(), keys=[level]
        ),
        level,
    )
    if ui.empty(by_province):
        st.stop()
    views.chart(
        by_province,
        partial(theme.rate_ranking, label_column=level, rate_column="regularity_rate"),
        key="org_provinces",
        view=places.view(VIEW, level) + "-regularity",
        title=places.title("organisations.communes_chart", level),
        title_params={"name": ""},
        definition_key="def.regularity_rate",
        on_select=places.on_select("org_provinces", level),
        show_table=False,
        note=places.note(level),
    )
    views.table(
        by_province,
        key="org_provinces_table",
        view=places.view(VIEW, level),
        title=places.title("organisations.communes_title", level),
        definition_key="def.unit_tables",
    )
    places.lists_note(title="organisations.search")
    st.stop()

units = data_views.units(filters=filters, scope=scope)
if units.empty:
    ui.empty(None)
    st.stop()


def open_from_chart(chart_key: str, level: int) -> Callable[[], None]:
    """An `on_select` callback: the clicked bar's name becomes the choice at `level`; deeper choices are cleared."""

    def callback() -> None:
        names = views.selected_labels(chart_key)
        if names:
            st.session_state[LEVEL_KEYS[level]] = names[0]
            for key in LEVEL_KEYS[level + 1 :]:
                st.session_state[key] = None

    return callback


def clear_below(level: int) -> Callable[[], None]:
    def callback() -> None:
        for key in LEVEL_KEYS[level + 1 :]:
            st.session_state[key] = None

    return callback


def choose(level: int, label: str, options: list[str]) -> str | None:
    """A select box of names at `level`; a choice that is no longer possible is dropped first."""
    key = LEVEL_KEYS[level]
    if st.session_state.get(key) not in options:
        st.session_state[key] = None
    return st.selectbox(
        t(label),
        options,
        index=None,
        key=key,
        placeholder=t("organisations.choose"),
        on_change=clear_below(level),
    )


def kpis_of(unit_filters: Filters) -> None:
    ui.kpi_row(data.overview(filters=unit_filters, scope=scope), per_row=5)


def unit_table(unit_filters: Filters, keys: list[str]) -> pd.DataFrame:
    by = keys[-1]
    return figures.unit_kpis(
        *data.metrics_together(places.UNIT_METRICS, filters=unit_filters, scope=scope, by=by).values(), keys=keys
    )


def ranking_and_table(
    table: pd.DataFrame, *, label: str, level: int, key: str, chart_title: str, title: str, name: str
) -> None:
    """The regularity ranking of the units in `table` (a click opens one) and the table of their figures."""
    views.chart(
        table.drop(columns=[c for c in ("commune", "organisation") if c != label and c in table]),
        partial(theme.rate_ranking, label_column=label, rate_column="regularity_rate"),
        key=key,
        view=f"{VIEW}-{label}-regularity",
        title=chart_title,
        title_params={"name": name},
        definition_key="def.regularity_rate",
        on_select=open_from_chart(key, level),
        show_table=False,
    )
    views.table(
        table,
        key=key + "_table",
        view=f"{VIEW}-{label}",
        title=title,
        title_params={"name": name},
        definition_key="def.unit_tables",
    )


# ----- search and the three choices
query = st.text_input(
    t("organisations.search"),
    key=SEARCH_KEY,
    placeholder=t("organisations.search_placeholder"),
    icon=":material/search:",
)
haystack = units["commune"] + " " + units["organisation"] + " " + units["cell"]
found = units[name_matches(haystack, query)]
if query.strip():
    if found.empty:
        st.info(t("organisations.no_match", query=escape.md(query.strip())), icon=":material/search_off:")
    else:
        with st.expander(t("organisations.search_results", n=fmt.number(len(found))), expanded=True):
            ui.table_with_download(
                found[["commune", "organisation", "cell"]].reset_index(drop=True),
                key="org_search_results",
                view=VIEW + "-search",
                height=240,
            )

if not st.session_state.get(LINK_READ_KEY):  # the link's walk, once per session (ui.links.read_units)
    st.session_state[LINK_READ_KEY] = True
    walk, dropped = links.read_units(
        {name: st.query_params.get_all(name) for name in links.UNIT_PARAMS},
        zip(units["commune"], units["organisation"], units["cell"], strict=True),
    )
    for key, value in zip(LEVEL_KEYS, walk, strict=True):
        if value is not None:
            st.session_state[key] = value
    for param, value in dropped:
        st.warning(t("filter.unknown_value", param=param, value=escape.md(value)), icon=":material/link_off:")

pool = found if not found.empty else units
columns = st.columns(3)
with columns[0]:
    commune = choose(0, "organisations.commune", list(dict.fromkeys(pool["commune"])) or [])
in_commune = pool[pool["commune"] == commune] if commune else pool.iloc[0:0]
with columns[1]:
    organisation = choose(1, "organisations.organisation", list(dict.fromkeys(in_commune["organisation"])))
in_organisation = in_commune[in_commune["organisation"] == organisation] if organisation else in_commune.iloc[0:0]
with columns[2]:
    cell = choose(2, "organisations.cell", list(dict.fromkeys(in_organisation["cell"])))
if commune:  # the line under the title gives the sidebar's scope; this one what the page itself shows
    walk = " › ".join(escape.md(v) for v in (commune, organisation, cell) if v)
    st.caption(t("organisations.viewing", walk=walk))
for param, value in zip(links.UNIT_PARAMS, (commune, organisation, cell), strict=True):  # a copied link reopens it
    if value:
        st.query_params[param] = value
    elif param in st.query_params:
        del st.query_params[param]


def lineage_section(commune_ids: tuple[int, ...]) -> None:
    """The units of the view merged into others (the 2025 reform): old unit, its commune, successor, day."""
    table = data.lineage_table(scope=scope, communes=commune_ids)
    if table.empty:
        return
    levels = [vocab_label("lineage", code) for code in table["unit_level"]]
    views.table(
        table.assign(unit_level=levels),
        key="org_lineage",
        view=VIEW + "-mergers",
        title="organisations.lineage_title",
        definition_key="organisations.lineage_help",
    )


# ----- level 0: every commune
if commune is None:
    table = unit_table(filters, ["commune"])
    ranking_and_table(
        table,
        label="commune",
        level=0,
        key="org_communes",
        chart_title="organisations.communes_chart",
        title="organisations.communes_title",
        name="",
    )
    lineage_section(filters.communes)
    st.stop()

commune_row = units[units["commune"] == commune].iloc[0]
commune_filters = replace(filters, communes=(int(commune_row["commune_id"]),))

# ----- level 1: one commune and its organisations
if organisation is None:
    st.header(escape.md(commune), anchor=False, divider="red")
    st.caption(t("organisations.kpis_of", name=escape.md(commune)))
    kpis_of(commune_filters)
    ranking_and_table(
        unit_table(commune_filters, ["commune", "organisation"]),
        label="organisation",
        level=1,
        key="org_organisations",
        chart_title="organisations.organisations_chart",
        title="organisations.organisations_title",
        name=commune,
    )
    commune_reporting(filters=commune_filters, scope=scope)
    lineage_section(commune_filters.communes)
    st.stop()

org_rows = units[(units["commune"] == commune) & (units["organisation"] == organisation)]
org_row = org_rows.iloc[0]
org_filters = replace(commune_filters, organisations=(int(org_row["organisation_id"]),))

# ----- level 2: one organisation and its cells
if cell is None:
    st.header(escape.md(organisation), anchor=False, divider="red")
    st.caption(
        " · ".join(
            [
                escape.md(commune),
                vocab_label("organisation_kind", str(org_row["organisation_kind"])),
                vocab_label("sector", str(org_row["sector"])),
            ]
        )
    )
    kpis_of(org_filters)
    cells = unit_table(org_filters, ["commune", "organisation", "cell"])
    details = org_rows[["cell", "cell_kind", "meeting_day", "members", "active_to"]]
    cells = cells.merge(details, on="cell", how="left")
    ranking_and_table(
        cells,
        label="cell",
        level=2,
        key="org_cells",
        chart_title="organisations.cells_title",
        title="organisations.cells_title",
        name=organisation,
    )
    views.table(
        figures.screen_ready(data_views.inspection_list(filters=org_filters, scope=scope)).rename(
            columns={"kind": "inspection_kind"}
        ),
        key="org_inspections",
        view=VIEW + "-organisation-inspections",
        title="organisations.inspections_title",
        title_params={"name": organisation},
        definition_key="def.inspection_list",
    )
    st.stop()

# ----- level 3: one cell, its meetings and inspections
cell_row = org_rows[org_rows["cell"] == cell].iloc[0]
cell_id = int(cell_row["cell_id"])
st.header(escape.md(cell), anchor=False, divider="red")
words = t(
    "organisations.details",
    kind=vocab_label("cell_kind", str(cell_row["cell_kind"])),
    day=int(cell_row["meeting_day"]),
    members=fmt.number(int(cell_row["members"])),
)
st.caption(f"{escape.md(commune)} · {escape.md(organisation)} · {words}")
if not bool(active_on(org_rows[org_rows["cell_id"] == cell_id], filters.as_of).iloc[0]):
    st.warning(t("organisations.closed", date=fmt.date(cell_row["active_to"])), icon=":material/history:")
rates = unit_table(org_filters, ["commune", "organisation", "cell"])
rates = rates[rates["cell"] == cell]


def _rate(column: str) -> float | None:
    return None if rates.empty or pd.isna(rates[column].iloc[0]) else float(rates[column].iloc[0])


ui.kpi_row({kpi: Kpi(_rate(kpi), None, compared=False) for kpi in RATE_KPIS}, per_row=5)
meetings = data_views.meeting_list(filters=org_filters, scope=scope, cell_id=cell_id)
views.table(
    figures.screen_ready(meetings),
    key="org_meetings",
    view=VIEW + "-cell-meetings",
    title="organisations.meetings_title",
    title_params={"name": cell},
    definition_key="def.meeting_list",
)
views.table(
    figures.screen_ready(data_views.inspection_list(filters=org_filters, scope=scope, cell_id=cell_id)).rename(
        columns={"kind": "inspection_kind"}
    ),
    key="org_cell_inspections",
    view=VIEW + "-cell-inspections",
    title="organisations.inspections_title",
    title_params={"name": cell},
    definition_key="def.inspection_list",
)
