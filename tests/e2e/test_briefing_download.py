"""The Overview's "Báo cáo tháng": a leader downloads last month's briefing as PDF and DOCX, the same files the
command writes; a commune account's briefing is about its own commune only."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document as read_docx

from data_access.briefing import build_briefing
from data_access.briefing import texts as tx
from data_access.briefing.layout import document
from data_access.filters import EVERYTHING, Month, Scope
from data_access.lookups import communes
from tests.e2e import driver
from tests.e2e.conftest import Browsing, DemoDatabase
from tests.test_briefing import docx_text, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DISTRICT = {"username": "demo.district", "password": "demo-district-2025"}
COMMUNE_ACCOUNT = {"username": "demo.commune", "password": "demo-commune-2025"}  # Lộc Sơn


def _download(page: Any, label: str, into: Path) -> bytes:
    page.get_by_role("button", name="Báo cáo tháng").click()
    button = page.get_by_role("button", name=label)
    driver.expect(button).to_be_visible(timeout=driver.TIMEOUT_MS)
    with page.expect_download(timeout=driver.TIMEOUT_MS) as download:
        button.click()
    path = into / download.value.suggested_filename
    download.value.save_as(path)
    page.keyboard.press("Escape")
    return path.read_bytes()


def test_the_district_downloads_last_months_briefing(
    desktop: Browsing, app_url: str, demo_db: DemoDatabase, tmp_path: Path
) -> None:
    page = desktop.page
    driver.sign_in(page, app_url, **DISTRICT)
    month = Month.of(demo_db.as_of) - 1
    expected = build_briefing(demo_db.engine, month=month, today=demo_db.as_of, scope=EVERYTHING)
    pdf = pdf_text(_download(page, "Tải PDF", tmp_path), tmp_path)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in pdf
    assert f"Tình hình sinh hoạt chi bộ tháng {tx.month(month, 'vi')}" in pdf
    regularity = tx.percent(expected.headlines["regularity_rate"].value, "vi").replace("\u00a0", " ")
    assert f"Sinh hoạt đều đặn {regularity}" in pdf
    assert all(cell in pdf for cell in expected.missed["cell"])
    word = read_docx(io.BytesIO(_download(page, "Tải Word (DOCX)", tmp_path)))
    tables = [t for s in document(expected, lang="vi", issued_on=dt.date.today()).sections for t in s.tables if t.rows]
    assert [[c.text for c in row.cells] for row in word.tables[1].rows[1:]] == tables[0].rows
    assert desktop.recorder.outside_hosts() == []


def test_a_commune_account_downloads_its_own_commune(
    desktop: Browsing, app_url: str, demo_db: DemoDatabase, tmp_path: Path
) -> None:
    page = desktop.page
    driver.sign_in(page, app_url, **COMMUNE_ACCOUNT)
    text = docx_text(_download(page, "Tải Word (DOCX)", tmp_path))
    assert "Đảng bộ xã Lộc Sơn" in text
    others = [n for n in communes(demo_db.engine, scope=Scope.everything())["name"] if n != "Lộc Sơn"]
    assert [n for n in others if n in text] == []
