"""Pages open on the one or two charts a leader reads first; every other chart is one click away ("Xem thêm biểu
đồ"), drawn with its definition and downloads, in the reader's language only. On the small district, AppTest."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.engine import Engine

from tests.test_pages_frame import run_page
from tests.test_ui_catalogue_pages import catalogue, check, run  # noqa: F401 (catalogue: a fixture)
from ui.i18n import t

YEARS_2023_2024 = {"from": "2023-01", "to": "2024-12"}
# page -> (params, the segmented control's key, {chart id: catalogue key of its title}, charts on arrival)
ON_DEMAND = {
    "participation": (
        {},
        "participation_more",
        {"distribution": "participation.distribution_title", "absences": "participation.unexcused_title"},
        2,
    ),
    "topics": (
        {},
        "topics_more",
        {
            "quarters": "topics.quarters_title",
            "heatmap": "topics.heatmap_title",
            "coverage": "topics.coverage_trend_title",
        },
        2,
    ),
    "inspections": (
        {},
        "inspections_more",
        {
            "balance": "inspections.balance_title",
            "bodies": "inspections.bodies_title",
            "kinds": "inspections.kinds_title",
        },
        2,
    ),
    "classification": (
        YEARS_2023_2024,
        "classification_more",
        {"trend": "classification.trend_title", "grid": "classification.grid_title"},
        2,
    ),
}
CASES = [(page, chart) for page, (_, _, charts, _) in ON_DEMAND.items() for chart in charts]


def _subheaders(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(s.value) for s in at.subheader]


@pytest.mark.usefixtures("app_db")
@pytest.mark.parametrize("page", list(ON_DEMAND))
def test_a_page_opens_on_its_first_charts_and_names_the_others(page: str) -> None:
    params, key, charts, arrival = ON_DEMAND[page]
    at = run_page(page, **params)
    assert len(at.get("plotly_chart")) == arrival
    control = at.button_group(key=key)
    assert control.value is None
    assert [o.content for o in control.proto.options] == [t(title) for title in charts.values()]
    assert not set(_subheaders(at)) & {t(title) for title in charts.values()}


@pytest.mark.usefixtures("app_db")
@pytest.mark.parametrize(("page", "chart"), CASES)
def test_each_further_chart_draws_with_its_definition_and_downloads_when_chosen(page: str, chart: str) -> None:
    params, key, charts, arrival = ON_DEMAND[page]
    at = run_page(page, **params)
    downloads = len(at.get("download_button"))
    at.button_group(key=key).set_value(chart).run()
    assert not at.exception, at.exception
    figures = at.get("plotly_chart")
    assert len(figures) == arrival + 1
    assert t(charts[chart]) in _subheaders(at)
    assert len(at.get("download_button")) == downloads + 2  # CSV and XLSX of the chart's data
    assert json.loads(figures[-1].proto.spec)["data"], "the chosen chart has data on the small district"


@pytest.mark.usefixtures("app_db", "catalogue")
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("page", "chart"), CASES)
def test_each_further_chart_speaks_only_the_readers_language(page: str, chart: str, lang: str, engine: Engine) -> None:
    params, key, _, _ = ON_DEMAND[page]
    at = run(page, lang, **params)
    at.button_group(key=key).set_value(chart).run()
    assert check(at, lang, engine) == []
