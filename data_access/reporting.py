"""Who has reported: per commune and month, whether its data arrived, when, by which file, and against the deadline.

A commune-month is *reported* once an import batch covered it (a `reporting` row: the batch held meetings of the
commune's cells dated in that month, or said the commune had nothing to report). Its first receipt is the earliest
`received_at` of its rows, so importing the same file again never moves it. A month's data is due by the
reporting deadline, day `REPORTING_DEADLINE_DAY` (default 5) of the next month, on the product's one clock.

Status of a commune and month:

- `received`: reported by the deadline (or recorded by migration 0014 from meetings of unknown arrival);
- `late`: first received after the deadline;
- `missing`: the deadline has passed and nothing was received;
- `not_due`: nothing received yet and the deadline has not passed.

Only the communes with a due cell in the month (a cell and its organisation active on its first day) or with a
reporting row have a status. The metrics count the due cell-months of reported commune-months only
(`reported_month`, applied where due cell-months are built, see data_access.metrics). A database with no
reporting row at all (written by scripts or the test factories, never by an import) carries no evidence of who
reported: there every commune-month counts as reported and the metrics are what they always were.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import and_, exists, func, insert, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from data_access.filters import Filters, Month, Scope, month_label
from data_access.measures import _series_cte, cell_spans, cell_t, meeting_t, month_index, organisation_t, table_of
from data_access.models import Commune, ImportBatch, Reporting
from data_access.settings import Settings, get_settings, local_today, reporting_deadline_day
from data_access.vnsort import vn_key

reporting_t = table_of(Reporting)
commune_t = table_of(Commune)
batch_t = table_of(ImportBatch)

STATUSES = ("received", "late", "missing", "not_due")
UNREPORTED = ("missing", "not_due")
STATUS_COLUMNS = ("commune", "status", "received_at", "file", "cells", "cells_with_meetings")
GRID_COLUMNS = ("commune", "month", *STATUS_COLUMNS[1:], "nothing_to_report", "deadline")


# --------------------------------------------------------------------------------------------------------------
# The condition the metrics apply


def tracking() -> ColumnElement[bool]:
    """True when the database holds any reporting row (reporting is tracked)."""
    return exists(select(reporting_t.c.id))


def reported_month(commune_id: Any, month: Any) -> ColumnElement[bool]:
    """The SQL condition "the commune `commune_id` has reported month `month` (year * 12 + month - 1)", true for
    every commune-month of a database without any reporting row. `commune_id` and `month` are columns (or
    expressions) of the enclosing query, which the lookup is correlated to."""
    r = reporting_t.c
    covered = exists(select(r.id).where(r.commune_id == commune_id, r.month == month).correlate_except(reporting_t))
    return or_(~tracking(), covered)


def is_tracking(conn: Connection | Engine) -> bool:
    """True when the database holds any reporting row."""
    if isinstance(conn, Engine):
        with conn.connect() as c:
            return is_tracking(c)
    return conn.execute(select(reporting_t.c.id).limit(1)).first() is not None


# --------------------------------------------------------------------------------------------------------------
# Recording what an import covers


@dataclass
class Coverage:
    """What one import covers, per (commune id, month index): its meeting rows, the cells they name, and whether
    it said "nothing to report"."""

    meetings: dict[tuple[int, int], int] = field(default_factory=dict)
    cells: dict[tuple[int, int], set[int]] = field(default_factory=dict)
    nothing: set[tuple[int, int]] = field(default_factory=set)

    def add_meeting(self, commune_id: int, month: int, cell_id: int) -> None:
        key = (int(commune_id), int(month))
        self.meetings[key] = self.meetings.get(key, 0) + 1
        self.cells.setdefault(key, set()).add(int(cell_id))

    def add_nothing(self, commune_id: int, month: int) -> None:
        self.nothing.add((int(commune_id), int(month)))

    def covered(self) -> list[tuple[int, int]]:
        return sorted(set(self.meetings) | self.nothing)


def record(
    conn: Connection, coverage: Coverage, *, batch_id: int | None, file_name: str, received_at: dt.datetime
) -> int:
    """Write one reporting row per commune-month `coverage` holds, in the caller's transaction; the rows written."""
    rows = [
        {
            "import_batch_id": batch_id,
            "commune_id": commune_id,
            "month": month,
            "received_at": received_at,
            "file_name": file_name[:255],
            "meetings": coverage.meetings.get((commune_id, month), 0),
            "cells": len(coverage.cells.get((commune_id, month), ())),
            "nothing_to_report": (commune_id, month) in coverage.nothing,
        }
        for commune_id, month in coverage.covered()
    ]
    if rows:
        conn.execute(insert(reporting_t), rows)
    return len(rows)


