"""A table cell without a value reads as a dash, never "None" (follow-up dates of inspections without one)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ui.components import display_frame


def test_a_column_without_any_date_shows_dashes_not_none() -> None:
    df = pd.DataFrame(
        {
            "cell": ["Chi bộ thôn 1", "Chi bộ thôn 2"],
            "follow_up_due": pd.Series([None, None], dtype=object),
            "resolved_on": pd.Series([dt.date(2025, 3, 1), None], dtype=object),
            "reward_level": pd.Series(["district", None], dtype=object),
        }
    )
    shown = display_frame(df, lang="vi")
    assert shown.iloc[:, 1].tolist() == ["–", "–"]
    assert shown.iloc[:, 2].tolist() == ["01/03/2025", "–"]
    assert shown.iloc[1, 3] == "–"
    assert "None" not in shown.astype(str).to_numpy().ravel().tolist()
