"""The rules of each file kind: what a valid row is, and the record it becomes."""

from __future__ import annotations

from typing import Any

from data_access.importing.checking import MAX_DURATION_MIN, MAX_MEETING_DAY, Checker, Row, close_name
from data_access.importing.report import Problem
from data_access.importing.vocab import FILE_KINDS, LINEAGE_LEVELS, name_key


class UnitsChecker(Checker):
    """One row per cell; communes and organisations that do not exist yet are created (and announced)."""

    kind = FILE_KINDS["units"]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.organisations_seen: dict[str, tuple[int, dict[str, Any]]] = {}
        self.new_names: set[tuple[str, str]] = set()
        self._cells_by_name: dict[str, list[Any]] | None = None
        self._orgs_by_id: dict[int, Any] | None = None
        self.successors_named: list[tuple[int, str, str, dict[str, Any]]] = []
        self.file_units: dict[str, set[str]] = {level: set() for level in LINEAGE_LEVELS}

    def check_row(self, row: Row) -> dict[str, Any] | None:
        commune = row.text("commune")
        organisation = row.text("organisation")
        organisation_kind = row.choice("organisation_kind")
        sector = row.choice("sector")
        cell = row.text("cell")
        record: dict[str, Any] = {
            "commune": commune,
            "district": row.text("district"),
            "province": row.text("province"),
            "organisation": organisation,
            "organisation_kind": organisation_kind,
            "sector": sector,
            "cell": cell,
            "cell_kind": row.choice("cell_kind"),
            "meeting_day": row.integer("meeting_day", minimum=1, maximum=MAX_MEETING_DAY),
            "members": row.integer("members"),
            "active_from": row.date("active_from", future_ok=True),
            "active_to": row.date("active_to", future_ok=True),
            "active_to_given": "active_to" in self.headers,
            "replaces": row.text("replaces"),
            # the file itself can confirm a name as new (yes in new_name), row by row, as --confirm-new does
            "new_name": bool(row.boolean("new_name")) or self.consent.confirm_new,
        }
        self._lineage(row, record)
        self.dates_in_order(row, "active_from", "active_to", record)
        if organisation is None or cell is None or commune is None:
            return None
        if organisation_kind == "party_cell" and name_key(cell) != name_key(organisation):
            row.problem("cell", "base_cell_name", organisation=organisation)
        self._consistent(row, record)
        self.once(row, (name_key(organisation), name_key(cell)), "cell")
        self._announce(row, "commune", commune, confirmed=record["new_name"])
        self._announce(row, "organisation", organisation, confirmed=record["new_name"])
        if record["replaces"] is not None:
            self._rename(row, record)
        elif not record["new_name"]:
            self._new_cell(row, organisation, cell)
        return record

    def _lineage(self, row: Row, record: dict[str, Any]) -> None:
        """The successor columns: a successor needs its day and a day its successor; a unit is not its own
        successor. Whether the successor exists is judged when the file is written (it may be a row of it)."""
        for level in LINEAGE_LEVELS:
            into, on = f"{level}_merged_into", f"{level}_merged_on"
            record[into] = row.text(into)
            record[on] = row.date(on, future_ok=True)
            record[f"{level}_lineage_given"] = into in self.headers or on in self.headers
            if record[into] is not None and record[on] is None and row.raw(on) is None:
                row.problem(on, "lineage_needs_date", successor=record[into])
            elif record[into] is None and record[on] is not None:
                row.problem(into, "lineage_needs_successor")
        same = {
            "commune": record["commune"],
            "organisation": record["organisation"],
            "cell": record["cell"] if record["organisation_merged_into"] is None else None,
        }
        for level, own in same.items():
            successor = record[f"{level}_merged_into"]
            if own is not None and successor is not None and name_key(own) == name_key(successor):
                row.problem(f"{level}_merged_into", "lineage_self")
            elif successor is not None:
                self.successors_named.append((row.number, level, successor, record))
        if record["organisation"] is not None:
            self.file_units["commune"].add(name_key(record["commune"] or ""))
            self.file_units["organisation"].add(name_key(record["organisation"]))
            self.file_units["cell"].add(f"{name_key(record['organisation'])}\n{name_key(record['cell'] or '')}")

    def finish(self) -> None:
        """A successor must be stored already or be a unit of the file (checked once every row is read)."""
        stored_cells = {
            f"{name_key(org.name)}\n{key}"
            for org in self.units.organisations.values()
            for key in (name_key(n) for n in self.units.cells_of.get(org.id, []))
        }
        for number, level, successor, record in self.successors_named:
            if level == "commune":
                known = name_key(successor) in self.units.communes or name_key(successor) in self.file_units["commune"]
            elif level == "organisation":
                key = name_key(successor)
                known = key in self.units.organisations or key in self.file_units["organisation"]
            else:
                owners = [o for o in (record["organisation_merged_into"], record["organisation"]) if o]
                keys = {f"{name_key(o)}\n{name_key(successor)}" for o in owners}
                known = bool(keys & (stored_cells | self.file_units["cell"]))
            if not known:
                column = f"{level}_merged_into"
                self.report.add(
                    Problem(
                        "unknown_successor", number, column, self.headers.get(column), successor, {"suggestion": ""}
                    )
                )

    def _new_cell(self, row: Row, organisation: str, cell: str) -> None:
        """A new cell of an existing organisation whose name is a near miss of one of its cells, or that is named
        like an open cell of another organisation of the same commune (a move the contract cannot express), is an
        error."""
        org = self.units.organisations.get(name_key(organisation))
        if org is None or (org.id, name_key(cell)) in self.units.cells:
            return
        near = close_name(cell, self.units.cells_of.get(org.id, []))
        if near is not None:
            row.problem("cell", "new_cell_close", suggestion=near)
            return
        other = self._open_elsewhere(org.id, org.commune_id, cell)
        if other is not None:
            row.problem("cell", "cell_in_other_organisation", organisation=other)

    def _open_elsewhere(self, org_id: int, commune_id: int, cell: str) -> str | None:
        """The organisation of the same commune with an open cell of this name, if any."""
        if self._cells_by_name is None:
            self._cells_by_name = {}
            for (_org_id, key), stored in self.units.cells.items():
                self._cells_by_name.setdefault(key, []).append(stored)
        by_id = self._organisations_by_id()
        for stored in self._cells_by_name.get(name_key(cell), []):
            owner = by_id.get(stored.organisation_id)
            if stored.active_to is None and owner is not None and owner.id != org_id and owner.commune_id == commune_id:
                return owner.name
        return None

    def _organisations_by_id(self) -> dict[int, Any]:
        if self._orgs_by_id is None:
            self._orgs_by_id = {o.id: o for o in self.units.organisations.values()}
        return self._orgs_by_id

    def _rename(self, row: Row, record: dict[str, Any]) -> None:
        """`replaces` names a cell of the same organisation that this row continues under a new name."""
        old, cell = record["replaces"], record["cell"]
        if name_key(old) == name_key(cell):
            row.problem("replaces", "rename_same_name")
            return
        org = self.units.organisations.get(name_key(record["organisation"]))
        if org is None or (org.id, name_key(old)) not in self.units.cells:
            names = self.units.cells_of.get(org.id, []) if org else []
            suggestion = self.units.closest(f"cell:{org.id if org else 0}", old, lambda: names)
            row.problem(
                "replaces", "rename_unknown_cell", organisation=record["organisation"], old=old, suggestion=suggestion
            )
            return
        if record["active_from"] is None:
            row.problem("active_from", "rename_needs_start")

    def _consistent(self, row: Row, record: dict[str, Any]) -> None:
        """Every row of one organisation gives it the same commune, kind and sector."""
        key = name_key(record["organisation"])
        first_row, first = self.organisations_seen.setdefault(key, (row.number, record))
        if first_row == row.number:
            return
        for column in ("commune", "organisation_kind", "sector"):
            mine, theirs = record[column], first[column]
            if mine is None or theirs is None:
                continue
            if (name_key(mine) if column == "commune" else mine) != (
                name_key(theirs) if column == "commune" else theirs
            ):
                row.problem(
                    column,
                    "inconsistent_organisation",
                    organisation=record["organisation"],
                    field=column,
                    first=theirs,
                    first_row=first_row,
                )

    def _announce(self, row: Row, what: str, name: str, *, confirmed: bool) -> None:
        existing = self.units.communes if what == "commune" else self.units.organisations
        key = name_key(name)
        if key in existing or (what, key) in self.new_names:
            return
        self.new_names.add((what, key))
        if what == "commune":
            names = [n for _id, n in self.units.communes.values()]
            suggestion = self.units.closest("commune", name, lambda: names)
        else:
            names = [o.name for o in self.units.organisations.values()]
            suggestion = self.units.closest("org", name, lambda: names)
        near = None if confirmed else close_name(name, names)
        if near is not None:  # Lộc Sơnn for Lộc Sơn: a typo would create a unit and move others into it
            row.problem(what, f"new_{what}_close", suggestion=near)
            return
        row.problem(what, f"new_{what}", severity="notice", suggestion=suggestion)