BATCH_COVERAGE_COLUMNS = ("communes", "months")


def month_runs(months: Iterable[int]) -> str:
    """Month indexes as their runs of consecutive months: `2025-01 – 2025-06, 2025-09`."""
    runs: list[list[int]] = []
    for month in sorted(set(months)):
        if runs and month == runs[-1][1] + 1:
            runs[-1][1] = month
        else:
            runs.append([month, month])
    return ", ".join(
        month_label(first) if first == last else f"{month_label(first)} – {month_label(last)}" for first, last in runs
    )


def batch_coverage(engine: Engine, batch_ids: Sequence[int]) -> pd.DataFrame:
    """Per import batch (index: its id): how many communes it covered and which months (`2025-03 – 2025-05`)."""
    r = reporting_t.c
    ids = sorted({int(b) for b in batch_ids})
    found: dict[int, tuple[set[int], set[int]]] = {}
    with engine.connect() as conn:
        for start in range(0, len(ids), 2_000):
            chunk = ids[start : start + 2_000]
            query = select(r.import_batch_id, r.commune_id, r.month).where(r.import_batch_id.in_(chunk)).distinct()
            for batch_id, commune_id, month in conn.execute(query):
                communes, months = found.setdefault(int(batch_id), (set(), set()))
                communes.add(int(commune_id))
                months.add(int(month))
    rows = {batch_id: (len(communes), month_runs(months)) for batch_id, (communes, months) in found.items()}
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(BATCH_COVERAGE_COLUMNS))
    return frame.astype({"communes": "int64"}) if not frame.empty else frame


# --------------------------------------------------------------------------------------------------------------
# Status per commune and month


def deadline(month: Month, day: int | None = None) -> dt.date:
    """The day by which a month's data is due: day `day` (default: the REPORTING_DEADLINE_DAY setting) of the
    next month."""
    following = month + 1
    return dt.date(following.year, following.month, day or reporting_deadline_day())


def _local(moment: dt.datetime | None, settings: Settings) -> dt.datetime | None:
    """A stored time (UTC; naive on SQLite) on the product's clock."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zoneinfo.ZoneInfo(settings.timezone))


def status_of(received: dt.datetime | None, has_record: bool, due: dt.date, today: dt.date) -> str:
    """One commune-month's status from its first receipt (local time, None when unknown or absent)."""
    if has_record:
        return "late" if received is not None and received.date() > due else "received"
    return "missing" if today > due else "not_due"


