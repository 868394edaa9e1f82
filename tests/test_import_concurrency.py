"""A reader during an import sees the database before or after it, never half of it (SQLite in WAL mode)."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import func, select

from data_access.db import make_engine
from data_access.importing import import_file
from data_access.models import Meeting
from tests.import_factories import MEETING, TODAY, csv_bytes, seed_units


def _many_meetings(n_days: int) -> bytes:
    header = list(MEETING)
    start = dt.date(2020, 1, 1)
    rows = [
        list({**MEETING, "date": (start + dt.timedelta(days=d)).isoformat(), "kind": kind}.values())
        for d in range(n_days)
        for kind in ("regular", "combined")
    ]
    return csv_bytes(header, rows)


def test_reader_sees_before_or_after_never_half(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'wal.sqlite3'}"
    writer_engine = make_engine(url)
    from data_access.migrations import init_db

    init_db(writer_engine)
    seed_units(writer_engine)
    data = _many_meetings(1500)  # 3,000 rows: two chunks, so a non-atomic write would show 2,000
    reader_engine = make_engine(url)
    seen: list[int] = []
    done = threading.Event()

    def read() -> None:
        with reader_engine.connect() as conn:
            while not done.is_set():
                seen.append(conn.execute(select(func.count()).select_from(Meeting.__table__)).scalar_one())
                conn.rollback()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        report = import_file(writer_engine, "meetings", data, file_name="many.csv", today=TODAY)
    finally:
        done.set()
        reader.join()
    seen.append(select_count(reader_engine))
    with writer_engine.connect() as conn:
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar_one()
    writer_engine.dispose()
    reader_engine.dispose()
    assert (mode, report.rows_new) == ("wal", 3000)
    assert set(seen) <= {0, 3000} and seen[-1] == 3000 and len(seen) > 1


def select_count(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Meeting.__table__)).scalar_one())
