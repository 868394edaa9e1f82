"""Cached access to the data: two engines per process, query results cached until the data changes.

The figures are read through a read-only engine (`read_engine()`: a read-only SQLite URI, or PostgreSQL
transactions that start READ ONLY, and a statement timeout); the read-write engine (`engine()`) prepares the
database on first start (migrations; demo district and accounts in demo mode) and serves sign-in and accounts.

Pages call these functions, never `data_access` directly, so every query result is cached the same way:
`st.cache_data` keyed by the arguments (the `Filters` and `Scope` values, never widgets) and by `cache_key()`: the
database URL and the data's version (`data_access.data_version`: the import batches, read at most every
`VERSION_SECONDS`). A result lives until an import changes the version, however long a leader stays idle, and an
import made by any process shows at the next page run; old versions' results age out (`MAX_ENTRIES`). The import
page calls `clear()` to read the new version at once. `ui.warming` fills the default views in a thread once per
version: at the server's first run and after each import. The database URL is part of every key, so
tests that point the settings at another database never read a stale result.

    from ui import data
    table = data.metric("regularity", filters=filters, scope=scope, by="commune")
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from data_access import auth, demo, details, lineage, lookups, metrics, units
from data_access.data_version import data_version
from data_access.db import engine_from_settings, make_read_engine
from data_access.filters import Filters, Scope
from data_access.metrics import compiler
from data_access.migrations import init_db
from data_access.settings import get_settings

TTL_SECONDS = None  # no lifetime: results are keyed by the data's version (`cache_key`)
VERSION_SECONDS = 2.0  # how long a read version is trusted: one read per page run, an import seen within 2 s
MAX_ENTRIES = 512
# The read-write engine of a dashboard process only signs people in and manages accounts: a small pool. The
# figures go through the read-only engine, pooled for many sessions (data_access.db.POOL_SIZE, MAX_OVERFLOW).
WRITE_POOL_SIZE = 2
WRITE_MAX_OVERFLOW = 3
_LOG = logging.getLogger(__name__)


def _prepare(engine: Engine, *, demo_mode: bool) -> None:
    """Bring the schema up to date; in demo mode fill an empty database with the demo district and its accounts."""
    init_db(engine)
    if not demo_mode:
        return
    if demo.ensure_demo_database(engine):  # writes only into a database without organisations
        _LOG.info("demo mode and an empty database: generated the demo district")
    auth.create_demo_accounts(engine)  # idempotent: only the missing ones


@st.cache_resource(show_spinner=False)
def _bare_engine_for(database_url: str) -> Engine:
    return engine_from_settings(get_settings(), pool_size=WRITE_POOL_SIZE, max_overflow=WRITE_MAX_OVERFLOW)


def bare_engine() -> Engine:
    """The read-write engine without the first-use preparation: for probing a database that may be down."""
    return _bare_engine_for(get_settings().database_url)


@st.cache_resource(show_spinner=False)
def _prepared_engine_for(database_url: str) -> Engine:
    """Prepared once per process; a failure (database down) is not cached, so the next run tries again."""
    settings = get_settings()
    engine = _bare_engine_for(database_url)
    _prepare(engine, demo_mode=settings.demo_mode)
    return engine


@st.cache_resource(show_spinner=False)
def _read_engine_for(database_url: str) -> Engine:
    _prepared_engine_for(database_url)  # the schema (and a SQLite file: mode=ro never creates one) exists first
    return make_read_engine(get_settings())


def _engine_for(key: str) -> Engine:
    """The engine of the cached query functions below (`key`: `cache_key()`, of the current settings): read-only,
    every query under the statement timeout."""
    return read_engine()


def engine() -> Engine:
    """The read-write engine, prepared on first use (migrated; in demo mode the demo district and its accounts).

    Only for what writes: sign-in (failed attempts, lockout, sessions) and the account and import pages. Queries
    for the figures use `read_engine()`.
    """
    return _prepared_engine_for(get_settings().database_url)


def read_engine() -> Engine:
    """The dashboard's read-only engine (`data_access.db.make_read_engine`), after the first-use preparation."""
    return _read_engine_for(get_settings().database_url)


_versions: dict[str, tuple[float, str]] = {}  # database URL -> (monotonic time read, version)


def current_version() -> str:
    """The data's version (`data_access.data_version`), read again when older than `VERSION_SECONDS`."""
    url = get_settings().database_url
    now = time.monotonic()
    seen = _versions.get(url)
    if seen is not None and now - seen[0] < VERSION_SECONDS:
        return seen[1]
    version = data_version(read_engine())
    _versions[url] = (now, version)
    return version


