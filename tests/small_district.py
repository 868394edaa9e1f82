"""A small hand-built district shared by the metric and export tests.

The district (period 2025-01 .. 2025-04, as of 2025-04-04 unless a test says otherwise):

  Lộc Sơn  ── Đảng bộ xã Lộc Sơn (party committee)
              c1 "Chi bộ thôn 1"  day 3,  30 members, active all along
              c2 "Chi bộ thôn 2"  day 10, 12 members, founded 2025-02-15  -> first due month 2025-03
              c3 "Chi bộ thôn 3"  day 3,  20 members, dissolved 2025-03-20 -> last due month 2025-03
  Đa Lộc   ── Chi bộ Trường THCS Đa Lộc (base party cell), its one cell c4, day 5, 10 members

Due cell-months as of 2025-04-04: c1 Jan-Apr (day 3 < 4) = 4; c2 Mar = 1 (April: day 10 not passed);
c3 Jan-Mar = 3; c4 Jan-Mar = 3 (April: day 5 not passed)  -> 11.
Held (regular/combined): c1 Jan, Feb (twice), Mar (combined) = 3; c2 Mar = 1; c3 Jan = 1 (Mar thematic only);
c4 Jan, Feb, Mar = 3 (its 04-05 meeting is after as-of)  -> 8.
On the fixed day: c1 Jan 3, Feb 3 = 2 (Mar 5 is not the 3rd); c2 Mar 10 = 1; c3 Jan 3 = 1; c4 Jan 5, Mar 5 = 2 -> 6.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.filters import Filters, Month
from tests import factories as f
from tests.db_templates import seeded

AS_OF = dt.date(2025, 4, 4)
HCM = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
NTM = "Xây dựng nông thôn mới"


@pytest.fixture
def district(engine: Engine) -> dict[str, int]:
    """The district above in `engine`'s database (built once per session and server, then copied)."""
    return seeded(engine, "small_district", build_district)


def build_district(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        loc_son = f.commune(s, "Lộc Sơn", "LS")
        da_loc = f.commune(s, "Đa Lộc", "DL")
        p1 = f.organisation(s, "Đảng bộ xã Lộc Sơn", loc_son)
        p2 = f.organisation(s, "Chi bộ Trường THCS Đa Lộc", da_loc, kind="party_cell", sector="school")
        c1 = f.cell(s, "Chi bộ thôn 1", p1, 3, 30)
        c2 = f.cell(s, "Chi bộ thôn 2", p1, 10, 12, active_from=dt.date(2025, 2, 15))
        c3 = f.cell(s, "Chi bộ thôn 3", p1, 3, 20, active_to=dt.date(2025, 3, 20))
        c4 = f.cell(s, "Chi bộ Trường THCS Đa Lộc", p2, 5, 10, kind="school")
        hcm = f.topic(s, HCM, "Studying and following Hồ Chí Minh's thought, morality and style")
        ntm = f.topic(s, NTM, "Building new rural areas")
        # c1: expected 28 each; present 26+28+20+25 = 99, excused 1+0+5+2 = 8, unexcused 1+0+3+1 = 5
        f.meeting(s, c1, "2025-01-03", (30, 2, 26, 1, 1), superior=True)
        f.meeting(s, c1, "2025-02-03", (30, 2, 28, 0, 0))
        f.meeting(s, c1, "2025-02-17", (30, 2, 20, 5, 3))  # a second regular meeting in February
        f.meeting(s, c1, "2025-03-05", (30, 2, 25, 2, 1), kind="combined", about=hcm)
        # c2: expected 12 + 12 = 24, present 12 + 10 = 22
        f.meeting(s, c2, "2025-03-10", (12, 0, 12, 0, 0))
        f.meeting(s, c2, "2025-04-02", (12, 0, 10, 2, 0), kind="thematic", about=ntm)
        # c3: expected 20 + 20 = 40, present 15 + 18 = 33
        f.meeting(s, c3, "2025-01-03", (20, 0, 15, 3, 2))
        f.meeting(s, c3, "2025-03-03", (20, 0, 18, 2, 0), kind="thematic", about=hcm)
        # c4: expected 9 * 3 = 27, present 9 + 8 + 9 = 26; the April meeting is after as-of
        f.meeting(s, c4, "2025-01-05", (10, 1, 9, 0, 0))
        f.meeting(s, c4, "2025-02-06", (10, 1, 8, 1, 0))
        f.meeting(s, c4, "2025-03-05", (10, 1, 9, 0, 0), superior=True)
        f.meeting(s, c4, "2025-04-05", (10, 1, 9, 0, 0))
        # inspections
        f.inspection(
            s, p1, "2025-01-10", "correction_required", concluded_on="2025-01-20", follow_up_due="2025-03-01"
        )  # I1: overdue at as-of
        f.inspection(
            s,
            p1,
            "2025-02-01",
            "correction_required",
            cell_id=c1.id,
            concluded_on="2025-02-10",
            follow_up_due="2025-03-15",
            resolved_on="2025-03-10",
        )  # I2: resolved
        f.inspection(s, p2, "2025-03-01", "commended", kind="supervision")  # I3: not concluded, dated by start
        f.inspection(
            s, p2, "2024-11-01", "disciplined", concluded_on="2024-12-15", follow_up_due="2025-02-01"
        )  # I4: before the period, overdue
        f.inspection(s, p1, "2024-12-20", "satisfactory", concluded_on="2025-01-05")  # I5: concluded in period
        # classifications
        f.rating(s, p1, 2023, "excellent")
        f.rating(s, p1, 2024, "good")
        f.rating(s, p2, 2023, "complete")
        f.rating(s, p2, 2024, "not_complete")
        f.rating(s, p1, 2024, "excellent", of_cell=c1)
        s.commit()
        return {"loc_son": loc_son.id, "da_loc": da_loc.id, "p1": p1.id, "p2": p2.id}  # type: ignore[dict-item]


def period(as_of: dt.date = AS_OF, start: str = "2025-01", end: str = "2025-04", **kw: object) -> Filters:
    return Filters(period_from=Month.parse(start), period_to=Month.parse(end), as_of=as_of, **kw)  # type: ignore[arg-type]
