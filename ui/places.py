"""Communes or provinces: the places a view compares.

A district's or a province's view draws one bar or line per commune, and clicking one narrows the filters to it.
A view whose communes lie in more than one province (the whole country: 13,743 communes in 34 provinces) draws one
per province instead: 13,743 bars are unreadable and slow to ship, while `metrics` answers `by="province"` and
`metrics.per_province` from the same tables, to the same numbers summed. There a click on a province narrows the
filters to it (the sidebar's province filter), and the pages then compare its communes.

Lists of cells and organisations (the alert lists, the least regular cells, the organisation ranking and grid,
the cells without a thematic meeting) wait for a province there: nationally they are tens of thousands of rows
that take 7–49 s each to compute (bench/results/2026-11-24-1927-calls-national-lists.txt), and no leader reads 43,000 cells below
target; a province's list is what one acts on. `lists_wait(level)` says when, `lists_note` what to do.

    level = places.level_of(filters=filters, scope=scope)      # "commune" or "province"
    table = places.named(data.metric("participation", filters=filters, scope=scope, by=level), level)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import pandas as pd
import streamlit as st

from data_access.filters import Filters, Scope
from ui import data, tables
from ui import format as fmt
from ui import views_components as views
from ui.filters import narrow_to_commune, narrow_to_province
from ui.i18n import t

Level = Literal["commune", "province"]
MAX_DRAWN_PLACES = 40
"""Past this many places a chart of places draws the worst of them, all on demand (`drawn`): a province's 558
communes made charts 15,000 px tall that took the browser most of a second to draw."""
UNIT_METRICS = ("regularity", "participation", "thematic", "superior_attendance")
"""The metrics of a unit's row on the Organisations page (`ui.figures_views.unit_kpis` takes them in this order)."""


def level_of(*, filters: Filters, scope: Scope) -> Level:
    """`province` when the communes in view (those chosen, else all the scope allows) lie in several provinces
    (a commune without a recorded province counts as one more), else `commune`."""
    communes = data.communes(scope=scope)
    if filters.communes:
        communes = communes[communes["id"].isin(filters.communes)]
    provinces = set(communes["province"].fillna(""))
    return "province" if len(provinces) > 1 else "commune"


def named(table: pd.DataFrame, level: Level) -> pd.DataFrame:
    """`table` with its places named for the reader: a blank province (communes without one) gets a label."""
    if level != "province" or table.empty or not (table["province"] == "").any():
        return table
    return table.assign(province=table["province"].where(table["province"] != "", t("place.no_province")))


def title(key: str, level: Level) -> str:
    """The catalogue key of a title about communes, or of its twin about provinces (`<key>.provinces`)."""
    return key if level == "commune" else f"{key}.provinces"


def view(name: str, level: Level) -> str:
    """The download's view name: `<name>-communes` or `<name>-provinces`."""
    return f"{name}-{'communes' if level == 'commune' else 'provinces'}"


def on_select(chart_key: str, level: Level) -> Callable[[], None]:
    """Clicking a commune narrows the filters to it; clicking a province, to its communes."""
    return narrow_to_commune(chart_key) if level == "commune" else narrow_to_province(chart_key)


def lists_wait(level: Level) -> bool:
    """True when lists of cells and organisations wait for a province to be chosen (places are provinces)."""
    return level == "province"


def lists_note(*, title: str, title_params: dict[str, object] | None = None) -> None:
    """In place of a list of cells or organisations over several provinces: its title, and how to see it."""
    views.empty_block(title=title, title_params=title_params, message="place.lists_need_province")


def note(level: Level) -> str | None:
    """Under a chart of provinces: how to see communes."""
    return t("place.by_province") if level == "province" else None


def drawn(
    table: pd.DataFrame,
    *,
    key: str,
    level: Level,
    worst_first: list[tuple[str, bool]],
    switch_label: str = "place.draw_all",
) -> pd.DataFrame:
    """The rows a chart of places draws: all of `table` up to `MAX_DRAWN_PLACES` rows; past that the
    `MAX_DRAWN_PLACES` worst (`worst_first`: `(column, ascending)` pairs, as `ui.tables.rows_for_screen`), with a
    switch above the chart to draw them all (`switch_label`: its catalogue key, saying which are drawn). The chart's
    table and downloads keep every row."""
    if len(table) <= MAX_DRAWN_PLACES:
        return table
    words = {"shown": fmt.number(MAX_DRAWN_PLACES), "total": fmt.number(len(table))}
    if st.toggle(t(title(switch_label, level), **words), key=f"{key}_all", help=t("place.draw_all_help")):
        return table
    return tables.rows_for_screen(table, limit=MAX_DRAWN_PLACES, worst_first=worst_first).reset_index(drop=True)
