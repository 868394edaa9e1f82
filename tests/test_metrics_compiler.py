"""The compiler: each metric summed from the cell-month grain is one SQL statement, read from the coarsest source
that can answer; a metric of new measures is one registry entry (the small district of tests/test_metrics.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from data_access import metrics
from data_access.filters import EVERYTHING, Month
from data_access.metrics import compiler
from data_access.metrics.definitions import KEPT_WHEN, SUMMED
from tests.small_district import district, period

pytestmark = pytest.mark.both_databases

__all__ = ["district"]


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements run on `engine` within the block."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.mark.parametrize("metric", sorted(SUMMED))
@pytest.mark.parametrize("by", ["total", "commune", "organisation", "cell", "quarter", "year"])
def test_a_summed_metric_is_one_statement_besides_the_spans(engine: Engine, district, metric: str, by: str) -> None:
    with statements(engine) as seen:
        metrics.compute(metric, engine, filters=period(), scope=EVERYTHING, by=by)
    assert len(seen) == 2, seen  # the months the stored sums cover, then the metric
    assert "aggregate_span" in seen[0]
    with statements(engine) as seen, metrics.from_raw_meetings():
        metrics.compute(metric, engine, filters=period(), scope=EVERYTHING, by=by)
    assert len(seen) == 1, seen  # the reference reads no span


def test_the_coarsest_source_that_covers_the_months_is_read(engine: Engine, district) -> None:
    """By commune or month the stored commune sums answer the whole months (the as-of month from the cells); by
    organisation or cell, or filtered to organisations, the cells; before the stored span, the cells; raw: the
    meetings."""
    filters = period()
    spans = compiler.spans_of(engine)

    def sql(by: str, raw: bool = False, f=filters) -> str:  # type: ignore[no-untyped-def]
        stmt = compiler.statement(SUMMED["participation"], f, EVERYTHING, by, spans=spans, dialect="", raw=raw)
        return str(stmt)

    assert "commune_month" in sql("commune") and "commune_month" in sql("month")
    for by in ("organisation", "cell"):  # no stored sums per organisation or cell
        assert "commune_month" not in sql(by) and "cell_month" in sql(by)
    to_organisations = period(organisations=(district["p1"],))
    assert "commune_month" not in sql("commune", f=to_organisations)
    assert "cell_month" not in sql("commune", raw=True) and "meeting" in sql("commune", raw=True)
    first, _ = spans["commune_month"]
    before = period(start=str(Month.from_index(first - 12)), end=str(Month.from_index(first - 1)))
    assert "commune_month" not in sql("commune", f=before) and "cell_month" in sql("commune", f=before)


def test_a_metric_of_registry_measures_needs_no_sql_of_its_own(engine: Engine, district) -> None:
    """Measures of different metrics summed together, grouped, in one statement: meetings, thematic meetings and
    due cell-months by commune, equal to the columns of the three metric tables (11 due cell-months in all)."""
    sums = {"meetings": "meetings", "thematic_meetings": "thematic", "due": "due_cell_months"}
    with engine.connect() as conn:
        stmt = compiler.statement(
            sums,
            period(),
            EVERYTHING,
            "commune",
            spans=compiler.spans_of(conn),
            dialect=engine.dialect.name,
            kept_when=KEPT_WHEN["participation"],
        )
        got = {r.commune: (int(r.meetings), int(r.thematic_meetings), int(r.due)) for r in conn.execute(stmt)}
    participation = metrics.participation(engine, filters=period(), scope=EVERYTHING, by="commune")
    thematic = metrics.thematic(engine, filters=period(), scope=EVERYTHING, by="commune")
    regularity = metrics.regularity(engine, filters=period(), scope=EVERYTHING, by="commune")
    expected = {
        row.commune: (
            int(row.meetings),
            int(thematic.set_index("commune").loc[row.commune, "thematic_meetings"]),
            int(regularity.set_index("commune").loc[row.commune, "due_cell_months"]),
        )
        for row in participation.itertuples()
    }
    assert got == expected
    assert sum(v[2] for v in got.values()) == 11  # the due cell-months worked out in tests/test_metrics.py


def test_ids_given_as_lists_are_read_as_the_same_ids(engine: Engine, district) -> None:
    """The cells in scope are one cached CTE per units and scope: filters holding lists of ids (not tuples) still
    work, with the same numbers (Đa Lộc: c4 due January to March, all held)."""
    as_tuple = period(communes=(district["da_loc"],), organisations=(district["p2"],))
    as_list = period(communes=[district["da_loc"]], organisations=[district["p2"]])
    for by in ("total", "cell"):
        expected = metrics.regularity(engine, filters=as_tuple, scope=EVERYTHING, by=by)
        got = metrics.regularity(engine, filters=as_list, scope=EVERYTHING, by=by)
        assert got.equals(expected)
        assert got["due_cell_months"].tolist() == [3] and got["held_cell_months"].tolist() == [3]
