"""The browser suite's session: one demo database, one real Streamlit server, one Chromium, for every test.

The database is the demo district (`data_access.demo`) with the demo accounts, written once into a temporary SQLite
file; the server is `streamlit run app.py` on a free loopback port with that file as DATABASE_URL and DEMO_MODE=1;
the browser is Debian's /usr/bin/chromium driven by Playwright (never a downloaded browser: FIELD-NOTES).

Locally the suite skips, with the reason, when Chromium or Playwright is missing; in CI (CI=true) that is a failure.
Every page a test opens records its requests and console messages (`Recorder`), so a test can assert that the app
called no host but 127.0.0.1 and logged no error.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from data_access.db import make_engine
from data_access.migrations import init_db
from tests.browser import CHROMIUM, CHROMIUM_ARGS, ROOT, require_browser, running_streamlit

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SERVER_START_SECONDS = 60
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
# Settings the developer's shell may hold that would change what the server shows.
_SETTINGS_VARIABLES = ("DATABASE_URL", "DEMO_MODE", "TARGET_PARTICIPATION", "DASHBOARD_LANGUAGE", "SECRET_KEY")


@pytest.fixture(scope="session")
def browser_available() -> None:
    require_browser()


@dataclass(frozen=True)
class DemoDatabase:
    url: str
    engine: Engine
    as_of: dt.date


@pytest.fixture(scope="session")
def demo_db(browser_available: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoDatabase]:
    """The demo district with its accounts, in a SQLite file of this session."""
    from data_access import auth, demo
    from data_access.settings import load_settings, local_today

    path = tmp_path_factory.mktemp("e2e") / "demo.sqlite3"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    init_db(engine)
    demo.ensure_demo_database(engine)
    auth.create_demo_accounts(engine, settings=load_settings({"DATABASE_URL": url, "DEMO_MODE": "1"}))
    # the app's as-of date is today on the product's clock (Vietnam time), not the server's date
    yield DemoDatabase(url=url, engine=engine, as_of=local_today())
    engine.dispose()


@contextmanager
def running_app(db: DemoDatabase, folder: Path) -> Iterator[str]:
    """The real app (`streamlit run app.py`) on `db`, until the block ends; its log is shown if it does not start."""
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}
    env |= {
        "DATABASE_URL": db.url,
        "DEMO_MODE": "1",
        "DASHBOARD_LANGUAGE": "vi",
        "SECRET_KEY": "e2e-" + "k" * 60,
        "DASHBOARD_SECRETS": str(folder / "no-secrets.toml"),
    }
    with running_streamlit(ROOT / "app.py", env=env, folder=folder, start_seconds=SERVER_START_SECONDS) as url:
        yield url


@pytest.fixture(scope="session")
def app_url(demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server every test shares."""
    with running_app(demo_db, tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture
def fresh_app_url(demo_db: DemoDatabase, tmp_path: Path) -> Iterator[str]:
    """A server of this test alone that no browser has visited yet (what a restart leaves)."""
    with running_app(demo_db, tmp_path) as url:
        yield url


@pytest.fixture(scope="package")
def browser(app_url: str) -> Iterator[Any]:
    """Package scope: the sync Playwright loop must end before other files' browser tests start their own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Recorder:
    """Every request a page made and every console message it logged."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_responses: list[tuple[int, str]] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on(
            "response",
            lambda answer: answer.status >= 400 and self.failed_responses.append((answer.status, answer.url)),
        )

    def outside_hosts(self) -> list[str]:
        """The requests to anything but the app's own loopback host."""
        from urllib.parse import urlsplit

        return [
            url
            for url in self.requests
            if not url.startswith(("data:", "blob:", "about:")) and urlsplit(url).hostname != "127.0.0.1"
        ]


@dataclass
class Browsing:
    """A fresh browser context (no cookie) and a page in it, recording what it does."""

    context: Any
    page: Any
    recorder: Recorder

    def new_page(self) -> Any:
        page = self.context.new_page()
        self.recorder.attach(page)
        return page


def open_context(browser: Any, *, viewport: dict[str, int]) -> Browsing:
    context = browser.new_context(viewport=viewport, accept_downloads=True, locale="vi-VN")
    context.set_default_timeout(30_000)
    recorder = Recorder()
    page = context.new_page()
    recorder.attach(page)
    return Browsing(context=context, page=page, recorder=recorder)


@pytest.fixture
def desktop(browser: Any) -> Iterator[Browsing]:
    browsing = open_context(browser, viewport=DESKTOP)
    yield browsing
    browsing.context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Browsing]:
    browsing = open_context(browser, viewport=PHONE)
    yield browsing
    browsing.context.close()
