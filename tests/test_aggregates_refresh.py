"""Units written by an import, or through the ORM followed by `aggregates.refresh`, refresh only the communes
they touch, and leave every derived table as a full rebuild would; a write that does not refresh is caught.

Each test tampers with one row of a commune the write does not touch (a sentinel): still tampered afterwards, it
proves the refresh was partial; put back, the tables must equal a full rebuild (`fill_all`) and
`aggregates.differences` must be 0. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import MetaData, func, inspect, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import aggregates, details, measures, metrics
from data_access.filters import EVERYTHING, Month
from data_access.importing import import_file
from data_access.importing.checking import Consent
from data_access.measures import MEETING_MEASURES, MEETING_SUMS, ROLLUP_SUMS
from data_access.migrations import init_db, schema_differences, schema_problem
from data_access.models import Cell, Commune, Meeting, Organisation
from tests import factories as f
from tests.import_factories import TODAY, UNITS_HEADER, UNITS_ROWS, csv_bytes, rows_file, seed_units
from tests.small_district import period

pytestmark = pytest.mark.both_databases  # dialect-sensitive: runs on SQLite and PostgreSQL

cm = aggregates.commune_month_t
DERIVED = (
    aggregates.cell_month_t,
    aggregates.cell_month_running_t,
    aggregates.cell_month_band_t,
    aggregates.commune_month_t,
    aggregates.aggregate_span_t,
)
STORED = {table.name: table for table in aggregates.DERIVED}
MARCH = Month(2025, 3).index
JANUARY = Month(2025, 1).index


def derived_tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {t.name: sorted(tuple(r) for r in conn.execute(select(t))) for t in DERIVED}


def rebuilt_tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """What a full rebuild would store now (computed in a transaction that is rolled back)."""
    with engine.connect() as conn:
        transaction = conn.begin()
        aggregates.fill_all(conn)
        tables = {t.name: sorted(tuple(r) for r in conn.execute(select(t))) for t in DERIVED}
        transaction.rollback()
    return tables


def assert_as_rebuilt(engine: Engine) -> None:
    assert aggregates.differences(engine) == 0
    assert derived_tables(engine) == rebuilt_tables(engine)


def tamper(engine: Engine, commune_id: int, month: int) -> int:
    """Add 1000 to the meetings of one commune_month row (every kind of organisation); return the rows changed."""
    with engine.begin() as conn:
        where = (cm.c.commune_id == commune_id) & (cm.c.month == month)
        return conn.execute(update(cm).where(where).values(meetings=cm.c.meetings + 1000)).rowcount


def untamper(engine: Engine, commune_id: int, month: int) -> None:
    with engine.begin() as conn:
        where = (cm.c.commune_id == commune_id) & (cm.c.month == month)
        conn.execute(update(cm).where(where).values(meetings=cm.c.meetings - 1000))


def month_sums(engine: Engine, commune_id: int, month: int) -> tuple[int, ...]:
    """(due, held, on the fixed day, meetings, expected, present) of a commune's month, every kind summed."""
    c = cm.c
    names = ("due_cell_months", "held_cell_months", "on_fixed_day_cell_months", "meetings", "expected", "present")
    with engine.connect() as conn:
        row = conn.execute(
            select(*(func.coalesce(func.sum(c[n]), 0) for n in names)).where(
                c.commune_id == commune_id, c.month == month
            )
        ).one()
    return tuple(int(v) for v in row)


def commune_ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        c = Commune.__table__.c  # type: ignore[attr-defined]
        return {name: int(i) for i, name in conn.execute(select(c.id, c.name))}


def _seed_with_meetings(engine: Engine) -> dict[str, int]:
    """The import units (Lộc Sơn: thôn 1 day 3, thôn 2 day 5 until 2024; Hòa Lộc: its school cell, day 10) and a
    March 2025 meeting of thôn 1 on the 3rd and of the school cell on the 10th."""
    seed_units(engine)
    school = {
        "organisation": "Chi bộ Trường THCS Hòa Lộc",
        "cell": "Chi bộ Trường THCS Hòa Lộc",
        "members_total": 12,
        "members_exempt": 0,
        "present": 11,
        "absent_excused": 1,
        "absent_unexcused": 0,
    }
    meetings = rows_file("meetings", {"date": "2025-03-03"}, {**school, "date": "2025-03-10"})
    assert import_file(engine, "meetings", meetings, file_name="m.csv", today=TODAY).ok
    return commune_ids(engine)


