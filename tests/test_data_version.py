"""Cached results live until the data changes: keyed by the data's version (the import batches), not by a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from data_access import metrics
from data_access.data_version import data_version
from data_access.filters import EVERYTHING, Filters, Month
from data_access.metrics import compiler
from data_access.migrations import init_db
from data_access.models import ImportBatch
from ui import data

FILTERS = Filters(period_from=Month(2025, 1), period_to=Month(2025, 3), as_of=dt.date(2025, 4, 4))


def _add_batch(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(insert(ImportBatch).values(file_name="units.csv", sha256="0" * 64, kind="units"))


def test_the_version_counts_the_batches_and_names_the_latest(blank_engine: Engine) -> None:
    init_db(blank_engine)
    assert data_version(blank_engine) == "0-0"
    _add_batch(blank_engine)
    _add_batch(blank_engine)
    assert data_version(blank_engine) == "2-2"


@pytest.fixture
def computed(app_db: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The metric calls that reached the database."""
    calls: list[str] = []
    compute = metrics.compute

    def counted(metric: str, *args: object, **kwargs: object) -> pd.DataFrame:
        calls.append(metric)
        return compute(metric, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(metrics, "compute", counted)
    monkeypatch.setattr(data, "VERSION_SECONDS", 0.0)  # read the version at every call
    data.clear()
    yield calls
    data.read_engine().dispose()


def test_a_result_is_reused_while_the_version_holds_and_recomputed_after_an_import(
    computed: list[str], engine: Engine
) -> None:
    first = data.metric("regularity", filters=FILTERS, scope=EVERYTHING, by="commune")
    again = data.metric("regularity", filters=FILTERS, scope=EVERYTHING, by="commune")
    assert computed == ["regularity"]  # no lifetime: the second call is the cached one
    pd.testing.assert_frame_equal(first, again)
    _add_batch(engine)  # an import by another process: no clear() in this one
    data.metric("regularity", filters=FILTERS, scope=EVERYTHING, by="commune")
    assert computed == ["regularity", "regularity"]


def test_the_version_is_read_once_per_few_seconds(app_db: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    data.clear()
    reads: list[str] = []
    monkeypatch.setattr(data, "data_version", lambda engine: reads.append("read") or "1-1")
    for _ in range(5):
        data.cache_key()
    assert reads == ["read"]  # a page run's dozen calls cost one read
    data.clear()  # after an import: read at once
    data.cache_key()
    assert reads == ["read", "read"]
    data.read_engine().dispose()


def test_warming_leaves_the_default_views_computed(app_db: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    from data_access.filters import Scope
    from ui import warming
    from ui.filters import default_state

    data.clear()
    warming.warm_default_views()
    asked: list[str] = []
    monkeypatch.setattr(metrics, "overview", lambda *a, **k: asked.append("overview"))
    monkeypatch.setattr(metrics, "compute", lambda metric, *a, **k: asked.append(metric))
    monkeypatch.setattr(compiler, "together", lambda metrics, *a, **k: asked.append(",".join(metrics)))
    filters, scope = default_state().filters, Scope.everything()
    data.overview(filters=filters, scope=scope)
    # the Overview's trends and its communes ranked (ui.warming OVERVIEW_BY_MONTH, OVERVIEW_BY_PLACE, which the page asks with)
    data.metrics_together(
        ("regularity", "participation", "superior_attendance"), filters=filters, scope=scope, by="month"
    )
    data.metrics_together(("regularity", "participation"), filters=filters, scope=scope, by="commune")
    for metric in ("regularity", "participation", "inspections"):
        data.metric(metric, filters=filters, scope=scope, by="month")
    data.metric("thematic", filters=filters, scope=scope, by="quarter")
    data.metric("regularity", filters=filters, scope=scope, by="commune")
    assert asked == []  # every one was in the cache already
    data.metric("regularity", filters=filters, scope=scope, by="cell")
    assert asked == ["regularity"]  # and a view not warmed is computed
    data.read_engine().dispose()
