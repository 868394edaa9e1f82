"""The fast path (cell × month aggregates) gives every metric table exactly as the raw meetings do.

Every METRICS entry × every grouping (and the total), the overview, the alert lists and the cell-month grid are
computed twice, through the aggregates and `with metrics.from_raw_meetings()`, and must be equal to the last digit:
on the hand-worked small district, on seeded random data, and on the demo district, on SQLite and PostgreSQL. The
writers keep the aggregates in step: after the demo, an import or ORM writes and their `refresh` they equal a
fresh computation.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import nullcontext
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import aggregates, details, lookups, metrics
from data_access.demo import generate_demo
from data_access.filters import EVERYTHING, Filters, Month
from data_access.importing import import_file
from data_access.metrics import compiler
from data_access.metrics.definitions import FAMILIES
from data_access.models import Cell, Commune, Meeting, Organisation
from data_access.vnsort import vn_key
from tests import factories as f
from tests.db_templates import seeded
from tests.import_factories import TODAY, UNITS_HEADER, UNITS_ROWS, csv_bytes, rows_file, seed_units
from tests.small_district import period

pytestmark = pytest.mark.both_databases  # dialect-sensitive: runs on SQLite and PostgreSQL


def every_table(engine: Engine, filters: Filters) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for metric, spec in metrics.METRICS.items():
        # classification has no total (GROUP_COLUMNS has no "total"; it reads ratings, not meetings)
        for by in (*(() if metric == "classification" else ("total",)), *spec.groups):
            tables[f"{metric}/{by}"] = metrics.compute(metric, engine, filters=filters, scope=EVERYTHING, by=by)
    tables["overview"] = metrics.overview(engine, filters=filters, scope=EVERYTHING)
    tables["missed_meetings"] = metrics.missed_meetings(engine, filters=filters, scope=EVERYTHING)
    tables["below_target"] = metrics.below_target(engine, filters=filters, scope=EVERYTHING)
    tables["overdue_follow_ups"] = metrics.overdue_follow_ups(engine, filters=filters, scope=EVERYTHING)
    tables["cell_months"] = metrics.cell_months(engine, filters=filters, scope=EVERYTHING)
    for max_cells in (1, 3, 10_000):  # the cut falls inside ties on small data
        tables[f"least_regular_grid/{max_cells}"] = metrics.least_regular_grid(
            engine, filters=filters, scope=EVERYTHING, max_cells=max_cells
        )
    tables["history"] = details.cell_participation_history(engine, filters=filters, scope=EVERYTHING)
    tables["rate_bands"] = details.meeting_rate_distribution(engine, filters=filters, scope=EVERYTHING)
    low = tables["below_target"].head(3)
    tables["history_of_three"] = details.cell_participation_history(
        engine, filters=filters, scope=EVERYTHING, cells=list(zip(low["organisation"], low["cell"], strict=True))
    )
    return tables


def assert_fast_equals_raw(engine: Engine, filters: Filters) -> int:
    """Compare every table; return how many tables were compared (and how many had rows, in the tens)."""
    fast = every_table(engine, filters)
    with metrics.from_raw_meetings():
        raw = every_table(engine, filters)
    non_empty = 0
    for name, table in fast.items():
        if isinstance(table, tuple):  # the least regular grid and its number of due cells
            table, total = table
            assert total == raw[name][1], f"{name} {filters}"
            pd.testing.assert_frame_equal(table, raw[name][0], check_exact=True, obj=f"{name} {filters}")
            non_empty += bool(len(table))
        elif isinstance(table, pd.DataFrame):
            pd.testing.assert_frame_equal(table, raw[name], check_exact=True, obj=f"{name} {filters}")
            non_empty += bool(len(table))
        else:
            assert table == raw[name], f"{name} {filters}"
    return non_empty


@pytest.mark.slow  # every metric × grouping × view, stored and raw: 11 s
def test_the_small_district_gives_the_same_tables_both_ways(engine: Engine, district: dict[str, int]) -> None:
    views = [
        period(),  # as of 2025-04-04: April is the as-of month, partly due
        period(as_of=dt.date(2025, 4, 30)),
        period(as_of=dt.date(2025, 3, 3), start="2025-01", end="2025-03"),  # the day of c1's meeting
        period(as_of=dt.date(2025, 12, 31), start="2025-02", end="2025-03"),  # as-of after the period
        period(communes=(district["loc_son"],)) if "loc_son" in district else period(),
        period(organisations=(district["p1"],)),  # filtered to organisations: the cells
        period(as_of=dt.date(2025, 3, 31), organisations=(district["p1"], district["p2"])),
    ]
    assert sum(assert_fast_equals_raw(engine, v) for v in views) > 40


def test_the_small_district_raw_path_still_gives_the_hand_worked_figures(
    engine: Engine,
    district: dict[str, int],
) -> None:
    # 11 due cell-months, 8 held, 6 on the fixed day (tests/small_district.py), through both paths
    for raw in (False, True):
        with metrics.from_raw_meetings() if raw else _nothing():
            df = metrics.regularity(engine, filters=period(), scope=EVERYTHING, by="total")
        assert df[["due_cell_months", "held_cell_months", "on_fixed_day_cell_months"]].iloc[0].tolist() == [11, 8, 6]


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _random_district(engine: Engine, seed: int) -> None:
    """Two communes, five organisations, cells with random days, spans and meetings (ORM writes, as factories do;
    each cell's meetings are flushed together, so the refresh after a flush handles many meetings of a cell)."""
    rng = random.Random(seed)
    with Session(engine) as session:
        topics = [f.topic(session, f"Chủ đề {i}", f"Topic {i}") for i in range(3)]
        communes = [f.commune(session, name, code=code) for name, code in (("Lộc Sơn", "LS"), ("Đa Lộc", "DL"))]
        for k in range(5):
            org = f.organisation(session, f"Đảng bộ {k}", communes[k % 2])
            for c in range(rng.randint(1, 4)):
                start = dt.date(2023, rng.randint(1, 12), rng.randint(1, 28))
                end = None if rng.random() < 0.7 else start + dt.timedelta(days=rng.randint(20, 500))
                cell = f.cell(
                    session, f"Chi bộ {k}.{c}", org, meeting_day=rng.randint(1, 28), active_from=start, active_to=end
                )
                day = start
                while day < dt.date(2025, 7, 1):
                    for kind in ("regular", "thematic", "combined"):
                        if rng.random() < {"regular": 0.8, "thematic": 0.2, "combined": 0.1}[kind]:
                            when = day.replace(
                                day=rng.choice([cell.meeting_day, rng.randint(1, 28), 29 if day.month != 2 else 28])
                            )
                            total = rng.randint(5, 40)
                            exempt = rng.randint(0, 3)
                            present = rng.randint(0, total - exempt)
                            excused = rng.randint(0, total - exempt - present)
                            f.meeting(
                                session,
                                cell,
                                when.isoformat(),
                                (total, exempt, present, excused, total - exempt - present - excused),
                                kind=kind,
                                about=rng.choice(topics) if kind != "regular" or rng.random() < 0.2 else None,
                                superior=rng.random() < 0.3,
                                flush=False,
                            )
                    day = (Month.of(day) + 1).first_day
                f.refresh(session, cells=[cell.id])  # a cell's meetings in one refresh of its derived rows
        session.commit()


@pytest.mark.slow  # an exhaustive sweep: the full run's, not the fast loop's
@pytest.mark.parametrize("seed", [1, 2])
def test_random_districts_give_the_same_tables_both_ways(engine: Engine, seed: int) -> None:
    _random_district(engine, seed)
    assert aggregates.differences(engine) == 0
    rng = random.Random(seed * 7)
    views = []
    for _ in range(4):
        first = Month(2023, 1) + rng.randint(0, 24)
        last = first + rng.randint(0, 14)
        as_of = (last + rng.randint(-2, 2)).first_day + dt.timedelta(days=rng.randint(0, 27))
        views.append(Filters(period_from=first, period_to=last, as_of=as_of))
    views.append(replace(views[0], communes=(1,)))
    views.append(replace(views[1], organisations=(1, 3)))
    assert sum(assert_fast_equals_raw(engine, v) for v in views) > 40


def test_each_cells_held_and_due_months_by_arithmetic_equal_its_counted_cell_months(engine: Engine) -> None:
    """The least regular grid ranks cells by held ÷ due months counted per cell without building the cell-months
    (`_held_and_due_per_cell`); per cell, both counts must equal those of the raw cell-months, whatever the period
    and as-of day (before, on and after each cell's meeting day, inside and after the period)."""
    _random_district(engine, 5)
    with engine.connect() as conn:
        days = sorted({int(d) for d in conn.execute(select(Cell.meeting_day)).scalars()})
    rng = random.Random(11)
    views = []
    for k in range(16):
        first = Month(2023, 1) + rng.randint(0, 24)
        last = first + rng.randint(0, 14)
        day = days[k % len(days)] + (k % 3) - 1  # the day before, of and after a cell's meeting day
        as_of = (last + rng.randint(-2, 1)).first_day + dt.timedelta(days=min(max(day, 1), 28) - 1)
        views.append(Filters(period_from=first, period_to=last, as_of=as_of))
    views.append(replace(views[0], communes=(2,)))
    with engine.connect() as conn:  # as of the day before and the day of a late meeting: held only on the second
        late = conn.execute(
            select(Meeting.date)
            .join(Cell, Cell.id == Meeting.cell_id)
            .where(Meeting.kind == "regular", func.extract("day", Meeting.date) > Cell.meeting_day + 1)
            .order_by(Meeting.id)
            .limit(6)
        ).scalars()
        for date in late:
            month = Month.of(date)
            views += [
                Filters(period_from=month - 2, period_to=month, as_of=date - dt.timedelta(days=d)) for d in (0, 1)
            ]
    compared = 0
    for filters in views:
        with metrics.from_raw_meetings():
            months = metrics.cell_months(engine, filters=filters, scope=EVERYTHING)
        grouped = months.groupby("cell_id").agg(held=("held", "sum"), due=("held", "size"))
        expected = {int(c): (int(r.held), int(r.due)) for c, r in grouped.iterrows()}
        # both ways of counting the held months, on either database: the running counts (SQLite's) and the rows
        for dialect in ("sqlite", "postgresql"):
            with engine.connect() as conn:
                got = {
                    int(r.cell_id): (int(r.held), int(r.due))
                    for r in conn.execute(metrics._held_and_due_per_cell(filters, EVERYTHING, dialect=dialect))
                }
            assert got == expected, (dialect, filters)
        compared += len(expected)
    assert compared > 100


def test_missed_meetings_are_each_cells_last_due_months_cut_from_its_raw_cell_months(engine: Engine) -> None:
    """`missed_meetings` takes each cell's last `window` due months by arithmetic (its due months are consecutive);
    they must be the last `window` of its raw cell-months ranked by month, for as-of days before, on and after
    the cells' meeting days, cells opened or closed inside the window included."""
    _random_district(engine, 5)
    with engine.connect() as conn:
        days = sorted({int(d) for d in conn.execute(select(Cell.meeting_day)).scalars()})
    rng = random.Random(13)
    compared = 0
    for k in range(18):
        window = 1 + k % 4
        day = days[k % len(days)] + (k % 3) - 1
        as_of = (Month(2023, 2) + rng.randint(0, 29)).first_day + dt.timedelta(days=min(max(day, 1), 28) - 1)
        filters = Filters.last_months(12, as_of=as_of)
        end = Month.of(as_of)
        with metrics.from_raw_meetings():
            months = metrics.cell_months(
                engine, filters=Filters(period_from=end - window, period_to=end, as_of=as_of), scope=EVERYTHING
            )
        expected: dict[str, list[str]] = {}
        for cell, rows in months.sort_values("month").groupby("cell", sort=False):
            missed = [m for m, held in list(zip(rows["month"], rows["held"], strict=True))[-window:] if held == 0]
            if missed:
                expected[str(cell)] = missed
        got = metrics.missed_meetings(engine, filters=filters, scope=EVERYTHING, window=window)
        assert {c: m.split(", ") for c, m in zip(got["cell"], got["months"], strict=True)} == expected, as_of
        compared += len(expected)
    assert compared > 20


def test_uncovered_cells_are_the_cells_of_thematic_by_cell_with_none_covered(engine: Engine) -> None:
    """`uncovered_cells` (the topic page's list) keeps in SQL the rows of `thematic` by cell with due quarters and
    none covered, both ways."""
    _random_district(engine, 6)
    compared = 0
    for first, last, as_of in (
        (Month(2024, 1), Month(2024, 3), dt.date(2024, 5, 2)),
        (Month(2023, 4), Month(2024, 12), dt.date(2025, 1, 9)),
        (Month(2024, 7), Month(2024, 9), dt.date(2024, 10, 1)),
    ):
        filters = Filters(period_from=first, period_to=last, as_of=as_of)
        for raw in (False, True):
            with metrics.from_raw_meetings() if raw else nullcontext():
                per_cell = metrics.thematic(engine, filters=filters, scope=EVERYTHING, by="cell")
                got = metrics.uncovered_cells(engine, filters=filters, scope=EVERYTHING)
            want = per_cell[(per_cell["due_cell_quarters"] > 0) & (per_cell["covered_cell_quarters"] == 0)]
            assert sorted(zip(got["organisation"], got["cell"], strict=True)) == sorted(
                zip(want["organisation"], want["cell"], strict=True)
            ), (filters, raw)
            compared += len(want)
    assert compared > 3


def demo_district(engine: Engine, as_of: dt.date) -> None:
    """The demo district as of `as_of` in `engine`'s database (generated once per session and database, then
    copied: nine tests below read the same one)."""
    seeded(engine, f"demo_{as_of:%Y%m%d}", lambda fresh: generate_demo(fresh, as_of=as_of))


@pytest.mark.slow  # an exhaustive sweep: the full run's, not the fast loop's
def test_the_demo_district_gives_the_same_tables_both_ways(engine: Engine) -> None:
    as_of = dt.date(2025, 6, 15)
    demo_district(engine, as_of)
    assert aggregates.differences(engine) == 0
    views = [
        Filters.last_months(12, as_of=as_of),
        Filters.last_months(60, as_of=as_of),
        Filters.last_months(3, as_of=dt.date(2025, 6, 2), communes=(1,)),
        Filters.last_months(12, as_of=as_of, organisations=(1, 2, 5)),
    ]
    assert sum(assert_fast_equals_raw(engine, v) for v in views) > 60


def test_an_import_keeps_the_aggregates_in_step(engine: Engine) -> None:
    seed_units(engine)
    report = import_file(
        engine,
        "meetings",
        rows_file("meetings", {}, {"date": "2025-03-03", "kind": "combined"}, {"date": "2025-04-09"}),
        file_name="meetings.csv",
    )
    assert report.ok and report.rows_new > 0
    assert aggregates.differences(engine) == 0
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(aggregates.cell_month_t)).scalar_one() > 0


