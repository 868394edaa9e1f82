"""Small factories for hand-built fixtures: each returns the stored row with its id.

Like every writer, they bring the derived tables in step themselves (`data_access.aggregates.refresh`, in the
session's transaction) once a meeting, cell or organisation is stored; a test that changes such rows through the
ORM calls `refresh` too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import aggregates
from data_access.models import Cell, Commune, Inspection, Meeting, Organisation, Rating, Topic


def _save(session: Session, row: Any, *, flush: bool = True) -> Any:
    session.add(row)
    if flush:
        session.flush()
        if isinstance(row, Meeting):
            refresh(session, cells=[row.cell_id])
        elif isinstance(row, Cell):  # no meetings yet: its commune's due months move
            refresh(session, cells=[row.id])
        elif isinstance(row, Organisation):
            refresh(session, communes=[row.commune_id])
    return row


def refresh(session: Session, *, cells: Any = None, communes: Any = None) -> None:
    """Flush the session and bring the derived tables in step with it (`aggregates.refresh`: these cells and
    their communes, these communes; everything when neither is given), in its transaction."""
    session.flush()
    aggregates.refresh(session.connection(), cells=cells, communes=communes)


def commune(session: Session, name: str, code: str | None = None) -> Commune:
    return _save(session, Commune(name=name, code=code or name.encode("ascii", "ignore").decode()[:8] + name[-2:]))


def organisation(session: Session, name: str, where: Commune, kind: str = "party_committee", **kw: Any) -> Organisation:
    return _save(session, Organisation(name=name, kind=kind, commune_id=where.id, **kw))


def cell(session: Session, name: str, org: Organisation, meeting_day: int = 3, members: int = 0, **kw: Any) -> Cell:
    kw.setdefault("kind", "village")
    return _save(session, Cell(name=name, organisation_id=org.id, meeting_day=meeting_day, members=members, **kw))


def topic(session: Session, name_vi: str, name_en: str) -> Topic:
    return _save(session, Topic(name_vi=name_vi, name_en=name_en))


def meeting(
    session: Session,
    of: Cell,
    day: str,
    counts: tuple[int, int, int, int, int],
    kind: str = "regular",
    about: Topic | None = None,
    superior: bool = False,
    flush: bool = True,
) -> Meeting:
    """counts = (members_total, members_exempt, present, absent_excused, absent_unexcused). `flush=False` leaves
    the meeting pending and the derived tables behind: the caller refreshes (`refresh`) once for many meetings."""
    total, exempt, present, excused, unexcused = counts
    return _save(
        session,
        Meeting(
            cell_id=of.id,
            date=dt.date.fromisoformat(day),
            kind=kind,
            topic_id=about.id if about else None,
            members_total=total,
            members_exempt=exempt,
            present=present,
            absent_excused=excused,
            absent_unexcused=unexcused,
            superior_attended=superior,
            duration_min=90,
        ),
        flush=flush,
    )


def inspection(session: Session, org: Organisation, started: str, outcome: str, **kw: Any) -> Inspection:
    dates = {
        k: dt.date.fromisoformat(v) for k, v in kw.items() if k in ("concluded_on", "follow_up_due", "resolved_on")
    }
    rest = {k: v for k, v in kw.items() if k not in dates}
    rest.setdefault("body", "Ủy ban Kiểm tra Huyện ủy")
    rest.setdefault("kind", "inspection")
    return _save(
        session,
        Inspection(organisation_id=org.id, started_on=dt.date.fromisoformat(started), outcome=outcome, **dates, **rest),
    )


def rating(session: Session, org: Organisation, year: int, level: str, of_cell: Cell | None = None) -> Rating:
    return _save(
        session, Rating(organisation_id=org.id, year=year, level=level, cell_id=of_cell.id if of_cell else None)
    )


def place_communes(engine: Engine, provinces: dict[int, str | None]) -> None:
    """Record the province of each commune id (None: not recorded), through the ORM."""
    with Session(engine) as session:
        for commune_id, province in provinces.items():
            commune = session.get(Commune, commune_id)
            assert commune is not None
            commune.province = province
        session.commit()
