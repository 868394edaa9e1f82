"""The metrics stand on reported commune-months: regularity and on-the-fixed-day count the due cell-months of
reported commune-months only, the missed-meeting list holds reported months and lists the others apart, and the
rates say which communes have not reported. The district is the one of tests/test_reporting.py. SQLite and
PostgreSQL.
"""

from __future__ import annotations

from contextlib import nullcontext

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import metrics, reporting
from data_access.filters import EVERYTHING, Scope
from data_access.metrics import from_raw_meetings
from data_access.migrations import downgrade, init_db, migrate
from data_access.models import Cell, Organisation, Reporting
from tests import factories as f
from tests.test_reporting import (
    DEC,
    NOTHING_VI,
    NOV,
    OCT,
    SETTINGS,
    TODAY,
    _import,
    _period,
    build_towns,
)

pytestmark = pytest.mark.both_databases  # dialect-sensitive: runs on SQLite and PostgreSQL


@pytest.fixture
def towns(engine: Engine) -> dict[str, int]:
    return build_towns(engine)


# --------------------------------------------------------------------------------------------------------------
# Metrics stand on reported months


@pytest.mark.parametrize("raw", [False, True], ids=["aggregates", "raw meetings"])
def test_regularity_counts_reported_commune_months_only(engine: Engine, towns: dict[str, int], raw: bool) -> None:
    def table(by: str) -> list[tuple[object, ...]]:
        if raw:
            with from_raw_meetings():
                df = metrics.regularity(engine, filters=_period(), scope=EVERYTHING, by=by)
        else:
            df = metrics.regularity(engine, filters=_period(), scope=EVERYTHING, by=by)
        return [tuple(r) for r in df[[by, "due_cell_months", "held_cell_months", "on_fixed_day_cell_months"]].values]

    assert table("commune") == [
        ("An Lộc", 4, 3, 2),
        ("Bình Lộc", 4, 4, 4),
        ("Cẩm Lộc", 2, 1, 1),
        ("Đông Lộc", 2, 1, 1),
    ]
    assert table("month") == [("2025-10", 7, 6, 6), ("2025-11", 5, 3, 2)]
    total = metrics.regularity(engine, filters=_period(), scope=EVERYTHING, by="total").iloc[0]
    assert (total["due_cell_months"], total["held_cell_months"], total["on_fixed_day_cell_months"]) == (12, 9, 8)
    assert total["regularity_rate"] == pytest.approx(0.75)


def test_regularity_by_organisation_and_cell_agree(engine: Engine, towns: dict[str, int]) -> None:
    by_org = metrics.regularity(engine, filters=_period(), scope=EVERYTHING, by="organisation")
    assert by_org.set_index("organisation")["due_cell_months"].to_dict() == {
        "Đảng bộ xã An Lộc": 4,
        "Đảng bộ xã Bình Lộc": 4,
        "Đảng bộ xã Cẩm Lộc": 2,
        "Đảng bộ xã Đông Lộc": 2,
    }
    by_cell = metrics.regularity(engine, filters=_period(), scope=EVERYTHING, by="cell")
    cam = by_cell[by_cell["commune"] == "Cẩm Lộc"]
    assert cam[["cell", "due_cell_months", "held_cell_months"]].values.tolist() == [["Thôn 1", 1, 1], ["Thôn 2", 1, 0]]


def test_missed_meetings_list_reported_months_and_not_reported_apart(engine: Engine, towns: dict[str, int]) -> None:
    # the window: October, November and December (due: the 3rd has passed by the 10th); December nobody reported
    missed = metrics.missed_meetings(engine, filters=_period(), scope=EVERYTHING, window=3)
    assert missed[["commune", "cell", "months"]].values.tolist() == [
        ["An Lộc", "Thôn 2", "2025-11"],
        ["Cẩm Lộc", "Thôn 2", "2025-10"],
        ["Đông Lộc", "Thôn 1", "2025-11"],
    ]
    apart = metrics.not_reported_cells(engine, filters=_period(), scope=EVERYTHING, window=3)
    assert list(apart.columns) == ["commune", "organisation", "cell", "months_not_reported", "months"]
    assert apart[["commune", "cell", "months"]].values.tolist() == [
        ["An Lộc", "Thôn 1", "2025-12"],
        ["An Lộc", "Thôn 2", "2025-12"],
        ["Bình Lộc", "Thôn 1", "2025-12"],
        ["Bình Lộc", "Thôn 2", "2025-12"],
        ["Cẩm Lộc", "Thôn 1", "2025-11, 2025-12"],
        ["Cẩm Lộc", "Thôn 2", "2025-11, 2025-12"],
        ["Đông Lộc", "Thôn 1", "2025-12"],
    ]


