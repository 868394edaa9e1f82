"""What the database holds: rows per table and the figures of the source report (organisations, cells, members).

Units count when they are active on the given day (default today), so dissolved cells of the demo district do not
inflate the figures; the row counts per table count everything.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from data_access.models import Cell, Commune, Meeting, Organisation

ANCHOR_COMMUNE = "Lộc Sơn"  # the commune the report describes in detail


def _active(model: Any, day: dt.date) -> ColumnElement[bool]:
    return and_(model.active_from <= day, or_(model.active_to.is_(None), model.active_to >= day))


def database_stats(engine: Engine, *, today: dt.date | None = None) -> dict[str, Any]:
    """Row counts per table and the headline figures of the organisation tree, for units active on `today`.

    Keys: `tables` (table -> rows), `base_organisations`, `party_committees`, `base_party_cells`, `cells`,
    `subordinate_cells` (cells of party committees), `village_cells`, `members` (Σ Cell.members), `meetings`,
    `first_meeting`, `last_meeting`, and `anchor` ({commune, organisation, members, cells, meeting_days}, or None
    when the database has no Lộc Sơn committee).
    """
    today = today or dt.date.today()
    stats: dict[str, Any] = {"today": today}
    with engine.connect() as conn:
        stats["tables"] = {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in sorted(SQLModel.metadata.tables.items())
        }
        org_counts = dict(
            conn.execute(
                select(Organisation.kind, func.count()).where(_active(Organisation, today)).group_by(Organisation.kind)  # type: ignore[arg-type]
            ).all()
        )
        stats["party_committees"] = int(org_counts.get("party_committee", 0))
        stats["base_party_cells"] = int(org_counts.get("party_cell", 0))
        stats["base_organisations"] = stats["party_committees"] + stats["base_party_cells"]

        committee = Organisation.kind == "party_committee"
        village = Cell.kind == "village"
        cells = conn.execute(
            select(
                func.count(),
                func.coalesce(func.sum(Cell.members), 0),
                func.count().filter(committee),
                func.count().filter(and_(committee, village)),
            )
            .select_from(Cell)
            .join(Organisation, Organisation.id == Cell.organisation_id)  # type: ignore[arg-type]
            .where(_active(Cell, today), _active(Organisation, today))
        ).one()
        stats["cells"], stats["members"], stats["subordinate_cells"], stats["village_cells"] = (int(v) for v in cells)

        meetings = conn.execute(select(func.count(), func.min(Meeting.date), func.max(Meeting.date))).one()
        stats["meetings"], stats["first_meeting"], stats["last_meeting"] = int(meetings[0]), meetings[1], meetings[2]

        anchor = conn.execute(
            select(
                Organisation.name,
                func.count(Cell.id),  # type: ignore[arg-type]
                func.coalesce(func.sum(Cell.members), 0),
            )
            .select_from(Organisation)
            .join(Commune, Commune.id == Organisation.commune_id)  # type: ignore[arg-type]
            .join(Cell, and_(Cell.organisation_id == Organisation.id, _active(Cell, today)))  # type: ignore[arg-type]
            .where(Commune.name == ANCHOR_COMMUNE, committee, Organisation.sector == "commune")
            .group_by(Organisation.name)
        ).first()
        stats["anchor"] = None
        if anchor is not None:
            days = conn.execute(
                select(Cell.meeting_day)
                .distinct()
                .join(Organisation, Organisation.id == Cell.organisation_id)  # type: ignore[arg-type]
                .where(Organisation.name == anchor[0], _active(Cell, today))
                .order_by(Cell.meeting_day)
            ).scalars()
            stats["anchor"] = {
                "commune": ANCHOR_COMMUNE,
                "organisation": anchor[0],
                "cells": int(anchor[1]),
                "members": int(anchor[2]),
                "meeting_days": [int(d) for d in days],
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
        rows.append(
            (
                f"{anchor['commune']} committee",
                f"{anchor['members']} members in {anchor['cells']} cells, meeting day {days}",
            )
        )
    period = f" ({stats['first_meeting']} to {stats['last_meeting']})" if stats["meetings"] else ""
    rows.append(("Meetings", f"{stats['meetings']}{period}"))
    rows.append(("Rows per table", ""))
    rows += [(f"  {name}", str(count)) for name, count in stats["tables"].items()]
    width = max(len(label) for label, _ in rows) + 2
    return [f"{label:<{width}}{value}".rstrip() for label, value in rows]
