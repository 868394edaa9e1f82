"""Overview: headline numbers with the previous period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from sqlalchemy import Date, Select, and_, func, or_, select, true
from sqlalchemy.engine import Connection, Engine

from data_access.filters import Filters, Month, Scope
from data_access.measures import _sum, aggregate_span_t, cell_t, meeting_t, organisation_t
from data_access.metrics.binding import bound_value, current_slot, params_of, shape_of, slot, unit_shape
from data_access.metrics.compiler import Spans, _plan, compiled, statement
from data_access.metrics.definitions import FAMILY_OF, RATES
from data_access.metrics.reviews import _inspections_in_scope, _overdue
from data_access.metrics.rollups import spans_of_rows
from data_access.metrics.scoping import _PER_PLACE, _fast, _unit_conditions
from data_access.metrics.shaping import _rate


@dataclass(frozen=True)
class Kpi:
    """A headline number and its value in the previous period (None: no data there). `compared`: False for a
    number shown without a comparison (open follow-ups, a unit's own rates)."""

    value: float | None
    previous: float | None
    compared: bool = True

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def _units_at(filters: Filters, scope: Scope, on: dt.date) -> list[Select[Any]]:
    """Organisations, cells and members (Σ Cell.members) of units active on the date `on`, in scope: one-row
    selects of the columns organisations, and cells and members."""
    day = bound_value(current_slot() + "units_on", on, Date())  # as `binding.period_values` names it
    active_cell = and_(cell_t.c.active_from <= day, or_(cell_t.c.active_to.is_(None), cell_t.c.active_to >= day))
    active_org = and_(
        organisation_t.c.active_from <= day,
        or_(organisation_t.c.active_to.is_(None), organisation_t.c.active_to >= day),
    )
    conditions = _unit_conditions(filters, scope)
    return [
        select(func.count().label("organisations")).select_from(organisation_t).where(active_org, *conditions),
        select(func.count().label("cells"), _sum(cell_t.c.members).label("members"))
        .select_from(cell_t.join(organisation_t, organisation_t.c.id == cell_t.c.organisation_id))
        .where(active_cell, active_org, *conditions),
    ]


def _one_row_values(row: Any, parts: int) -> list[dict[str, int]]:
    """The values of `_one_row_statement`'s row for each of its `parts` lists (its columns are named
    `{name}_{list}`)."""
    values: list[dict[str, int]] = [{} for _ in range(parts)]
    for key, value in row.items():
        name, i = key.rsplit("_", 1)
        values[int(i)][name] = int(value)
    return values


def _one_row_statement(parts: Sequence[Sequence[Select[Any]]]) -> Select[Any]:
    """Every list of one-row selects in `parts` in one statement (the selects joined on nothing; each is an
    aggregate without GROUP BY, so it has exactly one row): the columns of the i-th list named `{name}_{i}`."""
    subqueries = []
    columns = []
    names: list[list[str]] = []
    for i, selects in enumerate(parts):
        names.append([])
        for j, one in enumerate(selects):
            subquery = one.subquery(f"one_{i}_{j}")
            subqueries.append(subquery)
            for column in subquery.c:
                columns.append(column.label(f"{column.name}_{i}"))
                names[i].append(column.name)
    joined: Any = subqueries[0]
    for subquery in subqueries[1:]:
        joined = joined.join(subquery, true())
    return select(*columns).select_from(joined)


MEETING_METRICS = ("regularity", "participation", "thematic", "topics", "superior_attendance")
"""The metrics read from meetings: compared over the recorded part of the previous period (`previous_recorded`)."""

MEETING_KPIS = (
    "regularity_rate",
    "on_fixed_day_rate",
    "participation_rate",
    "thematic_coverage",
    "superior_attendance_rate",
)


_TOTALS = {  # the sums the meeting KPIs divide (RATES): column -> measure (definitions.FAMILIES)
    "due_cell_months": "due_cell_months",
    "held_cell_months": "held_cell_months",
    "on_fixed_day_cell_months": "on_fixed_day_cell_months",
    "expected": "expected",
    "present": "present",
    "meetings": "meetings",
    "attended": "superior_attended",
    "due_cell_quarters": "due_cell_quarters",
    "covered_cell_quarters": "covered_cell_quarters",
}


def _meeting_totals(filters: Filters, scope: Scope, spans: Spans, dialect: str) -> list[Select[Any]]:
    """The one-row totals the meeting KPIs of `filters` are divided from (the columns of `_TOTALS`), compiled as
    the metric tables' `by="total"` rows are, so equal to them."""
    return [statement(_TOTALS, filters, scope, "total", spans=spans, dialect=dialect, raw=not _fast())]


def _meeting_kpis(totals: dict[str, int]) -> dict[str, float | None]:
    """The meeting KPIs of the metric totals (a rate over a zero denominator is None: no data)."""
    kpis: dict[str, float | None] = {}
    for kpi in MEETING_KPIS:
        numerator, denominator = RATES[kpi]
        rate = float(_rate([totals[numerator]], [totals[denominator]])[0])
        kpis[kpi] = None if np.isnan(rate) else rate
    return kpis


def _unit_counts(filters: Filters, scope: Scope) -> list[Select[Any]]:
    """The headline counts of `filters` other than meetings, as one-row selects: units active at the period's end
    (or as-of), inspections dated in the period (as `inspections` counts them) and follow-ups overdue at as-of
    (the rows of `overdue_follow_ups`)."""
    in_period = _inspections_in_scope(filters, scope)
    every = _inspections_in_scope(filters, scope, in_period=False)
    return [
        *_units_at(filters, scope, min(filters.as_of, filters.period_to.last_day)),
        select(func.count().label("inspections")).select_from(in_period),
        select(func.count().label("overdue_follow_ups")).select_from(every).where(_overdue(filters.as_of, every)),
    ]


def first_recorded_month(engine: Engine) -> Month | None:
    """The month of the earliest meeting in the database (None when there is none): the records begin there."""
    with engine.connect() as conn:
        first = conn.execute(select(func.min(meeting_t.c.date))).scalar()
    return _month_of(first)


def _month_of(day: Any) -> Month | None:
    if day is None:
        return None
    return Month.of(day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10]))


