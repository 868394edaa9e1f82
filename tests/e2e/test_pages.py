"""Every page, on a desktop (1400 px) and on a phone (390 px), in Vietnamese: no error or exception box, no error
in the browser console, no request to a host but 127.0.0.1; on the phone no sideways scrolling, KPI cards two to
a row, charts on screen. Pages are opened from the navigation, as a user does. A screenshot of each goes to artifacts/screenshots/ for a reviewer (the README says so).

Problems are collected page by page and reported together, so one broken page does not hide another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e import driver
from tests.e2e.conftest import PHONE, SCREENSHOTS, Browsing
from ui.i18n import t

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DISTRICT = {"username": "demo.district", "password": "demo-district-2025"}
# Pages whose body has KPI cards and charts (the Organisations page opens on its commune chart, without cards).
WITH_CARDS = {"overview", "thematic", "inspections", "classification"}
WITHOUT_CHARTS: set[str] = set()
_LAYOUT_JS = """() => ({
    documentWidth: document.documentElement.scrollWidth,
    mainWidth: document.querySelector('[data-testid=stMain]').scrollWidth,
    cards: [...document.querySelectorAll('[data-testid=stMetric]')].map(el => el.getBoundingClientRect().toJSON()),
    charts: [...document.querySelectorAll('[data-testid=stPlotlyChart]')].map(el => el.getBoundingClientRect().toJSON()),
})"""


def _errors_on(page: Page) -> list[str]:
    shown = [
        *page.get_by_test_id("stException").all_inner_texts(),
        *page.get_by_test_id("stAlertContentError").all_inner_texts(),
    ]
    return [text.strip()[:300] for text in shown]


def _screenshot(page: Page, name: str) -> None:
    driver.full_screenshot(page, SCREENSHOTS / name)


def _check_requests_and_console(browsing: Browsing) -> list[str]:
    recorder = browsing.recorder
    problems = [f"request outside 127.0.0.1: {url}" for url in recorder.outside_hosts()]
    problems += [f"console error: {text}" for text in recorder.console_errors]
    problems += [f"page error: {text}" for text in recorder.page_errors]
    problems += [f"answer {status}: {url}" for status, url in recorder.failed_responses]
    return problems


def test_every_page_on_a_desktop_shows_no_error_and_calls_no_outside_host(desktop: Browsing, app_url: str) -> None:
    page, problems = desktop.page, []
    page.goto(app_url)
    page.get_by_label(t("auth.password", lang="vi")).wait_for()
    driver.settled(page)
    _screenshot(page, "sign-in_vi_1400.png")
    driver.sign_in(page, app_url, **DISTRICT)
    for page_id in driver.PAGES:
        driver.go_to(page, page_id)
        _screenshot(page, f"{page_id}_vi_1400.png")  # shows the whole page, so every chart draws
        problems += [f"{page_id}: {error}" for error in _errors_on(page)]
        if page_id not in WITHOUT_CHARTS and page.locator("[data-testid=stPlotlyChart] .main-svg").count() == 0:
            problems.append(f"{page_id}: no chart drawn")
    problems += _check_requests_and_console(desktop)
    assert len(desktop.recorder.requests) > 0
    assert problems == [], "\n".join(problems)


def _phone_layout(page: Page, page_id: str) -> list[str]:
    layout: dict[str, Any] = page.evaluate(_LAYOUT_JS)
    width = PHONE["width"]
    problems = []
    if layout["documentWidth"] > width or layout["mainWidth"] > width:
        problems.append(f"{page_id}: scrolls sideways ({layout['documentWidth']} / {layout['mainWidth']} px)")
    cards = layout["cards"]
    if page_id in WITH_CARDS and not cards:
        problems.append(f"{page_id}: no KPI card")
    rows: dict[int, list[dict[str, float]]] = {}
    for card in cards:  # cards of one row share their top
        rows.setdefault(round(card["y"]), []).append(card)
    if any(len(row) > 2 for row in rows.values()):
        problems.append(f"{page_id}: more than two KPI cards to a row ({[len(r) for r in rows.values()]})")
    if len(cards) >= 2 and all(len(row) == 1 for row in rows.values()):
        problems.append(f"{page_id}: KPI cards one to a row, not two ({len(cards)} cards)")
    card_rows_height = sum(max(card["height"] for card in row) for row in rows.values())
    if card_rows_height > 2 * PHONE["height"]:
        problems.append(f"{page_id}: the KPI cards take more than two screens ({card_rows_height:.0f} px)")
    for left, right in (row for row in rows.values() if len(row) == 2):
        if left["x"] + left["width"] > right["x"] + 1:
            problems.append(f"{page_id}: KPI cards overlap ({left} / {right})")
            break
    for box in cards + layout["charts"]:
        if box["x"] < 0 or box["x"] + box["width"] > width + 1:
            problems.append(f"{page_id}: an element sticks out of the screen ({box})")
            break
    if page_id not in WITHOUT_CHARTS:
        if not layout["charts"] or min(box["width"] for box in layout["charts"]) < 200:
            problems.append(f"{page_id}: charts missing or squeezed ({layout['charts']})")
        if not page.locator("[data-testid=stPlotlyChart] .main-svg").first.is_visible():
            problems.append(f"{page_id}: the first chart is not drawn")
    return problems


def test_every_page_on_a_phone_shows_its_cards_two_to_a_row_and_never_scrolls_sideways(
    phone: Browsing, app_url: str
) -> None:
    page, problems = phone.page, []
    page.goto(app_url)
    page.get_by_label(t("auth.password", lang="vi")).wait_for()
    driver.settled(page)
    _screenshot(page, "sign-in_vi_390.png")
    driver.sign_in(page, app_url, **DISTRICT)
    for page_id in driver.PAGES:
        driver.go_to(page, page_id)
        _screenshot(page, f"{page_id}_vi_390.png")  # shows the whole page, so every chart draws
        problems += [f"{page_id}: {error}" for error in _errors_on(page)]
        problems += _phone_layout(page, page_id)
    problems += _check_requests_and_console(phone)
    assert problems == [], "\n".join(problems)
