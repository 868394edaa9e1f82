"""The Thematic topics, Inspections, Classification and Organisations pages on the small district
(tests/small_district.py: period 2025-01..2025-04, as of 2025-04-04), through AppTest.

Numbers are worked out by hand in the comments, and compared with the metric functions for the same filters.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data_access import metrics
from data_access.db import make_engine
from data_access.filters import EVERYTHING
from data_access.models import Organisation
from data_access.settings import get_settings
from tests import factories as f
from tests.small_district import period
from tests.test_pages_frame import run_page
from ui import format as fmt
from ui.i18n import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("topics", "inspections", "classification", "organisations")
EMPTY_VI = "Không có số liệu cho bộ lọc đã chọn. Hãy mở rộng thời gian hoặc chọn xã khác."
NO_UNITS = {"commune": "Lộc Sơn", "kind": "party_cell"}  # Lộc Sơn has only a party committee
YEARS_2023_2024 = {"from": "2023-01", "to": "2024-12"}
PCT = "\u00a0%"


def _cards(at) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.label: m.value for m in at.metric}


def _table(at, column: str) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return next(df.value for df in at.dataframe if column in df.value.columns)


def _metric(function, **kw):  # type: ignore[no-untyped-def]
    engine = make_engine(get_settings().database_url)
    try:
        return function(engine, **kw)
    finally:
        engine.dispose()


# ----- every page, both languages


@pytest.mark.usefixtures("app_db")
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_in_both_languages(page: str, lang: str) -> None:
    params = YEARS_2023_2024 if page == "classification" else {}
    at = run_page(page, lang=lang, **params)  # a missing catalogue key raises KeyError -> at.exception
    assert at.title[0].value == CATALOGUE[f"{page}.title"][lang]
    assert at.get("plotly_chart"), "every page draws at least one chart on the small district"


@pytest.mark.usefixtures("app_db")
@pytest.mark.parametrize("page", PAGES)
def test_no_unit_in_scope_shows_the_empty_message(page: str) -> None:
    at = run_page(page, **NO_UNITS)
    assert [i.value for i in at.info] == [EMPTY_VI]
    assert not at.get("plotly_chart") and len(at.metric) == 0


# ----- Thematic topics


@pytest.mark.usefixtures("app_db")
def test_topics_kpis_are_the_hand_worked_numbers() -> None:
    cards = _cards(run_page("topics"))
    # Q1 2025 is the only due quarter: c1, c3, c4 due (c2 founded 15/02); c1 and c3 covered -> 2 ÷ 3
    assert cards["Sinh hoạt chuyên đề theo quý"] == "66,7" + PCT
    assert cards["Buổi sinh hoạt chuyên đề"] == "3"  # c1 05/03 combined, c3 03/03, c2 02/04
    assert cards["Chủ đề đã sinh hoạt"] == "2"
    assert cards["Chi bộ chưa sinh hoạt chuyên đề"] == "1"  # c4


@pytest.mark.usefixtures("app_db")
def test_topics_compare_with_the_recorded_part_of_the_previous_period() -> None:
    # Jan-Apr 2025: the previous period, Sep-Dec 2024, lies before the first meeting (3 January 2025): no data.
    deltas = {m.label: m.delta for m in run_page("topics").metric}
    assert deltas["Buổi sinh hoạt chuyên đề"] == deltas["Chủ đề đã sinh hoạt"] == "Không có kỳ trước"
    assert not deltas["Chi bộ chưa sinh hoạt chuyên đề"]  # a list's count, never compared
    # Feb-Apr: the previous period Nov-Jan counts from January, which had no thematic meeting and no topic:
    # 3 thematic meetings (c3 03/03, c1 05/03, c2 02/04) and 2 topics now, +3 and +2.
    deltas = {m.label: m.delta for m in run_page("topics", **{"from": "2025-02", "to": "2025-04"}).metric}
    assert (deltas["Buổi sinh hoạt chuyên đề"], deltas["Chủ đề đã sinh hoạt"]) == ("+3", "+2")


@pytest.mark.usefixtures("app_db")
def test_topics_coverage_equals_the_metric_function() -> None:
    cards = _cards(run_page("topics"))
    total = _metric(metrics.thematic, filters=period(), scope=EVERYTHING, by="total")
    assert cards["Sinh hoạt chuyên đề theo quý"] == fmt.percent(total["thematic_coverage"].iloc[0], lang="vi")


@pytest.mark.usefixtures("app_db")
def test_topics_commune_filter_changes_the_numbers() -> None:
    at = run_page("topics")
    at.multiselect(key="f_communes").select("Đa Lộc").run()
    cards = _cards(at)
    assert cards["Sinh hoạt chuyên đề theo quý"] == "0,0" + PCT  # c4 due in Q1, no thematic meeting
    assert cards["Buổi sinh hoạt chuyên đề"] == "0"


@pytest.mark.usefixtures("app_db")
def test_topics_list_the_cell_without_a_thematic_meeting() -> None:
    table = _table(run_page("topics"), "Lần sinh hoạt chuyên đề gần nhất")
    assert table["Chi bộ"].tolist() == ["Chi bộ Trường THCS Đa Lộc"]
    assert table["Quý"].tolist() == ["Quý 1/2025"]


@pytest.mark.usefixtures("app_db")
def test_topics_show_english_topic_names_in_english() -> None:
    at = run_page("topics", lang="en")
    specs = " ".join(chart.proto.spec for chart in at.get("plotly_chart"))
    assert "Building new rural areas" in specs


# ----- Inspections


@pytest.mark.usefixtures("app_db")
def test_inspection_kpis_are_the_hand_worked_numbers() -> None:
    cards = _cards(run_page("inspections"))
    # in the period: I1 (20/01), I2 (10/02), I3 (started 01/03), I5 (05/01); I4 concluded 12/2024
    assert cards["Cuộc kiểm tra, giám sát"] == "4"
    assert cards["Biểu dương, khen thưởng"] == "1"  # I3
    assert cards["Yêu cầu khắc phục, kỷ luật"] == "2"  # I1, I2
    assert cards["Khắc phục đang quá hạn"] == "2"  # I1 due 01/03, I4 due 01/02, both unresolved


@pytest.mark.usefixtures("app_db")
def test_inspection_counts_equal_the_metric_function() -> None:
    cards = _cards(run_page("inspections"))
    total = _metric(metrics.inspections, filters=period(), scope=EVERYTHING, by="total")
    assert cards["Cuộc kiểm tra, giám sát"] == fmt.number(int(total["inspections"].iloc[0]), lang="vi")
    assert cards["Biểu dương, khen thưởng"] == fmt.number(int(total["commended"].iloc[0]), lang="vi")


@pytest.mark.usefixtures("app_db")
def test_inspection_commune_filter_changes_the_numbers() -> None:
    at = run_page("inspections")
    at.multiselect(key="f_communes").select("Đa Lộc").run()
    cards = _cards(at)
    assert (cards["Cuộc kiểm tra, giám sát"], cards["Yêu cầu khắc phục, kỷ luật"]) == ("1", "0")  # I3 only
    assert cards["Khắc phục đang quá hạn"] == "1"  # I4


@pytest.mark.usefixtures("app_db")
def test_overdue_follow_ups_with_days_overdue() -> None:
    table = _table(run_page("inspections"), "Số ngày quá hạn")
    # I4 due 01/02 -> 62 days on 04/04; I1 due 01/03 -> 34 days
    assert table["Số ngày quá hạn"].tolist() == [62, 34]  # numbers: the header sorts them as numbers
    assert table["Hạn khắc phục"].tolist() == ["01/02/2025", "01/03/2025"]
    assert table["Hình thức"].tolist() == ["Kiểm tra", "Kiểm tra"]


def test_open_follow_ups_not_yet_due(app_db: dict[str, int], engine: Engine) -> None:
    with Session(engine) as s:
        p2 = s.exec(select(Organisation).where(Organisation.name == "Chi bộ Trường THCS Đa Lộc")).one()
        f.inspection(s, p2, "2025-03-20", "correction_required", concluded_on="2025-03-25", follow_up_due="2025-05-01")
        s.commit()
    at = run_page("inspections")
    assert _cards(at)["Đang khắc phục, chưa đến hạn"] == "1"
    assert _table(at, "Số ngày còn lại")["Số ngày còn lại"].tolist() == [27]  # 01/05 - 04/04


# ----- Classification


@pytest.mark.usefixtures("app_db")
def test_classification_kpis_of_the_latest_year() -> None:
    cards = _cards(run_page("classification", **YEARS_2023_2024))
    # 2024: p1 good, p2 not complete -> 2 rated, 1 good or above, 0 excellent
    assert cards["Tổ chức được xếp loại"] == "2"
    assert cards["Hoàn thành tốt nhiệm vụ trở lên"] == "50,0" + PCT
    assert cards["Hoàn thành xuất sắc nhiệm vụ"] == "0"


@pytest.mark.usefixtures("app_db")
def test_classification_equals_the_metric_function() -> None:
    at = run_page("classification", **YEARS_2023_2024)
    by_year = _metric(
        metrics.classification, filters=period(start="2023-01", end="2024-12"), scope=EVERYTHING, by="year"
    )
    table = _table(at, "Tỷ lệ hoàn thành tốt nhiệm vụ trở lên")
    assert table["Tỷ lệ hoàn thành tốt nhiệm vụ trở lên"].tolist() == by_year["good_or_above_share"].tolist()


@pytest.mark.usefixtures("app_db")
def test_classification_commune_filter_changes_the_share() -> None:
    cards = _cards(run_page("classification", commune="Lộc Sơn", **YEARS_2023_2024))
    assert cards["Hoàn thành tốt nhiệm vụ trở lên"] == "100,0" + PCT  # p1 good in 2024


@pytest.mark.usefixtures("app_db")
def test_classification_without_ratings_in_the_period_shows_the_two_latest_classified_years() -> None:
    at = run_page("classification")  # 2025: not classified yet; 2023 and 2024 are
    assert [i.value for i in at.info] == [
        "Chưa có kết quả xếp loại trong thời gian đã chọn (năm 2025 được xếp loại vào cuối năm): "
        "đang hiển thị 2023–2024, hai năm gần nhất đã xếp loại."
    ]
    cards = _cards(at)  # 2024 as in test_classification_kpis_of_the_latest_year
    assert (cards["Tổ chức được xếp loại"], cards["Hoàn thành tốt nhiệm vụ trở lên"]) == ("2", "50,0" + PCT)
    assert at.get("plotly_chart")


def test_classification_lists_excellent_runs(app_db: dict[str, int], engine: Engine) -> None:
    with Session(engine) as s:
        p1 = s.exec(select(Organisation).where(Organisation.name == "Đảng bộ xã Lộc Sơn")).one()
        f.rating(s, p1, 2022, "excellent")  # with 2023 excellent: 2 years in a row
        s.commit()
    table = _table(run_page("classification", **YEARS_2023_2024), "Số năm liền")
    assert table.values.tolist() == [["Lộc Sơn", "Đảng bộ xã Lộc Sơn", 2, "2022", "2023"]]


# ----- Organisations


@pytest.mark.usefixtures("app_db")
def test_organisations_start_with_every_commune() -> None:
    table = _table(run_page("organisations"), "Tỷ lệ sinh hoạt đều đặn")
    # Đa Lộc 3 held ÷ 3 due; Lộc Sơn (3 + 1 + 1) ÷ (4 + 1 + 3) = 5 ÷ 8
    assert table["Xã, thị trấn"].tolist() == ["Đa Lộc", "Lộc Sơn"]
    assert table["Tỷ lệ sinh hoạt đều đặn"].tolist() == [1.0, 5 / 8]


@pytest.mark.usefixtures("app_db")
def test_choosing_a_commune_shows_its_kpis_from_the_metric_functions(app_db: dict[str, int]) -> None:
    at = run_page("organisations")
    at.selectbox(key="org_commune").select("Lộc Sơn").run()
    kpis = _metric(metrics.overview, filters=period(communes=(app_db["loc_son"],)), scope=EVERYTHING)
    cards = _cards(at)
    assert cards["Sinh hoạt đều đặn"] == fmt.percent(kpis["regularity_rate"].value, lang="vi") == "62,5" + PCT
    assert at.selectbox(key="org_organisation").options == ["Đảng bộ xã Lộc Sơn"]


@pytest.mark.usefixtures("app_db")
def test_drilling_down_to_a_cell_lists_its_meetings() -> None:
    at = run_page("organisations")
    at.selectbox(key="org_commune").select("Lộc Sơn").run()
    at.selectbox(key="org_organisation").select("Đảng bộ xã Lộc Sơn").run()
    assert _table(at, "Ngày sinh hoạt định kỳ")["Chi bộ"].tolist() == [
        "Chi bộ thôn 1",
        "Chi bộ thôn 2",
        "Chi bộ thôn 3",
    ]
    at.selectbox(key="org_cell").select("Chi bộ thôn 1").run()
    meetings = _table(at, "Ngày")
    assert meetings["Ngày"].tolist() == ["05/03/2025", "17/02/2025", "03/02/2025", "03/01/2025"]
    # the cell's own participation: 99 present ÷ 112 expected
    assert _cards(at)["Tỷ lệ đảng viên tham gia sinh hoạt"] == "88,4" + PCT


@pytest.mark.usefixtures("app_db")
def test_changing_the_commune_clears_the_deeper_choices() -> None:
    at = run_page("organisations")
    at.selectbox(key="org_commune").select("Lộc Sơn").run()
    at.selectbox(key="org_organisation").select("Đảng bộ xã Lộc Sơn").run()
    at.selectbox(key="org_commune").select("Đa Lộc").run()
    assert at.selectbox(key="org_organisation").value is None


@pytest.mark.usefixtures("app_db")
def test_search_ignores_accents() -> None:
    at = run_page("organisations")
    at.text_input(key="org_search").input("thon 3").run()
    results = _table(at, "Chi bộ")
    assert results["Chi bộ"].tolist() == ["Chi bộ thôn 3"]
    assert at.selectbox(key="org_commune").options == ["Lộc Sơn"]


@pytest.mark.usefixtures("app_db")
def test_search_without_a_match_says_so() -> None:
    at = run_page("organisations")
    at.text_input(key="org_search").input("Atlantis").run()
    assert "Atlantis" in at.info[0].value


@pytest.mark.usefixtures("app_db")
def test_the_organisations_page_says_what_it_shows_beside_the_sidebars_scope() -> None:
    at = run_page("organisations")
    assert at.caption[0].value.startswith("tất cả xã, thị trấn")  # the sidebar's scope, under the title
    at.selectbox(key="org_commune").select("Lộc Sơn").run()
    at.selectbox(key="org_organisation").select("Đảng bộ xã Lộc Sơn").run()
    viewing = [c.value for c in at.caption if c.value.startswith("Đang xem:")]
    assert viewing == [
        "Đang xem: Lộc Sơn › Đảng bộ xã Lộc Sơn (chọn ở trên; thời gian và loại hình theo bộ lọc bên trái)."
    ]
