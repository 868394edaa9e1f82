"""Pages over communes of several provinces compare provinces, not communes (ui/places.py).

The small district (tests/small_district.py, 2025-01..2025-04, as of 2025-04-04) with Lộc Sơn put in Thanh Hóa
and Đa Lộc in Nghệ An. Hand-worked from the fixture's own notes:
  Nghệ An (Đa Lộc, c4): 3 due / 3 held / 2 on the day; 26 present of 27 expected.
  Thanh Hóa (Lộc Sơn, c1-c3): 8 due / 5 held / 4 on the day; 180 - 26 = 154 present of 203 - 27 = 176 expected.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from data_access import metrics
from data_access.db import make_engine
from data_access.filters import EVERYTHING
from data_access.settings import get_settings
from tests import factories as f
from tests.small_district import period
from tests.test_pages_frame import run_page
from ui.i18n import CATALOGUE

PCT = "\u00a0%"
LISTS = (
    "Danh sách chi bộ, tổ chức cơ sở đảng được xem theo từng tỉnh: bấm vào một tỉnh ở biểu đồ, hoặc chọn tỉnh ở "
    "thanh bên."
)
NOTE = (
    "Các xã thuộc nhiều tỉnh, thành phố nên số liệu được cộng theo tỉnh. Bấm vào một tỉnh, hoặc chọn tỉnh, xã ở thanh bên, "
    "để xem từng xã."
)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def two_provinces(app_db: dict[str, int], engine: Engine) -> dict[str, int]:
    f.place_communes(engine, {app_db["loc_son"]: "Thanh Hóa", app_db["da_loc"]: "Nghệ An"})
    return app_db


def _table(at, *columns: str) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The first table on the page with all of `columns`."""
    return next(df.value for df in at.dataframe if set(columns) <= set(df.value.columns))


def _subheaders(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.value for s in at.subheader]


def _captions(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.value for c in at.caption]


@pytest.mark.usefixtures("two_provinces")
def test_overview_ranks_the_provinces_with_their_numbers() -> None:
    at = run_page("overview")
    assert "Xếp hạng các tỉnh, thành phố" in _subheaders(at)
    assert NOTE in _captions(at)
    ranking = _table(at, "Tỉnh, thành phố")
    assert list(ranking["Tỉnh, thành phố"]) == ["Nghệ An", "Thanh Hóa"]
    assert list(ranking["Tỷ lệ sinh hoạt đều đặn"]) == [1.0, 5 / 8]  # 3 ÷ 3; 5 ÷ 8
    assert list(ranking["Tỷ lệ sinh hoạt đúng ngày"]) == [pytest.approx(2 / 3), 4 / 8]  # 2 ÷ 3; 4 ÷ 8
    assert list(ranking["Tỷ lệ đảng viên tham gia"]) == [pytest.approx(26 / 27), 154 / 176]  # 26 ÷ 27; 154 ÷ 176


@pytest.mark.usefixtures("two_provinces")
def test_choosing_one_commune_brings_the_communes_back() -> None:
    at = run_page("overview", commune="Lộc Sơn")
    assert "Xếp hạng các xã, thị trấn" in _subheaders(at)
    assert "Xếp hạng các tỉnh, thành phố" not in _subheaders(at)
    assert NOTE not in _captions(at)
    assert list(_table(at, "Xã, thị trấn")["Xã, thị trấn"]) == ["Lộc Sơn"]


@pytest.mark.usefixtures("two_provinces")
def test_overview_in_english_names_the_provinces() -> None:
    at = run_page("overview", lang="en")
    assert "Provinces ranked" in _subheaders(at)
    assert list(_table(at, "Province")["Province"]) == ["Nghệ An", "Thanh Hóa"]


