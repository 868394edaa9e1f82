"""How long the demo generator takes, on SQLite and PostgreSQL: medians over a few runs into fresh databases.

    python -m bench.demo_generation [--scale district] [--runs 3] [--postgres-url URL]

Without --postgres-url a throw-away PostgreSQL server is started (fsync off, as in the tests), so the PostgreSQL
figure is the generator's and the driver's cost, not the disk's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access.db import make_engine
from data_access.demo import SCALES, generate_demo
from data_access.migrations import init_db
from tests.pgserver import destroy, start_server

AS_OF = dt.date(2025, 6, 15)


def _time_once(engine: Engine, *, scale: str) -> tuple[float, dict[str, int]]:
    init_db(engine)
    started = time.perf_counter()
    written = generate_demo(engine, as_of=AS_OF, scale=scale)
    return time.perf_counter() - started, written


def _sqlite_runs(*, scale: str, runs: int) -> tuple[list[float], dict[str, int]]:
    times: list[float] = []
    written: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        for n in range(runs):
            engine = make_engine(f"sqlite:///{Path(folder) / f'demo{n}.sqlite3'}")
            seconds, written = _time_once(engine, scale=scale)
            times.append(seconds)
            engine.dispose()
    return times, written


def _postgres_runs(*, scale: str, runs: int, url: str) -> tuple[list[float], dict[str, int]]:
    times: list[float] = []
    written: dict[str, int] = {}
    admin = make_engine(url, statement_timeout_ms=0)
    for n in range(runs):
        name = f"bench_demo_{n}"
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))  # fixed names, not input
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine = make_engine(url.rsplit("/", 1)[0] + f"/{name}", statement_timeout_ms=0)
        seconds, written = _time_once(engine, scale=scale)
        times.append(seconds)
        engine.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE "{name}"'))
    admin.dispose()
    return times, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="district")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres-url", default=None, help="server URL ending in a database name (e.g. /postgres)")
    args = parser.parse_args()

    print(f"demo {args.scale}, as of {AS_OF}")
    if args.scale == "national":
        print("SQLite      skipped: the national demo is for PostgreSQL")
    else:
        sqlite_times, written = _sqlite_runs(scale=args.scale, runs=args.runs)
        rows = ", ".join(f"{table} {count}" for table, count in written.items())
        print(f"rows        {sum(written.values())} ({rows})")
        print(
            f"SQLite      median {statistics.median(sqlite_times):6.2f} s  runs {[round(t, 2) for t in sqlite_times]}"
        )

    server = None if args.postgres_url else start_server()
    try:
        url = args.postgres_url or (server.url if server else "")
        pg_times, written = _postgres_runs(scale=args.scale, runs=args.runs, url=url)
    finally:
        if server:
            destroy(server)
    if args.scale == "national":
        rows = ", ".join(f"{table} {count}" for table, count in written.items())
        print(f"rows        {sum(written.values())} ({rows})")
    print(f"PostgreSQL  median {statistics.median(pg_times):6.2f} s  runs {[round(t, 2) for t in pg_times]}")


if __name__ == "__main__":
    main()
