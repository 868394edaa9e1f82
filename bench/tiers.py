"""Demo databases for the benchmarks, built once and kept under bench/.cache (gitignored).

SQLite: one file per scale. PostgreSQL: one server whose data folder lives in bench/.cache/pg (started on demand,
fsync off like the tests' throw-away server), one database per scale. A database is reused when its marker row
(the demo import batch for the same scale, seed and as-of date) is there; schema upgrades run on every open
(`init_db`), and the aggregates are rebuilt when the aggregate table is empty but meetings exist.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import time
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from data_access.db import make_engine
from data_access.demo import DEFAULT_SEED, generate_demo
from data_access.migrations import init_db
from data_access.models import ImportBatch
from tests.pgserver import PostgresServer, _pg_bin

AS_OF = dt.date(2025, 6, 15)
CACHE = Path(__file__).resolve().parent / ".cache"


def _marker(scale: str) -> str:
    return f"demo:{scale}:seed={DEFAULT_SEED}:as_of={AS_OF.isoformat()}"


def _has_demo(engine: Engine, scale: str) -> bool:
    try:
        with engine.connect() as conn:
            found = conn.execute(
                select(func.count()).select_from(ImportBatch).where(ImportBatch.file_name == _marker(scale))
            ).scalar_one()
    except Exception:  # no schema yet
        return False
    return bool(found)


def _fill(engine: Engine, scale: str, log: list[str]) -> None:
    init_db(engine)
    if not _has_demo(engine, scale):
        started = time.perf_counter()
        generate_demo(engine, as_of=AS_OF, scale=scale, replace=True)
        log.append(f"built {scale} on {engine.dialect.name} in {time.perf_counter() - started:.0f} s")
    _ensure_aggregates(engine, log)


def _ensure_aggregates(engine: Engine, log: list[str]) -> None:
    try:
        from data_access import aggregates
    except ImportError:  # before the aggregate tables existed
        return
    if aggregates.needs_rebuild(engine):
        started = time.perf_counter()
        aggregates.rebuild(engine)
        log.append(f"rebuilt aggregates on {engine.dialect.name} in {time.perf_counter() - started:.1f} s")


def sqlite_tier(scale: str, log: list[str]) -> Engine:
    CACHE.mkdir(exist_ok=True)
    engine = make_engine(f"sqlite:///{CACHE / f'{scale}.sqlite3'}", statement_timeout_ms=600_000)
    _fill(engine, scale, log)
    return engine


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_cached_server() -> PostgresServer:
    """The benchmark's PostgreSQL server over bench/.cache/pg (created on first use); stop it with `.stop()`."""
    CACHE.mkdir(exist_ok=True)
    data_dir = CACHE / "pg"
    server = PostgresServer(bin_dir=_pg_bin(), data_dir=str(data_dir), port=_free_port())
    if not (data_dir / "PG_VERSION").exists():
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(CACHE, user="postgres")
            shutil.chown(data_dir, user="postgres")
        server._run("initdb", "-D", str(data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
    server.start()
    return server


def postgres_tier(server: PostgresServer, scale: str, log: list[str]) -> Engine:
    name = f"bench_{scale}"
    admin = make_engine(server.url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))  # fixed name from the scale choices, not input
    admin.dispose()
    engine = make_engine(server.url_for(name), statement_timeout_ms=0)
    _fill(engine, scale, log)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # as autovacuum leaves a running server's tables: the visibility map set, so an index-only scan reads no
        # heap (the province's five-year grid looks up reporting so: 1,255 ms unvacuumed, its rows deleted and put
        # back once; 383 ms after VACUUM ANALYZE)
        conn.execute(text("VACUUM ANALYZE"))
    return engine


def reader(engine: Engine) -> Engine:
    """An engine on the tier's database made as the dashboard's (`data_access.db.make_read_engine`: read-only,
    pooled as the dashboard pools), without its time limit: what the pages' data is read through."""
    return make_engine(engine.url, statement_timeout_ms=0, read_only=True)
