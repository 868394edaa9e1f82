"""Reading an uploaded file into a header and rows: CSV (UTF-8, with or without BOM, `,` or `;`) or XLSX.

Rows come out lazily with the row number a spreadsheet shows (the header is row 1), so a large file is never
held as Python objects in full. A file that cannot be read raises `FileProblem` with a message code.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd

from data_access.errors import UserError

Source = bytes | bytearray | str | Path | IO[bytes]

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


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
            except csv.Error:  # e.g. a field beyond the csv module's size limit: not a table we can read
                raise FileProblem("not_a_table") from None
            number += 1
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


def _xlsx_records(data: bytes, sheet: str | None) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook; all mean "cannot open"
        raise FileProblem("bad_xlsx", detail=type(exc).__name__) from None
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
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook; all mean "cannot open"
        raise FileProblem("bad_xlsx", detail=type(exc).__name__) from None
    names = list(workbook.sheetnames)
    workbook.close()
    return names


def read_table(source: Source, *, file_name: str = "", sheet: str | None = None) -> RawTable:
    """Open `source` as CSV or XLSX (decided by its content, not its name) and read its header row.

    Raises `FileProblem` (a `UserError`) when the file is empty, not a table, not UTF-8, or lacks the sheet.
    """
    data = source_bytes(source)
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
        except csv.Error:
            raise FileProblem("not_a_table") from None
        if not first or all(_blank(v) for v in first):
            raise FileProblem("empty")
        table = RawTable("csv", _trim([v.strip() for v in first]), None, [], data, delimiter)
    return table


def _trim(header: list[str]) -> list[str]:
    """Drop empty header cells at the right end (spreadsheets often carry a few)."""
    while header and not header[-1]:
        header.pop()
    return header
