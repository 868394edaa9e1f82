"""Writing the derived tables: what makes the metric pages fast without changing a number.

What each table holds is in `data_access.measures.derived_tables`. `cell_month`, `cell_month_band` and
`cell_month_running` (recomputed with a cell's `cell_month` rows, from them) are derived from `meeting` only, so
they are exact whatever the cells' meeting days or active dates; the metrics judge the as-of date and due months at
query time (see `data_access.metrics`). `commune_month` depends on the units as well (due cell-months and
cell-quarters); it covers the months of `aggregate_span` (`wanted_span`: the first meeting month to the end of the
year after the last one's), and the commune, month, quarter and year views read it. A view's as-of month comes
from the cells (`cell_month.held_days` masked after the as-of day, and that month's raw meetings); months outside
the span come from the cells too.

Their SELECTs (`cell_month_select`, `cell_month_running_select`, `commune_month_select`) sum every measure of the
registry (`data_access.measures`), so a measure added there is summed everywhere; `init` makes anew a table whose
columns are not the registry's (`stale_tables`, `rebuild_in`).

Views grouped by organisation or filtered to organisations read the cells: a table per organisation paid under
1.2× (bench/results/2026-12-04-derived-tables.txt).

Every writer keeps them in step in its own transaction, by calling `refresh` once it has written: the meetings
import with the cells it touched, the units import with the communes of the cells and organisations it wrote (as
they were and as they are), the demo generator and `rebuild` with nothing (every table from scratch), the tests'
factories after each row. No session listener refreshes anything: a write that does not call `refresh` leaves
the tables behind, and `python -m data_access check` (`differences`) says so. `rebuild(engine)` (the command
`python -m data_access rebuild-aggregates`) recomputes every table for a database written by another tool.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Integer, Table, case, delete, func, insert, inspect, select, union_all
from sqlalchemy import cast as sql_cast
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from data_access.measures import (
    HELD_KINDS,
    MEETING_MEASURES,
    MEETING_SUMS,
    ROLLUP_SUMS,
    _flag,
    _int,
    aggregate_span_t,
    cell_month_band_t,
    cell_month_running_t,
    cell_month_t,
    cell_spans,
    cell_t,
    commune_month_t,
    covered_quarters,
    due_quarters,
    meeting_sums,
    meeting_t,
    month_index,
    on_day,
    organisation_t,
    series,
)

CHUNK = 2_000  # cell ids per IN list (SQLite allows 32,766 parameters)
DERIVED = (cell_month_t, cell_month_running_t, cell_month_band_t, commune_month_t, aggregate_span_t)
"""Every derived table (built from the registry: `data_access.measures.derived_tables`)."""


def _day_bit(column: Any) -> ColumnElement[int]:
    """1 << (day - 1): the bit of the date's day in `held_days`."""
    day = sql_cast(func.extract("day", column), Integer)
    return _int(1).op("<<", return_type=Integer)(day - _int(1))


def cell_month_select(*conditions: ColumnElement[bool]) -> Any:
    """SELECT of the `cell_month` rows of the meetings matching `conditions` (all meetings when none): every
    measure of the registry summed (`meeting_sums`), and `held_days`."""
    m = meeting_t.c
    month = month_index(m.date)
    held_bit = case((m.kind.in_(HELD_KINDS), _day_bit(m.date)), else_=None)
    return (
        select(
            m.cell_id,
            month.label("month"),
            *meeting_sums(m),
            # distinct days give distinct bits, so their distinct sum is their bitwise OR (portable to SQLite)
            func.coalesce(func.sum(held_bit.distinct()), 0).label("held_days"),
        )
        .where(*conditions)
        .group_by(m.cell_id, month)
    )


RATE_BANDS = 20  # 5-point bands of a meeting's own rate; band 20 holds exactly 100 % (data_access.details)


def rate_band(present: Any, expected: Any) -> ColumnElement[int]:
    """present × 20 ÷ expected, integer division (the band of a meeting's own participation rate)."""
    return (present * _int(RATE_BANDS)) // expected


