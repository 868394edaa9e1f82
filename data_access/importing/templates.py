"""Templates to download: each file kind's header and one example row, as CSV (UTF-8 with BOM) or XLSX."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from data_access.importing.vocab import FILE_KINDS, Column, vi_label


def _example(column: Column, value: object, lang: str) -> object:
    if value is None:
        return None
    if column.type == "date":
        return dt.date.fromisoformat(str(value))
    if column.type == "bool":
        return ("có" if value else "không") if lang == "vi" else ("yes" if value else "no")
    if column.type == "choice" and lang == "vi":
        return vi_label(column.choices, str(value))
    return value


def template_frame(kind: str, lang: str = "en") -> pd.DataFrame:
    """The header (English contract names, or Vietnamese headers with `lang="vi"`) and one example row."""
    spec = FILE_KINDS[kind]
    headers = [c.vi if lang == "vi" else c.name for c in spec.columns]
    values = [_example(c, spec.example.get(c.name), lang) for c in spec.columns]
    return pd.DataFrame([values], columns=headers)


def template_csv(kind: str, lang: str = "en") -> bytes:
    """CSV in UTF-8 with BOM, dates as YYYY-MM-DD (so Excel shows Vietnamese correctly)."""
    frame = template_frame(kind, lang)
    for column in frame.columns:
        frame[column] = frame[column].map(lambda v: v.isoformat() if isinstance(v, dt.date) else v)
    return frame.to_csv(index=False).encode("utf-8-sig")


def template_xlsx(kind: str, lang: str = "en") -> bytes:
    """XLSX with one sheet named after the kind; dates are real date cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    frame = template_frame(kind, lang)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kind
    sheet.append(list(frame.columns))
    sheet.append([None if pd.isna(v) else v for v in frame.iloc[0].tolist()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(FILE_KINDS[kind].columns, start=1):
        if column.type == "date":
            sheet.cell(row=2, column=index).number_format = "yyyy-mm-dd"
        header = sheet.cell(row=1, column=index)
        sheet.column_dimensions[header.column_letter].width = max(12, len(str(header.value)) + 4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
