"""Writing checked records with SQLAlchemy Core, a chunk at a time, inside the caller's transaction.

Each writer matches records to existing rows by the natural key (one query per chunk), then inserts the new ones
and updates the changed ones with one executemany each. Counts say how many rows were new, updated, unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import Table, and_, bindparam, insert, select, update
from sqlalchemy.engine import Connection

from data_access import aggregates, reporting
from data_access.importing.checking import Consent, Units
from data_access.importing.report import ImportReport, Problem
from data_access.importing.tables import (
    batch_t,
    inspection_t,
    meeting_t,
    new_id,
    rating_t,
    topic_t,
)
from data_access.importing.vocab import name_key

DEFAULT_ACTIVE_FROM = dt.date(2000, 1, 1)


class Writer:
    """Writes checked records; says what each update changes, field by field, and refuses (or, with consent,
    announces) a blank cell that would erase a stored value."""

    def __init__(
        self,
        conn: Connection,
        units: Units,
        batch_id: int | None,
        *,
        report: ImportReport | None = None,
        consent: Consent | None = None,
    ) -> None:
        self.conn = conn
        self.units = units
        self.batch_id = batch_id
        self.report = report or ImportReport(kind="", file_name="")
        self.consent = consent or Consent()
        # contract column → header as written; a column absent from the file leaves stored values as they are
        self.headers = {column: header for header, column in self.report.columns.items()}
        self.new = 0
        self.updated = 0
        self.unchanged = 0

    def add(self, records: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Called once after the last chunk."""

    def changed(self, column: str) -> None:
        self.report.count_change(column, cleared=False)

    def cleared(self, number: int, column: str, old: Any) -> None:
        """A blank cell in `column` of row `number` erases the stored `old`."""
        self.report.count_change(column, cleared=True)
        allowed = self.consent.allow_clearing
        self.report.add(
            Problem(
                "cleared_value" if allowed else "clears_value",
                number,
                column,
                self.headers.get(column),
                "",
                {"old": _shown(old)},
                "warning" if allowed else "error",
            )
        )


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = "" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


