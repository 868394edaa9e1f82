"""The metric tables read from meetings: regularity, participation, superior attendance, long meetings and thematic
coverage (each compiled from the registry, `data_access.metrics.compiler`), and topics."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from data_access.filters import GROUP_COLUMNS, Filters, Scope
from data_access.frames import rows_frame
from data_access.measures import cell_t, meeting_t, month_index
from data_access.metrics.cells import _narrowed, topic_t
from data_access.metrics.compiler import table
from data_access.metrics.definitions import TIME_GROUPS, TOPIC_COLUMNS, check_group
from data_access.metrics.scoping import _PER_PLACE, _fast, _group_keys, _period_bounds, _units
from data_access.metrics.shaping import _finish


def regularity(engine: Engine, *, filters: Filters, scope: Scope, by: str = "commune") -> pd.DataFrame:
    """One row per group: due cell-months, those with a regular/combined meeting, those on the fixed day, rates."""
    return table("regularity", engine, filters, scope, by, raw=not _fast())


def participation(
    engine: Engine, *, filters: Filters, scope: Scope, by: str = "commune", below: float | None = None
) -> pd.DataFrame:
    """One row per group: meetings, expected (members - exempt), present, absences and Σ present ÷ Σ expected.

    `below`: only the groups whose rate is below it (the database drops the others first, with a margin, so a
    province's cells are not all shipped to find the few below target; the exact test is the rate's)."""
    return table("participation", engine, filters, scope, by, raw=not _fast(), below=below)


def superior_attendance(engine: Engine, *, filters: Filters, scope: Scope, by: str = "commune") -> pd.DataFrame:
    """One row per group: meetings, those attended by a member of the higher committee, and the share."""
    return table("superior_attendance", engine, filters, scope, by, raw=not _fast())


def long_meetings(engine: Engine, *, filters: Filters, scope: Scope, by: str = "commune") -> pd.DataFrame:
    """One row per group: meetings, those lasting at least LONG_MEETING_MINUTES, and the share."""
    return table("long_meetings", engine, filters, scope, by, raw=not _fast())


def thematic(engine: Engine, *, filters: Filters, scope: Scope, by: str = "commune") -> pd.DataFrame:
    """One row per group: due cell-quarters, those with a thematic or combined meeting, such meetings, coverage."""
    return table("thematic", engine, filters, scope, by, raw=not _fast())


def topics(engine: Engine, *, filters: Filters, scope: Scope, by: str = "topic") -> pd.DataFrame:
    """One row per topic (within each group when `by` is not `topic`): thematic meetings on it and cells holding
    them, counted from the meetings (a derived table per topic paid under 1.5× on the topics page): only their
    cell, month and topic are read (the thematic meetings' index holds them), the units joined only when the
    grouping names them, the topic names last."""
    check_group("topics", by)
    group_by = "total" if by == "topic" else by
    start, end = _period_bounds(filters)
    mt = meeting_t.c
    rows = select(mt.cell_id, month_index(mt.date).label("m"), mt.topic_id).where(
        mt.topic_id.is_not(None), mt.date >= start, mt.date <= end
    )
    src: Any = _narrowed(rows, mt.cell_id, filters, scope).subquery("tm")
    if group_by not in (*TIME_GROUPS, "total") or _PER_PLACE.get() is not None:
        units, joined = _units(filters)
        src = (
            select(*units, src.c.m, src.c.topic_id)
            .select_from(src.join(joined, cell_t.c.id == src.c.cell_id))
            .subquery("tt")
        )
    keys = _group_keys(group_by, src)
    counted = (
        select(
            *keys,
            src.c.topic_id,
            func.count().label("meetings"),
            func.count(func.distinct(src.c.cell_id)).label("cells"),
        )
        .group_by(*keys, src.c.topic_id)
        .subquery("tc")
    )
    stmt = select(
        *[counted.c[key.name] for key in keys], topic_t.c.name_vi.label("topic"), counted.c.meetings, counted.c.cells
    ).select_from(counted.join(topic_t, topic_t.c.id == counted.c.topic_id))
    with engine.connect() as conn:
        result = conn.execute(stmt)
        df = rows_frame(result.all(), list(result.keys()))
    columns = (*GROUP_COLUMNS.get(group_by, ()), "topic", *TOPIC_COLUMNS)
    return _finish(df, group_by, columns, extra_sort=("topic",))
