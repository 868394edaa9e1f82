"""Over communes of several provinces a leader compares provinces and clicks one to see its communes.

The demo district copied into a database of this module, its 22 communes spread over three provinces (one in
three each, by id), served by a server of its own.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from data_access import lookups, metrics
from data_access.db import make_engine
from data_access.filters import EVERYTHING
from tests import factories as f
from tests.e2e import driver
from tests.e2e import expected as exp
from tests.e2e.conftest import SCREENSHOTS, Browsing, DemoDatabase, running_app
from ui.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DISTRICT = {"username": "demo.district", "password": "demo-district-2025"}
PROVINCES = ("Thanh Hóa", "Nghệ An", "Hà Tĩnh")
CLICKED = "Nghệ An"


@pytest.fixture(scope="module")
def provinces_db(demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoDatabase]:
    path = tmp_path_factory.mktemp("provinces") / "provinces.sqlite3"
    shutil.copy(demo_db.url.removeprefix("sqlite:///"), path)
    engine = make_engine(f"sqlite:///{path}")
    ids = sorted(int(i) for i in lookups.communes(engine, scope=EVERYTHING)["id"])
    f.place_communes(engine, {commune_id: PROVINCES[k % 3] for k, commune_id in enumerate(ids)})
    yield DemoDatabase(url=f"sqlite:///{path}", engine=engine, as_of=demo_db.as_of)
    engine.dispose()


@pytest.fixture(scope="module")
def provinces_url(provinces_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(provinces_db, tmp_path_factory.mktemp("provinces-server")) as url:
        yield url


def _province_communes(db: DemoDatabase, province: str) -> tuple[int, ...]:
    communes = lookups.communes(db.engine, scope=EVERYTHING)
    return tuple(sorted(int(i) for i in communes.loc[communes["province"] == province, "id"]))


def test_clicking_a_province_in_the_ranking_shows_its_communes(
    desktop: Browsing, provinces_url: str, provinces_db: DemoDatabase
) -> None:
    page, engine = desktop.page, provinces_db.engine
    driver.sign_in(page, provinces_url, **DISTRICT)
    driver.wait_for_page(page, "overview.title")
    ranking = driver.block(page, "overview.ranking.provinces")
    (bars,) = driver.chart_traces(ranking)
    everything = exp.last_12_months(as_of=provinces_db.as_of)
    assert sorted(bars["y"]) == sorted(
        metrics.regularity(engine, filters=everything, scope=EVERYTHING, by="province")["province"]
    )
    assert sorted(bars["y"]) == sorted(PROVINCES)
    # the lists of cells wait for a province
    assert page.get_by_text(t("place.lists_need_province", lang="vi")).count() == 1

    bar = ranking.locator(".js-plotly-plot .scatterlayer .point").nth(list(bars["y"]).index(CLICKED))
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    communes = _province_communes(provinces_db, CLICKED)
    driver.expect_cards(
        page,
        exp.overview_cards(
            engine, filters=exp.last_12_months(as_of=provinces_db.as_of, communes=communes), scope=EVERYTHING
        ),
    )
    assert driver.url_filters(page)["province"] == [CLICKED]
    (narrowed,) = driver.chart_traces(driver.block(page, "overview.ranking"))
    names = lookups.communes(engine, scope=EVERYTHING)
    assert sorted(narrowed["y"]) == sorted(names.loc[names["id"].isin(communes), "name"])
    assert len(communes) == 7  # the 2nd, 5th, …, 20th of the 22 communes by id
    assert page.get_by_text(t("place.lists_need_province", lang="vi")).count() == 0
    driver.full_screenshot(page, SCREENSHOTS / "overview-province-clicked.png")