# The columns of a held meeting: blank on a "nothing to report" row.
MEETING_VALUES = (
    "cell",
    "kind",
    "topic",
    "members_total",
    "members_exempt",
    "present",
    "absent_excused",
    "absent_unexcused",
    "duration_min",
    "superior_attended",
    "quality",
)


class MeetingsChecker(Checker):
    """One row per held meeting of a cell; unit names must exist; counts must add up."""

    kind = FILE_KINDS["meetings"]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.new_topics: set[str] = set()

    def check_row(self, row: Row) -> dict[str, Any] | None:
        if "nothing_to_report" in self.headers and row.boolean("nothing_to_report"):
            return self._nothing_to_report(row)
        org = self.organisation(row)
        cell = self.cell(row, org)
        date = row.date("date")
        kind = row.choice("kind")
        topic = row.text("topic")
        counts = {
            name: row.integer(name)
            for name in ("members_total", "members_exempt", "present", "absent_excused", "absent_unexcused")
        }
        record: dict[str, Any] = {
            "cell_id": cell.id if cell else None,
            "date": date,
            "kind": kind,
            "topic": topic,
            **counts,
            "duration_min": row.integer("duration_min", minimum=1, maximum=MAX_DURATION_MIN),
            "superior_attended": row.boolean("superior_attended"),  # blank: None, "not attended" when written
            "quality": row.choice("quality"),
        }
        if (
            cell is not None
            and date is not None
            and not (cell.active_from <= date and (cell.active_to is None or date <= cell.active_to))
        ):
            row.problem(
                "date",
                "cell_not_active",
                active_from=cell.active_from.isoformat(),
                active_to=cell.active_to.isoformat() if cell.active_to else "…",
            )
        # without a topic column the stored topic stays; a new thematic meeting then lacks one (the writer says so)
        if kind == "thematic" and topic is None and row.raw("topic") is None and "topic" in self.headers:
            row.problem("topic", "thematic_without_topic")
        if topic is not None and name_key(topic) not in self.units.topics and name_key(topic) not in self.new_topics:
            self.new_topics.add(name_key(topic))
            row.problem("topic", "new_topic", severity="notice")
        self._counts(row, counts)
        if cell is not None and date is not None and kind is not None:
            self.once(row, (cell.id, date, kind), "date")
        return record

    def _nothing_to_report(self, row: Row) -> dict[str, Any] | None:
        """A row saying the organisation's commune had nothing to report for the month of its date: it covers the
        commune-month (data_access.reporting) and writes no meeting."""
        org = self.organisation(row)
        date = row.date("date")
        given = [c for c in MEETING_VALUES if row.raw(c) is not None]
        if given:
            row.problem(given[0], "nothing_to_report_with_meeting")
        if org is None or date is None:
            return None
        return {"nothing_to_report": True, "commune_id": org.commune_id, "month": date.year * 12 + date.month - 1}

    @staticmethod
    def _counts(row: Row, counts: dict[str, int | None]) -> None:
        total, exempt, present = counts["members_total"], counts["members_exempt"], counts["present"]
        excused, unexcused = counts["absent_excused"], counts["absent_unexcused"]
        if total is None or exempt is None or present is None:
            return
        if exempt > total:
            row.problem("members_exempt", "exempt_exceeds_total", exempt=exempt, total=total)
            return
        expected = total - exempt
        if present > expected:
            row.problem("present", "present_exceeds_expected", present=present, expected=expected)
            return
        if excused is not None and unexcused is not None and present + excused + unexcused != expected:
            row.problem(
                "absent_unexcused", "counts_do_not_add_up", sum=present + excused + unexcused, expected=expected
            )


