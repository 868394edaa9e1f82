"""The PostgreSQL server stops under the running dashboard (app.py): a clear notice, no traceback, then the page again.

AppTest runs the real app.py, signed in through the session cookie (patched in as in tests/test_auth_ui.py), on the
small district. Every step opens the app afresh in the same process (same engines, same pools): a second `run()` of
one AppTest would run the last page's script on its own, without app.py around it (AppTest resets Streamlit's
pages-directory flag before every run). Each test has a PostgreSQL server of its own, which it stops and starts (the session's shared server
must stay up for the other tests). The last test drives a real `streamlit run app.py` server in Chromium: there the
notice's timer brings the page back by itself once the server is up, without any click or reload.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access import auth
from data_access.settings import get_settings
from tests.auth_factories import PASSWORD, make_user
from tests.browser import CHROMIUM, CHROMIUM_ARGS, ROOT, require_browser, running_streamlit
from tests.conftest import fresh_pg_url
from tests.pgserver import PostgresServer
from ui.outage import UNREACHABLE_EN, UNREACHABLE_VI

pytestmark = pytest.mark.postgres
SECRET = "s" * 48
NOTICE = f"**{UNREACHABLE_VI}** · {UNREACHABLE_EN}"
BASE_PARAMS = {"as_of": "2025-04-04", "period": "custom", "from": "2025-01", "to": "2025-04"}


@pytest.fixture
def engine(own_pg_server: PostgresServer) -> Iterator[Engine]:
    """The migrated database of this test, on its own server (the small district fixture fills it)."""
    from data_access.db import make_engine
    from data_access.migrations import init_db

    eng = make_engine(fresh_pg_url(own_pg_server))
    init_db(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def signed_in(
    engine: Engine,
    district: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> str:
    """The app points at the test database, and the browser sends the cookie of a district account."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DEMO_MODE", "0")
    monkeypatch.setenv("SECRET_KEY", SECRET)
    monkeypatch.setenv("DASHBOARD_SECRETS", str(tmp_path / "none.toml"))
    monkeypatch.delenv("DASHBOARD_LANGUAGE", raising=False)
    get_settings.cache_clear()
    user = make_user(engine, username="huyen", role="district")
    token = auth.issue_token(user, key=SECRET.encode(), hours=8)
    monkeypatch.setattr("ui.auth._request_cookie", lambda: token)
    return token


def _open() -> AppTest:
    """The app as a browser opens it: app.py, signed in, on the overview."""
    at = AppTest.from_file("../app.py", default_timeout=60)
    for name, value in BASE_PARAMS.items():
        at.query_params[name] = value
    return at.run()


def _everything(at: AppTest) -> str:
    parts = [*(m.value for m in at.markdown), *(e.value for e in at.error), *(c.value for c in at.caption)]
    parts += [*(t.value for t in at.title), *(c.value for c in at.code)]
    return "\n".join(str(p) for p in parts)


def _overview_shown(at: AppTest) -> bool:
    return [t.value for t in at.title] == ["Tổng quan"]


def test_the_server_stopping_under_a_running_app_shows_the_notice_instead_of_the_page(
    signed_in: str, own_pg_server: PostgresServer
) -> None:
    before = _open()
    assert not before.exception and _overview_shown(before)

    own_pg_server.stop(mode="fast")
    at = _open()
    assert not at.exception
    assert [e.value for e in at.error] == [NOTICE]
    assert not _overview_shown(at)
    assert "Lần kiểm tra thứ 1" in _everything(at)
    assert "Traceback" not in _everything(at)


def test_the_page_comes_back_when_the_server_is_back_without_a_restart(
    signed_in: str, own_pg_server: PostgresServer
) -> None:
    _open()
    own_pg_server.stop(mode="fast")
    assert [e.value for e in _open().error] == [NOTICE]

    own_pg_server.start()
    at = _open()  # the same process: the pooled connections the restart killed are replaced, not handed out
    assert not at.exception
    assert not at.error
    assert _overview_shown(at)


def test_the_server_down_when_the_app_starts_shows_the_notice_then_the_page(
    signed_in: str, own_pg_server: PostgresServer
) -> None:
    own_pg_server.stop(mode="fast")
    at = _open()
    assert not at.exception
    assert [e.value for e in at.error] == [NOTICE]
    assert "Traceback" not in _everything(at)

    own_pg_server.start()
    at = _open()
    assert not at.exception and not at.error
    assert _overview_shown(at)


@pytest.fixture
def dashboard_server(signed_in: str, tmp_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on the test database (the settings `signed_in` put in the environment)."""
    require_browser()
    with running_streamlit(ROOT / "app.py", env=os.environ, folder=tmp_path) as url:
        yield url


@pytest.mark.browser
@pytest.mark.slow
def test_in_a_browser_the_page_returns_by_itself_when_the_server_is_back(
    dashboard_server: str, own_pg_server: PostgresServer
) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(dashboard_server)
        page.get_by_label("Tên đăng nhập").fill("huyen")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.get_by_role("heading", name="Tổng quan").wait_for(timeout=60_000)

        own_pg_server.stop(mode="fast")
        page.get_by_role("link", name="Sinh hoạt định kỳ").click()  # the same session asks for another page
        page.get_by_text(UNREACHABLE_VI).wait_for(timeout=60_000)
        assert "Traceback" not in page.content()
        assert page.get_by_role("heading", name="Sinh hoạt định kỳ").count() == 0

        own_pg_server.start()  # nobody touches the page from here on
        page.get_by_role("heading", name="Sinh hoạt định kỳ").wait_for(timeout=60_000)
        page.get_by_text(UNREACHABLE_VI).wait_for(state="detached", timeout=30_000)  # the end of the run clears it
        assert page.get_by_role("heading", name="Sinh hoạt định kỳ").count() == 1
        browser.close()
