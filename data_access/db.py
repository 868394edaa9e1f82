"""The engine: one place that knows how to connect to SQLite or PostgreSQL.

Two kinds of engine. `engine_from_settings` reads and writes (CLI, import, demo, migrations). `make_read_engine`
is for the dashboard: it cannot write (a read-only SQLite URI; on PostgreSQL every transaction starts read-only)
and every query runs under a time limit, so one slow query cannot hang a page.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from sqlalchemy import event, inspect
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import NullPool, StaticPool
from sqlmodel import Session, create_engine

from data_access import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from data_access.settings import Settings, get_settings

# A Streamlit server runs every session's script in its own thread. Results are cached, so a handful of connections
# per process serves many sessions; bursts borrow up to MAX_OVERFLOW more, and connections beyond POOL_SIZE are
# closed when returned. A dashboard process holds two engines: this read-only pool for the figures and a small
# read-write one for sign-in (ui.data.WRITE_POOL_SIZE 2 + 3): at most 20 connections in a burst, about 7 when idle.
# With the PostgreSQL default of max_connections = 100 this leaves room for four dashboard processes at full burst,
# the import and an administrator; raise max_connections (or put PgBouncer in front) for more.
POOL_SIZE = 5
MAX_OVERFLOW = 10
POOL_TIMEOUT_S = 10  # waiting longer than this for a free connection raises, and the page says the server is busy
POOL_RECYCLE_S = 1800
CONNECT_TIMEOUT_S = 5
SQLITE_BUSY_TIMEOUT_MS = 10_000
APPLICATION_NAME = "party-cell-dashboard"


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or read."""


@dataclass(frozen=True)
class DatabaseStatus:
    """What a short probe found: "ok", "unreachable" or "no_schema", with a one-line reason for the latter two."""

    state: Literal["ok", "unreachable", "no_schema"]
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "ok"


# ---------------------------------------------------------------------------------------------------------- SQLite


