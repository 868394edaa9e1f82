"""Queries the topic, inspection, classification and organisation views need beyond the data-contract metrics.

Same style as `metrics`: SQLAlchemy Core, bound parameters, the `Filters` and the viewer's `Scope` applied in SQL
through the same helpers, aggregation in the database, fixed columns even when empty, names in Vietnamese order.
Rates and KPIs are never recomputed here: the views ask `metrics` for those, narrowed to the unit they show.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandas as pd
from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.engine import Engine

from data_access.filters import Filters, Month, Scope, quarter_label
from data_access.frames import rows_frame
from data_access.measures import MEETING_MEASURES, THEMATIC_KINDS, cell_t, meeting_t, organisation_t
from data_access.metrics.binding import period_value
from data_access.metrics.cells import _due_quarter_range, topic_t
from data_access.metrics.compiler import execute
from data_access.metrics.lists import uncovered_cells
from data_access.metrics.reviews import (
    CORRECTIVE_OUTCOMES,
    FOLLOW_UP_COLUMNS,
    INSPECTION_FIELDS,
    _inspections_in_scope,
    _overdue,
    _unresolved,
    rating_t,
    rating_years,
    ratings,
)
from data_access.metrics.scoping import (
    MEETING_FIELDS,
    _meetings_in_scope,
    _unit_conditions,
    _units,
    commune_t,
)
from data_access.metrics.shaping import _order, _rate


def _frame(rows: Sequence[Any], columns: Sequence[str], dtypes: dict[str, str]) -> pd.DataFrame:
    """A DataFrame of `rows` with exactly `columns`; typed columns keep their dtype when there are no rows."""
    df = rows_frame(rows, columns)
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "object")) for c in columns})
    return df.astype({c: d for c, d in dtypes.items() if c in df.columns})


def _vn_sorted(df: pd.DataFrame, keys: Sequence[str], *, descending: Sequence[str] = ()) -> pd.DataFrame:
    """Rows sorted by `keys` (`shaping._order`: names in Vietnamese order, other values as they compare, missing
    ones last); `descending` ones reversed."""
    return df.iloc[_order(df, keys, descending=descending)].reset_index(drop=True) if len(df) else df


# --------------------------------------------------------------------------------------------------------------
# Search


def search_key(text: object) -> str:
    """`"Đảng bộ xã Lộc Sơn"` → `"dang bo xa loc son"`: accents and case dropped, for accent-insensitive search."""
    plain = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    letters = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(letters.casefold().split())


def name_matches(names: pd.Series, query: str) -> pd.Series:
    """True where a name contains every word of `query`, ignoring accents and case (everything for an empty query)."""
    words = search_key(query).split()
    if not words:
        return pd.Series(True, index=names.index)
    keys = names.map(search_key)
    return keys.map(lambda k: all(w in k for w in words)).astype(bool)


# --------------------------------------------------------------------------------------------------------------
# Thematic meetings


CELLS_WITHOUT_THEMATIC_COLUMNS = ("commune", "organisation", "cell", "quarter", "last_thematic_meeting")


def last_due_quarter(filters: Filters) -> str | None:
    """The last due quarter of the period (`2025-Q1`), or None when no whole quarter of it has ended."""
    first, last = _due_quarter_range(filters)
    return quarter_label(last) if last >= first else None


def cells_without_thematic(engine: Engine, *, filters: Filters, scope: Scope) -> pd.DataFrame:
    """One row per cell due in the period's last due quarter that held no thematic or combined meeting in it, with
    the date of its latest thematic or combined meeting up to the as-of date (empty when it never held one)."""
    first, last = _due_quarter_range(filters)
    if last < first:
        return _frame([], CELLS_WITHOUT_THEMATIC_COLUMNS, {})
    quarter = replace(filters, period_from=Month.from_index(last * 3), period_to=Month.from_index(last * 3 + 2))
    missing = _vn_sorted(uncovered_cells(engine, filters=quarter, scope=scope), ["commune", "organisation", "cell"])
    if missing.empty:
        return _frame([], CELLS_WITHOUT_THEMATIC_COLUMNS, {})
    latest = _latest_thematic(engine, filters, [int(i) for i in missing["cell_id"]])
    missing["quarter"] = quarter_label(last)
    missing["last_thematic_meeting"] = pd.Series([latest.get(int(i)) for i in missing["cell_id"]], dtype=object)
    return missing[list(CELLS_WITHOUT_THEMATIC_COLUMNS)]


def _latest_thematic(engine: Engine, filters: Filters, cell_ids: list[int]) -> dict[int, dt.date]:
    """cell id -> the date of its latest thematic or combined meeting up to as-of, for these cells only: read per
    cell from the meetings' (cell, date, kind) index, not from every meeting in view."""
    stmt = (
        select(meeting_t.c.cell_id, func.max(meeting_t.c.date))
        .where(
            meeting_t.c.cell_id.in_(cell_ids),
            meeting_t.c.kind.in_(THEMATIC_KINDS),
            meeting_t.c.date <= filters.as_of,
        )
        .group_by(meeting_t.c.cell_id)
    )
    with engine.connect() as conn:
        return {int(cell_id): day for cell_id, day in conn.execute(stmt)}


