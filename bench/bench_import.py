"""Benchmark of the import: a 100,000-row meetings file (and the units it needs) into a fresh database.

    python bench/bench_import.py [--rows 100000] [--repeat 3] [--no-postgres] [--xlsx]

Prints the median wall time of `validate`, of a first `import_file` (all rows new) and of a second one (all rows
unchanged), on SQLite and on PostgreSQL (DATABASE_URL when it points at PostgreSQL, else a throw-away server
started like tests/pgserver.py), and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access.db import make_engine
from data_access.importing import import_file, validate
from data_access.migrations import init_db

TODAY = dt.date(2025, 6, 30)
TOPICS = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Xây dựng nông thôn mới",
    "Chuyển đổi cơ cấu cây trồng, vật nuôi",
    "Làm đường giao thông nông thôn",
]


def make_files(rows: int) -> tuple[bytes, bytes]:
    """Units (organisations of 20 cells) and `rows` monthly meetings, ending in May 2025."""
    cells_per_org = 20
    months = 100
    n_cells = max(1, -(-rows // months))
    units = io.StringIO()
    units.write(
        "commune,organisation,organisation_kind,sector,cell,cell_kind,meeting_day,members,active_from,active_to\n"
    )
    names = []
    for i in range(n_cells):
        org = f"Đảng bộ xã Số {i // cells_per_org + 1}"
        cell = f"Chi bộ thôn {i % cells_per_org + 1}"
        names.append((org, cell))
        units.write(f"Xã Số {i // cells_per_org + 1},{org},party_committee,commune,{cell},village,3,30,2010-01-01,\n")
    meetings = io.StringIO()
    meetings.write(
        "organisation,cell,date,kind,topic,members_total,members_exempt,present,absent_excused,absent_unexcused,"
        "duration_min,superior_attended,quality\n"
    )
    written = 0
    start = 2025 * 12 + 4 - months  # the last month is May 2025
    for org, cell in names:
        for m in range(months):
            if written == rows:
                break
            year, month = divmod(start + m, 12)
            combined = month % 3 == 1
            kind, topic = ("combined", f'"{TOPICS[m % len(TOPICS)]}"') if combined else ("regular", "")
            present = 23 + (m + written) % 5
            meetings.write(
                f"{org},{cell},{year:04d}-{month + 1:02d}-03,{kind},{topic},30,2,{present},{27 - present},1,"
                f"90,{'yes' if m % 4 == 0 else 'no'},good\n"
            )
            written += 1
    return units.getvalue().encode("utf-8-sig"), meetings.getvalue().encode("utf-8-sig")


def to_xlsx(data: bytes) -> bytes:
    import csv

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("meetings")
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        sheet.append([int(v) if v.isdigit() else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


@contextmanager
def sqlite_databases() -> Iterator[Callable[[], Engine]]:
    with tempfile.TemporaryDirectory() as folder:
        counter = iter(range(1_000_000))

        def fresh() -> Engine:
            return make_engine(f"sqlite:///{folder}/bench{next(counter)}.sqlite3")

        yield fresh


@contextmanager
def postgres_databases() -> Iterator[Callable[[], Engine]]:
    url = os.environ.get("DATABASE_URL", "")
    server = None
    if not url.startswith("postgresql"):
        from tests.pgserver import destroy, start_server

        server = start_server()
        url = server.url
    counter = iter(range(1_000_000))
    admin = make_engine(url)

    def fresh() -> Engine:
        name = f"bench_import_{os.getpid()}_{next(counter)}"
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))  # name built from integers, not input
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        return make_engine(
            admin.url.set(database=name).render_as_string(hide_password=False), statement_timeout_ms=600_000
        )

    try:
        yield fresh
    finally:
        admin.dispose()
        if server is not None:
            destroy(server)


def bench(label: str, fresh: Callable[[], Engine], units: bytes, meetings: bytes, *, repeat: int, name: str) -> None:
    times: dict[str, list[float]] = {"validate": [], "import (all new)": [], "re-import (all unchanged)": []}
    for _ in range(repeat):
        engine = fresh()
        init_db(engine)
        assert import_file(engine, "units", units, file_name="units.csv", today=TODAY).written
        seconds, report = timed(partial(validate, engine, "meetings", meetings, file_name=name, today=TODAY))
        assert report.ok, report.problems[:3]  # type: ignore[attr-defined]
        times["validate"].append(seconds)
        seconds, report = timed(partial(import_file, engine, "meetings", meetings, file_name=name, today=TODAY))
        assert report.written, report.problems[:3]  # type: ignore[attr-defined]
        times["import (all new)"].append(seconds)
        seconds, report = timed(partial(import_file, engine, "meetings", meetings, file_name=name, today=TODAY))
        assert report.rows_unchanged == report.rows  # type: ignore[attr-defined]
        times["re-import (all unchanged)"].append(seconds)
        engine.dispose()
    for what, values in times.items():
        print(
            f"{label:<10} {what:<26} median {statistics.median(values):6.2f} s  (runs: {', '.join(f'{v:.2f}' for v in values)})"
        )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--xlsx", action="store_true", help="also time the same meetings as an XLSX file (SQLite)")
    args = parser.parse_args()
    units, meetings = make_files(args.rows)
    cells = units.count(b"\n") - 1
    print(f"meetings file: {args.rows:,} rows, {len(meetings) / 1e6:.1f} MB CSV; units: {cells:,} cells")
    print(f"peak RSS after building the files: {peak_rss_mb():.0f} MB")
    with sqlite_databases() as fresh:
        bench("SQLite", fresh, units, meetings, repeat=args.repeat, name="meetings.csv")
    print(f"peak RSS after SQLite: {peak_rss_mb():.0f} MB")
    if args.xlsx:
        workbook = to_xlsx(meetings)
        with sqlite_databases() as fresh:
            bench("SQLite/xlsx", fresh, units, workbook, repeat=1, name="meetings.xlsx")
        print(f"peak RSS after XLSX: {peak_rss_mb():.0f} MB")
    if not args.no_postgres:
        try:
            with postgres_databases() as fresh:
                bench("PostgreSQL", fresh, units, meetings, repeat=args.repeat, name="meetings.csv")
            print(f"peak RSS after PostgreSQL: {peak_rss_mb():.0f} MB")
        except Exception as exc:  # no server binaries here: say so and keep the SQLite figures
            print(f"PostgreSQL skipped: {exc}")


if __name__ == "__main__":
    main()