def test_orm_changes_and_deletes_refresh_their_cells(engine: Engine) -> None:
    _random_district(engine, 3)
    with Session(engine) as session:
        meetings = session.exec(select(Meeting).order_by(Meeting.id).limit(3)).all()  # type: ignore[call-overload]
        meetings[0][0].present = 0
        session.delete(meetings[1][0])
        f.refresh(session, cells={meetings[0][0].cell_id, meetings[1][0].cell_id})
        session.commit()
    assert aggregates.differences(engine) == 0


def test_rebuild_recomputes_tables_emptied_by_hand(engine: Engine) -> None:
    _random_district(engine, 4)
    with engine.begin() as conn:
        conn.execute(aggregates.delete(aggregates.cell_month_band_t))
        conn.execute(aggregates.delete(aggregates.cell_month_t))
    assert aggregates.needs_rebuild(engine)
    counts = aggregates.rebuild(engine)
    assert counts["cell_month"] > 0
    assert aggregates.differences(engine) == 0


def per_commune_by_loop(engine: Engine, metric: str, filters: Filters, by: str, communes: list[tuple[int, str]]):
    """What ui.data.metric_per_commune does: one call per commune, concatenated."""
    parts = []
    for commune_id, name in communes:
        table = metrics.compute(
            metric, engine, filters=replace(filters, communes=(commune_id,)), scope=EVERYTHING, by=by
        )
        parts.append(table.assign(commune=name)[["commune", *table.columns]])
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("by", ["month", "quarter", "year"])
def test_per_commune_in_one_query_equals_one_call_per_commune(engine: Engine, by: str) -> None:
    as_of = dt.date(2025, 6, 15)
    demo_district(engine, as_of)
    communes = [(1, "first"), (3, "third"), (2, "second"), (10_000, "none")]
    for filters in (Filters.last_months(12, as_of=as_of), Filters.last_months(30, as_of=as_of)):
        for metric in ("regularity", "participation", "superior_attendance", "thematic", "inspections", "topics"):
            if by not in metrics.METRICS[metric].groups:
                continue
            expected = per_commune_by_loop(engine, metric, filters, by, communes)
            got = metrics.per_commune(metric, engine, filters=filters, scope=EVERYTHING, by=by, communes=communes)
            pd.testing.assert_frame_equal(got, expected, check_exact=True, obj=f"{metric} by {by}")
            assert len(got) > 0