TOPIC_NAME_COLUMNS = ("topic", "topic_en", "category")


def topic_names(engine: Engine) -> pd.DataFrame:
    """One row per thematic topic: its Vietnamese name (the `topic` of the metric tables), English name, category."""
    stmt = select(topic_t.c.name_vi, topic_t.c.name_en, topic_t.c.category)
    with engine.connect() as conn:
        df = _frame(conn.execute(stmt).all(), TOPIC_NAME_COLUMNS, {})
    return _vn_sorted(df, ["topic"])


# --------------------------------------------------------------------------------------------------------------
# Inspections


FOLLOW_UP_BASE = FOLLOW_UP_COLUMNS[:-1]  # the overdue list's columns without its "days_overdue"
OPEN_FOLLOW_UP_COLUMNS = (*FOLLOW_UP_BASE, "days_left")


def open_follow_ups(engine: Engine, *, filters: Filters, scope: Scope) -> pd.DataFrame:
    """One row per inspection that requires correction or discipline, is unresolved at the as-of date and is not
    yet overdue (due on or after as-of, or no due date), whenever it was concluded; soonest due first."""

    def build() -> Select[Any]:  # built once per shape (`compiler.execute`), the as-of day bound as the period's
        src = _inspections_in_scope(filters, scope, in_period=False)
        as_of = period_value("as_of", filters)
        not_due = or_(src.c.follow_up_due.is_(None), src.c.follow_up_due >= as_of)
        return select(*[src.c[c] for c in FOLLOW_UP_BASE]).where(
            src.c.outcome.in_(CORRECTIVE_OUTCOMES), src.c.started_on <= as_of, _unresolved(src, as_of), not_due
        )

    with engine.connect() as conn:
        df = _frame(execute(conn, ("open_follow_ups",), build, filters, scope).all(), FOLLOW_UP_BASE, {})
    df["days_left"] = pd.array(
        [None if d is None or d != d else (d - filters.as_of).days for d in df["follow_up_due"]], dtype="Int64"
    )
    df = _vn_sorted(df, ["days_left", "commune", "organisation", "cell"])
    return df[list(OPEN_FOLLOW_UP_COLUMNS)]


INSPECTION_LIST_COLUMNS = ("commune", "organisation", "cell", *INSPECTION_FIELDS, "follow_up_status")


def inspection_list(engine: Engine, *, filters: Filters, scope: Scope, cell_id: int | None = None) -> pd.DataFrame:
    """One row per inspection dated in the period (conclusion, else start) of the units in the filters (of one
    cell when `cell_id` is given), newest first, with its follow-up status at the as-of date."""
    src = _inspections_in_scope(filters, scope)
    corrective = src.c.outcome.in_(CORRECTIVE_OUTCOMES)
    status = case(
        (~corrective, "none"),
        (_overdue(filters.as_of, src), "overdue"),
        (_unresolved(src, filters.as_of), "open"),
        else_="resolved",
    ).label("follow_up_status")
    stmt = select(*[src.c[c] for c in INSPECTION_LIST_COLUMNS[:-1]], status, src.c.dated)
    if cell_id is not None:
        stmt = stmt.where(src.c.cell_id == cell_id)
    with engine.connect() as conn:
        df = _frame(conn.execute(stmt).all(), (*INSPECTION_LIST_COLUMNS, "dated"), {})
    return _vn_sorted(df, ["dated", "organisation"], descending=("dated",))[list(INSPECTION_LIST_COLUMNS)]


# --------------------------------------------------------------------------------------------------------------
# Classification


ORGANISATION_LEVEL_COLUMNS = ("commune", "organisation", "year", "level")
EXCELLENT_RUN_COLUMNS = ("commune", "organisation", "years", "first_year", "last_year")


def latest_rated_years(engine: Engine, *, filters: Filters, scope: Scope) -> Filters | None:
    """The filters of a classification view that shows something: `filters` when a base organisation in them was
    classified in one of the period's years; when none was yet (a year is classified at its end, so the 12 months
    to a December hold no finished year), the same filters over the two latest years before the period with a
    classification; None when there is none before either."""
    first, last = rating_years(filters)
    stmt = ratings(filters, scope, func.max(rating_t.c.year)).where(rating_t.c.year <= last)
    with engine.connect() as conn:
        latest = conn.execute(stmt).scalar()
    if latest is None:
        return None
    if latest >= first:
        return filters
    return replace(filters, period_from=Month(int(latest) - 1, 1), period_to=Month(int(latest), 12))


def organisation_levels(engine: Engine, *, filters: Filters, scope: Scope) -> pd.DataFrame:
    """One row per base organisation and year of the period it was classified in: its level."""
    first, last = rating_years(filters)
    columns = (commune_t.c.name, organisation_t.c.name, rating_t.c.year, rating_t.c.level)
    stmt = ratings(filters, scope, *columns).where(rating_t.c.year >= first, rating_t.c.year <= last)
    with engine.connect() as conn:
        df = _frame(conn.execute(stmt).all(), ORGANISATION_LEVEL_COLUMNS, {"year": "int64"})
    return _vn_sorted(df, ["commune", "organisation", "year"])