def cell_month_band_select(*conditions: ColumnElement[bool]) -> Any:
    m = meeting_t.c
    month = month_index(m.date)
    expected = MEETING_MEASURES["expected"](m)
    band = rate_band(m.present, expected)
    return (
        select(m.cell_id, month.label("month"), band.label("band"), func.count().label("meetings"))
        .where(expected > 0, *conditions)
        .group_by(m.cell_id, month, band)
    )


RUNNING_SUMS = MEETING_SUMS


def cell_month_running_select(*conditions: ColumnElement[bool]) -> Any:
    """SELECT of the `cell_month_running` rows of the `cell_month` rows matching `conditions` (every row when
    none): each sum of the cell's months up to this one. `conditions` must keep or drop a cell's rows together."""
    cm = cell_month_t.c
    return select(
        cm.cell_id,
        cm.month,
        *[func.sum(cm[c]).over(partition_by=cm.cell_id, order_by=cm.month).label(c) for c in RUNNING_SUMS],
        func.sum(_flag(cm.held_days != 0)).over(partition_by=cm.cell_id, order_by=cm.month).label("held_months"),
    ).where(*conditions)


def _insert(conn: Connection, table: Table, rows: Any) -> None:
    """Insert the rows of the SELECT `rows` into `table`, column by label."""
    conn.execute(insert(table).from_select([c.name for c in rows.selected_columns], rows))


def _fill_cells(conn: Connection, cell_ids: list[int] | None) -> None:
    """Rewrite the per-cell tables' rows of these cells (every cell when None) from their meetings."""

    def of(table: Table) -> list[ColumnElement[bool]]:
        return [] if cell_ids is None else [table.c.cell_id.in_(cell_ids)]

    for table in (cell_month_band_t, cell_month_running_t, cell_month_t):
        conn.execute(delete(table).where(*of(table)))
    _insert(conn, cell_month_t, cell_month_select(*of(meeting_t)))
    _insert(conn, cell_month_band_t, cell_month_band_select(*of(meeting_t)))
    _insert(conn, cell_month_running_t, cell_month_running_select(*of(cell_month_t)))


def fill_all(conn: Connection) -> None:
    """Empty the tables and fill them from every meeting and unit, inside the caller's transaction."""
    _fill_cells(conn, None)
    _refresh_communes(conn, None)


def refresh(conn: Connection, *, cells: Iterable[int] | None = None, communes: Iterable[int] | None = None) -> None:
    """Bring the derived tables in step with what the caller just wrote, in the caller's transaction: the one
    entry point of every writer (imports, demo, rebuild, test factories); nothing refreshes them behind its back.

    `cells`: recompute these cells' rows from their meetings (a cell without meetings loses its rows: a writer
    deleting cells refreshes them before deleting them, their rows refer to them), and the commune rows of the
    communes they are in now. `communes`: recompute these communes' rows too (a writer that moved or changed
    units passes the communes they were in before and are in now). Neither given: every table from scratch."""
    if cells is None and communes is None:
        fill_all(conn)
        return
    touched = set(communes or ())
    for chunk in _chunks(cells or ()):
        _fill_cells(conn, chunk)
        touched |= communes_of(conn, chunk)
    if touched:
        _refresh_communes(conn, touched)


# --------------------------------------------------------------------------------------------------------------
# commune × kind of organisation × month: what the commune, month, quarter and year views read


