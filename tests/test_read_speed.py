"""The dashboard's PostgreSQL read engine: a read opens no transaction, so a connection going back to the pool has
nothing to roll back (a round trip per read less), and the engine still cannot write; no read is JIT-compiled (a
province's five-year table by commune spent 730 of its 862 ms compiling)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from data_access.db import make_engine


@pytest.fixture
def pg_read(pg_engine: Engine) -> Iterator[Engine]:
    eng = make_engine(pg_engine.url, read_only=True)
    yield eng
    eng.dispose()


def test_a_read_opens_no_transaction(pg_read: Engine) -> None:
    with pg_read.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM commune")).scalar_one() == 0
        assert conn.connection.dbapi_connection.info.transaction_status == TransactionStatus.IDLE  # type: ignore[union-attr]


def test_the_read_engine_still_refuses_a_write_outside_a_transaction(pg_read: Engine) -> None:
    with pg_read.connect() as conn, pytest.raises(DBAPIError, match="read-only"):
        conn.execute(text("INSERT INTO commune (name, code) VALUES ('Zê', 'Z')"))


def _jit_functions(engine: Engine) -> int:
    """How many functions PostgreSQL JIT-compiles for a small count when every plan is costly enough to compile."""
    with engine.connect() as conn:
        conn.execute(text("SET jit_above_cost = 0"))
        plan = conn.execute(text("EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM commune")).scalar_one()
        return int(plan[0].get("JIT", {}).get("Functions", 0))


def test_a_read_is_never_jit_compiled(pg_engine: Engine, pg_read: Engine) -> None:
    with pg_read.connect() as conn:
        assert conn.execute(text("SHOW jit")).scalar_one() == "off"
    assert _jit_functions(pg_read) == 0
    with pg_engine.connect() as conn:
        available = conn.execute(text("SELECT pg_jit_available()")).scalar_one()
    if available:  # the same statement on the writer engine (the server's settings) is compiled: the test can see it
        assert _jit_functions(pg_engine) > 0
