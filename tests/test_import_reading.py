"""Reading: CSV flavours, XLSX, Vietnamese headers, and one clear message for a file that cannot be read."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.importing import FILE_KINDS, read_table, sheet_names, validate
from data_access.importing.vocab import fold
from tests.import_factories import MEETING, TODAY, csv_bytes, errors, seed_units, xlsx_bytes


@pytest.fixture
def units_engine(sqlite_engine):  # type: ignore[no-untyped-def]
    seed_units(sqlite_engine)
    return sqlite_engine


HEADER = list(MEETING)
ROW = list(MEETING.values())
VI_HEADER = [
    "Tổ chức cơ sở đảng",
    "  CHI BỘ ",
    "Ngày",
    "loai sinh hoat",
    "Chuyên đề",
    "Tổng số đảng viên",
    "Miễn sinh hoạt",
    "Có mặt",
    "Vắng có lý do",
    "vang khong ly do",
    "Thời lượng (phút)",
    "Cấp ủy cấp trên dự",
    "Chất lượng",
]


def _file_errors(engine, data: bytes, *, file_name: str = "f.csv", sheet: str | None = None) -> list:  # type: ignore[no-untyped-def]
    return errors(validate(engine, "meetings", data, file_name=file_name, sheet=sheet, today=TODAY))


@pytest.mark.parametrize(
    "data",
    [
        csv_bytes(HEADER, [ROW]),
        csv_bytes(HEADER, [ROW], bom=True),
        csv_bytes(HEADER, [ROW], delimiter=";", bom=True),
        csv_bytes(VI_HEADER, [ROW], delimiter=";"),
    ],
    ids=["comma", "bom", "semicolon", "vietnamese-headers"],
)
def test_csv_flavours_read_the_same_row(units_engine, data: bytes) -> None:
    report = validate(units_engine, "meetings", data, file_name="m.csv", today=TODAY)
    assert (report.rows, report.errors, report.format) == (1, 0, "csv")


def test_vietnamese_headers_map_to_contract_columns(units_engine) -> None:
    report = validate(units_engine, "meetings", csv_bytes(VI_HEADER, [ROW]), today=TODAY)
    assert report.columns["  CHI BỘ ".strip()] == "cell" and report.columns["vang khong ly do"] == "absent_unexcused"


def test_xlsx_with_date_cells_and_numbers(units_engine) -> None:
    row = [*ROW]
    row[2] = dt.datetime(2025, 1, 3)
    report = validate(units_engine, "meetings", xlsx_bytes(HEADER, [row]), file_name="m.xlsx", today=TODAY)
    assert (report.rows, report.errors, report.format, report.sheet) == (1, 0, "xlsx", "Sheet1")


def test_xlsx_named_sheet(units_engine) -> None:
    data = xlsx_bytes(HEADER, [ROW], sheets=("Ghi chú", "Biên bản"), into="Biên bản")
    assert sheet_names(data) == ["Ghi chú", "Biên bản"]
    report = validate(units_engine, "meetings", data, file_name="m.xlsx", sheet="Biên bản", today=TODAY)
    assert (report.rows, report.errors) == (1, 0)


def test_missing_sheet_is_named(units_engine) -> None:
    data = xlsx_bytes(HEADER, [ROW])
    assert _file_errors(units_engine, data, sheet="Tháng 1") == [
        (None, None, "There is no sheet “Tháng 1”; sheets: Sheet1.")
    ]


def test_row_numbers_are_spreadsheet_rows_skipping_nothing(units_engine) -> None:
    blank = [""] * len(HEADER)
    bad = {**MEETING, "present": -1, "date": "2025-02-03"}
    data = csv_bytes(HEADER, [ROW, blank, list(bad.values())])
    assert _file_errors(units_engine, data) == [(4, "present", "Must not be negative.")]


@pytest.mark.parametrize(
    ("data", "file_name", "message"),
    [
        (b"", "m.csv", "The file is empty."),
        (b"\xef\xbb\xbf\r\n  \r\n", "m.csv", "The file is empty."),
        (csv_bytes(HEADER, []), "m.csv", "The file has a header but no data rows."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "m.png", "The file is neither CSV nor XLSX."),
        (
            b"organisation,cell\nH\xe0 N\xf4i,x\n",
            "m.csv",
            "The file is not UTF-8 text (byte 19): in Excel choose “CSV UTF-8”.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "m.xls",
            "The old .xls format is not supported: save the file as .xlsx or CSV UTF-8.",
        ),
        (b"PK\x03\x04 not really a zip", "m.xlsx", "The XLSX file cannot be opened: BadZipFile."),
        (
            b"organisation,cell,date\nA,B,2025-01-01\n",
            "m.csv",
            "Required columns are missing: kind, members_total, members_exempt, present, absent_excused, absent_unexcused.",
        ),
    ],
    ids=["empty", "blank-lines", "header-only", "binary", "not-utf8", "old-xls", "broken-xlsx", "missing-columns"],
)
def test_file_that_cannot_be_read_gives_one_message(units_engine, data: bytes, file_name: str, message: str) -> None:
    assert _file_errors(units_engine, data, file_name=file_name) == [
        (None if "missing" not in message.lower() else 1, None, message)
    ]


def test_same_column_twice_is_refused(units_engine) -> None:
    data = csv_bytes([*HEADER, "Có mặt"], [[*ROW, 25]])
    assert _file_errors(units_engine, data) == [
        (1, "present", "Column present appears twice (headers: present, Có mặt).")
    ]


def test_unknown_column_one_edit_from_a_column_is_an_error_and_others_are_warnings(units_engine) -> None:
    data = csv_bytes([*HEADER, "qualty", "Ghi chú"], [[*ROW, "x", "y"]])
    report = validate(units_engine, "meetings", data, today=TODAY)
    assert [(p.severity, p.header, p.message("en")) for p in report.problems] == [
        (
            "error",
            "qualty",
            "Unknown column (did you mean “quality”?): its values would be ignored; correct the header.",
        ),
        ("warning", "Ghi chú", "Unknown column, it is ignored."),
    ]
    assert not report.ok


def test_short_unknown_headers_stay_warnings(units_engine) -> None:
    data = csv_bytes([*HEADER, "Mã", "STT"], [[*ROW, "x", "1"]])  # "mã" is one letter from "xã", by chance
    report = validate(units_engine, "units", data, today=TODAY)
    assert ("warning", "Mã") in [(p.severity, p.header) for p in report.problems]


def test_misspelt_header_of_a_column_the_file_lacks_is_an_error(units_engine) -> None:
    without = [h for h in HEADER if h != "superior_attended"]
    row = [v for h, v in zip(HEADER, ROW, strict=True) if h != "superior_attended"]
    report = validate(
        units_engine, "meetings", csv_bytes([*without, "superior_attendance"], [[*row, "yes"]]), today=TODAY
    )
    assert [(p.severity, p.code, p.params["suggestion"]) for p in report.problems] == [
        ("error", "unknown_column_close", "superior_attended")
    ]
    # beside the real column the same header is only a warning: nothing would be lost
    both = validate(units_engine, "meetings", csv_bytes([*HEADER, "superior_attendance"], [[*ROW, "x"]]), today=TODAY)
    assert [(p.severity, p.code) for p in both.problems] == [("warning", "unknown_column")]


def test_names_are_matched_after_normalisation(units_engine) -> None:
    decomposed = "Đảng bộ xã Lộc Sơn".replace("ơ", "o\u031b")  # NFD as some Mac keyboards type it
    change = {**MEETING, "organisation": f"  {decomposed}  ", "cell": "chi  bộ THÔN 1"}
    report = validate(units_engine, "meetings", csv_bytes(HEADER, [list(change.values())]), today=TODAY)
    assert report.errors == 0


def test_no_header_alias_points_to_two_columns() -> None:
    for kind in FILE_KINDS.values():
        seen: dict[str, str] = {}
        for column in kind.columns:
            for key in column.keys:
                assert seen.setdefault(key, column.name) == column.name, (kind.name, key)


def test_preview_frame_holds_the_first_rows_under_the_file_headers() -> None:
    table = read_table(csv_bytes(VI_HEADER, [ROW, ROW, ROW]), file_name="m.csv")
    frame = table.to_frame(limit=2)
    assert frame.shape == (2, 13) and frame.iloc[0]["Có mặt"] == "25"


def test_fold_removes_diacritics_case_and_punctuation() -> None:
    assert fold("  Thời lượng (PHÚT) ") == "thoi luong phut" and fold("Đảng_bộ") == "dang bo"
