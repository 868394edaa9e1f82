"""The stored month sums: `commune_month` (per commune, kind of organisation and whole month), the months it
covers (`aggregate_span`), and the filters and scope as conditions on it.
`data_access.metrics.compiler` reads them when they cover a view's months."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from data_access.filters import Filters, Scope
from data_access.lineage import chosen_communes
from data_access.measures import aggregate_span_t, commune_month_t
from data_access.metrics.binding import _as_of_month_only, ids  # noqa: F401  (_as_of_month_only: from here)

COMMUNE_GROUPS = ("total", "province", "commune", "month", "quarter", "year")


@dataclass(frozen=True)
class _Summed:
    """A table of month sums per place: the table, its `aggregate_span` row and its key column."""

    table: Table
    name: str
    key: str


_COMMUNES = _Summed(commune_month_t, "commune_month", "commune_id")


def _stored_spans(connectable: Engine | Connection) -> dict[str, tuple[int, int]]:
    """The months each commune table covers (see `data_access.aggregates`)."""
    s = aggregate_span_t.c
    stmt = select(s.table_name, s.first_month, s.last_month)
    if isinstance(connectable, Connection):
        return spans_of_rows(connectable.execute(stmt))
    with connectable.connect() as conn:
        return spans_of_rows(conn.execute(stmt))


def spans_of_rows(rows: Iterable[Any]) -> dict[str, tuple[int, int]]:
    """The spans of rows with `aggregate_span`'s table_name, first_month and last_month (a row without a table, as
    an outer join gives when none is stored, is left out)."""
    return {r.table_name: (r.first_month, r.last_month) for r in rows if r.table_name is not None}


def _covers(spans: Mapping[str, tuple[int, int]], table: str, first: int, last: int) -> bool:
    """True when `table` holds every month first..last (always when the range is empty)."""
    if last < first:
        return True
    span = spans.get(table)
    return span is not None and span[0] <= first and last <= span[1]


def _summed_conditions(path: _Summed, filters: Filters, scope: Scope, table: Table) -> list[ColumnElement[bool]]:
    """The filters and the scope, as conditions on `table` (of `path`): on its commune and kind columns (a view
    filtered to organisations reads the cells)."""
    c = table.c
    conditions: list[ColumnElement[bool]] = []
    if scope.communes is not None:
        conditions.append(c.commune_id.in_(ids("scope_communes", sorted(scope.communes))))
    if filters.communes:  # lineage: a chosen commune takes in its predecessors
        chosen = ids("chosen_communes", sorted({int(i) for i in filters.communes}))
        conditions.append(chosen_communes(c.commune_id, chosen))
    if filters.organisation_kind:
        conditions.append(c.organisation_kind == ids("organisation_kind", filters.organisation_kind))
    return conditions