def _import_units(engine: Engine, rows: list[list[Any]], *, consent: Consent | None = None) -> None:
    report = import_file(
        engine, "units", csv_bytes(UNITS_HEADER, rows), file_name="units2.csv", today=TODAY, consent=consent
    )
    assert report.ok and report.rows_updated == 1, [p.message("en") for p in report.problems]


def test_a_units_file_changing_one_cells_meeting_day_refreshes_only_its_commune(engine: Engine) -> None:
    ids = _seed_with_meetings(engine)
    loc_son, hoa_loc = ids["Lộc Sơn"], ids["Hòa Lộc"]
    # Lộc Sơn in March: thôn 1 due, held on the 3rd, its day (thôn 2 ended in 2024); 28 expected, 25 present
    assert month_sums(engine, loc_son, MARCH) == (1, 1, 1, 1, 28, 25)
    assert month_sums(engine, hoa_loc, MARCH) == (1, 1, 1, 1, 12, 11)
    assert tamper(engine, hoa_loc, MARCH) == 1
    rows = [list(r) for r in UNITS_ROWS]
    rows[0][UNITS_HEADER.index("meeting_day")] = 4  # thôn 1 now meets on the 4th: March's meeting was off its day
    _import_units(engine, rows)
    assert month_sums(engine, loc_son, MARCH) == (1, 1, 0, 1, 28, 25)
    assert month_sums(engine, hoa_loc, MARCH) == (1, 1, 1, 1001, 12, 11)  # not rewritten
    untamper(engine, hoa_loc, MARCH)
    assert_as_rebuilt(engine)


def test_a_units_file_changing_a_cells_active_dates_refreshes_its_commune_and_keeps_the_cell_months(
    engine: Engine,
) -> None:
    ids = _seed_with_meetings(engine)
    loc_son, hoa_loc = ids["Lộc Sơn"], ids["Hòa Lộc"]
    cell_months_before = {k: v for k, v in derived_tables(engine).items() if k.startswith("cell_month")}
    assert tamper(engine, loc_son, MARCH) == 1
    rows = [list(r) for r in UNITS_ROWS]
    rows[2][UNITS_HEADER.index("active_to")] = "2025-02-20"  # the school cell closes: last due month February
    _import_units(engine, rows)
    # Hòa Lộc in March (the span starts with the first meeting month, March): nothing due any more; its meeting
    # of the 10th still counts (12 expected, 11 present)
    assert month_sums(engine, hoa_loc, MARCH) == (0, 0, 0, 1, 12, 11)
    assert month_sums(engine, loc_son, MARCH)[3] == 1001  # not rewritten
    untamper(engine, loc_son, MARCH)
    # the cell × month tables come from the meetings alone: the same rows
    assert {k: v for k, v in derived_tables(engine).items() if k.startswith("cell_month")} == cell_months_before
    assert_as_rebuilt(engine)


def test_a_units_file_moving_an_organisation_refreshes_the_commune_it_left(engine: Engine) -> None:
    ids = _seed_with_meetings(engine)
    loc_son, hoa_loc = ids["Lộc Sơn"], ids["Hòa Lộc"]
    rows = [list(r) for r in UNITS_ROWS]
    rows[2][UNITS_HEADER.index("commune")] = "Lộc Sơn"  # the school's organisation now belongs to Lộc Sơn
    _import_units(engine, rows, consent=Consent(allow_moves=True))  # a move is an explicit, accepted change
    # March in Lộc Sơn: thôn 1 (28 expected, 25 present) and the school cell (12, 11), both held on their day
    assert month_sums(engine, loc_son, MARCH) == (2, 2, 2, 2, 40, 36)
    assert month_sums(engine, hoa_loc, MARCH) == (0, 0, 0, 0, 0, 0)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(cm).where(cm.c.commune_id == hoa_loc)).scalar_one() == 0
    assert_as_rebuilt(engine)


