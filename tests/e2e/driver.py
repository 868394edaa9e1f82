"""What a user does in the app, in Playwright terms: sign in, read the KPI cards, pick a commune, change page,
download a chart's data, read a chart's points, take a screenshot. Elements are found by Streamlit's test ids and
by the catalogue's words (`ui.i18n.t`), never by layout position.

Waiting is for content: a locator's expected text, or a condition polled in the page (`settled`), never a sleep.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from ui.i18n import t

if TYPE_CHECKING:  # playwright is imported when a test runs, so a machine without it collects and skips the suite
    from playwright.sync_api import Locator, Page

TIMEOUT_MS = 30_000
# The views (app.py VIEW_PAGES): URL path -> (catalogue key of the navigation link, of the page title).
PAGES = {
    "overview": ("nav.overview", "overview.title"),
    "regularity": ("nav.regularity", "regularity.title"),
    "participation": ("nav.participation", "participation.title"),
    "thematic": ("nav.topics", "topics.title"),
    "inspections": ("nav.inspections", "inspections.title"),
    "classification": ("nav.classification", "classification.title"),
    "organisations": ("nav.organisations", "organisations.title"),
}
# The run is over: the app says it is not running, and no element is left over from the previous run (Streamlit
# marks those stale). Called after the page's own content appeared, so the run had started.
_SETTLED_JS = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
    if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    return !document.querySelector('[data-testid=stElementContainer][data-stale=true]');
}"""
_CARDS_JS = """() => [...document.querySelectorAll('[data-testid=stMetric]')].map(card => {
    const text = id => { const el = card.querySelector(`[data-testid=${id}]`); return el ? el.innerText.trim() : null; };
    return [text('stMetricLabel'), text('stMetricValue'), text('stMetricDelta')];
})"""
# Plotly keeps the figure's traces on the chart's div, numbers decoded (the figure ships numpy arrays as base64)
# in `_fullData`: read what the chart draws, not its pixels.
_CHART_JS = """(el) => el._fullData.filter(trace => trace.visible !== false).map(trace => ({
    name: trace.name ?? null, type: trace.type, x: Array.from(trace.x ?? []), y: Array.from(trace.y ?? []),
    orientation: trace.orientation ?? 'v'
}))"""


def expect(actual: Locator | Page) -> Any:
    """Playwright's `expect` (imported on first use)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(actual)


def settled(page: Page) -> None:
    page.wait_for_function(_SETTLED_JS, timeout=TIMEOUT_MS)


def sign_in(page: Page, url: str, *, username: str, password: str, lang: str = "vi") -> None:
    """Open `url`, sign in with the form, and wait for the first page of the app."""
    page.goto(url)
    page.get_by_label(t("auth.username", lang=lang)).fill(username)
    page.get_by_label(t("auth.password", lang=lang)).fill(password)
    page.get_by_role("button", name=t("auth.submit", lang=lang)).click()
    expect(page.get_by_text(t("auth.sign_out", lang=lang), exact=True)).to_be_attached(timeout=TIMEOUT_MS)
    settled(page)


def title(page: Page) -> Locator:
    return page.get_by_test_id("stMain").get_by_role("heading", level=1)


def wait_for_page(page: Page, title_key: str, *, lang: str = "vi") -> None:
    """Wait until the main area shows the page titled by the catalogue key `title_key` and its run is over.

    While a run is going on the previous run's title can still be on screen beside the new one (Streamlit keeps an
    element it has not yet replaced, marked stale, e.g. when the language changes and the title moves), so wait for
    the heading by its words first, then for the run to settle, and only then check it is the one title shown.
    """
    wanted = t(title_key, lang=lang)
    main = page.get_by_test_id("stMain")
    # .first: the stale and the new heading can both carry the wanted words mid-run (seen in CI)
    expect(main.get_by_role("heading", level=1, name=wanted, exact=True).first).to_be_visible(timeout=TIMEOUT_MS)
    settled(page)
    expect(title(page)).to_have_text(wanted, timeout=TIMEOUT_MS)


def scope_line(page: Page) -> str:
    """The scope in words under the title (`Lộc Sơn · 12/2025–11/2026 · số liệu đến 24/11/2026`)."""
    return page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first.inner_text().strip()


def cards(page: Page) -> dict[str, tuple[str, str | None]]:
    """KPI cards on screen: label -> (value, change), whitespace as the reader sees it (no-break spaces kept)."""
    return {label: (value, delta) for label, value, delta in page.evaluate(_CARDS_JS)}


def eventually(page: Page, check: Callable[[], None], *, timeout_ms: int = TIMEOUT_MS) -> None:
    """Run the assertion `check` until it passes (the page keeps running meanwhile) or the time is up."""
    waited = 0
    while True:
        try:
            check()
            return
        except AssertionError:
            if waited >= timeout_ms:
                raise
        page.wait_for_timeout(250)  # poll: let the page's own run go on between two looks
        waited += 250


def expect_cards(page: Page, expected: dict[str, tuple[str, str | None]]) -> None:
    """Wait until every expected card shows its value and change, then check once more after the run settled."""

    def check() -> None:
        shown = cards(page)
        wrong = {label: (shown.get(label), want) for label, want in expected.items() if shown.get(label) != want}
        assert not wrong, f"cards (shown, expected): {wrong}"

    eventually(page, check)
    settled(page)
    check()


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def chosen_communes(page: Page) -> list[str]:
    """The communes chosen in the sidebar's commune box (its tags)."""
    box = sidebar(page).get_by_test_id("stMultiSelect").first
    return [str(tag.get_attribute("aria-label")) for tag in box.locator("[data-tag]").all()]


