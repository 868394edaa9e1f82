"""The cell-month grain every metric and every derived table is built on, written once.

Which meetings count as held and as thematic, how a date becomes a month index, a unit's first and last due month
(the cell and its organisation both active on the month's first day), the measures of a meeting summed at the
cell-month grain (`MEETING_MEASURES`, each an expression over a meeting row: `expected` is members less exempt here
and nowhere else), and the derived tables, built from those measures (`derived_tables`): a measure added to
`MEETING_MEASURES` is a column of each table that sums it, with no model to edit and no migration to write (`init`
rebuilds a derived table whose columns are not these). `data_access.aggregates` writes the tables,
`data_access.metrics` reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    and_,
    case,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import CTE, Subquery
from sqlmodel import SQLModel

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


def series(name: str, start: Any, end: Any) -> CTE:
    """The integers from the SQL value `start` to `end` (none when end < start) as a recursive CTE `name`."""
    seed = select(start.label("n")).where(start <= end)
    series = seed.cte(name, recursive=True)
    return series.union_all(select((series.c.n + 1).label("n")).where(series.c.n < end))


@lru_cache(maxsize=256)
def _series_cte(name: str, start: int, end: int) -> CTE:
    """`series` of start..end, its bounds bound, named for them: one object per range, so that one statement can
    hold several ranges (two periods) and share one."""
    return series(f"{name}_{start}_{end}".replace("-", "m"), literal(start, Integer), literal(end, Integer))


def on_day(held_days: Any, day: Any) -> ColumnElement[int]:
    """1 when the bit of the day `day` is set in `held_days` (a `cell_month.held_days` value), else 0."""
    return held_days.op(">>", return_type=Integer)(day - _int(1)).op("&", return_type=Integer)(_int(1))


def covered_quarters(cell_id: Any, month: Any, *conditions: ColumnElement[bool]) -> Subquery:
    """Per cell, the quarters (q = month // 3) of the rows matching `conditions` (those of its thematic or combined
    meetings, or `cell_month` rows with one)."""
    quarter = month // _int(3)
    return select(cell_id, quarter.label("q")).where(*conditions).group_by(cell_id, quarter).subquery("covered")


def due_quarters(cells: Any, quarters: CTE, covered: Subquery) -> Any:
    """`cells` (cell_id, first_due, last_due) joined to their due `quarters` (n, the quarter index: due when its
    first month is), and to `covered` where it has the quarter."""
    q = quarters.c.n
    due = and_(q * _int(3) >= cells.c.first_due, q * _int(3) <= cells.c.last_due)
    return cells.join(quarters, due).outerjoin(covered, and_(covered.c.cell_id == cells.c.cell_id, covered.c.q == q))


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


MONTH_MEASURES = ("due_cell_months", "held_cell_months", "on_fixed_day_cell_months")
"""Per due cell-month (the cell and its organisation active on the month's first day, up to as-of): 1, held (a
regular or combined meeting), held on the cell's fixed day."""

QUARTER_MEASURES = ("due_cell_quarters", "covered_cell_quarters")
"""Per due cell-quarter (whole, in the period, ended before the as-of month; on its first month): 1, covered (a
thematic or combined meeting in it)."""

ROLLUP_SUMS = (*MONTH_MEASURES, *QUARTER_MEASURES, *MEETING_SUMS)
"""The sums of the month rollups (`commune_month`), each under the name of its measure."""


def derived_tables(metadata: MetaData, meeting_sums: Sequence[str] = MEETING_SUMS) -> dict[str, Table]:
    """The derived tables on `metadata`, their sum columns those of the registry (`meeting_sums`, by default every
    measure of `MEETING_MEASURES`); `data_access.aggregates` writes them.

    - `cell_month`: per cell and month with a meeting, the meeting sums and `held_days` (bit d-1 set when a regular
      or combined meeting was held on day d, so regularity can be judged against any as-of day and meeting day);
    - `cell_month_running`: per `cell_month` row, each sum from the cell's first month through this one, and
      `held_months` (months with `held_days` not 0): a cell's sums over months lo..hi from two rows;
    - `cell_month_band`: meetings per cell, month and 5-point band of their own participation rate;
    - `commune_month`: per commune, kind of organisation and month of `aggregate_span`, every measure's sum
      (`due_cell_quarters` and `covered_cell_quarters` on the first month of their quarter);
    - `aggregate_span`: the months a commune table covers.

    `month` is year * 12 + month - 1 throughout."""

    def sums(names: Sequence[str]) -> list[Column[int]]:
        return [Column(name, Integer, nullable=False, default=0) for name in names]

    def cell_key() -> list[Column[int]]:
        return [
            Column("cell_id", Integer, ForeignKey("cell.id"), primary_key=True),
            Column("month", Integer, primary_key=True),
        ]

    tables = [
        Table(
            "cell_month",
            metadata,
            *cell_key(),
            *sums([*meeting_sums, "held_days"]),
            Index("ix_cell_month_month_cell", "month", "cell_id"),
        ),
        Table("cell_month_running", metadata, *cell_key(), *sums([*meeting_sums, "held_months"])),
        Table(
            "cell_month_band",
            metadata,
            *cell_key(),
            Column("band", Integer, primary_key=True),
            *sums(["meetings"]),
            Index("ix_cell_month_band_month_band", "month", "band", "meetings"),
        ),
        Table(
            "commune_month",
            metadata,
            Column("commune_id", Integer, ForeignKey("commune.id"), primary_key=True),
            Column("organisation_kind", String(20), primary_key=True),
            Column("month", Integer, primary_key=True),
            *sums([*MONTH_MEASURES, *QUARTER_MEASURES, *meeting_sums]),
            Index("ix_commune_month_month", "month"),
        ),
        Table(
            "aggregate_span",
            metadata,
            Column("table_name", String(40), primary_key=True),
            Column("first_month", Integer, nullable=False),
            Column("last_month", Integer, nullable=False),
        ),
    ]
    return {table.name: table for table in tables}


_DERIVED = derived_tables(SQLModel.metadata)
cell_month_t = _DERIVED["cell_month"]
cell_month_running_t = _DERIVED["cell_month_running"]
cell_month_band_t = _DERIVED["cell_month_band"]
commune_month_t = _DERIVED["commune_month"]
aggregate_span_t = _DERIVED["aggregate_span"]