def _commune_conditions(scope: Scope, communes: Iterable[int] | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if scope.communes is not None:
        conditions.append(organisation_t.c.commune_id.in_(sorted(scope.communes)))
    if communes:
        conditions.append(organisation_t.c.commune_id.in_(sorted({int(c) for c in communes})))
    return conditions


def _due_cells(
    conn: Connection, lo: int, hi: int, conditions: list[ColumnElement[bool]], as_of: dt.date | None
) -> dict[tuple[int, int], int]:
    """Per (commune, month) of lo..hi: its due cells (cell and organisation active on the month's first day; in
    the as-of month, when given, only those whose meeting day has passed, as the metrics count them)."""
    spans = cell_spans(*conditions).subquery("spans")
    months = _series_cte("rmonths", lo, hi)
    m = months.c.n
    due = and_(m >= spans.c.first_due, m <= spans.c.last_due)
    if as_of is not None:
        as_of_month = Month.of(as_of).index
        due = and_(due, or_(m < as_of_month, and_(m == as_of_month, spans.c.meeting_day < as_of.day)))
    query = (
        select(spans.c.commune_id, m, func.count()).select_from(spans.join(months, due)).group_by(spans.c.commune_id, m)
    )
    return {(int(c), int(month)): int(n) for c, month, n in conn.execute(query)}


def _cells_with_meetings(
    conn: Connection, lo: int, hi: int, conditions: list[ColumnElement[bool]]
) -> dict[tuple[int, int], int]:
    """Per (commune, month) of lo..hi: the cells with at least one meeting dated in it."""
    mt = meeting_t.c
    month = month_index(mt.date)
    query = (
        select(organisation_t.c.commune_id, month, func.count(func.distinct(mt.cell_id)))
        .select_from(
            meeting_t.join(cell_t, cell_t.c.id == mt.cell_id).join(
                organisation_t, organisation_t.c.id == cell_t.c.organisation_id
            )
        )
        .where(mt.date >= Month.from_index(lo).first_day, mt.date <= Month.from_index(hi).last_day, *conditions)
        .group_by(organisation_t.c.commune_id, month)
    )
    return {(int(c), int(m)): int(n) for c, m, n in conn.execute(query)}


@dataclass(frozen=True)
class _Receipt:
    received_at: dt.datetime | None
    file: str
    nothing_to_report: bool


def _receipts(
    conn: Connection,
    lo: int,
    hi: int,
    scope: Scope,
    communes: Iterable[int] | None,
    *,
    until: dt.date,
    settings: Settings,
) -> dict[tuple[int, int], _Receipt]:
    """Per (commune, month) of lo..hi with a reporting row that arrived by `until` (on the product's clock): its
    first receipt and file, and whether every row of it said "nothing to report"."""
    r = reporting_t.c
    conditions = [r.month >= lo, r.month <= hi]
    if scope.communes is not None:
        conditions.append(r.commune_id.in_(sorted(scope.communes)))
    if communes:
        conditions.append(r.commune_id.in_(sorted({int(c) for c in communes})))
    query = select(r.commune_id, r.month, r.received_at, r.file_name, r.nothing_to_report, r.id).where(*conditions)
    found: dict[tuple[int, int], list[Any]] = {}
    for row in conn.execute(query):
        arrived = _local(row.received_at, settings)
        if arrived is not None and arrived.date() > until:  # not arrived yet on that day
            continue
        found.setdefault((int(row.commune_id), int(row.month)), []).append(row)
    receipts: dict[tuple[int, int], _Receipt] = {}
    earliest = dt.datetime.min.replace(tzinfo=dt.UTC)
    for key, rows in found.items():
        # the first receipt: the earliest time (a row of unknown time, from the migration, came before any import)
        first = min(rows, key=lambda row: (_aware(row.received_at) or earliest, row.id))
        receipts[key] = _Receipt(first.received_at, first.file_name or "", all(row.nothing_to_report for row in rows))
    return receipts


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def status_grid(
    engine: Engine,
    *,
    first: Month,
    last: Month,
    scope: Scope,
    communes: Iterable[int] | None = None,
    today: dt.date | None = None,
    settings: Settings | None = None,
    deadline_day: int | None = None,
) -> pd.DataFrame:
    """One row per commune in scope (and in `communes`, ids, when given) and month first..last that has a due cell
    or a reporting row: commune, month (YYYY-MM), status, received_at (first receipt, on the product's clock, empty
    when unknown or absent), file, cells (due cells), cells_with_meetings, nothing_to_report, deadline. Sorted by
    commune (Vietnamese order), then month. `today` (default: today on the product's clock) decides what is due
    and what had arrived: data received after it does not count yet, so an earlier day shows the status it had."""
    settings = settings or get_settings()
    today = today or local_today(settings)
    deadline_day = deadline_day or reporting_deadline_day()
    communes = list(communes) if communes is not None else None
    lo, hi = first.index, last.index
    conditions = _commune_conditions(scope, communes)
    with engine.connect() as conn:
        due = _due_cells(conn, lo, hi, conditions, None)
        held = _cells_with_meetings(conn, lo, hi, conditions)
        receipts = _receipts(conn, lo, hi, scope, communes, until=today, settings=settings)
        keys = set(due) | set(receipts)
        ids = sorted({c for c, _ in keys})
        names = dict(conn.execute(select(commune_t.c.id, commune_t.c.name).where(commune_t.c.id.in_(ids))).all())
    rows = []
    for commune_id, month in sorted(keys, key=lambda k: (vn_key(names.get(k[0], "")), k[0], k[1])):
        if not scope.allows(commune_id):
            continue
        receipt = receipts.get((commune_id, month))
        received = _local(receipt.received_at, settings) if receipt else None
        due_on = deadline(Month.from_index(month), deadline_day)
        rows.append(
            (
                names.get(commune_id, ""),
                month_label(month),
                status_of(received, receipt is not None, due_on, today),
                received.replace(tzinfo=None) if received is not None else None,
                receipt.file if receipt else "",
                due.get((commune_id, month), 0),
                held.get((commune_id, month), 0),
                bool(receipt.nothing_to_report) if receipt else False,
                due_on,
            )
        )
    frame = pd.DataFrame(rows, columns=list(GRID_COLUMNS))
    frame["received_at"] = pd.to_datetime(frame["received_at"])
    return frame.astype({"cells": "int64", "cells_with_meetings": "int64", "nothing_to_report": bool})


def status_for_month(
    engine: Engine,
    month: Month,
    *,
    scope: Scope,
    communes: Iterable[int] | None = None,
    today: dt.date | None = None,
    settings: Settings | None = None,
    deadline_day: int | None = None,
) -> pd.DataFrame:
    """One row per commune for `month` (the columns of STATUS_COLUMNS), in Vietnamese order of names."""
    grid = status_grid(
        engine,
        first=month,
        last=month,
        scope=scope,
        communes=communes,
        today=today,
        settings=settings,
        deadline_day=deadline_day,
    )
    return grid[list(STATUS_COLUMNS)].reset_index(drop=True)


def missing_first(table: pd.DataFrame) -> pd.DataFrame:
    """A status table with the missing communes first, then late, not due and received (each in its order)."""
    order = {status: i for i, status in enumerate(("missing", "late", "not_due", "received"))}
    statuses = [str(status) for status in table["status"]]
    return table.iloc[sorted(range(len(table)), key=lambda i: order[statuses[i]])].reset_index(drop=True)


# --------------------------------------------------------------------------------------------------------------
# What a rate over a period stands on


@dataclass(frozen=True)
class Unreported:
    """A month of the period whose due cell-months of some communes are left out of the rates: those communes."""

    month: Month
    communes: tuple[str, ...]


def unreported_months(engine: Engine, *, filters: Filters, scope: Scope) -> list[Unreported]:
    """The months of the period (up to as-of) with communes in the filters and scope that have a due cell-month
    (as the metrics count them) but have not reported: what the rates leave out. Empty while reporting is not
    tracked (every commune-month then counts as reported)."""
    lo = filters.period_from.index
    hi = min(filters.period_to.index, Month.of(filters.as_of).index)
    if hi < lo:
        return []
    conditions = _commune_conditions(scope, filters.communes or None)
    if filters.organisations:
        conditions.append(organisation_t.c.id.in_(list(filters.organisations)))
    if filters.organisation_kind:
        conditions.append(organisation_t.c.kind == filters.organisation_kind)
    with engine.connect() as conn:
        if not is_tracking(conn):
            return []
        due = _due_cells(conn, lo, hi, conditions, filters.as_of)
        r = reporting_t.c
        covered = {
            (int(c), int(m))
            for c, m in conn.execute(select(r.commune_id, r.month).where(r.month >= lo, r.month <= hi).distinct())
        }
        gaps = sorted(key for key in due if key not in covered and scope.allows(key[0]))
        ids = sorted({c for c, _ in gaps})
        names = dict(conn.execute(select(commune_t.c.id, commune_t.c.name).where(commune_t.c.id.in_(ids))).all())
    per_month: dict[int, list[str]] = {}
    for commune_id, month in gaps:
        per_month.setdefault(month, []).append(names.get(commune_id, ""))
    return [
        Unreported(Month.from_index(month), tuple(sorted(found, key=vn_key)))
        for month, found in sorted(per_month.items())
    ]
