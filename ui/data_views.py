"""Cached access to the browse queries of the Thematic topics, Inspections, Classification and Organisations views.

Same rules as `ui.data` (whose engine and cache key these share): `st.cache_data` keyed by the database URL, the
data's version and the `Filters` / `Scope` values, never widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from data_access import browse
from data_access.filters import Filters, Scope
from ui import data
from ui.data import MAX_ENTRIES, TTL_SECONDS

_QUERIES: dict[str, Callable[..., pd.DataFrame]] = {
    "cells_without_thematic": browse.cells_without_thematic,
    "open_follow_ups": browse.open_follow_ups,
    "inspection_list": browse.inspection_list,
    "organisation_levels": browse.organisation_levels,
    "excellent_runs": browse.excellent_runs,
    "units": browse.units,
    "meeting_list": browse.meeting_list,
}


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _query(db: str, name: str, filters: Filters, scope: Scope, options: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return _QUERIES[name](data.read_engine(), filters=filters, scope=scope, **dict(options))


def _run(name: str, filters: Filters, scope: Scope, **options: Any) -> pd.DataFrame:
    return _query(data.cache_key(), name, filters, scope, tuple(sorted(options.items())))


def cells_without_thematic(*, filters: Filters, scope: Scope) -> pd.DataFrame:
    """`browse.cells_without_thematic`: cells with no thematic meeting in the last due quarter."""
    return _run("cells_without_thematic", filters, scope)


def open_follow_ups(*, filters: Filters, scope: Scope) -> pd.DataFrame:
    """`browse.open_follow_ups`: corrective inspections unresolved and not yet due."""
    return _run("open_follow_ups", filters, scope)


def inspection_list(*, filters: Filters, scope: Scope, cell_id: int | None = None) -> pd.DataFrame:
    """`browse.inspection_list`: inspections in the period, newest first, with their follow-up status."""
    return _run("inspection_list", filters, scope, cell_id=cell_id)


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _latest_rated_years(db: str, filters: Filters, scope: Scope) -> Filters | None:
    return browse.latest_rated_years(data.read_engine(), filters=filters, scope=scope)


def latest_rated_years(*, filters: Filters, scope: Scope) -> Filters | None:
    """`browse.latest_rated_years`: the filters, or the two latest classified years before them, or None."""
    return _latest_rated_years(data.cache_key(), filters, scope)


def organisation_levels(*, filters: Filters, scope: Scope) -> pd.DataFrame:
    """`browse.organisation_levels`: each base organisation's level per year."""
    return _run("organisation_levels", filters, scope)


def excellent_runs(*, filters: Filters, scope: Scope, min_years: int) -> pd.DataFrame:
    """`browse.excellent_runs`: organisations excellent at least `min_years` years in a row."""
    return _run("excellent_runs", filters, scope, min_years=min_years)


def units(*, filters: Filters, scope: Scope) -> pd.DataFrame:
    """`browse.units`: every cell of the units in the filters, with its organisation and commune."""
    return _run("units", filters, scope)


def meeting_list(*, filters: Filters, scope: Scope, cell_id: int) -> pd.DataFrame:
    """`browse.meeting_list`: one cell's meetings in the period, newest first."""
    return _run("meeting_list", filters, scope, cell_id=cell_id)


@st.cache_data(ttl=TTL_SECONDS, max_entries=16, show_spinner=False)
def _topic_names(db: str) -> pd.DataFrame:
    return browse.topic_names(data.read_engine())


def topic_labels(*, lang: str) -> dict[str, str]:
    """Vietnamese topic name -> the name to show in `lang` (the stored English name, when there is one)."""
    if lang == "vi":
        return {}
    names = _topic_names(data.cache_key())
    return {vi: en for vi, en in zip(names["topic"], names["topic_en"], strict=True) if isinstance(en, str) and en}
