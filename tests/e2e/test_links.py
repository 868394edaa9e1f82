"""Links in a real browser: the language round trip keeps the page, and a link opened signed out leads to its page.

English and straight back to Vietnamese on the same page used to write the widgets' Vietnamese labels into the URL
(`?kind=Tất+cả+loại+hình&period=12+tháng+gần+nhất`) and empty the page. A link to /participation?commune=… opened
signed out showed Streamlit's "Page not found" dialog and landed on the Overview after sign-in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from tests.e2e import driver
from tests.e2e.conftest import Browsing
from tests.e2e.driver import expect
from ui.i18n import t

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DISTRICT = {"username": "demo.district", "password": "demo-district-2025"}
CODES = {"kind", "period", "from", "to", "as_of", "lang", "commune", "province", "org"}


def _language(page: Page, lang: str) -> None:
    driver.sidebar(page).get_by_role("radio", name=t(f"language.{lang}"), exact=True).click()


def _round_trip(page: Page, page_id: str) -> None:
    title_key = driver.PAGES[page_id][1]
    _language(page, "en")
    driver.wait_for_page(page, title_key, lang="en")
    _language(page, "vi")
    driver.wait_for_page(page, title_key, lang="vi")
    params = driver.url_filters(page)
    assert set(params) <= CODES, params
    assert params.get("period", ["custom"])[0] in ("custom", "this_year", "last_year", "last5"), params
    assert "kind" not in params, params  # every kind is the default, left out of the link
    expect(page.get_by_text(t("msg.empty"), exact=True)).to_have_count(0)


@pytest.mark.parametrize("page_id", ["overview", "participation"])
def test_english_and_back_to_vietnamese_keeps_the_page(desktop: Browsing, app_url: str, page_id: str) -> None:
    page = desktop.page
    driver.sign_in(page, app_url, **DISTRICT)
    driver.wait_for_page(page, "overview.title")
    if page_id != "overview":
        driver.go_to(page, page_id)
    _round_trip(page, page_id)
    cards_or_charts = page.get_by_test_id("stMetricValue").or_(page.locator("[data-testid=stPlotlyChart]"))
    expect(cards_or_charts.first).to_be_visible()


def test_english_and_back_keeps_a_custom_period(desktop: Browsing, app_url: str) -> None:
    page = desktop.page
    driver.sign_in(page, app_url, **DISTRICT)
    driver.wait_for_page(page, "overview.title")
    driver.choose(page, "filter.period", t("filter.preset.custom"))
    driver.settled(page)
    # the address bar follows the run that drew the choice, one parameter per message (`period` can arrive before
    # `from` and `to`): wait for all three rather than read the URL once
    driver.eventually(page, lambda: _assert_equal(_period_of(driver.url_filters(page)), ("custom", True, True)))
    before = driver.url_filters(page)
    _round_trip(page, "overview")
    after = driver.url_filters(page)
    assert (after["period"], after["from"], after["to"]) == (before["period"], before["from"], before["to"])


def _period_of(params: dict[str, list[str]]) -> tuple[str | None, bool, bool]:
    return params.get("period", [None])[0], "from" in params, "to" in params


def _assert_equal(actual: object, expected: object) -> None:
    assert actual == expected


def test_a_link_opened_signed_out_signs_in_then_opens_its_page(desktop: Browsing, app_url: str) -> None:
    page = desktop.page
    page.goto(f"{app_url.rstrip('/')}/participation?commune={quote('Lộc Sơn')}")
    expect(page.get_by_label(t("auth.username"))).to_be_visible(timeout=driver.TIMEOUT_MS)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    page.get_by_label(t("auth.username")).fill(DISTRICT["username"])
    page.get_by_label(t("auth.password")).fill(DISTRICT["password"])
    page.get_by_role("button", name=t("auth.submit")).click()
    driver.wait_for_page(page, "participation.title")
    # The first run after the sign-in can draw the page before the link's filters are applied (a rerun applies
    # them): on a warm server that first drawing settles before the test looks, so wait for the filters.
    driver.eventually(page, lambda: _assert_equal(driver.chosen_communes(page), ["Lộc Sơn"]))
    driver.settled(page)
    assert driver.scope_line(page).startswith("Lộc Sơn · ")
    assert page.url.split("?")[0].endswith("/participation")
    expect(page.get_by_text("Page not found")).to_have_count(0)
