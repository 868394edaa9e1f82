"""The dashboard's two engines: the cached queries read through the read-only one; sign-in writes through the other.

Each test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from data_access.filters import EVERYTHING, Filters, Month
from data_access.settings import get_settings
from ui import data, data_views

pytestmark = pytest.mark.both_databases  # dialect-sensitive: runs on SQLite and PostgreSQL

FILTERS = Filters(period_from=Month(2025, 1), period_to=Month(2025, 3))
INSERT_COMMUNE = text("INSERT INTO commune (name, code) VALUES (:name, :code)")


@pytest.fixture
def app_engines(engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Engine]:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DEMO_MODE", "0")
    monkeypatch.setenv("DASHBOARD_SECRETS", str(tmp_path / "none.toml"))
    get_settings.cache_clear()
    yield engine
    data.read_engine().dispose()
    data.engine().dispose()


def test_the_read_engine_refuses_a_write(app_engines: Engine) -> None:
    with data.read_engine().connect() as conn, pytest.raises(DBAPIError, match=r"read-only|readonly"):
        conn.execute(INSERT_COMMUNE, {"name": "Đa Lộc", "code": "DL"})


def test_the_read_write_engine_writes_and_the_cached_lookup_reads_it(app_engines: Engine) -> None:
    with data.engine().begin() as conn:
        conn.execute(INSERT_COMMUNE, [{"name": "Đa Lộc", "code": "DL"}, {"name": "Dân Lực", "code": "DLU"}])
    assert list(data.communes(scope=EVERYTHING)["name"]) == ["Dân Lực", "Đa Lộc"]


def _recording(engines: list[Engine], result: Any) -> Any:
    def query(engine: Engine, *args: Any, **kwargs: Any) -> Any:
        engines.append(engine)
        return result

    return query


def test_every_kind_of_cached_query_gets_the_read_only_engine(
    app_engines: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engines: list[Engine] = []
    empty = pd.DataFrame()
    monkeypatch.setattr(data.metrics, "compute", lambda metric, engine, **kw: _recording(engines, empty)(engine))
    monkeypatch.setattr(data.metrics, "overview", _recording(engines, {}))
    monkeypatch.setattr(data.metrics, "missed_meetings", _recording(engines, empty))
    monkeypatch.setattr(data.metrics, "cell_months", _recording(engines, empty))
    monkeypatch.setattr(data.lookups, "communes", _recording(engines, empty))
    monkeypatch.setattr(data.lookups, "organisations", _recording(engines, empty))
    monkeypatch.setitem(data_views._QUERIES, "units", _recording(engines, empty))
    monkeypatch.setattr(data_views.browse, "topic_names", _recording(engines, empty))

    data.metric("regularity", filters=FILTERS, scope=EVERYTHING, by="commune")
    data.overview(filters=FILTERS, scope=EVERYTHING)
    data.missed_meetings(filters=FILTERS, scope=EVERYTHING)
    data.cell_months(filters=FILTERS, scope=EVERYTHING)
    data.communes(scope=EVERYTHING)
    data.organisations(scope=EVERYTHING)
    data_views.units(filters=FILTERS, scope=EVERYTHING)
    data_views._topic_names(get_settings().database_url)

    assert len(engines) == 8
    assert all(engine is data.read_engine() for engine in engines)
    assert data.read_engine() is not data.engine()