def _sqlite_pragmas(*, read_only: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    return on_connect


def _sqlite_time_limit(engine: Engine, timeout_ms: int) -> None:
    """Interrupt a SQLite query that runs longer than `timeout_ms` (SQLite has no statement_timeout).

    SQLite calls the progress handler every few thousand virtual-machine steps; returning 1 aborts the statement
    with "interrupted". The deadline starts when a statement is sent and covers fetching its rows.
    """

    @event.listens_for(engine, "before_cursor_execute")
    def start_clock(conn: Any, _cursor: Any, _statement: Any, _params: Any, _context: Any, _many: Any) -> None:
        deadline = time.monotonic() + timeout_ms / 1000
        conn.connection.dbapi_connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)

    @event.listens_for(engine, "checkin")
    def stop_clock(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None:
            dbapi_connection.set_progress_handler(None, 0)


def _sqlite_engine(url: URL, *, statement_timeout_ms: int, read_only: bool) -> Engine:
    database = url.database or ""
    if database in ("", ":memory:"):
        if read_only:
            raise ValueError("a read-only engine needs a SQLite file, not an in-memory database")
        engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
    else:
        connect_args: dict[str, Any] = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        if read_only and not url.query.get("uri"):
            # file:…?mode=ro: SQLite itself refuses every write, and never creates a missing file.
            path = Path(database).resolve()
            url = URL.create("sqlite", database=f"file:{quote(str(path))}", query={"mode": "ro", "uri": "true"})
        elif not read_only and not url.query.get("uri"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args=connect_args)
    event.listen(engine, "connect", _sqlite_pragmas(read_only=read_only))
    if read_only:
        _sqlite_time_limit(engine, statement_timeout_ms)
    return engine


# ------------------------------------------------------------------------------------------------------ PostgreSQL


def _postgres_engine(
    url: URL, *, statement_timeout_ms: int, read_only: bool, pool_size: int, max_overflow: int
) -> Engine:
    options = f"-c statement_timeout={int(statement_timeout_ms)}"
    if read_only:
        # no JIT for the pages' reads: PostgreSQL compiles a statement whose estimated cost passes `jit_above_cost`,
        # and a province's five-year table by commune spent 730 of its 862 ms compiling 133 functions
        # (bench/results/2026-12-04-province-jit.txt); without, the same statement runs in 125-160 ms
        options += " -c default_transaction_read_only=on -c jit=off"
    return create_engine(
        url,
        pool_pre_ping=True,  # a connection the server dropped (restart, failover) is replaced, not handed out
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=POOL_TIMEOUT_S,
        pool_recycle=POOL_RECYCLE_S,
        # reads only: each statement its own read-only transaction (what READ COMMITTED gives a statement inside a
        # transaction anyway), so a connection going back to the pool has no transaction to roll back: one round
        # trip less per read, and psycopg keeps the statements it prepared (a rollback forgets them)
        **({"isolation_level": "AUTOCOMMIT"} if read_only else {}),
        connect_args={
            "options": options,
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": APPLICATION_NAME + ("-read" if read_only else ""),
        },
    )


# ------------------------------------------------------------------------------------------------------------ API


def make_engine(
    url: str | URL,
    *,
    statement_timeout_ms: int = 15_000,
    read_only: bool = False,
    pool_size: int = POOL_SIZE,
    max_overflow: int = MAX_OVERFLOW,
) -> Engine:
    """An engine for `url`: SQLite (WAL, foreign keys) or PostgreSQL (pooled for Streamlit, statement timeout).

    `read_only=True` gives an engine that cannot write: SQLite opens the file with mode=ro; PostgreSQL starts
    every transaction READ ONLY. Its queries are also stopped after `statement_timeout_ms` on SQLite.
    `pool_size` and `max_overflow` size the PostgreSQL connection pool (SQLite opens a file per connection).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, statement_timeout_ms=statement_timeout_ms, read_only=read_only)
    return _postgres_engine(
        parsed,
        statement_timeout_ms=statement_timeout_ms,
        read_only=read_only,
        pool_size=pool_size,
        max_overflow=max_overflow,
    )


def engine_from_settings(
    settings: Settings | None = None, *, pool_size: int = POOL_SIZE, max_overflow: int = MAX_OVERFLOW
) -> Engine:
    """The read-write engine: CLI, import, demo generation, migrations, sign-in."""
    settings = settings or get_settings()
    return make_engine(
        settings.database_url,
        statement_timeout_ms=settings.statement_timeout_ms,
        pool_size=pool_size,
        max_overflow=max_overflow,
    )


def make_read_engine(settings: Settings | None = None) -> Engine:
    """The dashboard's engine: read-only, every query under Settings.statement_timeout_ms.

    It connects with `DATABASE_READ_URL` when that is set (on PostgreSQL a role that may only SELECT, so even a bug
    cannot write), else with `DATABASE_URL`; either way every transaction starts READ ONLY.
    """
    settings = settings or get_settings()
    url = settings.database_read_url or settings.database_url
    return make_engine(url, statement_timeout_ms=settings.statement_timeout_ms, read_only=True)


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table("meeting")


def database_url_for_display(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _first_lines(exc: BaseException) -> str:
    """The driver's message on one line (psycopg puts its hint on a second line)."""
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return " ".join(lines[:2]) if lines else type(orig).__name__


def is_connection_error(exc: BaseException) -> bool:
    """True when `exc` says the server cannot be reached, not that a query failed."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    orig = getattr(exc, "orig", None)
    if orig is None:
        return False
    sqlstate = getattr(orig, "sqlstate", "") or ""
    if type(orig).__module__.startswith("psycopg"):
        # No SQLSTATE: the failure happened before or outside a query (refused, timed out, connection lost);
        # class 08: connection exception; 57P01-57P03: the server is shutting down or starting.
        return sqlstate == "" or sqlstate.startswith("08") or sqlstate in ("57P01", "57P02", "57P03")
    return "unable to open database file" in str(orig)


def describe_database_error(exc: BaseException) -> str:
    """One line for a person: can the database not be reached, or did a query fail?"""
    if is_connection_error(exc):
        return f"cannot connect to the database: {_first_lines(exc)}"
    return f"the database could not be read: {_first_lines(exc)}"


def _probe_engine(engine: Engine, timeout_s: float) -> Engine:
    if engine.dialect.name != "postgresql":
        return engine  # a local file: opening it is immediate
    seconds = max(1, math.ceil(timeout_s))  # libpq takes whole seconds
    return create_engine(
        engine.url,
        poolclass=NullPool,
        connect_args={
            "connect_timeout": seconds,
            "options": f"-c statement_timeout={seconds * 1000}",
            "application_name": APPLICATION_NAME + "-probe",
        },
    )


def check_database(engine: Engine, *, timeout_s: float = 3.0) -> DatabaseStatus:
    """Connect once, with a short timeout, and say whether the database is usable."""
    probe = _probe_engine(engine, timeout_s)
    try:
        with probe.connect() as conn:
            present = inspect(conn).has_table("meeting")
    except (DBAPIError, PoolTimeout) as exc:
        return DatabaseStatus("unreachable", _first_lines(exc))
    finally:
        if probe is not engine:
            probe.dispose()
    if not present:
        return DatabaseStatus("no_schema", "the schema is missing: run `python -m data_access init`")
    return DatabaseStatus("ok")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