class TableWriter(Writer):
    """Upsert by natural key into one table (meetings, inspections, ratings)."""

    table: Table
    key: tuple[str, ...]
    values: tuple[str, ...]
    prefilter: tuple[str, ...]  # key columns narrowed with IN (...) to find a chunk's existing rows
    file_column: ClassVar[
        dict[str, str]
    ] = {}  # a table column read from a file column of another name (topic_id ← topic)
    blank_means: ClassVar[dict[str, Any]] = {}  # what a blank cell stores where it is not NULL (superior_attended: no)
    optional_key: tuple[str, ...] = ()  # key columns a file may leave out (cell, scheme)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.given = tuple(v for v in self.values if self.file_column.get(v, v) in self.headers)
        # key columns the file does not have: a new row then may be a stored one under a key it cannot spell
        self.unspelt = tuple(k for k in self.optional_key if self.file_column.get(k, k) not in self.headers)

    def prepare(self, record: dict[str, Any]) -> dict[str, Any]:
        return record

    def describe(self, column: str, value: Any) -> Any:
        """A stored value as the report shows it."""
        return value

    def check_insert(self, row: dict[str, Any], number: int) -> None:
        """Rules a new row must meet beyond its own cells (the meetings writer's topic)."""

    def add(self, records: list[dict[str, Any]]) -> None:
        rows = [self.prepare(r) for r in records]
        t = self.table
        conditions = [t.c[name].in_(sorted({r[name] for r in rows})) for name in self.prefilter]
        query = select(t.c.id, *(t.c[k] for k in self.key), *(t.c[v] for v in self.values)).where(and_(*conditions))
        found_rows = self.conn.execute(query).all()
        existing = {tuple(getattr(e, k) for k in self.key): e for e in found_rows}
        loose_key = tuple(k for k in self.key if k not in self.unspelt)
        loose = {tuple(getattr(e, k) for k in loose_key): e for e in found_rows} if self.unspelt else {}
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for row in rows:
            number = row.pop("_row", None) or 0
            found = existing.get(tuple(row[k] for k in self.key))
            if found is None:
                twin = loose.get(tuple(row[k] for k in loose_key))
                if twin is not None:
                    self._near_duplicate(number, twin)
                    continue
                self.check_insert(row, number)
                values = {v: self.blank_means.get(v) if row[v] is None else row[v] for v in self.values}
                inserts.append({**row, **values, "import_batch_id": self.batch_id})
                continue
            wanted = self._compare(row, found, number)
            if wanted is None:
                self.unchanged += 1
            else:
                updates.append(
                    {"b_id": found.id, "b_batch": self.batch_id, **{f"b_{v}": wanted[v] for v in self.given}}
                )
        self.new += len(inserts)
        self.updated += len(updates)
        if not self.report.ok:  # nothing will be committed: compare the rest, write nothing more
            return
        if inserts:
            self.conn.execute(insert(t), inserts)
        if updates:
            statement = (
                update(t)
                .where(t.c.id == bindparam("b_id"))
                .values({v: bindparam(f"b_{v}") for v in self.given} | {"import_batch_id": bindparam("b_batch")})
            )
            self.conn.execute(statement, updates)

    def _compare(self, row: dict[str, Any], found: Any, number: int) -> dict[str, Any] | None:
        """The values to store for an existing row (None when nothing changes); counts and reports each change."""
        wanted: dict[str, Any] = {}
        changed = False
        for v in self.given:
            old, new = getattr(found, v), row[v]
            blank = new is None
            if blank:
                new = self.blank_means.get(v)
            wanted[v] = new
            if new == old:
                continue
            changed = True
            column = self.file_column.get(v, v)
            if blank:
                self.cleared(number, column, self.describe(v, old))
            else:
                self.changed(column)
        return wanted if changed else None

    def _near_duplicate(self, number: int, twin: Any) -> None:
        column = self.unspelt[0]
        stored = next((getattr(twin, k) for k in self.unspelt if getattr(twin, k) is not None), None)
        name = self.file_column.get(column, column)
        self.report.add(
            Problem(
                "near_duplicate",
                number,
                name,
                None,
                "",
                {"column": name, "stored": _shown(self.describe(column, stored))},
            )
        )


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
    file_column: ClassVar[dict[str, Any]] = {"topic_id": "topic"}
    blank_means: ClassVar[dict[str, Any]] = {"superior_attended": False}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.touched_cells: set[int] = set()
        self.coverage = reporting.Coverage()
        commune_of_org = {org.id: org.commune_id for org in self.units.organisations.values()}
        self.commune_of_cell = {cell.id: commune_of_org[cell.organisation_id] for cell in self.units.cells.values()}

    def describe(self, column: str, value: Any) -> Any:
        if column == "topic_id" and value is not None:
            return next((name for name, topic_id in self.units.topics.items() if topic_id == value), value)
        return value

    def check_insert(self, row: dict[str, Any], number: int) -> None:
        if row["kind"] == "thematic" and row["topic_id"] is None:  # a file without a topic column
            self.report.add(Problem("thematic_without_topic", number, "topic"))

    def add(self, records: list[dict[str, Any]]) -> None:
        meetings = []
        for record in records:
            if record.get("nothing_to_report"):
                self.coverage.add_nothing(record["commune_id"], record["month"])
                continue
            meetings.append(record)
            date = record["date"]
            cell_id = int(record["cell_id"])
            self.coverage.add_meeting(self.commune_of_cell[cell_id], date.year * 12 + date.month - 1, cell_id)
        if meetings:
            super().add(meetings)
        self.touched_cells.update(int(r["cell_id"]) for r in meetings)

    def finish(self) -> None:
        """Bring the cell × month aggregates of every cell in the file in step, and record the commune-months the
        file covers (data_access.reporting), in the import's transaction."""
        if self.report.ok:
            aggregates.refresh(self.conn, cells=self.touched_cells)
            reporting.record(
                self.conn,
                self.coverage,
                batch_id=self.batch_id,
                file_name=self.report.file_name,
                received_at=self._received_at(),
            )

    def _received_at(self) -> dt.datetime:
        """When the file arrived: its batch's time (now for a writer without a batch)."""
        if self.batch_id is not None:
            found = self.conn.execute(select(batch_t.c.imported_at).where(batch_t.c.id == self.batch_id)).scalar()
            if found is not None:
                return found if isinstance(found, dt.datetime) else dt.datetime.fromisoformat(str(found))
        return dt.datetime.now(dt.UTC)

    def prepare(self, record: dict[str, Any]) -> dict[str, Any]:
        row = {k: v for k, v in record.items() if k != "topic"}
        row["topic_id"] = self._topic_id(record["topic"]) if record["topic"] else None
        return row

    def _topic_id(self, name: str) -> int:
        key = name_key(name)
        topic_id = self.units.topics.get(key)
        if topic_id is None and not self.report.ok:
            return -1  # nothing will be written: no topic is added
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
    file_column: ClassVar[dict[str, Any]] = {"cell_id": "cell"}
    optional_key = ("cell_id",)

    def describe(self, column: str, value: Any) -> Any:
        return _cell_name(self.units, value) if column == "cell_id" else value


class RatingsWriter(TableWriter):
    table = rating_t
    key = ("year", "organisation_id", "cell_id", "scheme")
    values = ("level",)
    prefilter = ("organisation_id", "year")
    file_column: ClassVar[dict[str, Any]] = {"cell_id": "cell"}
    optional_key = ("cell_id", "scheme")

    def describe(self, column: str, value: Any) -> Any:
        return _cell_name(self.units, value) if column == "cell_id" else value


def _cell_name(units: Units, cell_id: Any) -> Any:
    return next((cell.name for cell in units.cells.values() if cell.id == cell_id), cell_id)
