"""Several metrics grouped the same way in one statement (`compiler.together`): each table the same, number for
number, as its own `metrics.compute` call gives, on the small district of tests/small_district.py (its figures
worked out there) and on a seeded random district, stored sums and raw meetings; and the dashboard's
`ui.data.metrics_together` (the Organisations page's row per place)."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from data_access import metrics
from data_access.filters import EVERYTHING, Filters
from data_access.metrics import compiler
from data_access.metrics.definitions import GROUPS, SUMMED
from data_access.settings import get_settings
from tests.small_district import district, period
from tests.test_metrics_compiler import statements
from tests.test_metrics_fast_path import _random_district

pytestmark = pytest.mark.both_databases

__all__ = ["district"]

GROUPINGS = ("total", "month", "quarter", "year", "province", "commune", "organisation", "cell")


UNIT_METRICS = ("regularity", "participation", "thematic", "superior_attendance")  # ui/places.py


def _allowing(by: str) -> list[str]:
    """Every summed metric that may be grouped `by`."""
    return [m for m in SUMMED if by == "total" or by in GROUPS[m]]


def _assert_together_equals_each(engine: Engine, filters: Filters) -> int:
    """Every grouping, stored sums and raw meetings: the tables asked together equal those asked one by one.
    Returns how many had rows."""
    with_rows = 0
    for raw in (False, True):
        with metrics.from_raw_meetings() if raw else nullcontext():
            for by in GROUPINGS:
                asked = _allowing(by)
                together = compiler.together(asked, engine, filters=filters, scope=EVERYTHING, by=by)
                assert list(together) == asked
                for metric in asked:
                    alone = metrics.compute(metric, engine, filters=filters, scope=EVERYTHING, by=by)
                    name = f"{metric} by {by}, raw={raw}, {filters}"
                    pd.testing.assert_frame_equal(together[metric], alone, check_exact=True, obj=name)
                    with_rows += bool(len(alone))
    return with_rows


def test_the_small_district_tables_asked_together_equal_each_asked_alone(engine: Engine, district) -> None:
    views = [
        period(),  # as of 2025-04-04: April is the as-of month, partly due
        period(as_of=dt.date(2025, 3, 3), start="2025-01", end="2025-03"),
        period(communes=(district["loc_son"],)),
        period(organisations=(district["p1"],)),  # filtered to organisations: the cells
    ]
    assert sum(_assert_together_equals_each(engine, v) for v in views) > 60


def test_the_hand_worked_figures_asked_together(engine: Engine, district) -> None:
    """As of 2025-04-04: 11 due cell-months, 8 held, 6 on the fixed day (tests/small_district.py); Lộc Sơn's
    cells c1-c3 4 + 1 + 3 = 8 due, 3 + 1 + 1 = 5 held, 2 + 1 + 1 = 4 on the fixed day; Đa Lộc's c4 3, 3, 2."""
    total = compiler.together(["regularity", "participation"], engine, filters=period(), scope=EVERYTHING, by="total")
    row = total["regularity"].iloc[0]
    assert (row.due_cell_months, row.held_cell_months, row.on_fixed_day_cell_months) == (11, 8, 6)
    by_commune = compiler.together(_allowing("commune"), engine, filters=period(), scope=EVERYTHING, by="commune")
    regularity = by_commune["regularity"].set_index("commune")
    assert regularity.loc["Lộc Sơn", ["due_cell_months", "held_cell_months", "on_fixed_day_cell_months"]].tolist() == [
        8,
        5,
        4,
    ]
    assert regularity.loc["Đa Lộc", ["due_cell_months", "held_cell_months", "on_fixed_day_cell_months"]].tolist() == [
        3,
        3,
        2,
    ]


