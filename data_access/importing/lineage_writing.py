"""Writing the lineage columns of a units file: each commune's, organisation's and cell's successor and day.

Run after the units of the file are written, so a successor may be a row of the same file. A level whose two
columns are both absent keeps what is stored; a blank pair in a file that has them erases a stored successor
(with consent, like any other blank). Communes and organisations span several rows: they must agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select, update

from data_access.importing.report import Problem
from data_access.importing.tables import cell_t, commune_t, organisation_t
from data_access.importing.vocab import LINEAGE_LEVELS, name_key
from data_access.importing.writing import Writer

_TABLES: dict[str, Table] = {"commune": commune_t, "organisation": organisation_t, "cell": cell_t}


@dataclass
class _Wanted:
    """What the file says of one unit: its successor (name, id) and day, and the first row that said it."""

    unit_id: int
    unit: str
    successor: str | None
    successor_id: int | None
    merged_on: dt.date | None
    row: int


def write_lineage(writer: Writer, records_of_file: list[dict[str, Any]]) -> set[int]:
    """Write the successors the file's checked records give; return the rows whose unit's lineage changed."""
    changed_rows: set[int] = set()
    for level in LINEAGE_LEVELS:
        records = [r for r in records_of_file if r.get(f"{level}_lineage_given")]
        if records:
            changed_rows |= _write_level(writer, level, records)
    return changed_rows


def _unit_of(writer: Writer, level: str, record: dict[str, Any]) -> tuple[Any, int, str] | None:
    """The key, id and name of the unit of `level` a row stands for."""
    units = writer.units
    if level == "commune":
        found = units.communes.get(name_key(record["commune"]))
        return None if found is None else (name_key(record["commune"]), found[0], found[1])
    org = units.organisations.get(name_key(record["organisation"]))
    if org is None:
        return None
    if level == "organisation":
        return org.id, org.id, org.name
    cell = units.cells.get((org.id, name_key(record["cell"])))
    return None if cell is None else (cell.id, cell.id, cell.name)


def _successor_id(writer: Writer, level: str, record: dict[str, Any]) -> int | None:
    """The id of the successor a row names at `level` (None when unknown)."""
    name = record[f"{level}_merged_into"]
    units = writer.units
    if level == "commune":
        found = units.communes.get(name_key(name))
        return None if found is None else found[0]
    if level == "organisation":
        org = units.organisations.get(name_key(name))
        return None if org is None else org.id
    for org_name in (record["organisation_merged_into"], record["organisation"]):
        org = units.organisations.get(name_key(org_name)) if org_name else None
        cell = None if org is None else units.cells.get((org.id, name_key(name)))
        if cell is not None:
            return cell.id
    return None


def _problem(writer: Writer, code: str, record: dict[str, Any], column: str, **params: Any) -> None:
    writer.report.add(
        Problem(code, record["_row"], column, writer.headers.get(column), str(record.get(column) or ""), params)
    )


def _write_level(writer: Writer, level: str, records: list[dict[str, Any]]) -> set[int]:
    into, on = f"{level}_merged_into", f"{level}_merged_on"
    wanted: dict[Any, _Wanted] = {}
    rows_of: dict[int, list[int]] = {}
    for record in records:
        unit = _unit_of(writer, level, record)
        if unit is None:  # the row itself failed; its problem is reported
            continue
        key, unit_id, unit_name = unit
        rows_of.setdefault(unit_id, []).append(record["_row"])
        successor = record[into]
        successor_id = None
        if successor is not None:
            successor_id = _successor_id(writer, level, record)
            if successor_id is None:
                _problem(writer, "unknown_successor", record, into, suggestion="")
                continue
            if successor_id == unit_id:
                _problem(writer, "lineage_self", record, into)
                continue
        first = wanted.get(key)
        if first is None:
            wanted[key] = _Wanted(unit_id, unit_name, successor, successor_id, record[on], record["_row"])
        elif (first.successor_id, first.merged_on) != (successor_id, record[on]):
            _problem(
                writer,
                "inconsistent_lineage",
                record,
                into,
                unit=unit_name,
                first=first.successor or "",
                first_row=first.row,
            )
    if not wanted:
        return set()
    table = _TABLES[level]
    c = table.c
    stored = {
        int(r.id): (r.merged_into_id, r.merged_on)
        for r in writer.conn.execute(select(c.id, c.merged_into_id, c.merged_on))
    }
    after = {unit_id: s for unit_id, (s, _) in stored.items() if s is not None}
    for w in wanted.values():
        if w.successor_id is None:
            after.pop(w.unit_id, None)
        else:
            after[w.unit_id] = w.successor_id
    changed_rows: set[int] = set()
    for w in wanted.values():
        if w.successor_id is not None and _cycle_members(after, w.unit_id):
            writer.report.add(
                Problem("lineage_cycle", w.row, into, writer.headers.get(into), w.successor or "", {"unit": w.unit})
            )
            continue
        old_id, old_on = stored.get(w.unit_id, (None, None))
        if (old_id, old_on) == (w.successor_id, w.merged_on):
            continue
        if w.successor_id is None and old_id is not None:
            writer.cleared(w.row, into, _name(writer, table, old_id))
        else:
            writer.changed(into)
            if old_on != w.merged_on:
                writer.changed(on)
        writer.conn.execute(
            update(table).where(c.id == w.unit_id).values(merged_into_id=w.successor_id, merged_on=w.merged_on)
        )
        changed_rows.update(rows_of.get(w.unit_id, [w.row]))
    return changed_rows


def _cycle_members(after: dict[int, int], start: int) -> set[int]:
    """The units on a cycle reached from `start` following `after` (empty when the chain ends)."""
    path: list[int] = []
    seen: set[int] = set()
    unit = start
    while unit in after and unit not in seen:
        seen.add(unit)
        path.append(unit)
        unit = after[unit]
    return set(path[path.index(unit) :]) if unit in seen else set()


def _name(writer: Writer, table: Table, unit_id: int) -> str:
    row = writer.conn.execute(select(table.c.name).where(table.c.id == unit_id)).first()
    return str(row[0]) if row else str(unit_id)