def test_the_least_regular_grid_in_sql_equals_the_whole_grid_cut_in_pandas(engine: Engine) -> None:
    """`least_regular_grid` picks the cells in SQL; it must show the rows the page showed when it read every cell's
    months and cut them with `ui.tables.limit_grid` (least regular first, ties in the table's order)."""
    from ui.tables import limit_grid

    as_of = dt.date(2025, 6, 15)
    demo_district(engine, as_of)
    views = [
        Filters.last_months(12, as_of=as_of),
        Filters.last_months(60, as_of=as_of),
        Filters.last_months(3, as_of=dt.date(2025, 6, 2), communes=(1,)),
        Filters.last_months(12, as_of=as_of, communes=(10_000,)),  # nothing due
    ]
    for filters in views:
        whole = metrics.cell_months(engine, filters=filters, scope=EVERYTHING)
        for max_cells in (1, 7, 60, 10_000):
            expected, expected_total = limit_grid(whole, max_cells=max_cells)
            shown, total = metrics.least_regular_grid(engine, filters=filters, scope=EVERYTHING, max_cells=max_cells)
            assert total == expected_total
            pd.testing.assert_frame_equal(shown.reset_index(drop=True), expected.reset_index(drop=True))


# --------------------------------------------------------------------------------------------------------------
# commune_month: the commune × kind × month sums the commune, month, quarter and year views read


def _commune_row(engine: Engine, commune_id: int, month: str) -> dict[str, int]:
    m = Month.parse(month).index
    with engine.connect() as conn:
        row = conn.execute(
            select(aggregates.commune_month_t).where(
                aggregates.commune_month_t.c.commune_id == commune_id, aggregates.commune_month_t.c.month == m
            )
        ).one()
    return {k: int(v) for k, v in row._mapping.items() if k not in ("commune_id", "month", "organisation_kind")}