@pytest.mark.usefixtures("two_provinces")
def test_regularity_draws_one_monthly_line_per_province() -> None:
    at = run_page("regularity")
    assert "Diễn biến theo tháng, từng tỉnh, thành phố" in _subheaders(at)
    trend = _table(at, "Tỉnh, thành phố")
    # month by month (held ÷ due): Đa Lộc c4 1/1, 1/1, 1/1, not due in April; Lộc Sơn Jan c1+c3 2/2, Feb 1/2 (c3
    # met not), Mar 2/3 (c3 thematic only), Apr c1 0/1
    assert [
        tuple(r) for r in trend[["Tỉnh, thành phố", "Tháng", "Tỷ lệ sinh hoạt đều đặn"]].itertuples(index=False)
    ] == [
        ("Nghệ An", "01/2025", 1.0),
        ("Nghệ An", "02/2025", 1.0),
        ("Nghệ An", "03/2025", 1.0),
        ("Thanh Hóa", "01/2025", 1.0),
        ("Thanh Hóa", "02/2025", 0.5),
        ("Thanh Hóa", "03/2025", pytest.approx(2 / 3)),
        ("Thanh Hóa", "04/2025", 0.0),
    ]


@pytest.mark.usefixtures("two_provinces")
def test_participation_compares_provinces_and_their_absences() -> None:
    at = run_page("participation")
    titles = _subheaders(at)
    assert "So sánh các tỉnh, thành phố" in titles and "So sánh các xã, thị trấn" not in titles
    compared = _table(at, "Tỉnh, thành phố", "Tỷ lệ đảng viên tham gia")
    assert list(compared["Tỉnh, thành phố"]) == ["Nghệ An", "Thanh Hóa"]
    assert list(compared["Tỷ lệ đảng viên tham gia"]) == [pytest.approx(26 / 27), 154 / 176]


def _metric_by_province(metric: str) -> pd.DataFrame:
    engine = make_engine(get_settings().database_url)
    try:
        return metrics.compute(metric, engine, filters=period(), scope=EVERYTHING, by="province")
    finally:
        engine.dispose()


@pytest.mark.usefixtures("two_provinces")
def test_inspections_topics_and_classification_group_by_province() -> None:
    at = run_page("inspections")
    assert "Kết quả theo tỉnh, thành phố" in _subheaders(at)
    outcomes = _table(at, "Tỉnh, thành phố")
    expected = _metric_by_province("inspections")
    assert list(outcomes["Tỉnh, thành phố"]) == list(expected["province"]) == ["Nghệ An", "Thanh Hóa"]
    assert [int(v) for v in outcomes["Cuộc kiểm tra, giám sát"]] == list(expected["inspections"])

    at = run_page("topics")
    at.button_group(key="topics_more").set_value("heatmap").run()  # a further chart, drawn on demand
    assert "Chủ đề × tỉnh, thành phố" in _subheaders(at)
    # c1's combined and c3's thematic meeting on Hồ Chí Minh (Lộc Sơn), c2's on new rural areas after as-of
    heat = _table(at, "Tỉnh, thành phố", "Chủ đề")
    assert sorted(set(heat["Tỉnh, thành phố"])) == ["Thanh Hóa"]

    at = run_page("classification", **{"from": "2023-01", "to": "2024-12"})
    titles = _subheaders(at)
    assert any(title.startswith("Cơ cấu xếp loại của các tỉnh, thành phố") for title in titles), titles


def test_a_commune_without_a_province_is_named_so(app_db: dict[str, int], engine: Engine) -> None:
    f.place_communes(engine, {app_db["loc_son"]: "Thanh Hóa", app_db["da_loc"]: None})
    ranking = _table(run_page("overview"), "Tỉnh, thành phố")
    assert list(ranking["Tỉnh, thành phố"]) == ["(chưa ghi tỉnh)", "Thanh Hóa"]  # Đa Lộc 100 % first


def test_every_title_about_communes_has_its_provinces_twin() -> None:
    """Each key given to `places.title` in views/ has a `.provinces` twin in both languages."""
    keys = []
    for path in (ROOT / "views").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_title = isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "title"
            if is_title and getattr(node.func.value, "id", None) == "places":  # type: ignore[union-attr]
                arg = node.args[0]  # type: ignore[union-attr]
                if isinstance(arg, ast.Constant):
                    keys.append(arg.value)
    assert len(keys) >= 7
    missing = [k for k in keys for twin in (k, f"{k}.provinces") if set(CATALOGUE.get(twin, {})) != {"vi", "en"}]
    assert missing == []


def _cards(at) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.label: m.value for m in at.metric}


