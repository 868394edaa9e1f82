"""What higher bodies judge: inspections (outcomes, overdue follow-ups) and the yearly classification."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Date, Select, and_, func, literal, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from data_access.filters import GROUP_COLUMNS, Filters, Scope
from data_access.frames import rows_frame
from data_access.measures import _flag, _int, _sum, cell_t, month_index, table_of
from data_access.metrics.binding import bound_value, current_slot, period_value
from data_access.metrics.compiler import execute
from data_access.metrics.definitions import (
    CLASSIFICATION_COLUMNS,
    CLASSIFICATION_LEVELS,
    INSPECTION_COLUMNS,
    check_group,
)
from data_access.metrics.scoping import _group_keys, _of_organisations, _unit_conditions, _units
from data_access.metrics.shaping import _finish, _rate
from data_access.models import OUTCOMES, Inspection, Rating

inspection_t = table_of(Inspection)
rating_t = table_of(Rating)
CORRECTIVE_OUTCOMES = ("correction_required", "disciplined")
INSPECTION_FIELDS = tuple(
    c.name for c in inspection_t.c if c.name not in ("id", "organisation_id", "cell_id", "findings", "import_batch_id")
)
"""An inspection's own fields, as the lists show them (after its commune, organisation and cell): every column but
its keys and its free-text findings."""


def _organisation_columns() -> list[Any]:
    """The commune and organisation columns of `scoping._units` (what an inspection or a rating is named by)."""
    return _units()[0][:5]


def _overdue(as_of: dt.date, source: Any) -> ColumnElement[bool]:
    """Requires correction or discipline, follow-up due before as-of, not resolved by as-of (the as-of day bound
    as its period's, `binding.period_values`, inside `binding()`)."""
    day = bound_value(current_slot() + "as_of", as_of, Date())
    return and_(
        source.c.outcome.in_(CORRECTIVE_OUTCOMES),
        source.c.follow_up_due.is_not(None),
        source.c.follow_up_due < day,
        _unresolved(source, day),
    )


def _unresolved(source: Any, day: Any) -> ColumnElement[bool]:
    """Not resolved by `day`."""
    return or_(source.c.resolved_on.is_(None), source.c.resolved_on > day)


def _inspections_in_scope(filters: Filters, scope: Scope, *, in_period: bool = True) -> Subquery:
    when = func.coalesce(inspection_t.c.concluded_on, inspection_t.c.started_on)
    stmt = (
        select(
            *_organisation_columns(),
            inspection_t.c.cell_id.label("cell_id"),
            func.coalesce(cell_t.c.name, "").label("cell"),
            month_index(when).label("m"),
            when.label("dated"),
            inspection_t.c.id,
            *[inspection_t.c[c] for c in INSPECTION_FIELDS],
        )
        .select_from(_of_organisations(inspection_t, filters).outerjoin(cell_t, cell_t.c.id == inspection_t.c.cell_id))
        .where(*_unit_conditions(filters, scope))
    )
    if in_period:
        stmt = stmt.where(when >= period_value("start", filters), when <= period_value("end", filters))
    return stmt.subquery("insp")


def inspections(engine: Engine, *, filters: Filters, scope: Scope, by: str = "commune") -> pd.DataFrame:
    """One row per group: inspections dated in the period (conclusion, else start), by outcome, and overdue ones."""
    check_group("inspections", by)
    own = (by,) if by in ("body", "kind") else ()  # a column of the inspections, after the place

    def build() -> Select[Any]:
        src = _inspections_in_scope(filters, scope)
        measures = [func.count().label("inspections")]
        measures += [_sum(_flag(src.c.outcome == outcome)).label(outcome) for outcome in OUTCOMES]
        measures.append(_sum(_flag(_overdue(filters.as_of, src))).label("overdue_follow_ups"))
        # inside `per_commune` or `per_province` the place first, as `_group_keys` puts it
        keys = [*_group_keys("total", src), src.c[by]] if own else _group_keys(by, src)
        return select(*keys, *measures).group_by(*keys)

    with engine.connect() as conn:
        result = execute(conn, ("inspections", by), build, filters, scope)
        df = rows_frame(result.all(), list(result.keys()))
    return _finish(df, by, GROUP_COLUMNS.get(by, own) + INSPECTION_COLUMNS, extra_sort=own)


FOLLOW_UP_COLUMNS = (
    "commune",
    "organisation",
    "cell",
    *(c for c in INSPECTION_FIELDS if not c.endswith("_level")),
    "days_overdue",
)


def overdue_follow_ups(engine: Engine, *, filters: Filters, scope: Scope) -> pd.DataFrame:
    """One row per inspection whose follow-up is overdue at the as-of date, whenever it was concluded."""

    def build() -> Select[Any]:
        src = _inspections_in_scope(filters, scope, in_period=False)
        return select(*[src.c[c] for c in FOLLOW_UP_COLUMNS[:-1]]).where(_overdue(filters.as_of, src))

    with engine.connect() as conn:
        result = execute(conn, ("overdue_follow_ups",), build, filters, scope)
        rows = [(*row, (filters.as_of - row.follow_up_due).days) for row in result]
    rows.sort(key=lambda row: row[-1], reverse=True)  # most overdue first; stable, as reverse keeps ties in order
    return rows_frame(rows, FOLLOW_UP_COLUMNS).astype({"days_overdue": "int64"})


def classification(engine: Engine, *, filters: Filters, scope: Scope, by: str = "commune") -> pd.DataFrame:
    """One row per group and year: organisations rated (cells when grouped by cell), per level, share good or above."""
    check_group("classification", by)
    first, last = rating_years(filters)
    src = (
        ratings(
            filters,
            scope,
            *_organisation_columns(),
            rating_t.c.cell_id.label("cell_id"),
            (cell_t.c.name if by == "cell" else literal("")).label("cell"),
            (rating_t.c.year * _int(12)).label("m"),
            rating_t.c.year.label("rating_year"),
            rating_t.c.level,
            of_cells=by == "cell",
        )
        .where(rating_t.c.year >= first, rating_t.c.year <= last)
        .subquery("rt")
    )
    keys = _group_keys(by, src)
    if by != "year":
        keys.append(src.c.rating_year.label("year"))
    measures = [func.count().label("rated")]
    measures += [_sum(_flag(src.c.level == level)).label(level) for level in CLASSIFICATION_LEVELS]
    stmt = select(*keys, *measures).group_by(*keys)
    with engine.connect() as conn:
        result = conn.execute(stmt)
        df = rows_frame(result.all(), list(result.keys()))
    df["good_or_above_share"] = _rate(df["excellent"] + df["good"], df["rated"])
    group_columns = ("year",) if by in ("year", "total") else (*GROUP_COLUMNS[by], "year")
    return _finish(df, by, (*group_columns, *CLASSIFICATION_COLUMNS), extra_sort=("year",) if by != "year" else ())


def rating_years(filters: Filters) -> tuple[int, int]:
    """The years a classification view covers: the period's, up to as-of."""
    return filters.period_from.year, min(filters.period_to.year, filters.as_of.year)


def ratings(filters: Filters, scope: Scope, *columns: Any, of_cells: bool = False) -> Select[Any]:
    """`columns` of the ratings of base organisations (of their cells with `of_cells`) in the filters and scope."""
    joined = _of_organisations(rating_t, filters)
    if of_cells:
        joined = joined.join(cell_t, cell_t.c.id == rating_t.c.cell_id)
    rated = rating_t.c.cell_id.is_not(None) if of_cells else rating_t.c.cell_id.is_(None)
    return select(*columns).select_from(joined).where(rated, *_unit_conditions(filters, scope))
