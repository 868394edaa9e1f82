"""Lineage of units across a merger (the 2025 reform): which commune a record counts under.

A commune, a base organisation or a cell can be succeeded by another from a date (`merged_into_id`, `merged_on`;
many into one). Records keep the unit they were made under. Two ways to group them:

- `recorded`: under the commune of the time (the commune its cell's organisation belongs to);
- `today`: under the commune that commune belongs to now, following its successors to the last one.

That choice is one mapping, `join_commune`: every metric, list and export joins a cell's commune through it, so
"as today" is not a code path of its own. Choosing a commune takes in the history of its predecessors either way
(`chosen_communes`), and a commune account sees its commune's predecessors (`with_predecessors`, applied to the
scope by `data_access.auth`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

import pandas as pd
from sqlalchemy import Table, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.selectable import CTE

from data_access.filters import GROUPINGS, Filters, Scope
from data_access.measures import cell_t, organisation_t, table_of
from data_access.models import Commune
from data_access.vnsort import vn_key

commune_t = table_of(Commune)

__all__ = [
    "GROUPINGS",
    "chosen_communes",
    "commune_today",
    "commune_tree",
    "crosses_merger",
    "default_grouping",
    "join_commune",
    "lineage_table",
    "merger_dates",
    "successors",
    "with_predecessors",
]


def _commune_today() -> CTE:
    """(commune_id, today_id): every commune and the commune it belongs to now (itself when never merged).

    Recursive from the communes without a successor down to their predecessors; built once, so that every part
    of one statement names the same CTE. A cycle (refused by the import) would leave its communes out."""
    c = commune_t.c
    base = select(c.id.label("commune_id"), c.id.label("today_id")).where(c.merged_into_id.is_(None))
    today = base.cte("commune_today", recursive=True)
    older = commune_t.alias("commune_older")
    return today.union_all(select(older.c.id, today.c.today_id).where(older.c.merged_into_id == today.c.commune_id))


commune_today = _commune_today()


def grouping_of(filters: Filters | None) -> str:
    return "recorded" if filters is None else filters.grouping


def join_commune(source: Any, commune_id: Any, filters: Filters | None) -> Any:
    """`source` joined to the `commune` table as the commune its rows count under: the commune `commune_id`
    names (`recorded`), or the commune that one belongs to now (`today`). The one place the grouping acts."""
    if grouping_of(filters) == "today":
        return source.join(commune_today, commune_today.c.commune_id == commune_id).join(
            commune_t, commune_t.c.id == commune_today.c.today_id
        )
    return source.join(commune_t, commune_t.c.id == commune_id)


def chosen_communes(commune_id: Any, ids: Iterable[int] | BindParameter[Any]) -> ColumnElement[bool]:
    """`commune_id` is one of the chosen communes, or a predecessor of one of today's communes among them: a
    commune chosen takes in its predecessors' history, whichever way the view groups."""
    bound = isinstance(ids, BindParameter)  # a named parameter: data_access.metrics.binding
    wanted: Any = ids if bound else sorted({int(i) for i in cast(Iterable[int], ids)})
    t = commune_today.c
    return commune_id.in_(select(t.commune_id).where(or_(t.today_id.in_(wanted), t.commune_id.in_(wanted))))


def successors(conn: Connection | Engine) -> dict[int, int]:
    """Commune id -> the id of its direct successor, for the communes that have one."""
    c = commune_t.c
    stmt = select(c.id, c.merged_into_id).where(c.merged_into_id.is_not(None))
    if isinstance(conn, Engine):
        with conn.connect() as connection:
            rows = connection.execute(stmt).all()
    else:
        rows = conn.execute(stmt).all()
    return {int(r[0]): int(r[1]) for r in rows}


def with_predecessors(conn: Connection | Engine, ids: Iterable[int]) -> frozenset[int]:
    """`ids` and every commune that was merged into one of them, however many mergers back."""
    result = {int(i) for i in ids}
    merged = successors(conn)
    grew = True
    while grew:
        grew = False
        for old, new in merged.items():
            if new in result and old not in result:
                result.add(old)
                grew = True
    return frozenset(result)


def today_of(merged: dict[int, int], commune_id: int) -> int:
    """The commune `commune_id` belongs to now (itself when never merged), following `merged` (a cycle stops)."""
    seen = {commune_id}
    while commune_id in merged and merged[commune_id] not in seen:
        commune_id = merged[commune_id]
        seen.add(commune_id)
    return commune_id


def scope_with_predecessors(conn: Connection | Engine, scope: Scope) -> Scope:
    """A limited scope widened to its communes' predecessors (a new commune's account sees their history)."""
    if scope.communes is None:
        return scope
    return Scope(with_predecessors(conn, scope.communes))


