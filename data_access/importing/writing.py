"""Writing checked records with SQLAlchemy Core, a chunk at a time, inside the caller's transaction.

Each writer matches records to existing rows by the natural key (one query per chunk), then inserts the new ones
and updates the changed ones with one executemany each. Counts say how many rows were new, updated, unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, and_, bindparam, insert, select, update
from sqlalchemy.engine import Connection

from data_access import aggregates
from data_access.importing.checking import CellRow, OrgRow, Units
from data_access.importing.tables import (
    cell_t,
    commune_t,
    inspection_t,
    meeting_t,
    new_id,
    organisation_t,
    rating_t,
    topic_t,
)
from data_access.importing.vocab import fold, name_key

DEFAULT_ACTIVE_FROM = dt.date(2000, 1, 1)


class Writer:
    def __init__(self, conn: Connection, units: Units, batch_id: int | None) -> None:
        self.conn = conn
        self.units = units
        self.batch_id = batch_id
        self.new = 0
        self.updated = 0
        self.unchanged = 0

    def add(self, records: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Called once after the last chunk."""


class TableWriter(Writer):
    """Upsert by natural key into one table (meetings, inspections, ratings)."""

    table: Table
    key: tuple[str, ...]
    values: tuple[str, ...]
    prefilter: tuple[str, ...]  # key columns narrowed with IN (...) to find a chunk's existing rows

    def prepare(self, record: dict[str, Any]) -> dict[str, Any]:
        return record

    def add(self, records: list[dict[str, Any]]) -> None:
        rows = [self.prepare(r) for r in records]
        t = self.table
        conditions = [t.c[name].in_(sorted({r[name] for r in rows})) for name in self.prefilter]
        query = select(t.c.id, *(t.c[k] for k in self.key), *(t.c[v] for v in self.values)).where(and_(*conditions))
        existing = {tuple(getattr(e, k) for k in self.key): e for e in self.conn.execute(query)}
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for row in rows:
            found = existing.get(tuple(row[k] for k in self.key))
            if found is None:
                inserts.append({**row, "import_batch_id": self.batch_id})
            elif any(getattr(found, v) != row[v] for v in self.values):
                updates.append({"b_id": found.id, "b_batch": self.batch_id, **{f"b_{v}": row[v] for v in self.values}})
            else:
                self.unchanged += 1
        if inserts:
            self.conn.execute(insert(t), inserts)
        if updates:
            statement = (
                update(t)
                .where(t.c.id == bindparam("b_id"))
                .values({v: bindparam(f"b_{v}") for v in self.values} | {"import_batch_id": bindparam("b_batch")})
            )
            self.conn.execute(statement, updates)
        self.new += len(inserts)
        self.updated += len(updates)


class MeetingsWriter(TableWriter):
    table = meeting_t
    key = ("cell_id", "date", "kind")
    values = (
        "topic_id",
        "members_total",
        "members_exempt",
        "present",
        "absent_excused",
        "absent_unexcused",
        "duration_min",
        "superior_attended",
        "quality",
    )
    prefilter = ("cell_id", "date")

    def __init__(self, conn: Connection, units: Units, batch_id: int | None) -> None:
        super().__init__(conn, units, batch_id)
        self.touched_cells: set[int] = set()

    def add(self, records: list[dict[str, Any]]) -> None:
        super().add(records)
        self.touched_cells.update(int(r["cell_id"]) for r in records)

    def finish(self) -> None:
        """Bring the cell × month aggregates of every cell in the file in step, in the import's transaction."""
        aggregates.refresh_cells(self.conn, self.touched_cells)

    def prepare(self, record: dict[str, Any]) -> dict[str, Any]:
        row = {k: v for k, v in record.items() if k != "topic"}
        row["topic_id"] = self._topic_id(record["topic"]) if record["topic"] else None
        return row

    def _topic_id(self, name: str) -> int:
        key = name_key(name)
        topic_id = self.units.topics.get(key)
        if topic_id is None:
            # A topic not in the list yet is added (the report announced it); its English name waits for a person.
            result = self.conn.execute(insert(topic_t).values(name_vi=name, name_en=name, category="other"))
            topic_id = new_id(result)
            self.units.topics[key] = topic_id
        return topic_id


class InspectionsWriter(TableWriter):
    table = inspection_t
    key = ("organisation_id", "cell_id", "body", "kind", "started_on")
    values = (
        "concluded_on",
        "outcome",
        "reward_level",
        "discipline_level",
        "follow_up_due",
        "resolved_on",
        "findings",
    )
    prefilter = ("organisation_id", "started_on")


