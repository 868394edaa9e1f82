"""The units in scope, the meetings of a period, and grouping: the SQL every metric shares."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, func, select, union_all
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import CTE

from data_access.errors import UserError
from data_access.filters import Filters, Month, Scope
from data_access.lineage import chosen_communes, commune_t, join_commune
from data_access.measures import _due_bounds, _int, cell_t, meeting_t, month_index, organisation_t
from data_access.metrics.binding import _period_bounds, ids, is_binding, period_value, shared  # noqa: F401  (_period_bounds: from here)
from data_access.reporting import reported_month

MEETING_FIELDS = tuple(c.name for c in meeting_t.c if c.name not in ("id", "cell_id", "import_batch_id"))
"""A meeting's own fields: every column but its keys."""

UNIT_COLUMNS = ("commune_id", "commune", "province", "organisation_id", "organisation", "cell_id", "cell")
"""The unit columns of `_units`, which every row at the cell grain carries."""


def _unit_conditions(filters: Filters, scope: Scope) -> list[ColumnElement[bool]]:
    """The filters and the scope, as conditions on the organisation table (their ids bound, `binding.ids`)."""
    conditions: list[ColumnElement[bool]] = []
    if scope.communes is not None:
        conditions.append(organisation_t.c.commune_id.in_(ids("scope_communes", sorted(scope.communes))))
    if filters.communes:  # lineage: a chosen commune takes in its predecessors
        chosen = ids("chosen_communes", sorted({int(i) for i in filters.communes}))
        conditions.append(chosen_communes(organisation_t.c.commune_id, chosen))
    if filters.organisations:
        conditions.append(organisation_t.c.id.in_(ids("organisations", [int(i) for i in filters.organisations])))
    if filters.organisation_kind:
        conditions.append(organisation_t.c.kind == ids("organisation_kind", filters.organisation_kind))
    return conditions


def _units(filters: Filters | None = None) -> tuple[list[Any], Any]:
    """Columns naming a cell's commune, organisation and cell, and the joined FROM clause. The commune is the one
    the cell counts under in `filters.grouping` (`lineage.join_commune`: the commune of the time, or the commune it
    belongs to today)."""
    columns = [
        *_commune_columns(),
        organisation_t.c.id.label("organisation_id"),
        organisation_t.c.name.label("organisation"),
        cell_t.c.id.label("cell_id"),
        cell_t.c.name.label("cell"),
    ]
    return columns, _of_organisations(cell_t, filters)


def _of_organisations(table: Any, filters: Filters | None) -> Any:
    """`table` (rows of an organisation: cells, inspections, ratings) with its organisation and the commune it counts
    under (lineage: `filters.grouping`)."""
    joined = table.join(organisation_t, organisation_t.c.id == table.c.organisation_id)
    return join_commune(joined, organisation_t.c.commune_id, filters)


def _named_rows(key: str, rows: Any, columns: Sequence[str], filters: Filters) -> Any:
    """`rows` (a subquery of `key` (commune_id), m, `columns`) with the names of its commune: the unit columns of
    the stored month sums, as `_units` gives those of a cell."""
    joined = join_commune(rows, rows.c[key], filters)
    return select(*_commune_columns(), rows.c.m, *[rows.c[c] for c in columns]).select_from(joined).subquery("cs")


def _counted(recorded_commune_id: Any, month: Any) -> ColumnElement[bool]:
    """Which due cell-months count in regularity and on the fixed day: those of the commune-months that have
    reported (`data_access.reporting`; every one in a database without reporting records). Keyed by the commune a
    row was recorded under, whatever the grouping: a commune reports for itself, before and after a merger. The
    one place that narrows them; the due months of the cells (through `cells._unreported`, the months it leaves
    out) and of the stored month sums (`compiler._summed_parts`) both ask it."""
    return reported_month(recorded_commune_id, month)


def _commune_columns() -> list[Any]:
    """The commune's id, name and province ('' when not recorded, the group of national views)."""
    return [
        commune_t.c.id.label("commune_id"),
        commune_t.c.name.label("commune"),
        func.coalesce(commune_t.c.province, "").label("province"),
    ]


