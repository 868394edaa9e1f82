"""The demo district after the 2025 reform (`python -m data_access demo --after-reform`).

On 1 July 2025 Hậu Lộc's 22 communes became five: Đông Thành (Đồng Lộc, Thành Lộc, Cầu Lộc, Tuy Lộc), Hậu Lộc
(the township, Thuần Lộc, Mỹ Lộc, Lộc Sơn), Hoa Lộc (Xuân, Liên, Quang, Phú, Hòa, Hoa Lộc), Vạn Lộc (Minh, Hải,
Hưng, Ngư, Đa Lộc), Triệu Lộc (Đại, Tiến, Triệu Lộc). Applied to the written demo in the same transaction, before
the derived tables are filled:

- five new communes (`Xã …`, the district gone) succeed the old ones, which close on 30 June 2025;
- each old commune's party committee is dissolved and the new commune's committee takes its cells over: every
  open cell is succeeded by a cell of the new committee (renamed with its old commune when two would clash);
- the district's other organisations, all recorded in the township, are succeeded by organisations of the new
  Hậu Lộc commune (`huyện Hậu Lộc` becomes `khu vực Hậu Lộc`), with their cells;
- meetings, inspections and classifications from 1 July 2025 continue under the new units.

The records before the merger keep their units, so "as recorded" shows the old communes up to June 2025 and "as
today" one line per new commune (`data_access.lineage`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from data_access.errors import UserError
from data_access.filters import Month
from data_access.models import Cell, Commune, Inspection, Meeting, Organisation, Rating, Reporting

REFORM_DAY = dt.date(2025, 7, 1)
LAST_DAY_BEFORE = REFORM_DAY - dt.timedelta(days=1)
MERGER: dict[str, tuple[str, ...]] = {
    "Đông Thành": ("Đồng Lộc", "Thành Lộc", "Cầu Lộc", "Tuy Lộc"),
    "Hậu Lộc": ("Thị trấn Hậu Lộc", "Thuần Lộc", "Mỹ Lộc", "Lộc Sơn"),
    "Hoa Lộc": ("Xuân Lộc", "Liên Lộc", "Quang Lộc", "Phú Lộc", "Hòa Lộc", "Hoa Lộc"),
    "Vạn Lộc": ("Minh Lộc", "Hải Lộc", "Hưng Lộc", "Ngư Lộc", "Đa Lộc"),
    "Triệu Lộc": ("Đại Lộc", "Tiến Lộc", "Triệu Lộc"),
}
"""New commune -> the communes merged into it (the demo's names, `demo.HAU_LOC_COMMUNES`)."""
NEW_PREFIX = "Xã "
SEAT = "Hậu Lộc"  # the new commune that takes over the district's own organisations
PROVINCE = "Thanh Hóa"

commune_t = Commune.__table__  # type: ignore[attr-defined]
organisation_t = Organisation.__table__  # type: ignore[attr-defined]
cell_t = Cell.__table__  # type: ignore[attr-defined]
meeting_t = Meeting.__table__  # type: ignore[attr-defined]
inspection_t = Inspection.__table__  # type: ignore[attr-defined]
rating_t = Rating.__table__  # type: ignore[attr-defined]
reporting_t = Reporting.__table__  # type: ignore[attr-defined]


def new_commune_name(name: str) -> str:
    return NEW_PREFIX + name


def apply_reform(conn: Connection, *, as_of: dt.date) -> dict[str, int]:
    """Merge the demo's Hậu Lộc communes as the reform did, in `conn`'s transaction; return the rows added per
    table. The as-of date must lie after the reform day (else there is nothing after it to regroup)."""
    if as_of <= REFORM_DAY:
        raise UserError(f"--after-reform needs an as-of date after {REFORM_DAY.isoformat()}, got {as_of.isoformat()}")
    communes = {r.name: r for r in conn.execute(select(commune_t.c.id, commune_t.c.name, commune_t.c.code))}
    missing = sorted({old for olds in MERGER.values() for old in olds} - set(communes))
    if missing:
        raise UserError(f"the demo district lacks the communes the reform merges: {', '.join(missing)}")
    added = {"commune": 0, "organisation": 0, "cell": 0}
    new_of: dict[int, int] = {}  # old commune id -> new commune id
    for new, olds in MERGER.items():
        result = conn.execute(
            insert(commune_t).returning(commune_t.c.id),
            {
                "name": new_commune_name(new),
                "code": f"TH-{communes[olds[0]].code.split('-', 1)[-1]}-2025"[:40],
                "district": None,
                "province": PROVINCE,
                "active_from": REFORM_DAY,
            },
        )
        new_id = int(result.scalar_one())
        added["commune"] += 1
        for old in olds:
            new_of[int(communes[old].id)] = new_id
            conn.execute(
                update(commune_t)
                .where(commune_t.c.id == communes[old].id)
                .values(merged_into_id=new_id, merged_on=REFORM_DAY, active_to=LAST_DAY_BEFORE)
            )
    org_of = _succeed_organisations(conn, new_of, added)
    cell_of = _succeed_cells(conn, org_of, new_of, added)
    _carry_records(conn, org_of, cell_of)
    _carry_reporting(conn, new_of)
    return added


def _successor_org_name(name: str, taken: set[str]) -> str:
    renamed = name.replace("huyện Hậu Lộc", "khu vực Hậu Lộc")
    if renamed == name:
        renamed = f"{name} (xã {SEAT})"
    while renamed in taken:
        renamed += " mới"
    return renamed


def _succeed_organisations(conn: Connection, new_of: dict[int, int], added: dict[str, int]) -> dict[int, int]:
    """Close every open organisation of the old communes on the last day before the reform and give it its
    successor: the new commune's committee for a commune's own committee, a renamed one for the others."""
    o = organisation_t.c
    rows = conn.execute(
        select(o.id, o.name, o.kind, o.sector, o.commune_id, o.active_from, o.active_to).where(
            o.commune_id.in_(sorted(new_of))
        )
    ).all()
    taken = {str(n) for (n,) in conn.execute(select(o.name))}
    new_names = {r.name for r in conn.execute(select(commune_t.c.id, commune_t.c.name))}
    committees: dict[int, int] = {}  # new commune id -> its committee
    org_of: dict[int, int] = {}
    old_committee_names = {_committee_name(str(c.name)) for c in _old_communes(conn, new_of)}
    for row in rows:
        if row.active_to is not None and row.active_to < REFORM_DAY:
            continue  # dissolved before the reform: nothing to take over
        new_commune = new_of[int(row.commune_id)]
        if row.sector == "commune" and row.kind == "party_committee" and row.name in old_committee_names:
            if new_commune not in committees:
                commune_name = _name_of(conn, new_commune)
                name = f"Đảng bộ xã {commune_name.removeprefix(NEW_PREFIX)}"
                if name in taken:
                    name += " (mới)"
                committees[new_commune] = _insert_org(conn, name, "party_committee", "commune", new_commune)
                taken.add(name)
                added["organisation"] += 1
            successor = committees[new_commune]
        else:
            name = _successor_org_name(str(row.name), taken | new_names)
            successor = _insert_org(conn, name, row.kind, row.sector, new_commune, max(row.active_from, REFORM_DAY))
            taken.add(name)
            added["organisation"] += 1
        org_of[int(row.id)] = successor
        conn.execute(
            update(organisation_t)
            .where(o.id == row.id)
            .values(active_to=LAST_DAY_BEFORE, merged_into_id=successor, merged_on=REFORM_DAY)
        )
    return org_of


def _old_communes(conn: Connection, new_of: dict[int, int]) -> list[Any]:
    return list(conn.execute(select(commune_t.c.id, commune_t.c.name).where(commune_t.c.id.in_(sorted(new_of)))))


def _committee_name(commune: str) -> str:
    """The demo's name of a commune's own committee (`demo._build_district`)."""
    if commune.startswith(("Thị trấn", "Phường")):
        return f"Đảng bộ {commune[0].lower() + commune[1:]}"
    return f"Đảng bộ xã {commune}"


def _name_of(conn: Connection, commune_id: int) -> str:
    return str(conn.execute(select(commune_t.c.name).where(commune_t.c.id == commune_id)).scalar_one())


def _insert_org(
    conn: Connection, name: str, kind: str, sector: str, commune_id: int, active_from: dt.date = REFORM_DAY
) -> int:
    result = conn.execute(
        insert(organisation_t).returning(organisation_t.c.id),
        {"name": name, "kind": kind, "sector": sector, "commune_id": commune_id, "active_from": active_from},
    )
    return int(result.scalar_one())


def _succeed_cells(
    conn: Connection, org_of: dict[int, int], new_of: dict[int, int], added: dict[str, int]
) -> dict[int, int]:
    """Give every cell of a succeeded organisation open on the reform day its successor in the successor
    organisation (a base party cell keeps the organisation's new name); a cell founded after the day moves."""
    c = cell_t.c
    o = organisation_t.c
    rows = conn.execute(
        select(
            c.id,
            c.name,
            c.organisation_id,
            c.kind,
            c.meeting_day,
            c.members,
            c.active_from,
            c.active_to,
            o.name.label("organisation"),
            o.kind.label("organisation_kind"),
            o.commune_id,
        )
        .join(organisation_t, o.id == c.organisation_id)
        .where(c.organisation_id.in_(sorted(org_of)))
        .order_by(o.name, c.name)
    ).all()
    commune_names = {int(r.id): str(r.name) for r in _old_communes(conn, new_of)}
    taken: dict[int, set[str]] = defaultdict(set)
    new_names = {int(i): str(n) for i, n in conn.execute(select(o.id, o.name).where(o.id.in_(set(org_of.values()))))}
    cell_of: dict[int, int] = {}
    for row in rows:
        if row.active_to is not None and row.active_to < REFORM_DAY:
            continue
        successor_org = org_of[int(row.organisation_id)]
        name = new_names[successor_org] if row.organisation_kind == "party_cell" else str(row.name)
        if name in taken[successor_org]:
            name = f"{name} ({commune_names[int(row.commune_id)]})"
        taken[successor_org].add(name)
        if row.active_from >= REFORM_DAY:  # founded after the reform: it simply belongs to the new organisation
            conn.execute(update(cell_t).where(c.id == row.id).values(organisation_id=successor_org, name=name))
            cell_of[int(row.id)] = int(row.id)  # its records follow it as they are
            continue
        result = conn.execute(
            insert(cell_t).returning(c.id),
            {
                "name": name,
                "organisation_id": successor_org,
                "kind": row.kind,
                "meeting_day": row.meeting_day,
                "members": row.members,
                "active_from": REFORM_DAY,
                "active_to": row.active_to,
            },
        )
        new_cell = int(result.scalar_one())
        added["cell"] += 1
        cell_of[int(row.id)] = new_cell
        conn.execute(
            update(cell_t)
            .where(c.id == row.id)
            .values(active_to=LAST_DAY_BEFORE, merged_into_id=new_cell, merged_on=REFORM_DAY)
        )
    return cell_of


def _carry_records(conn: Connection, org_of: dict[int, int], cell_of: dict[int, int]) -> None:
    """Meetings from the reform day on go to the successor cells; inspections started from it and classifications
    of its year on go to the successors too (where several old units' records would become one unit's twice, the
    first is kept)."""
    m = meeting_t.c
    for old, new in cell_of.items():
        conn.execute(update(meeting_t).where(m.cell_id == old, m.date >= REFORM_DAY).values(cell_id=new))
    i = inspection_t.c
    seen: set[tuple[Any, ...]] = set()
    for found in conn.execute(
        select(i.id, i.organisation_id, i.cell_id, i.body, i.kind, i.started_on)
        .where(i.organisation_id.in_(sorted(org_of)), i.started_on >= REFORM_DAY)
        .order_by(i.id)
    ).all():
        org = org_of[int(found.organisation_id)]
        cell = cell_of.get(int(found.cell_id)) if found.cell_id is not None else None
        key = (org, cell, found.body, found.kind, found.started_on)
        if key in seen:
            conn.execute(delete(inspection_t).where(i.id == found.id))
            continue
        seen.add(key)
        conn.execute(update(inspection_t).where(i.id == found.id).values(organisation_id=org, cell_id=cell))
    r = rating_t.c
    kept: set[tuple[Any, ...]] = set()
    for row in conn.execute(
        select(r.id, r.organisation_id, r.cell_id, r.year, r.scheme)
        .where(r.organisation_id.in_(sorted(org_of)), r.year >= REFORM_DAY.year)
        .order_by(r.id)
    ).all():
        org = org_of[int(row.organisation_id)]
        cell = cell_of.get(int(row.cell_id)) if row.cell_id is not None else None
        rating_key = (row.year, org, cell, row.scheme)
        if rating_key in kept or (row.cell_id is not None and cell is None):
            conn.execute(delete(rating_t).where(r.id == row.id))
            continue
        kept.add(rating_key)
        conn.execute(update(rating_t).where(r.id == row.id).values(organisation_id=org, cell_id=cell))


def _carry_reporting(conn: Connection, new_of: dict[int, int]) -> None:
    """From the reform month on, the old communes' data arrives as the new commune's (its cells are the new
    commune's now): one reporting row per batch, new commune and month, counting the old ones' meetings and cells,
    received when the last of them was (the new commune's file is complete then)."""
    r = reporting_t.c
    first = Month.of(REFORM_DAY).index
    found = conn.execute(
        select(r.id, r.import_batch_id, r.commune_id, r.month, r.received_at, r.file_name, r.meetings, r.cells)
        .where(r.commune_id.in_(sorted(new_of)), r.month >= first)
        .order_by(r.id)
    ).all()
    merged: dict[tuple[int, int, int], dict[str, Any]] = {}
    for row in found:
        key = (int(row.import_batch_id), new_of[int(row.commune_id)], int(row.month))
        into = merged.setdefault(
            key,
            {
                "import_batch_id": key[0],
                "commune_id": key[1],
                "month": key[2],
                "received_at": row.received_at,
                "file_name": row.file_name,
                "meetings": 0,
                "cells": 0,
                "nothing_to_report": False,
            },
        )
        into["meetings"] += int(row.meetings)
        into["cells"] += int(row.cells)
        if row.received_at is not None and (into["received_at"] is None or row.received_at > into["received_at"]):
            into["received_at"], into["file_name"] = row.received_at, row.file_name
    if found:
        conn.execute(delete(reporting_t).where(r.id.in_([row.id for row in found])))
        conn.execute(insert(reporting_t), list(merged.values()))
