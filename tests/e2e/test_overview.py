"""On the Overview a leader clicks a commune in the ranking to narrow the view, and switches the language."""

from __future__ import annotations

import re

import pytest

from data_access import metrics
from data_access.filters import EVERYTHING
from tests.e2e import driver
from tests.e2e import expected as exp
from tests.e2e.conftest import Browsing, DemoDatabase
from tests.e2e.driver import expect
from ui.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DISTRICT = {"username": "demo.district", "password": "demo-district-2025"}
CLICKED = "Lộc Sơn"


def test_clicking_a_commune_in_the_ranking_narrows_the_view_to_it(
    desktop: Browsing, app_url: str, demo_db: DemoDatabase
) -> None:
    page, engine = desktop.page, demo_db.engine
    driver.sign_in(page, app_url, **DISTRICT)
    driver.wait_for_page(page, "overview.title")
    ranking = driver.block(page, "overview.ranking")
    (bars,) = driver.chart_traces(ranking)
    all_communes = metrics.regularity(
        engine, filters=exp.last_12_months(as_of=demo_db.as_of), scope=EVERYTHING, by="commune"
    )
    assert sorted(bars["y"]) == sorted(all_communes["commune"])  # every commune is a dot, named on the y axis

    bar = ranking.locator(".js-plotly-plot .scatterlayer .point").nth(bars["y"].index(CLICKED))
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box is not None
    # Plotly listens on the drag layer above the dots: click where the dot is drawn, as a mouse does.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    filters = exp.last_12_months(as_of=demo_db.as_of, communes=(exp.commune_id(engine, CLICKED),))
    driver.expect_cards(page, exp.overview_cards(engine, filters=filters, scope=EVERYTHING))
    assert driver.chosen_communes(page) == [CLICKED]
    assert driver.url_filters(page)["commune"] == [CLICKED]
    (narrowed,) = driver.chart_traces(driver.block(page, "overview.ranking"))
    assert list(narrowed["y"]) == [CLICKED]


def _number(text: str) -> float:
    """A number as either language writes it: vi `9.000` / `85,3 %`, en `9,000` / `85.3%`."""
    if "," in text and ("." not in text or text.index(".") < text.index(",")):  # vi: dot thousands, comma decimal
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    return float(re.sub(r"[^0-9.+-]", "", text))


def test_switching_to_english_changes_the_words_but_not_the_numbers(
    desktop: Browsing, app_url: str, demo_db: DemoDatabase
) -> None:
    page = desktop.page
    driver.sign_in(page, app_url, **DISTRICT)
    driver.wait_for_page(page, "overview.title")
    filters = exp.last_12_months(as_of=demo_db.as_of)
    vietnamese = exp.overview_cards(demo_db.engine, filters=filters, scope=EVERYTHING, lang="vi")
    driver.expect_cards(page, vietnamese)

    driver.sidebar(page).get_by_role("radio", name=t("language.en", lang="vi"), exact=True).click()
    driver.wait_for_page(page, "overview.title", lang="en")
    english = exp.overview_cards(demo_db.engine, filters=filters, scope=EVERYTHING, lang="en")
    driver.expect_cards(page, english)
    assert driver.url_filters(page)["lang"] == ["en"]
    expect(driver.sidebar(page).get_by_text(t("filter.header", lang="en"), exact=True)).to_be_visible()
    assert driver.scope_line(page) == exp.scope_words(where=t("filter.all", lang="en"), filters=filters, lang="en")

    shown = driver.cards(page)
    assert set(shown).isdisjoint(vietnamese)  # every label changed language
    pairs = [(vietnamese[t(f"kpi.{k}", lang="vi")][0], shown[t(f"kpi.{k}", lang="en")][0]) for k in metrics.KPI_IDS]
    for vi_value, en_value in pairs:
        assert _number(vi_value) == _number(en_value)
    assert any(vi != en for vi, en in pairs)
