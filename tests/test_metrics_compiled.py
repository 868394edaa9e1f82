"""A metric statement is built once per shape and executed again with each call's values bound: another period, as-of
day or scope of the same shape reuses it, and gets the numbers a statement built afresh gives (the small district
of tests/test_metrics.py, its numbers worked out in tests/small_district.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import nullcontext

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from data_access import metrics
from data_access.filters import EVERYTHING, Filters, Scope
from data_access.metrics import compiler
from data_access.metrics.definitions import GROUPS, SUMMED
from tests.small_district import district, period
from tests.test_metrics_compiler import statements

pytestmark = pytest.mark.both_databases

__all__ = ["district"]


@pytest.fixture
def reused(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No statement built yet, and a reused one not checked against a fresh one (tests/conftest.py checks it
    everywhere else): a stale value must show in the numbers here."""
    monkeypatch.setattr(compiler, "_COMPILED", {})
    compiler.verify_compiled(False)
    yield
    compiler.verify_compiled(True)


def _regularity_total(engine: Engine, filters: Filters, scope: Scope) -> tuple[int, int, int]:
    row = metrics.compute("regularity", engine, filters=filters, scope=scope, by="total").iloc[0]
    return int(row.due_cell_months), int(row.held_cell_months), int(row.on_fixed_day_cell_months)


def test_another_period_and_scope_of_the_same_shape_reuse_the_statement(engine: Engine, district, reused) -> None:
    """As of 2025-04-04, both communes: 11 due cell-months, 8 held, 6 on the fixed day. As of 2025-04-12, Lộc Sơn
    only: c1 Jan-Apr 4, c2 Mar-Apr 2 (day 10 has passed), c3 Jan-Mar 3 = 9 due; held c1 3, c2 1 (its April
    meeting is thematic), c3 1 = 5; on the fixed day c1 2, c2 1, c3 1 = 4. One statement, one text."""
    both = Scope.only(district["loc_son"], district["da_loc"])
    with statements(engine) as first:
        assert _regularity_total(engine, period(), both) == (11, 8, 6)
    built = dict(compiler._COMPILED)
    assert len(built) == 1
    later = period(as_of=dt.date(2025, 4, 12))
    with statements(engine) as second:
        assert _regularity_total(engine, later, Scope.only(district["loc_son"])) == (9, 5, 4)
    assert built == compiler._COMPILED and all(compiler._COMPILED[k] is v for k, v in built.items())
    # the metric's statement: the same text, other values bound (a list of ids expanded to its length)
    assert _lists_folded(first[-1]) == _lists_folded(second[-1])


def _lists_folded(sql: str) -> str:
    sql = re.sub(r"%\(\w+\)s(::\w+)?", "?", sql)  # PostgreSQL's named parameters, SQLite's are ?
    return re.sub(r"IN \(\?(, \?)*\)", "IN (...)", sql)


def _cases(district: dict[str, int]) -> list[tuple[Filters, Scope]]:
    """Pairs of the same shape in turn: periods (as-of days, months), scopes, communes and organisations chosen."""
    ls, dl = district["loc_son"], district["da_loc"]
    return [
        (period(), EVERYTHING),
        (period(as_of=dt.date(2025, 4, 12)), EVERYTHING),
        (period(start="2025-02", end="2025-05", as_of=dt.date(2025, 5, 20)), EVERYTHING),
        (period(), Scope.only(ls, dl)),
        (period(as_of=dt.date(2025, 4, 30)), Scope.only(ls)),
        (period(communes=(ls,)), EVERYTHING),
        (period(communes=(dl,), as_of=dt.date(2025, 4, 12)), EVERYTHING),
        (period(organisations=(district["p1"],)), EVERYTHING),
        (period(organisations=(district["p2"],), as_of=dt.date(2025, 4, 12)), EVERYTHING),
        (period(start="2024-11", end="2025-03", as_of=dt.date(2025, 3, 31)), EVERYTHING),
        (period(start="2024-12", end="2025-04", as_of=dt.date(2025, 4, 30)), EVERYTHING),
    ]


@pytest.mark.parametrize("by", ["total", "commune", "cell", "month", "quarter"])
@pytest.mark.parametrize("raw", [False, True], ids=["stored", "raw"])
def test_a_reused_statement_gives_the_numbers_of_a_fresh_one(engine: Engine, district, reused, by: str, raw) -> None:
    """Every summed metric, each case computed after the one before it (its statement reused when of the same
    shape) equals the same case computed with no statement built before; the cases' numbers differ, so a value
    kept from the call before would show."""
    cases = _cases(district)
    for metric in sorted(m for m in SUMMED if by == "total" or by in GROUPS[m]):
        switch = metrics.from_raw_meetings() if raw else nullcontext()
        with switch:
            in_turn = [metrics.compute(metric, engine, filters=f, scope=s, by=by) for f, s in cases]
            reuses = len(cases) - len(compiler._COMPILED)
            fresh = []
            for f, s in cases:
                compiler._COMPILED.clear()
                fresh.append(metrics.compute(metric, engine, filters=f, scope=s, by=by))
        assert reuses >= 4, metric  # the same shape more than once
        for (f, s), got, expected in zip(cases, in_turn, fresh, strict=True):
            pd.testing.assert_frame_equal(got, expected, obj=f"{metric} by {by}, {f}, {s}")
        distinct = {got.to_json() for got in in_turn}
        assert len(distinct) >= 4, metric


def test_participation_below_a_target_binds_the_target(engine: Engine, district, reused) -> None:
    """Cells below 90 % then below 80 % through one statement: c1 99/112 = 88.4 % and c3 33/40 = 82.5 % are below
    90 %; neither is below 80 % (c2 22/24 = 91.7 %, c4 26/27 = 96.3 %)."""
    below_90 = metrics.participation(engine, filters=period(), scope=EVERYTHING, by="cell", below=0.9)
    assert sorted(below_90["cell"]) == ["Chi bộ thôn 1", "Chi bộ thôn 3"]
    below_80 = metrics.participation(engine, filters=period(), scope=EVERYTHING, by="cell", below=0.8)
    assert below_80.empty
    assert len(compiler._COMPILED) == 1


def test_the_least_recently_used_statement_is_dropped_first(
    engine: Engine, district, reused, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two statements kept at most: regularity by commune, by month, by commune again (used last), then by cell
    drops the one by month; the numbers stay right (11 due cell-months in all)."""
    monkeypatch.setattr(compiler, "_COMPILED_MAX", 2)
    for by in ("commune", "month", "commune", "cell"):
        table = metrics.compute("regularity", engine, filters=period(), scope=EVERYTHING, by=by)
        assert int(table["due_cell_months"].sum()) == 11
    kept = [key[2] for key in compiler._COMPILED]  # ("tables", (metric,), by, …)
    assert kept == ["commune", "cell"]
