"""The Import page in a real browser: the upload widget (which AppTest cannot drive), the report download, confirm.

app.py runs on a SQLite database holding the three units of tests/import_factories.py and one administrator.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from data_access.importing import list_batches
from tests.auth_factories import PASSWORD, make_user
from tests.browser import CHROMIUM, CHROMIUM_ARGS, ROOT, require_browser, running_streamlit
from tests.e2e.driver import settled
from tests.import_factories import row_counts, rows_file, seed_units

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(sqlite_engine: Engine, tmp_path: Path) -> Iterator[str]:
    require_browser()
    seed_units(sqlite_engine)
    make_user(sqlite_engine, username="quantri", role="admin")
    env = dict(
        os.environ,
        DATABASE_URL=sqlite_engine.url.render_as_string(hide_password=False),
        DEMO_MODE="0",
        SECRET_KEY="s" * 48,
        DASHBOARD_SECRETS=str(tmp_path / "none.toml"),
    )
    env.pop("DASHBOARD_LANGUAGE", None)
    with running_streamlit(ROOT / "app.py", env=env, folder=tmp_path, start_seconds=30) as url:
        yield url


def test_upload_report_download_and_confirm(server: str, sqlite_engine: Engine, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(rows_file("meetings", {}, {"date": "2025-02-03", "present": 40}))  # row 3: 40 of 28 present
    good = tmp_path / "thang-1-3.csv"
    good.write_bytes(rows_file("meetings", {}, {"date": "2025-02-03"}, {"date": "2025-03-03"}))
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 2000}, accept_downloads=True)
        page.goto(server)
        page.get_by_label("Tên đăng nhập").fill("quantri")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.get_by_role("link", name="Nhập dữ liệu").click(timeout=30_000)
        page.get_by_text("Sinh hoạt chi bộ", exact=True).click(timeout=30_000)
        uploader = page.locator("[data-testid=stFileUploaderDropzoneInput]")
        uploader.wait_for(state="attached", timeout=30_000)
        settled(page)  # a file chosen while a run is still going on can be lost on a loaded machine (seen in CI)

        uploader.set_input_files(str(bad))
        download_report = page.get_by_role("button", name="Tải báo cáo kiểm tra (CSV)")
        download_report.wait_for(timeout=30_000)
        settled(page)
        assert page.get_by_role("button", name="Xác nhận nhập").count() == 0
        with page.expect_download() as info:
            download_report.click()
        report = Path(info.value.path()).read_bytes()
        assert info.value.suggested_filename == "bad-bao-cao-kiem-tra.csv"
        assert report.decode("utf-8-sig").splitlines()[1:] == [
            "bad.csv,3,present,40,lỗi,Số có mặt (40) lớn hơn tổng số trừ miễn sinh hoạt (28)."
        ]
        assert report.startswith(b"\xef\xbb\xbf")
        assert row_counts(sqlite_engine)["Meeting"] == 0

        uploader.set_input_files(str(good))  # chosen over the bad one, as a secretary does after mending it
        try:
            page.get_by_text("Tệp hợp lệ: 3 dòng").wait_for(timeout=60_000)
        except playwright.Error as exc:  # say what the page showed instead (CI keeps only the printed output)
            shown = page.get_by_test_id("stMain").inner_text()[:2000]
            raise AssertionError(f"no valid-file message after choosing {good.name}; the page shows:\n{shown}") from exc
        settled(page)
        page.get_by_role("button", name="Xác nhận nhập").click(timeout=30_000)
        page.get_by_text("Đã nhập 3 dòng").wait_for(timeout=60_000)
        assert row_counts(sqlite_engine)["Meeting"] == 3
        browser.close()
    newest = list_batches(sqlite_engine).iloc[0]
    assert (newest["file_name"], newest["imported_by"], newest["rows_new"]) == ("thang-1-3.csv", "quantri", 3)
