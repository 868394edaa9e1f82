"""The cell path: per cell and month, the `cell_month` sums for whole months and the raw meetings for the as-of
month up to the as-of day; the due cell-months and cell-quarters; per-cell running totals."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, Select, and_, case, func, or_, select, true, tuple_
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import CTE, Subquery

from data_access.filters import Filters, Scope
from data_access.measures import (
    HELD_KINDS,
    MEETING_SUMS,
    THEMATIC_KINDS,
    _earlier,
    _flag,
    _int,
    _later,
    _series_cte,
    cell_month_running_t,
    cell_month_t,
    cell_t,
    covered_quarters,
    day_of,
    due_quarters,
    meeting_sums,
    meeting_t,
    month_index,
    on_day,
    organisation_t,
    series,
    table_of,
)
from data_access.metrics.binding import (
    RUNNING_MONTHS,
    _as_of_month_days,
    _due_quarter_range,  # noqa: F401  (imported from here by browse)
    _whole_months,
    bound_value,
    current_slot,
    is_binding,
    period_value,
    period_values,
    shared,
)
from data_access.metrics.scoping import (
    UNIT_COLUMNS,
    _cells_in_scope,
    _counted,
    _fast,
    _unit_conditions,
    _united,
    _units,
)
from data_access.models import Topic

topic_t = table_of(Topic)


def _raw(raw: bool | None) -> bool:
    """`raw` when given, else whether the block is `from_raw_meetings`."""
    return not _fast() if raw is None else raw


def _cell_ids(*conditions: ColumnElement[bool]) -> Select[Any]:
    """A SELECT of the ids of the cells whose row and organisation's row meet `conditions`."""
    joined = cell_t.join(organisation_t, organisation_t.c.id == cell_t.c.organisation_id)
    return select(cell_t.c.id).select_from(joined).where(*conditions)


def _narrowed(part: Any, cell_column: Any, filters: Filters, scope: Scope) -> Any:
    """`part` limited to the cells of the filters and scope inside it, so one commune reads only its own rows."""
    conditions = _unit_conditions(filters, scope)
    return part.where(cell_column.in_(_cell_ids(*conditions))) if conditions else part


