"""The reporting panel on the Overview and the line under the rates, on the district of tests/test_reporting.py
(period 2025-10..2025-11, as of 2025-12-10: Cẩm Lộc has not sent November)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access.filters import EVERYTHING
from data_access.settings import get_settings
from tests.test_reporting import build_towns
from ui.filters import SCOPE_KEY

PARAMS = {"as_of": "2025-12-10", "period": "custom", "from": "2025-10", "to": "2025-11"}


@pytest.fixture
def towns_app(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    towns = build_towns(engine)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DEMO_MODE", "0")
    monkeypatch.setenv("DASHBOARD_SECRETS", "/nonexistent/secrets.toml")
    monkeypatch.delenv("DASHBOARD_LANGUAGE", raising=False)
    monkeypatch.delenv("REPORTING_DEADLINE_DAY", raising=False)
    get_settings.cache_clear()
    yield towns
    from ui import data

    data.engine().dispose()


def _details(at: AppTest, *chosen: str) -> AppTest:
    """The Overview with the reporting panel's parts `chosen` ("month", "grid", "not_reported") shown."""
    at.button_group(key="reporting_more").set_value(list(chosen)).run()
    assert not at.exception, at.exception
    return at


def _run(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(f"../views/{page}.py", default_timeout=60)
    at.session_state[SCOPE_KEY] = EVERYTHING  # a district account's, as app.py records it
    for name, value in {**PARAMS, **params}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


NOTE_VI = "1 xã chưa gửi số liệu tháng 11/2025 — tỷ lệ chỉ tính các tháng đã gửi số liệu."


def test_overview_says_who_has_not_reported_and_lists_them_first(towns_app: dict[str, int]) -> None:
    at = _details(_run("overview"), "month")
    captions = _captions(at)
    assert captions.count(NOTE_VI) == 2  # under the headline rates, and at the head of the panel
    assert "Tháng 11/2025: 1 xã chưa gửi, 1 xã gửi muộn, 2 xã đã gửi đúng hạn (hạn: 05/12/2025)." in captions
    month = next(df.value for df in at.dataframe if "Tình trạng" in df.value.columns)
    assert month[["Xã, thị trấn", "Tình trạng"]].values.tolist() == [
        ["Cẩm Lộc", "Chưa gửi"],
        ["Bình Lộc", "Gửi muộn"],
        ["An Lộc", "Đã gửi"],
        ["Đông Lộc", "Đã gửi"],
    ]


def test_overview_missed_list_leaves_the_unreported_month_out(towns_app: dict[str, int]) -> None:
    at = _details(_run("overview"), "not_reported")
    frames = [df.value for df in at.dataframe]
    missed = next(df for df in frames if "Số tháng không sinh hoạt" in df.columns)
    assert sorted(zip(missed["Xã, thị trấn"], missed["Các tháng"], strict=True)) == [
        ("An Lộc", "2025-11"),
        ("Cẩm Lộc", "2025-10"),
        ("Đông Lộc", "2025-11"),
    ]
    apart = next(df for df in frames if "Số tháng chưa gửi số liệu" in df.columns)
    cam = apart[apart["Xã, thị trấn"] == "Cẩm Lộc"]
    assert cam["Các tháng"].tolist() == ["2025-11, 2025-12", "2025-11, 2025-12"]


def test_the_panel_opens_on_its_summary_and_draws_each_part_on_demand(towns_app: dict[str, int]) -> None:
    """On arrival the panel is its title, the note and the month's summary line: no table, no grid. Each part,
    chosen, comes with its title, its definition and its two downloads; the list and the grid side by side."""
    at = _run("overview")
    subheaders = [s.value for s in at.subheader]
    assert "Tình hình gửi số liệu của các xã" in subheaders
    assert "Tháng 11/2025: 1 xã chưa gửi, 1 xã gửi muộn, 2 xã đã gửi đúng hạn (hạn: 05/12/2025)." in _captions(at)
    control = at.button_group(key="reporting_more")
    assert control.value == []
    assert [o.content for o in control.proto.options] == [
        "Số liệu tháng 11/2025",
        "Các xã theo tháng",
        "Chi bộ chưa gửi số liệu",
    ]
    charts, downloads = len(at.get("plotly_chart")), len(at.get("download_button"))
    assert not any("Tình trạng" in df.value.columns for df in at.dataframe)
    for chosen, title, more_charts in (
        ("month", "Số liệu tháng 11/2025", 0),
        ("grid", "Các xã theo tháng", 1),
        ("not_reported", "Chi bộ thuộc các tháng xã chưa gửi số liệu (3 tháng gần nhất)", 0),
    ):
        shown = _details(_run("overview"), chosen)
        assert title in [s.value for s in shown.subheader], chosen
        assert len(shown.get("plotly_chart")) == charts + more_charts, chosen
        assert len(shown.get("download_button")) == downloads + 2, chosen
    every = _details(_run("overview"), "month", "grid", "not_reported")
    assert len(every.get("download_button")) == downloads + 6
    assert len(every.columns) >= 2


def test_english_note_and_regularity_page_line(towns_app: dict[str, int]) -> None:
    at = _run("overview", lang="en")
    assert "Communes that have not sent their data — Nov 2025: 1; rates count reported months only." in _captions(at)
    regularity = _run("regularity")
    assert any(NOTE_VI in c for c in _captions(regularity))


def test_no_note_when_every_commune_has_reported(towns_app: dict[str, int]) -> None:
    at = _run("overview", **{"from": "2025-10", "to": "2025-10"})
    assert not any("chưa gửi số liệu tháng" in c for c in _captions(at))


def test_organisations_page_shows_a_communes_months(towns_app: dict[str, int]) -> None:
    at = AppTest.from_file("../views/organisations.py", default_timeout=60)
    at.session_state[SCOPE_KEY] = EVERYTHING  # a district account's, as app.py records it
    for name, value in {**PARAMS, "unit_commune": "Cẩm Lộc"}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    months = next(df.value for df in at.dataframe if "Hạn gửi" in df.value.columns)
    # newest first: November missing, October received on the deadline day (23:00 Vietnam time)
    assert months[["Tháng", "Tình trạng"]].values.tolist()[:2] == [["11/2025", "Chưa gửi"], ["10/2025", "Đã gửi"]]


def test_the_grid_of_many_communes_draws_its_squares_without_gaps() -> None:
    """Gaps make plotly.js draw a heatmap square by square: a district's grid keeps them, a province's drops them."""
    import pandas as pd

    from ui.reporting import MAX_GAPPED_ROWS, grid_figure

    def grid(communes: int) -> pd.DataFrame:
        return pd.DataFrame(
            [(f"X{k:03d}", month, "received") for k in range(communes) for month in ("2025-01", "2025-02")],
            columns=["commune", "month", "status"],
        )

    few, many = grid_figure(grid(MAX_GAPPED_ROWS), lang="vi").data[0], grid_figure(grid(MAX_GAPPED_ROWS + 1)).data[0]
    assert (few.xgap, few.ygap) == (2, 2)
    assert (many.xgap, many.ygap) == (0, 0)
    assert len(many.z) == MAX_GAPPED_ROWS + 1
