"""Pure shaping of metric tables for display."""

from __future__ import annotations

import pandas as pd

from ui.tables import limit_grid, rows_for_screen, with_history


def _grid() -> pd.DataFrame:
    # cell 1 held 2 of 2 months, cell 2 held 0 of 2, cell 3 held 1 of 2
    return pd.DataFrame(
        {
            "cell_id": [1, 1, 2, 2, 3, 3],
            "month": ["2025-01", "2025-02"] * 3,
            "held": [True, True, False, False, True, False],
        }
    )


def test_a_grid_within_the_limit_is_shown_whole_in_its_order() -> None:
    shown, total = limit_grid(_grid(), max_cells=3)
    assert (shown["cell_id"].tolist(), total) == ([1, 1, 2, 2, 3, 3], 3)


def test_a_cut_grid_keeps_the_least_regular_cells_least_regular_first() -> None:
    shown, total = limit_grid(_grid(), max_cells=2)
    assert (shown["cell_id"].tolist(), total) == ([2, 2, 3, 3], 3)
    assert shown["month"].tolist() == ["2025-01", "2025-02", "2025-01", "2025-02"]


def _alerts() -> pd.DataFrame:
    """7 cells with their missed months: g (3) and b (2) are the worst."""
    return pd.DataFrame({"cell": list("abcdefg"), "missed_months": [1, 2, 1, 1, 1, 1, 3]})


def test_a_table_within_the_limit_is_shown_whole_in_its_order() -> None:
    shown = rows_for_screen(_alerts(), limit=7, worst_first=[("missed_months", False)])
    assert shown["cell"].tolist() == list("abcdefg")


def test_a_cut_table_keeps_the_first_rows_in_its_order_without_a_sort() -> None:
    assert rows_for_screen(_alerts(), limit=5)["cell"].tolist() == list("abcde")


def test_a_cut_table_keeps_the_worst_rows_worst_first_ties_in_order() -> None:
    shown = rows_for_screen(_alerts(), limit=5, worst_first=[("missed_months", False)])
    assert shown["cell"].tolist() == ["g", "b", "a", "c", "d"]


def test_a_cut_table_puts_missing_values_last() -> None:
    table = pd.DataFrame({"cell": list("abc"), "participation_rate": [None, 0.9, 0.5]})
    shown = rows_for_screen(table, limit=2, worst_first=[("participation_rate", True)])
    assert shown["cell"].tolist() == ["c", "b"]


def test_a_cells_history_is_its_months_with_a_meeting_in_month_order() -> None:
    below = pd.DataFrame({"organisation": ["A", "A"], "cell": ["c1", "c2"], "participation_rate": [0.5, 0.8]})
    history = pd.DataFrame(
        {  # c1 met in March and January (rows out of order) and had no meeting in February; c2 only in February
            "organisation": ["A", "A", "A"],
            "cell": ["c1", "c1", "c2"],
            "month": ["2025-03", "2025-01", "2025-02"],
            "participation_rate": [0.9, 0.4, 0.8],
        }
    )
    shown = with_history(below, history, months=["2025-01", "2025-02", "2025-03"])
    # no None for a month without a meeting: Streamlit's LineChartColumn would show the list as text
    assert list(shown["history"]) == [[0.4, 0.9], [0.8]]
    assert list(shown["participation_rate"]) == [0.5, 0.8]
