"""Downloads of exactly the data a chart or table shows: CSV (UTF-8 with BOM) and XLSX with percent formatting.

Pure builders (`csv_bytes`, `xlsx_bytes`, `download_name`) have no Streamlit in them and are what the tests check.
The rendering blocks `chart_with_download` and `table_with_download` draw the figure or table and put the two
download buttons under it; the bytes are built only when a button is clicked (`data` is a callable) and clicking
does not rerun the page (`on_click="ignore"`).

Columns keep the data contract's names (stable for scripts); with `localised=True` the headers are the catalogue's
words in the reader's language. Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
`@`, tab or CR) are prefixed with `'` (OWASP "CSV injection").
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ui.filters import DOWNLOAD_LOCALISED_KEY, current_as_of, current_scope_words
from ui.i18n import column_labels, current_language, t

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
RATE_SUFFIXES = ("_rate", "_coverage", "_share")
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DataSource = pd.DataFrame | Callable[[], pd.DataFrame]


def rate_columns(df: pd.DataFrame) -> list[str]:
    """The columns holding fractions 0–1 by the data contract's naming (`*_rate`, `*_coverage`, `*_share`)."""
    return [c for c in df.columns if str(c).endswith(RATE_SUFFIXES)]


def _neutral(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells cannot run as spreadsheet formulas; numbers are left as they are."""
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_neutral).astype(object)
    return out


def _prepared(df: pd.DataFrame, *, localised: bool, lang: str | None) -> pd.DataFrame:
    out = neutralise(df)
    if localised:
        out = out.rename(columns=column_labels([str(c) for c in out.columns], lang=lang))
    return out


def csv_bytes(
    df: pd.DataFrame,
    *,
    percent_columns: Sequence[str] | None = None,
    localised: bool = False,
    lang: str | None = None,
) -> bytes:
    """CSV in UTF-8 with a BOM (Excel then reads Vietnamese correctly); rates as fractions with 4 decimals,
    an empty field for a rate with a zero denominator."""
    rates = rate_columns(df) if percent_columns is None else list(percent_columns)
    out = df.copy()
    for column in rates:
        out[column] = out[column].astype("float64").round(4)
    # A str without a path ignores `encoding`: encode ourselves to get the BOM.
    return _prepared(out, localised=localised, lang=lang).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(
    df: pd.DataFrame,
    *,
    percent_columns: Sequence[str] | None = None,
    localised: bool = False,
    lang: str | None = None,
    sheet_name: str = "data",
) -> bytes:
    """An XLSX workbook of `df`: bold header row, frozen, rates formatted `0.0%`, widths fitted to the text."""
    rates = set(rate_columns(df) if percent_columns is None else percent_columns)
    headers = [str(c) for c in df.columns]
    shown = _prepared(df, localised=localised, lang=lang)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name[:31]
    ws.append([str(c) for c in shown.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in shown.itertuples(index=False, name=None):
        ws.append([_excel_value(v) for v in row])
    for j, name in enumerate(headers, start=1):
        letter = get_column_letter(j)
        if name in rates:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = "0.0%"
        texts = [str(shown.columns[j - 1])] + [str(v) for v in shown.iloc[:200, j - 1] if v is not None]
        ws.column_dimensions[letter].width = min(60, max(8, max(len(s) for s in texts) + 2))
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _excel_value(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def ascii_slug(text: str) -> str:
    """`Lộc Sơn, Hòa Lộc` → `loc-son-hoa-loc`: ASCII letters, digits and dashes only."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def download_name(*, view: str, scope: str, as_of: dt.date, extension: str) -> str:
    """`regularity_loc-son-hoa-loc_2026-11-24.csv`: the view, the scope in words and the date, ASCII only."""
    parts = [ascii_slug(view) or "data", ascii_slug(scope)[:80].strip("-") or "all", as_of.isoformat()]
    return "_".join(parts) + "." + extension


def _resolve(data: DataSource) -> pd.DataFrame:
    return data() if callable(data) else data


def download_buttons(
    data: DataSource,
    *,
    key: str,
    view: str,
    percent_columns: Sequence[str] | None = None,
) -> None:
    """CSV and XLSX buttons for `data` (a DataFrame, or a callable returning one, built on click).

    The file name uses the scope words and as-of date of the current filters (`ui.filters.current_scope_words`);
    headers are localised when the sidebar's "localised headers" switch is on.
    """
    localised = bool(st.session_state.get(DOWNLOAD_LOCALISED_KEY, False))
    lang = current_language()
    scope, as_of = current_scope_words(), current_as_of()
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        t("download.csv"),
        data=lambda: csv_bytes(_resolve(data), percent_columns=percent_columns, localised=localised, lang=lang),
        file_name=download_name(view=view, scope=scope, as_of=as_of, extension="csv"),
        mime=CSV_MIME,
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
        type="tertiary",
    )
    row.download_button(
        t("download.xlsx"),
        data=lambda: xlsx_bytes(_resolve(data), percent_columns=percent_columns, localised=localised, lang=lang),
        file_name=download_name(view=view, scope=scope, as_of=as_of, extension="xlsx"),
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",
        icon=":material/table_view:",
        type="tertiary",
    )