def pick_commune(page: Page, name: str) -> None:
    """Choose `name` in the sidebar's commune box and wait for its tag.

    Twice in CI runs that shared the machine with a benchmark, the box showed no tag after the option's click and
    the page kept the whole district (tag-less for 30 s). Never seen on a quiet machine nor under a pure CPU load;
    the click is made once more when no tag shows within 10 s, and the test fails, naming it, if it still does not.
    """
    box = sidebar(page).get_by_test_id("stMultiSelect").first

    def chosen() -> None:
        shown = chosen_communes(page)
        assert name in shown, f"the commune box shows {shown} after choosing {name!r}"

    for attempt in range(2):
        box.locator("input").click()
        page.get_by_role("option", name=name, exact=True).click()
        page.keyboard.press("Escape")
        try:
            eventually(page, chosen, timeout_ms=10_000)
            return
        except AssertionError:
            if attempt == 1:
                raise


def choose(page: Page, label_key: str, option: str, *, lang: str = "vi") -> None:
    """Pick `option` in the select box labelled by the catalogue key `label_key` (main area or sidebar)."""
    page.get_by_test_id("stSelectbox").filter(has_text=t(label_key, lang=lang)).locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()


def go_to(page: Page, page_id: str, *, lang: str = "vi") -> None:
    """Click a page (an id of `PAGES`) in the sidebar navigation and wait for it."""
    nav_key, title_key = PAGES[page_id]
    link = sidebar(page).get_by_test_id("stSidebarNav").get_by_role("link", name=t(nav_key, lang=lang), exact=True)
    folded = sidebar(page).get_attribute("data-collapsed") == "true"  # a phone starts with the sidebar folded away
    if folded:
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(sidebar(page)).to_have_attribute("data-collapsed", "false")
    link.click()
    wait_for_page(page, title_key, lang=lang)
    if folded:  # fold it again, as the reader does to see the page
        sidebar(page).hover()
        page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
        expect(sidebar(page)).to_have_attribute("data-collapsed", "true")


def url_filters(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def block(page: Page, title_key: str, *, lang: str = "vi", **params: Any) -> Locator:
    """The bordered box of the chart or table titled by the catalogue key `title_key` (the innermost one)."""
    heading = page.get_by_test_id("stMain").get_by_role("heading", name=t(title_key, lang=lang, **params), exact=True)
    return heading.locator("xpath=ancestor::div[@data-testid='stVerticalBlock'][1]")


def download(page: Page, box: Locator, *, kind: str, into: Path) -> Path:
    """Click the box's CSV or XLSX button (`kind` is "csv" or "xlsx") and save the file into the folder `into`."""
    label = t(f"download.{kind}")
    settled(page)  # a button of a run still being replaced can be clicked and then dropped: no download
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        box.get_by_test_id("stDownloadButton").filter(has_text=label).click()
    target = into / info.value.suggested_filename
    info.value.save_as(target)
    return target


def contract_downloads(page: Page) -> None:
    """Switch the sidebar's "downloads in Vietnamese" off: files then hold the data contract's columns and codes."""
    switch = sidebar(page).get_by_test_id("stCheckbox").filter(has_text=t("download.localised")).locator("input")
    sidebar(page).get_by_text(t("download.localised"), exact=True).click()
    # the switch shows the click (its rerun is requested in the same step) before the run is waited for
    expect(switch).not_to_be_checked(timeout=TIMEOUT_MS)
    settled(page)


def read_csv(raw: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", keep_default_na=False, na_values=[""])


def chart_traces(box: Locator) -> list[dict[str, Any]]:
    """The traces the box's plotly chart draws: name, type, orientation, x and y values."""
    chart = box.locator("[data-testid=stPlotlyChart] .js-plotly-plot").first
    expect(chart.locator(".main-svg").first).to_be_visible(timeout=TIMEOUT_MS)
    return list(chart.evaluate(_CHART_JS))


_CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
    .every(chart => chart.querySelector('.main-svg'))"""


def charts_drawn(page: Page) -> None:
    """Wait until every plotly chart on the page has drawn its SVG (the chart code loads after the page)."""
    page.wait_for_function(_CHARTS_DRAWN_JS, timeout=TIMEOUT_MS)


def full_screenshot(page: Page, path: Path) -> None:
    """A screenshot of the whole page: the main area scrolls inside the window, so grow the window to fit it."""
    size = page.viewport_size or {"width": 1400, "height": 1000}
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppScrollToBottomContainer]')]"
        ".map(el => el.scrollHeight), document.documentElement.scrollHeight)"
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12_000)})
    settled(page)
    charts_drawn(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
