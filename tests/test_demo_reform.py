"""`demo --after-reform`: the demo district with the 2025 merger applied on 1 July 2025 (22 communes into 5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access import aggregates, lineage
from data_access.auth import scope_for
from data_access.db import make_engine
from data_access.demo import HAU_LOC_COMMUNES, generate_demo
from data_access.demo_reform import MERGER, REFORM_DAY, new_commune_name
from data_access.errors import UserError
from data_access.filters import EVERYTHING, Filters, Month
from data_access.lookups import communes, resolve_communes
from data_access.metrics import compute
from data_access.models import User

pytestmark = pytest.mark.slow  # writes the demo district (about 7 s)

AS_OF = dt.date(2026, 11, 24)
FIVE_YEARS = Filters(period_from=Month(2021, 11), period_to=Month(2026, 10), as_of=AS_OF)


@pytest.fixture(scope="module")
def reformed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('reform') / 'demo.sqlite3'}")
    generate_demo(eng, as_of=AS_OF, after_reform=True)
    yield eng
    eng.dispose()


def _rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_the_22_communes_are_merged_into_the_5_of_the_reform(reformed: Engine) -> None:
    pairs = _rows(
        reformed,
        "SELECT o.name, n.name, o.merged_on, o.active_to FROM commune o JOIN commune n ON n.id = o.merged_into_id",
    )
    assert {old: new for old, new, _, _ in pairs} == {
        old: new_commune_name(new) for new, olds in MERGER.items() for old in olds
    }
    assert {str(old) for old, *_ in pairs} == set(HAU_LOC_COMMUNES)
    assert {(str(on), str(to)) for _, _, on, to in pairs} == {("2025-07-01", "2025-06-30")}
    new = _rows(reformed, "SELECT name FROM commune WHERE merged_into_id IS NULL")
    assert sorted(str(n) for (n,) in new) == sorted(new_commune_name(n) for n in MERGER)


def test_no_old_unit_is_open_or_has_records_after_june_2025(reformed: Engine) -> None:
    old_units = (
        "SELECT id FROM organisation WHERE commune_id IN (SELECT id FROM commune WHERE merged_into_id IS NOT NULL)"
    )
    assert _rows(reformed, f"SELECT COUNT(*) FROM organisation WHERE id IN ({old_units}) AND active_to IS NULL") == [
        (0,)
    ]
    late = _rows(
        reformed,
        "SELECT COUNT(*) FROM meeting m JOIN cell c ON c.id = m.cell_id "
        f"WHERE c.organisation_id IN ({old_units}) AND m.date >= '2025-07-01'",
    )
    assert late == [(0,)]
    outside = _rows(
        reformed,
        "SELECT COUNT(*) FROM meeting m JOIN cell c ON c.id = m.cell_id "
        "WHERE m.date < c.active_from OR (c.active_to IS NOT NULL AND m.date > c.active_to)",
    )
    assert outside == [(0,)]


def test_the_derived_tables_are_in_step(reformed: Engine) -> None:
    assert aggregates.differences(reformed) == 0


def test_the_new_hau_loc_over_five_years_is_the_sum_of_its_four_old_communes(reformed: Engine) -> None:
    hau_loc = resolve_communes(reformed, ["Xã Hậu Lộc"], scope=EVERYTHING)
    today = compute(
        "regularity", reformed, filters=_with(communes=hau_loc, grouping="today"), scope=EVERYTHING, by="commune"
    )
    recorded = compute("regularity", reformed, filters=_with(communes=hau_loc), scope=EVERYTHING, by="commune")
    assert set(recorded["commune"]) == {*MERGER["Hậu Lộc"], "Xã Hậu Lộc"}
    for column in ("due_cell_months", "held_cell_months", "on_fixed_day_cell_months"):
        assert today[column].tolist() == [recorded[column].sum()]
    part_today = compute(
        "participation", reformed, filters=_with(communes=hau_loc, grouping="today"), scope=EVERYTHING, by="commune"
    )
    part_recorded = compute("participation", reformed, filters=_with(communes=hau_loc), scope=EVERYTHING, by="commune")
    for column in ("meetings", "expected", "present"):
        assert part_today[column].tolist() == [part_recorded[column].sum()]


def test_the_trend_is_continuous_and_the_old_communes_stop_in_june_2025(reformed: Engine) -> None:
    hau_loc = resolve_communes(reformed, ["Xã Hậu Lộc"], scope=EVERYTHING)
    monthly = compute(
        "regularity", reformed, filters=_with(communes=hau_loc, grouping="today"), scope=EVERYTHING, by="month"
    )
    assert len(monthly) == 60 and (monthly["due_cell_months"] > 0).all()
    old = resolve_communes(reformed, ["Lộc Sơn"], scope=EVERYTHING)
    lo_son = compute("regularity", reformed, filters=_with(communes=old), scope=EVERYTHING, by="month")
    assert lo_son["month"].max() == "2025-06"
    # Lộc Sơn as the report describes it: 11 cells, each due every month up to the merger
    assert set(lo_son["due_cell_months"]) == {11}


def test_the_new_commune_s_account_sees_its_four_predecessors(reformed: Engine) -> None:
    (hau_loc,) = resolve_communes(reformed, ["Xã Hậu Lộc"], scope=EVERYTHING)
    scope = scope_for(User(id=1, username="x", role="commune", commune_id=hau_loc), reformed)
    seen = set(communes(reformed, scope=scope)["name"])
    assert seen == {*MERGER["Hậu Lộc"], "Xã Hậu Lộc"}
    cells = compute("participation", reformed, filters=_with(), scope=scope, by="cell")
    assert set(cells["commune"]) <= seen


def test_merger_dates_and_default_grouping(reformed: Engine) -> None:
    assert lineage.merger_dates(reformed, scope=EVERYTHING) == (REFORM_DAY,)
    assert lineage.default_grouping(FIVE_YEARS, lineage.merger_dates(reformed, scope=EVERYTHING)) == "today"


def test_after_reform_needs_an_as_of_date_after_the_reform(tmp_path) -> None:  # type: ignore[no-untyped-def]
    eng = make_engine(f"sqlite:///{tmp_path / 'early.sqlite3'}")
    with pytest.raises(UserError, match="after 2025-07-01"):
        generate_demo(eng, as_of=dt.date(2025, 6, 15), after_reform=True)
    eng.dispose()


def _with(**kw: object) -> Filters:
    from dataclasses import replace

    return replace(FIVE_YEARS, **kw)  # type: ignore[arg-type]


def test_units_export_round_trips_the_reformed_district(reformed: Engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from data_access.importing import export_csv, export_table, import_file
    from data_access.migrations import init_db

    copy = make_engine(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    init_db(copy)
    report = import_file(copy, "units", export_csv(reformed, "units"), file_name="units.csv", today=AS_OF)
    assert report.written, [(p.row, p.column, p.code) for p in report.problems if p.severity == "error"][:5]
    pd.testing.assert_frame_equal(export_table(copy, "units"), export_table(reformed, "units"))
    again = import_file(reformed, "units", export_csv(reformed, "units"), file_name="units.csv", today=AS_OF)
    assert again.written and again.rows_updated == 0 and again.rows_new == 0
    copy.dispose()
