"""The demo district gives the same figures on SQLite and on PostgreSQL: every metric table, every grouping.

The demo is generated once per module on each database (same seed, same as-of date, so the same rows); each test
compares one metric table computed on both. Counts must be equal; rates to within 1e-12 (SQLite and PostgreSQL
may round the last bit of a division differently).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from data_access import metrics
from data_access.db import make_engine
from data_access.demo import generate_demo
from data_access.filters import EVERYTHING, Filters, Month
from tests.conftest import _fresh_pg_engine
from tests.pgserver import PostgresServer

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

AS_OF = dt.date(2025, 6, 15)  # the demo's activity runs from 2020-06 to 2025-05
SELECTIONS = {
    "five years": Filters(period_from=Month(2020, 6), period_to=Month(2025, 5), as_of=AS_OF),
    "one commune, last 12 months": Filters.last_months(12, as_of=AS_OF, communes=(3,)),
}
CASES = [(metric, by) for metric, spec in metrics.METRICS.items() for by in spec.groups]


@pytest.fixture(scope="module")
def both(pg_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Engine]]:
    sqlite = make_engine(f"sqlite:///{tmp_path_factory.mktemp('parity') / 'demo.sqlite3'}")
    postgres = _fresh_pg_engine(pg_server)
    written = [generate_demo(engine, as_of=AS_OF) for engine in (sqlite, postgres)]
    assert written[0] == written[1]
    yield sqlite, postgres
    sqlite.dispose()
    postgres.dispose()


def _same(sqlite_table: pd.DataFrame, postgres_table: pd.DataFrame, *, rows_expected: bool = True) -> None:
    assert len(sqlite_table) > 0 or not rows_expected
    pd.testing.assert_frame_equal(sqlite_table, postgres_table, check_exact=False, rtol=1e-12, atol=0)


@pytest.mark.parametrize("selection", SELECTIONS)
@pytest.mark.parametrize(("metric", "by"), CASES)
def test_metric_table_is_the_same_on_both_databases(both, metric: str, by: str, selection: str) -> None:
    filters = SELECTIONS[selection]
    sqlite_table, postgres_table = (
        metrics.compute(metric, engine, filters=filters, scope=EVERYTHING, by=by) for engine in both
    )
    _same(sqlite_table, postgres_table)


@pytest.mark.parametrize("selection", SELECTIONS)
def test_overview_is_the_same_on_both_databases(both, selection: str) -> None:
    sqlite_kpis, postgres_kpis = (
        metrics.overview(engine, filters=SELECTIONS[selection], scope=EVERYTHING) for engine in both
    )
    assert sqlite_kpis.keys() == postgres_kpis.keys() == set(metrics.KPI_IDS)
    for kpi in metrics.KPI_IDS:
        for field in ("value", "previous"):  # "previous" of the five years is before the demo: None on both
            on_sqlite, on_postgres = getattr(sqlite_kpis[kpi], field), getattr(postgres_kpis[kpi], field)
            if on_sqlite is None:
                assert on_postgres is None, (kpi, field)
            else:
                assert on_postgres == pytest.approx(on_sqlite, rel=1e-12, abs=0), (kpi, field)


ALERTS = {
    "missed_meetings": lambda engine, filters: metrics.missed_meetings(
        engine, filters=filters, scope=EVERYTHING, window=3
    ),
    "below_target": lambda engine, filters: metrics.below_target(
        engine, filters=filters, scope=EVERYTHING, target=0.85
    ),
    "overdue_follow_ups": lambda engine, filters: metrics.overdue_follow_ups(engine, filters=filters, scope=EVERYTHING),
}


@pytest.mark.parametrize("selection", SELECTIONS)
@pytest.mark.parametrize("alert", ALERTS)
def test_alert_list_is_the_same_on_both_databases(both, alert: str, selection: str) -> None:
    sqlite_list, postgres_list = (ALERTS[alert](engine, SELECTIONS[selection]) for engine in both)
    _same(sqlite_list, postgres_list, rows_expected=selection == "five years")
