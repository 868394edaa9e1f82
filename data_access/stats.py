"""What the database holds: rows per table and the figures of the source report (organisations, cells, members).

Units count when they are active on the given day (default today), so dissolved cells of the demo district do not
inflate the figures; the row counts per table count everything.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, func, or_, select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from data_access import models  # noqa: F401  (registers the tables on SQLModel.metadata)

ANCHOR_COMMUNE = "Lộc Sơn"  # the commune the report describes in detail

_tables = SQLModel.metadata.tables
_commune, _organisation, _cell, _meeting = (_tables[n] for n in ("commune", "organisation", "cell", "meeting"))


def _active(table: Table, day: dt.date) -> ColumnElement[bool]:
    return and_(table.c.active_from <= day, or_(table.c.active_to.is_(None), table.c.active_to >= day))


def database_stats(engine: Engine, *, today: dt.date | None = None) -> dict[str, Any]:
    """Row counts per table and the headline figures of the organisation tree, for units active on `today`.

    Keys: `today`, `tables` (table -> rows), `base_organisations`, `party_committees`, `base_party_cells`, `cells`,
    `subordinate_cells` (cells of party committees), `village_cells`, `members` (Σ Cell.members), `meetings`,
    `first_meeting`, `last_meeting`, and `anchor` ({commune, organisation, members, cells, meeting_days}, or None
    when the database has no Lộc Sơn commune committee).
    """
    today = today or dt.date.today()
    org, cell = _organisation, _cell
    stats: dict[str, Any] = {"today": today}
    with engine.connect() as conn:
        stats["tables"] = {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in sorted(_tables.items())
        }
        committee = org.c.kind == "party_committee"
        kinds = select(func.count().filter(committee), func.count().filter(org.c.kind == "party_cell"))
        organisations = conn.execute(kinds.where(_active(org, today))).one()
        stats["party_committees"], stats["base_party_cells"] = (int(n) for n in organisations)
        stats["base_organisations"] = stats["party_committees"] + stats["base_party_cells"]

        cells = conn.execute(
            select(
                func.count(),
                func.coalesce(func.sum(cell.c.members), 0),
                func.count().filter(committee),
                func.count().filter(and_(committee, cell.c.kind == "village")),
            )
            .select_from(cell.join(org, org.c.id == cell.c.organisation_id))
            .where(_active(cell, today), _active(org, today))
        ).one()
        stats["cells"], stats["members"], stats["subordinate_cells"], stats["village_cells"] = (int(v) for v in cells)

        meetings = conn.execute(select(func.count(), func.min(_meeting.c.date), func.max(_meeting.c.date))).one()
        stats["meetings"], stats["first_meeting"], stats["last_meeting"] = int(meetings[0]), meetings[1], meetings[2]

        # the anchor committee's active cells: of the first committee by name when the commune has two
        anchor_cells = conn.execute(
            select(org.c.name, cell.c.members, cell.c.meeting_day)
            .select_from(cell.join(org, org.c.id == cell.c.organisation_id))
            .join(_commune, _commune.c.id == org.c.commune_id)
            .where(_commune.c.name == ANCHOR_COMMUNE, committee, org.c.sector == "commune", _active(cell, today))
            .order_by(org.c.name)
        ).all()
        stats["anchor"] = None
        if anchor_cells:
            own = [row for row in anchor_cells if row.name == anchor_cells[0].name]
            stats["anchor"] = {
                "commune": ANCHOR_COMMUNE,
                "organisation": own[0].name,
                "cells": len(own),
                "members": sum(int(row.members) for row in own),
                "meeting_days": sorted({int(row.meeting_day) for row in own}),
            }
    return stats


def format_stats(stats: dict[str, Any], *, database: str = "") -> list[str]:
    """The figures as aligned lines for a terminal."""
    rows: list[tuple[str, str]] = []
    if database:
        rows.append(("Database", database))
    rows += [
        ("Active on", stats["today"].isoformat()),
        ("Base organisations", str(stats["base_organisations"])),
        ("  party committees", str(stats["party_committees"])),
        ("  base party cells", str(stats["base_party_cells"])),
        ("Cells", str(stats["cells"])),
        ("  subordinate cells", str(stats["subordinate_cells"])),
        ("  village/residential cells", str(stats["village_cells"])),
        ("Members", str(stats["members"])),
    ]
    anchor = stats["anchor"]
    if anchor:
        days = ", ".join(str(d) for d in anchor["meeting_days"]) or "-"
        summary = f"{anchor['members']} members in {anchor['cells']} cells, meeting day {days}"
        rows.append((f"{anchor['commune']} committee", summary))
    period = f" ({stats['first_meeting']} to {stats['last_meeting']})" if stats["meetings"] else ""
    rows.append(("Meetings", f"{stats['meetings']}{period}"))
    rows.append(("Rows per table", ""))
    rows += [(f"  {name}", str(count)) for name, count in stats["tables"].items()]
    width = max(len(label) for label, _ in rows) + 2
    return [f"{label:<{width}}{value}".rstrip() for label, value in rows]