def merger_dates(engine: Engine, *, scope: Scope) -> tuple[dt.date, ...]:
    """The days communes in `scope` were merged into others, oldest first (the reform lines of the charts)."""
    c = commune_t.c
    stmt = select(c.merged_on).where(c.merged_on.is_not(None), c.merged_into_id.is_not(None)).distinct()
    if scope.communes is not None:
        stmt = stmt.where(c.id.in_(sorted(scope.communes)))
    with engine.connect() as conn:
        return tuple(sorted(r[0] for r in conn.execute(stmt)))


def crosses_merger(filters: Filters, dates: Iterable[dt.date]) -> bool:
    """True when one of the merger `dates` falls inside the period (after its first day, by its last)."""
    start, end = filters.period_from.first_day, filters.period_to.last_day
    return any(start < day <= end for day in dates)


def default_grouping(filters: Filters, dates: Iterable[dt.date]) -> str:
    """`today` for a period that crosses a merger (one trend per commune of today), else `recorded`."""
    return "today" if crosses_merger(filters, dates) else "recorded"


def commune_tree(engine: Engine, *, scope: Scope) -> pd.DataFrame:
    """The communes in `scope` as the filter offers them: today's communes in Vietnamese order, each followed by
    its former communes (merged into it). Columns id, name, today_id, merged_on, former (bool)."""
    c = commune_t.c
    stmt = select(c.id, c.name, c.merged_on)
    if scope.communes is not None:
        stmt = stmt.where(c.id.in_(sorted(scope.communes)))
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
        merged = successors(conn)
    today = {int(r.id): today_of(merged, int(r.id)) for r in rows}
    names = {int(r.id): str(r.name) for r in rows}

    def key(row: Any) -> tuple[Any, ...]:
        head = today[int(row.id)]
        return (vn_key(names.get(head, str(row.name))), head, int(row.id) != head, vn_key(str(row.name)))

    ordered = sorted(rows, key=key)
    return pd.DataFrame(
        {
            "id": pd.Series([int(r.id) for r in ordered], dtype="int64"),
            "name": pd.Series([str(r.name) for r in ordered], dtype=object),
            "today_id": pd.Series([today[int(r.id)] for r in ordered], dtype="int64"),
            "merged_on": pd.Series([r.merged_on for r in ordered], dtype=object),
            "former": pd.Series([today[int(r.id)] != int(r.id) for r in ordered], dtype=bool),
        }
    )


LINEAGE_COLUMNS = ("unit_level", "unit", "commune", "successor", "merged_on")


def lineage_table(engine: Engine, *, scope: Scope, communes: Iterable[int] = ()) -> pd.DataFrame:
    """One row per unit with a successor (communes, then organisations, then cells), in the scope and, when
    given, in `communes` (with their predecessors): unit_level (`commune` / `organisation` / `cell`), unit, its
    commune, successor, merged_on."""
    chosen = sorted({int(i) for i in communes})
    rows: list[tuple[Any, ...]] = []
    with engine.connect() as conn:
        allowed = None if scope.communes is None else set(scope.communes)
        if chosen:
            wanted = with_predecessors(conn, chosen)
            allowed = set(wanted) if allowed is None else allowed & set(wanted)
        new = commune_t.alias("successor_commune")
        stmt: Any = select(commune_t.c.name, commune_t.c.name, new.c.name, commune_t.c.merged_on, commune_t.c.id)
        stmt = stmt.select_from(commune_t.join(new, new.c.id == commune_t.c.merged_into_id))
        rows += [("commune", *r[:4]) for r in conn.execute(stmt) if allowed is None or r[4] in allowed]
        rows += _successor_rows(conn, "organisation", organisation_t, allowed)
        rows += _successor_rows(conn, "cell", cell_t, allowed)
    level_order = {"commune": 0, "organisation": 1, "cell": 2}
    rows.sort(key=lambda r: (level_order[r[0]], r[4], vn_key(str(r[3])), vn_key(str(r[1]))))
    return pd.DataFrame({name: pd.Series([r[i] for r in rows], dtype=object) for i, name in enumerate(LINEAGE_COLUMNS)})


def _successor_rows(conn: Connection, level: str, table: Table, allowed: set[int] | None) -> list[tuple[Any, ...]]:
    new = table.alias(f"successor_{level}")
    if level == "organisation":
        own = table.join(commune_t, commune_t.c.id == table.c.commune_id)
        commune_id = table.c.commune_id
    else:
        own = table.join(organisation_t, organisation_t.c.id == table.c.organisation_id).join(
            commune_t, commune_t.c.id == organisation_t.c.commune_id
        )
        commune_id = organisation_t.c.commune_id
    stmt = select(table.c.name, commune_t.c.name, new.c.name, table.c.merged_on, commune_id).select_from(
        own.join(new, new.c.id == table.c.merged_into_id)
    )
    return [(level, *r[:4]) for r in conn.execute(stmt) if allowed is None or r[4] in allowed]
