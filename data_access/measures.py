"""The cell-month grain every metric and every derived table is built on, written once.

Which meetings count as held and as thematic, how a date becomes a month index, a unit's first and last due month
(the cell and its organisation both active on the month's first day), and the measures of a meeting summed at the
cell-month grain (`MEETING_SUMS`, each an expression over a meeting row: `expected` is members less exempt here and
nowhere else). `data_access.aggregates` writes its tables from these, `data_access.metrics` reads with them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Integer, Select, Table, case, func, literal, literal_column, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import CTE

from data_access.models import Cell, Meeting, Organisation


def table_of(model: Any) -> Table:
    """The table of a SQLModel class (typed: mypy does not see `__table__` on SQLModel classes)."""
    return cast(Table, model.__table__)


meeting_t = table_of(Meeting)
cell_t = table_of(Cell)
organisation_t = table_of(Organisation)

HELD_KINDS = ("regular", "combined")
THEMATIC_KINDS = ("thematic", "combined")
NEVER = 10**7  # a month index later than any real one: "no end date"


def month_index(column: Any) -> ColumnElement[int]:
    """year * 12 + month - 1 of a date column, portable between SQLite and PostgreSQL."""
    year = sql_cast(func.extract("year", column), Integer)
    month = sql_cast(func.extract("month", column), Integer)
    return year * _int(12) + month - _int(1)


def _int(n: int) -> ColumnElement[int]:
    """An integer constant written into the SQL text (not a parameter), so that the same expression in SELECT
    and GROUP BY is textually identical, which PostgreSQL requires."""
    return literal_column(str(int(n)), Integer)


def day_of(column: Any) -> ColumnElement[int]:
    return sql_cast(func.extract("day", column), Integer)


def _due_bounds() -> tuple[ColumnElement[int], ColumnElement[int]]:
    """A cell's first and last due month: the cell and its organisation both active on the month's first day."""
    first_due = _later(_first_due(cell_t.c.active_from), _first_due(organisation_t.c.active_from))
    last_due = _earlier(_last_due(cell_t.c.active_to), _last_due(organisation_t.c.active_to))
    return first_due, last_due


def cell_spans(*conditions: ColumnElement[bool]) -> Select[Any]:
    """Every cell (matching `conditions` on cell and organisation) with its organisation, commune, organisation's
    kind, meeting day and first and last due month: what `data_access.aggregates` sums per commune and per
    organisation."""
    first_due, last_due = _due_bounds()
    return (
        select(
            cell_t.c.id.label("cell_id"),
            cell_t.c.organisation_id,
            organisation_t.c.commune_id,
            organisation_t.c.kind.label("organisation_kind"),
            cell_t.c.meeting_day,
            first_due.label("first_due"),
            last_due.label("last_due"),
        )
        .select_from(cell_t.join(organisation_t, organisation_t.c.id == cell_t.c.organisation_id))
        .where(*conditions)
    )


def _first_due(active_from: Any) -> ColumnElement[int]:
    """The first month whose 1st day the unit was active on."""
    return month_index(active_from) + case((day_of(active_from) > 1, 1), else_=0)


def _last_due(active_to: Any) -> ColumnElement[int]:
    """The last month whose 1st day the unit was active on (NEVER when it is still open)."""
    return func.coalesce(month_index(active_to), NEVER)


def _later(a: ColumnElement[int], b: ColumnElement[int]) -> ColumnElement[int]:
    return case((a > b, a), else_=b)  # GREATEST() is not portable to SQLite


def _earlier(a: ColumnElement[int], b: ColumnElement[int]) -> ColumnElement[int]:
    return case((a < b, a), else_=b)


@lru_cache(maxsize=256)
def _series_cte(name: str, start: int, end: int) -> CTE:
    """A recursive CTE of integers start..end (empty when end < start), named for them: one object per range, so
    that one statement can hold several ranges (two periods) and share one."""
    name = f"{name}_{start}_{end}".replace("-", "m")
    seed = select(literal(start, Integer).label("n")).where(literal(start, Integer) <= literal(end, Integer))
    series = seed.cte(name, recursive=True)
    return series.union_all(select((series.c.n + 1).label("n")).where(series.c.n < end))


def _sum(expr: Any) -> Any:
    return func.coalesce(func.sum(expr), 0)


def _flag(condition: ColumnElement[bool]) -> Any:
    return case((condition, 1), else_=0)


LONG_MEETING_MINUTES = 90
"""The party's quality-meeting criterion: a meeting lasting at least this long (no duration recorded: not long)."""

MEETING_MEASURES: dict[str, Callable[[Any], Any]] = {
    "meetings": lambda m: literal_column("1", Integer),
    "expected": lambda m: m.members_total - m.members_exempt,
    "present": lambda m: m.present,
    "absent_excused": lambda m: m.absent_excused,
    "absent_unexcused": lambda m: m.absent_unexcused,
    "superior_attended": lambda m: _flag(m.superior_attended.is_(True)),
    "thematic": lambda m: _flag(m.kind.in_(THEMATIC_KINDS)),
    "long_meetings": lambda m: _flag(m.duration_min >= LONG_MEETING_MINUTES),
}
"""The measures of one meeting (columns `m` of a meeting row), summed at the cell-month grain: the columns of
`cell_month` and its running totals, of the commune and organisation sums, and of the as-of month's raw part."""

MEETING_SUMS = tuple(MEETING_MEASURES)


def meeting_sums(m: Any) -> list[Any]:
    """Every measure of `MEETING_MEASURES` summed over the meeting rows `m` (meetings as a count), labelled."""
    return [
        (func.count() if name == "meetings" else func.sum(measure(m))).label(name)
        for name, measure in MEETING_MEASURES.items()
    ]
