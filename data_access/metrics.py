"""Every metric of DESIGN.md, defined once and computed in SQL.

Each metric function takes the engine, the `Filters` of the view, the viewer's `Scope` and a grouping, and returns
a DataFrame with exactly the columns of the data contract (group columns first, then the measures), also when
empty. Aggregation happens in the database; pandas only turns ids into labels, divides and sorts small results.

Shared definitions:
- a cell's *first due month* is the month of its `active_from` (the next one when it was founded after the 1st);
  its *last due month* is the month of its `active_to`: a month is due when the cell was active on its first day;
- a month is due only up to the as-of date: the as-of month once the cell's scheduled day has passed;
- a quarter is due when it lies wholly in the period, has ended before the as-of month, and the cell was active
  on its first day;
- meetings count when dated inside the period and not after the as-of date.

Fast path: the meeting sums come from the `cell_month` aggregates (`data_access.aggregates`) for the whole months
before the as-of month, and from the raw meetings for the as-of month up to the as-of day; regularity reads the
days a cell met (`held_days`) and masks the days after as-of. Every table is the same, number for number, as the
one computed from raw meetings (`with from_raw_meetings(): …` computes that one; tests/test_metrics_fast_path.py
compares them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import (
    Float,
    Integer,
    Select,
    Table,
    and_,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import CTE, Subquery

from data_access import aggregates  # noqa: F401  (registers the ORM listener that keeps cell_month in step)
from data_access.errors import UserError
from data_access.filters import EVERYTHING, GROUP_COLUMNS, Filters, Month, Scope, month_label, quarter_label
from data_access.frames import rows_frame
from data_access.models import (
    AggregateSpan,
    Cell,
    CellMonth,
    CellMonthRunning,
    CellMonthTopic,
    Commune,
    CommuneMonth,
    CommuneMonthToDay,
    Inspection,
    Meeting,
    Organisation,
    OrganisationMonth,
    OrganisationMonthToDay,
    Rating,
    Topic,
)
from data_access.vnsort import vn_key

meeting_t = cast(Table, Meeting.__table__)
cell_t = cast(Table, Cell.__table__)
organisation_t = cast(Table, Organisation.__table__)
commune_t = cast(Table, Commune.__table__)
topic_t = cast(Table, Topic.__table__)
inspection_t = cast(Table, Inspection.__table__)
rating_t = cast(Table, Rating.__table__)
cell_month_t = cast(Table, CellMonth.__table__)
cell_month_topic_t = cast(Table, CellMonthTopic.__table__)
cell_month_running_t = cast(Table, CellMonthRunning.__table__)
commune_month_t = cast(Table, CommuneMonth.__table__)
commune_month_to_day_t = cast(Table, CommuneMonthToDay.__table__)
organisation_month_t = cast(Table, OrganisationMonth.__table__)
organisation_month_to_day_t = cast(Table, OrganisationMonthToDay.__table__)
aggregate_span_t = cast(Table, AggregateSpan.__table__)

HELD_KINDS = ("regular", "combined")
THEMATIC_KINDS = ("thematic", "combined")
CORRECTIVE_OUTCOMES = ("correction_required", "disciplined")
MEETING_FIELDS = (
    "date",
    "kind",
    "topic_id",
    "members_total",
    "members_exempt",
    "present",
    "absent_excused",
    "absent_unexcused",
    "duration_min",
    "superior_attended",
    "quality",
)
NEVER = 10**7  # a month index later than any real one: "no end date"
ENTITY_GROUPS = ("commune", "organisation", "cell")
TIME_GROUPS = ("month", "quarter", "year")


# --------------------------------------------------------------------------------------------------------------
# SQL building blocks


def month_index(column: Any) -> ColumnElement[int]:
    """year * 12 + month - 1 of a date column, portable between SQLite and PostgreSQL."""
    year = sql_cast(func.extract("year", column), Integer)  # type: ignore[arg-type]
    month = sql_cast(func.extract("month", column), Integer)  # type: ignore[arg-type]
    return year * _int(12) + month - _int(1)


RUNNING_MONTHS = 4
"""From this many whole months on, a view by cell reads each cell's sums as two rows of `cell_month_running`
(its running totals at the period's end and before its start) rather than summing its `cell_month` rows."""


def _int(n: int) -> ColumnElement[int]:
    """An integer constant written into the SQL text (not a parameter), so that the same expression in SELECT
    and GROUP BY is textually identical, which PostgreSQL requires."""
    return literal_column(str(int(n)), Integer)


def day_of(column: Any) -> ColumnElement[int]:
    return sql_cast(func.extract("day", column), Integer)  # type: ignore[arg-type]


def _unit_conditions(filters: Filters, scope: Scope) -> list[ColumnElement[bool]]:
    """The filters and the scope, as conditions on the organisation table."""
    conditions: list[ColumnElement[bool]] = []
    if scope.communes is not None:
        conditions.append(organisation_t.c.commune_id.in_(sorted(scope.communes)))
    if filters.communes:
        conditions.append(organisation_t.c.commune_id.in_(list(filters.communes)))
    if filters.organisations:
        conditions.append(organisation_t.c.id.in_(list(filters.organisations)))
    if filters.organisation_kind:
        conditions.append(organisation_t.c.kind == filters.organisation_kind)
    return conditions


def _units() -> tuple[list[Any], Any]:
    """Columns naming a cell's commune, organisation and cell, and the joined FROM clause."""
    columns = [
        commune_t.c.id.label("commune_id"),
        commune_t.c.name.label("commune"),
        _province(),
        organisation_t.c.id.label("organisation_id"),
        organisation_t.c.name.label("organisation"),
        cell_t.c.id.label("cell_id"),
        cell_t.c.name.label("cell"),
    ]
    joined = cell_t.join(organisation_t, organisation_t.c.id == cell_t.c.organisation_id).join(
        commune_t, commune_t.c.id == organisation_t.c.commune_id
    )
    return columns, joined


def _province() -> Any:
    """The commune's province ('' when not recorded), the group of national views."""
    return func.coalesce(commune_t.c.province, "").label("province")


def _cells_in_scope(filters: Filters, scope: Scope, cells: Sequence[int] | None = None) -> CTE:
    """One row per cell in scope with its first and last due month (the cell and its organisation both active on
    the month's first day) and its scheduled day; only the cells with those ids when `cells` is given.

    Materialized on SQLite: joined to months as a subquery, SQLite computed the due bounds (twelve date functions)
    again for every month of every cell (the missed meetings' four months of a province's 9,210 cells: 94 ->
    47 ms). PostgreSQL plans it as it did."""
    columns, joined = _units()
    first_due, last_due = _due_bounds()
    stmt = (
        select(
            *columns,
            cell_t.c.meeting_day,
            first_due.label("first_due"),
            last_due.label("last_due"),
        )
        .select_from(joined)
        .where(*_unit_conditions(filters, scope))
    )
    if cells is not None:
        stmt = stmt.where(cell_t.c.id.in_([int(c) for c in cells]))
    return stmt.cte("cells").prefix_with("MATERIALIZED", dialect="sqlite")


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


def _series_cte(name: str, start: int, end: int) -> CTE:
    """A recursive CTE of integers start..end (empty when end < start)."""
    seed = select(literal(start, Integer).label("n")).where(literal(start, Integer) <= literal(end, Integer))
    series = seed.cte(name, recursive=True)
    return series.union_all(select((series.c.n + 1).label("n")).where(series.c.n < end))


def _period_bounds(filters: Filters) -> tuple[dt.date, dt.date]:
    """First and last day of the period whose meetings count (never after the as-of date)."""
    return filters.period_from.first_day, min(filters.period_to.last_day, filters.as_of)


def _meetings_in_scope(filters: Filters, scope: Scope, *extra: ColumnElement[bool]) -> Select[Any]:
    """Meetings dated in the period (up to as-of) of cells in scope, with their unit names and month index."""
    columns, joined = _units()
    start, end = _period_bounds(filters)
    return (
        select(*columns, month_index(meeting_t.c.date).label("m"), *[meeting_t.c[c] for c in MEETING_FIELDS])
        .select_from(meeting_t.join(joined, cell_t.c.id == meeting_t.c.cell_id))
        .where(meeting_t.c.date >= start, meeting_t.c.date <= end, *_unit_conditions(filters, scope), *extra)
    )


_PER_PLACE: ContextVar[str | None] = ContextVar("per_place", default=None)
PER_COMMUNE_KEY = "p_commune_id"
PER_PROVINCE_KEY = "p_province"
_PLACE_KEYS = (PER_COMMUNE_KEY, PER_PROVINCE_KEY)


def _group_keys(by: str, source: Any, time_column: str = "m") -> list[Any]:
    """The GROUP BY expressions of `by` over `source` (a subquery with unit columns and a month index); inside
    `per_commune` the commune id comes first (column PER_COMMUNE_KEY), inside `per_province` the province
    (PER_PROVINCE_KEY), so one query answers every commune or province."""
    keys = _plain_group_keys(by, source, time_column)
    place = _PER_PLACE.get()
    if place == "commune":
        return [source.c.commune_id.label(PER_COMMUNE_KEY), *keys]
    if place == "province":
        return [source.c.province.label(PER_PROVINCE_KEY), *keys]
    return keys


def _plain_group_keys(by: str, source: Any, time_column: str) -> list[Any]:
    c = source.c
    if by == "total":
        return []
    if by == "province":
        return [c.province.label("province")]
    if by == "commune":
        return [c.commune_id.label("g_commune_id"), c.commune.label("commune")]
    if by == "organisation":
        return [c.commune.label("commune"), c.organisation_id.label("g_org_id"), c.organisation.label("organisation")]
    if by == "cell":
        return [
            c.commune.label("commune"),
            c.organisation_id.label("g_org_id"),
            c.organisation.label("organisation"),
            c.cell_id.label("g_cell_id"),
            c.cell.label("cell"),
        ]
    column = c[time_column]
    if by == "month":
        return [column.label("month")]
    if by == "quarter":
        return [(column // _int(3)).label("quarter")]
    if by == "year":
        return [(column // _int(12)).label("year")]
    raise UserError(f"unknown grouping {by!r}")


def _aggregate(
    conn_engine: Engine,
    source: Any,
    by: str,
    measures: Sequence[Any],
    *,
    time_column: str = "m",
    having: ColumnElement[bool] | None = None,
) -> pd.DataFrame:
    """`measures` grouped `by` over `source`; `having` keeps only the groups where it holds (never applied to the
    single row of an ungrouped total, which is there even when no row is)."""
    keys = _group_keys(by, source, time_column)
    stmt = select(*keys, *measures).select_from(source)
    if keys:
        stmt = stmt.group_by(*keys)
        if having is not None:
            stmt = stmt.having(having)
    with conn_engine.connect() as conn:
        result = conn.execute(stmt)
        return rows_frame(result.all(), list(result.keys()))


def _finish(df: pd.DataFrame, by: str, columns: Sequence[str], extra_sort: Sequence[str] = ()) -> pd.DataFrame:
    """Label periods, drop helper ids, sort by the group columns (Vietnamese order for names), fix the columns."""
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in columns})
    group_columns = list(GROUP_COLUMNS.get(by, ())) + list(extra_sort)
    per_place = [key for key in _PLACE_KEYS if key in df.columns]
    order = _order(df, [*per_place, *group_columns])
    in_order = np.array_equal(order, np.arange(len(df))) and df.index.equals(pd.RangeIndex(len(df)))
    if not in_order:  # often it is (months, one row): no copy then
        df = df.iloc[order].reset_index(drop=True)
    if by in ("month", "quarter"):  # each distinct period labelled once (a province's 558 communes share them)
        label = month_label if by == "month" else quarter_label
        values = [int(v) for v in df[by].tolist()]
        labels = {v: label(v) for v in set(values)}
        df[by] = [labels[v] for v in values]
    elif by == "year" and "year" in df:
        df["year"] = df["year"].astype("int64")
    for col in columns:
        if _dtype(col) == "int64" and df[col].dtype != "int64":
            df[col] = df[col].fillna(0).astype("int64")
    wanted = [*per_place, *columns]  # the helper ids (g_…) dropped
    return df if list(df.columns) == wanted else df[wanted]


NAME_COLUMNS = ("commune", "organisation", "cell", "topic", "body", "province", PER_PROVINCE_KEY)


def _order(df: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """The row order sorting `df` by `columns` (names in Vietnamese order, other values as they are), stable: each
    column's distinct values are ranked once, then the rows are sorted on the ranks."""
    if not columns or df.empty:
        return np.arange(len(df))
    ranks = []
    for col in columns:
        values = df[col].tolist()
        distinct = set(values)
        ordered = sorted(distinct, key=vn_key) if col in NAME_COLUMNS else sorted(distinct)
        rank = {value: i for i, value in enumerate(ordered)}
        ranks.append(np.fromiter((rank[v] for v in values), dtype=np.int64, count=len(values)))
    return np.lexsort(tuple(reversed(ranks)))


def _name_keys(names: pd.Series) -> list[Any]:
    """`vn_key` of every name, computed once per distinct name (the same keys, so the same order)."""
    known: dict[Any, Any] = {}
    return [known[v] if v in known else known.setdefault(v, vn_key(v)) for v in names.tolist()]


def _dtype(column: str) -> str:
    if column.endswith(("_rate", "_share", "_coverage")) or column == "thematic_coverage":
        return "float64"
    if column in ("province", "commune", "organisation", "cell", "month", "quarter", "topic", "body", "kind"):
        return "object"
    return "int64"


def _floats(values: pd.Series | Sequence[float]) -> np.ndarray:
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    return np.asarray(values, dtype="float64")


def _rate(numerator: pd.Series | Sequence[float], denominator: pd.Series | Sequence[float]) -> np.ndarray:
    """num / den as float; NaN (an empty cell in exports) where the denominator is zero.

    In numpy: the same quotients as dividing the Series, at a sixth of the cost on the few rows of a district's
    table (pandas' per-operation overhead was a fifth of a metric call there)."""
    num = _floats(numerator)
    den = _floats(denominator)
    out = np.full(len(num), np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


RATES: dict[str, tuple[str, str]] = {
    "regularity_rate": ("held_cell_months", "due_cell_months"),
    "on_fixed_day_rate": ("on_fixed_day_cell_months", "due_cell_months"),
    "participation_rate": ("present", "expected"),
    "superior_attendance_rate": ("attended", "meetings"),
    "thematic_coverage": ("covered_cell_quarters", "due_cell_quarters"),
}
"""Each meeting rate: (numerator, denominator), columns of its metric table. The one place a rate is divided, for
the metric tables and for the overview's headline numbers."""


def _add_rates(df: pd.DataFrame, *rates: str) -> None:
    """Add the columns `rates` (keys of RATES) to `df`, from their numerator and denominator columns."""
    for name in rates:
        numerator, denominator = RATES[name]
        df[name] = _rate(df[numerator], df[denominator])


def _check_group(metric: str, by: str) -> None:
    spec = METRICS[metric]
    if by != "total" and by not in spec.groups:
        allowed = ", ".join(spec.groups)
        raise UserError(f"{metric} cannot be grouped by {by!r}; choose one of: {allowed}")


def _sum(expr: Any) -> Any:
    return func.coalesce(func.sum(expr), 0)


def _flag(condition: ColumnElement[bool]) -> Any:
    return case((condition, 1), else_=0)


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


def _whole_months(filters: Filters) -> tuple[int, int]:
    """The months of the period whose meetings all count: the period's, before the as-of month."""
    return filters.period_from.index, min(filters.period_to.index, Month.of(filters.as_of).index - 1)


def _as_of_month_days(filters: Filters) -> tuple[dt.date, dt.date] | None:
    """The days of the as-of month whose meetings count, when that month is in the period (else None)."""
    as_of_month = Month.of(filters.as_of)
    if not filters.period_from <= as_of_month <= filters.period_to:
        return None
    return as_of_month.first_day, filters.as_of


def _narrowed(part: Any, cell_column: Any, filters: Filters, scope: Scope) -> Any:
    """`part` limited to the cells of the filters and scope inside it, so one commune reads only its own rows."""
    conditions = _unit_conditions(filters, scope)
    if not conditions:
        return part
    cells = (
        select(cell_t.c.id)
        .select_from(cell_t.join(organisation_t, organisation_t.c.id == cell_t.c.organisation_id))
        .where(*conditions)
    )
    return part.where(cell_column.in_(cells))


def cells_named(pairs: Sequence[tuple[str, str]]) -> Select[Any]:
    """A SELECT of the ids of the cells named by these (organisation, cell) names (both unique together)."""
    return (
        select(cell_t.c.id)
        .select_from(cell_t.join(organisation_t, organisation_t.c.id == cell_t.c.organisation_id))
        .where(tuple_(organisation_t.c.name, cell_t.c.name).in_(list(pairs)))
    )


def _monthly_in_scope(
    filters: Filters, scope: Scope, *, per_cell: bool = False, cells: Any | None = None, dialect: str = ""
) -> Subquery:
    """Per cell in scope and month: the meeting sums of `cell_month` (whole months) and of the raw meetings (the
    as-of month up to as-of), with the unit columns; the same rows `_meetings_in_scope` would sum to.

    `per_cell`: the months summed per cell before the units are joined (no month column), for views by cell:
    9,000 joins instead of 540,000 for a province's five years; each part is summed per cell before the two are
    added up, and over RUNNING_MONTHS or more whole months a cell's sums are read from its running totals
    (`_running_per_cell`, written for the `dialect`: two rows per cell instead of one per month). `cells`: a
    SELECT of the only cell ids wanted."""
    lo, hi = _whole_months(filters)
    cm = cell_month_t.c
    sums = ("meetings", "expected", "present", "absent_excused", "absent_unexcused", "superior_attended", "thematic")
    if per_cell:
        whole = select(cm.cell_id, *[func.sum(cm[c]).label(c) for c in sums]).where(cm.month >= lo, cm.month <= hi)
    else:
        whole = select(cm.cell_id, cm.month.label("m"), *[cm[c] for c in sums]).where(cm.month >= lo, cm.month <= hi)
    parts: list[Any] = [whole]
    days = _as_of_month_days(filters)
    if days is not None:
        mt = meeting_t.c
        parts.append(
            select(
                mt.cell_id,
                *([] if per_cell else [month_index(mt.date).label("m")]),
                func.count().label("meetings"),
                func.sum(mt.members_total - mt.members_exempt).label("expected"),
                func.sum(mt.present).label("present"),
                func.sum(mt.absent_excused).label("absent_excused"),
                func.sum(mt.absent_unexcused).label("absent_unexcused"),
                func.sum(_flag(mt.superior_attended.is_(True))).label("superior_attended"),
                func.sum(_flag(mt.kind.in_(THEMATIC_KINDS))).label("thematic"),
            ).where(mt.date >= days[0], mt.date <= days[1])
        )
    parts = [_narrowed(part, part.selected_columns.cell_id, filters, scope) for part in parts]
    if cells is not None:
        parts = [part.where(part.selected_columns.cell_id.in_(cells)) for part in parts]
    if per_cell:
        parts = [part.group_by(part.selected_columns.cell_id) for part in parts]
        if hi - lo + 1 >= RUNNING_MONTHS:
            parts[0] = _running_per_cell(filters, scope, cells, lo, hi, dialect=dialect)
    else:
        parts[1:] = [part.group_by(part.selected_columns.cell_id, month_index(meeting_t.c.date)) for part in parts[1:]]
    monthly = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("cm")
    kept = ("m", *sums)
    if per_cell:
        if len(parts) > 1:
            monthly = (
                select(monthly.c.cell_id, *[func.sum(monthly.c[c]).label(c) for c in sums])
                .group_by(monthly.c.cell_id)
                .subquery("cs")
            )
        kept = sums
    columns, joined = _units()
    return (
        select(*columns, *[monthly.c[c] for c in kept])
        .select_from(monthly.join(joined, cell_t.c.id == monthly.c.cell_id))
        .where(*_unit_conditions(filters, scope))
        .subquery("mt")
    )


def _running_per_cell(
    filters: Filters, scope: Scope, cells: Any | None, lo: int, hi: int, *, dialect: str
) -> Select[Any]:
    """Per cell in scope with meetings in months lo..hi: the sums of its `cell_month` rows there (the columns of
    `cell_month_running`), as its running totals at its last month up to hi less those at its last month before
    lo (none: zero). A cell has a `cell_month` row only for a month with a meeting, so `meetings > 0` keeps the
    same cells as summing its rows would.

    Each cell's two rows are looked up by the key (cell_id, month), a cell at a time: on PostgreSQL as two
    LATERAL subqueries (the latest row up to the month, LIMIT 1; a plain join hashed all 540,000 running rows of a
    province, 520 ms, where this takes 45 ms), on SQLite, which has no LATERAL, with each cell's two months found
    first in a MATERIALIZED CTE (else it scanned every running row and looked the months up for each)."""
    run = cell_month_running_t
    names = aggregates.RUNNING_SUMS

    def in_scope(stmt: Select[Any]) -> Select[Any]:
        stmt = _narrowed(stmt, cell_t.c.id, filters, scope)
        return stmt.where(cell_t.c.id.in_(cells)) if cells is not None else stmt

    if dialect == "postgresql":

        def latest(up_to: int, name: str) -> Any:
            return (
                select(run)
                .where(run.c.cell_id == cell_t.c.id, run.c.month <= up_to)
                .order_by(run.c.month.desc())
                .limit(1)
                .lateral(name)
            )

        at_end, before = latest(hi, "run_end"), latest(lo - 1, "run_before")
        sums = [at_end.c[c] - func.coalesce(before.c[c], 0) for c in names]
        stmt = select(cell_t.c.id.label("cell_id"), *[s.label(c) for s, c in zip(sums, names, strict=True)])
        stmt = in_scope(stmt.select_from(cell_t.join(at_end, true()).outerjoin(before, true())))
    else:

        def last_month(up_to: int) -> Any:
            return (
                select(func.max(run.c.month))
                .where(run.c.cell_id == cell_t.c.id, run.c.month <= up_to)
                .scalar_subquery()
            )

        ends = (
            in_scope(
                select(cell_t.c.id.label("cell_id"), last_month(hi).label("hi_m"), last_month(lo - 1).label("lo_m"))
            )
            .cte("cell_ends")
            .prefix_with("MATERIALIZED", dialect="sqlite")
        )
        at_end, before = run.alias("run_end"), run.alias("run_before")
        sums = [at_end.c[c] - func.coalesce(before.c[c], 0) for c in names]
        stmt = select(ends.c.cell_id, *[s.label(c) for s, c in zip(sums, names, strict=True)]).select_from(
            ends.join(at_end, and_(at_end.c.cell_id == ends.c.cell_id, at_end.c.month == ends.c.hi_m)).outerjoin(
                before, and_(before.c.cell_id == ends.c.cell_id, before.c.month == ends.c.lo_m)
            )
        )
    return stmt.where(sums[0] > 0)


def _topic_months(filters: Filters, scope: Scope) -> Subquery:
    """Per cell in scope, month and topic: meetings on the topic (aggregates for whole months, raw for as-of)."""
    lo, hi = _whole_months(filters)
    ct = cell_month_topic_t.c
    parts: list[Any] = [
        select(ct.cell_id, ct.month.label("m"), ct.topic_id, ct.meetings).where(ct.month >= lo, ct.month <= hi)
    ]
    days = _as_of_month_days(filters)
    if days is not None:
        mt = meeting_t.c
        parts.append(
            select(mt.cell_id, month_index(mt.date).label("m"), mt.topic_id, func.count().label("meetings"))
            .where(mt.topic_id.is_not(None), mt.date >= days[0], mt.date <= days[1])
            .group_by(mt.cell_id, month_index(mt.date), mt.topic_id)
        )
    parts = [_narrowed(part, part.selected_columns.cell_id, filters, scope) for part in parts]
    return (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("ctm")


def _topics_from_aggregates(filters: Filters, scope: Scope, group_by: str) -> Select[Any]:
    """The topics table from `cell_month_topic`: first one row per cell, topic and period of the grouping (the
    meetings summed), so that the cells of a group are a plain count, not a distinct count over every cell-month;
    the units are joined only when the grouping names them, and the topic names last (11 rows, not 868,000)."""
    monthly = _topic_months(filters, scope)
    m = monthly.c.m
    period = {"month": m, "quarter": (m // _int(3)) * _int(3), "year": (m // _int(12)) * _int(12)}.get(group_by)
    per_cell_keys = [monthly.c.cell_id, monthly.c.topic_id, *([period.label("m")] if period is not None else [])]
    per_cell = (
        select(*per_cell_keys, _sum(monthly.c.meetings).label("meetings"))
        .group_by(monthly.c.cell_id, monthly.c.topic_id, *([period] if period is not None else []))
        .subquery("pc")
    )
    src: Any = per_cell
    if group_by not in TIME_GROUPS + ("total",) or _PER_PLACE.get() is not None:
        columns, joined = _units()
        src = (
            select(*columns, per_cell.c.topic_id, per_cell.c.meetings, *([per_cell.c.m] if period is not None else []))
            .select_from(per_cell.join(joined, cell_t.c.id == per_cell.c.cell_id))
            .subquery("tt")
        )
    keys = _group_keys(group_by, src)
    counted = (
        select(*keys, src.c.topic_id, _sum(src.c.meetings).label("meetings"), func.count().label("cells"))
        .group_by(*keys, src.c.topic_id)
        .subquery("tc")
    )
    return select(
        *[counted.c[key.name] for key in keys], topic_t.c.name_vi.label("topic"), counted.c.meetings, counted.c.cells
    ).select_from(counted.join(topic_t, topic_t.c.id == counted.c.topic_id))


# --------------------------------------------------------------------------------------------------------------
# The summed paths: `commune_month` for whole months when the view groups by commune or time (not by organisation
# or cell, and not filtered to organisations), `organisation_month` when it groups by organisation or is filtered
# to organisations (not by cell), and the as-of month from their `…_to_day` tables or the cells. Each builder
# returns None when it cannot answer (months outside the aggregate's span), and the metric takes the cell path.

COMMUNE_GROUPS = ("total", "province", "commune", "month", "quarter", "year")
ORGANISATION_GROUPS = (*COMMUNE_GROUPS, "organisation")
MEETING_SUMS = (
    "meetings",
    "expected",
    "present",
    "absent_excused",
    "absent_unexcused",
    "superior_attended",
    "thematic",
)


@dataclass(frozen=True)
class _Summed:
    """A table of month sums per place: the table, its `aggregate_span` row, its key column, and its companion
    with the sums as of each day of the latest months (outside them the as-of month comes from the cells)."""

    table: Table
    name: str
    key: str
    to_day: Table


_COMMUNES = _Summed(commune_month_t, "commune_month", "commune_id", commune_month_to_day_t)
_ORGANISATIONS = _Summed(organisation_month_t, "organisation_month", "organisation_id", organisation_month_to_day_t)


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
    if filters.communes:
        conditions.append(c.commune_id.in_(list(filters.communes)))
    if filters.organisation_kind:
        conditions.append(c.organisation_kind == filters.organisation_kind)
    return conditions


def _as_of_month_only(filters: Filters) -> Filters | None:
    """The filters narrowed to the as-of month, when that month is in the period (else None)."""
    month = Month.of(filters.as_of)
    if not filters.period_from <= month <= filters.period_to:
        return None
    return replace(filters, period_from=month, period_to=month)


def _with_names(path: _Summed, parts: list[Any], columns: Sequence[str]) -> Subquery:
    """The union of `parts` (each: the path's key, m, `columns`) with the names of its commune (and organisation)."""
    united = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("cu")
    if path.key == "organisation_id":
        names = [organisation_t.c.id.label("organisation_id"), organisation_t.c.name.label("organisation")]
        joined = united.join(organisation_t, organisation_t.c.id == united.c.organisation_id).join(
            commune_t, commune_t.c.id == organisation_t.c.commune_id
        )
    else:
        names = []
        joined = united.join(commune_t, commune_t.c.id == united.c.commune_id)
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
        parts.append(
            select(
                cm[path.key], cm.month.label("m"), *[cm[n].label(a) for n, a in zip(names, labels, strict=True)]
            ).where(cm.month >= lo, cm.month <= hi, *_summed_conditions(path, filters, scope, path.table))
        )
    as_of_month = _as_of_month_only(filters)
    if as_of_month is not None and _to_day_covers(path, spans, filters):
        parts.append(_to_day_part(path, filters, scope, dict(zip(names, labels, strict=True))))
    elif as_of_month is not None:
        due = _due_cell_months(as_of_month, scope)
        parts.append(select(due.c[path.key], due.c.m, _int(1).label("due"), due.c.held, due.c.on_fixed_day))
    if not parts:
        return None
    return _with_names(path, parts, ("due", "held", "on_fixed_day"))


def _summed_meeting_sums(path: _Summed, engine: Engine, filters: Filters, scope: Scope) -> Subquery | None:
    """Per place and month: the meeting sums of every cell in scope (MEETING_SUMS)."""
    parts = _summed_meeting_sum_parts(path, engine, filters, scope)
    return None if parts is None else _with_names(path, parts, MEETING_SUMS)


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
    if as_of_month is not None and _to_day_covers(path, spans, filters):
        parts.append(_to_day_part(path, filters, scope, {c: c for c in MEETING_SUMS}))
    elif as_of_month is not None:
        monthly = _monthly_in_scope(as_of_month, scope)
        parts.append(select(monthly.c[path.key], monthly.c.m, *[monthly.c[c] for c in MEETING_SUMS]))
    return parts or None


def _to_day_covers(path: _Summed, spans: dict[str, tuple[int, int]], filters: Filters) -> bool:
    month = Month.of(filters.as_of).index
    return _covers(spans, path.to_day.name, month, month)


def _to_day_part(path: _Summed, filters: Filters, scope: Scope, columns: dict[str, str]) -> Any:
    """The as-of month's row of the path's as-of-day table (its sums as of the as-of day): the key, m, `columns`
    (table column -> label)."""
    td = path.to_day.c
    month = Month.of(filters.as_of).index
    return select(td[path.key], td.month.label("m"), *[td[n].label(a) for n, a in columns.items()]).where(
        td.month == month, td.day == filters.as_of.day, *_summed_conditions(path, filters, scope, path.to_day)
    )


def _summed_due_quarters(path: _Summed, engine: Engine, filters: Filters, scope: Scope) -> Subquery | None:
    """Per place and quarter (month index of its first month): due cell-quarters and covered ones."""
    part = _summed_due_quarter_part(path, engine, filters, scope)
    return None if part is None else _with_names(path, [part], ("due", "covered"))


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


# --------------------------------------------------------------------------------------------------------------
# Regularity


def _due_cell_months(filters: Filters, scope: Scope, cell_ids: Sequence[int] | None = None) -> Subquery:
    """One row per due cell-month: unit columns, the cell's meeting day and last due month (last_due), month index
    m, held (0/1) and on_fixed_day (0/1); only of the cells with the ids `cell_ids` when given."""
    cells = _cells_in_scope(filters, scope, cell_ids)
    as_of_month = Month.of(filters.as_of).index
    last = min(filters.period_to.index, as_of_month)
    months = _series_cte("months", filters.period_from.index, last)
    m = months.c.n
    due_condition = and_(
        m >= cells.c.first_due,
        m <= cells.c.last_due,
        or_(m < as_of_month, and_(m == as_of_month, cells.c.meeting_day < filters.as_of.day)),
    )
    if _fast():
        return _due_cell_months_fast(cells, months, due_condition, as_of=filters.as_of)
    start, end = _period_bounds(filters)
    held_kind = meeting_t.c.kind.in_(HELD_KINDS)
    per_month = (
        select(
            meeting_t.c.cell_id,
            month_index(meeting_t.c.date).label("m"),
            func.max(_flag(day_of(meeting_t.c.date) == cell_t.c.meeting_day)).label("on_fixed_day"),
        )
        .select_from(meeting_t.join(cell_t, cell_t.c.id == meeting_t.c.cell_id))
        .where(held_kind, meeting_t.c.date >= start, meeting_t.c.date <= end)
        .where(meeting_t.c.cell_id.in_(select(cells.c.cell_id)))
        .group_by(meeting_t.c.cell_id, month_index(meeting_t.c.date))
        .subquery("held")
    )
    stmt = select(
        *_due_cell_columns(cells, m),
        _flag(per_month.c.cell_id.is_not(None)).label("held"),
        func.coalesce(per_month.c.on_fixed_day, 0).label("on_fixed_day"),
    ).select_from(
        cells.join(months, due_condition).outerjoin(
            per_month, and_(per_month.c.cell_id == cells.c.cell_id, per_month.c.m == m)
        )
    )
    return stmt.subquery("due")


def _due_cell_columns(cells: CTE, m: Any) -> list[Any]:
    """The columns of a due cell-month before its held and on_fixed_day flags: the cell's units, meeting day and
    last due month, and the month index `m` (both ways of `_due_cell_months`)."""
    c = cells.c
    units = (c.commune_id, c.commune, c.province, c.organisation_id, c.organisation, c.cell_id, c.cell)
    return [*units, c.meeting_day, c.last_due, m.label("m")]


def _latest_due(filters: Filters, last_due: Any, meeting_day: Any) -> ColumnElement[int]:
    """A cell's latest due month in the period as of the as-of day: the earliest of its last due month, the
    period's last month and the as-of month (the month before while its meeting day has not passed). Its due
    months are consecutive and end there."""
    as_of_month = Month.of(filters.as_of).index
    passed = _int(as_of_month) - case((meeting_day >= _int(filters.as_of.day), 1), else_=0)
    return _earlier(_earlier(last_due, passed), _int(filters.period_to.index))


def _held_days_to(as_of: dt.date, month: Any) -> ColumnElement[int]:
    """`cell_month.held_days` as of `as_of`: in the as-of month (when `month` is it) only the days up to as-of."""
    held_days = cell_month_t.c.held_days
    up_to_as_of = held_days.op("&", return_type=Integer)(_int((1 << as_of.day) - 1))
    return case((month == _int(Month.of(as_of).index), up_to_as_of), else_=held_days)


def _due_cell_months_fast(cells: CTE, months: CTE, due_condition: Any, *, as_of: dt.date) -> Subquery:
    """`_due_cell_months` from `cell_month.held_days`: held when a bit is set (in the as-of month only for days up
    to as-of), on the fixed day when the bit of the cell's meeting day is set."""
    m = months.c.n
    cm = cell_month_t.c
    days = func.coalesce(_held_days_to(as_of, m), 0)
    on_fixed_day = days.op(">>", return_type=Integer)(cells.c.meeting_day - _int(1)).op("&", return_type=Integer)(
        _int(1)
    )
    stmt = select(
        *_due_cell_columns(cells, m),
        _flag(days != 0).label("held"),
        on_fixed_day.label("on_fixed_day"),
    ).select_from(
        cells.join(months, due_condition).outerjoin(cell_month_t, and_(cm.cell_id == cells.c.cell_id, cm.month == m))
    )
    return stmt.subquery("due")


REGULARITY_COLUMNS = (
    "due_cell_months",
    "held_cell_months",
    "on_fixed_day_cell_months",
    "regularity_rate",
    "on_fixed_day_rate",
)


def regularity(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune") -> pd.DataFrame:
    """One row per group: due cell-months, those with a regular/combined meeting, those on the fixed day, rates."""
    _check_group("regularity", by)
    path = _summed_path(filters, by)
    communes = _summed_due_months(path, engine, filters, scope) if path is not None else None
    if communes is not None:
        df = _aggregate(
            engine,
            communes,
            by,
            [
                _sum(communes.c.due).label("due_cell_months"),
                _sum(communes.c.held).label("held_cell_months"),
                _sum(communes.c.on_fixed_day).label("on_fixed_day_cell_months"),
            ],
            having=func.sum(communes.c.due) > 0,
        )
        _add_rates(df, "regularity_rate", "on_fixed_day_rate")
        return _finish(df, by, GROUP_COLUMNS.get(by, ()) + REGULARITY_COLUMNS)
    due = _due_cell_months(filters, scope)
    df = _aggregate(
        engine,
        due,
        by,
        [
            func.count().label("due_cell_months"),
            _sum(due.c.held).label("held_cell_months"),
            _sum(due.c.on_fixed_day).label("on_fixed_day_cell_months"),
        ],
    )
    _add_rates(df, "regularity_rate", "on_fixed_day_rate")
    return _finish(df, by, GROUP_COLUMNS.get(by, ()) + REGULARITY_COLUMNS)


CELL_MONTH_COLUMNS = ("commune", "organisation", "cell", "cell_id", "meeting_day", "month", "held", "on_fixed_day")


def cell_months(
    engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, cells: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per due cell-month: whether a regular or combined meeting was held, and whether on the fixed day.

    `cells` (ids) narrows the rows to those cells inside the query (the grid of the least regular cells)."""
    due = _due_cell_months(filters, scope, cells)
    stmt = select(
        due.c.commune,
        due.c.organisation,
        due.c.cell,
        due.c.cell_id,
        due.c.meeting_day,
        due.c.m,
        due.c.held,
        due.c.on_fixed_day,
    )
    with engine.connect() as conn:
        df = rows_frame(conn.execute(stmt).all(), [*CELL_MONTH_COLUMNS[:5], "m", "held", "on_fixed_day"])
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c) if c != "cell_id" else "int64") for c in CELL_MONTH_COLUMNS})
    keys = list(
        zip(
            _name_keys(df["commune"]),
            _name_keys(df["organisation"]),
            _name_keys(df["cell"]),
            [int(v) for v in df["cell_id"]],
            [int(v) for v in df["m"]],
            strict=True,
        )
    )
    df = df.iloc[sorted(range(len(df)), key=keys.__getitem__)].reset_index(drop=True)
    labels = {int(v): month_label(int(v)) for v in df["m"].unique()}
    df["month"] = [labels[int(v)] for v in df["m"]]
    df["held"] = df["held"].astype(bool)
    df["on_fixed_day"] = df["on_fixed_day"].astype(bool)
    return df[list(CELL_MONTH_COLUMNS)]


def _held_and_due_per_cell(filters: Filters, scope: Scope, *, dialect: str = "") -> Select[Any]:
    """Per cell with a due month: its due months counted by arithmetic and its held months read from `cell_month`.

    The same counts as grouping `_due_cell_months` per cell, without building every cell-month: a cell's due months
    are the run from the later of the period's start and its first due month to the earlier of the period's end
    (never past as-of) and its last due month, less the as-of month when its meeting day has not come yet; its held
    months are its `cell_month` rows in that run with a held day (in the as-of month, a day up to as-of).

    On SQLite the whole months' held ones are its running count (`cell_month_running.held_months`) at its last row
    up to the run's end less the one before the run's start: a province's five years 562 -> 332 ms for the grid.
    PostgreSQL counts the rows: its three lookups per cell took 627 ms where the count takes 533."""
    cells = _cells_in_scope(filters, scope)
    start = _later(_int(filters.period_from.index), cells.c.first_due)
    end = _latest_due(filters, cells.c.last_due, cells.c.meeting_day)
    runs = select(
        cells.c.commune, cells.c.organisation, cells.c.cell, cells.c.cell_id, start.label("lo"), end.label("hi")
    ).subquery("runs")
    cm, run = cell_month_t.c, cell_month_running_t.c
    as_of_month = Month.of(filters.as_of).index
    if dialect != "sqlite":
        counted = (
            select(func.count())
            .where(
                cm.cell_id == runs.c.cell_id,
                cm.month >= runs.c.lo,
                cm.month <= runs.c.hi,
                _held_days_to(filters.as_of, cm.month) != 0,
            )
            .scalar_subquery()
        )
        return _held_and_due_columns(runs, counted)

    def held_through(month: Any) -> Any:
        """The cell's held months from its first through `month` (0 before its first): its latest running row."""
        latest = (
            select(run.held_months)
            .where(run.cell_id == runs.c.cell_id, run.month <= month)
            .order_by(run.month.desc())
            .limit(1)
            .scalar_subquery()
        )
        return func.coalesce(latest, 0)

    # The whole months of the run from the running counts (two rows per cell, however long the period), the as-of
    # month from its cell_month row, its days up to as-of only.
    as_of_held = (
        select(func.count())
        .where(
            cm.cell_id == runs.c.cell_id,
            cm.month == _int(as_of_month),
            _held_days_to(filters.as_of, cm.month) != 0,
        )
        .scalar_subquery()
    )
    in_run = and_(runs.c.lo <= _int(as_of_month), runs.c.hi >= _int(as_of_month))
    held = (
        held_through(_earlier(runs.c.hi, _int(as_of_month - 1)))
        - held_through(runs.c.lo - _int(1))
        + case((in_run, as_of_held), else_=0)
    )
    return _held_and_due_columns(runs, held)


def _held_and_due_columns(runs: Subquery, held: Any) -> Select[Any]:
    return select(
        runs.c.commune,
        runs.c.organisation,
        runs.c.cell,
        runs.c.cell_id,
        held.label("held"),
        (runs.c.hi - runs.c.lo + 1).label("due"),
    ).where(runs.c.hi >= runs.c.lo)


def least_regular_grid(
    engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, max_cells: int
) -> tuple[pd.DataFrame, int]:
    """The cell × month rows of at most `max_cells` cells, least regular first, and how many cells are due at all.

    Least regular: the lowest share of due months held; ties keep the order of `cell_months` (commune,
    organisation, cell in Vietnamese order, then id). One query counts each cell's held and due months (from
    `cell_month` by arithmetic on the fast path, `_held_and_due_per_cell`), a second reads only the chosen cells'
    months, so a province's grid neither builds nor ships every cell's months to draw 60 of them.
    """
    if _fast():
        stmt = _held_and_due_per_cell(filters, scope, dialect=engine.dialect.name)
    else:
        due = _due_cell_months(filters, scope)
        keys = (due.c.commune, due.c.organisation, due.c.cell, due.c.cell_id)
        stmt = select(*keys, _sum(due.c.held).label("held"), func.count().label("due")).group_by(*keys)
    with engine.connect() as conn:
        per_cell = conn.execute(stmt).all()
    total = len(per_cell)
    if total == 0:
        return cell_months(engine, filters=filters, scope=scope, cells=()), 0
    # held ÷ due as a float orders exactly: division is correctly rounded, so equal shares give equal floats, and
    # two different shares of at most a few hundred months differ by far more than a float's rounding
    # rows by position (commune, organisation, cell, cell_id, held, due): by name costs 4 µs a row, 9,000 rows
    share = {int(cell_id): int(held) / int(due) for _, _, _, cell_id, held, due in per_cell}
    cutoff = sorted(share.values())[min(max_cells, total) - 1] if max_cells > 0 else -1.0
    candidates = [r for r in per_cell if share[int(r[3])] <= cutoff]  # names only break ties below the cut
    ranked = sorted(
        candidates,
        key=lambda r: (
            share[int(r.cell_id)],
            vn_key(r.commune),
            vn_key(r.organisation),
            vn_key(r.cell),
            r.cell_id,
        ),
    )
    chosen = [int(r.cell_id) for r in ranked[:max_cells]]
    grid = cell_months(engine, filters=filters, scope=scope, cells=chosen)
    if total > max_cells:
        rank = {cell_id: i for i, cell_id in enumerate(chosen)}
        grid = grid.iloc[grid["cell_id"].map(rank).argsort(kind="stable")].reset_index(drop=True)
    return grid, total


# --------------------------------------------------------------------------------------------------------------
# Participation and superior attendance


PARTICIPATION_COLUMNS = ("meetings", "expected", "present", "absent_excused", "absent_unexcused", "participation_rate")


def participation(
    engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune", below: float | None = None
) -> pd.DataFrame:
    """One row per group: meetings, expected (members - exempt), present, absences and Σ present ÷ Σ expected.

    `below`: only the groups whose rate is below it (the database drops the others first, with a margin, so a
    province's cells are not all shipped to find the few below target; the exact test is the rate's)."""
    _check_group("participation", by)
    if _fast():
        path = _summed_path(filters, by)
        communes = _summed_meeting_sums(path, engine, filters, scope) if path is not None else None
        src = (
            communes
            if communes is not None
            else _monthly_in_scope(filters, scope, per_cell=by == "cell", dialect=engine.dialect.name)
        )
        measures = [_sum(src.c[c]).label(c) for c in PARTICIPATION_COLUMNS[:-1]]
        having = func.sum(src.c.meetings) > 0
        present, expected = func.sum(src.c.present), func.sum(src.c.expected)
    else:
        src = _meetings_in_scope(filters, scope).subquery("mt")
        measures = [
            func.count().label("meetings"),
            _sum(src.c.members_total - src.c.members_exempt).label("expected"),
            _sum(src.c.present).label("present"),
            _sum(src.c.absent_excused).label("absent_excused"),
            _sum(src.c.absent_unexcused).label("absent_unexcused"),
        ]
        having = None
        present, expected = func.sum(src.c.present), func.sum(src.c.members_total - src.c.members_exempt)
    if below is not None:
        margin = literal(float(below) + 1e-9, Float)
        having = and_(*([having] if having is not None else []), present < expected * margin)
    df = _aggregate(engine, src, by, measures, having=having)
    _add_rates(df, "participation_rate")
    if below is not None:
        df = df[df["participation_rate"] < below]
    return _finish(df, by, GROUP_COLUMNS.get(by, ()) + PARTICIPATION_COLUMNS)


SUPERIOR_COLUMNS = ("meetings", "attended", "superior_attendance_rate")


def superior_attendance(
    engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune"
) -> pd.DataFrame:
    """One row per group: meetings, those attended by a member of the higher committee, and the share."""
    _check_group("superior_attendance", by)
    if _fast():
        path = _summed_path(filters, by)
        communes = _summed_meeting_sums(path, engine, filters, scope) if path is not None else None
        src = (
            communes
            if communes is not None
            else _monthly_in_scope(filters, scope, per_cell=by == "cell", dialect=engine.dialect.name)
        )
        measures = [_sum(src.c.meetings).label("meetings"), _sum(src.c.superior_attended).label("attended")]
        df = _aggregate(engine, src, by, measures, having=func.sum(src.c.meetings) > 0)
        _add_rates(df, "superior_attendance_rate")
        return _finish(df, by, GROUP_COLUMNS.get(by, ()) + SUPERIOR_COLUMNS)
    src = _meetings_in_scope(filters, scope).subquery("mt")
    df = _aggregate(
        engine,
        src,
        by,
        [func.count().label("meetings"), _sum(_flag(src.c.superior_attended.is_(True))).label("attended")],
    )
    _add_rates(df, "superior_attendance_rate")
    return _finish(df, by, GROUP_COLUMNS.get(by, ()) + SUPERIOR_COLUMNS)


# --------------------------------------------------------------------------------------------------------------
# Thematic coverage and topics


def _due_quarter_range(filters: Filters) -> tuple[int, int]:
    """First and last quarter index (year * 4 + q - 1) that are due: inside the period, ended before as-of."""
    first = -(-filters.period_from.index // 3)
    last = min((filters.period_to.index - 2) // 3, (Month.of(filters.as_of).index - 3) // 3)
    return first, last


THEMATIC_COLUMNS = ("due_cell_quarters", "covered_cell_quarters", "thematic_meetings", "thematic_coverage")


def _due_cell_quarters(filters: Filters, scope: Scope) -> Subquery:
    """One row per due cell-quarter of the period (month index m of its first month): unit columns and covered
    (0/1: a thematic or combined meeting in the quarter)."""
    cells = _cells_in_scope(filters, scope)
    q_first, q_last = _due_quarter_range(filters)
    quarters = _series_cte("quarters", q_first, q_last)
    q = quarters.c.n
    start, end = _period_bounds(filters)
    covered: Subquery
    if _fast():  # due quarters are whole, inside the period and before the as-of month: all in `cell_month`
        cm = cell_month_t.c
        covered = (
            select(cm.cell_id, (cm.month // _int(3)).label("q"))
            .where(cm.thematic > 0, cm.month >= q_first * 3, cm.month <= q_last * 3 + 2)
            .where(cm.cell_id.in_(select(cells.c.cell_id)))
            .group_by(cm.cell_id, cm.month // _int(3))
            .subquery("covered")
        )
    else:
        covered = (
            select(meeting_t.c.cell_id, (month_index(meeting_t.c.date) // _int(3)).label("q"))
            .where(meeting_t.c.kind.in_(THEMATIC_KINDS), meeting_t.c.date >= start, meeting_t.c.date <= end)
            .where(meeting_t.c.cell_id.in_(select(cells.c.cell_id)))
            .group_by(meeting_t.c.cell_id, month_index(meeting_t.c.date) // _int(3))
            .subquery("covered")
        )
    return (
        select(
            cells.c.commune_id,
            cells.c.commune,
            cells.c.province,
            cells.c.organisation_id,
            cells.c.organisation,
            cells.c.cell_id,
            cells.c.cell,
            (q * _int(3)).label("m"),
            _flag(covered.c.cell_id.is_not(None)).label("covered"),
        )
        .select_from(
            cells.join(quarters, and_(q * 3 >= cells.c.first_due, q * 3 <= cells.c.last_due)).outerjoin(
                covered, and_(covered.c.cell_id == cells.c.cell_id, covered.c.q == q)
            )
        )
        .subquery("dueq")
    )


def thematic(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune") -> pd.DataFrame:
    """One row per group: due cell-quarters, those with a thematic or combined meeting, such meetings, coverage."""
    _check_group("thematic", by)
    path = _summed_path(filters, by)
    if path is not None:
        due_part = _summed_due_quarter_part(path, engine, filters, scope)
        sum_parts = _summed_meeting_sum_parts(path, engine, filters, scope)
        if due_part is not None and sum_parts is not None:
            # one statement: the due quarters' rows and the meeting sums' rows, each with zeros for the other's
            # columns, summed per group; a group is kept when it has due quarters or thematic meetings
            zero = _int(0)
            sums = [
                part.with_only_columns(
                    part.selected_columns[path.key],
                    part.selected_columns.m,
                    zero.label("due"),
                    zero.label("covered"),
                    part.selected_columns.thematic,
                )
                for part in sum_parts
            ]
            src = _with_names(
                path, [due_part.add_columns(zero.label("thematic")), *sums], ("due", "covered", "thematic")
            )
            df = _aggregate(
                engine,
                src,
                by,
                [
                    _sum(src.c.due).label("due_cell_quarters"),
                    _sum(src.c.covered).label("covered_cell_quarters"),
                    _sum(src.c.thematic).label("thematic_meetings"),
                ],
                having=or_(func.sum(src.c.due) > 0, func.sum(src.c.thematic) > 0),
            )
            _add_rates(df, "thematic_coverage")
            return _finish(df, by, GROUP_COLUMNS.get(by, ()) + THEMATIC_COLUMNS)
    due = _due_cell_quarters(filters, scope)
    due_df = _aggregate(
        engine, due, by, [func.count().label("due_cell_quarters"), _sum(due.c.covered).label("covered_cell_quarters")]
    )
    if _fast():
        monthly = _monthly_in_scope(filters, scope)
        held = select(monthly).where(monthly.c.thematic > 0).subquery("th")
        held_df = _aggregate(engine, held, by, [_sum(held.c.thematic).label("thematic_meetings")])
    else:
        held = _meetings_in_scope(filters, scope, meeting_t.c.kind.in_(THEMATIC_KINDS)).subquery("th")
        held_df = _aggregate(engine, held, by, [func.count().label("thematic_meetings")])
    return _thematic_table(due_df, held_df, by)


def _thematic_table(due_df: pd.DataFrame, held_df: pd.DataFrame, by: str) -> pd.DataFrame:
    keys = [c for c in due_df.columns if c not in ("due_cell_quarters", "covered_cell_quarters")]
    df = due_df.merge(held_df, on=keys, how="outer") if keys else pd.concat([due_df, held_df], axis=1)
    for col in ("due_cell_quarters", "covered_cell_quarters", "thematic_meetings"):
        df[col] = df[col].fillna(0).astype("int64")
    _add_rates(df, "thematic_coverage")
    return _finish(df, by, GROUP_COLUMNS.get(by, ()) + THEMATIC_COLUMNS)


def uncovered_cells(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """The cells of `thematic` by cell with due cell-quarters and none covered: commune, organisation, cell,
    cell_id, in no particular order. Only those rows leave the database (a province's view has 9,000 cells)."""
    due = _due_cell_quarters(filters, scope)
    keys = [due.c.commune, due.c.organisation, due.c.cell, due.c.cell_id]
    stmt = select(*keys).group_by(*keys).having(func.sum(due.c.covered) == 0)
    with engine.connect() as conn:
        return rows_frame(conn.execute(stmt).all(), ["commune", "organisation", "cell", "cell_id"])


TOPIC_COLUMNS = ("meetings", "cells")


def topics(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "topic") -> pd.DataFrame:
    """One row per topic (within each group when `by` is not `topic`): thematic meetings on it and cells holding them."""
    _check_group("topics", by)
    group_by = "total" if by == "topic" else by
    if _fast():
        stmt = _topics_from_aggregates(filters, scope, group_by)
    else:
        base = _meetings_in_scope(filters, scope, meeting_t.c.topic_id.is_not(None)).subquery("tm")
        src = (
            select(base, topic_t.c.name_vi.label("topic"))
            .select_from(base.join(topic_t, topic_t.c.id == base.c.topic_id))
            .subquery("tt")
        )
        keys = _group_keys(group_by, src)
        stmt = select(
            *keys, src.c.topic, func.count().label("meetings"), func.count(func.distinct(src.c.cell_id)).label("cells")
        ).group_by(*keys, src.c.topic)
    with engine.connect() as conn:
        result = conn.execute(stmt)
        df = rows_frame(result.all(), list(result.keys()))
    columns = (*GROUP_COLUMNS.get(group_by, ()), "topic", *TOPIC_COLUMNS)
    return _finish(df, group_by, columns, extra_sort=("topic",))


# --------------------------------------------------------------------------------------------------------------
# Inspections


INSPECTION_COLUMNS = (
    "inspections",
    "commended",
    "satisfactory",
    "correction_required",
    "disciplined",
    "overdue_follow_ups",
)


def _overdue(as_of: dt.date, source: Any) -> ColumnElement[bool]:
    """Requires correction or discipline, follow-up due before as-of, not resolved by as-of."""
    return and_(
        source.c.outcome.in_(CORRECTIVE_OUTCOMES),
        source.c.follow_up_due.is_not(None),
        source.c.follow_up_due < as_of,
        or_(source.c.resolved_on.is_(None), source.c.resolved_on > as_of),
    )


def _inspections_in_scope(filters: Filters, scope: Scope, *, in_period: bool = True) -> Subquery:
    when = func.coalesce(inspection_t.c.concluded_on, inspection_t.c.started_on)
    stmt = (
        select(
            commune_t.c.id.label("commune_id"),
            commune_t.c.name.label("commune"),
            _province(),
            organisation_t.c.id.label("organisation_id"),
            organisation_t.c.name.label("organisation"),
            inspection_t.c.cell_id.label("cell_id"),
            func.coalesce(cell_t.c.name, "").label("cell"),
            month_index(when).label("m"),
            when.label("dated"),
            *[
                inspection_t.c[c]
                for c in (
                    "id",
                    "body",
                    "kind",
                    "started_on",
                    "concluded_on",
                    "outcome",
                    "reward_level",
                    "discipline_level",
                    "follow_up_due",
                    "resolved_on",
                )
            ],
        )
        .select_from(
            inspection_t.join(organisation_t, organisation_t.c.id == inspection_t.c.organisation_id)
            .join(commune_t, commune_t.c.id == organisation_t.c.commune_id)
            .outerjoin(cell_t, cell_t.c.id == inspection_t.c.cell_id)
        )
        .where(*_unit_conditions(filters, scope))
    )
    if in_period:
        start, end = _period_bounds(filters)
        stmt = stmt.where(when >= start, when <= end)
    return stmt.subquery("insp")


def inspections(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune") -> pd.DataFrame:
    """One row per group: inspections dated in the period (conclusion, else start), by outcome, and overdue ones."""
    _check_group("inspections", by)
    src = _inspections_in_scope(filters, scope)
    measures = [func.count().label("inspections")]
    measures += [_sum(_flag(src.c.outcome == outcome)).label(outcome) for outcome in INSPECTION_COLUMNS[1:5]]
    measures.append(_sum(_flag(_overdue(filters.as_of, src))).label("overdue_follow_ups"))
    if by in ("body", "kind"):
        stmt = select(src.c[by], *measures).group_by(src.c[by])
        with engine.connect() as conn:
            result = conn.execute(stmt)
            df = rows_frame(result.all(), list(result.keys()))
    else:
        df = _aggregate(engine, src, by, measures)
    return _finish(
        df,
        by,
        GROUP_COLUMNS.get(by, (by,) if by in ("body", "kind") else ()) + INSPECTION_COLUMNS,
        extra_sort=(by,) if by in ("body", "kind") else (),
    )


FOLLOW_UP_COLUMNS = (
    "commune",
    "organisation",
    "cell",
    "body",
    "kind",
    "started_on",
    "concluded_on",
    "outcome",
    "follow_up_due",
    "resolved_on",
    "days_overdue",
)


def overdue_follow_ups(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """One row per inspection whose follow-up is overdue at the as-of date, whenever it was concluded."""
    src = _inspections_in_scope(filters, scope, in_period=False)
    stmt = select(*[src.c[c] for c in FOLLOW_UP_COLUMNS[:-1]]).where(_overdue(filters.as_of, src))
    with engine.connect() as conn:
        rows = [(*row, (filters.as_of - row.follow_up_due).days) for row in conn.execute(stmt)]
    rows.sort(key=lambda row: row[-1], reverse=True)  # most overdue first; stable, as reverse keeps ties in order
    return rows_frame(rows, FOLLOW_UP_COLUMNS).astype({"days_overdue": "int64"})


# --------------------------------------------------------------------------------------------------------------
# Classification

CLASSIFICATION_LEVELS = ("excellent", "good", "complete", "not_complete")
CLASSIFICATION_COLUMNS = ("rated", *CLASSIFICATION_LEVELS, "good_or_above_share")


def classification(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune") -> pd.DataFrame:
    """One row per group and year: organisations rated (cells when grouped by cell), per level, share good or above."""
    _check_group("classification", by)
    last_year = min(filters.period_to.year, filters.as_of.year)
    joined = rating_t.join(organisation_t, organisation_t.c.id == rating_t.c.organisation_id).join(
        commune_t, commune_t.c.id == organisation_t.c.commune_id
    )
    if by == "cell":
        joined = joined.join(cell_t, cell_t.c.id == rating_t.c.cell_id)
        unit_condition = rating_t.c.cell_id.is_not(None)
        cell_name: Any = cell_t.c.name
    else:
        unit_condition = rating_t.c.cell_id.is_(None)
        cell_name = literal("")
    src = (
        select(
            commune_t.c.id.label("commune_id"),
            commune_t.c.name.label("commune"),
            _province(),
            organisation_t.c.id.label("organisation_id"),
            organisation_t.c.name.label("organisation"),
            rating_t.c.cell_id.label("cell_id"),
            cell_name.label("cell"),
            (rating_t.c.year * _int(12)).label("m"),
            rating_t.c.year.label("rating_year"),
            rating_t.c.level,
        )
        .select_from(joined)
        .where(unit_condition, rating_t.c.year >= filters.period_from.year, rating_t.c.year <= last_year)
        .where(*_unit_conditions(filters, scope))
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


# --------------------------------------------------------------------------------------------------------------
# The registry: one entry per metric table of the data contract


@dataclass(frozen=True)
class MetricSpec:
    id: str
    function: Callable[..., pd.DataFrame]
    columns: tuple[str, ...]
    rate_columns: tuple[str, ...]
    groups: tuple[str, ...]
    default_group: str = "commune"


_ALL_GROUPS = ("province", *ENTITY_GROUPS, *TIME_GROUPS)

METRICS: dict[str, MetricSpec] = {
    "regularity": MetricSpec(
        "regularity", regularity, REGULARITY_COLUMNS, ("regularity_rate", "on_fixed_day_rate"), _ALL_GROUPS
    ),
    "participation": MetricSpec(
        "participation", participation, PARTICIPATION_COLUMNS, ("participation_rate",), _ALL_GROUPS
    ),
    "thematic": MetricSpec(
        "thematic", thematic, THEMATIC_COLUMNS, ("thematic_coverage",), ("province", *ENTITY_GROUPS, "quarter", "year")
    ),
    "topics": MetricSpec(
        "topics",
        topics,
        TOPIC_COLUMNS,
        (),
        ("topic", "province", "commune", "organisation", "quarter", "year"),
        "topic",
    ),
    "superior_attendance": MetricSpec(
        "superior_attendance", superior_attendance, SUPERIOR_COLUMNS, ("superior_attendance_rate",), _ALL_GROUPS
    ),
    "inspections": MetricSpec("inspections", inspections, INSPECTION_COLUMNS, (), (*_ALL_GROUPS, "body", "kind")),
    "classification": MetricSpec(
        "classification",
        classification,
        CLASSIFICATION_COLUMNS,
        ("good_or_above_share",),
        ("province", *ENTITY_GROUPS, "year"),
    ),
}


def compute(
    metric: str, engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str | None = None
) -> pd.DataFrame:
    """The metric table `metric` grouped by `by` (its default grouping when None)."""
    if metric not in METRICS:
        raise UserError(f"unknown metric {metric!r}; choose one of: {', '.join(METRICS)}")
    spec = METRICS[metric]
    return spec.function(engine, filters=filters, scope=scope, by=by or spec.default_group)


def per_commune(
    metric: str,
    engine: Engine,
    *,
    filters: Filters,
    scope: Scope = EVERYTHING,
    by: str,
    communes: Sequence[tuple[int, str]],
) -> pd.DataFrame:
    """`metric` grouped `by` for each commune of `communes` (id, name) in turn, a `commune` column first: the same
    frame as one `compute` call per commune with `filters.communes` = that commune, concatenated (what
    `ui.data.metric_per_commune` builds), from a single query grouped by commune as well."""
    if not communes:
        return pd.DataFrame(columns=["commune", by, *METRICS[metric].columns])
    token = _PER_PLACE.set("commune")
    try:
        table = compute(
            metric, engine, filters=replace(filters, communes=tuple(i for i, _ in communes)), scope=scope, by=by
        )
    finally:
        _PER_PLACE.reset(token)
    if PER_COMMUNE_KEY in table.columns and len(table):
        # each commune's rows in the order of `communes`, keeping their order inside a commune
        position = {commune_id: i for i, (commune_id, _) in enumerate(communes)}
        names = dict(communes)
        keyed = table[table[PER_COMMUNE_KEY].isin(position)]
        keyed = keyed.iloc[np.argsort(keyed[PER_COMMUNE_KEY].map(position).to_numpy(), kind="stable")]
        columns = [c for c in keyed.columns if c != PER_COMMUNE_KEY]
        out = keyed[columns].reset_index(drop=True)
        if set(position) - set(keyed[PER_COMMUNE_KEY].tolist()):  # concatenating an empty part gives object labels
            for col in columns:
                if _dtype(col) == "object":
                    out[col] = out[col].astype(object)
        out.insert(0, "commune", [names[int(i)] for i in keyed[PER_COMMUNE_KEY]])
        return out
    parts = []
    for _commune_id, name in communes:
        part = table.drop(columns=[PER_COMMUNE_KEY], errors="ignore")
        if part.empty:  # what `_finish` gives a commune without rows, to the dtype
            part = pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in part.columns})
        parts.append(part.assign(commune=name)[["commune", *part.columns]])
    return pd.concat(parts, ignore_index=True)


def per_province(metric: str, engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str) -> pd.DataFrame:
    """`metric` grouped `by` for each province of the view, a `province` column first ('' for communes without
    one): the same frame as one `compute` call per province (its communes as `filters.communes`), concatenated in
    Vietnamese order of the provinces with rows, from a single query grouped by province as well. What a national
    view draws where a province's view draws one line per commune."""
    token = _PER_PLACE.set("province")
    try:
        table = compute(metric, engine, filters=filters, scope=scope, by=by)
    finally:
        _PER_PLACE.reset(token)
    if PER_PROVINCE_KEY not in table.columns:  # no rows: `_finish` gave the bare columns
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in ("province", *table.columns)})
    return table.rename(columns={PER_PROVINCE_KEY: "province"})


# --------------------------------------------------------------------------------------------------------------
# Overview: headline numbers with the previous period, and the alert lists


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
    active_cell = and_(cell_t.c.active_from <= on, or_(cell_t.c.active_to.is_(None), cell_t.c.active_to >= on))
    active_org = and_(
        organisation_t.c.active_from <= on, or_(organisation_t.c.active_to.is_(None), organisation_t.c.active_to >= on)
    )
    conditions = _unit_conditions(filters, scope)
    return [
        select(func.count().label("organisations")).select_from(organisation_t).where(active_org, *conditions),
        select(func.count().label("cells"), _sum(cell_t.c.members).label("members"))
        .select_from(cell_t.join(organisation_t, organisation_t.c.id == cell_t.c.organisation_id))
        .where(active_cell, active_org, *conditions),
    ]


def _one_row(engine: Engine, parts: Sequence[Sequence[Select[Any]]]) -> list[dict[str, int]]:
    """Every list of one-row selects in `parts` read in one statement (the selects joined on nothing): for each
    list, its columns' values as integers (a select of no rows would make the whole row empty: each is an
    aggregate without GROUP BY, so it has exactly one)."""
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
    with engine.connect() as conn:
        row = conn.execute(select(*columns).select_from(joined)).one()._mapping
    return [{name: int(row[f"{name}_{i}"]) for name in names[i]} for i in range(len(parts))]


MEETING_METRICS = ("regularity", "participation", "thematic", "topics", "superior_attendance")
"""The metrics read from meetings: compared over the recorded part of the previous period (`previous_recorded`)."""

MEETING_KPIS = (
    "regularity_rate",
    "on_fixed_day_rate",
    "participation_rate",
    "thematic_coverage",
    "superior_attendance_rate",
)


_TOTALS = {  # the sums the meeting KPIs divide (RATES), as one-row totals of the month sums: column -> source
    "due_cell_months": ("months", "due"),
    "held_cell_months": ("months", "held"),
    "on_fixed_day_cell_months": ("months", "on_fixed_day"),
    "expected": ("sums", "expected"),
    "present": ("sums", "present"),
    "meetings": ("sums", "meetings"),
    "attended": ("sums", "superior_attended"),
    "due_cell_quarters": ("quarters", "due"),
    "covered_cell_quarters": ("quarters", "covered"),
}


def _meeting_totals(engine: Engine, filters: Filters, scope: Scope) -> list[Select[Any]] | None:
    """The one-row totals the meeting KPIs of `filters` are divided from (the columns of `_TOTALS`), over the
    month sums the metric tables read (`_summed_due_months`, `_summed_meeting_sums`, `_summed_due_quarters`), and
    so equal to their `by="total"` rows. None when the period cannot be read from them (the metric functions
    then take their own path)."""
    path = _summed_path(filters, "total")
    if path is None:
        return None
    sources = {
        "months": _summed_due_months(path, engine, filters, scope),
        "sums": _summed_meeting_sums(path, engine, filters, scope),
        "quarters": _summed_due_quarters(path, engine, filters, scope),
    }
    parts = []
    for name, source in sources.items():
        if source is None:
            return None
        parts.append(select(*[_sum(source.c[c]).label(col) for col, (s, c) in _TOTALS.items() if s == name]))
    return parts


def _meeting_kpis(totals: dict[str, int]) -> dict[str, float | None]:
    """The meeting KPIs of the metric totals (a rate over a zero denominator is None: no data)."""
    kpis: dict[str, float | None] = {}
    for kpi in MEETING_KPIS:
        numerator, denominator = RATES[kpi]
        rate = float(_rate([totals[numerator]], [totals[denominator]])[0])
        kpis[kpi] = None if np.isnan(rate) else rate
    return kpis


def _meeting_kpis_by_metric(engine: Engine, filters: Filters, scope: Scope) -> dict[str, float | None]:
    """The meeting KPIs from the metrics' `by="total"` rows (when `_meeting_totals` cannot read the period)."""

    def first(df: pd.DataFrame, column: str) -> float | None:
        value = df[column].iloc[0] if len(df) else None
        return None if value is None or pd.isna(value) else float(value)

    reg = regularity(engine, filters=filters, scope=scope, by="total")
    par = participation(engine, filters=filters, scope=scope, by="total")
    the = thematic(engine, filters=filters, scope=scope, by="total")
    sup = superior_attendance(engine, filters=filters, scope=scope, by="total")
    return {
        "regularity_rate": first(reg, "regularity_rate"),
        "on_fixed_day_rate": first(reg, "on_fixed_day_rate"),
        "participation_rate": first(par, "participation_rate"),
        "thematic_coverage": first(the, "thematic_coverage"),
        "superior_attendance_rate": first(sup, "superior_attendance_rate"),
    }


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
    if first is None:
        return None
    return Month.of(first if isinstance(first, dt.date) else dt.date.fromisoformat(str(first)[:10]))


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


def overview(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING) -> dict[str, Kpi]:
    """The headline numbers for the filters and for the previous period of the same length.

    The previous period's meeting KPIs count only its months from the first recorded meeting on: a month before
    the records began is unknown, not a month without meetings (a period wholly before them has no data). Its
    units, inspections and follow-ups are counted as for any period.

    Every count and every meeting total of both periods is read in one statement (`_one_row`); the meeting KPIs
    of a period the month sums cannot answer come from the metric functions instead."""
    recorded = previous_recorded(engine, filters)
    meeting_periods = [filters] if recorded is None else [filters, recorded]
    totals = [_meeting_totals(engine, period, scope) for period in meeting_periods]
    summed = all(parts is not None for parts in totals)
    rows = _one_row(
        engine,
        [
            _unit_counts(filters, scope),
            _unit_counts(filters.previous_period(), scope),
            *(cast(list[list[Select[Any]]], totals) if summed else []),
        ],
    )
    if summed:
        rates = [_meeting_kpis(row) for row in rows[2:]]
    else:
        rates = [_meeting_kpis_by_metric(engine, period, scope) for period in meeting_periods]
    if recorded is None:
        rates.append(dict.fromkeys(MEETING_KPIS))
    now = {**rows[0], **rates[0]}
    before = {**rows[1], **rates[1]}
    return {
        kpi: Kpi(None if now[kpi] is None else float(now[kpi]), None if before[kpi] is None else float(before[kpi]))
        for kpi in KPI_IDS
    }


MISSED_COLUMNS = ("commune", "organisation", "cell", "missed_months", "months")


def missed_meetings(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, window: int = 3) -> pd.DataFrame:
    """One row per cell that held no regular (or combined) meeting in at least one of its last `window` due months.

    `months` lists the missed months (YYYY-MM); the window ends at the as-of date, whatever the period.
    """
    end = Month.of(filters.as_of)
    recent = Filters(
        period_from=end - window,
        period_to=end,
        as_of=filters.as_of,
        communes=filters.communes,
        organisations=filters.organisations,
        organisation_kind=filters.organisation_kind,
    )
    due = _due_cell_months(recent, scope)
    # a cell's due months are consecutive up to its latest: its last `window` are those after latest - window
    latest = _latest_due(recent, due.c.last_due, due.c.meeting_day)
    stmt = select(due.c.commune, due.c.organisation, due.c.cell, due.c.cell_id, due.c.m).where(
        due.c.m > latest - _int(window), due.c.held == 0
    )  # each cell's last `window` due months, those without a regular or combined meeting
    with engine.connect() as conn:
        missed = rows_frame(conn.execute(stmt).all(), ["commune", "organisation", "cell", "cell_id", "m"])
    if missed.empty:
        return pd.DataFrame(columns=list(MISSED_COLUMNS)).astype({"missed_months": "int64"})
    names = {c: missed[c].tolist() for c in ("commune", "organisation", "cell", "cell_id", "m")}
    per_cell: dict[int, tuple[str, str, str, list[str]]] = {}  # in the order of each cell's first row
    for i in _order(missed, ["commune", "organisation", "cell", "cell_id", "m"]):
        cell_id = int(names["cell_id"][i])
        if cell_id not in per_cell:
            per_cell[cell_id] = (names["commune"][i], names["organisation"][i], names["cell"][i], [])
        per_cell[cell_id][3].append(month_label(int(names["m"][i])))
    rows = [(commune, org, cell, len(months), ", ".join(months)) for commune, org, cell, months in per_cell.values()]
    return pd.DataFrame(rows, columns=list(MISSED_COLUMNS)).astype({"missed_months": "int64"})


def below_target(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, target: float = 0.85) -> pd.DataFrame:
    """One row per cell whose participation rate over the period is below `target` (lowest first)."""
    low = participation(engine, filters=filters, scope=scope, by="cell", below=target)
    return low.sort_values("participation_rate", kind="stable").reset_index(drop=True)
