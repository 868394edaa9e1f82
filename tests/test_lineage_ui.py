"""The sidebar and charts across a merger (AppTest on the pages, pure tests of the link and figure helpers): the
commune list puts former communes under today's, the grouping switch follows the period until the reader picks
one and lives in the URL, and time charts mark the merger day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access.filters import EVERYTHING
from data_access.settings import get_settings
from tests.merged_district import REFORM, merged
from tests.test_links import _read
from ui import theme
from ui.filters import SCOPE_KEY

__all__ = ["merged"]  # the fixture

MERGED_PERIOD = {"as_of": "2025-08-20", "period": "custom", "from": "2025-05", "to": "2025-08"}


@pytest.fixture
def merged_app(engine: Engine, merged: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """The merged district in a fresh database, and settings that point the app at it (no demo data)."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DEMO_MODE", "0")
    monkeypatch.setenv("DASHBOARD_SECRETS", "/nonexistent/secrets.toml")
    monkeypatch.delenv("DASHBOARD_LANGUAGE", raising=False)
    get_settings.cache_clear()
    yield merged
    from ui import data

    data.engine().dispose()


def _page(page: str, **params: str | list[str]) -> AppTest:
    at = AppTest.from_file(f"../views/{page}.py", default_timeout=60)
    at.session_state[SCOPE_KEY] = EVERYTHING  # a district account's, as app.py records it
    for name, value in {**MERGED_PERIOD, **params}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_across_a_merger_the_view_groups_as_today_and_shows_the_merger_trend(merged_app: dict[str, int]) -> None:
    at = _page("overview", commune="Tân Lộc")
    assert at.segmented_control(key="f_group").value == "today"
    assert "group" not in at.query_params  # the default is not written into links
    titles = [h.value for h in at.subheader] + [m.value for m in at.markdown]
    assert any("Diễn biến qua đợt sáp nhập (như hiện nay)" in text for text in titles)


def test_a_link_s_grouping_is_kept_and_written_back(merged_app: dict[str, int]) -> None:
    at = _page("overview", commune="Tân Lộc", group="recorded")
    assert at.segmented_control(key="f_group").value == "recorded"
    assert at.query_params["group"] in ("recorded", ["recorded"])


def test_picking_a_grouping_sticks_when_the_period_changes(merged_app: dict[str, int]) -> None:
    at = _page("overview")
    at.segmented_control(key="f_group").set_value("recorded").run()
    assert at.query_params["group"] in ("recorded", ["recorded"])
    at.selectbox(key="f_from").set_value("2025-07").run()  # no longer crosses the merger
    assert at.segmented_control(key="f_group").value == "recorded"


def test_a_period_that_does_not_cross_the_merger_groups_as_recorded(merged_app: dict[str, int]) -> None:
    at = _page("overview", **{"from": "2025-05", "to": "2025-06"})
    assert at.segmented_control(key="f_group").value == "recorded"


def test_the_commune_list_puts_former_communes_under_today_s(merged_app: dict[str, int]) -> None:
    at = _page("regularity")
    widget = at.multiselect(key="f_communes")
    assert list(widget.options) == [
        "Đông Lộc",
        "Tân Lộc",
        "↳ An Lộc (xã cũ, đến 30/06/2025)",
        "↳ Bình Lộc (xã cũ, đến 30/06/2025)",
        "↳ Cẩm Lộc (xã cũ, đến 30/06/2025)",
    ]


def test_without_a_merger_there_is_no_switch(app_db: dict[str, int]) -> None:
    at = AppTest.from_file("../views/overview.py", default_timeout=60)
    at.session_state[SCOPE_KEY] = EVERYTHING  # a district account's, as app.py records it
    for name, value in {"as_of": "2025-04-04", "period": "custom", "from": "2025-01", "to": "2025-04"}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    assert not [w for w in at.get("segmented_control") if getattr(w, "key", None) == "f_group"]


def test_organisations_lists_the_mergers(merged_app: dict[str, int]) -> None:
    at = _page("organisations")
    frames = [df.value for df in at.dataframe]
    merged_rows = [f for f in frames if "Sáp nhập vào" in f.columns]
    assert merged_rows, [list(f.columns) for f in frames]
    assert set(merged_rows[0]["Sáp nhập vào"]) >= {"Tân Lộc"}


def test_a_link_reads_the_grouping_as_a_code() -> None:
    assert _read(group=["today"]).values["group"] == "today"
    reading = _read(group=["như hiện nay"])
    assert "group" not in reading.values and ("group", "như hiện nay") in reading.dropped


def _months(*months: str) -> pd.DataFrame:
    return pd.DataFrame({"month": list(months), "regularity_rate": [0.9] * len(months)})


def test_a_time_chart_across_the_merger_is_marked_once() -> None:
    fig = theme.mark_mergers(
        theme.rate_trend(_months("2025-05", "2025-06", "2025-07"), rate_columns=["regularity_rate"]),
        [REFORM],
        lang="vi",
    )
    assert [s.x0 for s in fig.layout.shapes] == [REFORM]
    assert [a.text for a in fig.layout.annotations if a.text.startswith("Sáp nhập")] == ["Sáp nhập 01/07/2025"]


@pytest.mark.parametrize("months", [("2025-01", "2025-06"), ("2025-07", "2025-09")])
def test_a_time_chart_that_does_not_cross_the_merger_is_left_alone(months: tuple[str, ...]) -> None:
    fig = theme.mark_mergers(theme.rate_trend(_months(*months), rate_columns=["regularity_rate"]), [REFORM])
    assert not fig.layout.shapes


def test_a_chart_without_dates_is_left_alone() -> None:
    fig = theme.mark_mergers(theme.rate_ranking(pd.DataFrame({"commune": ["A"], "regularity_rate": [0.9]}),
                                                label_column="commune", rate_column="regularity_rate"),
                             [dt.date(2025, 7, 1)])  # fmt: skip
    assert not [s for s in fig.layout.shapes if getattr(s, "x0", None) == REFORM]


def test_a_quarter_chart_across_the_merger_is_marked_between_the_quarters() -> None:
    from ui import figures_views as figures

    quarters = pd.DataFrame({"quarter": ["2025-Q1", "2025-Q2", "2025-Q3"], "thematic_coverage": [0.8, 0.9, 0.85]})
    fig = theme.mark_mergers(figures.quarter_rate(quarters, rate_column="thematic_coverage", lang="vi"), [REFORM])
    assert [s.x0 for s in fig.layout.shapes] == [1.5]  # between Quý 2 (index 1) and Quý 3 (index 2)
    later = theme.mark_mergers(figures.quarter_rate(quarters.iloc[2:], rate_column="thematic_coverage"), [REFORM])
    assert not later.layout.shapes  # the merger's quarter is the first shown: nothing is crossed
