"""Pure shaping of metric tables for display."""

from __future__ import annotations

import pandas as pd

from ui.tables import limit_grid


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
