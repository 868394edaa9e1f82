"""Every metric on a small hand-built district; each expected number is worked out in the comments.

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

import contextlib
import datetime as dt
import math

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import metrics
from data_access.errors import UserError
from data_access.filters import EVERYTHING, Month, Scope
from tests import factories as f
from tests.small_district import HCM, NTM, district, period

pytestmark = pytest.mark.both_databases  # dialect-sensitive: runs on SQLite and PostgreSQL

__all__ = ["district"]


def rows(df: pd.DataFrame) -> list[tuple[object, ...]]:
    """Rows as tuples, rates rounded to 4 places, NaN as None: easy to compare with hand-worked values."""
    out = []
    for rec in df.itertuples(index=False):
        out.append(
            tuple(
                None if isinstance(v, float) and math.isnan(v) else round(v, 4) if isinstance(v, float) else v
                for v in rec
            )
        )
    return out


# ---------------------------------------------------------------------------------------------------- regularity


def test_regularity_total_counts_due_held_and_fixed_day_cell_months(engine: Engine, district) -> None:
    df = metrics.regularity(engine, filters=period(), scope=EVERYTHING, by="year")
    assert rows(df) == [(2025, 11, 8, 6, round(8 / 11, 4), round(6 / 11, 4))]


def test_regularity_by_commune_sorts_d_stroke_before_l(engine: Engine, district) -> None:
    df = metrics.regularity(engine, filters=period(), scope=EVERYTHING, by="commune")
    # Đa Lộc: c4 due 3, held 3, fixed 2. Lộc Sơn: due 4 + 1 + 3 = 8, held 3 + 1 + 1 = 5, fixed 2 + 1 + 1 = 4.
    assert list(df.columns) == ["commune", *metrics.REGULARITY_COLUMNS]
    assert rows(df) == [
        ("Đa Lộc", 3, 3, 2, 1.0, round(2 / 3, 4)),
        ("Lộc Sơn", 8, 5, 4, round(5 / 8, 4), 0.5),
    ]


def test_regularity_by_month_counts_two_meetings_in_one_month_once(engine: Engine, district) -> None:
    df = metrics.regularity(engine, filters=period(), scope=EVERYTHING, by="month")
    # Jan: c1 c3 c4 all held on the day. Feb: c1 (3rd and 17th: once), c4 on the 6th; c3 missed.
    # Mar: c1 combined on the 5th, c2 on the 10th, c4 on the 5th; c3 only thematic. Apr: only c1 due, missed.
    assert rows(df) == [
        ("2025-01", 3, 3, 3, 1.0, 1.0),
        ("2025-02", 3, 2, 1, round(2 / 3, 4), round(1 / 3, 4)),
        ("2025-03", 4, 3, 2, 0.75, 0.5),
        ("2025-04", 1, 0, 0, 0.0, 0.0),
    ]


def test_regularity_by_cell_handles_founded_and_dissolved_cells(engine: Engine, district) -> None:
    df = metrics.regularity(engine, filters=period(), scope=EVERYTHING, by="cell")
    by_cell = {r[2]: r[3:6] for r in rows(df)}
    assert by_cell == {
        "Chi bộ thôn 1": (4, 3, 2),
        "Chi bộ thôn 2": (1, 1, 1),  # founded 15 Feb: March is its first due month
        "Chi bộ thôn 3": (3, 1, 1),  # dissolved 20 Mar: still due in March
        "Chi bộ Trường THCS Đa Lộc": (3, 3, 2),
    }
    assert list(df["cell"]) == ["Chi bộ Trường THCS Đa Lộc", "Chi bộ thôn 1", "Chi bộ thôn 2", "Chi bộ thôn 3"]


def test_current_month_is_due_only_after_the_scheduled_day(engine: Engine, district) -> None:
    on_the_day = metrics.regularity(engine, filters=period(as_of=dt.date(2025, 4, 3)), scope=EVERYTHING, by="month")
    after_it = metrics.regularity(engine, filters=period(as_of=dt.date(2025, 4, 4)), scope=EVERYTHING, by="month")
    # On 3 April c1's meeting day (the 3rd) has not passed yet: April has no due cell-month at all.
    assert list(on_the_day["month"]) == ["2025-01", "2025-02", "2025-03"]
    assert rows(after_it)[-1] == ("2025-04", 1, 0, 0, 0.0, 0.0)


def test_filter_by_organisation_kind_and_by_organisation(engine: Engine, district) -> None:
    cells_only = metrics.regularity(
        engine, filters=period(organisation_kind="party_cell"), scope=EVERYTHING, by="organisation"
    )
    assert rows(cells_only) == [("Đa Lộc", "Chi bộ Trường THCS Đa Lộc", 3, 3, 2, 1.0, round(2 / 3, 4))]
    one_org = metrics.regularity(
        engine, filters=period(organisations=(district["p1"],)), scope=EVERYTHING, by="commune"
    )
    assert rows(one_org) == [("Lộc Sơn", 8, 5, 4, 0.625, 0.5)]


def test_filter_by_commune_and_scope_intersect(engine: Engine, district) -> None:
    mine = metrics.regularity(engine, filters=period(communes=(district["loc_son"],)), scope=EVERYTHING, by="commune")
    assert list(mine["commune"]) == ["Lộc Sơn"]
    outside = metrics.regularity(
        engine, filters=period(communes=(district["da_loc"],)), scope=Scope.only(district["loc_son"]), by="cell"
    )
    assert outside.empty
    assert list(outside.columns) == ["commune", "organisation", "cell", *metrics.REGULARITY_COLUMNS]


def test_cell_month_grid_marks_held_and_fixed_day(engine: Engine, district) -> None:
    grid = metrics.cell_months(engine, filters=period(), scope=EVERYTHING)
    c3 = grid[grid["cell"] == "Chi bộ thôn 3"]
    assert list(zip(c3["month"], c3["held"], c3["on_fixed_day"], strict=True)) == [
        ("2025-01", True, True),
        ("2025-02", False, False),
        ("2025-03", False, False),
    ]
    assert len(grid) == 11


# ------------------------------------------------------------------------------------------------- participation


def test_participation_is_weighted_and_excludes_exempt_members(engine: Engine, district) -> None:
    df = metrics.participation(engine, filters=period(), scope=EVERYTHING, by="commune")
    # Đa Lộc: 3 meetings, expected 27, present 26, excused 1. Lộc Sơn: 8 meetings, expected 112 + 24 + 40 = 176,
    # present 99 + 22 + 33 = 154, excused 8 + 2 + 5 = 15, unexcused 5 + 0 + 2 = 7; 154 / 176 = 0.875.
    assert rows(df) == [
        ("Đa Lộc", 3, 27, 26, 1, 0, round(26 / 27, 4)),
        ("Lộc Sơn", 8, 176, 154, 15, 7, 0.875),
    ]


def test_participation_total_is_not_a_mean_of_meeting_ratios(engine: Engine, district) -> None:
    df = metrics.participation(engine, filters=period(), scope=EVERYTHING, by="year")
    assert rows(df) == [(2025, 11, 203, 180, 16, 7, round(180 / 203, 4))]


def test_participation_by_quarter_counts_meetings_up_to_as_of(engine: Engine, district) -> None:
    df = metrics.participation(engine, filters=period(), scope=EVERYTHING, by="quarter")
    # Q2 up to 4 April: only c2's thematic meeting of 2 April (the 5 April one is after as-of).
    assert rows(df) == [("2025-Q1", 10, 191, 170, 14, 7, round(170 / 191, 4)), ("2025-Q2", 1, 12, 10, 2, 0, 0.8333)]


def test_superior_attendance(engine: Engine, district) -> None:
    df = metrics.superior_attendance(engine, filters=period(), scope=EVERYTHING, by="commune")
    assert rows(df) == [("Đa Lộc", 3, 1, round(1 / 3, 4)), ("Lộc Sơn", 8, 1, 0.125)]


def _set_durations(engine: Engine, minutes: dict[tuple[str, str], int | None]) -> None:
    """Set the duration of the meetings named by (cell, date) through the ORM, refreshing the derived tables."""
    from sqlmodel import select

    from data_access.models import Cell, Meeting

    with Session(engine) as session:
        for (cell, day), duration in minutes.items():
            meeting = session.exec(
                select(Meeting).join(Cell).where(Cell.name == cell, Meeting.date == dt.date.fromisoformat(day))
            ).one()
            meeting.duration_min = duration
            f.refresh(session, cells=[meeting.cell_id])
        session.commit()


def test_long_meetings_are_those_of_at_least_90_minutes(engine: Engine, district) -> None:
    # Every meeting lasts 90 minutes (tests/factories.py) but these: c1 17 Feb 60, c3 3 Mar 89, c2 2 Apr not
    # recorded (not long), c4 6 Feb 120 (long), c4 5 Mar 45.
    _set_durations(
        engine,
        {
            ("Chi bộ thôn 1", "2025-02-17"): 60,
            ("Chi bộ thôn 3", "2025-03-03"): 89,
            ("Chi bộ thôn 2", "2025-04-02"): None,
            ("Chi bộ Trường THCS Đa Lộc", "2025-02-06"): 120,
            ("Chi bộ Trường THCS Đa Lộc", "2025-03-05"): 45,
        },
    )
    for raw in (False, True):
        with metrics.from_raw_meetings() if raw else contextlib.nullcontext():
            by_commune = metrics.compute("long_meetings", engine, filters=period(), scope=EVERYTHING, by="commune")
            by_month = metrics.compute("long_meetings", engine, filters=period(), scope=EVERYTHING, by="month")
        # Lộc Sơn: c1 4 meetings, c2 2 (10 Mar, 2 Apr), c3 2 -> 8, all long but 17 Feb, 3 Mar and 2 Apr -> 5.
        # Đa Lộc: c4 3 up to as-of (its 5 April one is after), long 5 Jan and 6 Feb -> 2.
        assert rows(by_commune) == [("Đa Lộc", 3, 2, round(2 / 3, 4)), ("Lộc Sơn", 8, 5, 0.625)]
        # January c1, c3, c4 all long; February c1 twice (one 60) and c4; March c1, c2 long, c3 89, c4 45;
        # April up to the 4th: c2's meeting without a duration
        assert rows(by_month) == [
            ("2025-01", 3, 3, 1.0),
            ("2025-02", 3, 2, round(2 / 3, 4)),
            ("2025-03", 4, 2, 0.5),
            ("2025-04", 1, 0, 0.0),
        ]


# ------------------------------------------------------------------------------------------- thematic and topics


def test_thematic_coverage_counts_only_whole_ended_quarters(engine: Engine, district) -> None:
    df = metrics.thematic(engine, filters=period(), scope=EVERYTHING, by="commune")
    # Only 2025-Q1 is due (Q2 is partial and not ended). Active on 1 Jan: c1, c3 (Lộc Sơn), c4 (Đa Lộc); c2 was
    # founded later. Covered: c1 (combined 5 Mar), c3 (thematic 3 Mar). Thematic meetings up to as-of: c1, c2, c3.
    assert rows(df) == [("Đa Lộc", 1, 0, 0, 0.0), ("Lộc Sơn", 2, 2, 3, 1.0)]


def test_thematic_by_quarter_has_an_empty_rate_for_a_zero_denominator(engine: Engine, district) -> None:
    df = metrics.thematic(engine, filters=period(), scope=EVERYTHING, by="quarter")
    assert rows(df) == [("2025-Q1", 3, 2, 2, round(2 / 3, 4)), ("2025-Q2", 0, 0, 1, None)]


def test_thematic_refuses_grouping_by_month(engine: Engine, district) -> None:
    with pytest.raises(UserError, match="cannot be grouped by 'month'"):
        metrics.thematic(engine, filters=period(), scope=EVERYTHING, by="month")


def test_topics_count_meetings_and_distinct_cells(engine: Engine, district) -> None:
    df = metrics.topics(engine, filters=period(), scope=EVERYTHING, by="topic")
    assert rows(df) == [(HCM, 2, 2), (NTM, 1, 1)]


# ---------------------------------------------------------------------------------------------------- inspections


def test_inspections_by_commune_with_overdue_follow_up(engine: Engine, district) -> None:
    df = metrics.inspections(engine, filters=period(), scope=EVERYTHING, by="commune")
    # In the period (conclusion date, else start): I1, I2, I5 (Lộc Sơn), I3 (Đa Lộc). I4 concluded in 2024.
    # Overdue at 4 April: I1 (due 1 March, unresolved). I2 was resolved on 10 March.
    assert rows(df) == [("Đa Lộc", 1, 1, 0, 0, 0, 0), ("Lộc Sơn", 3, 0, 1, 2, 0, 1)]


def test_overdue_follow_ups_list_ignores_the_period(engine: Engine, district) -> None:
    df = metrics.overdue_follow_ups(engine, filters=period(), scope=EVERYTHING)
    # I4: due 1 Feb -> 28 + 31 + 3 = 62 days at 4 April; I1: due 1 March -> 31 + 3 = 34 days.
    assert list(zip(df["commune"], df["outcome"], df["days_overdue"], strict=True)) == [
        ("Đa Lộc", "disciplined", 62),
        ("Lộc Sơn", "correction_required", 34),
    ]


def test_a_follow_up_resolved_after_as_of_is_still_overdue_at_as_of(engine: Engine, district) -> None:
    with Session(engine) as s:
        org = s.get(metrics.Organisation, district["p1"])
        assert org is not None
        f.inspection(
            s,
            org,
            "2025-02-01",
            "disciplined",
            body="Ban Thường vụ Huyện ủy",
            concluded_on="2025-02-02",
            follow_up_due="2025-03-01",
            resolved_on="2025-04-10",
        )
        s.commit()
    df = metrics.inspections(engine, filters=period(), scope=EVERYTHING, by="kind")
    assert rows(df) == [("inspection", 4, 0, 1, 2, 1, 2), ("supervision", 1, 1, 0, 0, 0, 0)]


# ------------------------------------------------------------------------------------------------- classification


def test_classification_by_commune_and_year_counts_organisation_ratings(engine: Engine, district) -> None:
    df = metrics.classification(engine, filters=period(start="2023-01", end="2025-12"), scope=EVERYTHING, by="commune")
    assert list(df.columns) == ["commune", "year", *metrics.CLASSIFICATION_COLUMNS]
    assert rows(df) == [
        ("Đa Lộc", 2023, 1, 0, 0, 1, 0, 0.0),
        ("Đa Lộc", 2024, 1, 0, 0, 0, 1, 0.0),
        ("Lộc Sơn", 2023, 1, 1, 0, 0, 0, 1.0),
        ("Lộc Sơn", 2024, 1, 0, 1, 0, 0, 1.0),
    ]


def test_classification_by_year_and_by_cell(engine: Engine, district) -> None:
    by_year = metrics.classification(
        engine, filters=period(start="2023-01", end="2025-12"), scope=EVERYTHING, by="year"
    )
    assert rows(by_year) == [(2023, 2, 1, 0, 1, 0, 0.5), (2024, 2, 0, 1, 0, 1, 0.5)]
    by_cell = metrics.classification(
        engine, filters=period(start="2023-01", end="2025-12"), scope=EVERYTHING, by="cell"
    )
    assert rows(by_cell) == [("Lộc Sơn", "Đảng bộ xã Lộc Sơn", "Chi bộ thôn 1", 2024, 1, 1, 0, 0, 0, 1.0)]


def test_classification_in_total_is_one_row_per_year(engine: Engine, district) -> None:
    total = metrics.compute(
        "classification", engine, filters=period(start="2023-01", end="2025-12"), scope=EVERYTHING, by="total"
    )
    assert list(total.columns) == ["year", *metrics.CLASSIFICATION_COLUMNS]
    assert rows(total) == [(2023, 2, 1, 0, 1, 0, 0.5), (2024, 2, 0, 1, 0, 1, 0.5)]


# -------------------------------------------------------------------------------------------- overview and alerts


def test_overview_counts_units_active_at_as_of_and_previous_period(engine: Engine, district) -> None:
    kpis = metrics.overview(engine, filters=period(), scope=EVERYTHING)
    # Active on 4 April: both organisations; cells c1, c2, c4 (c3 dissolved 20 March); members 30 + 12 + 10.
    assert (kpis["organisations"].value, kpis["cells"].value, kpis["members"].value) == (2, 3, 52)
    assert kpis["regularity_rate"].value == pytest.approx(8 / 11)
    # Previous period Sep-Dec 2024 lies wholly before the first recorded meeting (3 January 2025): its months are
    # unknown, not missed (c1, c3 and c4 were due and would have counted 12 misses, a rate of 0.0).
    for kpi in metrics.MEETING_KPIS:
        assert kpis[kpi].previous is None, kpi
        assert kpis[kpi].change is None, kpi
    # Its inspections are counted all the same: I4 concluded 15 December 2024.
    assert kpis["inspections"].previous == 1
    assert kpis["overdue_follow_ups"].value == 2
    assert kpis["inspections"].value == 4


def test_the_previous_period_counts_meetings_from_the_first_recorded_month(engine: Engine, district) -> None:
    kpis = metrics.overview(engine, filters=period(start="2025-02", end="2025-04"), scope=EVERYTHING)
    # Previous period Nov 2024 - Jan 2025 (as of 1 February), cut to January: c1, c3, c4 due and held, each on its
    # fixed day (3, 3, 5 January) -> 3/3. Counting November and December as missed would give 3/9.
    assert kpis["regularity_rate"].previous == 1.0
    assert kpis["on_fixed_day_rate"].previous == 1.0
    # January's meetings: present 26 + 15 + 9 = 50 of expected 28 + 20 + 9 = 57.
    assert kpis["participation_rate"].previous == pytest.approx(50 / 57)
    # Inspections over the whole three months: I4 (15 Dec), I5 (5 Jan), I1 (20 Jan).
    assert kpis["inspections"].previous == 3
    # This period Feb-Apr as of 4 April: due c1 Feb-Apr 3, c2 Mar 1, c3 Feb-Mar 2, c4 Feb-Mar 2 = 8; held c1 Feb,
    # Mar, c2 Mar, c4 Feb, Mar = 5.
    assert kpis["regularity_rate"].value == pytest.approx(5 / 8)
    assert kpis["regularity_rate"].change == pytest.approx(5 / 8 - 1)


def test_the_records_begin_with_the_first_meeting(engine: Engine, district) -> None:
    assert metrics.first_recorded_month(engine) == Month(2025, 1)
    first = Month(2025, 1)
    assert metrics.recorded_part(period(start="2024-09", end="2024-12"), first) is None
    assert metrics.recorded_part(period(start="2024-11", end="2025-01"), first) == period(
        start="2025-01", end="2025-01"
    )
    assert metrics.recorded_part(period(), first) == period()
    assert metrics.recorded_part(period(), None) is None


def test_no_meetings_no_records(engine: Engine) -> None:
    assert metrics.first_recorded_month(engine) is None


def test_missed_meetings_in_the_last_three_due_months(engine: Engine, district) -> None:
    df = metrics.missed_meetings(engine, filters=period(), scope=EVERYTHING)
    # c1's last three due months: Feb, Mar, Apr (missed). c3's: Jan, Feb (missed), Mar (thematic only: missed).
    assert rows(df) == [
        ("Lộc Sơn", "Đảng bộ xã Lộc Sơn", "Chi bộ thôn 1", 1, "2025-04"),
        ("Lộc Sơn", "Đảng bộ xã Lộc Sơn", "Chi bộ thôn 3", 2, "2025-02, 2025-03"),
    ]


def test_cells_below_the_participation_target(engine: Engine, district) -> None:
    df = metrics.below_target(engine, filters=period(), scope=EVERYTHING, target=0.85)
    # c1 99/112 = 0.884, c2 22/24 = 0.917, c3 33/40 = 0.825, c4 26/27 = 0.963: only c3 is below 85%.
    assert list(df["cell"]) == ["Chi bộ thôn 3"]
    assert df["participation_rate"].iloc[0] == pytest.approx(0.825)


@pytest.mark.parametrize("metric", sorted(metrics.METRICS))
def test_every_metric_keeps_its_columns_when_empty(engine: Engine, metric: str) -> None:
    spec = metrics.METRICS[metric]
    for by in spec.groups:
        df = metrics.compute(metric, engine, filters=period(), scope=EVERYTHING, by=by)
        assert df.empty
        assert list(df.columns)[-len(spec.columns) :] == list(spec.columns)


def test_cells_of_a_closed_organisation_stop_being_due(engine: Engine, district) -> None:
    with Session(engine) as s:
        org = s.get(metrics.Organisation, district["p2"])
        assert org is not None
        org.active_to = dt.date(2025, 2, 10)  # the school's cell closes with it: due Jan and Feb only
        s.add(org)
        f.refresh(s, communes=[org.commune_id])
        s.commit()
    df = metrics.regularity(engine, filters=period(), scope=EVERYTHING, by="commune")
    assert rows(df)[0] == ("Đa Lộc", 2, 2, 1, 1.0, 0.5)
