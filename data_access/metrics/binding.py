"""The values a statement binds: what varies between two calls of the same shape (the period's bounds, the as-of
day, the ids in scope), named, so that a statement built once can be executed again with other values.

Outside `binding()` the builders write these values as they always did (literals), so every statement built
elsewhere is unchanged. Inside it, each value is a named bound parameter: `period_value(name, filters)` gives the
parameter `name` of the period's catalogue (`period_values`), prefixed by the current `slot` (a statement holding
two periods, or a period and its as-of month, names each one's apart); `ids(name, values)` gives an expanding
parameter for a list of ids. `params_of` recomputes the same values for other filters, without building anything:
the one catalogue both read, so a statement's parameters and the values of a new call cannot drift apart.

The arithmetic of a period (its whole months, its due quarters, the days whose meetings count) lives here, the
lowest module of the package, and is imported by the builders (`cells`, `scoping`, `rollups`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from typing import Any, TypeVar, cast

from sqlalchemy import Date, Integer, bindparam, literal, literal_column
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from data_access.filters import Filters, Month, Scope

RUNNING_MONTHS = 4
"""From this many whole months on, a view by cell reads each cell's sums as two rows of `cell_month_running`
(its running totals at the period's end and before its start) rather than summing its `cell_month` rows."""

T = TypeVar("T")

AS_OF_SLOT = "asof_"
"""The slot of the as-of month's part of a statement read from stored month sums (`compiler._summed_parts`)."""


def _whole_months(filters: Filters) -> tuple[int, int]:
    """The months of the period whose meetings all count: the period's, before the as-of month."""
    return filters.period_from.index, min(filters.period_to.index, Month.of(filters.as_of).index - 1)


def _as_of_month_days(filters: Filters) -> tuple[dt.date, dt.date] | None:
    """The days of the as-of month whose meetings count, when that month is in the period (else None)."""
    as_of_month = Month.of(filters.as_of)
    if not filters.period_from <= as_of_month <= filters.period_to:
        return None
    return as_of_month.first_day, filters.as_of


def _as_of_month_only(filters: Filters) -> Filters | None:
    """The filters narrowed to the as-of month, when that month is in the period (else None)."""
    month = Month.of(filters.as_of)
    if not filters.period_from <= month <= filters.period_to:
        return None
    return replace(filters, period_from=month, period_to=month)


def _due_quarter_range(filters: Filters) -> tuple[int, int]:
    """First and last quarter index (year * 4 + q - 1) that are due: inside the period, ended before as-of."""
    first = -(-filters.period_from.index // 3)
    last = min((filters.period_to.index - 2) // 3, (Month.of(filters.as_of).index - 3) // 3)
    return first, last


def _period_bounds(filters: Filters) -> tuple[dt.date, dt.date]:
    """First and last day of the period whose meetings count (never after the as-of date)."""
    return filters.period_from.first_day, min(filters.period_to.last_day, filters.as_of)


_DATES = ("start", "end", "as_of_first", "as_of", "units_on")


def _own_values(filters: Filters) -> dict[str, Any]:
    as_of_month = Month.of(filters.as_of)
    lo, hi = _whole_months(filters)
    q_first, q_last = _due_quarter_range(filters)
    start, end = _period_bounds(filters)
    return {
        "lo": lo,
        "hi": hi,
        "lo_before": lo - 1,
        "from_m": filters.period_from.index,
        "to_m": filters.period_to.index,
        "due_last": min(filters.period_to.index, as_of_month.index),
        "as_of_m": as_of_month.index,
        "as_of_day": filters.as_of.day,
        "held_mask": (1 << filters.as_of.day) - 1,
        "q_first": q_first,
        "q_last": q_last,
        "q_lo": q_first * 3,
        "q_hi": q_last * 3 + 2,
        "start": start,
        "end": end,
        "as_of_first": as_of_month.first_day,
        "as_of": filters.as_of,
        "units_on": min(filters.as_of, filters.period_to.last_day),
    }


def period_values(filters: Filters) -> dict[str, Any]:
    """Every value of the period a statement may bind, by name; those of its as-of month (when in the period)
    under AS_OF_SLOT."""
    values = _own_values(filters)
    narrowed = _as_of_month_only(filters)
    if narrowed is not None:
        values.update({AS_OF_SLOT + k: v for k, v in _own_values(narrowed).items()})
    return values


def unit_values(filters: Filters, scope: Scope) -> dict[str, Any]:
    """The ids and kind of the units in scope a statement may bind, by name (only those the filters set)."""
    values: dict[str, Any] = {}
    if scope.communes is not None:
        values["scope_communes"] = sorted(scope.communes)
    if filters.communes:
        values["chosen_communes"] = sorted({int(i) for i in filters.communes})
    if filters.organisations:
        values["organisations"] = [int(i) for i in filters.organisations]
    if filters.organisation_kind:
        values["organisation_kind"] = filters.organisation_kind
    return values


def unit_shape(filters: Filters, scope: Scope) -> tuple[Any, ...]:
    """What of the units in scope decides a statement's text (which conditions it has), not their values."""
    return (
        scope.communes is None,
        bool(filters.communes),
        bool(filters.organisations),
        bool(filters.organisation_kind),
        filters.grouping,
    )


def params_of(filters: Filters, scope: Scope, periods: Iterable[tuple[str, Filters]] = ()) -> dict[str, Any]:
    """The values of a statement built in `binding()` for `filters` and `scope`: the units', the period's (slot
    ""), and those of `periods` (slot, filters) under their slots."""
    values = unit_values(filters, scope)
    values.update(period_values(filters))
    for prefix, period in periods:
        values.update({prefix + k: v for k, v in period_values(period).items()})
    return values


_BOUND: ContextVar[dict[str, Any] | None] = ContextVar("bound_values", default=None)
_SHARED: ContextVar[dict[Hashable, Any] | None] = ContextVar("bound_shared", default=None)
_SLOT: ContextVar[str] = ContextVar("bound_slot", default="")


@contextmanager
def binding() -> Iterator[dict[str, Any]]:
    """Within this block the builders bind the varying values as named parameters; yields the names and values
    bound so far (a name bound twice must have one value: else the statement would be wrong for one of them)."""
    bound: dict[str, Any] = {}
    token, shared_token = _BOUND.set(bound), _SHARED.set({})
    try:
        yield bound
    finally:
        _BOUND.reset(token)
        _SHARED.reset(shared_token)


def shared(key: Hashable, build: Callable[[], T]) -> T:
    """One object per `key` in the statement being built in `binding()` (a CTE its parts share under one name),
    built there, so that the values it binds are those of this statement; outside `binding()`, `build()`."""
    objects = _SHARED.get()
    if objects is None:
        return build()
    if key not in objects:
        objects[key] = build()
    return cast(T, objects[key])


@contextmanager
def slot(prefix: str) -> Iterator[None]:
    """The values bound within this block are named with `prefix` in front (inside the current slot's)."""
    token = _SLOT.set(_SLOT.get() + prefix)
    try:
        yield
    finally:
        _SLOT.reset(token)


def current_slot() -> str:
    return _SLOT.get()


def is_binding() -> bool:
    return _BOUND.get() is not None


def _bind(key: str, value: Any, **kwargs: Any) -> BindParameter[Any]:
    bound = _BOUND.get()
    assert bound is not None
    if key in bound and bound[key] != value:
        raise RuntimeError(f"the bound value {key!r} would have two values in one statement")
    bound[key] = value
    return bindparam(key, value, **kwargs)


def period_value(name: str, filters: Filters, *, inline: bool = False) -> ColumnElement[Any]:
    """The value `name` of `filters`' period (`period_values`): a named parameter inside `binding()`, else a
    literal (written into the SQL text when `inline`, as `measures._int` writes it)."""
    value = _own_values(filters)[name]
    type_: Any = Date() if name in _DATES else Integer()
    if _BOUND.get() is None:
        return literal_column(str(int(value)), Integer) if inline else literal(value, type_)
    return _bind(_SLOT.get() + name, value, type_=type_)


def bound_value(name: str, value: Any, type_: Any) -> ColumnElement[Any]:
    """A value of a call other than its period's and units' (a threshold): a named parameter inside `binding()`,
    else a literal."""
    if _BOUND.get() is None:
        return literal(value, type_)
    return _bind(name, value, type_=type_)


def ids(name: str, values: Any) -> Any:
    """A list of ids (or a value, `organisation_kind`) of the units in scope: a named parameter (expanding for a
    list) inside `binding()`, else the values themselves."""
    if _BOUND.get() is None:
        return values
    return _bind(name, values, expanding=isinstance(values, list))


def shape_of(filters: Filters) -> tuple[Any, ...]:
    """What of a period decides a statement's text (which parts it has), not its values: a whole month before the
    as-of month, the as-of month in the period, and how many whole months (RUNNING_MONTHS and more read running
    totals per cell)."""
    lo, hi = _whole_months(filters)
    return (lo <= hi, _as_of_month_days(filters) is not None, hi - lo + 1 >= RUNNING_MONTHS)