def excellent_runs(engine: Engine, *, filters: Filters, scope: Scope, min_years: int = 2) -> pd.DataFrame:
    """One row per run of at least `min_years` consecutive years in which a base organisation was classified
    excellent, counted over every stored year up to the period's last year, when the run reaches into the period;
    longest runs first."""
    first, last = rating_years(filters)
    run = rating_t.c.year - func.row_number().over(partition_by=organisation_t.c.id, order_by=rating_t.c.year)
    excellent = (
        ratings(
            filters,
            scope,
            commune_t.c.name.label("commune"),
            organisation_t.c.id.label("organisation_id"),
            organisation_t.c.name.label("organisation"),
            rating_t.c.year,
            run.label("run"),
        )
        .where(rating_t.c.level == "excellent", rating_t.c.year <= last)
        .subquery("excellent")
    )
    e = excellent.c
    stmt = (
        select(
            e.commune,
            e.organisation,
            func.count().label("years"),
            func.min(e.year).label("first_year"),
            func.max(e.year).label("last_year"),
        )
        .group_by(e.organisation_id, e.commune, e.organisation, e.run)
        .having(func.count() >= min_years, func.max(e.year) >= first)
    )
    with engine.connect() as conn:
        df = _frame(conn.execute(stmt).all(), EXCELLENT_RUN_COLUMNS, dict.fromkeys(EXCELLENT_RUN_COLUMNS[2:], "int64"))
    return _vn_sorted(df, ["years", "commune", "organisation", "first_year"], descending=("years",))


# --------------------------------------------------------------------------------------------------------------
# Organisations: the directory and one cell's records


UNIT_COLUMNS = (
    "commune_id",
    "commune",
    "organisation_id",
    "organisation",
    "organisation_kind",
    "sector",
    "cell_id",
    "cell",
    "cell_kind",
    "meeting_day",
    "members",
    "active_from",
    "active_to",
)


def units(engine: Engine, *, filters: Filters, scope: Scope) -> pd.DataFrame:
    """One row per party cell of the units in the filters and scope (closed ones too, with `active_to`): its
    commune, base organisation and own details, in Vietnamese order."""
    columns, joined = _units(filters)
    kinds = (
        organisation_t.c.kind.label("organisation_kind"),
        organisation_t.c.sector,
        cell_t.c.kind.label("cell_kind"),
    )
    own = [cell_t.c[c] for c in ("meeting_day", "members", "active_from", "active_to")]
    stmt = select(*columns, *kinds, *own).select_from(joined).where(*_unit_conditions(filters, scope))
    ints = dict.fromkeys(("commune_id", "organisation_id", "cell_id", "meeting_day", "members"), "int64")
    with engine.connect() as conn:
        result = conn.execute(stmt)
        df = _frame(result.all(), list(result.keys()), ints)
    return _vn_sorted(df[list(UNIT_COLUMNS)], ["commune", "organisation", "cell", "cell_id"])


def active_on(df: pd.DataFrame, day: dt.date) -> pd.Series:
    """True for the rows of `units()` whose cell was active on `day`."""
    return (df["active_from"] <= day) & df["active_to"].map(lambda d: d is None or d != d or d >= day).astype(bool)


MEETING_LIST_COLUMNS = (*("topic" if c == "topic_id" else c for c in MEETING_FIELDS), "participation_rate")
"""A meeting's own fields (its topic by name) and its own participation rate."""


def meeting_list(engine: Engine, *, filters: Filters, scope: Scope, cell_id: int) -> pd.DataFrame:
    """One row per meeting of the cell `cell_id` dated in the period (up to as-of), newest first, with the meeting's
    own participation rate (present ÷ (members − exempt); empty when nobody was expected)."""
    src = _meetings_in_scope(filters, scope, meeting_t.c.cell_id == cell_id).subquery("mt")
    stmt = (
        select(*[topic_t.c.name_vi if c == "topic_id" else src.c[c] for c in MEETING_FIELDS])
        .select_from(src.outerjoin(topic_t, topic_t.c.id == src.c.topic_id))
        .order_by(src.c.date.desc(), src.c.kind)
    )
    counts = ("members_total", "members_exempt", "present", "absent_excused", "absent_unexcused")
    with engine.connect() as conn:
        df = _frame(conn.execute(stmt).all(), MEETING_LIST_COLUMNS[:-1], dict.fromkeys(counts, "int64"))
    df["participation_rate"] = _rate(df["present"], MEETING_MEASURES["expected"](df))  # as the metrics divide it
    df["duration_min"] = pd.array(list(df["duration_min"]), dtype="Int64")
    df["superior_attended"] = df["superior_attended"].astype(bool)
    return df[list(MEETING_LIST_COLUMNS)]
