"""The Overview's "Báo cáo tháng" download on the small district (period 2025-01..2025-04, as of 2025-04-04)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from data_access.briefing import briefing_bytes, build_briefing
from data_access.db import make_engine
from data_access.filters import Filters, Month, Scope
from data_access.settings import get_settings
from tests.test_briefing import DA_LOC_CELL, docx_text, pdf_text
from tests.test_pages_frame import run_page
from ui import briefing

PERIOD = Filters(period_from=Month(2025, 1), period_to=Month(2025, 4), as_of=dt.date(2025, 4, 4))


def test_months_offered_put_the_last_whole_month_first() -> None:
    assert briefing.months_offered(PERIOD) == [Month(2025, 3), Month(2025, 2), Month(2025, 1), Month(2025, 4)]
    # a period that ended before the as-of month: its last month is whole
    ended = Filters(period_from=Month(2024, 11), period_to=Month(2025, 1), as_of=dt.date(2025, 4, 4))
    assert briefing.months_offered(ended) == [Month(2025, 1), Month(2024, 12), Month(2024, 11)]


@pytest.mark.usefixtures("app_db")
def test_the_overview_offers_the_pdf_and_the_docx() -> None:
    at = run_page("overview")
    assert at.selectbox(key="briefing_month").value == Month(2025, 3)
    buttons = at.get("download_button")
    labels = {b.proto.label for b in buttons}
    assert {"Tải PDF", "Tải Word (DOCX)"} <= labels


@pytest.mark.usefixtures("app_db")
def test_a_month_without_meetings_says_so_instead_of_offering_files() -> None:
    at = run_page("overview", commune="Lộc Sơn")
    at.selectbox(key="briefing_month").select(Month(2025, 4)).run()  # Lộc Sơn's April: only c2's thematic meeting
    assert not [i for i in at.info if "Chưa có buổi sinh hoạt" in i.value]
    at = run_page("overview", commune="Đa Lộc", **{"from": "2024-11", "to": "2025-04"})
    at.selectbox(key="briefing_month").select(Month(2024, 12)).run()
    assert [i.value for i in at.info if "Chưa có buổi sinh hoạt" in i.value] == [
        "Chưa có buổi sinh hoạt nào được ghi nhận trong tháng 12/2024 cho phạm vi này."
    ]
    assert not {"Tải PDF", "Tải Word (DOCX)"} & {b.proto.label for b in at.get("download_button")}


def test_the_download_is_the_commands_file(app_db: dict[str, int], tmp_path: Path) -> None:
    """The bytes the Overview's buttons serve hold the same text as the briefing the command writes."""
    scope = Scope.only(app_db["da_loc"])
    month = Month(2025, 3)
    engine = make_engine(get_settings().database_url)
    try:
        direct = build_briefing(engine, month=month, scope=scope, today=PERIOD.as_of)
    finally:
        engine.dispose()
    db = get_settings().database_url
    today = dt.date.today()
    for file_format in ("pdf", "docx"):
        served = briefing._file(db, month, PERIOD, scope, file_format, "vi")
        expected = briefing_bytes(direct, file_format=file_format, lang="vi", issued_on=today)
        read = (lambda b: pdf_text(b, tmp_path)) if file_format == "pdf" else docx_text
        assert read(served) == read(expected)
        assert DA_LOC_CELL in read(served) and "Lộc Sơn" not in read(served)