def cache_key() -> str:
    """What every cached query is keyed by besides its arguments: the database URL and the data's version."""
    return f"{get_settings().database_url}#{current_version()}"


def _key() -> str:
    return cache_key()


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _metric(db: str, metric: str, filters: Filters, scope: Scope, by: str) -> pd.DataFrame:
    return metrics.compute(metric, _engine_for(db), filters=filters, scope=scope, by=by)


def metric(metric_id: str, *, filters: Filters, scope: Scope, by: str) -> pd.DataFrame:
    """The data-contract table of `metric_id` (a key of `metrics.METRICS`) grouped `by`."""
    return _metric(_key(), metric_id, filters, scope, by)


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _together(db: str, metric_ids: tuple[str, ...], filters: Filters, scope: Scope, by: str) -> dict[str, pd.DataFrame]:
    return compiler.together(metric_ids, _engine_for(db), filters=filters, scope=scope, by=by)


def metrics_together(
    metric_ids: tuple[str, ...], *, filters: Filters, scope: Scope, by: str
) -> dict[str, pd.DataFrame]:
    """The tables of several summed metrics (regularity, participation, thematic coverage, superior attendance,
    long meetings) grouped the same way `by`, asked in one statement (`compiler.together`): for a page that shows
    them side by side (a row per place or unit on the Organisations page). Each is the table `metric` gives."""
    return _together(_key(), tuple(metric_ids), filters, scope, by)


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _per_commune(
    db: str, metric_id: str, filters: Filters, scope: Scope, by: str, communes: tuple[tuple[int, str], ...]
) -> pd.DataFrame:
    return metrics.per_commune(metric_id, _engine_for(db), filters=filters, scope=scope, by=by, communes=communes)


def metric_per_commune(
    metric_id: str, *, filters: Filters, scope: Scope, by: str, communes: pd.DataFrame
) -> pd.DataFrame:
    """`metric_id` grouped `by` a period, once per commune of `communes` (id, name): a `commune` column first.

    The data contract has no commune × month grouping; `metrics.per_commune` answers it in one grouped query with
    the same frame as one metric call per commune (`tests/test_metrics_fast_path.py` holds that).
    """
    pairs = tuple((int(i), str(n)) for i, n in zip(communes["id"], communes["name"], strict=True))
    return _per_commune(_key(), metric_id, filters, scope, by, pairs)


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _per_province(db: str, metric_id: str, filters: Filters, scope: Scope, by: str) -> pd.DataFrame:
    return metrics.per_province(metric_id, _engine_for(db), filters=filters, scope=scope, by=by)


def metric_per_province(metric_id: str, *, filters: Filters, scope: Scope, by: str) -> pd.DataFrame:
    """`metric_id` grouped `by` a period for each province of the view, a `province` column first: the national
    counterpart of `metric_per_commune` (`metrics.per_province`)."""
    return _per_province(_key(), metric_id, filters, scope, by)


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _previous_recorded(db: str, filters: Filters) -> Filters | None:
    return metrics.previous_recorded(_engine_for(db), filters)


def previous_recorded(*, filters: Filters) -> Filters | None:
    """The previous period, from the first recorded meeting on: what a page compares its meeting figures with
    (None: it lies wholly before the records, no data; `metrics.previous_recorded`)."""
    return _previous_recorded(_key(), filters)


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _overview(db: str, filters: Filters, scope: Scope) -> dict[str, Any]:
    return metrics.overview(_engine_for(db), filters=filters, scope=scope)


