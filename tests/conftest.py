"""Shared fixtures: a fresh database per test, on SQLite and (when the server can be started) PostgreSQL.

In CI (CI=true) a PostgreSQL server that cannot be started is a failure, never a skip.

Tiers (docs/architecture.md, "Tests"): the `engine` and `blank_engine` fixtures are SQLite databases, and on both
SQLite and PostgreSQL in a module or test marked `both_databases` (the dialect-sensitive suites). At collection a
test gets the `postgres` marker when it uses a PostgreSQL server and the `browser` marker when one of its fixtures
starts the real app or Chromium, so the default run (`pytest`: not slow, not postgres, not browser) needs no
marker written by hand.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
from sqlalchemy import make_url
from sqlalchemy.engine import Engine

from data_access.db import make_engine
from data_access.migrations import init_db
from tests.db_templates import (
    SCHEMA,
    SEEDING_FIXTURES,
    create_pg_database,
    drop_pg_database,
    forget_templates,
    seeded,
)
from tests.pgserver import PostgresServer, PostgresUnavailable, destroy, start_server

pytest_plugins = ["pytester", "tests.small_district", "tests.app_fixtures"]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# No background warming of the default views (ui.warming) in tests: a thread started by one test's page run would
# outlive it and read, or migrate, the database the next test points the settings at, racing that test's own
# migration (Alembic's migration context is one per process). test_data_version warms in the foreground.
os.environ["WARM_CACHE"] = "0"
DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
PG_FIXTURES = frozenset({"pg_server", "own_pg_server", "pg_engine"})
# A fixture or test whose code calls one of these starts the real app in a browser (tests/browser.py).
BROWSER_CALLS = frozenset({"require_browser", "running_streamlit", "running_app", "sync_playwright"})
_db_counter = itertools.count()


def _start_or_skip() -> PostgresServer:
    try:
        return start_server()
    except (PostgresUnavailable, OSError) as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI and could not be started: {exc}")
        pytest.skip(f"PostgreSQL not available here: {exc}")


@pytest.fixture(scope="session", autouse=True)
def _database_templates() -> Iterator[None]:
    """The session's template databases (tests/db_templates.py); PostgreSQL's go with the server."""
    yield
    forget_templates()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = _start_or_skip()
    try:
        yield server
    finally:
        destroy(server)


@pytest.fixture
def own_pg_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test alone, which it may stop and start (the shared one must stay up)."""
    server = _start_or_skip()
    try:
        yield server
    finally:
        destroy(server)


def new_pg_url(server: PostgresServer) -> str:
    """The URL of a database not yet created on `server` (`seeded` creates it, from a template when it can)."""
    return server.url_for(f"test_{os.getpid()}_{next(_db_counter)}")


def fresh_pg_url(server: PostgresServer) -> str:
    """The URL of a new, empty database on `server`."""
    url = new_pg_url(server)
    create_pg_database(make_url(url))
    return url


def _dispose(eng: Engine) -> None:
    """End of a test: close the engine's connections and drop its PostgreSQL database."""
    eng.dispose()
    if eng.url.get_backend_name() != "sqlite":
        drop_pg_database(eng.url)


def _fresh_pg_engine(server: PostgresServer) -> Engine:
    return make_engine(fresh_pg_url(server))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `both_databases` run once per database for each database fixture they use."""
    if metafunc.definition.get_closest_marker("both_databases") is None:
        return
    for name in ("engine", "blank_engine"):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, DATABASES, indirect=True)


def _calls_a_browser(func: object) -> bool:
    code = getattr(func, "__code__", None)
    return code is not None and not BROWSER_CALLS.isdisjoint(code.co_names)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The `postgres` and `browser` markers from what each test uses (see the module's docstring)."""
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        if not PG_FIXTURES.isdisjoint(item.fixturenames) and item.get_closest_marker("postgres") is None:
            item.add_marker(pytest.mark.postgres)
        if item.get_closest_marker("browser") is None:
            fixtures = [d.func for defs in item._fixtureinfo.name2fixturedefs.values() for d in defs]
            if any(_calls_a_browser(f) for f in [item.obj, *fixtures]):
                item.add_marker(pytest.mark.browser)


def _database_of(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """An empty database with the schema made by the migrations: SQLite, and PostgreSQL too under `both_databases`
    (a copy of the session's migrated template; for a test that asks for one of SEEDING_FIXTURES, that fixture
    makes it)."""
    if _database_of(request) == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    else:
        eng = make_engine(new_pg_url(request.getfixturevalue("pg_server")))
    if not SEEDING_FIXTURES & set(request.fixturenames):
        seeded(eng, SCHEMA, init_db)
    yield eng
    _dispose(eng)


@pytest.fixture
def blank_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """An empty database without any table (for migration tests): SQLite, and PostgreSQL too under
    `both_databases`."""
    if _database_of(request) == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'blank.sqlite3'}")
    else:
        eng = _fresh_pg_engine(request.getfixturevalue("pg_server"))
    yield eng
    _dispose(eng)


@pytest.fixture
def pg_engine(pg_server: PostgresServer) -> Iterator[Engine]:
    """An empty database with the schema on PostgreSQL only, for tests about PostgreSQL itself."""
    eng = make_engine(new_pg_url(pg_server))
    seeded(eng, SCHEMA, init_db)
    yield eng
    _dispose(eng)


@pytest.fixture
def read_engine(engine: Engine) -> Iterator[Engine]:
    """The dashboard's read-only engine on the same database as `engine`."""
    eng = make_engine(engine.url, read_only=True)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """An empty SQLite database with the schema, for tests about SQLite itself."""
    eng = make_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    seeded(eng, SCHEMA, init_db)
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


@pytest.fixture(scope="session", autouse=True)
def _reused_statements_checked() -> Iterator[None]:
    """Every metric statement reused for another call is checked against one built afresh for it: same SQL text,
    same values bound (data_access.metrics.compiler.verify_compiled). On in CI (`CI=true`) and whenever
    `VERIFY_COMPILED=1`; the fast loop leaves it out, it adds about a fifth to the metric tests."""
    from data_access.metrics import compiler

    compiler.verify_compiled(
        os.environ.get("CI", "").lower() in ("1", "true") or os.environ.get("VERIFY_COMPILED") == "1"
    )
    yield
    compiler.verify_compiled(False)