@pytest.mark.slow  # a random district of ORM writes, every grouping both ways: some seconds
def test_a_random_district_tables_asked_together_equal_each_asked_alone(engine: Engine) -> None:
    _random_district(engine, 3)
    views = [
        Filters.last_months(12, as_of=dt.date(2025, 3, 17)),
        Filters.last_months(30, as_of=dt.date(2025, 6, 30)),
        Filters.last_months(7, as_of=dt.date(2024, 11, 2), communes=(1,)),
    ]
    assert sum(_assert_together_equals_each(engine, v) for v in views) > 60


def test_metrics_asked_together_are_one_statement_besides_the_spans(engine: Engine, district) -> None:
    for by in ("commune", "month", "cell"):
        with statements(engine) as seen:
            compiler.together(_allowing(by), engine, filters=period(), scope=EVERYTHING, by=by)
        assert len(seen) == 2, seen  # the months the stored sums cover, then every metric
        assert "aggregate_span" in seen[0]


@pytest.fixture
def dashboard(engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    from ui import data

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DEMO_MODE", "0")
    monkeypatch.setenv("DASHBOARD_SECRETS", str(tmp_path / "none.toml"))
    monkeypatch.setattr(data, "VERSION_SECONDS", 3600.0)  # the data's version read once, not again mid-count
    get_settings.cache_clear()
    data.clear()
    yield data
    data.clear()
    data.read_engine().dispose()
    data.engine().dispose()


def test_the_page_data_asks_the_metrics_shown_side_by_side_once(engine: Engine, district, dashboard) -> None:
    """The Organisations page's four metrics by commune: one statement (and the spans read before it), each the
    table `metrics.compute` gives, and asked again, none (the cache)."""
    filters = period()
    read = dashboard.read_engine()
    dashboard.current_version()  # the data's version read before counting
    with statements(read) as seen:
        tables = dashboard.metrics_together(UNIT_METRICS, filters=filters, scope=EVERYTHING, by="commune")
    assert len(seen) == 2, seen
    assert list(tables) == list(UNIT_METRICS)
    for metric, table in tables.items():
        alone = metrics.compute(metric, engine, filters=filters, scope=EVERYTHING, by="commune")
        pd.testing.assert_frame_equal(table, alone, check_exact=True, obj=metric)
        assert len(table) == 2  # Lộc Sơn and Đa Lộc
    with statements(read) as seen:
        dashboard.metrics_together(UNIT_METRICS, filters=filters, scope=EVERYTHING, by="commune")
    assert seen == []


@pytest.mark.parametrize("by", ["organisation", "cell"])
def test_per_commune_of_a_grouping_that_names_the_commune_puts_it_first_once(engine: Engine, district, by) -> None:
    """As of 2025-04-04 (tests/small_district.py): Đa Lộc has one organisation (p2) with one cell (c4): 3 due, 3
    held, 2 on the fixed day; Lộc Sơn's organisation p1 has c1-c3: 4 + 1 + 3 = 8 due, 3 + 1 + 1 = 5 held, 2 + 1 + 1 =
    4 on the fixed day. Asking per commune of a grouping that already has a commune column raised pandas' "cannot
    insert commune, already exists"; the rows come in the order of the communes asked."""
    from data_access.metrics import per_commune

    communes = [(district["da_loc"], "Đa Lộc"), (district["loc_son"], "Lộc Sơn")]
    table = per_commune("regularity", engine, filters=period(), scope=EVERYTHING, by=by, communes=communes)
    assert list(table.columns).count("commune") == 1
    assert table.columns[0] == "commune"
    sums = table.groupby("commune", sort=False)[["due_cell_months", "held_cell_months", "on_fixed_day_cell_months"]]
    assert {name: row.tolist() for name, row in sums.sum().iterrows()} == {"Đa Lộc": [3, 3, 2], "Lộc Sơn": [8, 5, 4]}
    assert list(dict.fromkeys(table["commune"])) == ["Đa Lộc", "Lộc Sơn"]
    assert len(table) == (2 if by == "organisation" else 4)
