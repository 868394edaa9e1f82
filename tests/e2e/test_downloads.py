"""A leader takes a chart's and a table's data away as CSV and XLSX, with the same rows the screen shows: by default
in Vietnamese (an XLSX with a title block, Vietnamese headers; a CSV Excel splits under Vietnamese regional
settings), and one switch away as the data contract's tables (docs/metrics.md "Metric tables"; rates as fractions,
4 decimals in CSV)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from data_access import metrics
from data_access.filters import EVERYTHING
from tests.e2e import driver
from tests.e2e import expected as exp
from tests.e2e.conftest import Browsing, DemoDatabase
from ui.i18n import column_labels, t

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DISTRICT = {"username": "demo.district", "password": "demo-district-2025"}
BOM = b"\xef\xbb\xbf"
# docs/metrics.md: participation grouped by commune / by cell.
PARTICIPATION = ["meetings", "expected", "present", "absent_excused", "absent_unexcused", "participation_rate"]
BY_COMMUNE = ["commune", *PARTICIPATION]
BY_CELL = ["commune", "organisation", "cell", *PARTICIPATION]
MAX_BELOW = 50  # views/participation.py shows the 50 lowest cells


def _xlsx_rows(path: Path) -> tuple[list[str], list[tuple[object, ...]]]:
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [str(h) for h in header], rows


def _assert_csv(raw: bytes, want: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    assert raw.startswith(BOM)
    assert raw[len(BOM) :].decode("utf-8").splitlines()[0] == ",".join(columns)
    shown = driver.read_csv(raw)
    expected = want[columns].reset_index(drop=True).copy()
    expected["participation_rate"] = expected["participation_rate"].round(4)
    pd.testing.assert_frame_equal(shown, expected, check_dtype=False, check_exact=False, atol=5e-5)
    return shown


def _assert_xlsx(path: Path, want: pd.DataFrame, columns: list[str]) -> None:
    header, rows = _xlsx_rows(path)
    assert header == columns
    assert len(rows) == len(want)
    for row, (_, wanted) in zip(rows, want[columns].iterrows(), strict=True):
        for value, (column, expected_value) in zip(row, wanted.items(), strict=True):
            if pd.isna(expected_value):
                assert value is None, column
            elif isinstance(expected_value, float):
                assert value == pytest.approx(expected_value, abs=1e-9), column
            else:
                assert value == expected_value, column


def test_a_chart_and_a_table_download_as_csv_and_xlsx_with_the_rows_on_screen(
    desktop: Browsing, app_url: str, demo_db: DemoDatabase, tmp_path: Path
) -> None:
    page, engine = desktop.page, demo_db.engine
    filters = exp.last_12_months(as_of=demo_db.as_of)
    driver.sign_in(page, app_url, **DISTRICT)
    driver.go_to(page, "participation")
    # The contract's shape is one switch away (the sidebar's "downloads in Vietnamese", on by default).
    driver.contract_downloads(page)

    # The chart "communes compared": one bar per commune, its length the commune's participation rate.
    chart_box = driver.block(page, "participation.communes_title")
    by_commune = metrics.participation(engine, filters=filters, scope=EVERYTHING, by="commune")
    csv = _assert_csv(driver.download(page, chart_box, kind="csv", into=tmp_path).read_bytes(), by_commune, BY_COMMUNE)
    _assert_xlsx(driver.download(page, chart_box, kind="xlsx", into=tmp_path), by_commune, BY_COMMUNE)
    (bars,) = driver.chart_traces(chart_box)
    drawn = dict(zip(bars["y"], bars["x"], strict=True))
    assert sorted(drawn) == sorted(csv["commune"])
    for commune, rate in zip(csv["commune"], by_commune["participation_rate"], strict=True):
        assert drawn[commune] == pytest.approx(rate), commune

    # The table "cells below the target": the lowest cells, with the contract's participation-by-cell columns.
    table_box = driver.block(page, "participation.below_title")
    below = metrics.below_target(engine, filters=filters, scope=EVERYTHING, target=0.85).head(MAX_BELOW)
    assert len(below) > 0
    _assert_csv(driver.download(page, table_box, kind="csv", into=tmp_path).read_bytes(), below, BY_CELL)
    _assert_xlsx(driver.download(page, table_box, kind="xlsx", into=tmp_path), below, BY_CELL)


def test_downloads_are_in_vietnamese_by_default_with_a_title_block(
    desktop: Browsing, app_url: str, demo_db: DemoDatabase, tmp_path: Path
) -> None:
    page, engine = desktop.page, demo_db.engine
    filters = exp.last_12_months(as_of=demo_db.as_of)
    driver.sign_in(page, app_url, **DISTRICT)
    driver.go_to(page, "participation")
    chart_box = driver.block(page, "participation.communes_title")
    by_commune = metrics.participation(engine, filters=filters, scope=EVERYTHING, by="commune")
    headers = list(column_labels(BY_COMMUNE, lang="vi").values())

    sheet = openpyxl.load_workbook(driver.download(page, chart_box, kind="xlsx", into=tmp_path)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == t("participation.communes_title")
    assert rows[1][0] == driver.scope_line(page)  # the scope, the period and the as-of date, as on screen
    assert list(rows[3]) == headers
    assert [row[0] for row in rows[4:]] == list(by_commune["commune"])
    assert [row[-1] for row in rows[4:]] == pytest.approx(list(by_commune["participation_rate"]))

    raw = driver.download(page, chart_box, kind="csv", into=tmp_path).read_bytes()
    assert raw.startswith(BOM)
    shown = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", sep=";", decimal=",")
    assert list(shown.columns) == headers
    assert list(shown[headers[0]]) == list(by_commune["commune"])
    assert list(shown[headers[-1]]) == pytest.approx(list(by_commune["participation_rate"].round(4)))