def _cells_in_scope(filters: Filters, scope: Scope, cells: Sequence[int] | None = None) -> CTE:
    """One row per cell in scope with its first and last due month (the cell and its organisation both active on
    the month's first day) and its scheduled day; only the cells with those ids when `cells` is given.

    The same CTE for the same units and scope (whatever the period), so that every part of one statement (due
    cell-months and cell-quarters, two periods' totals) shares it under its one name.

    Materialized on SQLite: joined to months as a subquery, SQLite computed the due bounds (twelve date functions)
    again for every month of every cell (the missed meetings' four months of a province's 9,210 cells: 94 ->
    47 ms). Materialized on PostgreSQL too: inlined, it computed each cell's due bounds again for every month
    joined (missed meetings 16.2 -> 7.5 ms)."""
    any_period = replace(
        filters,
        period_from=_ANY_MONTH,
        period_to=_ANY_MONTH,
        as_of=_ANY_MONTH.first_day,
        communes=tuple(filters.communes),  # the cache's key: a list of ids given by a caller would not hash
        organisations=tuple(filters.organisations),
    )
    cell_ids = None if cells is None else tuple(int(c) for c in cells)
    if is_binding():  # built in the statement, its ids bound there
        return shared(
            ("cells", any_period, scope, cell_ids), lambda: _cells_cte.__wrapped__(any_period, scope, cell_ids)
        )
    return _cells_cte(any_period, scope, cell_ids)


_ANY_MONTH = Month(2000, 1)


@lru_cache(maxsize=256)
def _cells_cte(filters: Filters, scope: Scope, cells: tuple[int, ...] | None) -> CTE:
    columns, joined = _units(filters)
    first_due, last_due = _due_bounds()
    stmt = (
        select(
            *columns,
            organisation_t.c.commune_id.label("recorded_commune_id"),
            cell_t.c.meeting_day,
            first_due.label("first_due"),
            last_due.label("last_due"),
        )
        .select_from(joined)
        .where(*_unit_conditions(filters, scope))
    )
    if cells is not None:
        stmt = stmt.where(cell_t.c.id.in_(list(cells)))
    cte = stmt.cte("cells").prefix_with("MATERIALIZED", dialect="sqlite")
    return cte.prefix_with("MATERIALIZED", dialect="postgresql")


def _meetings_in_scope(filters: Filters, scope: Scope, *extra: ColumnElement[bool]) -> Select[Any]:
    """Meetings dated in the period (up to as-of) of cells in scope, with their unit names and month index."""
    columns, joined = _units(filters)
    start, end = period_value("start", filters), period_value("end", filters)
    return (
        select(*columns, month_index(meeting_t.c.date).label("m"), *[meeting_t.c[c] for c in MEETING_FIELDS])
        .select_from(meeting_t.join(joined, cell_t.c.id == meeting_t.c.cell_id))
        .where(meeting_t.c.date >= start, meeting_t.c.date <= end, *_unit_conditions(filters, scope), *extra)
    )


_PER_PLACE: ContextVar[str | None] = ContextVar("per_place", default=None)
PER_COMMUNE_KEY = "p_commune_id"
PER_PROVINCE_KEY = "p_province"
_PLACE_KEYS = (PER_COMMUNE_KEY, PER_PROVINCE_KEY)


def _group_keys(by: str, source: Any) -> list[Any]:
    """The GROUP BY expressions of `by` over `source` (a subquery with unit columns and a month index m); inside
    `per_commune` the commune id comes first (column PER_COMMUNE_KEY), inside `per_province` the province
    (PER_PROVINCE_KEY), so one query answers every commune or province."""
    c = source.c
    place = _PER_PLACE.get()
    keys: list[Any] = []
    if place is not None:
        keys.append(c.commune_id.label(PER_COMMUNE_KEY) if place == "commune" else c.province.label(PER_PROVINCE_KEY))
    if by == "total":
        return keys
    if by == "province":
        return [*keys, c.province.label("province")]
    if by == "commune":
        return [*keys, c.commune_id.label("g_commune_id"), c.commune.label("commune")]
    if by in ("organisation", "cell"):
        keys += [c.commune.label("commune"), c.organisation_id.label("g_org_id"), c.organisation.label("organisation")]
        return [*keys, c.cell_id.label("g_cell_id"), c.cell.label("cell")] if by == "cell" else keys
    if by == "month":
        return [*keys, c.m.label("month")]
    if by == "quarter":
        return [*keys, (c.m // _int(3)).label("quarter")]
    if by == "year":
        return [*keys, (c.m // _int(12)).label("year")]
    raise UserError(f"unknown grouping {by!r}")


# --------------------------------------------------------------------------------------------------------------
# The fast path: cell × month aggregates for whole months, raw meetings for the as-of month

_USE_AGGREGATES: ContextVar[bool] = ContextVar("use_aggregates", default=True)


@contextmanager
def from_raw_meetings() -> Iterator[None]:
    """Within this block the metrics are computed from the raw meetings only (the reference of the fast path)."""
    token = _USE_AGGREGATES.set(False)
    try:
        yield
    finally:
        _USE_AGGREGATES.reset(token)


def _fast() -> bool:
    return _USE_AGGREGATES.get()


def _united(parts: Sequence[Any]) -> Any:
    """The parts as one UNION ALL (the part itself when there is one)."""
    if len(parts) == 1:
        return parts[0]
    first, *rest = parts
    return union_all(first, *rest)
