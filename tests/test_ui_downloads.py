"""Download builders: BOM, contract columns, formulas neutralised, XLSX readable with percent formats."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import load_workbook

from ui.downloads import csv_bytes, download_name, xlsx_bytes


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "commune": ["Lộc Sơn", "=1+1", "-2"],
            "meetings": [12, 3, -2],
            "participation_rate": [0.853333, float("nan"), 1.0],
        }
    )


def test_csv_starts_with_the_utf8_bom() -> None:
    assert csv_bytes(_table()).startswith(b"\xef\xbb\xbf")


def test_csv_keeps_the_contract_columns_and_rounds_rates_to_four_decimals() -> None:
    lines = csv_bytes(_table()).decode("utf-8-sig").splitlines()
    assert lines[0] == "commune,meetings,participation_rate"
    assert lines[1] == "Lộc Sơn,12,0.8533"


def test_csv_neutralises_formula_text_but_not_numbers() -> None:
    lines = csv_bytes(_table()).decode("utf-8-sig").splitlines()
    assert lines[2] == "'=1+1,3,"  # the rate with a zero denominator is empty
    assert lines[3] == "'-2,-2,1.0"


def test_csv_localised_in_vietnamese_is_what_excel_under_vietnamese_settings_splits() -> None:
    lines = csv_bytes(_table(), localised=True, lang="vi").decode("utf-8-sig").splitlines()
    # `;` between fields and a decimal comma: Excel with Vietnamese regional settings splits at `;`.
    assert lines[0] == "Xã, thị trấn;Số buổi sinh hoạt;Tỷ lệ đảng viên tham gia"
    assert lines[1] == "Lộc Sơn;12;0,8533"
    assert lines[2] == "'=1+1;3;"
    assert lines[3] == "'-2;-2;1,0"


def _follow_ups() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "commune": ["Lộc Sơn", "Đa Lộc"],
            "kind": ["inspection", "supervision"],
            "outcome": ["correction_required", "disciplined"],
            "follow_up_due": [dt.date(2026, 3, 31), None],
            "resolved": [True, False],
            "month": ["2026-01", "2026-02"],
        }
    )


def test_localised_csv_names_codes_dates_months_and_yes_no_in_vietnamese() -> None:
    lines = csv_bytes(_follow_ups(), localised=True, lang="vi").decode("utf-8-sig").splitlines()
    assert lines[1:] == [
        "Lộc Sơn;Kiểm tra;Yêu cầu khắc phục;31/03/2026;Có;01/2026",
        "Đa Lộc;Giám sát;Thi hành kỷ luật;;Không;02/2026",
    ]


def test_contract_csv_keeps_codes_and_iso_dates() -> None:
    lines = csv_bytes(_follow_ups(), lang="vi").decode("utf-8-sig").splitlines()
    assert lines[0] == "commune,kind,outcome,follow_up_due,resolved,month"
    assert lines[1] == "Lộc Sơn,inspection,correction_required,2026-03-31,True,2026-01"


def test_localised_xlsx_has_a_title_block_real_dates_and_labels() -> None:
    heading = ["Việc khắc phục quá hạn", "Lộc Sơn · 01/2026–12/2026 · số liệu đến 03/12/2026"]
    ws = load_workbook(io.BytesIO(xlsx_bytes(_follow_ups(), localised=True, lang="vi", heading=heading))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Việc khắc phục quá hạn" and ws["A1"].font.bold
    assert rows[1][0] == "Lộc Sơn · 01/2026–12/2026 · số liệu đến 03/12/2026"
    assert all(v is None for v in rows[2])
    assert rows[3] == ("Xã, thị trấn", "Hình thức", "Kết quả", "Hạn khắc phục", "resolved", "Tháng")
    assert rows[4] == ("Lộc Sơn", "Kiểm tra", "Yêu cầu khắc phục", dt.datetime(2026, 3, 31), "Có", "01/2026")
    assert ws["D5"].number_format == "dd/mm/yyyy"
    assert ws["A4"].font.bold and ws.freeze_panes == "A5"


def test_xlsx_holds_the_same_rows_with_percent_format_and_bold_header() -> None:
    wb = load_workbook(io.BytesIO(xlsx_bytes(_table())))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows == [
        ("commune", "meetings", "participation_rate"),
        ("Lộc Sơn", 12, 0.853333),
        ("'=1+1", 3, None),
        ("'-2", -2, 1.0),
    ]
    assert ws["C2"].number_format == "0.0%"
    assert ws["A1"].font.bold


def test_file_name_is_ascii_and_tells_view_scope_and_date() -> None:
    name = download_name(
        view="regularity", scope="Lộc Sơn-Đa Lộc 2025-01 2025-12", as_of=dt.date(2026, 11, 24), extension="csv"
    )
    assert name == "regularity_loc-son-da-loc-2025-01-2025-12_2026-11-24.csv"


def test_xlsx_localised_headers_in_english_keep_the_rows_and_percent_format() -> None:
    ws = load_workbook(io.BytesIO(xlsx_bytes(_table(), localised=True, lang="en"))).active
    assert [c.value for c in ws[1]] == ["Commune", "Meetings", "Participation rate"]
    assert ws["A2"].value == "Lộc Sơn" and ws["C2"].number_format == "0.0%"


def test_localised_headers_are_an_option_the_contract_names_the_default() -> None:
    contract = csv_bytes(_table(), lang="vi").decode("utf-8-sig").splitlines()[0]
    localised = csv_bytes(_table(), localised=True, lang="en").decode("utf-8-sig").splitlines()[0]
    assert (contract, localised) == ("commune,meetings,participation_rate", "Commune,Meetings,Participation rate")