def test_commune_month_holds_the_hand_worked_sums_of_the_small_district(
    engine: Engine,
    district: dict[str, int],
) -> None:
    loc_son, da_loc = district["loc_son"], district["da_loc"]
    # Lộc Sơn, March: c1, c2 (first due month) and c3 (last due month) due = 3; held c1 (combined 5th), c2 (10th)
    # = 2, c3 met only thematically; on the fixed day c2 only = 1. Meetings 3: expected 28 + 12 + 20 = 60, present
    # 25 + 12 + 18 = 55, excused 2 + 0 + 2 = 4, unexcused 1; thematic c1 combined + c3 thematic = 2.
    march = _commune_row(engine, loc_son, "2025-03")
    assert march == {
        "due_cell_months": 3,
        "held_cell_months": 2,
        "on_fixed_day_cell_months": 1,
        "due_cell_quarters": 0,
        "covered_cell_quarters": 0,
        "meetings": 3,
        "expected": 60,
        "present": 55,
        "absent_excused": 4,
        "absent_unexcused": 1,
        "superior_attended": 0,
        "thematic": 2,
        "long_meetings": 3,  # every meeting of tests/factories.py lasts 90 minutes
    }
    # Q1 sits on January: c1 and c3 due (c2 is first due in March), both covered by March's thematic meetings.
    january = _commune_row(engine, loc_son, "2025-01")
    assert (january["due_cell_quarters"], january["covered_cell_quarters"]) == (2, 2)
    assert (january["due_cell_months"], january["held_cell_months"], january["on_fixed_day_cell_months"]) == (2, 2, 2)
    # Đa Lộc's one cell c4: January held on its day 5 (9 of 9 present, no thematic meeting in Q1).
    da_loc_january = _commune_row(engine, da_loc, "2025-01")
    assert da_loc_january["due_cell_months"] == da_loc_january["on_fixed_day_cell_months"] == 1
    assert (da_loc_january["expected"], da_loc_january["present"]) == (9, 9)
    assert (da_loc_january["due_cell_quarters"], da_loc_january["covered_cell_quarters"]) == (1, 0)


def test_a_meeting_day_changed_through_the_orm_moves_the_commune_sums(
    engine: Engine,
    district: dict[str, int],
) -> None:
    from data_access.models import Cell

    with Session(engine) as session:
        c2 = session.exec(select(Cell).where(Cell.name == "Chi bộ thôn 2")).one()[0]  # type: ignore[call-overload]
        c2.meeting_day = 9  # it met on the 10th in March: no longer on its fixed day
        f.refresh(session, cells=[c2.id])
        session.commit()
    assert _commune_row(engine, district["loc_son"], "2025-03")["on_fixed_day_cell_months"] == 0
    assert aggregates.differences(engine) == 0


def test_a_units_import_moves_the_commune_sums(engine: Engine) -> None:
    seed_units(engine)
    meetings = rows_file("meetings", {"date": "2025-03-03"})  # Chi bộ thôn 1 meets on the 3rd
    assert import_file(engine, "meetings", meetings, file_name="meetings.csv").ok
    commune_id = 1
    assert _commune_row(engine, commune_id, "2025-03")["on_fixed_day_cell_months"] == 1
    rows = [list(r) for r in UNITS_ROWS]
    rows[0][UNITS_HEADER.index("meeting_day")] = 4
    report = import_file(engine, "units", csv_bytes(UNITS_HEADER, rows), file_name="units2.csv", today=TODAY)
    assert report.ok and report.rows_updated == 1
    assert _commune_row(engine, commune_id, "2025-03")["on_fixed_day_cell_months"] == 0
    assert aggregates.differences(engine) == 0


@pytest.mark.slow  # rebuilds the derived tables over several spans: 6 s
def test_views_outside_the_commune_span_fall_back_to_the_cells(engine: Engine) -> None:
    _random_district(engine, 5)
    with engine.connect() as conn:
        first, last = aggregates.stored_span(conn)  # type: ignore[misc]
    before = Month.from_index(first) - 3  # the period starts before the first meeting month
    views = [
        Filters(period_from=before, period_to=before + 8, as_of=(before + 8).last_day),
        Filters(
            period_from=Month.from_index(last) - 2,
            period_to=Month.from_index(last) + 2,
            as_of=(Month.from_index(last) + 2).last_day,
        ),
        Filters.last_months(12, as_of=dt.date(2025, 6, 20), organisation_kind="party_committee"),
    ]
    assert sum(assert_fast_equals_raw(engine, v) for v in views) > 10


def test_regularity_by_province_sums_its_communes_both_ways(
    engine: Engine,
    district: dict[str, int],
) -> None:
    f.place_communes(engine, {district["loc_son"]: "Thanh Hóa", district["da_loc"]: "Nghệ An"})
    # Lộc Sơn: c1 4 due / 3 held / 2 on the day, c2 1/1/1, c3 3/1/1 -> 8/5/4; Đa Lộc: c4 3/3/2 (tests/small_district)
    expected = [("Nghệ An", 3, 3, 2), ("Thanh Hóa", 8, 5, 4)]
    for raw in (False, True):
        with metrics.from_raw_meetings() if raw else _nothing():
            df = metrics.regularity(engine, filters=period(), scope=EVERYTHING, by="province")
        got = df[["province", "due_cell_months", "held_cell_months", "on_fixed_day_cell_months"]]
        assert [tuple(r) for r in got.itertuples(index=False)] == expected


def test_per_province_gives_each_province_its_monthly_regularity_both_ways(
    engine: Engine,
    district: dict[str, int],
) -> None:
    f.place_communes(engine, {district["loc_son"]: "Thanh Hóa", district["da_loc"]: "Nghệ An"})
    # tests/small_district, month by month (due / held / on the fixed day):
    #   Đa Lộc c4: Jan 1/1/1, Feb 1/1/0 (the 6th, not the 5th), Mar 1/1/1; April not due (the 5th is after as-of)
    #   Lộc Sơn: Jan c1+c3 2/2/2; Feb c1+c3 2/1/1 (c3 no meeting); Mar c1+c2+c3 3/2/1 (c1 on the 5th, c3 thematic
    #   only); Apr c1 1/0/0
    expected = [
        ("Nghệ An", "2025-01", 1, 1, 1),
        ("Nghệ An", "2025-02", 1, 1, 0),
        ("Nghệ An", "2025-03", 1, 1, 1),
        ("Thanh Hóa", "2025-01", 2, 2, 2),
        ("Thanh Hóa", "2025-02", 2, 1, 1),
        ("Thanh Hóa", "2025-03", 3, 2, 1),
        ("Thanh Hóa", "2025-04", 1, 0, 0),
    ]
    for raw in (False, True):
        with metrics.from_raw_meetings() if raw else _nothing():
            df = metrics.per_province("regularity", engine, filters=period(), scope=EVERYTHING, by="month")
        got = df[["province", "month", "due_cell_months", "held_cell_months", "on_fixed_day_cell_months"]]
        assert [tuple(r) for r in got.itertuples(index=False)] == expected, f"raw={raw}"


