"""Lineage across a merger: "as today" counts every record under its commune's successor, "as recorded" under the
commune of the time; a chosen commune and a commune account take in the predecessors' history. Hand-worked on
`tests/merged_district.py` (three communes merged into one on 2025-07-01)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from data_access import lineage
from data_access.auth import restrict_communes, scope_for
from data_access.filters import EVERYTHING, Scope
from data_access.lookups import organisations
from data_access.metrics import METRICS, compute, from_raw_meetings, missed_meetings, not_reported_cells, per_commune
from data_access.models import User
from data_access.units import cells_in_period
from tests.merged_district import merged, period
from tests.small_district import district
from tests.small_district import period as small_period

__all__ = ["district", "merged"]  # the fixtures

pytestmark = pytest.mark.both_databases  # dialect-sensitive (recursive CTE): runs on SQLite and PostgreSQL

OLD = ("An Lộc", "Bình Lộc", "Cẩm Lộc")
BY_COMMUNE = [metric for metric, spec in METRICS.items() if "commune" in spec.groups]


def _counts(spec_columns: tuple[str, ...], rates: tuple[str, ...]) -> list[str]:
    return [c for c in spec_columns if c not in rates and c != "year"]


def _rows(df: pd.DataFrame, key: str = "commune") -> dict[str, list[object]]:
    return {str(k): v[[c for c in df.columns if c != key]].values.tolist() for k, v in df.groupby(key, sort=False)}


def test_regularity_as_recorded_keeps_the_communes_of_the_time(engine: Engine, merged: dict[str, int]) -> None:
    df = compute("regularity", engine, filters=period(), scope=EVERYTHING, by="commune")
    rows = df[["commune", "due_cell_months", "held_cell_months", "on_fixed_day_cell_months"]].values.tolist()
    assert sorted(rows) == sorted(
        [["An Lộc", 2, 2, 2], ["Bình Lộc", 2, 1, 1], ["Cẩm Lộc", 2, 2, 1], ["Tân Lộc", 4, 3, 3], ["Đông Lộc", 4, 4, 4]]
    )


def test_regularity_and_participation_as_today_add_the_predecessors(engine: Engine, merged: dict[str, int]) -> None:
    today = period(grouping="today")
    reg = compute("regularity", engine, filters=today, scope=EVERYTHING, by="commune")
    assert reg[["commune", "due_cell_months", "held_cell_months", "on_fixed_day_cell_months"]].values.tolist() == [
        ["Đông Lộc", 4, 4, 4],  # Vietnamese order: Đ after D, before T
        ["Tân Lộc", 10, 8, 7],
    ]
    assert reg["regularity_rate"].tolist() == [1.0, 0.8]
    part = compute("participation", engine, filters=today, scope=EVERYTHING, by="commune")
    assert part[["commune", "meetings", "expected", "present"]].values.tolist()[1] == ["Tân Lộc", 8, 152, 134]


@pytest.mark.parametrize("metric", BY_COMMUNE)
def test_each_metric_as_today_is_the_sum_of_its_parts(engine: Engine, merged: dict[str, int], metric: str) -> None:
    spec = METRICS[metric]
    counts = _counts(tuple(spec.columns), tuple(spec.rate_columns))
    recorded = compute(metric, engine, filters=period(), scope=EVERYTHING, by="commune")
    today = compute(metric, engine, filters=period(grouping="today"), scope=EVERYTHING, by="commune")
    assert not set(today["commune"]) & set(OLD)
    keys = ["commune", "year"] if "year" in recorded.columns else ["commune"]
    recorded = recorded.assign(commune=recorded["commune"].replace(dict.fromkeys(OLD, "Tân Lộc")))
    summed = recorded.groupby(keys, sort=False)[counts].sum().reset_index()
    merged_today = today.set_index(keys)[counts].sort_index()
    expected = summed.set_index(keys)[counts].sort_index()
    pd.testing.assert_frame_equal(merged_today, expected, check_dtype=False, obj=metric)


@pytest.mark.parametrize("metric", ["regularity", "participation", "thematic", "superior_attendance"])
def test_time_series_of_the_new_commune_are_continuous_either_way(
    engine: Engine, merged: dict[str, int], metric: str
) -> None:
    chosen = (merged["tan"],)
    by = "quarter" if metric == "thematic" else "month"
    recorded = compute(metric, engine, filters=period(communes=chosen), scope=EVERYTHING, by=by)
    today = compute(metric, engine, filters=period(communes=chosen, grouping="today"), scope=EVERYTHING, by=by)
    pd.testing.assert_frame_equal(today, recorded)
    if metric == "regularity":  # May and June: the three old cells; July and August: the two new ones
        assert recorded["due_cell_months"].tolist() == [3, 3, 2, 2]


def test_choosing_the_new_commune_takes_in_its_predecessors(engine: Engine, merged: dict[str, int]) -> None:
    recorded = compute("regularity", engine, filters=period(communes=(merged["tan"],)), scope=EVERYTHING, by="commune")
    assert set(recorded["commune"]) == {*OLD, "Tân Lộc"}
    an_only = compute("regularity", engine, filters=period(communes=(merged["an"],)), scope=EVERYTHING, by="commune")
    assert an_only["commune"].tolist() == ["An Lộc"]
    names = set(organisations(engine, communes=(merged["tan"],), scope=EVERYTHING)["name"])
    assert names == {"Đảng bộ xã An Lộc", "Đảng bộ xã Bình Lộc", "Đảng bộ xã Cẩm Lộc", "Đảng bộ xã Tân Lộc"}


def test_the_per_commune_lines_as_today_are_one_per_today_s_commune(engine: Engine, merged: dict[str, int]) -> None:
    filters = period(grouping="today")
    communes = [(merged["tan"], "Tân Lộc"), (merged["dong"], "Đông Lộc")]
    df = per_commune("regularity", engine, filters=filters, scope=EVERYTHING, by="month", communes=communes)
    tan = df[df["commune"] == "Tân Lộc"]
    assert tan["due_cell_months"].tolist() == [3, 3, 2, 2]
    assert tan["held_cell_months"].tolist() == [3, 2, 2, 1]


def test_cells_are_counted_under_today_s_commune(engine: Engine, merged: dict[str, int]) -> None:
    df = cells_in_period(engine, filters=period(grouping="today"), scope=Scope.everything())
    assert dict(zip(df["commune"], df["cells"], strict=True)) == {"Tân Lộc": 5, "Đông Lộc": 1}


def test_the_missed_meetings_name_the_commune_of_the_grouping(engine: Engine, merged: dict[str, int]) -> None:
    # as of 2025-08-20, each cell's last 3 due months: b1 (Bình Lộc, closed 06-30) missed June, n2 (Tân Lộc) missed
    # August; every other cell met in each of its due months. As today Bình Lộc's cell is Tân Lộc's, as the
    # participation below target and every table of the view name it.
    def missed(grouping: str) -> list[list[object]]:
        df = missed_meetings(engine, filters=period(grouping=grouping), scope=EVERYTHING, window=3)
        return df[["commune", "cell", "missed_months", "months"]].values.tolist()

    assert missed("recorded") == [
        ["Bình Lộc", "Chi bộ thôn Bình", 1, "2025-06"],
        ["Tân Lộc", "Chi bộ thôn Cẩm", 1, "2025-08"],
    ]
    assert missed("today") == [
        ["Tân Lộc", "Chi bộ thôn Bình", 1, "2025-06"],
        ["Tân Lộc", "Chi bộ thôn Cẩm", 1, "2025-08"],
    ]
    not_reported = not_reported_cells(engine, filters=period(grouping="today"), scope=EVERYTHING, window=3)
    assert not_reported.empty  # the district records no reporting: every month counts


def _account(commune_id: int) -> User:
    return User(id=98, username="tanloc", role="commune", commune_id=commune_id)


def test_the_new_commune_s_account_sees_its_predecessors_and_nothing_else(
    engine: Engine, merged: dict[str, int]
) -> None:
    scope = scope_for(_account(merged["tan"]), engine)
    assert scope.communes == frozenset({merged["tan"], merged["an"], merged["binh"], merged["cam"]})
    cells = compute("regularity", engine, filters=period(), scope=scope, by="cell")
    assert set(cells["commune"]) == {*OLD, "Tân Lộc"}
    assert "Chi bộ thôn Đông" not in set(cells["cell"])
    asked = period(communes=(merged["dong"], merged["tan"]), grouping="today")
    allowed, dropped = restrict_communes(asked.communes, scope)
    assert (allowed, dropped) == ((merged["tan"],), (merged["dong"],))
    seen = compute("participation", engine, filters=replace(asked, communes=allowed), scope=scope, by="commune")
    assert seen[["commune", "meetings", "expected", "present"]].values.tolist() == [["Tân Lộc", 8, 152, 134]]


def test_an_old_commune_s_account_sees_only_its_own_history(engine: Engine, merged: dict[str, int]) -> None:
    scope = scope_for(_account(merged["an"]), engine)
    assert scope.communes == frozenset({merged["an"]})
    seen = compute("regularity", engine, filters=period(grouping="today"), scope=scope, by="cell")
    assert seen["cell"].tolist() == ["Chi bộ thôn An"]


@pytest.mark.parametrize(("metric", "by"), [(m, g) for m, s in METRICS.items() for g in s.groups])
def test_without_a_merger_today_and_recorded_are_the_same(
    engine: Engine, district: dict[str, int], metric: str, by: str
) -> None:
    recorded = compute(metric, engine, filters=small_period(), scope=EVERYTHING, by=by)
    today = compute(metric, engine, filters=small_period(grouping="today"), scope=EVERYTHING, by=by)
    pd.testing.assert_frame_equal(today, recorded)


def test_the_commune_tree_lists_today_s_communes_each_with_its_former_ones(
    engine: Engine, merged: dict[str, int]
) -> None:
    tree = lineage.commune_tree(engine, scope=EVERYTHING)
    assert tree[["name", "former"]].values.tolist() == [
        ["Đông Lộc", False],
        ["Tân Lộc", False],
        ["An Lộc", True],
        ["Bình Lộc", True],
        ["Cẩm Lộc", True],
    ]
    assert lineage.merger_dates(engine, scope=EVERYTHING) == (lineage_reform(),)


def lineage_reform():  # type: ignore[no-untyped-def]
    from tests.merged_district import REFORM

    return REFORM


def test_the_lineage_table_lists_every_succession(engine: Engine, merged: dict[str, int]) -> None:
    table = lineage.lineage_table(engine, communes=(merged["tan"],), scope=EVERYTHING)
    assert table["unit_level"].value_counts().to_dict() == {"commune": 3, "organisation": 3, "cell": 3}
    assert set(table[table["unit_level"] == "commune"]["successor"]) == {"Tân Lộc"}
    assert lineage.lineage_table(engine, communes=(merged["dong"],), scope=EVERYTHING).empty


@pytest.mark.parametrize(("metric", "by"), [(m, g) for m, s in METRICS.items() for g in s.groups])
def test_as_today_the_summed_tables_and_the_raw_meetings_agree(
    engine: Engine, merged: dict[str, int], metric: str, by: str
) -> None:
    filters = period(grouping="today")
    fast = compute(metric, engine, filters=filters, scope=EVERYTHING, by=by)
    with from_raw_meetings():
        raw = compute(metric, engine, filters=filters, scope=EVERYTHING, by=by)
    pd.testing.assert_frame_equal(fast, raw)


def _export(engine: Engine, monkeypatch: pytest.MonkeyPatch, *argv: str) -> list[str]:
    import io

    from data_access.cli import main
    from data_access.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    out, err = io.StringIO(), io.StringIO()
    window = ("--from", "2025-05", "--to", "2025-08", "--as-of", "2025-08-20")
    assert main(["export", "regularity", "--by", "commune", *window, *argv], out=out, err=err) == 0, err.getvalue()
    return [line.split(",")[0] + ":" + line.split(",")[1] for line in out.getvalue().splitlines()[1:]]


def test_export_groups_as_today_by_default_across_a_merger_and_as_recorded_on_request(
    engine: Engine, merged: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _export(engine, monkeypatch) == ["Đông Lộc:4", "Tân Lộc:10"]
    assert _export(engine, monkeypatch, "--group", "today") == ["Đông Lộc:4", "Tân Lộc:10"]
    recorded = _export(engine, monkeypatch, "--group", "recorded", "--commune", "Tân Lộc")
    assert recorded == ["An Lộc:2", "Bình Lộc:2", "Cẩm Lộc:2", "Tân Lộc:4"]


def test_a_period_before_the_merger_is_grouped_as_recorded_by_default(engine: Engine, merged: dict[str, int]) -> None:
    dates = lineage.merger_dates(engine, scope=EVERYTHING)
    assert lineage.default_grouping(period(), dates) == "today"
    assert lineage.default_grouping(replace(period(), period_to=period().period_from + 1), dates) == "recorded"
    assert lineage.default_grouping(replace(period(), period_from=period().period_to), dates) == "recorded"


def test_the_briefing_ranks_communes_as_today_when_its_year_crosses_the_merger(
    engine: Engine, merged: dict[str, int]
) -> None:
    import datetime as dt

    from data_access.briefing import build_briefing
    from data_access.filters import Month

    june = {"month": Month(2025, 6), "scope": Scope.everything(), "today": dt.date(2025, 8, 20)}
    recorded = build_briefing(engine, **june)  # its 12 months end in June 2025: before the merger
    assert sorted(recorded.ranking["commune"]) == ["An Lộc", "Bình Lộc", "Cẩm Lộc", "Đông Lộc"]
    today = build_briefing(engine, **june, grouping="today")
    assert sorted(today.ranking["commune"]) == ["Tân Lộc", "Đông Lộc"]
    assert today.ranking.set_index("commune").loc["Tân Lộc", "due_cell_months"] == 3  # a1, b1, c1 in June
    august = build_briefing(engine, month=Month(2025, 8), scope=Scope.everything(), today=dt.date(2025, 8, 20))
    assert august.trend["regularity_rate"].notna().sum() >= 4  # May–August: one line through the merger
