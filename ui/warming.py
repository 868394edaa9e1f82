"""The default views' data, computed ahead of the first leader, in the background (`warm_in_background`).

The calls each page makes first for the view with nothing chosen (every commune the server holds, the last 12
months as of today, the whole scope): the Overview's, and the opening charts and lists of the other pages. They go
through the same cached functions as the pages, so a page asking for them finds them done. Run in a thread outside any
script run: nothing here may read a viewer's state.
"""

from __future__ import annotations

import logging
import os
import threading
import time

import streamlit as st

from data_access.filters import Scope
from data_access.metrics.definitions import GROUPS
from data_access.settings import get_settings
from ui import data, data_views
from ui.filters import default_state

_LOG = logging.getLogger(__name__)
# What the default views ask, named once: views/overview.py and views/regularity.py ask with these, so the warmed
# cache entries are the ones those pages read.
MISSED_WINDOW = 3  # the Overview's missed-meeting window (months)
MAX_GRID_CELLS = 60  # the Regularity page's grid of least regular cells
OVERVIEW_BY_MONTH = ("regularity", "participation", "superior_attendance")  # the Overview's trends, asked together
OVERVIEW_BY_PLACE = ("regularity", "participation")  # the Overview's places ranked, asked together
PERIODS = ("month", "quarter", "total")


def warm_default_views() -> None:
    """Compute the default views' data into the cache; a failure (database down) only costs the head start."""
    started = time.perf_counter()
    try:
        filters, scope = default_state().filters, Scope.everything()
        target = get_settings().target_participation
        data.overview(filters=filters, scope=scope)
        communes = data.communes(scope=scope)
        level = "province" if communes["province"].fillna("").nunique() > 1 else "commune"
        for metric in ("regularity", "participation", "thematic", "inspections", "superior_attendance"):
            for by in (*PERIODS, level):
                if by == "total" or by in GROUPS[metric]:
                    data.metric(metric, filters=filters, scope=scope, by=by)
        data.metrics_together(OVERVIEW_BY_MONTH, filters=filters, scope=scope, by="month")
        data.metrics_together(OVERVIEW_BY_PLACE, filters=filters, scope=scope, by=level)
        data.metric("regularity", filters=filters, scope=scope, by="organisation")
        data.metric("topics", filters=filters, scope=scope, by="topic")
        data.previous_recorded(filters=filters)
        if level == "commune":
            data.missed_meetings(filters=filters, scope=scope, window=MISSED_WINDOW)
            data.below_target(filters=filters, scope=scope, target=target)
            data.overdue_follow_ups(filters=filters, scope=scope)
            data.least_regular_grid(filters=filters, scope=scope, max_cells=MAX_GRID_CELLS)
            data.metric_per_commune("regularity", filters=filters, scope=scope, by="month", communes=communes)
            data_views.open_follow_ups(filters=filters, scope=scope)
            data_views.cells_without_thematic(filters=filters, scope=scope)
        data_views.latest_rated_years(filters=filters, scope=scope)
    except Exception:  # a thread of its own: log, never raise
        _LOG.warning("warming the default views failed", exc_info=True)
        return
    _LOG.info("default views warmed in %.1f s", time.perf_counter() - started)


@st.cache_resource(show_spinner=False, max_entries=8)
def _warming(key: str) -> threading.Thread:
    thread = threading.Thread(target=warm_default_views, name=f"warm {key}", daemon=True)
    thread.start()
    return thread


def warm_in_background() -> None:
    """Start `warm_default_views` in a thread once per data version (`ui.data.cache_key`): at the server's first
    run and after each import, so the first leader to sign in, or the first after an import, waits for no query.
    `WARM_CACHE=0` turns it off."""
    if os.environ.get("WARM_CACHE", "1").lower() not in {"0", "false", "no"}:
        _warming(data.cache_key())