def per_province_by_loop(engine: Engine, metric: str, filters: Filters, by: str) -> pd.DataFrame:
    """One call per province (its communes as the filter), concatenated, provinces without rows left out."""
    communes = pd.DataFrame(
        [tuple(r) for r in lookups.communes(engine, scope=EVERYTHING).itertuples(index=False)],
        columns=["id", "name", "code", "district", "province"],
    )
    communes["province"] = communes["province"].fillna("")
    parts = []
    for province in sorted(set(communes["province"]), key=vn_key):
        ids = tuple(int(i) for i in communes.loc[communes["province"] == province, "id"])
        table = metrics.compute(metric, engine, filters=replace(filters, communes=ids), scope=EVERYTHING, by=by)
        if len(table):
            parts.append(table.assign(province=province)[["province", *table.columns]])
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("by", ["month", "quarter", "year", "total"])
def test_per_province_in_one_query_equals_one_call_per_province(engine: Engine, by: str) -> None:
    as_of = dt.date(2025, 6, 15)
    demo_district(engine, as_of)
    ids = sorted(int(i) for i in lookups.communes(engine, scope=EVERYTHING)["id"])
    # the demo district is all Thanh Hóa: move a third of its communes to Nghệ An and two to no province at all
    f.place_communes(engine, {**dict.fromkeys(ids[::3], "Nghệ An"), ids[1]: None, ids[2]: None})
    for filters in (Filters.last_months(12, as_of=as_of), Filters.last_months(30, as_of=as_of)):
        for metric, spec in metrics.METRICS.items():
            if by != "total" and by not in spec.groups:
                continue
            for raw in (False, True):
                with metrics.from_raw_meetings() if raw else _nothing():
                    expected = per_province_by_loop(engine, metric, filters, by)
                    got = metrics.per_province(metric, engine, filters=filters, scope=EVERYTHING, by=by)
                pd.testing.assert_frame_equal(got, expected, check_exact=True, obj=f"{metric} by {by} raw={raw}")
                assert set(got["province"]) == {"", "Nghệ An", "Thanh Hóa"}, f"{metric} by {by}"


def _april_as_of(engine: Engine, day: int, by: str, name: str) -> tuple[tuple[int, ...] | None, tuple[int, ...] | None]:
    """The April 2025 view as of the `day`th, for the group `name` of `by`, both ways (they must agree): its
    (due, held, on the fixed day) cell-months and its (meetings, expected, present), None for a group without
    a row."""
    filters = Filters(period_from=Month(2025, 4), period_to=Month(2025, 4), as_of=dt.date(2025, 4, day))
    found = []
    for raw in (False, True):
        with metrics.from_raw_meetings() if raw else _nothing():
            reg = metrics.regularity(engine, filters=filters, scope=EVERYTHING, by=by)
            par = metrics.participation(engine, filters=filters, scope=EVERYTHING, by=by)
        reg = reg[reg[by] == name]
        par = par[par[by] == name]
        found.append(
            (
                None if reg.empty else tuple(int(v) for v in reg.iloc[0][list(metrics.REGULARITY_COLUMNS[:3])]),
                None if par.empty else tuple(int(v) for v in par.iloc[0][["meetings", "expected", "present"]]),
            )
        )
    assert found[0] == found[1], f"{by} {name} as of April {day}: fast {found[0]}, raw {found[1]}"
    return found[0]


def test_the_as_of_month_counts_the_days_up_to_as_of_by_commune(
    engine: Engine,
    district: dict[str, int],
) -> None:
    # Lộc Sơn in April: c1 meets on the 3rd (due from the 4th, no April meeting), c2 on the 10th (due from the
    # 11th; its only April meeting is the thematic one of the 2nd: 12 expected, 10 present), c3 was dissolved.
    assert _april_as_of(engine, 3, "commune", "Lộc Sơn") == (None, (1, 12, 10))
    assert _april_as_of(engine, 4, "commune", "Lộc Sơn") == ((1, 0, 0), (1, 12, 10))
    assert _april_as_of(engine, 11, "commune", "Lộc Sơn") == ((2, 0, 0), (1, 12, 10))
    assert _april_as_of(engine, 1, "commune", "Lộc Sơn") == (None, None)  # nothing due, no meeting yet


