"""The engine: one place that knows how to connect to SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

from data_access import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from data_access.settings import Settings, get_settings


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or read."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def make_engine(url: str, *, statement_timeout_ms: int = 15_000) -> Engine:
    """An engine for `url`: SQLite with WAL and foreign keys; PostgreSQL with a pool sized for Streamlit."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:"):
            engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
        else:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    options = f"-c statement_timeout={int(statement_timeout_ms)}"
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        pool_recycle=1800,
        connect_args={"options": options, "connect_timeout": 5},
    )


def engine_from_settings(settings: Settings | None = None) -> Engine:
    settings = settings or get_settings()
    return make_engine(settings.database_url, statement_timeout_ms=settings.statement_timeout_ms)


def init_db(engine: Engine) -> None:
    """Create every table and index that does not exist yet."""
    SQLModel.metadata.create_all(engine)


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table("meeting")


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