class RatingsWriter(TableWriter):
    table = rating_t
    key = ("year", "organisation_id", "cell_id", "scheme")
    values = ("level",)
    prefilter = ("organisation_id", "year")


class UnitsWriter(Writer):
    """Communes, organisations and cells. A units file is small (one row per cell), so it is written at the end,
    when every cell of an organisation is known: an organisation is active from its first cell's start to its
    last cell's end (open while any cell is)."""

    def __init__(self, conn: Connection, units: Units, batch_id: int | None) -> None:
        super().__init__(conn, units, batch_id)
        self.records: list[dict[str, Any]] = []
        self.touched_communes: set[int] = set()  # communes whose commune_month rows the file may move
        self.cells_of: dict[int, list[CellRow]] = defaultdict(list)  # organisation id -> its cells, before writing

    def add(self, records: list[dict[str, Any]]) -> None:
        self.records.extend(records)

    def finish(self) -> None:
        # the cells of each organisation as they stand (looked up once: a province has 9,000 cells, 1,400
        # organisations); an organisation's cells change only after `_organisation` has read them
        for cell in self.units.cells.values():
            self.cells_of[cell.organisation_id].append(cell)
        communes = {name_key(r["commune"]): self._commune_id(r["commune"]) for r in self.records}
        self._places(communes)
        by_org: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in self.records:
            by_org[name_key(record["organisation"])].append(record)
        for key, records in by_org.items():
            org_changed = self._organisation(key, records, communes)
            for record in records:
                status = self._cell(record)
                if status == "new":
                    self.new += 1
                elif status == "updated" or org_changed:
                    self.updated += 1
                else:
                    self.unchanged += 1
                if status != "unchanged":  # a cell's meeting day or due months moved: its commune's sums follow
                    self.touched_communes.add(self.units.organisations[key].commune_id)
        # Only the commune tables depend on the units (cell_month and its kin come from the meetings alone), and
        # only through each cell's commune, organisation kind, meeting day and due months: the communes of the
        # cells and organisations written here are all that can move. A commune's district and province are not
        # stored there (the views join them), so `_places` moves nothing.
        if self.touched_communes:
            aggregates.refresh_communes(self.conn, self.touched_communes)

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
            if any(getattr(current[commune_id], k) != v for k, v in values.items()):
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
            spans[name_key(r["cell"])] = (start, end)
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
        self.conn.execute(update(table).where(table.c.id == existing.id).values(**wanted))
        # its kind or active span moved the due cell-months of every cell it has; a move takes them from one
        # commune to another
        self.touched_communes.update((existing.commune_id, wanted["commune_id"]))
        self.units.organisations[key] = OrgRow(existing.id, existing.name, **wanted)
        return True

    def _cell(self, record: dict[str, Any]) -> str:
        org = self.units.organisations[name_key(record["organisation"])]
        key = (org.id, name_key(record["cell"]))
        existing = self.units.cells.get(key)
        table = cell_t

        def given(column: str, default: Any) -> Any:
            value = record[column]
            if value is not None:
                return value
            return getattr(existing, column) if existing else default

        wanted = {
            "kind": record["cell_kind"] or (existing.kind if existing else "other"),
            "meeting_day": given("meeting_day", 3),
            "members": given("members", 0),
            "active_from": given("active_from", DEFAULT_ACTIVE_FROM),
            "active_to": record["active_to"] if record["active_to_given"] or existing is None else existing.active_to,
        }
        if existing is None:
            result = self.conn.execute(insert(table).values(name=record["cell"], organisation_id=org.id, **wanted))
            self.units.cells[key] = CellRow(new_id(result), org.id, record["cell"], **wanted)
            return "new"
        if all(getattr(existing, k) == v for k, v in wanted.items()):
            return "unchanged"
        self.conn.execute(update(table).where(table.c.id == existing.id).values(**wanted))
        self.units.cells[key] = CellRow(existing.id, org.id, existing.name, **wanted)
        return "updated"


def _unique_code(name: str, taken: set[str]) -> str:
    """A short code for a new commune from its name (LOC-SON), unique among the codes already used."""
    base = re.sub(r"[^A-Z0-9]+", "-", fold(name).upper()).strip("-")[:34] or "XA"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


WRITERS: dict[str, Callable[[Connection, Units, int | None], Writer]] = {
    "units": UnitsWriter,
    "meetings": MeetingsWriter,
    "inspections": InspectionsWriter,
    "ratings": RatingsWriter,
}