def overview(*, filters: Filters, scope: Scope) -> dict[str, Any]:
    """KPI id -> `metrics.Kpi` (value and previous-period value)."""
    return _overview(_key(), filters, scope)


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _alert(db: str, name: str, filters: Filters, scope: Scope, options: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    function = {
        "missed_meetings": metrics.missed_meetings,
        "below_target": metrics.below_target,
        "overdue_follow_ups": metrics.overdue_follow_ups,
    }[name]
    return function(_engine_for(db), filters=filters, scope=scope, **dict(options))


def missed_meetings(*, filters: Filters, scope: Scope, window: int = 3) -> pd.DataFrame:
    return _alert(_key(), "missed_meetings", filters, scope, (("window", window),))


def below_target(*, filters: Filters, scope: Scope, target: float) -> pd.DataFrame:
    return _alert(_key(), "below_target", filters, scope, (("target", target),))


def overdue_follow_ups(*, filters: Filters, scope: Scope) -> pd.DataFrame:
    return _alert(_key(), "overdue_follow_ups", filters, scope, ())


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _detail(db: str, name: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    function = {
        "cell_months": metrics.cell_months,
        "meeting_rate_distribution": details.meeting_rate_distribution,
    }[name]
    return function(_engine_for(db), filters=filters, scope=scope)


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _least_regular_grid(db: str, filters: Filters, scope: Scope, max_cells: int) -> tuple[pd.DataFrame, int]:
    return metrics.least_regular_grid(_engine_for(db), filters=filters, scope=scope, max_cells=max_cells)


def least_regular_grid(*, filters: Filters, scope: Scope, max_cells: int) -> tuple[pd.DataFrame, int]:
    """The cell × month rows of at most `max_cells` least regular cells, and the number of due cells."""
    return _least_regular_grid(_key(), filters, scope, max_cells)


def cell_months(*, filters: Filters, scope: Scope) -> pd.DataFrame:
    """One row per due cell-month (`metrics.cell_months`)."""
    return _detail(_key(), "cell_months", filters, scope)


def meeting_rate_distribution(*, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Meetings per 5-point band of their own participation rate (`details.meeting_rate_distribution`)."""
    return _detail(_key(), "meeting_rate_distribution", filters, scope)


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _cell_history(db: str, filters: Filters, scope: Scope, cells: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    return details.cell_participation_history(_engine_for(db), filters=filters, scope=scope, cells=cells)


def cell_history(*, filters: Filters, scope: Scope, cells: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    """Monthly participation of the given (organisation, cell) pairs (`details.cell_participation_history`)."""
    return _cell_history(_key(), filters, scope, cells)


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _communes(db: str, scope: Scope) -> pd.DataFrame:
    return lookups.communes(_engine_for(db), scope=scope)


def communes(*, scope: Scope) -> pd.DataFrame:
    """The communes the viewer may see (id, name, …), in Vietnamese order."""
    return _communes(_key(), scope)


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _commune_tree(db: str, scope: Scope) -> pd.DataFrame:
    return lineage.commune_tree(_engine_for(db), scope=scope)


def commune_tree(*, scope: Scope) -> pd.DataFrame:
    """The communes in scope, today's each followed by its former ones (`lineage.commune_tree`)."""
    return _commune_tree(_key(), scope)


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _lineage_table(db: str, scope: Scope, communes: tuple[int, ...]) -> pd.DataFrame:
    return lineage.lineage_table(_engine_for(db), scope=scope, communes=communes)


def lineage_table(*, scope: Scope, communes: tuple[int, ...] = ()) -> pd.DataFrame:
    """The units in scope (of `communes` and their predecessors) merged into others (`lineage.lineage_table`)."""
    return _lineage_table(_key(), scope, communes)


def merger_dates(*, scope: Scope) -> tuple[dt.date, ...]:
    """The days communes in scope were merged (the reform line of the time charts)."""
    tree = commune_tree(scope=scope)
    return tuple(sorted({d for d, was in zip(tree["merged_on"], tree["former"], strict=True) if was and d}))


@st.cache_data(ttl=TTL_SECONDS, max_entries=256, show_spinner=False)
def _organisations(db: str, scope: Scope, commune_ids: tuple[int, ...]) -> pd.DataFrame:
    return lookups.organisations(_engine_for(db), scope=scope, communes=commune_ids)


def organisations(*, scope: Scope, communes: tuple[int, ...] = ()) -> pd.DataFrame:
    """The base organisations of `communes` (all in scope when empty): id, name, kind, commune_id, commune."""
    return _organisations(_key(), scope, communes)


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _cells_in_period(db: str, filters: Filters, scope: Scope, by: str) -> pd.DataFrame:
    return units.cells_in_period(_engine_for(db), filters=filters, scope=scope, by=by)


def cells_in_period(*, filters: Filters, scope: Scope, by: str) -> pd.DataFrame:
    """Each commune's (or province's) cells active in the period: what a share of its cells divides by."""
    return _cells_in_period(_key(), filters, scope, by)


def clear() -> None:
    """After an import: forget every cached query result and read the data's version again at the next call (the
    old version's results would never be asked for again anyway); the engine stays."""
    _versions.clear()
    st.cache_data.clear()