def test_an_organisation_moved_through_the_orm_and_refreshed_with_both_communes(
    engine: Engine,
    district: dict[str, int],
) -> None:
    loc_son, da_loc = district["loc_son"], district["da_loc"]
    # March 2025 (tests/small_district.py): Lộc Sơn c1, c2, c3 due, c1 and c2 held, c2 on its day; 3 meetings,
    # 28 + 12 + 20 = 60 expected, 25 + 12 + 18 = 55 present. Đa Lộc: c4 due, held on its day 5, 9 of 9.
    assert month_sums(engine, loc_son, MARCH) == (3, 2, 1, 3, 60, 55)
    assert month_sums(engine, da_loc, MARCH) == (1, 1, 1, 1, 9, 9)
    with Session(engine) as session:
        school = session.get(Organisation, district["p2"])
        assert school is not None
        school.commune_id = loc_son
        f.refresh(session, communes=[da_loc, loc_son])  # the commune it left and the one it joined
        session.commit()
    assert month_sums(engine, loc_son, MARCH) == (4, 3, 2, 4, 69, 64)
    assert month_sums(engine, da_loc, MARCH) == (0, 0, 0, 0, 0, 0)
    assert_as_rebuilt(engine)


def test_a_cell_deleted_through_the_orm_and_refreshed_changes_its_commune_only(
    engine: Engine,
    district: dict[str, int],
) -> None:
    loc_son, da_loc = district["loc_son"], district["da_loc"]
    assert tamper(engine, da_loc, MARCH) == 1
    with Session(engine) as session:  # c3's two meetings, then c3, in one transaction
        c3 = session.exec(select(Cell).where(Cell.name == "Chi bộ thôn 3")).one()[0]  # type: ignore[call-overload]
        for meeting in session.exec(select(Meeting).where(Meeting.cell_id == c3.id)).all():  # type: ignore[call-overload]
            session.delete(meeting[0])
        f.refresh(session, cells=[c3.id])  # flushed; its derived rows go before it: they refer to it
        session.delete(c3)
        f.refresh(session, communes=[loc_son])
        session.commit()
    # March in Lộc Sơn without c3 (due, met thematically: 20 expected, 18 present): c1 and c2 due and held, c2 on
    # its day; 2 meetings, 28 + 12 = 40 expected, 25 + 12 = 37 present
    assert month_sums(engine, loc_son, MARCH) == (2, 2, 1, 2, 40, 37)
    # January: c1 alone due, held on its day 3 (c3's meeting of the 3rd gone); Q1: c1 due, covered by its combined
    # meeting of March 5th
    assert month_sums(engine, loc_son, JANUARY)[:3] == (1, 1, 1)
    with engine.connect() as conn:
        quarters = conn.execute(
            select(cm.c.due_cell_quarters, cm.c.covered_cell_quarters).where(
                cm.c.commune_id == loc_son, cm.c.month == JANUARY
            )
        ).one()
    assert tuple(quarters) == (1, 1)
    assert month_sums(engine, da_loc, MARCH)[3] == 1001  # not rewritten
    untamper(engine, da_loc, MARCH)
    assert_as_rebuilt(engine)


def test_a_cell_without_meetings_added_then_deleted_through_the_orm_moves_its_communes_due_months(
    engine: Engine,
    district: dict[str, int],
) -> None:
    da_loc = district["da_loc"]
    with Session(engine) as session:
        school = session.get(Organisation, district["p2"])
        assert school is not None
        session.add(Cell(name="Chi bộ thứ hai", organisation_id=school.id, meeting_day=20))
        f.refresh(session, communes=[da_loc])
        session.commit()
    # Đa Lộc in March: c4 and the new cell (active since 2000, never met) due; c4 alone held
    assert month_sums(engine, da_loc, MARCH)[:3] == (2, 1, 1)
    assert_as_rebuilt(engine)
    with Session(engine) as session:
        added = session.exec(select(Cell).where(Cell.name == "Chi bộ thứ hai")).one()[0]  # type: ignore[call-overload]
        f.refresh(session, cells=[added.id])
        session.delete(added)
        f.refresh(session, communes=[da_loc])
        session.commit()
    assert month_sums(engine, da_loc, MARCH)[:3] == (1, 1, 1)
    assert_as_rebuilt(engine)


def test_a_cell_moved_to_an_organisation_of_another_commune_and_refreshed_changes_both(
    engine: Engine,
    district: dict[str, int],
) -> None:
    loc_son, da_loc = district["loc_son"], district["da_loc"]
    with Session(engine) as session:
        c2 = session.exec(select(Cell).where(Cell.name == "Chi bộ thôn 2")).one()[0]  # type: ignore[call-overload]
        c2.organisation_id = district["p2"]
        f.refresh(session, cells=[c2.id], communes=[loc_son])  # its commune now, and the one it left
        session.commit()
    # March: c2 (due, held on its day 10, 12 of 12) leaves Lộc Sơn for Đa Lộc
    assert month_sums(engine, loc_son, MARCH) == (2, 1, 0, 2, 48, 43)
    assert month_sums(engine, da_loc, MARCH) == (2, 2, 2, 2, 21, 21)
    assert_as_rebuilt(engine)


