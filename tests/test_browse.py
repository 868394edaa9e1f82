"""The browse queries on the small district (tests/small_district.py), numbers worked out by hand.

Period 2025-01 .. 2025-04, as of 2025-04-04 unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data_access import browse
from data_access.filters import EVERYTHING, Scope
from data_access.models import Cell, Organisation, Topic
from tests import factories as f
from tests.small_district import HCM, period


def _org(engine: Engine, name: str) -> Organisation:
    with Session(engine) as s:
        return s.exec(select(Organisation).where(Organisation.name == name)).one()


def _cell(engine: Engine, name: str) -> Cell:
    with Session(engine) as s:
        return s.exec(select(Cell).where(Cell.name == name)).one()


# ----- search


def test_search_key_drops_accents_case_and_the_crossed_d() -> None:
    assert browse.search_key("  Đảng bộ xã  LỘC Sơn ") == "dang bo xa loc son"


def test_name_matches_every_word_without_accents() -> None:
    names = pd.Series(["Chi bộ thôn 1", "Chi bộ Trường THCS Đa Lộc", "Đảng bộ xã Lộc Sơn"])
    assert list(browse.name_matches(names, "loc truong")) == [False, True, False]
    assert list(browse.name_matches(names, "  ")) == [True, True, True]


# ----- thematic


def test_last_due_quarter_is_the_last_whole_ended_quarter_of_the_period() -> None:
    # 2025-01..2025-04 as of 2025-04-04: Q1 has ended, Q2 has not
    assert browse.last_due_quarter(period()) == "2025-Q1"
    assert browse.last_due_quarter(period(start="2025-02")) is None  # Q1 is not wholly in the period


def test_cells_without_thematic_meeting_in_the_last_due_quarter(engine: Engine, district: dict[str, int]) -> None:
    # Q1 2025: due cells c1, c3, c4 (c2 founded 15/02); c1 combined 05/03, c3 thematic 03/03 -> only c4 missing,
    # and c4 never held a thematic meeting
    df = browse.cells_without_thematic(engine, filters=period(), scope=EVERYTHING)
    assert list(df.columns) == list(browse.CELLS_WITHOUT_THEMATIC_COLUMNS)
    assert df.values.tolist() == [["Đa Lộc", "Chi bộ Trường THCS Đa Lộc", "Chi bộ Trường THCS Đa Lộc", "2025-Q1", None]]


def test_cells_without_thematic_gives_the_latest_earlier_thematic_meeting(
    engine: Engine,
    district: dict[str, int],
) -> None:
    c4 = _cell(engine, "Chi bộ Trường THCS Đa Lộc")
    with Session(engine) as s:
        hcm = s.exec(select(Topic).where(Topic.name_vi == HCM)).one()
        f.meeting(s, c4, "2024-11-12", (10, 1, 9, 0, 0), kind="thematic", about=hcm)
        f.meeting(s, c4, "2024-08-20", (10, 1, 9, 0, 0), kind="thematic", about=hcm)
        s.commit()
    df = browse.cells_without_thematic(engine, filters=period(), scope=EVERYTHING)
    assert df["last_thematic_meeting"].tolist() == [dt.date(2024, 11, 12)]


def test_cells_without_thematic_dates_each_cell_by_its_meetings_up_to_as_of(
    engine: Engine,
    district: dict[str, int],
) -> None:
    c4 = _cell(engine, "Chi bộ Trường THCS Đa Lộc")
    with Session(engine) as s:
        hcm = s.exec(select(Topic).where(Topic.name_vi == HCM)).one()
        f.meeting(s, c4, "2024-10-15", (10, 1, 9, 0, 0), kind="thematic", about=hcm)
        f.meeting(s, c4, "2025-04-20", (10, 1, 9, 0, 0), kind="thematic", about=hcm)  # after as-of 04/04
        s.commit()
    # Q1 2025: c4 missed it; its latest thematic meeting up to as-of is 15/10/2024, not 20/04 (after as-of) nor
    # the others' (c1 05/03, c3 03/03)
    df = browse.cells_without_thematic(engine, filters=period(), scope=EVERYTHING)
    assert df.values.tolist() == [
        ["Đa Lộc", "Chi bộ Trường THCS Đa Lộc", "Chi bộ Trường THCS Đa Lộc", "2025-Q1", dt.date(2024, 10, 15)]
    ]
    # as of 20/04 the April meeting counts (Q1 is still the last due quarter)
    df = browse.cells_without_thematic(engine, filters=period(as_of=dt.date(2025, 4, 20)), scope=EVERYTHING)
    assert df["last_thematic_meeting"].tolist() == [dt.date(2025, 4, 20)]


def test_cells_without_thematic_is_empty_with_fixed_columns_when_no_quarter_is_due(
    engine: Engine,
    district: dict[str, int],
) -> None:
    df = browse.cells_without_thematic(engine, filters=period(start="2025-04"), scope=EVERYTHING)
    assert df.empty and list(df.columns) == list(browse.CELLS_WITHOUT_THEMATIC_COLUMNS)


def test_topic_names_in_vietnamese_order(engine: Engine, district: dict[str, int]) -> None:
    df = browse.topic_names(engine)
    # "Học …" before "Xây …"
    assert df["topic"].tolist() == [HCM, "Xây dựng nông thôn mới"]
    assert df["topic_en"].iloc[1] == "Building new rural areas"


# ----- inspections


def _more_follow_ups(engine: Engine) -> None:
    """I6: p2, correction required, due 01/05/2025, open. I7: p1, disciplined, no due date, open.
    I8: p1, correction required, due 10/04/2025 but resolved 02/04/2025 (before as-of): closed."""
    p1, p2 = _org(engine, "Đảng bộ xã Lộc Sơn"), _org(engine, "Chi bộ Trường THCS Đa Lộc")
    with Session(engine) as s:
        f.inspection(s, p2, "2025-03-20", "correction_required", concluded_on="2025-03-25", follow_up_due="2025-05-01")
        f.inspection(s, p1, "2025-03-22", "disciplined", concluded_on="2025-03-30", body="Ban Thường vụ Huyện ủy")
        f.inspection(
            s,
            p1,
            "2025-02-22",
            "correction_required",
            concluded_on="2025-02-28",
            follow_up_due="2025-04-10",
            resolved_on="2025-04-02",
        )
        s.commit()


def test_open_follow_ups_not_yet_due_soonest_first(engine: Engine, district: dict[str, int]) -> None:
    # I1 and I4 are overdue, I2 and I8 resolved: open and not yet due are I6 (27 days left) and I7 (no due date)
    _more_follow_ups(engine)
    df = browse.open_follow_ups(engine, filters=period(), scope=EVERYTHING)
    assert list(df.columns) == list(browse.OPEN_FOLLOW_UP_COLUMNS)
    assert df["organisation"].tolist() == ["Chi bộ Trường THCS Đa Lộc", "Đảng bộ xã Lộc Sơn"]
    assert df["days_left"].tolist() == [27, pd.NA]
    assert df["outcome"].tolist() == ["correction_required", "disciplined"]


def test_open_follow_ups_of_two_as_of_days_from_one_statement(engine: Engine, district: dict[str, int]) -> None:
    # The list is built once per shape and run again with the next as-of day bound. On 21/03/2025: I8 (due 10/04,
    # resolved only on 02/04) has 20 days left, I6 (due 01/05) 41; I7 starts on 22/03, I1 and I4 are overdue.
    _more_follow_ups(engine)
    earlier = browse.open_follow_ups(engine, filters=period(as_of=dt.date(2025, 3, 21)), scope=EVERYTHING)
    assert earlier["organisation"].tolist() == ["Đảng bộ xã Lộc Sơn", "Chi bộ Trường THCS Đa Lộc"]
    assert earlier["days_left"].tolist() == [20, 41]
    later = browse.open_follow_ups(engine, filters=period(), scope=EVERYTHING)  # as of 04/04: I6 and I7
    assert later["days_left"].tolist() == [27, pd.NA]


def test_open_follow_ups_follow_the_commune_filter(engine: Engine, district: dict[str, int]) -> None:
    _more_follow_ups(engine)
    df = browse.open_follow_ups(engine, filters=period(communes=(district["loc_son"],)), scope=EVERYTHING)
    assert df["body"].tolist() == ["Ban Thường vụ Huyện ủy"]


def test_open_follow_ups_follow_the_scope(engine: Engine, district: dict[str, int]) -> None:
    _more_follow_ups(engine)
    df = browse.open_follow_ups(engine, filters=period(), scope=Scope.only(district["da_loc"]))
    assert df["organisation"].tolist() == ["Chi bộ Trường THCS Đa Lộc"]


def test_inspection_list_in_the_period_newest_first_with_status(engine: Engine, district: dict[str, int]) -> None:
    # In the period (by conclusion, else start): I3 01/03 (start), I2 10/02, I1 20/01, I5 05/01; I4 (12/2024) is not
    df = browse.inspection_list(engine, filters=period(), scope=EVERYTHING)
    assert list(df.columns) == list(browse.INSPECTION_LIST_COLUMNS)
    assert df["outcome"].tolist() == ["commended", "correction_required", "correction_required", "satisfactory"]
    assert df["follow_up_status"].tolist() == ["none", "resolved", "overdue", "none"]


def test_inspection_list_of_one_cell(engine: Engine, district: dict[str, int]) -> None:
    c1 = _cell(engine, "Chi bộ thôn 1")
    df = browse.inspection_list(engine, filters=period(), scope=EVERYTHING, cell_id=c1.id)
    assert df["started_on"].tolist() == [dt.date(2025, 2, 1)]  # I2 is the only one naming c1


# ----- classification


def test_organisation_levels_of_the_period_years(engine: Engine, district: dict[str, int]) -> None:
    # years 2023..2024; the cell rating of c1 is not an organisation's
    df = browse.organisation_levels(
        engine, filters=period(start="2023-01", end="2024-12", as_of=dt.date(2025, 1, 10)), scope=EVERYTHING
    )
    assert df.values.tolist() == [
        ["Đa Lộc", "Chi bộ Trường THCS Đa Lộc", 2023, "complete"],
        ["Đa Lộc", "Chi bộ Trường THCS Đa Lộc", 2024, "not_complete"],
        ["Lộc Sơn", "Đảng bộ xã Lộc Sơn", 2023, "excellent"],
        ["Lộc Sơn", "Đảng bộ xã Lộc Sơn", 2024, "good"],
    ]


def _excellent_history(engine: Engine) -> None:
    """p1 excellent 2021, 2022, 2023 (run of 3; 2024 good); p2 excellent 2021 only (a run of 1)."""
    p1, p2 = _org(engine, "Đảng bộ xã Lộc Sơn"), _org(engine, "Chi bộ Trường THCS Đa Lộc")
    with Session(engine) as s:
        f.rating(s, p1, 2021, "excellent")
        f.rating(s, p1, 2022, "excellent")
        f.rating(s, p2, 2021, "excellent")
        s.commit()


def test_a_period_without_a_classified_year_shows_the_two_latest_classified_years(
    engine: Engine,
    district: dict[str, int],
) -> None:
    # Organisations are classified for 2023 and 2024 (p1 and p2); nothing for 2025, whose end is not reached.
    assert browse.latest_rated_years(engine, filters=period(), scope=EVERYTHING) == period(
        start="2023-01", end="2024-12"
    )
    # a period holding a classified year is kept as it is, even when it holds only one
    one_year = period(start="2024-06", end="2025-04")
    assert browse.latest_rated_years(engine, filters=one_year, scope=EVERYTHING) == one_year
    # only years up to the period's end count: before 2023 there is none
    assert browse.latest_rated_years(engine, filters=period(start="2022-01", end="2022-12"), scope=EVERYTHING) is None
    # the commune's own organisation: Đa Lộc's p2 has 2023 and 2024 too; a scope without any organisation, none
    da_loc = period(communes=(district["da_loc"],))
    assert browse.latest_rated_years(engine, filters=da_loc, scope=EVERYTHING) == period(
        start="2023-01", end="2024-12", communes=(district["da_loc"],)
    )
    assert browse.latest_rated_years(engine, filters=period(), scope=Scope(communes=frozenset({-1}))) is None


def test_excellent_runs_count_consecutive_years(engine: Engine, district: dict[str, int]) -> None:
    _excellent_history(engine)
    df = browse.excellent_runs(
        engine, filters=period(start="2023-01", end="2024-12", as_of=dt.date(2025, 1, 10)), scope=EVERYTHING
    )
    assert df.values.tolist() == [["Lộc Sơn", "Đảng bộ xã Lộc Sơn", 3, 2021, 2023]]


def test_excellent_runs_must_reach_into_the_period(engine: Engine, district: dict[str, int]) -> None:
    _excellent_history(engine)
    df = browse.excellent_runs(engine, filters=period(), scope=EVERYTHING)  # 2025: the run ended in 2023
    assert df.empty and list(df.columns) == list(browse.EXCELLENT_RUN_COLUMNS)


def test_excellent_runs_with_a_longer_minimum(engine: Engine, district: dict[str, int]) -> None:
    _excellent_history(engine)
    filters = period(start="2023-01", end="2024-12", as_of=dt.date(2025, 1, 10))
    assert browse.excellent_runs(engine, filters=filters, scope=EVERYTHING, min_years=4).empty


# ----- organisations


def test_units_list_every_cell_in_vietnamese_order(engine: Engine, district: dict[str, int]) -> None:
    df = browse.units(engine, filters=period(), scope=EVERYTHING)
    assert list(df.columns) == list(browse.UNIT_COLUMNS)
    # Đa Lộc before Lộc Sơn; thôn 1, 2, 3
    assert df["cell"].tolist() == ["Chi bộ Trường THCS Đa Lộc", "Chi bộ thôn 1", "Chi bộ thôn 2", "Chi bộ thôn 3"]
    assert df["members"].sum() == 10 + 30 + 12 + 20


def test_units_active_on_a_day(engine: Engine, district: dict[str, int]) -> None:
    df = browse.units(engine, filters=period(communes=(district["loc_son"],)), scope=EVERYTHING)
    # on 01/04/2025 c3 is closed (20/03) and c2 open (15/02)
    assert df[browse.active_on(df, dt.date(2025, 4, 1))]["cell"].tolist() == ["Chi bộ thôn 1", "Chi bộ thôn 2"]


def test_meeting_list_of_a_cell_newest_first_with_its_rate(engine: Engine, district: dict[str, int]) -> None:
    c1 = _cell(engine, "Chi bộ thôn 1")
    df = browse.meeting_list(engine, filters=period(), scope=EVERYTHING, cell_id=c1.id)
    assert list(df.columns) == list(browse.MEETING_LIST_COLUMNS)
    assert [d.isoformat() for d in df["date"]] == ["2025-03-05", "2025-02-17", "2025-02-03", "2025-01-03"]
    assert df["topic"].iloc[0] == HCM and df["topic"].iloc[1:].isna().all()
    # 25/28, 20/28, 28/28, 26/28
    assert df["participation_rate"].round(4).tolist() == [0.8929, 0.7143, 1.0, 0.9286]
    assert df["superior_attended"].tolist() == [False, False, False, True]


def test_meeting_list_stops_at_the_as_of_date(engine: Engine, district: dict[str, int]) -> None:
    c4 = _cell(engine, "Chi bộ Trường THCS Đa Lộc")
    df = browse.meeting_list(engine, filters=period(), scope=EVERYTHING, cell_id=c4.id)
    assert len(df) == 3  # the 05/04 meeting is after 04/04


def test_meeting_list_outside_the_scope_is_empty(engine: Engine, district: dict[str, int]) -> None:
    c4 = _cell(engine, "Chi bộ Trường THCS Đa Lộc")
    df = browse.meeting_list(engine, filters=period(), scope=Scope.only(district["loc_son"]), cell_id=c4.id)
    assert df.empty and list(df.columns) == list(browse.MEETING_LIST_COLUMNS)
