"""The summed paths: `commune_month` for whole months when the view groups by commune or time (not by organisation
or cell, and not filtered to organisations), `organisation_month` when it groups by organisation or is filtered
to organisations (not by cell), and the as-of month from the cells (its raw meetings, one month of rows). Each builder
returns None when it cannot answer (months outside the aggregate's span), and the metric takes the cell path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, Table, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from data_access.filters import Filters, Month, Scope
from data_access.lineage import chosen_communes, join_commune
from data_access.measures import MEETING_SUMS, _int, organisation_t, table_of
from data_access.metrics.cells import _due_cell_months, _due_quarter_range, _monthly_in_scope, _whole_months
from data_access.metrics.scoping import _fast, _province, _unit_conditions, _united, commune_t
from data_access.models import (
    AggregateSpan,
    CommuneMonth,
    OrganisationMonth,
)
from data_access.reporting import reported_month

commune_month_t = table_of(CommuneMonth)
organisation_month_t = table_of(OrganisationMonth)
aggregate_span_t = table_of(AggregateSpan)

COMMUNE_GROUPS = ("total", "province", "commune", "month", "quarter", "year")
ORGANISATION_GROUPS = (*COMMUNE_GROUPS, "organisation")


@dataclass(frozen=True)
class _Summed:
    """A table of month sums per place: the table, its `aggregate_span` row and its key column."""

    table: Table
    name: str
    key: str


_COMMUNES = _Summed(commune_month_t, "commune_month", "commune_id")
_ORGANISATIONS = _Summed(organisation_month_t, "organisation_month", "organisation_id")


def _summed_path(filters: Filters, by: str) -> _Summed | None:
    """The month sums a view can read (None: the cells): per organisation when it groups by organisation or is
    filtered to organisations, else per commune."""
    if not _fast() or by not in ORGANISATION_GROUPS:
        return None
    return _ORGANISATIONS if by == "organisation" or filters.organisations else _COMMUNES


def _stored_spans(engine: Engine) -> dict[str, tuple[int, int]]:
    """The months each commune table covers (see `data_access.aggregates`)."""
    s = aggregate_span_t.c
    with engine.connect() as conn:
        return {
            r.table_name: (r.first_month, r.last_month)
            for r in conn.execute(select(s.table_name, s.first_month, s.last_month))
        }


def _covers(spans: dict[str, tuple[int, int]], table: str, first: int, last: int) -> bool:
    """True when `table` holds every month first..last (always when the range is empty)."""
    if last < first:
        return True
    span = spans.get(table)
    return span is not None and span[0] <= first and last <= span[1]


def _summed_conditions(path: _Summed, filters: Filters, scope: Scope, table: Table) -> list[ColumnElement[bool]]:
    """The filters and the scope, as conditions on `table` (of `path`): on its commune and kind columns, or on
    its organisations."""
    c = table.c
    if path.key == "organisation_id":
        units = _unit_conditions(filters, scope)
        return [c.organisation_id.in_(select(organisation_t.c.id).where(*units))] if units else []
    conditions: list[ColumnElement[bool]] = []
    if scope.communes is not None:
        conditions.append(c.commune_id.in_(sorted(scope.communes)))
    if filters.communes:  # lineage: a chosen commune takes in its predecessors
        conditions.append(chosen_communes(c.commune_id, filters.communes))
    if filters.organisation_kind:
        conditions.append(c.organisation_kind == filters.organisation_kind)
    return conditions


def _as_of_month_only(filters: Filters) -> Filters | None:
    """The filters narrowed to the as-of month, when that month is in the period (else None)."""
    month = Month.of(filters.as_of)
    if not filters.period_from <= month <= filters.period_to:
        return None
    return replace(filters, period_from=month, period_to=month)


def _with_names(path: _Summed, parts: list[Any], columns: Sequence[str], filters: Filters) -> Subquery:
    """The union of `parts` (each: the path's key, m, `columns`) with the names of its commune (and organisation);
    the commune is the one the row counts under in `filters.grouping` (lineage)."""
    united = _united(parts).subquery("cu")
    if path.key == "organisation_id":
        names = [organisation_t.c.id.label("organisation_id"), organisation_t.c.name.label("organisation")]
        joined = join_commune(
            united.join(organisation_t, organisation_t.c.id == united.c.organisation_id),
            organisation_t.c.commune_id,
            filters,
        )
    else:
        names = []
        joined = join_commune(united, united.c.commune_id, filters)
    return (
        select(
            commune_t.c.id.label("commune_id"),
            commune_t.c.name.label("commune"),
            _province(),
            *names,
            united.c.m,
            *[united.c[c] for c in columns],
        )
        .select_from(joined)
        .subquery("cs")
    )


def _summed_due_months(path: _Summed, engine: Engine, filters: Filters, scope: Scope) -> Subquery | None:
    """Per place and month: due cell-months, held, on the fixed day (columns due, held, on_fixed_day)."""
    lo, hi = _whole_months(filters)
    spans = _stored_spans(engine)
    if not _covers(spans, path.name, lo, hi):
        return None
    parts: list[Any] = []
    names = ("due_cell_months", "held_cell_months", "on_fixed_day_cell_months")
    labels = ("due", "held", "on_fixed_day")
    if lo <= hi:
        cm = path.table.c
        # only the months the commune has reported (data_access.reporting)
        commune = cm.commune_id if path.key == "commune_id" else _commune_of_organisation(cm.organisation_id)
        parts.append(
            select(
                cm[path.key], cm.month.label("m"), *[cm[n].label(a) for n, a in zip(names, labels, strict=True)]
            ).where(
                cm.month >= lo,
                cm.month <= hi,
                *_summed_conditions(path, filters, scope, path.table),
                reported_month(commune, cm.month),
            )
        )
    as_of_month = _as_of_month_only(filters)
    if as_of_month is not None:
        due = _due_cell_months(as_of_month, scope)
        parts.append(select(due.c[path.key], due.c.m, _int(1).label("due"), due.c.held, due.c.on_fixed_day))
    if not parts:
        return None
    return _with_names(path, parts, ("due", "held", "on_fixed_day"), filters)


def _commune_of_organisation(organisation_id: Any) -> Any:
    """The commune an organisation is in now, as a scalar subquery (the commune `organisation_month` sums under)."""
    return (
        select(organisation_t.c.commune_id)
        .where(organisation_t.c.id == organisation_id)
        .correlate_except(organisation_t)
        .scalar_subquery()
    )


def _summed_meeting_sums(path: _Summed, engine: Engine, filters: Filters, scope: Scope) -> Subquery | None:
    """Per place and month: the meeting sums of every cell in scope (MEETING_SUMS)."""
    parts = _summed_meeting_sum_parts(path, engine, filters, scope)
    return None if parts is None else _with_names(path, parts, MEETING_SUMS, filters)


def _summed_meeting_sum_parts(path: _Summed, engine: Engine, filters: Filters, scope: Scope) -> list[Any] | None:
    """The parts of `_summed_meeting_sums` before the names are joined: each the path's key, m, MEETING_SUMS."""
    lo, hi = _whole_months(filters)
    spans = _stored_spans(engine)
    if not _covers(spans, path.name, lo, hi):
        return None
    cm = path.table.c
    parts: list[Any] = []
    if lo <= hi:
        parts.append(
            select(cm[path.key], cm.month.label("m"), *[cm[c] for c in MEETING_SUMS]).where(
                cm.month >= lo, cm.month <= hi, *_summed_conditions(path, filters, scope, path.table)
            )
        )
    as_of_month = _as_of_month_only(filters)
    if as_of_month is not None:
        monthly = _monthly_in_scope(as_of_month, scope)
        parts.append(select(monthly.c[path.key], monthly.c.m, *[monthly.c[c] for c in MEETING_SUMS]))
    return parts or None


def _summed_due_quarters(path: _Summed, engine: Engine, filters: Filters, scope: Scope) -> Subquery | None:
    """Per place and quarter (month index of its first month): due cell-quarters and covered ones."""
    part = _summed_due_quarter_part(path, engine, filters, scope)
    return None if part is None else _with_names(path, [part], ("due", "covered"), filters)


def _summed_due_quarter_part(path: _Summed, engine: Engine, filters: Filters, scope: Scope) -> Select[Any] | None:
    """`_summed_due_quarters` before the names are joined: the path's key, m, due, covered."""
    q_first, q_last = _due_quarter_range(filters)
    if not _covers(_stored_spans(engine), path.name, q_first * 3, q_last * 3 + 2):
        return None
    cm = path.table.c
    return select(
        cm[path.key],
        cm.month.label("m"),
        cm.due_cell_quarters.label("due"),
        cm.covered_cell_quarters.label("covered"),
    ).where(cm.month >= q_first * 3, cm.month <= q_last * 3 + 2, *_summed_conditions(path, filters, scope, path.table))
