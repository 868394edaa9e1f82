"""The session cookie in a real browser: written after sign-in, sent on reload, deleted at sign-out."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.auth_factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = "/usr/bin/chromium"
APP = Path(__file__).parent / "apps" / "auth_gate.py"
STREAMLIT = Path(sys.executable).parent / "streamlit"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(sqlite_engine: Engine, tmp_path: Path) -> Iterator[str]:
    if not Path(CHROMIUM).exists() or not STREAMLIT.exists():
        pytest.skip("Chromium (Debian package chromium) or the streamlit command is not installed here")
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=sqlite_engine.url.render_as_string(hide_password=False),
        DEMO_MODE="0",
        SECRET_KEY="s" * 48,
        DASHBOARD_SECRETS=str(tmp_path / "none.toml"),
    )
    command = [str(STREAMLIT), "run", str(APP), "--server.headless", "true"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "_stcore/health", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the Streamlit server did not answer within 30 s")
                time.sleep(0.2)  # polling a server start, not waiting in a UI
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_reload_keeps_the_session_until_sign_out(server: str, sqlite_engine: Engine) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    make_user(sqlite_engine, username="huyen")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    args += ["--disable-sync", "--no-first-run", "--disable-quic"]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
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
