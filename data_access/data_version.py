"""The version of the data: what a cached result is keyed by, so it lives until the data changes, not for a time.

Every writer of the figures' data leaves an import batch (a meetings, units, inspections or ratings file, the demo
generation): `data_version` is the number of batches and the latest one's id, one indexed read of a small table.
An import made by another process (the command line, another server) changes it too.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from data_access.measures import table_of
from data_access.models import ImportBatch

_batch = table_of(ImportBatch)


def data_version(engine: Engine) -> str:
    """`"<batches>-<latest batch id>"` (`"0-0"` before the first import)."""
    batch_id = _batch.c.id
    with engine.connect() as conn:
        count, latest = conn.execute(select(func.count(batch_id), func.max(batch_id))).one()
    return f"{int(count)}-{int(latest or 0)}"
