"""The metric tables read from meetings: regularity, participation, superior attendance, long meetings and thematic
coverage (each compiled from the registry, `data_access.metrics.compiler`), and topics."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from data_access.filters import EVERYTHING, GROUP_COLUMNS, Filters, Scope
from data_access.frames import rows_frame
from data_access.measures import meeting_t
from data_access.metrics.cells import topic_t
from data_access.metrics.compiler import table
from data_access.metrics.definitions import TOPIC_COLUMNS, check_group
from data_access.metrics.scoping import _fast, _group_keys, _meetings_in_scope
from data_access.metrics.shaping import _finish


def regularity(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune") -> pd.DataFrame:
    """One row per group: due cell-months, those with a regular/combined meeting, those on the fixed day, rates."""
    return table("regularity", engine, filters, scope, by, raw=not _fast())


def participation(
    engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune", below: float | None = None
) -> pd.DataFrame:
    """One row per group: meetings, expected (members - exempt), present, absences and Σ present ÷ Σ expected.

    `below`: only the groups whose rate is below it (the database drops the others first, with a margin, so a
    province's cells are not all shipped to find the few below target; the exact test is the rate's)."""
    return table("participation", engine, filters, scope, by, raw=not _fast(), below=below)


def superior_attendance(
    engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune"
) -> pd.DataFrame:
    """One row per group: meetings, those attended by a member of the higher committee, and the share."""
    return table("superior_attendance", engine, filters, scope, by, raw=not _fast())


def long_meetings(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune") -> pd.DataFrame:
    """One row per group: meetings, those lasting at least LONG_MEETING_MINUTES, and the share."""
    return table("long_meetings", engine, filters, scope, by, raw=not _fast())


def thematic(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune") -> pd.DataFrame:
    """One row per group: due cell-quarters, those with a thematic or combined meeting, such meetings, coverage."""
    return table("thematic", engine, filters, scope, by, raw=not _fast())


def topics(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "topic") -> pd.DataFrame:
    """One row per topic (within each group when `by` is not `topic`): thematic meetings on it and cells holding
    them, counted from the meetings (a derived table per topic paid less than 1.5× on the topics page)."""
    check_group("topics", by)
    group_by = "total" if by == "topic" else by
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
