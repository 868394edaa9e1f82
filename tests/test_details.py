"""Detail queries of the views, on the small district (period 2025-01..2025-04, as of 2025-04-04)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from data_access.details import cell_participation_history, meeting_rate_distribution
from data_access.filters import Scope
from tests.small_district import period

pytestmark = pytest.mark.usefixtures("district")


def test_meetings_fall_in_five_point_bands(engine: Engine) -> None:
    bands = meeting_rate_distribution(engine, filters=period(), scope=Scope.everything())
    counts = {round(a * 100): n for a, n in zip(bands["rate_from"], bands["meetings"], strict=True) if n}
    # c1 26/28 → 90-95, 28/28 → 100, 20/28 → 70-75, 25/28 → 85-90; c2 12/12 → 100, 10/12 → 80-85;
    # c3 15/20 → 75-80, 18/20 → 90-95; c4 9/9, 9/9 → 100, 8/9 → 85-90 (its 04-05 meeting is after as-of)
    assert counts == {70: 1, 75: 1, 80: 1, 85: 2, 90: 2, 100: 4}
    assert len(bands) == 21


def test_history_of_one_cell_by_month(engine: Engine) -> None:
    history = cell_participation_history(
        engine, filters=period(), scope=Scope.everything(), cells=(("Đảng bộ xã Lộc Sơn", "Chi bộ thôn 3"),)
    )
    assert list(history["month"]) == ["2025-01", "2025-03"]
    assert list(history["participation_rate"]) == [0.75, 0.9]


def test_history_has_fixed_columns_when_empty(engine: Engine) -> None:
    history = cell_participation_history(engine, filters=period(), scope=Scope.only(999))
    assert list(history.columns) == [
        "commune",
        "organisation",
        "cell",
        "month",
        "meetings",
        "expected",
        "present",
        "participation_rate",
    ]
    assert history.empty
