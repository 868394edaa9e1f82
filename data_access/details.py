"""Detail queries the views need beyond the data-contract metrics, in the same style as `metrics`.

Aggregation happens in SQL over the same meetings-in-scope selection as the metrics (filters + scope applied in
SQL, bound parameters); the result has fixed columns even when empty; names sort in Vietnamese order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import func, select, tuple_
from sqlalchemy.engine import Engine

from data_access.aggregates import RATE_BANDS, cell_month_band_t, rate_band
from data_access.filters import Filters, Scope, month_label
from data_access.frames import rows_frame
from data_access.measures import cell_t, meeting_t, organisation_t
from data_access.metrics.cells import _as_of_month_days, _monthly_in_scope, _narrowed, _whole_months, cells_named
from data_access.metrics.scoping import _fast, _meetings_in_scope, _united
from data_access.metrics.shaping import _add_rates, _order

RATE_BINS = RATE_BANDS  # bins of 5 percentage points; bin 20 holds exactly 100 %
DISTRIBUTION_COLUMNS = ("rate_from", "rate_to", "meetings")
CELL_HISTORY_COLUMNS = (
    "commune",
    "organisation",
    "cell",
    "month",
    "meetings",
    "expected",
    "present",
    "participation_rate",
)


def meeting_rate_distribution(engine: Engine, *, filters: Filters, scope: Scope) -> pd.DataFrame:
    """One row per 5-point band of a meeting's own rate (present ÷ (members − exempt)): how many meetings fell in it.

    Bands are [0 %, 5 %), [5 %, 10 %) … [95 %, 100 %) and exactly 100 %; meetings with nobody expected are left out.
    Every band is present (0 meetings when none), so the chart and its download have a fixed shape.
    """
    if _fast():  # the band counts per cell for whole months, the raw meetings for the as-of month
        src = _monthly_bands_in_scope(filters, scope)
        stmt = select(src.c.band, func.sum(src.c.meetings).label("meetings")).group_by(src.c.band)
    else:
        raw = _meetings_in_scope(filters, scope).subquery("mt")
        expected = raw.c.members_total - raw.c.members_exempt
        # `//` is integer division in SQLAlchemy 2 (`/` is true division and would give fractions of a band)
        band = rate_band(raw.c.present, expected).label("band")
        stmt = select(band, func.count().label("meetings")).where(expected > 0).group_by(band)
    with engine.connect() as conn:
        counts = {int(b): int(n) for b, n in conn.execute(stmt).all()}
    rows = [
        (k / RATE_BINS, min(1.0, (k + 1) / RATE_BINS) if k < RATE_BINS else 1.0, counts.get(k, 0))
        for k in range(RATE_BINS + 1)
    ]
    return pd.DataFrame(rows, columns=list(DISTRIBUTION_COLUMNS)).astype({"meetings": "int64"})


def _monthly_bands_in_scope(filters: Filters, scope: Scope) -> Any:
    """The meetings per band, a subquery of (band, meetings) rows: from `cell_month_band` for whole months and
    from the raw meetings for the as-of month up to the as-of day."""
    lo, hi = _whole_months(filters)
    cb = cell_month_band_t.c
    whole = select(cb.band, cb.meetings).where(cb.month >= lo, cb.month <= hi)
    parts: list[Any] = [_narrowed(whole, cb.cell_id, filters, scope)]
    days = _as_of_month_days(filters)
    if days is not None:
        mt = meeting_t.c
        expected = mt.members_total - mt.members_exempt
        band = rate_band(mt.present, expected)
        as_of_month = (
            select(band.label("band"), func.count().label("meetings"))
            .where(expected > 0, mt.date >= days[0], mt.date <= days[1])
            .group_by(band)
        )
        parts.append(_narrowed(as_of_month, mt.cell_id, filters, scope))
    return _united(parts).subquery("bands")


def cell_participation_history(
    engine: Engine, *, filters: Filters, scope: Scope, cells: Sequence[tuple[str, str]] = ()
) -> pd.DataFrame:
    """One row per cell and month with meetings: participation. `cells` = (organisation, cell) names to keep
    (every cell in scope when empty)."""
    wanted = [(str(organisation), str(cell)) for organisation, cell in cells]
    if _fast():  # the cell × month sums (whole months) and the as-of month's raw meetings, as the metrics read them
        named = cells_named(wanted) if wanted else None  # read only their months
        src: Any = _monthly_in_scope(filters, scope, cells=named)
        keys = [src.c.commune, src.c.organisation, src.c.cell_id, src.c.cell, src.c.m]
        stmt = select(
            *keys,
            func.coalesce(func.sum(src.c.meetings), 0).label("meetings"),
            func.coalesce(func.sum(src.c.expected), 0).label("expected"),
            func.coalesce(func.sum(src.c.present), 0).label("present"),
        ).group_by(*keys)
    else:
        extra = [tuple_(organisation_t.c.name, cell_t.c.name).in_(wanted)] if wanted else []
        src = _meetings_in_scope(filters, scope, *extra).subquery("mt")
        keys = [src.c.commune, src.c.organisation, src.c.cell_id, src.c.cell, src.c.m]
        stmt = select(
            *keys,
            func.count().label("meetings"),
            func.coalesce(func.sum(src.c.members_total - src.c.members_exempt), 0).label("expected"),
            func.coalesce(func.sum(src.c.present), 0).label("present"),
        ).group_by(*keys)
    with engine.connect() as conn:
        df = rows_frame(
            conn.execute(stmt).all(),
            ["commune", "organisation", "cell_id", "cell", "m", "meetings", "expected", "present"],
        )
    if df.empty:
        return pd.DataFrame(
            {
                c: pd.Series(
                    dtype="float64"
                    if c == "participation_rate"
                    else "object"
                    if c in CELL_HISTORY_COLUMNS[:4]
                    else "int64"
                )
                for c in CELL_HISTORY_COLUMNS
            }
        )
    df = df.iloc[_order(df, ["commune", "organisation", "cell", "cell_id", "m"])].reset_index(drop=True)
    df["month"] = [month_label(int(v)) for v in df["m"]]
    for column in ("meetings", "expected", "present"):
        df[column] = df[column].astype("int64")
    _add_rates(df, "participation_rate")
    return df[list(CELL_HISTORY_COLUMNS)]
