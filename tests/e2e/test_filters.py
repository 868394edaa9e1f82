"""A district leader signs in, reads the Overview, narrows it to one commune, walks through every page, and sends
the link to a colleague; a commune account cannot widen its view by editing the link.

Every number on screen is compared with the `data_access` function the app calls, on the same database, for the
filters the page names (tests/e2e/expected.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from data_access import metrics
from data_access.filters import EVERYTHING, Filters, Scope
from tests.e2e import driver
from tests.e2e import expected as exp
from tests.e2e.conftest import DESKTOP, Browsing, DemoDatabase, open_context
from tests.e2e.driver import expect
from ui.i18n import t

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DISTRICT = {"username": "demo.district", "password": "demo-district-2025"}
COMMUNE_ACCOUNT = {"username": "demo.commune", "password": "demo-commune-2025"}
LOC_SON = "Lộc Sơn"
OTHER_COMMUNE = "Hòa Lộc"


def _signed_in_on_overview(page: Page, url: str, account: dict[str, str] = DISTRICT) -> None:
    driver.sign_in(page, url, **account)
    driver.wait_for_page(page, "overview.title")


def _loc_son(db: DemoDatabase) -> Filters:
    return exp.last_12_months(as_of=db.as_of, communes=(exp.commune_id(db.engine, LOC_SON),))


def test_the_overview_cards_are_the_metric_values_of_the_whole_district(
    desktop: Browsing, app_url: str, demo_db: DemoDatabase
) -> None:
    page = desktop.page
    _signed_in_on_overview(page, app_url)
    filters = exp.last_12_months(as_of=demo_db.as_of)

    driver.expect_cards(page, exp.overview_cards(demo_db.engine, filters=filters, scope=EVERYTHING))
    assert len(driver.cards(page)) == len(metrics.KPI_IDS)
    assert driver.scope_line(page) == exp.scope_words(where=t("filter.all", lang="vi"), filters=filters)


def _csv_rows(page: Page, box_key: str, folder: Path) -> pd.DataFrame:
    raw = driver.download(page, driver.block(page, box_key), kind="csv", into=folder).read_bytes()
    return driver.read_csv(raw)


def _contract_rows(df: pd.DataFrame) -> pd.DataFrame:
    """A metric table as its CSV holds it: rates rounded to 4 decimals, a plain index."""
    out = df.reset_index(drop=True).copy()
    for column in df.columns:
        if str(column).endswith(("_rate", "_coverage", "_share")):
            out[column] = out[column].astype("float64").round(4)
    return out


def _same_rows(shown: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        shown.reset_index(drop=True), _contract_rows(want), check_dtype=False, check_exact=False, atol=5e-5
    )


def test_a_commune_picked_in_the_sidebar_holds_on_every_page_with_its_numbers(
    desktop: Browsing, app_url: str, demo_db: DemoDatabase, tmp_path: Path
) -> None:
    page, engine = desktop.page, demo_db.engine
    _signed_in_on_overview(page, app_url)
    everything = exp.overview_cards(engine, filters=exp.last_12_months(as_of=demo_db.as_of), scope=EVERYTHING)
    driver.expect_cards(page, everything)

    driver.pick_commune(page, LOC_SON)
    filters = _loc_son(demo_db)
    want = exp.overview_cards(engine, filters=filters, scope=EVERYTHING)
    assert want != everything
    driver.expect_cards(page, want)
    assert want[t("kpi.members", lang="vi")][0] == "387"  # the news report's figure for Lộc Sơn
    assert driver.url_filters(page)["commune"] == [LOC_SON]

    def still_loc_son(where: str) -> None:
        assert driver.url_filters(page).get("commune") == [LOC_SON], where
        assert driver.chosen_communes(page) == [LOC_SON], where
        assert driver.scope_line(page) == exp.scope_words(where=LOC_SON, filters=filters), where

    driver.contract_downloads(page)  # the files below are compared with the contract's tables
    driver.go_to(page, "regularity")
    still_loc_son("regularity")
    trend = metrics.regularity(engine, filters=filters, scope=EVERYTHING, by="month")
    _same_rows(_csv_rows(page, "regularity.trend_title", tmp_path), trend.assign(commune=LOC_SON)[["commune", *trend]])

    driver.go_to(page, "participation")
    still_loc_son("participation")
    by_commune = metrics.participation(engine, filters=filters, scope=EVERYTHING, by="commune")
    assert list(by_commune["commune"]) == [LOC_SON]
    _same_rows(_csv_rows(page, "participation.communes_title", tmp_path), by_commune)

    for page_id, cards in (
        ("thematic", exp.topics_cards),
        ("inspections", exp.inspections_cards),
        ("classification", exp.classification_cards),
    ):
        driver.go_to(page, page_id)
        still_loc_son(page_id)
        driver.expect_cards(page, cards(engine, filters=filters, scope=EVERYTHING))

    driver.go_to(page, "organisations")
    still_loc_son("organisations")
    driver.choose(page, "organisations.commune", LOC_SON)
    driver.expect_cards(page, want)  # the commune's own figures: the Overview's, for that commune

    driver.go_to(page, "overview")
    still_loc_son("overview again")
    driver.expect_cards(page, want)


def test_a_copied_link_shows_the_same_filters_and_numbers_in_a_fresh_browser(
    desktop: Browsing, browser: object, app_url: str, demo_db: DemoDatabase
) -> None:
    page = desktop.page
    _signed_in_on_overview(page, app_url)
    driver.pick_commune(page, LOC_SON)
    want = exp.overview_cards(demo_db.engine, filters=_loc_son(demo_db), scope=EVERYTHING)
    driver.expect_cards(page, want)
    link = page.url

    # A colleague's browser has no session cookie: the link asks for a sign-in, then shows the same view.
    colleague = open_context(browser, viewport=DESKTOP)
    try:
        other = colleague.page
        other.goto(link)
        expect(other.get_by_label(t("auth.password", lang="vi"))).to_be_visible(timeout=driver.TIMEOUT_MS)
        assert driver.cards(other) == {}
        driver.sign_in(other, link, **DISTRICT)
        driver.wait_for_page(other, "overview.title")
        driver.expect_cards(other, want)
        assert driver.chosen_communes(other) == [LOC_SON]
        assert driver.url_filters(other)["commune"] == [LOC_SON]
    finally:
        colleague.context.close()

    # The same browser (its session cookie) opens the link in a new tab without a sign-in.
    tab = desktop.new_page()
    tab.goto(link)
    driver.wait_for_page(tab, "overview.title")
    driver.expect_cards(tab, want)
    assert driver.chosen_communes(tab) == [LOC_SON]


def test_a_commune_account_that_edits_the_link_sees_only_its_commune_with_a_notice(
    desktop: Browsing, app_url: str, demo_db: DemoDatabase
) -> None:
    page, engine = desktop.page, demo_db.engine
    _signed_in_on_overview(page, f"{app_url}?commune={OTHER_COMMUNE}", COMMUNE_ACCOUNT)
    own = Scope.only(exp.commune_id(engine, LOC_SON))

    want = exp.overview_cards(engine, filters=exp.last_12_months(as_of=demo_db.as_of), scope=own)
    assert want == exp.overview_cards(engine, filters=_loc_son(demo_db), scope=EVERYTHING)
    driver.expect_cards(page, want)
    notices = page.get_by_test_id("stAlertContentWarning")
    expect(notices.filter(has_text=OTHER_COMMUNE)).to_have_count(1)
    assert OTHER_COMMUNE not in driver.chosen_communes(page)
    assert OTHER_COMMUNE not in page.get_by_test_id("stMain").inner_text()


def test_a_commune_account_reads_its_commune_in_the_scope_line(
    desktop: Browsing, app_url: str, demo_db: DemoDatabase
) -> None:
    page = desktop.page
    _signed_in_on_overview(page, app_url, COMMUNE_ACCOUNT)
    filters = exp.last_12_months(as_of=demo_db.as_of)
    driver.expect_cards(page, exp.overview_cards(demo_db.engine, filters=_loc_son(demo_db), scope=EVERYTHING))
    assert driver.scope_line(page) == exp.scope_words(where=LOC_SON, filters=filters)


def test_a_signed_out_visitor_following_a_deep_link_gets_the_sign_in_form(
    desktop: Browsing, fresh_app_url: str
) -> None:
    page = desktop.page
    page.goto(f"{fresh_app_url}topics?commune={LOC_SON}")
    expect(page.locator("[data-testid=stMain] h1").first).to_be_visible(timeout=driver.TIMEOUT_MS)
    driver.settled(page)
    assert driver.cards(page) == {}
    assert driver.title(page).inner_text() == t("auth.title", lang="vi")
    expect(page.get_by_label(t("auth.password", lang="vi"))).to_be_visible()