def test_least_regular_grid_ranks_on_reported_months(engine: Engine, towns: dict[str, int]) -> None:
    grid, total = metrics.least_regular_grid(engine, filters=_period(), scope=EVERYTHING, max_cells=3)
    assert total == 7
    order = list(dict.fromkeys(zip(grid["commune"], grid["cell"], strict=True)))
    # Cẩm Lộc Thôn 2: 0 of 1 reported month; then 1 of 2: An Lộc Thôn 2 and Đông Lộc Thôn 1, by name
    assert order == [("Cẩm Lộc", "Thôn 2"), ("An Lộc", "Thôn 2"), ("Đông Lộc", "Thôn 1")]
    assert grid[grid["commune"] == "Cẩm Lộc"]["month"].tolist() == ["2025-10"]


@pytest.mark.parametrize("raw", [False, True], ids=["aggregates", "raw meetings"])
def test_a_meeting_in_a_month_not_reported_does_not_count_in_the_grid(
    engine: Engine, towns: dict[str, int], raw: bool
) -> None:
    # Cẩm Lộc has not reported November; a meeting of its Thôn 2 that month written outside an import (no
    # reporting row) leaves the month uncounted: Thôn 2 stays 0 held of 1 due (October) and first in the grid.
    # Were the meeting counted it would be 1 of 1 and not among the three least regular.
    with Session(engine) as session:
        cell = session.scalars(
            select(Cell).join(Organisation).where(Organisation.commune_id == towns["Cẩm Lộc"], Cell.name == "Thôn 2")
        ).one()
        f.meeting(session, cell, "2025-11-03", (10, 0, 8, 1, 1))
        session.commit()
    with from_raw_meetings() if raw else nullcontext():
        grid, total = metrics.least_regular_grid(engine, filters=_period(), scope=EVERYTHING, max_cells=3)
        by_cell = metrics.regularity(engine, filters=_period(), scope=EVERYTHING, by="cell")
    assert total == 7
    order = list(dict.fromkeys(zip(grid["commune"], grid["cell"], strict=True)))
    assert order == [("Cẩm Lộc", "Thôn 2"), ("An Lộc", "Thôn 2"), ("Đông Lộc", "Thôn 1")]
    assert grid[grid["commune"] == "Cẩm Lộc"][["month", "held"]].values.tolist() == [["2025-10", False]]
    cam = by_cell[by_cell["commune"] == "Cẩm Lộc"]
    assert cam[["cell", "due_cell_months", "held_cell_months"]].values.tolist() == [["Thôn 1", 1, 1], ["Thôn 2", 1, 0]]


def test_rates_say_which_communes_have_not_reported(engine: Engine, towns: dict[str, int]) -> None:
    gaps = reporting.unreported_months(engine, filters=_period(), scope=EVERYTHING)
    assert [(g.month, g.communes) for g in gaps] == [(NOV, ("Cẩm Lộc",))]
    through_december = reporting.unreported_months(engine, filters=_period(end=DEC), scope=EVERYTHING)
    assert [(g.month, len(g.communes)) for g in through_december] == [(NOV, 1), (DEC, 4)]
    assert reporting.unreported_months(engine, filters=_period(), scope=Scope.only(towns["An Lộc"])) == []


def test_a_district_where_every_commune_reports_keeps_its_numbers(engine: Engine, towns: dict[str, int]) -> None:
    # Cẩm Lộc sends November (nobody met): its two cells' November counts as due and missed, as before
    nothing = NOTHING_VI.replace("Đông Lộc".encode(), "Cẩm Lộc".encode())
    _import(engine, "cam-loc-11.csv", nothing, "2025-12-04 02:00")
    row = (
        metrics.regularity(engine, filters=_period(), scope=EVERYTHING, by="commune")
        .set_index("commune")
        .loc["Cẩm Lộc"]
    )
    assert (row["due_cell_months"], row["held_cell_months"]) == (4, 1)
    assert reporting.unreported_months(engine, filters=_period(), scope=EVERYTHING) == []


