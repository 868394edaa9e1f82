"""The metric tables read from meetings: regularity, participation, superior attendance, thematic coverage, topics."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Float, and_, func, literal, or_, select
from sqlalchemy.engine import Engine

from data_access.filters import EVERYTHING, GROUP_COLUMNS, Filters, Scope
from data_access.frames import rows_frame
from data_access.measures import MEETING_MEASURES, THEMATIC_KINDS, _int, _sum, meeting_t
from data_access.metrics.cells import (
    _due_cell_months,
    _due_cell_quarters,
    _monthly_in_scope,
    _topics_from_aggregates,
    topic_t,
)
from data_access.metrics.definitions import (
    METRIC_COLUMNS,
    PARTICIPATION_COLUMNS,
    REGULARITY_COLUMNS,
    THEMATIC_COLUMNS,
    TOPIC_COLUMNS,
    check_group,
)
from data_access.metrics.rollups import (
    _summed_due_months,
    _summed_due_quarter_part,
    _summed_meeting_sum_parts,
    _summed_meeting_sums,
    _summed_path,
    _with_names,
)
from data_access.metrics.scoping import _aggregate, _fast, _group_keys, _meetings_in_scope
from data_access.metrics.shaping import _add_rates, _finish


def regularity(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune") -> pd.DataFrame:
    """One row per group: due cell-months, those with a regular/combined meeting, those on the fixed day, rates."""
    check_group("regularity", by)
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


def participation(
    engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune", below: float | None = None
) -> pd.DataFrame:
    """One row per group: meetings, expected (members - exempt), present, absences and Σ present ÷ Σ expected.

    `below`: only the groups whose rate is below it (the database drops the others first, with a margin, so a
    province's cells are not all shipped to find the few below target; the exact test is the rate's)."""
    check_group("participation", by)
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
            _sum(MEETING_MEASURES["expected"](src.c)).label("expected"),
            _sum(src.c.present).label("present"),
            _sum(src.c.absent_excused).label("absent_excused"),
            _sum(src.c.absent_unexcused).label("absent_unexcused"),
        ]
        having = None
        present, expected = func.sum(src.c.present), func.sum(MEETING_MEASURES["expected"](src.c))
    if below is not None:
        margin = literal(float(below) + 1e-9, Float)
        having = and_(*([having] if having is not None else []), present < expected * margin)
    df = _aggregate(engine, src, by, measures, having=having)
    _add_rates(df, "participation_rate")
    if below is not None:
        df = df[df["participation_rate"] < below]
    return _finish(df, by, GROUP_COLUMNS.get(by, ()) + PARTICIPATION_COLUMNS)


def superior_attendance(
    engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune"
) -> pd.DataFrame:
    """One row per group: meetings, those attended by a member of the higher committee, and the share."""
    return _share_of_meetings("superior_attendance", "superior_attended", engine, filters, scope, by)


def long_meetings(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune") -> pd.DataFrame:
    """One row per group: meetings, those lasting at least LONG_MEETING_MINUTES, and the share."""
    return _share_of_meetings("long_meetings", "long_meetings", engine, filters, scope, by)


def _share_of_meetings(
    metric: str, measure: str, engine: Engine, filters: Filters, scope: Scope, by: str
) -> pd.DataFrame:
    """The table of a metric whose columns are (meetings, the meetings with `measure` (a key of MEETING_MEASURES),
    their share): summed from the rollups or the cells, or counted from the raw meetings."""
    check_group(metric, by)
    meetings, counted, share = METRIC_COLUMNS[metric]
    if _fast():
        path = _summed_path(filters, by)
        communes = _summed_meeting_sums(path, engine, filters, scope) if path is not None else None
        src = (
            communes
            if communes is not None
            else _monthly_in_scope(filters, scope, per_cell=by == "cell", dialect=engine.dialect.name)
        )
        measures = [_sum(src.c.meetings).label(meetings), _sum(src.c[measure]).label(counted)]
        having = func.sum(src.c.meetings) > 0
    else:
        src = _meetings_in_scope(filters, scope).subquery("mt")
        measures = [func.count().label(meetings), _sum(MEETING_MEASURES[measure](src.c)).label(counted)]
        having = None
    df = _aggregate(engine, src, by, measures, having=having)
    _add_rates(df, share)
    return _finish(df, by, GROUP_COLUMNS.get(by, ()) + METRIC_COLUMNS[metric])


def thematic(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "commune") -> pd.DataFrame:
    """One row per group: due cell-quarters, those with a thematic or combined meeting, such meetings, coverage."""
    check_group("thematic", by)
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
                path, [due_part.add_columns(zero.label("thematic")), *sums], ("due", "covered", "thematic"), filters
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


def topics(engine: Engine, *, filters: Filters, scope: Scope = EVERYTHING, by: str = "topic") -> pd.DataFrame:
    """One row per topic (within each group when `by` is not `topic`): thematic meetings on it and cells holding them."""
    check_group("topics", by)
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
