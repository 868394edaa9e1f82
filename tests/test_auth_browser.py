"""The session cookie in a real browser: written after sign-in, sent on reload, deleted at sign-out."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.auth_factories import PASSWORD, make_user
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser, running_streamlit

pytestmark = [pytest.mark.browser, pytest.mark.slow]
APP = Path(__file__).parent / "apps" / "auth_gate.py"


@pytest.fixture
def server(sqlite_engine: Engine, tmp_path: Path) -> Iterator[str]:
    require_browser()
    env = dict(
        os.environ,
        DATABASE_URL=sqlite_engine.url.render_as_string(hide_password=False),
        DEMO_MODE="0",
        SECRET_KEY="s" * 48,
        DASHBOARD_SECRETS=str(tmp_path / "none.toml"),
    )
    with running_streamlit(APP, env=env, folder=tmp_path, start_seconds=30) as url:
        yield url


def test_a_reload_keeps_the_session_until_sign_out(server: str, sqlite_engine: Engine) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    make_user(sqlite_engine, username="huyen")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.goto(server)
        page.get_by_label("Tên đăng nhập").fill("huyen")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.get_by_text("signed in as huyen").wait_for(timeout=15_000)
        page.wait_for_function("document.cookie.includes('pcd_session=v1.')", timeout=10_000)
        (cookie,) = [c for c in context.cookies() if c["name"] == "pcd_session"]
        assert cookie["sameSite"] == "Strict"
        assert 7.9 * 3600 < cookie["expires"] - time.time() <= 8 * 3600

        page.reload()
        page.get_by_text("signed in as huyen").wait_for(timeout=15_000)

        page.get_by_role("button", name="Đăng xuất").click()
        page.get_by_label("Tên đăng nhập").wait_for(timeout=15_000)
        page.wait_for_function("!document.cookie.includes('pcd_session=')", timeout=10_000)
        page.reload()
        page.get_by_label("Tên đăng nhập").wait_for(timeout=15_000)
        assert page.get_by_text("signed in as huyen").count() == 0
        browser.close()