def cells_named(pairs: Sequence[tuple[str, str]]) -> Select[Any]:
    """A SELECT of the ids of the cells named by these (organisation, cell) names (both unique together)."""
    return _cell_ids(tuple_(organisation_t.c.name, cell_t.c.name).in_(list(pairs)))


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
    cm, mt = cell_month_t.c, meeting_t.c
    whole_sums = [func.sum(cm[c]).label(c) if per_cell else cm[c] for c in MEETING_SUMS]
    whole = select(cm.cell_id, *([] if per_cell else [cm.month.label("m")]), *whole_sums).where(
        cm.month >= period_value("lo", filters), cm.month <= period_value("hi", filters)
    )
    parts: list[Any] = [whole.group_by(cm.cell_id) if per_cell else whole]
    if _as_of_month_days(filters) is not None:
        month = [] if per_cell else [month_index(mt.date)]
        as_of = [mt.date >= period_value("as_of_first", filters), mt.date <= period_value("as_of", filters)]
        part = select(mt.cell_id, *[m.label("m") for m in month], *meeting_sums(mt)).where(*as_of)
        parts.append(part.group_by(mt.cell_id, *month))
    parts = [_narrowed(part, part.selected_columns.cell_id, filters, scope) for part in parts]
    if cells is not None:
        parts = [part.where(part.selected_columns.cell_id.in_(cells)) for part in parts]
    if per_cell and hi - lo + 1 >= RUNNING_MONTHS:
        parts[0] = _running_per_cell(filters, scope, cells, lo, hi, dialect=dialect)
    monthly = _united(parts).subquery("cm")
    if per_cell and len(parts) > 1:  # a cell's whole months and its as-of month added up
        sums = [func.sum(monthly.c[c]).label(c) for c in MEETING_SUMS]
        monthly = select(monthly.c.cell_id, *sums).group_by(monthly.c.cell_id).subquery("cs")
    columns, joined = _units(filters)
    return (
        select(*columns, *[monthly.c[c] for c in ([] if per_cell else ["m"]) + list(MEETING_SUMS)])
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
    names = MEETING_SUMS
    # inside `binding()` named as the period's whole months are (`binding.period_values`: one value per name)
    b_hi = bound_value(current_slot() + "hi", hi, Integer())
    b_before = bound_value(current_slot() + "lo_before", lo - 1, Integer())

    def in_scope(stmt: Select[Any]) -> Select[Any]:
        stmt = _narrowed(stmt, cell_t.c.id, filters, scope)
        return stmt.where(cell_t.c.id.in_(cells)) if cells is not None else stmt

    if dialect == "postgresql":

        def latest(up_to: Any, name: str) -> Any:
            return (
                select(run)
                .where(run.c.cell_id == cell_t.c.id, run.c.month <= up_to)
                .order_by(run.c.month.desc())
                .limit(1)
                .lateral(name)
            )

        at_end, before = latest(b_hi, "run_end"), latest(b_before, "run_before")
        cell_id: Any = cell_t.c.id.label("cell_id")
        rows = cell_t.join(at_end, true()).outerjoin(before, true())
    else:

        def last_month(up_to: Any) -> Any:
            return (
                select(func.max(run.c.month))
                .where(run.c.cell_id == cell_t.c.id, run.c.month <= up_to)
                .scalar_subquery()
            )

        ends = in_scope(
            select(cell_t.c.id.label("cell_id"), last_month(b_hi).label("hi_m"), last_month(b_before).label("lo_m"))
        ).cte("cell_ends")
        ends = ends.prefix_with("MATERIALIZED", dialect="sqlite")
        at_end, before = run.alias("run_end"), run.alias("run_before")
        cell_id = ends.c.cell_id
        rows = ends.join(at_end, and_(at_end.c.cell_id == cell_id, at_end.c.month == ends.c.hi_m))
        rows = rows.outerjoin(before, and_(before.c.cell_id == cell_id, before.c.month == ends.c.lo_m))
    sums = [at_end.c[c] - func.coalesce(before.c[c], 0) for c in names]
    stmt = select(cell_id, *[s.label(c) for s, c in zip(sums, names, strict=True)]).select_from(rows)
    stmt = in_scope(stmt) if dialect == "postgresql" else stmt
    return stmt.where(sums[0] > 0)


# --------------------------------------------------------------------------------------------------------------
# Regularity


def _due_cell_months(
    filters: Filters,
    scope: Scope,
    cell_ids: Sequence[int] | None = None,
    *,
    raw: bool | None = None,
    reported: bool = True,
) -> Subquery:
    """One row per due cell-month: unit columns, the cell's meeting day and last due month (last_due), month index
    m, held (0/1) and on_fixed_day (0/1); only of the cells with the ids `cell_ids` when given. `raw`: held read
    from the meetings rather than `cell_month` (None: as `from_raw_meetings` says).

    Only the months its commune has reported count (`scoping._counted`): those not in `_unreported`, looked up
    there (a few hundred commune-months of a province) rather than in the reporting table (a province's five
    years by organisation on SQLite: 586 -> 480-501 ms; bench/results/2026-12-04-grid-and-rate-distribution.txt,
    D). With `reported=False`, only the months it has not (the cells
    "not reported", listed apart from the missed meetings)."""
    cells = _cells_in_scope(filters, scope, cell_ids)
    months = _series(filters, "months", "from_m", "due_last")
    m = months.c.n
    as_of_month = period_value("as_of_m", filters)
    gaps = _unreported(cells, months)
    in_gaps = select(gaps.c.month).where(gaps.c.commune_id == cells.c.recorded_commune_id, gaps.c.month == m).exists()
    due_condition = and_(
        m >= cells.c.first_due,
        m <= cells.c.last_due,
        or_(m < as_of_month, and_(m == as_of_month, cells.c.meeting_day < period_value("as_of_day", filters))),
        ~in_gaps if reported else in_gaps,
    )
    if not _raw(raw):  # held when a bit of `cell_month.held_days` is set (in the as-of month, a day up to as-of)
        cm = cell_month_t.c
        days = func.coalesce(_held_days_to(filters, m), 0)
        # the months' range again on `cell_month` itself: PostgreSQL then reads only those months by its month
        # index (the as-of month: some 300 rows of a district) where it hashed every row (20,000, 3 of 5 ms)
        in_months = and_(cm.month >= period_value("from_m", filters), cm.month <= period_value("due_last", filters))
        source: Any = cell_month_t
        on = and_(cm.cell_id == cells.c.cell_id, cm.month == m, in_months)
        held, on_fixed_day = _flag(days != 0), on_day(days, cells.c.meeting_day)
    else:
        mt = meeting_t.c
        source = (
            select(
                mt.cell_id,
                month_index(mt.date).label("m"),
                func.max(_flag(day_of(mt.date) == cell_t.c.meeting_day)).label("on_fixed_day"),
            )
            .select_from(meeting_t.join(cell_t, cell_t.c.id == mt.cell_id))
            .where(
                mt.kind.in_(HELD_KINDS),
                mt.date >= period_value("start", filters),
                mt.date <= period_value("end", filters),
            )
            .where(mt.cell_id.in_(select(cells.c.cell_id)))
            .group_by(mt.cell_id, month_index(mt.date))
            .subquery("held")
        )
        on = and_(source.c.cell_id == cells.c.cell_id, source.c.m == m)
        held, on_fixed_day = _flag(source.c.cell_id.is_not(None)), func.coalesce(source.c.on_fixed_day, 0)
    stmt = select(
        *[cells.c[u] for u in UNIT_COLUMNS],
        cells.c.meeting_day,
        cells.c.last_due,
        m.label("m"),
        held.label("held"),
        on_fixed_day.label("on_fixed_day"),
    ).select_from(cells.join(months, due_condition).outerjoin(source, on))
    return stmt.subquery("due")


def _latest_due(filters: Filters, last_due: Any, meeting_day: Any) -> ColumnElement[int]:
    """A cell's latest due month in the period as of the as-of day: the earliest of its last due month, the
    period's last month and the as-of month (the month before while its meeting day has not passed). Its due
    months are consecutive and end there."""
    as_of_month = period_value("as_of_m", filters, inline=True)
    passed = as_of_month - case((meeting_day >= period_value("as_of_day", filters, inline=True), 1), else_=0)
    return _earlier(_earlier(last_due, passed), period_value("to_m", filters, inline=True))


def _held_days_to(filters: Filters, month: Any) -> ColumnElement[int]:
    """`cell_month.held_days` as of the as-of day: in the as-of month (when `month` is it) only the days up to
    as-of."""
    held_days = cell_month_t.c.held_days
    up_to_as_of = held_days.op("&", return_type=Integer)(period_value("held_mask", filters, inline=True))
    return case((month == period_value("as_of_m", filters, inline=True), up_to_as_of), else_=held_days)


def _series(filters: Filters, name: str, first: str, last: str) -> CTE:
    """The integers from the period's value `first` to its value `last` (`binding.period_values`; empty when last
    < first) as a recursive CTE: `measures._series_cte` outside `binding()`, else one named by its slot, its
    bounds bound."""
    if not is_binding():
        values = period_values(filters)
        return _series_cte(name, values[first], values[last])

    def build() -> CTE:
        return series(f"{current_slot()}{name}", period_value(first, filters), period_value(last, filters))

    return shared((name, first, last, current_slot()), build)


def _held_and_due_per_cell(filters: Filters, scope: Scope, *, dialect: str = "", tracked: bool = False) -> Select[Any]:
    """Per cell with a due month: its due months counted by arithmetic and its held months read from `cell_month`.

    The same counts as grouping `_due_cell_months` per cell, without building every cell-month: a cell's due months
    are the run from the later of the period's start and its first due month to the earlier of the period's end
    (never past as-of) and its last due month, less the as-of month when its meeting day has not come yet; its held
    months are its `cell_month` rows in that run with a held day (in the as-of month, a day up to as-of).

    On SQLite the whole months' held ones are its running count (`cell_month_running.held_months`) at its last row
    up to the run's end less the one before the run's start: a province's five years 562 -> 332 ms for the grid.
    PostgreSQL counts the rows: its three lookups per cell took 627 ms where the count takes 533.

    `tracked` (the database records reporting, data_access.reporting): only the months the cell's commune has
    reported count (`scoping._counted`): both counts less those of the run's months in `_unreported`, joined to
    the runs. A province's gaps are a few hundred commune-months; testing the month of every cell-month instead
    took most of the time on SQLite (its five years: 330 -> 89 ms; on PostgreSQL the grid takes as long either
    way)."""
    cells = _cells_in_scope(filters, scope)
    start = _later(period_value("from_m", filters, inline=True), cells.c.first_due)
    end = _latest_due(filters, cells.c.last_due, cells.c.meeting_day)
    runs = select(
        cells.c.recorded_commune_id,
        cells.c.commune,
        cells.c.organisation,
        cells.c.cell,
        cells.c.cell_id,
        start.label("lo"),
        end.label("hi"),
    ).subquery("runs")
    cm, run = cell_month_t.c, cell_month_running_t.c
    as_of_month = period_value("as_of_m", filters, inline=True)
    due = runs.c.hi - runs.c.lo + 1
    held: ColumnElement[int]
    if dialect != "sqlite":
        in_run = [cm.cell_id == runs.c.cell_id, cm.month >= runs.c.lo, cm.month <= runs.c.hi]
        held = select(func.count()).where(*in_run, _held_days_to(filters, cm.month) != 0).scalar_subquery()
    else:

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

        # The whole months of the run from the running counts (two rows per cell, however long the period), the
        # as-of month from its cell_month row, its days up to as-of only.
        as_of = [cm.cell_id == runs.c.cell_id, cm.month == as_of_month]
        as_of_held = select(func.count()).where(*as_of, _held_days_to(filters, cm.month) != 0).scalar_subquery()
        as_of_in_run = and_(runs.c.lo <= as_of_month, runs.c.hi >= as_of_month)
        held = (
            held_through(_earlier(runs.c.hi, as_of_month - _int(1)))
            - held_through(runs.c.lo - _int(1))
            + case((as_of_in_run, as_of_held), else_=0)
        )
    source: Any = runs
    if tracked:  # less each cell's months in its commune's gaps (few: joined, where a lookup per cell scanned them)
        gaps = _unreported(cells, _series(filters, "months", "from_m", "due_last"))
        held_gap = and_(cm.cell_id == runs.c.cell_id, cm.month == gaps.c.month, _held_days_to(filters, cm.month) != 0)
        in_gaps = (
            select(
                runs.c.cell_id,
                func.count().label("due"),
                func.count(cm.cell_id).label("held"),
            )
            .select_from(
                runs.join(
                    gaps,
                    and_(
                        gaps.c.commune_id == runs.c.recorded_commune_id,
                        gaps.c.month >= runs.c.lo,
                        gaps.c.month <= runs.c.hi,
                    ),
                ).outerjoin(cell_month_t, held_gap)
            )
            .group_by(runs.c.cell_id)
            .subquery("in_gaps")
        )
        source = runs.outerjoin(in_gaps, in_gaps.c.cell_id == runs.c.cell_id)
        held = held - func.coalesce(in_gaps.c.held, 0)
        due = due - func.coalesce(in_gaps.c.due, 0)
    names = (runs.c.commune, runs.c.organisation, runs.c.cell, runs.c.cell_id)
    stmt = select(*names, held.label("held"), due.label("due")).select_from(source).where(runs.c.hi >= runs.c.lo)
    return stmt.where(due > 0) if tracked else stmt


def _unreported(cells: CTE, months: CTE) -> CTE:
    """The months of `months` (commune_id, month) that the communes of `cells` (`_cells_in_scope`: their
    `recorded_commune_id`) have not reported (`scoping._counted`; none in a database without reporting records),
    materialized: computed once per statement, and small. One CTE per (cells, months) in a statement, named after
    its months."""
    if is_binding():
        return shared(("unreported", cells, months), lambda: _gaps(cells, months))
    return _gaps_cached(cells, months)


def _gaps(cells: CTE, months: CTE) -> CTE:
    communes = select(cells.c.recorded_commune_id.label("commune_id")).distinct().subquery("communes")
    gaps = (
        select(communes.c.commune_id, months.c.n.label("month"))
        .select_from(communes.join(months, true()))
        .where(~_counted(communes.c.commune_id, months.c.n))
    )
    return gaps.cte(f"{months.name}_gaps").prefix_with("MATERIALIZED")


_gaps_cached = lru_cache(maxsize=256)(_gaps)


# --------------------------------------------------------------------------------------------------------------
# Thematic coverage and topics


def _due_cell_quarters(filters: Filters, scope: Scope, *, raw: bool | None = None) -> Subquery:
    """One row per due cell-quarter of the period (month index m of its first month): unit columns and covered
    (0/1: a thematic or combined meeting in the quarter). `raw`: covered read from the meetings (None: as
    `from_raw_meetings` says)."""
    cells = _cells_in_scope(filters, scope)
    quarters = _series(filters, "quarters", "q_first", "q_last")
    scoped = select(cells.c.cell_id)
    if _raw(raw):
        mt = meeting_t.c
        start, end = period_value("start", filters), period_value("end", filters)
        in_period = [mt.kind.in_(THEMATIC_KINDS), mt.date >= start, mt.date <= end, mt.cell_id.in_(scoped)]
        covered = covered_quarters(mt.cell_id, month_index(mt.date), *in_period)
    else:  # due quarters are whole, inside the period and before the as-of month: all in `cell_month`
        cm = cell_month_t.c
        q_lo, q_hi = period_value("q_lo", filters), period_value("q_hi", filters)
        covered = covered_quarters(
            cm.cell_id, cm.month, cm.thematic > 0, cm.month >= q_lo, cm.month <= q_hi, cm.cell_id.in_(scoped)
        )
    return (
        select(
            *[cells.c[u] for u in UNIT_COLUMNS],
            (quarters.c.n * _int(3)).label("m"),
            _flag(covered.c.cell_id.is_not(None)).label("covered"),
        )
        .select_from(due_quarters(cells, quarters, covered))
        .subquery("dueq")
    )
