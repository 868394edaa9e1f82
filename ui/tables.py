"""Pure shaping of metric tables for display (no `st.`, no queries): rankings, grid limits, history lists.

These never compute a metric: they only join, sort and cut tables that `data_access` computed.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from data_access.filters import Filters, Month
from ui import format as fmt
from ui.i18n import t

# A table on screen holds at most this many rows; its CSV / XLSX download holds every row. At province scale a
# commune × month table has 6,700 rows: formatting and sending them all costs seconds per visit, and nobody scrolls
# them in a 400-pixel box. Every commune of a province (558 in the largest tier) still fits.
MAX_TABLE_ROWS = 1000


def period_months(filters: Filters) -> list[str]:
    """Every month of the filters' period as `YYYY-MM`, in order."""
    return [str(filters.period_from + k) for k in range(filters.months)]


def partial_month(filters: Filters) -> str | None:
    """The as-of month (`YYYY-MM`) when the period holds it and it has not ended by the as-of date: on 3 December
    December counts three days, and drawn beside whole months it reads as a collapse. None otherwise."""
    month = Month.of(filters.as_of)
    if not filters.period_from <= month <= filters.period_to or filters.as_of >= month.last_day:
        return None
    return str(month)


def whole_months(df: pd.DataFrame, filters: Filters, *, column: str = "month") -> pd.DataFrame:
    """`df` without the rows of the partial as-of month (`partial_month`): what a trend line or a sparkline draws.
    The table and the download keep every month."""
    partial = partial_month(filters)
    if partial is None or df.empty:
        return df
    return df[df[column].astype(str) != partial]


def partial_month_note(filters: Filters, *, lang: str | None = None) -> str | None:
    """The line under a trend that leaves the partial as-of month out (`whole_months`), or None."""
    partial = partial_month(filters)
    if partial is None:
        return None
    return t(
        "trend.partial_month", lang=lang, month=fmt.month(partial, lang=lang), date=fmt.date(filters.as_of, lang=lang)
    )


def commune_ranking(regularity: pd.DataFrame, participation: pd.DataFrame, *, place: str = "commune") -> pd.DataFrame:
    """Communes (or the `place` column's provinces) ranked by regularity, then participation (best first), with a
    `rank` column (1 = best)."""
    table = regularity[[place, "regularity_rate", "on_fixed_day_rate"]].merge(
        participation[[place, "participation_rate"]], on=place, how="left"
    )
    table = table.sort_values(
        ["regularity_rate", "participation_rate"], ascending=False, na_position="last", kind="stable"
    ).reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


def organisation_ranking(regularity: pd.DataFrame) -> pd.DataFrame:
    """Organisations ranked by regularity then on-the-fixed-day rate (best first), with `rank` (1 = best)."""
    table = regularity.sort_values(
        ["regularity_rate", "on_fixed_day_rate"], ascending=False, na_position="last", kind="stable"
    ).reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


def rows_for_screen(
    df: pd.DataFrame, *, limit: int = MAX_TABLE_ROWS, worst_first: Sequence[tuple[str, bool]] = ()
) -> pd.DataFrame:
    """`df` itself when it has at most `limit` rows; else its first `limit` rows after sorting by `worst_first`
    (`(column, ascending)` pairs, missing values last, ties in the table's order; no pairs: the table's order)."""
    if len(df) <= limit:
        return df
    if worst_first:
        columns = [column for column, _ in worst_first]
        ascending = [up for _, up in worst_first]
        df = df.sort_values(columns, ascending=ascending, na_position="last", kind="stable")
    return df.iloc[:limit]


def limit_grid(cell_months: pd.DataFrame, *, max_cells: int) -> tuple[pd.DataFrame, int]:
    """At most `max_cells` cells of a cell × month table and the cell count. When cut, the rows kept are the least
    regular cells, least regular first (ties keep the table's order), so the grid opens on the cells to look at.

    The page asks `metrics.least_regular_grid`, which applies this rule in SQL; this in-memory statement of the
    rule is what the tests hold it to (tests/test_metrics_fast_path.py)."""
    cells = cell_months.groupby("cell_id", sort=False)["held"].mean()
    total = len(cells)
    if total <= max_cells:
        return cell_months, total
    kept = list(cells.sort_values(kind="stable").index[:max_cells])
    rank = {cell_id: i for i, cell_id in enumerate(kept)}
    shown = cell_months[cell_months["cell_id"].isin(rank)]
    order = shown["cell_id"].map(rank)
    return shown.iloc[order.argsort(kind="stable")], total


def with_history(below: pd.DataFrame, history: pd.DataFrame, *, months: list[str]) -> pd.DataFrame:
    """`below` with a `history` column: the cell's participation rate in each month of the period that had a
    meeting, in month order. A month without one is left out, as in the KPI cards' sparklines: Streamlit's
    `LineChartColumn` draws no line through a missing value and shows the list as text instead."""
    by_cell: dict[tuple[str, str], dict[str, float]] = {}
    for org, cell, month, rate in zip(
        history["organisation"], history["cell"], history["month"], history["participation_rate"], strict=True
    ):
        if pd.notna(rate):
            by_cell.setdefault((org, cell), {})[month] = float(rate)
    out = below.copy()
    out["history"] = [
        [rates[m] for m in months if m in rates]
        for rates in (by_cell.get((o, c), {}) for o, c in zip(below["organisation"], below["cell"], strict=True))
    ]
    return out


def absence_shares(by_place: pd.DataFrame, *, place: str = "commune") -> pd.DataFrame:
    """Absences per place as shares of the attendances expected (`absent_* ÷ expected`), the highest unexcused
    share first: a big commune's raw count said nothing of how often its members stay away."""
    table = by_place[[place, "expected", "absent_excused", "absent_unexcused"]].copy()
    expected = table["expected"].astype("float64").where(table["expected"] > 0)
    table["unexcused_share"] = table["absent_unexcused"] / expected
    table["excused_share"] = table["absent_excused"] / expected
    return table.sort_values(["unexcused_share", "excused_share"], ascending=False, na_position="last", kind="stable")
