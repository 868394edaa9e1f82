"""The demo district's reporting: when each commune's monthly data arrived (data_access.reporting).

Most communes send a month's data between the 1st and the deadline day of the next month. Two communes of each
district sent the last due month (the latest whose deadline has passed by the as-of date) late, a few days after
the deadline. One commune (never the report's anchor commune) has sent nothing since that month: its meetings
from then on are not in the database, and it shows as missing. The as-of month's meetings so far arrived on the
as-of day. The same seed and as-of date give the same receipts.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from data_access.filters import Month
from data_access.reporting import Coverage

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
LATE_COMMUNES = 2


@dataclass(frozen=True)
class ReportingPlan:
    """Who reports what in one district: the commune that stopped, from which month, and the late ones."""

    missing: str | None
    missing_from: Month
    late: frozenset[str]
    last_due: Month
    as_of: dt.date
    deadline_day: int

    def keeps(self, commune: str, day: dt.date) -> bool:
        """False for a meeting of the commune that stopped reporting, from the month it stopped."""
        return commune != self.missing or Month.of(day) < self.missing_from

    def received_at(self, commune: str, month: Month, rng: random.Random) -> dt.datetime:
        """When the commune's data for `month` arrived (UTC): on the as-of day for the as-of month, a few days past
        the deadline for a late commune's last due month, else between the 1st and the deadline day."""
        following = month + 1
        as_of_month = Month.of(self.as_of)
        if month >= as_of_month:
            day = self.as_of
        elif month == self.last_due and commune in self.late:
            day = dt.date(following.year, following.month, self.deadline_day + rng.randint(1, 4))
        else:
            day = dt.date(following.year, following.month, rng.randint(1, self.deadline_day))
        day = min(day, self.as_of)
        local = dt.datetime.combine(day, dt.time(7 + rng.randint(0, 9), 5 * rng.randint(0, 11)), VIETNAM)
        if day == self.as_of:
            local = dt.datetime.combine(day, dt.time(7, 0), VIETNAM)
        return local.astimezone(dt.UTC)


def plan(
    communes: Sequence[str], *, anchor: str | None, seed: int, district_code: str, as_of: dt.date, deadline_day: int
) -> ReportingPlan:
    """The district's reporting: one commune stops at the last due month, two others send it late."""
    last_due = Month.of(as_of) - (1 if as_of.day > deadline_day else 2)
    rng = random.Random(f"{seed}/{district_code}/reporting")
    candidates = [c for c in communes if c != anchor]
    picked = rng.sample(candidates, min(len(candidates), 1 + LATE_COMMUNES))
    return ReportingPlan(
        missing=picked[0] if picked else None,
        missing_from=last_due,
        late=frozenset(picked[1:]),
        last_due=last_due,
        as_of=as_of,
        deadline_day=deadline_day,
    )


def kept_meetings(
    meetings: Iterable[dict[str, Any]],
    commune_of_cell: dict[int, tuple[int, str]],
    reporting_plan: ReportingPlan,
    coverage: Coverage,
) -> Iterator[dict[str, Any]]:
    """The meetings the district sent (the plan's), each counted into `coverage` (commune id, month)."""
    for meeting in meetings:
        commune_id, commune = commune_of_cell[int(meeting["cell_id"])]
        if not reporting_plan.keeps(commune, meeting["date"]):
            continue
        coverage.add_meeting(commune_id, Month.of(meeting["date"]).index, int(meeting["cell_id"]))
        yield meeting


def reporting_rows(
    coverage: Coverage,
    names: dict[int, str],
    codes: dict[int, str],
    reporting_plan: ReportingPlan,
    *,
    seed: int,
    district_code: str,
    batch_id: int,
) -> list[dict[str, Any]]:
    """One reporting row per commune-month the district sent, with when it arrived and the file's name."""
    rng = random.Random(f"{seed}/{district_code}/receipts")
    rows = []
    for commune_id, month_index in coverage.covered():
        commune, month = names[commune_id], Month.from_index(month_index)
        rows.append(
            {
                "import_batch_id": batch_id,
                "commune_id": commune_id,
                "month": month_index,
                "received_at": reporting_plan.received_at(commune, month, rng),
                "file_name": f"sinh-hoat-{codes[commune_id].lower()}-{month}.xlsx",
                "meetings": coverage.meetings.get((commune_id, month_index), 0),
                "cells": len(coverage.cells.get((commune_id, month_index), ())),
                "nothing_to_report": False,
            }
        )
    return rows
