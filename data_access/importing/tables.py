"""The SQLModel tables as SQLAlchemy Core tables, for bulk reads and writes."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.engine import CursorResult

from data_access.models import Cell, Commune, ImportBatch, Inspection, Meeting, Organisation, Rating, Topic

commune_t = cast(Table, Commune.__table__)  # type: ignore[attr-defined]
organisation_t = cast(Table, Organisation.__table__)  # type: ignore[attr-defined]
cell_t = cast(Table, Cell.__table__)  # type: ignore[attr-defined]
topic_t = cast(Table, Topic.__table__)  # type: ignore[attr-defined]
meeting_t = cast(Table, Meeting.__table__)  # type: ignore[attr-defined]
inspection_t = cast(Table, Inspection.__table__)  # type: ignore[attr-defined]
rating_t = cast(Table, Rating.__table__)  # type: ignore[attr-defined]
batch_t = cast(Table, ImportBatch.__table__)  # type: ignore[attr-defined]


def new_id(result: CursorResult[Any]) -> int:
    """The primary key of the row a single-row INSERT created."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
