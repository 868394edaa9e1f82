"""A stand-in for one dashboard process, for tests/test_postgres_concurrency.py.

`python -m tests.dashboard_reader STOP_FILE` reads the configured database (DATABASE_URL) through the dashboard's
read-only engine, over and over until STOP_FILE exists, and prints one JSON line per read: the number of meetings
(one query) and the participation table for the whole district (the metric function the pages call).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sqlalchemy import func, select

from data_access import metrics
from data_access.db import make_read_engine
from data_access.filters import EVERYTHING, Filters, Month
from data_access.models import Meeting

FILTERS = Filters(period_from=Month(2020, 1), period_to=Month(2024, 12), as_of=Month(2025, 6).last_day)


def main(stop_file: Path) -> None:
    engine = make_read_engine()
    while not stop_file.exists():
        with engine.connect() as conn:
            meetings = conn.execute(select(func.count()).select_from(Meeting)).scalar_one()
        table = metrics.compute("participation", engine, filters=FILTERS, scope=EVERYTHING, by="total")
        print(json.dumps({"meetings": meetings, "participation": table.to_dict("records")}, default=str), flush=True)
    engine.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
