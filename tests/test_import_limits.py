"""Files that would explode when read are refused in one line before they are read (XLSX: inflated size, claimed
rows × columns; every file: its size and row count); a CSV with a huge field says what is wrong with it."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from data_access.importing import FileProblem, read_table, reading, sheet_names, validate
from tests.import_factories import MEETING, TODAY, csv_bytes, rows_file, seed_units, xlsx_bytes


def _rewrite(data: bytes, part: str, change) -> bytes:  # type: ignore[no-untyped-def]
    """The workbook `data` with one zip member changed by `change(bytes) -> bytes`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == part else content)
    return buffer.getvalue()


def _message(data: bytes, *, name: str = "f.xlsx") -> str:
    with pytest.raises(FileProblem) as caught:
        read_table(data, file_name=name)
    return str(caught.value)


def test_a_sheet_claiming_the_whole_grid_is_refused_before_it_is_read() -> None:
    workbook = xlsx_bytes(list(MEETING), [list(MEETING.values())])
    bomb = _rewrite(
        workbook,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A1:M2"/>', b'<dimension ref="A1:XFD1048576"/>'),
    )
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(bomb)).read("xl/worksheets/sheet1.xml")
    started = time.perf_counter()
    assert _message(bomb) == (
        "A sheet claims the range A1:XFD1048576, over the limit of 250,000 rows × 200 columns: delete the stray far "
        "cells and save again."
    )
    with pytest.raises(FileProblem):
        sheet_names(bomb)  # the page's sheet picker reads the same way
    assert time.perf_counter() - started < 5


def test_one_stray_far_cell_is_refused() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(MEETING))
    sheet["XFD5"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    assert _message(buffer.getvalue()).startswith("A sheet claims the range A1:XFD5, over the limit")


def test_a_workbook_that_inflates_past_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_XLSX_INFLATED_MB", 2)
    workbook = xlsx_bytes(list(MEETING), [list(MEETING.values())])
    padding = b" " * (3 * 1024 * 1024)  # blanks between two XML elements: the sheet still reads as before
    bomb = _rewrite(
        workbook, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<sheetViews>", padding + b"<sheetViews>")
    )
    assert len(bomb) < 50_000  # three megabytes of blanks compress to almost nothing
    assert _message(bomb) == (
        "The XLSX file inflates to 3 MB, over the 2 MB limit: save it with only the data to import."
    )


def test_a_file_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_FILE_MB", 1)
    data = rows_file("meetings", *({"date": "2025-01-03", "topic": "x" * 200} for _ in range(6000)))
    assert len(data) > 1024 * 1024
    assert _message(data, name="m.csv") == "The file is 1 MB, over the 1 MB limit: split it into several files."


def test_too_many_rows_are_refused_in_one_line(monkeypatch: pytest.MonkeyPatch, sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    seed_units(sqlite_engine)
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    report = validate(
        sqlite_engine, "meetings", rows_file("meetings", *({"date": f"2025-0{m}-03"} for m in range(1, 6))), today=TODAY
    )
    assert [(p.row, p.message("en")) for p in report.problems if p.severity == "error"] == [
        (None, "The file has more than 3 rows: split it into several files.")
    ]


def test_a_csv_with_a_200_kb_field_says_what_is_wrong() -> None:
    data = csv_bytes(list(MEETING), [list(MEETING.values()), [*list(MEETING.values())[:-1], "x" * 200_000]])
    table = read_table(data, file_name="m.csv")
    with pytest.raises(FileProblem) as caught:
        list(table.rows())
    assert str(caught.value) == ("Row 3 has a value longer than 131,072 characters (is a quotation mark left open?).")


def test_a_huge_field_in_the_header_is_named_too() -> None:
    assert _message(b'organisation,"' + b"x" * 200_000 + b'"\r\n', name="m.csv") == (
        "Row 1 has a value longer than 131,072 characters (is a quotation mark left open?)."
    )
