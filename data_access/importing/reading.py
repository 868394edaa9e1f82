"""Reading an uploaded file into a header and rows: CSV (UTF-8, with or without BOM, `,` or `;`) or XLSX.

Rows come out lazily with the row number a spreadsheet shows (the header is row 1), so a large file is never
held as Python objects in full. A file that cannot be read raises `FileProblem` with a message code.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd

from data_access.errors import UserError

Source = bytes | bytearray | str | Path | IO[bytes]

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"

# What a file may hold, checked before it is read: a district's largest files are far below (a 100,000-row
# meetings workbook is about 4 MB and inflates to about 63 MB). A workbook is a zip whose parts can inflate a
# thousandfold, and a sheet's `<dimension>` makes the reader pad every row to the width it claims.
MAX_FILE_MB = 50
MAX_XLSX_INFLATED_MB = 150
MAX_ROWS = 250_000
MAX_COLUMNS = 200
_MB = 1024 * 1024
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")


class FileProblem(UserError):
    """The file as a whole cannot be read. `code` and `params` index the message catalogue."""

    def __init__(self, code: str, **params: object) -> None:
        from data_access.importing.messages import render

        super().__init__(render(code, params, "en"))
        self.code = code
        self.params = params


def source_bytes(source: Source) -> bytes:
    """The bytes of an upload, a path or an open binary file (Streamlit's UploadedFile included)."""
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise UserError(f"cannot read {source}: {exc.strerror or exc}") from exc
    getvalue = getattr(source, "getvalue", None)
    if callable(getvalue):
        return bytes(getvalue())
    return bytes(source.read())


@dataclass
class RawTable:
    """A file's header and a way to iterate over its data rows (each as `(row_number, values)`)."""

    format: str  # "csv" or "xlsx"
    header: list[str]
    sheet: str | None
    sheet_names: list[str]
    _data: bytes
    _delimiter: str = ","

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Data rows, skipping blank ones; the number is the spreadsheet row (header = 1)."""
        source = (
            _csv_records(self._data, self._delimiter) if self.format == "csv" else _xlsx_records(self._data, self.sheet)
        )
        number = 0
        while True:
            try:
                values = next(source)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _csv_problem(exc, number + 1) from None
            number += 1
            if number > MAX_ROWS + 1:
                raise FileProblem("too_many_rows", maximum=MAX_ROWS)
            if number > 1 and any(not _blank(v) for v in values):
                yield number, values

    def to_frame(self, *, limit: int | None = None) -> pd.DataFrame:
        """The first `limit` rows (all when None) as text, under the file's own headers: for a preview."""
        records: list[list[str]] = []
        width = len(self.header)
        for _number, values in self.rows():
            cells = [_display(v) for v in values[:width]]
            records.append(cells + [""] * (width - len(cells)))
            if limit is not None and len(records) >= limit:
                break
        return pd.DataFrame(records, columns=_unique(self.header))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _display(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat() if not (value.hour or value.minute or value.second) else value.isoformat(" ")
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def display(value: Any) -> str:
    """A cell value as the report shows it."""
    return _display(value).strip()


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for name in names:
        label = name or "?"
        seen[label] = seen.get(label, 0) + 1
        result.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return result


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem("encoding", position=exc.start) from None


def _sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _csv_records(data: bytes, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(_decode(data), newline=""), delimiter=delimiter)


def _csv_problem(exc: csv.Error, row: int) -> FileProblem:
    """What a csv.Error means to the person who made the file."""
    if "field larger than field limit" in str(exc):
        return FileProblem("csv_field_too_long", row=row, maximum=csv.field_size_limit())
    return FileProblem("csv_malformed", row=row, detail=str(exc))


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_xlsx_size(data: bytes) -> None:
    """Refuse, before openpyxl opens it, a workbook that would inflate past the limits: its parts' total
    uncompressed size (a zip bomb), or a sheet whose `<dimension>` claims more rows or columns than allowed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileProblem("bad_xlsx", detail=type(exc).__name__) from None
    inflated = sum(part.file_size for part in parts)
    if inflated > MAX_XLSX_INFLATED_MB * _MB:
        raise FileProblem("xlsx_too_large", size=inflated // _MB, maximum=MAX_XLSX_INFLATED_MB)
    for part in parts:
        if not (part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")):
            continue
        try:
            with archive.open(part) as stream:
                head = stream.read(8192)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise FileProblem("bad_xlsx", detail=type(exc).__name__) from None
        match = _DIMENSION.search(head)
        if match is None:
            continue
        first_letters, first_row, last_letters, last_row = match.groups()
        letters = last_letters or first_letters or b"A"
        rows = int(last_row or first_row or 1)
        columns = _column_number(letters)
        if rows > MAX_ROWS + 1 or columns > MAX_COLUMNS:
            ref = match.group(0).split(b'"')[1].decode("ascii")
            raise FileProblem("xlsx_too_wide", ref=ref, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)


def _load_workbook(data: bytes) -> Any:
    from openpyxl import load_workbook

    check_xlsx_size(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook; all mean "cannot open"
        raise FileProblem("bad_xlsx", detail=type(exc).__name__) from None


def _xlsx_records(data: bytes, sheet: str | None) -> Iterator[list[Any]]:
    workbook = _load_workbook(data)
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet part
                raise FileProblem("bad_xlsx", detail=type(exc).__name__) from None
            yield list(values)
    finally:
        workbook.close()


def sheet_names(source: Source) -> list[str]:
    """The sheets of an XLSX file (empty for CSV): for the page's sheet picker."""
    data = source_bytes(source)
    if not data.startswith(_XLSX_MAGIC):
        return []
    return _open_xlsx_sheets(data)


def _open_xlsx_sheets(data: bytes) -> list[str]:
    workbook = _load_workbook(data)
    names = list(workbook.sheetnames)
    workbook.close()
    return names


def read_table(source: Source, *, file_name: str = "", sheet: str | None = None) -> RawTable:
    """Open `source` as CSV or XLSX (decided by its content, not its name) and read its header row.

    Raises `FileProblem` (a `UserError`) when the file is empty, not a table, not UTF-8, or lacks the sheet.
    """
    data = source_bytes(source)
    if len(data) > MAX_FILE_MB * _MB:
        raise FileProblem("file_too_large", size=len(data) // _MB, maximum=MAX_FILE_MB)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FileProblem("empty")
    if data.startswith(_OLE_MAGIC):
        raise FileProblem("old_xls")
    if data.startswith(_XLSX_MAGIC):
        names = _open_xlsx_sheets(data)
        if sheet and sheet not in names:
            raise FileProblem("sheet_missing", sheet=sheet, sheets=", ".join(names))
        chosen = sheet or (names[0] if names else None)
        if chosen is None:
            raise FileProblem("empty")
        header_row = next(_xlsx_records(data, chosen), None)
        if header_row is None or all(_blank(v) for v in header_row):
            raise FileProblem("empty")
        header = [display(v) for v in header_row]
        table = RawTable("xlsx", _trim(header), chosen, names, data)
    else:
        if file_name.lower().endswith((".xlsx", ".xlsm")) or b"\x00" in data:
            raise FileProblem("not_a_table")
        text = _decode(data)
        delimiter = _sniff_delimiter(text)
        try:
            first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), None)
        except csv.Error as exc:
            raise _csv_problem(exc, 1) from None
        if not first or all(_blank(v) for v in first):
            raise FileProblem("empty")
        table = RawTable("csv", _trim([v.strip() for v in first]), None, [], data, delimiter)
    return table


def _trim(header: list[str]) -> list[str]:
    """Drop empty header cells at the right end (spreadsheets often carry a few)."""
    while header and not header[-1]:
        header.pop()
    return header