class InspectionsChecker(Checker):
    """One row per inspection or supervision of an organisation (or one of its cells)."""

    kind = FILE_KINDS["inspections"]

    def check_row(self, row: Row) -> dict[str, Any] | None:
        org = self.organisation(row)
        cell = self.cell(row, org)
        record: dict[str, Any] = {
            "organisation_id": org.id if org else None,
            "cell_id": cell.id if cell else None,
            "body": row.text("body"),
            "kind": row.choice("kind"),
            "started_on": row.date("started_on"),
            "concluded_on": row.date("concluded_on"),
            "outcome": row.choice("outcome"),
            "reward_level": row.text("reward_level"),
            "discipline_level": row.text("discipline_level"),
            "follow_up_due": row.date("follow_up_due", future_ok=True),
            "resolved_on": row.date("resolved_on"),
            "findings": row.text("findings"),
        }
        for later in ("concluded_on", "follow_up_due", "resolved_on"):
            self.dates_in_order(row, "started_on", later, record)
        if org is not None and None not in (record["body"], record["kind"], record["started_on"]):
            key = (org.id, record["cell_id"], record["body"], record["kind"], record["started_on"])
            self.once(row, key, "started_on")
        return record


class RatingsChecker(Checker):
    """One row per annual classification of an organisation (cell empty) or of a cell."""

    kind = FILE_KINDS["ratings"]

    def check_row(self, row: Row) -> dict[str, Any] | None:
        org = self.organisation(row)
        cell = self.cell(row, org)
        record: dict[str, Any] = {
            "year": row.year("year"),
            "organisation_id": org.id if org else None,
            "cell_id": cell.id if cell else None,
            "level": row.choice("level"),
            "scheme": row.text("scheme") or "annual",
        }
        if org is not None and record["year"] is not None:
            self.once(row, (record["year"], org.id, record["cell_id"], record["scheme"]), "year")
        return record


CHECKERS: dict[str, type[Checker]] = {
    "units": UnitsChecker,
    "meetings": MeetingsChecker,
    "inspections": InspectionsChecker,
    "ratings": RatingsChecker,
}
