"""A small district where three communes merge into one mid-period (the 2025 reform in miniature).

Period 2025-05 .. 2025-08, as of 2025-08-20 (August is the as-of month; May–July are whole months).

  An Lộc   ── Đảng bộ xã An Lộc     a1 "Chi bộ thôn An"   day 3, to 2025-06-30, merged into n1 on 2025-07-01
  Bình Lộc ── Đảng bộ xã Bình Lộc   b1 "Chi bộ thôn Bình" day 3, to 2025-06-30, merged into n1
  Cẩm Lộc  ── Đảng bộ xã Cẩm Lộc    c1 "Chi bộ thôn Cẩm"  day 5, to 2025-06-30, merged into n2
  (the three communes and their committees merged into Tân Lộc / Đảng bộ xã Tân Lộc on 2025-07-01)
  Tân Lộc  ── Đảng bộ xã Tân Lộc    n1 "Chi bộ thôn An Bình" day 3, n2 "Chi bộ thôn Cẩm", day 5, from 2025-07-01
  Đông Lộc ── Đảng bộ xã Đông Lộc   d1 "Chi bộ thôn Đông" day 3 (never merged: the control)

Meetings (members, exempt, present, excused, unexcused):
  a1 05-03 (20,0,18,2,0), 06-03 (20,0,16,2,2)          b1 05-03 (10,0,10,0,0); none in June
  c1 05-05 (15,1,12,1,1), 06-06 (15,1,14,0,0) combined  n1 07-03 (30,0,27,3,0), 08-03 (30,0,24,4,2)
  n2 07-05 (15,1,13,1,0); none in August               d1 05-03, 06-03, 07-03, 08-03 each (12,0,11,1,0)

Regularity as recorded: An Lộc due 2 held 2 on day 2; Bình Lộc 2/1/1; Cẩm Lộc 2/2/1 (06-06 is not the 5th);
Tân Lộc 4/3/3 (n1 Jul, Aug; n2 Jul; August is due: days 3 and 5 passed by the 20th); Đông Lộc 4/4/4.
As today: Tân Lộc 2+2+2+4 = 10 due, 2+1+2+3 = 8 held, 2+1+1+3 = 7 on the day; Đông Lộc as recorded.
Participation as today, Tân Lộc: 8 meetings, expected 40+10+28+60+14 = 152, present 34+10+26+51+13 = 134.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.filters import Filters, Month
from data_access.models import Cell, Commune, Organisation
from tests import factories as f
from tests.db_templates import seeded

AS_OF = dt.date(2025, 8, 20)
REFORM = dt.date(2025, 7, 1)
CLOSED = dt.date(2025, 6, 30)


@pytest.fixture
def merged(engine: Engine) -> dict[str, int]:
    """The district above in `engine`'s database."""
    return seeded(engine, "merged_district", build_merged_district)


def period(**kw: object) -> Filters:
    return Filters(period_from=Month(2025, 5), period_to=Month(2025, 8), as_of=AS_OF, **kw)  # type: ignore[arg-type]


def build_merged_district(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        an, binh, cam = f.commune(s, "An Lộc", "AN"), f.commune(s, "Bình Lộc", "BINH"), f.commune(s, "Cẩm Lộc", "CAM")
        tan, dong = f.commune(s, "Tân Lộc", "TAN"), f.commune(s, "Đông Lộc", "DONG")
        pa = f.organisation(s, "Đảng bộ xã An Lộc", an, active_to=CLOSED)
        pb = f.organisation(s, "Đảng bộ xã Bình Lộc", binh, active_to=CLOSED)
        pc = f.organisation(s, "Đảng bộ xã Cẩm Lộc", cam, active_to=CLOSED)
        pn = f.organisation(s, "Đảng bộ xã Tân Lộc", tan, active_from=REFORM)
        pd = f.organisation(s, "Đảng bộ xã Đông Lộc", dong)
        a1 = f.cell(s, "Chi bộ thôn An", pa, 3, 20, active_to=CLOSED)
        b1 = f.cell(s, "Chi bộ thôn Bình", pb, 3, 10, active_to=CLOSED)
        c1 = f.cell(s, "Chi bộ thôn Cẩm", pc, 5, 15, active_to=CLOSED)
        n1 = f.cell(s, "Chi bộ thôn An Bình", pn, 3, 30, active_from=REFORM)
        n2 = f.cell(s, "Chi bộ thôn Cẩm", pn, 5, 15, active_from=REFORM)
        d1 = f.cell(s, "Chi bộ thôn Đông", pd, 3, 12)
        topic = f.topic(s, "Xây dựng nông thôn mới", "Building new rural areas")
        f.meeting(s, a1, "2025-05-03", (20, 0, 18, 2, 0), superior=True)
        f.meeting(s, a1, "2025-06-03", (20, 0, 16, 2, 2))
        f.meeting(s, b1, "2025-05-03", (10, 0, 10, 0, 0))
        f.meeting(s, c1, "2025-05-05", (15, 1, 12, 1, 1))
        f.meeting(s, c1, "2025-06-06", (15, 1, 14, 0, 0), kind="combined", about=topic)
        f.meeting(s, n1, "2025-07-03", (30, 0, 27, 3, 0), superior=True)
        f.meeting(s, n1, "2025-08-03", (30, 0, 24, 4, 2))
        f.meeting(s, n2, "2025-07-05", (15, 1, 13, 1, 0), kind="combined", about=topic)
        for day in ("2025-05-03", "2025-06-03", "2025-07-03", "2025-08-03"):
            f.meeting(s, d1, day, (12, 0, 11, 1, 0))
        f.inspection(s, pa, "2025-06-01", "commended", concluded_on="2025-06-10")
        f.inspection(s, pn, "2025-07-20", "correction_required", concluded_on="2025-08-01", follow_up_due="2025-08-15")
        f.inspection(s, pd, "2025-07-01", "satisfactory", concluded_on="2025-07-05")
        for old, new in ((an, tan), (binh, tan), (cam, tan)):
            row = s.get(Commune, old.id)
            assert row is not None
            row.merged_into_id, row.merged_on = new.id, REFORM
        for old_org in (pa, pb, pc):
            org = s.get(Organisation, old_org.id)
            assert org is not None
            org.merged_into_id, org.merged_on = pn.id, REFORM
        for old_cell, new_cell in ((a1, n1), (b1, n1), (c1, n2)):
            row_cell = s.get(Cell, old_cell.id)
            assert row_cell is not None
            row_cell.merged_into_id, row_cell.merged_on = new_cell.id, REFORM
        s.commit()
        units = {"an": an, "binh": binh, "cam": cam, "tan": tan, "dong": dong}
        return {name: int(u.id) for name, u in units.items()}  # type: ignore[arg-type]
