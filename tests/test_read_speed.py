"""The dashboard's PostgreSQL read engine: a read opens no transaction, so a connection going back to the pool has
nothing to roll back (a round trip per read less), and the engine still cannot write."""

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
