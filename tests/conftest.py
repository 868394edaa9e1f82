"""Shared fixtures: a fresh database per test, on SQLite and (when the server can be started) PostgreSQL.

In CI (CI=true) a PostgreSQL server that cannot be started is a failure, never a skip.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from data_access.db import init_db, make_engine
from tests.pgserver import PostgresServer, PostgresUnavailable, destroy, start_server

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
_db_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    try:
        server = start_server()
    except (PostgresUnavailable, OSError) as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI and could not be started: {exc}")
        pytest.skip(f"PostgreSQL not available here: {exc}")
    try:
        yield server
    finally:
        destroy(server)


def _fresh_pg_engine(server: PostgresServer) -> Engine:
    name = f"test_{os.getpid()}_{next(_db_counter)}"
    admin = make_engine(server.url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))  # name built from integers above, not input
    admin.dispose()
    return make_engine(server.url_for(name))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """An empty database with the schema, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    else:
        eng = _fresh_pg_engine(request.getfixturevalue("pg_server"))
    init_db(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """An empty SQLite database with the schema, for tests about SQLite itself."""
    eng = make_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    init_db(eng)
    yield eng
    eng.dispose()


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with fresh settings and empty caches (they outlive AppTest instances)."""
    from data_access.settings import get_settings

    get_settings.cache_clear()
    try:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()
    except Exception:  # streamlit absent or not initialised: nothing to clear
        pass
    yield
    get_settings.cache_clear()


__all__ = ["SQLModel"]