@pytest.mark.usefixtures("two_provinces")
def test_choosing_a_province_shows_its_communes_and_numbers() -> None:
    at = run_page("overview")
    assert at.multiselect(key="f_provinces").options == ["Nghệ An", "Thanh Hóa"]
    at.multiselect(key="f_provinces").select("Nghệ An").run()
    cards = _cards(at)
    assert cards["Sinh hoạt đều đặn"] == "100,0" + PCT  # Đa Lộc: 3 held ÷ 3 due
    assert cards["Tỷ lệ đảng viên tham gia sinh hoạt"] == "96,3" + PCT  # 26 ÷ 27
    assert at.multiselect(key="f_communes").options == ["Đa Lộc"]
    assert "Xếp hạng các xã, thị trấn" in _subheaders(at)
    assert list(_table(at, "Xã, thị trấn")["Xã, thị trấn"]) == ["Đa Lộc"]
    assert at.caption[0].value.startswith("Nghệ An · ")
    assert at.query_params["province"] == "Nghệ An"


@pytest.mark.usefixtures("two_provinces")
def test_a_link_with_a_province_restores_it_and_an_unknown_one_is_named() -> None:
    at = run_page("overview", province=["Thanh Hóa", "Atlantis"])
    assert at.multiselect(key="f_provinces").value == ["Thanh Hóa"]
    assert _cards(at)["Sinh hoạt đều đặn"] == "62,5" + PCT  # Lộc Sơn: 5 held ÷ 8 due
    assert any("Atlantis" in w.value for w in at.warning)


@pytest.mark.usefixtures("app_db")
def test_communes_of_one_province_get_no_province_filter() -> None:
    at = run_page("overview")
    assert "f_provinces" not in [m.key for m in at.multiselect]
    assert "Xếp hạng các xã, thị trấn" in _subheaders(at)


def _infos(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.value for i in at.info]


@pytest.mark.usefixtures("two_provinces")
def test_lists_of_cells_wait_for_a_province() -> None:
    at = run_page("overview")
    assert LISTS in _infos(at) and "Cảnh báo" in _subheaders(at)
    assert not at.tabs  # no alert tabs: the missed meetings, below-target and overdue lists wait
    at = run_page("regularity")
    assert _infos(at) == [LISTS, LISTS]  # the least regular cells and the organisation ranking
    assert "Diễn biến theo tháng, từng tỉnh, thành phố" in _subheaders(at)
    at = run_page("participation")
    assert _infos(at) == [LISTS] and "Chi bộ dưới mục tiêu" in _subheaders(at)
    at = run_page("topics")
    assert LISTS in _infos(at)
    assert "Chi bộ chưa sinh hoạt chuyên đề" not in [m.label for m in at.metric]
    at = run_page("classification", **{"from": "2023-01", "to": "2024-12"})
    at.button_group(key="classification_more").set_value("grid").run()  # the grid is drawn on demand
    assert LISTS in _infos(at)


@pytest.mark.usefixtures("two_provinces")
def test_one_province_brings_the_lists_back() -> None:
    at = run_page("overview", province="Thanh Hóa")
    assert LISTS not in _infos(at)
    # I1 (due 2025-03-01) is Lộc Sơn's overdue follow-up; I4 (due 2025-02-01) is Đa Lộc's, in Nghệ An
    assert "Quá hạn (1)" in [tab.label for tab in at.tabs]
    at = run_page("regularity", province="Thanh Hóa")
    assert LISTS not in _infos(at)
    assert list(_table(at, "Thứ hạng")["Tổ chức cơ sở đảng"]) == ["Đảng bộ xã Lộc Sơn"]


@pytest.mark.usefixtures("two_provinces")
def test_organisations_start_from_the_provinces() -> None:
    at = run_page("organisations")
    table = _table(at, "Tỉnh, thành phố", "Tỷ lệ sinh hoạt đều đặn")
    assert list(table["Tỉnh, thành phố"]) == ["Nghệ An", "Thanh Hóa"]
    assert list(table["Tỷ lệ sinh hoạt đều đặn"]) == [1.0, 5 / 8]
    assert LISTS in _infos(at) and not at.text_input  # no search over every cell of the country
    at = run_page("organisations", province="Nghệ An")
    assert LISTS not in _infos(at)
    assert list(_table(at, "Xã, thị trấn", "Tỷ lệ sinh hoạt đều đặn")["Xã, thị trấn"]) == ["Đa Lộc"]