def wanted_span(conn: Connection) -> tuple[int, int] | None:
    """The months `commune_month` covers: from the first month with a meeting to the December of the year after
    the last one's (12 to 23 months past it), None when there are no meetings. A function of the meetings only:
    a refresh gives the rows a rebuild gives, on any day, and the span moves (the whole table is recomputed) only
    when a meeting falls before its first month or in a new year."""
    first, last = conn.execute(select(func.min(cell_month_t.c.month), func.max(cell_month_t.c.month))).one()
    if first is None:
        return None
    return int(first), (int(last) // 12 + 2) * 12 - 1


def stored_span(conn: Connection) -> tuple[int, int] | None:
    """The months `commune_month` covers now (None when it covers none)."""
    s = aggregate_span_t.c
    row = conn.execute(select(s.first_month, s.last_month).where(s.table_name == commune_month_t.name)).first()
    return None if row is None else (int(row.first_month), int(row.last_month))


def _refresh_communes(conn: Connection, commune_ids: Iterable[int] | None) -> None:
    """Rewrite the `commune_month` rows of these communes (every commune when None); the whole table, over its
    new span, when the span moves."""
    span = wanted_span(conn)
    whole = commune_ids is None or span != stored_span(conn)
    if whole:
        conn.execute(delete(commune_month_t))
        conn.execute(delete(aggregate_span_t).where(aggregate_span_t.c.table_name == commune_month_t.name))
        if span is not None:
            conn.execute(
                insert(aggregate_span_t).values(
                    table_name=commune_month_t.name, first_month=span[0], last_month=span[1]
                )
            )
    if span is None:
        return
    for chunk in [None] if whole else _chunks(commune_ids or ()):
        if chunk is not None:
            conn.execute(delete(commune_month_t).where(commune_month_t.c.commune_id.in_(chunk)))
        _insert(conn, commune_month_t, commune_month_select(span, chunk))


COMMUNE_KEYS = tuple(c.name for c in commune_month_t.primary_key if c.name != "month")


def commune_month_select(span: tuple[int, int], commune_ids: list[int] | None = None) -> Any:
    """SELECT of the `commune_month` rows over `span` of the cells in these communes (or all), per commune, kind of
    organisation and month: every measure of the registry (`ROLLUP_SUMS`) summed over three parts, due
    cell-months (held, on the fixed day), due cell-quarters on their first month (covered by a thematic meeting),
    and the meeting sums of every cell, due or not."""
    keys = COMMUNE_KEYS
    first, last = span
    spans = cell_spans(*([organisation_t.c.commune_id.in_(commune_ids)] if commune_ids is not None else [])).cte(
        "spans"
    )
    cm = cell_month_t.c
    zero = _int(0)

    def row(month: Any, **values: Any) -> list[Any]:
        head = [*(spans.c[k] for k in keys), month.label("month")]
        return head + [values.get(name, zero).label(name) for name in ROLLUP_SUMS]

    months = series("months", _int(first), _int(last))
    m = months.c.n
    days = func.coalesce(cm.held_days, 0)
    on_fixed_day = on_day(days, spans.c.meeting_day)
    due_months = select(
        *row(m, due_cell_months=_int(1), held_cell_months=_flag(days != 0), on_fixed_day_cell_months=on_fixed_day)
    ).select_from(
        spans.join(months, (m >= spans.c.first_due) & (m <= spans.c.last_due)).outerjoin(
            cell_month_t, (cm.cell_id == spans.c.cell_id) & (cm.month == m)
        )
    )

    quarters = series("quarters", _int(-(-first // 3)), _int((last - 2) // 3))
    # a few communes' cells only: else the thematic months of every cell are grouped (1 s of a province's refresh)
    of_spans = [cm.cell_id.in_(select(spans.c.cell_id))] if commune_ids is not None else []
    covered = covered_quarters(cm.cell_id, cm.month, cm.thematic > 0, cm.month >= first, cm.month <= last, *of_spans)
    covered_flag = _flag(covered.c.cell_id.is_not(None))
    quarter_rows = row(quarters.c.n * _int(3), due_cell_quarters=_int(1), covered_cell_quarters=covered_flag)
    due_quarter_rows = select(*quarter_rows).select_from(due_quarters(spans, quarters, covered))

    meetings = (
        select(*row(cm.month, **{name: cm[name] for name in MEETING_SUMS}))
        .select_from(cell_month_t.join(spans, spans.c.cell_id == cm.cell_id))
        .where(cm.month >= first, cm.month <= last)
    )
    parts = union_all(due_months, due_quarter_rows, meetings).subquery("parts")
    group = [parts.c[k] for k in keys]
    # written month by month, so a view's months lie together on disk (PostgreSQL reads 3-4× fewer pages)
    return (
        select(*group, parts.c.month, *[func.sum(parts.c[name]).label(name) for name in ROLLUP_SUMS])
        .group_by(*group, parts.c.month)
        .order_by(parts.c.month, *group)
    )


def stale_tables(conn: Connection) -> list[str]:
    """The derived tables the database lacks or holds with other columns or indexes than the registry's (a
    measure added to or taken from `MEETING_MEASURES`, or an index added, since they were made)."""
    inspector = inspect(conn)

    def stale(table: Table) -> bool:
        if not inspector.has_table(table.name):
            return True
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        return columns != set(table.c.keys()) or indexes != {i.name for i in table.indexes}

    return [t.name for t in DERIVED if stale(t)]


def rebuild_in(conn: Connection) -> list[str]:
    """Make the derived tables the registry's and recompute every one inside the caller's transaction, without a
    statement limit (what `init` runs after a revision or when `stale_tables` names one: a province's meetings
    take longer than the app's limit on PostgreSQL). A stale table is dropped and created anew, never altered:
    it holds nothing the base tables do not. Returns the names of the tables made anew."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
    stale = stale_tables(conn)
    for table in [t for t in DERIVED if t.name in stale]:
        table.drop(conn, checkfirst=True)
        table.create(conn)
    refresh(conn)
    return stale


def rebuild(engine: Engine) -> dict[str, int]:
    """Recompute every derived table from the meetings and units in one transaction; the rows written per
    table."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # a province's meetings take longer than the app's statement limit
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        refresh(conn)
        counts = {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in DERIVED[:-1]
        }
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE " + ", ".join(counts))  # names of our own tables, never input
    return counts


def needs_rebuild(engine: Engine) -> bool:
    """True when a derived table is stale (`stale_tables`), or there are meetings but no aggregate rows (a
    database filled before the aggregates, or by hand)."""
    with engine.connect() as conn:
        if stale_tables(conn):
            return True

        def has_rows(table: Table) -> bool:
            return conn.execute(select(_int(1)).select_from(table).limit(1)).first() is not None

        derived = (cell_month_t, cell_month_running_t, commune_month_t)
        return has_rows(meeting_t) and not all(has_rows(table) for table in derived)


def differences(engine: Engine) -> int:
    """How many rows of the derived tables differ from a fresh computation (0 when in step; a span that differs
    from the one a refresh would use counts 1)."""
    return sum(differences_by_table(engine).values())


def differences_by_table(engine: Engine) -> dict[str, int]:
    """Per derived table, how many of its rows differ from a fresh computation from what it is made of (rows
    stored but not computed, and computed but not stored): `cell_month` and `cell_month_band` from the meetings,
    `cell_month_running` and `commune_month` from `cell_month` and the units, so a write left unrefreshed is named
    where it first shows. A commune table whose span is not the one a refresh would use counts 1 (its rows are
    not compared)."""
    found: dict[str, int] = {}

    def count(conn: Connection, name: str, stored: Any, fresh: Any) -> None:
        extra = select(*stored).except_(select(*fresh)).subquery()
        missing = select(*fresh).except_(select(*stored)).subquery()
        found[name] = int(conn.execute(select(func.count()).select_from(extra)).scalar_one()) + int(
            conn.execute(select(func.count()).select_from(missing)).scalar_one()
        )

    with engine.connect() as conn:
        for table, rows in (
            (cell_month_t, cell_month_select()),
            (cell_month_running_t, cell_month_running_select()),
            (cell_month_band_t, cell_month_band_select()),
        ):
            fresh = rows.subquery()
            count(conn, table.name, list(table.c), list(fresh.c))
        span, name = wanted_span(conn), commune_month_t.name
        if span != stored_span(conn):
            found[name] = 1
        elif span is None:
            found[name] = 0
        else:
            fresh = commune_month_select(span).subquery()
            count(conn, name, [commune_month_t.c[c.name] for c in fresh.c], list(fresh.c))
    return found


def communes_of(conn: Connection, cells: list[int]) -> set[int]:
    """The communes of these cells' organisations (at most CHUNK cells), as the database holds them now."""
    joined = cell_t.join(organisation_t, organisation_t.c.id == cell_t.c.organisation_id)
    query = select(organisation_t.c.commune_id).select_from(joined).where(cell_t.c.id.in_(cells)).distinct()
    return {int(c) for c in conn.execute(query).scalars()}


def _chunks(ids: Iterable[int]) -> list[list[int]]:
    """The distinct ids in order, CHUNK at a time."""
    ordered = sorted(set(ids))
    return [ordered[start : start + CHUNK] for start in range(0, len(ordered), CHUNK)]