def _first_month_and_spans(conn: Connection) -> tuple[Month | None, Spans]:
    """`first_recorded_month` and the stored spans (`compiler.spans_of`) in one statement: what `overview` reads
    before it can build its own (the spans' rows, each with the earliest meeting's day; one row of it alone when
    no span is stored)."""
    first = select(func.min(meeting_t.c.date).label("first_day")).subquery("first_meeting")
    s = aggregate_span_t.c
    rows = conn.execute(
        select(first.c.first_day, s.table_name, s.first_month, s.last_month).select_from(
            first.outerjoin(aggregate_span_t, true())
        )
    ).all()
    return _month_of(rows[0].first_day), spans_of_rows(rows)


def previous_recorded(engine: Engine, filters: Filters) -> Filters | None:
    """The previous period of the filters, from the first recorded month on (see `recorded_part`): what its
    meeting figures are compared over."""
    return recorded_part(filters.previous_period(), first_recorded_month(engine))


def recorded_part(filters: Filters, first: Month | None) -> Filters | None:
    """The filters with their period cut to start no earlier than the records (`first_recorded_month`); None when
    the whole period lies before them (or there are no meetings at all)."""
    if first is None or filters.period_to < first:
        return None
    return filters if first <= filters.period_from else replace(filters, period_from=first)


KPI_IDS = (
    "organisations",
    "cells",
    "members",
    "regularity_rate",
    "on_fixed_day_rate",
    "participation_rate",
    "thematic_coverage",
    "superior_attendance_rate",
    "inspections",
    "overdue_follow_ups",
)


def overview(engine: Engine, *, filters: Filters, scope: Scope) -> dict[str, Kpi]:
    """The headline numbers for the filters and for the previous period of the same length.

    The previous period's meeting KPIs count only its months from the first recorded meeting on: a month before
    the records began is unknown, not a month without meetings (a period wholly before them has no data). Its
    units, inspections and follow-ups are counted as for any period.

    Every count and every meeting total of both periods is read in one statement (`_one_row_statement`), built once per
    shape (`compiler.compiled`): each period's values bound under its slot."""
    raw = not _fast()
    dialect = engine.dialect.name
    with engine.connect() as conn:  # two statements on one connection: what the first reads shapes the second
        first, stored = _first_month_and_spans(conn)
        spans = {} if raw else stored  # (compiler.spans_of: none needed for the raw reference)
        recorded = recorded_part(filters.previous_period(), first)
        meeting_periods = [filters] if recorded is None else [filters, recorded]
        periods = [
            ("u0_", filters, lambda: _unit_counts(filters, scope)),
            ("u1_", filters.previous_period(), lambda: _unit_counts(filters.previous_period(), scope)),
            *[
                (f"t{i}_", period, lambda p=period: _meeting_totals(p, scope, spans, dialect))
                for i, period in enumerate(meeting_periods)
            ],
        ]

        def build() -> Select[Any]:
            parts = []
            for prefix, _period, selects in periods:
                with slot(prefix):
                    parts.append(selects())
            return _one_row_statement(parts)

        families = {FAMILY_OF[m] for m in _TOTALS.values()}
        plans = [_plan(families, period, "total", spans, raw=raw) for period in meeting_periods]
        shapes = [shape_of(period) for _, period, _ in periods]
        key = ("overview", dialect, raw, _PER_PLACE.get(), unit_shape(filters, scope), *plans, *shapes)
        values = params_of(filters, scope, [(prefix, period) for prefix, period, _ in periods])
        stmt, parameters = compiled(key, build, values, engine.dialect)
        row = conn.execute(stmt, parameters).one()._mapping
    rows = _one_row_values(row, len(periods))
    rates = [_meeting_kpis(row) for row in rows[2:]]
    if recorded is None:
        rates.append(dict.fromkeys(MEETING_KPIS))
    now: dict[str, float | None] = {**rows[0], **rates[0]}
    before: dict[str, float | None] = {**rows[1], **rates[1]}
    return {kpi: Kpi(_number(now[kpi]), _number(before[kpi])) for kpi in KPI_IDS}


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)