# --------------------------------------------------------------------------------------------------------------
# Databases without reporting records, and the migration


def test_without_any_reporting_record_every_month_counts_as_before(engine: Engine) -> None:
    with Session(engine) as s:
        where = f.commune(s, "Xã Một", "X1")
        org = f.organisation(s, "Đảng bộ xã Một", where)
        cell = f.cell(s, "Thôn 1", org)
        f.meeting(s, cell, "2025-10-03", (10, 0, 9, 1, 0))
        s.commit()
    assert not reporting.is_tracking(engine)
    row = metrics.regularity(engine, filters=_period(), scope=EVERYTHING, by="total").iloc[0]
    assert (row["due_cell_months"], row["held_cell_months"]) == (2, 1)
    assert metrics.missed_meetings(engine, filters=_period(), scope=EVERYTHING, window=3)["months"].tolist() == [
        "2025-11, 2025-12"
    ]
    assert reporting.unreported_months(engine, filters=_period(), scope=EVERYTHING) == []


def test_the_migration_records_months_with_stored_meetings_as_reported(blank_engine: Engine) -> None:
    init_db(blank_engine)
    with Session(blank_engine) as s:
        where = f.commune(s, "Xã Một", "X1")
        org = f.organisation(s, "Đảng bộ xã Một", where)
        cell = f.cell(s, "Thôn 1", org)
        f.meeting(s, cell, "2025-10-03", (10, 0, 9, 1, 0))
        f.meeting(s, cell, "2025-10-20", (10, 0, 9, 1, 0), kind="thematic", about=f.topic(s, "Chủ đề", "Topic"))
        s.commit()
        commune_id = where.id
    downgrade(blank_engine, revision="0013")
    migrate(blank_engine)
    r = Reporting.__table__.c  # type: ignore[attr-defined]
    with blank_engine.connect() as conn:
        rows = conn.execute(select(r.commune_id, r.month, r.meetings, r.received_at)).all()
    assert [tuple(r) for r in rows] == [(commune_id, OCT.index, 2, None)]
    status = reporting.status_for_month(blank_engine, OCT, today=TODAY, settings=SETTINGS, scope=EVERYTHING)
    assert status[["commune", "status"]].values.tolist() == [["Xã Một", "received"]]
    # now tracked: November, with nothing stored, is not reported, and its cell is not listed as missed
    row = metrics.regularity(blank_engine, filters=_period(), scope=EVERYTHING, by="total").iloc[0]
    assert (row["due_cell_months"], row["held_cell_months"]) == (1, 1)
    assert metrics.missed_meetings(blank_engine, filters=_period(), scope=EVERYTHING, window=3).empty


def test_the_monthly_briefing_lists_the_communes_that_have_not_reported(engine: Engine, towns: dict[str, int]) -> None:
    from data_access.briefing.content import build_briefing
    from data_access.briefing.layout import document

    briefing = build_briefing(engine, month=NOV, today=TODAY, scope=EVERYTHING)
    assert briefing.not_reported.values.tolist() == [["Cẩm Lộc", "missing", 2]]
    # the month's regularity stands on the reported communes: 5 due cell-months, 3 held
    assert briefing.regularity[["due_cell_months", "held_cell_months"]].values.tolist() == [[5, 3]]
    tables = [table for section in document(briefing, lang="vi", issued_on=TODAY).sections for table in section.tables]
    (listed,) = [table for table in tables if table.title.startswith("5. Xã, thị trấn chưa gửi số liệu")]
    assert listed.title.endswith("(1)")
    assert listed.rows == [["1", "Cẩm Lộc", "Quá hạn, chưa gửi", "2"]]
    assert "05/12/2025" in listed.note
    # a commune's briefing lists its own commune only, and nothing once it has reported
    own = build_briefing(engine, month=NOV, today=TODAY, communes=[towns["An Lộc"]], scope=EVERYTHING)
    assert own.not_reported.empty
