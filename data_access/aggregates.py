"""The cell × month aggregates of the meetings: what makes the metric pages fast without changing a number.

`cell_month` holds, per cell and month with at least one meeting, the sums the metrics need (meetings, expected,
present, absences, superior attendance, thematic meetings) and `held_days`, a bit per day of the month on which a
regular or combined meeting was held; `cell_month_topic` counts the meetings per topic. Both are derived from
`meeting` only, so they are exact whatever the cells' meeting days or active dates, and the metrics judge the
as-of date and due months at query time (see `data_access.metrics`).

Every writer of meetings keeps them in step in its own transaction: the demo generator fills them after writing
(`fill_all`), the import refreshes the cells it touched (`refresh_cells`), and meetings written through an ORM
session (tests' factories, scripts) refresh their cells at each flush (a session listener registered on import
of this module, which `data_access.metrics` imports). `rebuild(engine)` (the command
`python -m data_access rebuild-aggregates`) recomputes both tables for a database written before they existed or
by another tool.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Integer, Table, case, delete, event, func, insert, inspect, literal_column, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.sql.elements import ColumnElement

from data_access.models import CellMonth, CellMonthTopic, Meeting

cell_month_t = cast(Table, CellMonth.__table__)
cell_month_topic_t = cast(Table, CellMonthTopic.__table__)
meeting_t = cast(Table, Meeting.__table__)

HELD_KINDS = ("regular", "combined")
THEMATIC_KINDS = ("thematic", "combined")
ALL_DAYS = 2**31 - 1  # held_days with every day of a month set
CHUNK = 2_000  # cell ids per IN list (SQLite allows 32,766 parameters)


def _const(n: int) -> ColumnElement[int]:
    """An integer written into the SQL text, so SELECT and GROUP BY expressions are textually identical."""
    return literal_column(str(int(n)), Integer)


def month_of(column: Any) -> ColumnElement[int]:
    """year * 12 + month - 1 of a date column (the same expression as `metrics.month_index`)."""
    year = sql_cast(func.extract("year", column), Integer)  # type: ignore[arg-type]
    month = sql_cast(func.extract("month", column), Integer)  # type: ignore[arg-type]
    return year * _const(12) + month - _const(1)


def _day_bit(column: Any) -> ColumnElement[int]:
    """1 << (day - 1): the bit of the date's day in `held_days`."""
    day = sql_cast(func.extract("day", column), Integer)  # type: ignore[arg-type]
    return _const(1).op("<<", return_type=Integer)(day - _const(1))


def _flag(condition: ColumnElement[bool]) -> Any:
    return case((condition, 1), else_=0)


def cell_month_select(*conditions: ColumnElement[bool]) -> Any:
    """SELECT of the `cell_month` rows of the meetings matching `conditions` (all meetings when none)."""
    m = meeting_t.c
    month = month_of(m.date)
    held_bit = case((m.kind.in_(HELD_KINDS), _day_bit(m.date)), else_=None)
    return (
        select(
            m.cell_id,
            month.label("month"),
            func.count().label("meetings"),
            func.sum(m.members_total - m.members_exempt).label("expected"),
            func.sum(m.present).label("present"),
            func.sum(m.absent_excused).label("absent_excused"),
            func.sum(m.absent_unexcused).label("absent_unexcused"),
            func.sum(_flag(m.superior_attended.is_(True))).label("superior_attended"),
            func.sum(_flag(m.kind.in_(THEMATIC_KINDS))).label("thematic"),
            # distinct days give distinct bits, so their distinct sum is their bitwise OR (portable to SQLite)
            func.coalesce(func.sum(held_bit.distinct()), 0).label("held_days"),
        )
        .where(*conditions)
        .group_by(m.cell_id, month)
    )


def cell_month_topic_select(*conditions: ColumnElement[bool]) -> Any:
    m = meeting_t.c
    month = month_of(m.date)
    return (
        select(m.cell_id, month.label("month"), m.topic_id, func.count().label("meetings"))
        .where(m.topic_id.is_not(None), *conditions)
        .group_by(m.cell_id, month, m.topic_id)
    )


_CM_COLUMNS = [c.name for c in cell_month_t.columns]
_CMT_COLUMNS = [c.name for c in cell_month_topic_t.columns]


def _insert_from(conn: Connection, conditions: list[ColumnElement[bool]]) -> None:
    conn.execute(insert(cell_month_t).from_select(_CM_COLUMNS, cell_month_select(*conditions)))
    conn.execute(insert(cell_month_topic_t).from_select(_CMT_COLUMNS, cell_month_topic_select(*conditions)))


def fill_all(conn: Connection) -> None:
    """Empty both tables and fill them from every meeting, inside the caller's transaction."""
    conn.execute(delete(cell_month_topic_t))
    conn.execute(delete(cell_month_t))
    _insert_from(conn, [])


def refresh_cells(conn: Connection, cell_ids: Iterable[int]) -> None:
    """Recompute the rows of these cells from their meetings, inside the caller's transaction."""
    ids = sorted(set(cell_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        conn.execute(delete(cell_month_topic_t).where(cell_month_topic_t.c.cell_id.in_(chunk)))
        conn.execute(delete(cell_month_t).where(cell_month_t.c.cell_id.in_(chunk)))
        _insert_from(conn, [meeting_t.c.cell_id.in_(chunk)])


def rebuild(engine: Engine) -> dict[str, int]:
    """Recompute both tables from the meetings in one transaction; the rows written per table."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # a province's meetings take longer than the app's statement limit
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        fill_all(conn)
        counts = {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in (cell_month_t, cell_month_topic_t)
        }
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE cell_month, cell_month_topic")
    return counts


def needs_rebuild(engine: Engine) -> bool:
    """True when there are meetings but no aggregate rows (a database filled before the aggregates, or by hand)."""
    with engine.connect() as conn:
        has_meetings = conn.execute(select(meeting_t.c.id).limit(1)).first() is not None
        has_rows = conn.execute(select(cell_month_t.c.cell_id).limit(1)).first() is not None
    return has_meetings and not has_rows


def differences(engine: Engine) -> int:
    """How many `cell_month` and `cell_month_topic` rows differ from a fresh computation (0 when in step)."""
    total = 0
    with engine.connect() as conn:
        for table, fresh in (
            (cell_month_t, cell_month_select().subquery()),
            (cell_month_topic_t, cell_month_topic_select().subquery()),
        ):
            stored = select(*table.c).except_(select(*fresh.c)).subquery()
            missing = select(*fresh.c).except_(select(*table.c)).subquery()
            total += int(conn.execute(select(func.count()).select_from(stored)).scalar_one())
            total += int(conn.execute(select(func.count()).select_from(missing)).scalar_one())
    return total


@event.listens_for(Session, "after_flush")
def _refresh_after_flush(session: Session, flush_context: UOWTransaction) -> None:
    """Meetings added, changed or deleted through an ORM session: refresh their cells in the same transaction."""
    cells: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Meeting):
            if obj.cell_id is not None:
                cells.add(int(obj.cell_id))
            cells.update(int(c) for c in inspect(obj).attrs.cell_id.history.deleted or () if c is not None)
    if cells:
        refresh_cells(session.connection(), cells)
