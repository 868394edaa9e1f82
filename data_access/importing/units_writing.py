"""Writing a units file: communes, organisations and cells, with moves, renames and missing cells reported."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from sqlalchemy import func, insert, select, update

from data_access import aggregates
from data_access.importing.checking import CellRow, OrgRow
from data_access.importing.lineage_writing import write_lineage
from data_access.importing.report import Problem
from data_access.importing.tables import cell_t, commune_t, meeting_t, new_id, organisation_t
from data_access.importing.vocab import fold, name_key
from data_access.importing.writing import DEFAULT_ACTIVE_FROM, Writer


class UnitsWriter(Writer):
    """Communes, organisations and cells. A units file is small (one row per cell), so it is written at the end,
    when every cell of an organisation is known: an organisation is active from its first cell's start to its
    last cell's end (open while any cell is).

    A row with `replaces` renames a cell: the old cell is closed the day before the new name starts (its meetings
    stay its history, and it is no longer due), and the new cell continues it with the old one's kind, meeting day
    and members unless the row gives them. Metrics count each month once: under the old name before the rename,
    under the new one from it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.records: list[dict[str, Any]] = []
        self.touched_communes: set[int] = set()  # communes whose commune_month rows the file may move
        self.cells_of: dict[int, list[CellRow]] = defaultdict(list)  # organisation id -> its cells, before writing
        self.replaced: set[tuple[int, str]] = set()  # cells a row of the file renames

    def add(self, records: list[dict[str, Any]]) -> None:
        self.records.extend(records)

    def finish(self) -> None:
        # the cells of each organisation as they stand (looked up once: a province has 9,000 cells, 1,400
        # organisations); an organisation's cells change only after `_organisation` has read them
        for cell in self.units.cells.values():
            self.cells_of[cell.organisation_id].append(cell)
        by_org: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in self.records:
            by_org[name_key(record["organisation"])].append(record)
        for key, records in by_org.items():
            self._missing_cells(key, records)
        communes = {name_key(r["commune"]): self._commune_id(r["commune"]) for r in self.records}
        self._places(communes)
        statuses: list[tuple[dict[str, Any], str, bool]] = []
        for key, records in by_org.items():
            org_changed = self._organisation(key, records, communes)
            for record in records:
                status = self._cell(record)
                if record["replaces"] is not None and self._close_renamed(record):
                    status = "updated" if status == "unchanged" else status
                statuses.append((record, status, org_changed))
                if status != "unchanged":  # a cell's meeting day or due months moved: its commune's sums follow
                    self.touched_communes.add(self.units.organisations[key].commune_id)
        # successors last: they may be rows of this file (the stored sums keep the commune of the time, so the
        # lineage moves none of them)
        lineage_changed = write_lineage(self, self.records)
        for record, status, org_changed in statuses:
            if status == "new":
                self.new += 1
            elif status == "updated" or org_changed or record["_row"] in lineage_changed:
                self.updated += 1
            else:
                self.unchanged += 1
        # Only the commune tables depend on the units (cell_month and its kin come from the meetings alone), and
        # only through each cell's commune, organisation kind, meeting day and due months: the communes of the
        # cells and organisations written here are all that can move. A commune's district and province are not
        # stored there (the views join them), so `_places` moves nothing.
        if self.touched_communes and self.report.ok:
            aggregates.refresh(self.conn, communes=self.touched_communes)

    def _missing_cells(self, key: str, records: list[dict[str, Any]]) -> None:
        """An organisation the file lists with at least one of its stored cells is taken as listed in full: an
        open cell it leaves out is reported, and a new cell beside it may be that cell renamed."""
        org = self.units.organisations.get(key)
        if org is None:
            return
        stored = {name_key(c.name): c for c in self.cells_of.get(org.id, ())}
        listed = {name_key(r["cell"]) for r in records} | {name_key(r["replaces"]) for r in records if r["replaces"]}
        for r in records:
            if r["replaces"]:
                self.replaced.add((org.id, name_key(r["replaces"])))
        if not listed & stored.keys():
            return
        missing = [c.name for k, c in stored.items() if k not in listed and c.active_to is None]
        if not missing:
            return
        first = records[0]
        for name in missing:
            self.report.add(
                Problem(
                    "cell_missing_from_file",
                    first["_row"],
                    "cell",
                    self.headers.get("cell"),
                    name,
                    {"cell": name, "organisation": org.name},
                    "warning",
                )
            )
        for r in records:
            if name_key(r["cell"]) not in stored and not r["replaces"] and not r["new_name"]:
                self.report.add(
                    Problem(
                        "new_cell_while_missing",
                        r["_row"],
                        "cell",
                        self.headers.get("cell"),
                        r["cell"],
                        {"missing": "”, “".join(missing)},
                    )
                )

    def _commune_id(self, name: str) -> int:
        key = name_key(name)
        if key in self.units.communes:
            return self.units.communes[key][0]
        code = _unique_code(name, self.units.commune_codes)
        result = self.conn.execute(insert(commune_t).values(name=name, code=code))
        commune_id = new_id(result)
        self.units.communes[key] = (commune_id, name)
        self.units.commune_codes.add(code)
        return commune_id

    def _commune_name(self, commune_id: int) -> str:
        return next((name for cid, name in self.units.communes.values() if cid == commune_id), str(commune_id))

    def _places(self, communes: dict[str, int]) -> None:
        """Record the district and province a row gives its commune (a blank keeps what is there)."""
        given: dict[int, dict[str, Any]] = defaultdict(dict)
        for record in self.records:
            for column in ("district", "province"):
                if record.get(column):
                    given[communes[name_key(record["commune"])]].setdefault(column, record[column])
        if not given:
            return
        c = commune_t.c
        current = {
            row.id: row
            for row in self.conn.execute(select(c.id, c.district, c.province).where(c.id.in_(sorted(given))))
        }
        for commune_id, values in given.items():
            changed = [k for k, v in values.items() if getattr(current[commune_id], k) != v]
            for column in changed:
                self.changed(column)
            if changed:
                self.conn.execute(update(commune_t).where(c.id == commune_id).values(**values))

    def _organisation(self, key: str, records: list[dict[str, Any]], communes: dict[str, int]) -> bool:
        """Insert or update the organisation; True when it changed."""
        first = records[0]
        existing = self.units.organisations.get(key)
        sector = next((r["sector"] for r in records if r["sector"]), None)
        wanted: dict[str, Any] = {
            "commune_id": communes[name_key(first["commune"])],
            "kind": first["organisation_kind"],
            "sector": sector or (existing.sector if existing else "commune"),
        }
        spans: dict[str, tuple[dt.date, dt.date | None]] = {}
        if existing is not None:
            for cell in self.cells_of.get(existing.id, ()):
                spans[name_key(cell.name)] = (cell.active_from, cell.active_to)
        for r in records:
            old = spans.get(name_key(r["cell"]))
            start = r["active_from"] or (old[0] if old else DEFAULT_ACTIVE_FROM)
            end = r["active_to"] if r["active_to_given"] or old is None else old[1]
            if old is not None and end is None and old[1] is not None and self._keeps_end(existing, r):
                end = old[1]
            spans[name_key(r["cell"])] = (start, end)
            if r["replaces"] and r["active_from"] and name_key(r["replaces"]) in spans:
                renamed_start, renamed_end = spans[name_key(r["replaces"])]
                closed_on = r["active_from"] - dt.timedelta(days=1)
                if renamed_end is None or renamed_end > closed_on:
                    spans[name_key(r["replaces"])] = (renamed_start, max(renamed_start, closed_on))
        wanted["active_from"] = min(s for s, _ in spans.values())
        ends = [e for _, e in spans.values()]
        wanted["active_to"] = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
        table = organisation_t
        if existing is None:
            result = self.conn.execute(insert(table).values(name=first["organisation"], **wanted))
            org = OrgRow(new_id(result), first["organisation"], **wanted)
            self.units.organisations[key] = org
            self.touched_communes.add(org.commune_id)
            return True
        if all(getattr(existing, k) == v for k, v in wanted.items()):
            return False
        if existing.commune_id != wanted["commune_id"]:
            self._move(existing, wanted["commune_id"], first)
        for column, field in (("organisation_kind", "kind"), ("sector", "sector")):
            if getattr(existing, field) != wanted[field]:
                self.changed(column)
        self.conn.execute(update(table).where(table.c.id == existing.id).values(**wanted))
        # its kind or active span moved the due cell-months of every cell it has; a move takes them from one
        # commune to another
        self.touched_communes.update((existing.commune_id, wanted["commune_id"]))
        self.units.organisations[key] = OrgRow(existing.id, existing.name, **wanted)
        return True

    def _keeps_end(self, org: OrgRow | None, record: dict[str, Any]) -> bool:
        """A cell another row renames keeps the end the rename gives it, though its own row leaves active_to blank."""
        return org is not None and (org.id, name_key(record["cell"])) in self.replaced

    def _move(self, org: OrgRow, commune_id: int, first: dict[str, Any]) -> None:
        """An organisation (and its cells) taken to another commune: refused unless the importer allowed moves."""
        self.changed("commune")
        allowed = self.consent.allow_moves
        self.report.add(
            Problem(
                "moved_organisation" if allowed else "moves_organisation",
                first["_row"],
                "commune",
                self.headers.get("commune"),
                first["commune"],
                {
                    "old": self._commune_name(org.commune_id),
                    "new": self._commune_name(commune_id),
                    "cells": len(self.cells_of.get(org.id, ())),
                },
                "warning" if allowed else "error",
            )
        )

    def _cell(self, record: dict[str, Any]) -> str:
        org = self.units.organisations[name_key(record["organisation"])]
        key = (org.id, name_key(record["cell"]))
        existing = self.units.cells.get(key)
        if existing is None and record["replaces"]:  # a new name continues the cell it renames
            existing_like = self.units.cells.get((org.id, name_key(record["replaces"])))
        else:
            existing_like = existing
        table = cell_t

        def given(column: str, default: Any) -> Any:
            value = record[column]
            if value is not None:
                return value
            return getattr(existing_like, column) if existing_like else default

        active_to = record["active_to"] if record["active_to_given"] or existing is None else existing.active_to
        if existing is not None and active_to is None and existing.active_to is not None:
            if key in self.replaced:
                active_to = existing.active_to  # closed by the rename of another row
            else:
                self.cleared(record["_row"], "active_to", existing.active_to)
        wanted = {
            "kind": record["cell_kind"] or (existing_like.kind if existing_like else "other"),
            "meeting_day": given("meeting_day", 3),
            "members": given("members", 0),
            "active_from": record["active_from"] or (existing.active_from if existing else DEFAULT_ACTIVE_FROM),
            "active_to": active_to,
        }
        if existing is None:
            result = self.conn.execute(insert(table).values(name=record["cell"], organisation_id=org.id, **wanted))
            self.units.cells[key] = CellRow(new_id(result), org.id, record["cell"], **wanted)
            return "new"
        changes = [k for k, v in wanted.items() if getattr(existing, k) != v]
        if not changes:
            return "unchanged"
        for column in changes:
            if not (column == "active_to" and wanted[column] is None):  # an erased end is counted by `cleared`
                self.changed("cell_kind" if column == "kind" else column)
        self.conn.execute(update(table).where(table.c.id == existing.id).values(**wanted))
        self.units.cells[key] = CellRow(existing.id, org.id, existing.name, **wanted)
        return "updated"

    def _close_renamed(self, record: dict[str, Any]) -> bool:
        """Close the cell `record` renames the day before the new name starts; True when that changed it."""
        org = self.units.organisations[name_key(record["organisation"])]
        old = self.units.cells.get((org.id, name_key(record["replaces"])))
        start = record["active_from"]
        if old is None or start is None:
            return False
        closed_on = start - dt.timedelta(days=1)
        if old.active_to is not None and old.active_to <= closed_on:
            return False  # already closed by an earlier import of this rename
        number = record["_row"]
        if closed_on < old.active_from:
            self.report.add(
                Problem(
                    "dates_order",
                    number,
                    "active_from",
                    self.headers.get("active_from"),
                    start.isoformat(),
                    {"other": f"“{old.name}”", "other_value": old.active_from.isoformat()},
                )
            )
            return False
        m = meeting_t.c
        later = self.conn.execute(select(func.min(m.date)).where(m.cell_id == old.id, m.date >= start)).scalar()
        if later is not None:
            self.report.add(
                Problem(
                    "rename_later_meetings",
                    number,
                    "replaces",
                    self.headers.get("replaces"),
                    old.name,
                    {"old": old.name, "first": later.isoformat(), "start": start.isoformat()},
                )
            )
            return False
        self.conn.execute(update(cell_t).where(cell_t.c.id == old.id).values(active_to=closed_on))
        self.units.cells[(org.id, name_key(old.name))] = CellRow(
            old.id, org.id, old.name, old.kind, old.meeting_day, old.members, old.active_from, closed_on
        )
        self.changed("replaces")
        self.report.add(
            Problem(
                "renames_cell",
                number,
                "replaces",
                self.headers.get("replaces"),
                old.name,
                {"old": old.name, "closed_on": closed_on.isoformat(), "start": start.isoformat()},
                "notice",
            )
        )
        return True


def _unique_code(name: str, taken: set[str]) -> str:
    """A short code for a new commune from its name (LOC-SON), unique among the codes already used."""
    base = re.sub(r"[^A-Z0-9]+", "-", fold(name).upper()).strip("-")[:34] or "XA"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code
