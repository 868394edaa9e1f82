"""Detail queries the views need beyond the data-contract metrics, in the same style as `metrics`.

Aggregation happens in SQL over the same meetings-in-scope selection as the metrics (filters + scope applied in
SQL, bound parameters), each measure as the metrics define it (`measures.MEETING_MEASURES`, the rate bands as
`cell_month_band` counts them); the result has fixed columns even when empty; names sort in Vietnamese order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_access.aggregates import RATE_BANDS, cell_month_band_select, cell_month_band_t
from data_access.filters import Filters, Scope, month_label
from data_access.frames import rows_frame
from data_access.measures import MEETING_MEASURES, _sum, cell_t, meeting_t
from data_access.metrics.binding import _as_of_month_days, _period_bounds, _whole_months
from data_access.metrics.cells import _monthly_in_scope, _narrowed, cells_named
from data_access.metrics.scoping import _fast, _meetings_in_scope, _united
from data_access.metrics.shaping import _add_rates, _empty, _order

RATE_BINS = RATE_BANDS  # bins of 5 percentage points; bin 20 holds exactly 100 %
DISTRIBUTION_COLUMNS = ("rate_from", "rate_to", "meetings")
HISTORY_MEASURES = ("meetings", "expected", "present")
CELL_HISTORY_COLUMNS = ("commune", "organisation", "cell", "month", *HISTORY_MEASURES, "participation_rate")


def meeting_rate_distribution(engine: Engine, *, filters: Filters, scope: Scope) -> pd.DataFrame:
    """One row per 5-point band of a meeting's own rate (present ÷ (members − exempt)): how many meetings fell in it.

    Bands are [0 %, 5 %), [5 %, 10 %) … [95 %, 100 %) and exactly 100 %; meetings with nobody expected are left out.
    Every band is present (0 meetings when none), so the chart and its download have a fixed shape.
    """
    src = _bands_in_scope(filters, scope)
    stmt = select(src.c.band, _sum(src.c.meetings)).group_by(src.c.band)
    with engine.connect() as conn:
        counts = {int(b): int(n) for b, n in conn.execute(stmt).all()}
    rows = [
        (k / RATE_BINS, min(1.0, (k + 1) / RATE_BINS) if k < RATE_BINS else 1.0, counts.get(k, 0))
        for k in range(RATE_BINS + 1)
    ]
    return pd.DataFrame(rows, columns=list(DISTRIBUTION_COLUMNS)).astype({"meetings": "int64"})


def _bands_in_scope(filters: Filters, scope: Scope) -> Any:
    """The meetings per month and band of the cells in scope, a subquery (month, band, meetings): from
    `cell_month_band` for whole months and, counted from the meetings as that table counts them, for the as-of
    month up to the as-of day (for the whole period in `from_raw_meetings`).

    Each part is summed per month and band before the parts are united, so that SQLite reads the whole months
    from the table's (month, band, meetings) index alone, in its order; selecting its rows whole, it looked each
    up in the table (a province, all communes: 12 months 75 -> 38 ms, 5 years 201 -> 82 ms,
    bench/results/2026-12-04-grid-and-rate-distribution.txt)."""
    parts: list[Any] = []
    days: tuple[Any, Any] | None = _period_bounds(filters)
    if _fast():
        lo, hi = _whole_months(filters)
        cb = cell_month_band_t.c
        parts.append(select(cb.cell_id, cb.month, cb.band, cb.meetings).where(cb.month >= lo, cb.month <= hi))
        days = _as_of_month_days(filters)
    if days is not None:
        parts.append(cell_month_band_select(meeting_t.c.date >= days[0], meeting_t.c.date <= days[1]))
    summed = []
    for part in parts:
        rows = _narrowed(part, part.selected_columns.cell_id, filters, scope).subquery()
        keys = (rows.c.month, rows.c.band)
        summed.append(select(*keys, _sum(rows.c.meetings).label("meetings")).group_by(*keys))
    return _united(summed).subquery("bands")


def cell_participation_history(
    engine: Engine, *, filters: Filters, scope: Scope, cells: Sequence[tuple[str, str]] = ()
) -> pd.DataFrame:
    """One row per cell and month with meetings: participation. `cells` = (organisation, cell) names to keep
    (every cell in scope when empty)."""
    named = cells_named([(str(organisation), str(cell)) for organisation, cell in cells]) if cells else None
    if _fast():  # the cell × month sums (whole months) and the as-of month's raw meetings, as the metrics read them
        src: Any = _monthly_in_scope(filters, scope, cells=named)  # only the named cells' months are read
        values = [src.c[m] for m in HISTORY_MEASURES]
    else:
        src = _meetings_in_scope(filters, scope, *([] if named is None else [cell_t.c.id.in_(named)])).subquery("mt")
        values = [MEETING_MEASURES[m](src.c) for m in HISTORY_MEASURES]
    keys = [src.c.commune, src.c.organisation, src.c.cell_id, src.c.cell, src.c.m]
    stmt = select(*keys, *[_sum(v).label(m) for m, v in zip(HISTORY_MEASURES, values, strict=True)]).group_by(*keys)
    with engine.connect() as conn:
        df = rows_frame(
            conn.execute(stmt).all(), ["commune", "organisation", "cell_id", "cell", "m", *HISTORY_MEASURES]
        )
    if df.empty:
        return _empty(CELL_HISTORY_COLUMNS)
    df = df.iloc[_order(df, ["commune", "organisation", "cell", "cell_id", "m"])].reset_index(drop=True)
    df["month"] = [month_label(int(v)) for v in df["m"]]
    df = df.astype(dict.fromkeys(HISTORY_MEASURES, "int64"))
    _add_rates(df, "participation_rate")
    return df[list(CELL_HISTORY_COLUMNS)]
