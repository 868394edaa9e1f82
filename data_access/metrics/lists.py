"""The lists that name cells: due cell-months, the least regular cells' grid, missed meetings, participation below
target, cells without thematic coverage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandas as pd
from sqlalchemy import Select, func, select
from sqlalchemy.engine import Engine

from data_access import reporting
from data_access.filters import Filters, Month, Scope, month_label
from data_access.frames import rows_frame
from data_access.measures import _int, _sum
from data_access.metrics.cells import _due_cell_months, _due_cell_quarters, _held_and_due_per_cell, _latest_due
from data_access.metrics.compiler import execute
from data_access.metrics.meetings import participation
from data_access.metrics.scoping import _fast
from data_access.metrics.shaping import _dtype, _order
from data_access.vnsort import vn_key

CELL_MONTH_COLUMNS = ("commune", "organisation", "cell", "cell_id", "meeting_day", "month", "held", "on_fixed_day")


def cell_months(engine: Engine, *, filters: Filters, scope: Scope, cells: Sequence[int] | None = None) -> pd.DataFrame:
    """One row per due cell-month: whether a regular or combined meeting was held, and whether on the fixed day.

    `cells` (ids) narrows the rows to those cells inside the query (the grid of the least regular cells)."""
    chosen = None if cells is None else tuple(int(c) for c in cells)
    columns = [*CELL_MONTH_COLUMNS[:5], "m", "held", "on_fixed_day"]

    def build() -> Select[Any]:
        due = _due_cell_months(filters, scope, chosen)
        return select(*[due.c[c] for c in columns])

    with engine.connect() as conn:
        if chosen is None:
            rows = execute(conn, ("cell_months", _fast()), build, filters, scope).all()
        else:  # a list of cells is written into the statement: built for this call alone
            rows = list(conn.execute(build()).all())
        df = rows_frame(rows, columns)
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c) if c != "cell_id" else "int64") for c in CELL_MONTH_COLUMNS})
    df = df.iloc[_order(df, ["commune", "organisation", "cell", "cell_id", "m"])].reset_index(drop=True)
    labels = {int(v): month_label(int(v)) for v in df["m"].unique()}
    df["month"] = [labels[int(v)] for v in df["m"]]
    df["held"] = df["held"].astype(bool)
    df["on_fixed_day"] = df["on_fixed_day"].astype(bool)
    return df[list(CELL_MONTH_COLUMNS)]


def least_regular_grid(engine: Engine, *, filters: Filters, scope: Scope, max_cells: int) -> tuple[pd.DataFrame, int]:
    """The cell × month rows of at most `max_cells` cells, least regular first, and how many cells are due at all.

    Least regular: the lowest share of due months held; ties keep the order of `cell_months` (commune,
    organisation, cell in Vietnamese order, then id). One query counts each cell's held and due months (from
    `cell_month` by arithmetic on the fast path, `_held_and_due_per_cell`), a second reads only the chosen cells'
    months, so a province's grid neither builds nor ships every cell's months to draw 60 of them.
    """
    with engine.connect() as conn:
        tracked = _fast() and reporting.is_tracking(conn)  # then only reported months count (data_access.reporting)

        def build() -> Select[Any]:
            if _fast():
                return _held_and_due_per_cell(filters, scope, dialect=conn.dialect.name, tracked=tracked)
            due = _due_cell_months(filters, scope)
            keys = (due.c.commune, due.c.organisation, due.c.cell, due.c.cell_id)
            return select(*keys, _sum(due.c.held).label("held"), func.count().label("due")).group_by(*keys)

        per_cell = execute(conn, ("held_and_due", _fast(), tracked), build, filters, scope).all()
    total = len(per_cell)
    if total == 0:
        return cell_months(engine, filters=filters, scope=scope, cells=()), 0
    # held ÷ due as a float orders exactly: division is correctly rounded, so equal shares give equal floats, and
    # two different shares of at most a few hundred months differ by far more than a float's rounding
    # rows by position (commune, organisation, cell, cell_id, held, due): by name costs 4 µs a row, 9,000 rows
    share = {int(cell_id): int(held) / int(due) for _, _, _, cell_id, held, due in per_cell}
    cutoff = sorted(share.values())[min(max_cells, total) - 1] if max_cells > 0 else -1.0
    candidates = [r for r in per_cell if share[int(r[3])] <= cutoff]  # names only break ties below the cut
    ranked = sorted(candidates, key=lambda r: (share[int(r.cell_id)], *map(vn_key, r[:3]), r.cell_id))
    chosen = [int(r.cell_id) for r in ranked[:max_cells]]
    grid = cell_months(engine, filters=filters, scope=scope, cells=chosen)
    if total > max_cells:
        rank = {cell_id: i for i, cell_id in enumerate(chosen)}
        grid = grid.iloc[grid["cell_id"].map(rank).argsort(kind="stable")].reset_index(drop=True)
    return grid, total


def uncovered_cells(engine: Engine, *, filters: Filters, scope: Scope) -> pd.DataFrame:
    """The cells of `thematic` by cell with due cell-quarters and none covered: commune, organisation, cell,
    cell_id, in no particular order. Only those rows leave the database (a province's view has 9,000 cells)."""

    def build() -> Select[Any]:
        due = _due_cell_quarters(filters, scope)
        keys = [due.c.commune, due.c.organisation, due.c.cell, due.c.cell_id]
        return select(*keys).group_by(*keys).having(func.sum(due.c.covered) == 0)

    with engine.connect() as conn:
        rows = execute(conn, ("uncovered_cells", _fast()), build, filters, scope).all()
    return rows_frame(rows, ["commune", "organisation", "cell", "cell_id"])


MISSED_COLUMNS = ("commune", "organisation", "cell", "missed_months", "months")


def missed_meetings(engine: Engine, *, filters: Filters, scope: Scope, window: int = 3) -> pd.DataFrame:
    """One row per cell that held no regular (or combined) meeting in at least one of its last `window` due months
    that its commune has reported (data_access.reporting): a month not reported yet is no missed meeting.

    `months` lists the missed months (YYYY-MM); the window ends at the as-of date, whatever the period.
    """
    return _cells_by_month(engine, filters, scope, window, reported=True)


def not_reported_cells(engine: Engine, *, filters: Filters, scope: Scope, window: int = 3) -> pd.DataFrame:
    """The cells the missed-meeting list leaves out: one row per cell with a due month among its last `window`
    that its commune has not reported (`months`: those months, YYYY-MM; `months_not_reported`: how many), whether
    or not it met."""
    found = _cells_by_month(engine, filters, scope, window, reported=False)
    return found.rename(columns={"missed_months": "months_not_reported"})


def _cells_by_month(engine: Engine, filters: Filters, scope: Scope, window: int, *, reported: bool) -> pd.DataFrame:
    """Per cell, its last `window` due months (of reported months, without a held meeting; or of months not
    reported, `reported=False`)."""
    end = Month.of(filters.as_of)
    recent = replace(filters, period_from=end - window, period_to=end)  # the view's units, grouping and as-of

    def build() -> Select[Any]:
        due = _due_cell_months(recent, scope, reported=reported)
        # a cell's due months are consecutive up to its latest: its last `window` are those after latest - window
        latest = _latest_due(recent, due.c.last_due, due.c.meeting_day)
        return select(due.c.commune, due.c.organisation, due.c.cell, due.c.cell_id, due.c.m).where(
            due.c.m > latest - _int(window), *([due.c.held == 0] if reported else [])
        )  # each cell's last `window` due months, those without a regular or combined meeting (or not reported)

    with engine.connect() as conn:
        result = execute(conn, ("cells_by_month", window, reported, _fast()), build, recent, scope)
        missed = rows_frame(result.all(), ["commune", "organisation", "cell", "cell_id", "m"])
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


def below_target(engine: Engine, *, filters: Filters, scope: Scope, target: float = 0.85) -> pd.DataFrame:
    """One row per cell whose participation rate over the period is below `target` (lowest first)."""
    low = participation(engine, filters=filters, scope=scope, by="cell", below=target)
    return low.sort_values("participation_rate", kind="stable").reset_index(drop=True)