def test_below_target_keeps_exactly_the_cells_below_it_both_ways(engine: Engine) -> None:
    _random_district(engine, 6)
    filters = Filters.last_months(12, as_of=dt.date(2025, 6, 20))
    for raw in (False, True):
        with metrics.from_raw_meetings() if raw else _nothing():
            every = metrics.participation(engine, filters=filters, scope=EVERYTHING, by="cell")
            rates = sorted(every["participation_rate"].dropna())
            # the median, and exactly the third lowest cell's rate (that cell is not below it: two cells are)
            for target, below in ((float(rates[len(rates) // 2]), len(rates) // 2), (float(rates[2]), 2)):
                low = metrics.below_target(engine, filters=filters, scope=EVERYTHING, target=target)
                expected = every[every["participation_rate"] < target].sort_values("participation_rate", kind="stable")
                pd.testing.assert_frame_equal(low, expected.reset_index(drop=True), check_exact=True)
                assert len(low) == below


def test_a_meetings_write_inside_the_span_keeps_it_and_refreshes_only_its_commune(
    engine: Engine,
    district: dict[str, int],
) -> None:
    from data_access.models import Cell

    cm = aggregates.commune_month_t
    sentinel = (cm.c.commune_id == district["loc_son"]) & (cm.c.month == Month(2025, 3).index)
    with engine.begin() as conn:  # a row of the commune the write does not touch, tampered: a partial refresh keeps it
        first, last = aggregates.stored_span(conn)  # type: ignore[misc]
        conn.execute(update(cm).where(sentinel).values(meetings=cm.c.meetings + 1000))
    with Session(engine) as session:
        c4 = session.exec(select(Cell).where(Cell.name == "Chi bộ Trường THCS Đa Lộc")).one()[0]  # type: ignore[call-overload]
        f.meeting(session, c4, "2025-04-20", (10, 1, 7, 2, 0))
        session.commit()
    with engine.connect() as conn:
        assert aggregates.stored_span(conn) == (first, last)  # April lies inside it: the span stays
        assert min(conn.execute(select(cm.c.meetings).where(sentinel)).scalars()) > 1000
    with engine.begin() as conn:
        conn.execute(update(cm).where(sentinel).values(meetings=cm.c.meetings - 1000))
    assert aggregates.differences(engine) == 0
    # Đa Lộc's April as of the 30th: c4 (day 5) due and held, 2 meetings, 9 + 9 expected, 9 + 7 present
    assert _april_as_of(engine, 30, "commune", "Đa Lộc") == ((1, 1, 1), (2, 18, 16))


# --------------------------------------------------------------------------------------------------------------
# by organisation: the organisation × month sums the views grouped by (or filtered to) organisation read from the cells


ALL_MEASURES = {m: m for family in FAMILIES.values() for m in family}


def _organisation_row(engine: Engine, organisation_id: int, month: str) -> dict[str, int] | None:
    """Every measure of one organisation in one whole month (its cell-quarters on the quarter's first month, as
    the commune sums keep them), compiled by organisation; None when nothing is due and no meeting was held."""
    m = Month.parse(month)
    whole = dt.date(2030, 1, 1)  # every month whole
    one = Filters(period_from=m, period_to=m, as_of=whole, organisations=(organisation_id,))
    quarter = Month.from_index(m.index - m.index % 3)
    three = replace(one, period_from=quarter, period_to=quarter + 2)
    with engine.connect() as conn:
        spans = compiler.spans_of(conn)

        def sums(view: Filters, kept: tuple[str, ...]) -> dict[str, int] | None:
            stmt = compiler.statement(
                ALL_MEASURES, view, EVERYTHING, "organisation", spans=spans, dialect=engine.dialect.name, kept_when=kept
            )
            row = conn.execute(stmt).first()
            return None if row is None else {k: int(row._mapping[k]) for k in ALL_MEASURES}

        row = sums(one, ("due_cell_months", "meetings"))
        quarters = sums(three, ("due_cell_quarters",)) if m == quarter else None
    if row is None:
        return None
    for name in FAMILIES["quarters"]:
        row[name] = 0 if quarters is None else quarters[name]
    return row


def test_organisation_month_holds_the_hand_worked_sums_of_the_small_district(
    engine: Engine,
    district: dict[str, int],
) -> None:
    p1, p2 = district["p1"], district["p2"]
    # Đảng bộ xã Lộc Sơn (c1, c2, c3) in January: c1 and c3 due (c2 is first due in March), both held on their day
    # 3. Q1 sits on January: c1 and c3 due, covered by c1's combined meeting of 03-05 and c3's thematic one of
    # 03-03. Meetings: c1 (28 expected, 26 present, 1 excused, 1 unexcused, superior) and c3 (20, 15, 3, 2).
    assert _organisation_row(engine, p1, "2025-01") == {
        "due_cell_months": 2,
        "held_cell_months": 2,
        "on_fixed_day_cell_months": 2,
        "due_cell_quarters": 2,
        "covered_cell_quarters": 2,
        "meetings": 2,
        "expected": 48,
        "present": 41,
        "absent_excused": 4,
        "absent_unexcused": 3,
        "superior_attended": 1,
        "thematic": 0,
        "long_meetings": 2,  # every factory meeting lasts 90 minutes
    }
    # February: c1 and c3 due; c1 held (03 on its day, and 17), c3 not; c1's two meetings: 28 + 28 expected,
    # 28 + 20 present, 0 + 5 excused, 0 + 3 unexcused.
    assert _organisation_row(engine, p1, "2025-02") == {
        "due_cell_months": 2,
        "held_cell_months": 1,
        "on_fixed_day_cell_months": 1,
        "due_cell_quarters": 0,
        "covered_cell_quarters": 0,
        "meetings": 2,
        "expected": 56,
        "present": 48,
        "absent_excused": 5,
        "absent_unexcused": 3,
        "superior_attended": 0,
        "thematic": 0,
        "long_meetings": 2,  # every factory meeting lasts 90 minutes
    }
    # Chi bộ Trường THCS Đa Lộc (c4) in April, the whole month: due, held on its day 5 (9 of 9); Q2 sits on April,
    # due and not covered (no thematic meeting).
    assert _organisation_row(engine, p2, "2025-04") == {
        "due_cell_months": 1,
        "held_cell_months": 1,
        "on_fixed_day_cell_months": 1,
        "due_cell_quarters": 1,
        "covered_cell_quarters": 0,
        "meetings": 1,
        "expected": 9,
        "present": 9,
        "absent_excused": 0,
        "absent_unexcused": 0,
        "superior_attended": 0,
        "thematic": 0,
        "long_meetings": 1,  # every factory meeting lasts 90 minutes
    }


def test_regularity_by_organisation_reads_the_cells(
    engine: Engine,
    district: dict[str, int],
) -> None:
    # 1 added to Lộc Sơn's held cell-months of February shows by commune only: by organisation reads the cells
    t = aggregates.commune_month_t
    february = (t.c.commune_id == district["loc_son"]) & (t.c.month == Month(2025, 2).index)
    with engine.begin() as conn:
        conn.execute(update(t).where(february).values(held_cell_months=t.c.held_cell_months + 1))
    table = metrics.regularity(engine, filters=period(), scope=EVERYTHING, by="organisation")
    with metrics.from_raw_meetings():
        raw = metrics.regularity(engine, filters=period(), scope=EVERYTHING, by="organisation")
    # Đảng bộ xã Lộc Sơn as of 04-04: due c1 Jan-Apr, c2 Mar, c3 Jan-Mar = 8; held c1 Jan-Mar, c2 Mar, c3 Jan = 5
    assert raw[["organisation", "due_cell_months", "held_cell_months"]].values.tolist() == [
        ["Chi bộ Trường THCS Đa Lộc", 3, 3],
        ["Đảng bộ xã Lộc Sơn", 8, 5],
    ]
    assert table["held_cell_months"].tolist() == [3, 5]
    by_commune = metrics.regularity(engine, filters=period(), scope=EVERYTHING, by="commune")
    assert by_commune.set_index("commune").loc["Lộc Sơn", "held_cell_months"] == 6
    assert aggregates.differences(engine) == 2  # the row tampered with, and the true one it hides


def test_a_cell_moved_to_another_organisation_through_the_orm_moves_the_organisation_sums(
    engine: Engine,
    district: dict[str, int],
) -> None:
    from data_access.models import Cell

    with Session(engine) as session:
        c2 = session.exec(select(Cell).where(Cell.name == "Chi bộ thôn 2")).one()[0]  # type: ignore[call-overload]
        c2.organisation_id = district["p2"]
        f.refresh(session, cells=[c2.id], communes=[district["loc_son"]])  # the commune it left, too
        session.commit()
    # March: c2 (due, held on its day 10, 12 of 12) leaves Đảng bộ xã Lộc Sơn (c1, c3 due; c1 held, not on its day;
    # 28 + 20 expected) for the school (c4 held on its day 5: 9 expected)
    p1, p2 = _organisation_row(engine, district["p1"], "2025-03"), _organisation_row(engine, district["p2"], "2025-03")
    assert p1 is not None and p2 is not None
    assert (p1["due_cell_months"], p1["held_cell_months"], p1["on_fixed_day_cell_months"], p1["expected"]) == (
        2,
        1,
        0,
        48,
    )
    assert (p2["due_cell_months"], p2["held_cell_months"], p2["on_fixed_day_cell_months"], p2["expected"]) == (
        2,
        2,
        2,
        21,
    )
    assert aggregates.differences(engine) == 0


def test_an_organisation_deleted_through_the_orm_takes_its_rows_with_it(
    engine: Engine,
    district: dict[str, int],
) -> None:
    from data_access.models import Cell, Organisation

    with Session(engine) as session:
        org = f.organisation(session, "Chi bộ Trạm Y tế Đa Lộc", session.get(Commune, district["da_loc"]))
        cell = f.cell(session, "Chi bộ Trạm Y tế Đa Lộc", org, 7, 8)
        f.meeting(session, cell, "2025-03-07", (8, 0, 8, 0, 0))
        session.commit()
        org_id, cell_id = int(org.id), int(cell.id)  # type: ignore[arg-type]
    # March: the new cell due, held on its day 7, 8 of 8
    march = _organisation_row(engine, org_id, "2025-03")
    assert march is not None and (march["due_cell_months"], march["on_fixed_day_cell_months"], march["present"]) == (
        1,
        1,
        8,
    )
    with Session(engine) as session:  # its meeting, then its cell and it in one flush
        for meeting in session.exec(select(Meeting).where(Meeting.date == dt.date(2025, 3, 7))).all():  # type: ignore[call-overload]
            session.delete(meeting[0])
        f.refresh(session, cells=[cell_id])  # its rows go before it (they refer to it)
        cell_row, org_row = session.get(Cell, cell_id), session.get(Organisation, org_id)  # loaded: no autoflush
        session.delete(cell_row)
        session.delete(org_row)
        f.refresh(session, communes=[district["da_loc"]])
        session.commit()
    assert _organisation_row(engine, org_id, "2025-03") is None
    assert aggregates.differences(engine) == 0


def test_a_units_import_moves_the_organisation_sums(engine: Engine) -> None:
    seed_units(engine)
    meetings = rows_file("meetings", {"date": "2025-03-03"})  # Chi bộ thôn 1 meets on the 3rd
    assert import_file(engine, "meetings", meetings, file_name="meetings.csv").ok
    organisation_id = 1  # Đảng bộ xã Lộc Sơn
    march = _organisation_row(engine, organisation_id, "2025-03")
    assert march is not None and march["on_fixed_day_cell_months"] == 1
    rows = [list(r) for r in UNITS_ROWS]
    rows[0][UNITS_HEADER.index("meeting_day")] = 4
    report = import_file(engine, "units", csv_bytes(UNITS_HEADER, rows), file_name="units2.csv", today=TODAY)
    assert report.ok and report.rows_updated == 1
    march = _organisation_row(engine, organisation_id, "2025-03")
    assert march is not None and march["on_fixed_day_cell_months"] == 0
    assert aggregates.differences(engine) == 0


def test_the_as_of_month_counts_the_days_up_to_as_of_by_organisation(
    engine: Engine,
    district: dict[str, int],
) -> None:
    with engine.connect() as conn:
        names = dict(conn.execute(select(Organisation.id, Organisation.name)).all())  # type: ignore[call-overload]
    p1, p2 = names[district["p1"]], names[district["p2"]]
    # Đảng bộ xã Lộc Sơn in April: c1 (day 3) due from the 4th, never met in April; c2 (day 10) due from the 11th,
    # its thematic meeting of the 2nd counts from the 2nd (10 present) but holds no regular meeting; c3 dissolved.
    assert _april_as_of(engine, 1, "organisation", p1) == (None, None)  # nothing due, no meeting yet
    assert _april_as_of(engine, 2, "organisation", p1) == (None, (1, 12, 10))
    assert _april_as_of(engine, 4, "organisation", p1) == ((1, 0, 0), (1, 12, 10))
    assert _april_as_of(engine, 11, "organisation", p1) == ((2, 0, 0), (1, 12, 10))
    # the school's c4 (day 5) met on the 5th: due from the 6th, held on its day; 9 present from the 5th
    assert _april_as_of(engine, 5, "organisation", p2) == (None, (1, 9, 9))
    assert _april_as_of(engine, 6, "organisation", p2) == ((1, 1, 1), (1, 9, 9))


def test_the_running_totals_of_the_small_district_are_its_months_summed_by_hand(
    engine: Engine,
    district: dict[str, int],
) -> None:
    # c1 (expected 28 a meeting): Jan 1 meeting, 26 present, 1 + 1 absent, the superior there; Feb two more (28,
    # 20 present; 0 + 5 excused, 0 + 3 unexcused); Mar one combined meeting (25 present, 2 + 1 absent)
    run = aggregates.cell_month_running_t.c
    with engine.connect() as conn:
        c1 = conn.execute(select(Cell.id).where(Cell.name == "Chi bộ thôn 1")).scalar_one()
        rows = conn.execute(
            select(run.month, *[run[c] for c in aggregates.RUNNING_SUMS]).where(run.cell_id == c1).order_by(run.month)
        ).all()
    assert [tuple(r) for r in rows] == [
        (Month(2025, 1).index, 1, 28, 26, 1, 1, 1, 0, 1),
        (Month(2025, 2).index, 3, 84, 74, 6, 4, 1, 0, 3),
        (Month(2025, 3).index, 4, 112, 99, 8, 5, 1, 1, 4),
    ]  # the last column: long meetings (every factory meeting lasts 90 minutes)
    # held months: c1 met regularly in January and February and held a combined meeting in March (1, 2, 3); c3 met
    # regularly in January, only thematically in March (1, 1)
    with engine.connect() as conn:
        held = conn.execute(
            select(Cell.name, run.month, run.held_months)
            .join(Cell, Cell.id == run.cell_id)  # type: ignore[arg-type]
            .where(Cell.name.in_(["Chi bộ thôn 1", "Chi bộ thôn 3"]))  # type: ignore[attr-defined]
            .order_by(Cell.name, run.month)
        ).all()
    assert [tuple(r) for r in held] == [
        ("Chi bộ thôn 1", Month(2025, 1).index, 1),
        ("Chi bộ thôn 1", Month(2025, 2).index, 2),
        ("Chi bộ thôn 1", Month(2025, 3).index, 3),
        ("Chi bộ thôn 3", Month(2025, 1).index, 1),
        ("Chi bộ thôn 3", Month(2025, 3).index, 1),
    ]


def test_sums_per_cell_over_four_months_or_more_are_two_running_rows_apart(
    engine: Engine,
    district: dict[str, int],
) -> None:
    """Feb-Jun 2025 as of 30 June: the whole months Feb-May come from the running totals (the row at the last
    month up to May less the row at the last month up to January), June from the raw meetings (none)."""
    from sqlalchemy.dialects import postgresql, sqlite

    filters = Filters(period_from=Month(2025, 2), period_to=Month(2025, 6), as_of=dt.date(2025, 6, 30))
    for dialect in (sqlite.dialect(), postgresql.dialect()):

        def sql(filters: Filters, dialect: Any = dialect) -> str:
            src = metrics._monthly_in_scope(filters, EVERYTHING, per_cell=True, dialect=dialect.name)
            return str(select(src).compile(dialect=dialect))

        assert "cell_month_running" in sql(filters)
        assert "cell_month_running" not in sql(replace(filters, period_from=Month(2025, 3)))  # three whole months
        assert ("LATERAL" in sql(filters)) == (dialect.name == "postgresql")
    df = metrics.participation(engine, filters=filters, scope=EVERYTHING, by="cell")
    got = {r.cell: (r.meetings, r.expected, r.present, r.absent_excused, r.absent_unexcused) for r in df.itertuples()}
    assert got == {
        # Mar row (4, 112, 99, 8, 5) less Jan row (1, 28, 26, 1, 1): Feb 3 + Feb 17 + Mar 5
        "Chi bộ thôn 1": (3, 84, 73, 7, 4),
        # Apr row (its Mar and Apr meetings), nothing up to January
        "Chi bộ thôn 2": (2, 24, 22, 2, 0),
        # Mar row (Jan + Mar) less Jan row: the thematic meeting of 3 March
        "Chi bộ thôn 3": (1, 20, 18, 2, 0),
        # Apr row (Jan-Apr, 9 expected each) less Jan row: Feb 6, Mar 5, Apr 5
        "Chi bộ Trường THCS Đa Lộc": (3, 27, 26, 1, 0),
    }


def test_running_totals_give_each_cells_sums_over_any_months_as_its_rows_summed(engine: Engine) -> None:
    """Random cells and meetings; for periods before, across, inside and after their months, the running path's
    sums per cell equal the cell's `cell_month` rows summed in Python, for every cell and for one commune."""
    _random_district(engine, 8)
    cm = aggregates.cell_month_t.c
    with engine.connect() as conn:
        rows = conn.execute(select(cm.cell_id, cm.month, *[cm[c] for c in aggregates.RUNNING_SUMS])).all()
        commune_of = dict(
            conn.execute(
                select(Cell.id, Commune.id)
                .join(metrics.organisation_t, metrics.organisation_t.c.id == Cell.organisation_id)
                .join(Commune, Commune.id == metrics.organisation_t.c.commune_id)
            ).all()
        )
    months = sorted({r.month for r in rows})
    rng = random.Random(8)
    spans = [(months[0] - 5, months[0] - 1), (months[0] - 3, months[-1] + 3), (months[-1] + 1, months[-1] + 9)]
    spans += [tuple(sorted(rng.sample(range(months[0] - 2, months[-1] + 3), 2))) for _ in range(8)]
    for lo, hi in spans:
        for communes in ((), (1,)):
            filters = Filters(
                period_from=Month.from_index(lo),
                period_to=Month.from_index(hi),
                as_of=dt.date(2030, 1, 1),
                communes=communes,
            )
            expected: dict[int, list[int]] = {}
            for r in rows:
                if lo <= r.month <= hi and (not communes or commune_of[r.cell_id] in communes):
                    sums = expected.setdefault(r.cell_id, [0] * len(aggregates.RUNNING_SUMS))
                    for i, value in enumerate(r[2:]):
                        sums[i] += value
            stmt = metrics._running_per_cell(filters, EVERYTHING, None, lo, hi, dialect=engine.dialect.name)
            with engine.connect() as conn:
                got = {int(r[0]): [int(v) for v in r[1:]] for r in conn.execute(stmt)}
            assert got == expected, (lo, hi, communes)


# --------------------------------------------------------------------------------------------------------------
# cell_month_band: the rate bands of the meetings per cell and month


def _commune_bands(engine: Engine, commune_id: int, month: str) -> dict[int, int]:
    """The meetings per band of a commune's cells in a month, summed from `cell_month_band`."""
    t = aggregates.cell_month_band_t.c
    cells = (
        select(Cell.id)
        .join(Organisation, Organisation.id == Cell.organisation_id)  # type: ignore[arg-type]
        .where(Organisation.commune_id == commune_id)
    )
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.band, func.sum(t.meetings))
            .where(t.cell_id.in_(cells), t.month == Month.parse(month).index)
            .group_by(t.band)
        ).all()
    return {int(band): int(meetings) for band, meetings in rows if meetings}


def test_cell_month_band_holds_the_hand_worked_bands_of_the_small_district(
    engine: Engine,
    district: dict[str, int],
) -> None:
    loc_son, da_loc = district["loc_son"], district["da_loc"]
    # band = present × 20 ÷ expected, integer division. Lộc Sơn, January: c1 26/28 -> 18, c3 15/20 -> 15;
    # February: c1 28/28 -> 20 and 20/28 -> 14; March: c1 25/28 -> 17, c2 12/12 -> 20, c3 18/20 -> 18;
    # April: c2 10/12 -> 16. Đa Lộc (c4): 9/9 -> 20 in January, March and April, 8/9 -> 17 in February.
    assert _commune_bands(engine, loc_son, "2025-01") == {15: 1, 18: 1}
    assert _commune_bands(engine, loc_son, "2025-02") == {14: 1, 20: 1}
    assert _commune_bands(engine, loc_son, "2025-03") == {17: 1, 18: 1, 20: 1}
    assert _commune_bands(engine, loc_son, "2025-04") == {16: 1}
    assert _commune_bands(engine, da_loc, "2025-02") == {17: 1}
    assert _commune_bands(engine, da_loc, "2025-04") == {20: 1}


def test_the_rate_bands_of_whole_months_are_read_from_the_cell_bands(
    engine: Engine,
    district: dict[str, int],
) -> None:
    # January to March, all whole months: 7 meetings in Lộc Sơn and 3 in Đa Lộc, in the bands worked out above.
    filters = period(start="2025-01", end="2025-03")
    expected = {14: 1, 15: 1, 17: 2, 18: 2, 20: 4}

    def bands(view: Filters) -> dict[int, int]:
        df = details.meeting_rate_distribution(engine, filters=view, scope=EVERYTHING)
        return {round(r * 20): int(n) for r, n in zip(df["rate_from"], df["meetings"], strict=True) if n}

    assert bands(filters) == expected
    assert bands(replace(filters, communes=(district["da_loc"],))) == {17: 1, 20: 2}
    assert bands(replace(filters, organisations=(district["p2"],))) == {17: 1, 20: 2}
    # as of 2025-04-04, April counts c2's meeting of the 2nd from the raw meetings: band 16
    assert bands(period()) == {**expected, 16: 1}
    # They come from cell_month_band: with its rows gone, whole months count nothing, the as-of month still does.
    with engine.begin() as conn:
        conn.execute(aggregates.delete(aggregates.cell_month_band_t))
    assert bands(filters) == {}
    assert bands(period()) == {16: 1}


def test_the_commune_span_is_read_from_the_meetings_not_the_clock(
    engine: Engine,
    district: dict[str, int],
) -> None:
    # the small district's meetings run from January to April 2025: the span ends in December of the next year,
    # whatever day the tables are refreshed on
    with engine.begin() as conn:
        aggregates.refresh(conn)
        assert aggregates.stored_span(conn) == (Month(2025, 1).index, Month(2026, 12).index)
