"""The database itself refuses impossible records."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from data_access.models import Cell, Commune, Meeting, Organisation

pytestmark = pytest.mark.both_databases  # dialect-sensitive: runs on SQLite and PostgreSQL


def _cell(session: Session) -> Cell:
    commune = Commune(name="Lộc Sơn", code="LS")
    session.add(commune)
    session.flush()
    org = Organisation(name="Đảng bộ xã Lộc Sơn", kind="party_committee", commune_id=commune.id)
    session.add(org)
    session.flush()
    cell = Cell(name="Chi bộ thôn 1", organisation_id=org.id, kind="village", members=30)
    session.add(cell)
    session.flush()
    return cell


@pytest.mark.parametrize(
    "counts",
    [
        {"members_total": 30, "members_exempt": 2, "present": 29},  # present > total - exempt
        {"members_total": 30, "members_exempt": 31, "present": 0},  # exempt > total
        {"members_total": 30, "members_exempt": 0, "present": -1},  # negative
    ],
)
def test_meeting_counts_are_checked_by_the_database(engine, counts: dict[str, int]) -> None:
    with Session(engine) as session:
        cell = _cell(session)
        session.add(Meeting(cell_id=cell.id, date=dt.date(2025, 1, 3), kind="regular", **counts))
        with pytest.raises(IntegrityError):
            session.flush()


def test_meeting_day_outside_1_to_28_is_refused(engine) -> None:
    with Session(engine) as session:
        cell = _cell(session)
        cell.meeting_day = 29
        with pytest.raises(IntegrityError):
            session.flush()


def test_one_meeting_per_cell_date_and_kind(engine) -> None:
    with Session(engine) as session:
        cell = _cell(session)
        for _ in range(2):
            session.add(
                Meeting(cell_id=cell.id, date=dt.date(2025, 1, 3), kind="regular", members_total=30, present=28)
            )
        with pytest.raises(IntegrityError):
            session.flush()
