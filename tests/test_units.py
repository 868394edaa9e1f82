"""Cells counted per place (the divisor of the topic heatmap's shares), hand-worked on the small district."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from data_access import units
from data_access.errors import UserError
from data_access.filters import EVERYTHING, Filters, Month, Scope


def _filters(first: Month, last: Month, as_of: dt.date) -> Filters:
    return Filters(period_from=first, period_to=last, as_of=as_of)


def _counts(engine: Engine, filters: Filters, scope: Scope = EVERYTHING) -> dict[str, int]:
    df = units.cells_in_period(engine, filters=filters, scope=scope, by="commune")
    return dict(zip(df["commune"], df["cells"], strict=True))


def test_every_cell_active_on_some_day_of_the_period_counts(engine: Engine, district: dict[str, int]) -> None:
    # c1; c2 from 15 Feb; c3 to 20 Mar: all three met the period January to 4 April 2025
    assert _counts(engine, _filters(Month(2025, 1), Month(2025, 4), dt.date(2025, 4, 4))) == {"Lộc Sơn": 3, "Đa Lộc": 1}


def test_a_cell_closed_before_the_period_or_opened_after_as_of_does_not(
    engine: Engine,
    district: dict[str, int],
) -> None:
    # April alone: c3 closed on 20 March; January alone as of 31 January: c2 opens on 15 February
    assert _counts(engine, _filters(Month(2025, 4), Month(2025, 4), dt.date(2025, 4, 30)))["Lộc Sơn"] == 2
    assert _counts(engine, _filters(Month(2025, 1), Month(2025, 2), dt.date(2025, 1, 31)))["Lộc Sơn"] == 2


def test_the_scope_and_the_kind_filter_apply(engine: Engine, district: dict[str, int]) -> None:
    filters = _filters(Month(2025, 1), Month(2025, 4), dt.date(2025, 4, 4))
    assert _counts(engine, filters, Scope.only(district["da_loc"])) == {"Đa Lộc": 1}
    only_cells = Filters(filters.period_from, filters.period_to, filters.as_of, organisation_kind="party_cell")
    assert _counts(engine, only_cells) == {"Đa Lộc": 1}
    with pytest.raises(UserError):
        units.cells_in_period(engine, filters=filters, scope=EVERYTHING, by="month")
