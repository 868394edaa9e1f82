"""The dashboard's read path: it cannot write, its queries stop at the time limit, and the probe says what is wrong.

Each test runs on SQLite and on PostgreSQL unless its name says which.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from data_access.db import DatabaseStatus, check_database, make_engine, make_read_engine
from data_access.models import Commune
from data_access.settings import Settings


def _add_commune(engine: Engine, name: str, code: str) -> None:
    with Session(engine) as session:
        session.add(Commune(name=name, code=code))
        session.commit()


def test_a_write_through_the_read_engine_fails_and_changes_nothing(engine: Engine, read_engine: Engine) -> None:
    _add_commune(engine, "Đa Lộc", "DL")
    with read_engine.connect() as conn, pytest.raises(DBAPIError, match="read-only|readonly"):
        conn.execute(text("INSERT INTO commune (name, code) VALUES (:name, :code)"), {"name": "Zê", "code": "Z"})
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM commune")).scalar_one() == 1


def test_the_read_engine_sees_what_the_read_write_engine_committed(engine: Engine, read_engine: Engine) -> None:
    _add_commune(engine, "Đa Lộc", "DL")
    _add_commune(engine, "Dân Lực", "DLU")
    with read_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM commune")).scalar_one() == 2


def test_make_read_engine_reads_the_configured_database_read_only(engine: Engine) -> None:
    settings = Settings(database_url=engine.url.render_as_string(hide_password=False), demo_mode=False)
    read = make_read_engine(settings)
    try:
        with read.connect() as conn, pytest.raises(DBAPIError):
            conn.execute(text("DELETE FROM commune"))
    finally:
        read.dispose()


def test_sqlite_read_engine_on_a_missing_file_does_not_create_it(tmp_path: Path) -> None:
    missing = tmp_path / "nothing here" / "dashboard.sqlite3"
    read = make_engine(f"sqlite:///{missing}", read_only=True)
    status = check_database(read)
    read.dispose()
    assert status == DatabaseStatus("unreachable", "unable to open database file")
    assert not missing.exists()


@pytest.mark.postgres
def test_postgresql_stops_a_query_at_the_statement_timeout(pg_engine: Engine) -> None:
    read = make_engine(pg_engine.url, statement_timeout_ms=200, read_only=True)
    try:
        with read.connect() as conn, pytest.raises(OperationalError) as caught:
            conn.execute(text("SELECT pg_sleep(5)"))
        assert caught.value.orig.sqlstate == "57014"  # query_canceled
    finally:
        read.dispose()


def test_sqlite_read_engine_interrupts_a_query_at_the_time_limit_and_stays_usable(sqlite_engine: Engine) -> None:
    read = make_engine(sqlite_engine.url, statement_timeout_ms=200, read_only=True)
    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    try:
        with read.connect() as conn:
            with pytest.raises(OperationalError, match="interrupted"):
                conn.execute(text(endless))
            assert conn.execute(text("SELECT count(*) FROM commune")).scalar_one() == 0
    finally:
        read.dispose()


def test_check_database_on_a_migrated_database_is_ok(engine: Engine, read_engine: Engine) -> None:
    assert check_database(engine) == DatabaseStatus("ok")
    assert check_database(read_engine) == DatabaseStatus("ok")


def test_check_database_without_schema_says_run_init(blank_engine: Engine) -> None:
    status = check_database(blank_engine)
    assert status == DatabaseStatus("no_schema", "the schema is missing: run `python -m data_access init`")


@pytest.mark.postgres
def test_check_database_on_a_refused_postgresql_port_is_unreachable_in_one_line() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/dashboard", read_only=True)
    status = check_database(engine, timeout_s=1)
    engine.dispose()
    assert status.state == "unreachable"
    assert "\n" not in status.reason
    assert f'connection to server at "127.0.0.1", port {port} failed: Connection refused' in status.reason