def test_the_check_command_exits_1_on_a_tampered_row_and_0_once_rebuilt(
    engine: Engine,
    district: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from data_access.cli import main
    from data_access.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()

    def check() -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        return main(["check"], out=out, err=err), out.getvalue(), err.getvalue()

    try:
        code, out, _ = check()
        assert code == 0 and out.startswith("derived tables in step")
        assert tamper(engine, district["loc_son"], MARCH) >= 1
        code, _, err = check()
        # the tampered commune_month row is stored but not computed, and its true row computed but not stored
        assert code == 1 and "commune_month 2;" in err
        aggregates.rebuild(engine)
        assert check()[0] == 0
    finally:
        get_settings.cache_clear()


def test_a_write_through_the_orm_without_refresh_is_caught_and_refresh_puts_it_right(engine: Engine) -> None:
    """The contract: nothing refreshes the derived tables behind a writer's back. One cell, one meeting of March
    2025 (8 of 10 present: band 16); its attendance changed to 10 of 10 (band 20) through the ORM, no refresh."""
    with Session(engine) as session:
        where = f.commune(session, "Xã Một", "X1")
        cell = f.cell(session, "Thôn 1", f.organisation(session, "Đảng bộ xã Một", where))
        meeting = f.meeting(session, cell, "2025-03-03", (10, 0, 8, 2, 0))
        session.commit()
        cell_id, meeting_id = int(cell.id), int(meeting.id)  # type: ignore[arg-type]
    assert aggregates.differences(engine) == 0
    with Session(engine) as session:
        stored = session.get(Meeting, meeting_id)
        assert stored is not None
        stored.present, stored.absent_excused = 10, 0
        session.commit()
    # March's cell_month row is stale (stored, not computed) and hides the true one (computed, not stored), and so
    # is its band-16 row (the band-20 row missing). The tables summed from cell_month are compared with a fresh sum
    # of it: in step with the stale row, they name no difference of their own.
    assert aggregates.differences_by_table(engine) == {
        "cell_month": 2,
        "cell_month_running": 0,
        "cell_month_band": 2,
        "commune_month": 0,
    }
    with engine.begin() as conn:
        aggregates.refresh(conn, cells=[cell_id])
    assert aggregates.differences(engine) == 0
    assert month_sums(engine, commune_ids(engine)["Xã Một"], MARCH) == (1, 1, 1, 1, 10, 10)


def test_the_derived_tables_and_their_sums_come_from_the_registry() -> None:
    """A measure is one entry of `MEETING_MEASURES`: every table that sums meetings has its column, and the
    commune rollup's SELECT sums it, with no model and no migration written for it."""
    assert set(MEETING_MEASURES) == set(MEETING_SUMS) and "long_meetings" in MEETING_SUMS
    for table in (aggregates.cell_month_t, aggregates.cell_month_running_t, aggregates.commune_month_t):
        assert set(MEETING_SUMS) <= set(table.c.keys()), table.name
    keys = ["commune_id", "organisation_kind", "month"]
    assert list(aggregates.commune_month_t.c.keys()) == [*keys, *ROLLUP_SUMS]
    rows = aggregates.commune_month_select((0, 11))
    assert [c.name for c in rows.selected_columns] == [*keys, *ROLLUP_SUMS]
    # a registry with one more measure gives tables with one more column
    more = measures.derived_tables(MetaData(), (*MEETING_SUMS, "good_quality"))
    for name in ("cell_month", "cell_month_running", "commune_month"):
        assert set(more[name].c.keys()) - set(STORED[name].c.keys()) == {"good_quality"}


def test_init_makes_anew_a_derived_table_without_a_measure_of_the_registry(
    engine: Engine, district: dict[str, int]
) -> None:
    """The worked example, `long_meetings`, reaching a database made before it existed: the database is at the
    newest revision, but its summing tables lack the column (made by a program without the measure, and left
    empty by it). No migration adds it: `init` sees the tables are not the registry's, makes them anew and
    fills them, and the metric read from `commune_month` equals the raw reference."""
    old_sums = [m for m in MEETING_SUMS if m != "long_meetings"]
    summing = ("cell_month", "cell_month_running", "commune_month")
    with engine.begin() as conn:
        # c1's meeting of 17 Feb lasts 60 minutes, c4's of 5 Jan has no duration: neither is long
        m = measures.meeting_t
        conn.execute(update(m).where(m.c.date == dt.date(2025, 2, 17)).values(duration_min=60))
        conn.execute(update(m).where(m.c.date == dt.date(2025, 1, 5)).values(duration_min=None))
        old = MetaData()
        old.reflect(conn, only=["cell", "commune"])
        made_before = measures.derived_tables(old, old_sums)
        for name in summing:
            STORED[name].drop(conn)
            made_before[name].create(conn)
    assert schema_problem(engine) == (
        "has derived tables made for other measures or indexes (cell_month, cell_month_running, commune_month): "
        "run `python -m data_access init`"
    )
    assert init_db(engine).endswith(
        "derived tables made anew for this program's measures and indexes: cell_month, cell_month_running, commune_month"
    )
    assert schema_problem(engine) is None and schema_differences(engine) == []
    assert aggregates.differences(engine) == 0
    cm = aggregates.commune_month_t.c
    with engine.connect() as conn:
        stored = dict(conn.execute(select(cm.commune_id, func.sum(cm.long_meetings)).group_by(cm.commune_id)).all())
    # Lộc Sơn: c1 4 meetings (17 Feb not long), c2 2, c3 2 -> 7 long; Đa Lộc: c4 4 (5 Jan not long) -> 3
    assert stored == {district["loc_son"]: 7, district["da_loc"]: 3}

    def by_commune() -> list[tuple[object, ...]]:
        df = metrics.compute("long_meetings", engine, filters=period(), scope=EVERYTHING, by="commune")
        return [
            (name, meetings, long, round(share, 4))
            for name, meetings, long, share in df[["commune", "meetings", "long_meetings", "long_meeting_share"]].values
        ]

    # up to as-of (4 April): Lộc Sơn 8 meetings, 7 long; Đa Lộc 3 (its 5 April one is after), 2 long
    assert by_commune() == [("Đa Lộc", 3, 2, round(2 / 3, 4)), ("Lộc Sơn", 8, 7, 0.875)]
    with metrics.from_raw_meetings():
        assert by_commune() == [("Đa Lộc", 3, 2, round(2 / 3, 4)), ("Lộc Sơn", 8, 7, 0.875)]
    # and the view read the rebuilt column: 100 more long meetings stored in Lộc Sơn's January show in it
    with engine.begin() as conn:
        january = (cm.commune_id == district["loc_son"]) & (cm.month == Month(2025, 1).index)
        conn.execute(update(aggregates.commune_month_t).where(january).values(long_meetings=cm.long_meetings + 100))
    assert by_commune()[1] == ("Lộc Sơn", 8, 107, round(107 / 8, 4))


def test_init_makes_anew_a_derived_table_without_an_index_of_the_registry(
    engine: Engine, district: dict[str, int]
) -> None:
    """A database made before `cell_month_band` had its (month, band, meetings) index, at the newest revision: no
    migration adds the index; `init` sees the table is not the registry's and makes it anew, index included, and
    the distribution of meeting rates still equals the raw reference."""
    (index,) = aggregates.cell_month_band_t.indexes
    with engine.begin() as conn:
        index.drop(conn)
    assert schema_problem(engine) == (
        "has derived tables made for other measures or indexes (cell_month_band): run `python -m data_access init`"
    )
    assert init_db(engine).endswith("derived tables made anew for this program's measures and indexes: cell_month_band")
    assert schema_problem(engine) is None and schema_differences(engine) == []
    with engine.connect() as conn:
        assert [i["name"] for i in inspect(conn).get_indexes("cell_month_band")] == ["ix_cell_month_band_month_band"]
    assert aggregates.differences(engine) == 0
    fast = details.meeting_rate_distribution(engine, filters=period(), scope=EVERYTHING)
    with metrics.from_raw_meetings():
        raw = details.meeting_rate_distribution(engine, filters=period(), scope=EVERYTHING)
    pd.testing.assert_frame_equal(fast, raw)
    assert int(fast["meetings"].sum()) > 0
