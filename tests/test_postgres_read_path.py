"""The dashboard's read path: it cannot write, its queries stop at the time limit, and the probe says what is wrong.

Each test runs on SQLite and on PostgreSQL unless its name says which.
"""

from __future__ import annotations

import itertools
import os
import re
import socket
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from data_access.db import DatabaseStatus, check_database, make_engine, make_read_engine
from data_access.models import Commune
from data_access.settings import Settings

pytestmark = pytest.mark.both_databases  # dialect-sensitive: runs on SQLite and PostgreSQL


def _add_commune(engine: Engine, name: str, code: str) -> None:
    with Session(engine) as session:
        session.add(Commune(name=name, code=code))
        session.commit()


def test_a_write_through_the_read_engine_fails_and_changes_nothing(engine: Engine, read_engine: Engine) -> None:
    _add_commune(engine, "Đa Lộc", "DL")
    with read_engine.connect() as conn, pytest.raises(DBAPIError, match=r"read-only|readonly"):
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


# --------------------------------------------------------------- the read-only role of docs/deployment.md

_roles = itertools.count()


def _readme_read_role_sql() -> str:
    """The SQL block of docs/deployment.md that creates the read-only role."""
    readme = (Path(__file__).resolve().parent.parent / "docs" / "deployment.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```sql\n(.*?)```", readme, flags=re.S) if "dashboard_read" in b]
    return block


@pytest.fixture
def read_role_url(pg_engine: Engine) -> str:
    """The read-only role of docs/deployment.md, made on the test database (owner: postgres); its URL."""
    role = f"dashboard_read_{os.getpid()}_{next(_roles)}"
    database = pg_engine.url.database
    sql = re.sub(r"\bdashboard_read\b", role, _readme_read_role_sql())
    sql = re.sub(r"ON DATABASE dashboard\b", f'ON DATABASE "{database}"', sql)
    sql = re.sub(r"FOR ROLE dashboard\b", "FOR ROLE postgres", sql)
    sql = re.sub(r"PASSWORD '[^']*'", "", sql)  # the test server trusts local connections
    sql = re.sub(r"--[^\n]*", "", sql)
    with pg_engine.begin() as conn:
        for statement in [s for s in sql.split(";") if s.strip()]:
            conn.exec_driver_sql(statement)
    return pg_engine.url.set(username=role).render_as_string(hide_password=False)


@pytest.mark.postgres
def test_the_read_engine_connects_with_database_read_url_when_set(pg_engine: Engine, read_role_url: str) -> None:
    _add_commune(pg_engine, "Đa Lộc", "DL")
    settings = Settings(
        database_url=pg_engine.url.render_as_string(hide_password=False),
        demo_mode=False,
        database_read_url=read_role_url,
    )
    read = make_read_engine(settings)
    try:
        with read.connect() as conn:
            user = conn.execute(text("SELECT current_user")).scalar_one()
            names = conn.execute(text("SELECT name FROM commune")).scalars().all()
    finally:
        read.dispose()
    assert (user, names) == (make_url(read_role_url).username, ["Đa Lộc"])


@pytest.mark.postgres
def test_the_read_only_role_cannot_write_even_outside_a_read_only_transaction(
    pg_engine: Engine, read_role_url: str
) -> None:
    as_reader = make_engine(read_role_url)  # an ordinary read-write engine, logged in as the role
    try:
        with as_reader.connect() as conn, pytest.raises(DBAPIError, match="permission denied for table commune"):
            conn.execute(text("INSERT INTO commune (name, code) VALUES (:name, :code)"), {"name": "Zê", "code": "Z"})
    finally:
        as_reader.dispose()


@pytest.mark.postgres
def test_the_read_only_role_reads_a_table_a_later_migration_creates(pg_engine: Engine, read_role_url: str) -> None:
    with pg_engine.begin() as conn:  # as the owner, as `python -m data_access init` would
        conn.execute(text("CREATE TABLE later_table (id integer)"))
        conn.execute(text("INSERT INTO later_table VALUES (1), (2)"))
    as_reader = make_engine(read_role_url)
    try:
        with as_reader.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM later_table")).scalar_one() == 2
    finally:
        as_reader.dispose()
