"""Downloads of exactly the data a chart or table shows: CSV (UTF-8 with BOM) and XLSX with percent formatting.

Pure builders (`csv_bytes`, `xlsx_bytes`, `download_name`) have no Streamlit in them and are what the tests check.
The rendering blocks `chart_with_download` and `table_with_download` draw the figure or table and put the two
download buttons under it; the bytes are built only when a button is clicked (`data` is a callable) and clicking
does not rerun the page (`on_click="ignore"`).

Two shapes of the same rows:
- *localised* (the interface's default): headers and stored codes in the reader's words (`correction_required` →
  "Yêu cầu khắc phục"), months and quarters as on screen, yes/no as words. In Vietnamese the CSV is what Excel
  under Vietnamese regional settings opens in columns: `;` between fields, a decimal comma, dates `dd/mm/yyyy`
  (Excel splits a CSV at the regional list separator, which is `;` where the decimal sign is a comma). The XLSX
  carries a title block (the table's title, the scope, the period and the as-of date) above the table and real
  dates shown `dd/mm/yyyy`.
- *contract* (one switch away, and the CLI's `export`): the data contract's column names and codes, `,` and a
  decimal point, ISO dates, the header in the first row: stable for scripts.

Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) are prefixed
with `'` (OWASP "CSV injection").
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

from ui import format as fmt
from ui.filters import DOWNLOAD_LOCALISED_KEY, current_as_of, current_scope_words, current_state
from ui.i18n import CATALOGUE, column_labels, current_language, t, vocab_label

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


# Columns holding stored codes, and the catalogue vocabularies their labels come from (the first that knows the
# code: `kind` is a meeting's kind in meeting lists and an inspection's kind in inspection lists).
CODE_COLUMNS: dict[str, tuple[str, ...]] = {
    "kind": ("meeting_kind", "inspection_kind"),
    "meeting_kind": ("meeting_kind",),
    "inspection_kind": ("inspection_kind",),
    "outcome": ("outcome",),
    "level": ("rating",),
    "organisation_kind": ("organisation_kind",),
    "follow_up_status": ("follow_up_status",),
    "cell_kind": ("cell_kind",),
    "sector": ("sector",),
    "quality": ("quality",),
    "level_of": ("unit_level",),
}
VI_CSV = {"sep": ";", "decimal": ","}
XLSX_DATE_FORMAT = {"vi": "dd/mm/yyyy", "en": "dd/mm/yyyy"}
CONTRACT_DATE_FORMAT = "yyyy-mm-dd"


def code_label(column: str, code: object, *, lang: str | None = None) -> object:
    """The reader's word for a stored code of `column` (`outcome`, `correction_required` → "Yêu cầu khắc phục");
    a value no vocabulary knows is returned as it is."""
    if not isinstance(code, str):
        return code
    for vocabulary in CODE_COLUMNS.get(column, ()):
        if f"{vocabulary}.{code}" in CATALOGUE:
            return vocab_label(vocabulary, code, lang=lang)
    return code


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _localised_values(df: pd.DataFrame, *, lang: str | None) -> pd.DataFrame:
    """Codes, months, quarters and yes/no in the reader's words; numbers and dates keep their type."""
    out = df.copy()
    yes, no = t("download.yes", lang=lang), t("download.no", lang=lang)
    for column in out.columns:
        name, series = str(column), out[column]
        if name == "month":
            out[column] = [v if _is_missing(v) else fmt.month(str(v), lang=lang) for v in series]
        elif name == "quarter":
            out[column] = [v if _is_missing(v) else fmt.quarter(str(v), lang=lang) for v in series]
        elif name in CODE_COLUMNS:
            out[column] = pd.Series(
                [None if _is_missing(v) else code_label(name, v, lang=lang) for v in series],
                index=out.index,
                dtype=object,
            )
        elif pd.api.types.is_bool_dtype(series):
            out[column] = [yes if v else no for v in series]
    return out


def _prepared(df: pd.DataFrame, *, localised: bool, lang: str | None) -> pd.DataFrame:
    out = _localised_values(df, lang=lang) if localised else df
    out = neutralise(out)
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
    an empty field for a rate with a zero denominator. Localised in Vietnamese: `;`, decimal comma, `dd/mm/yyyy`."""
    rates = rate_columns(df) if percent_columns is None else list(percent_columns)
    out = df.copy()
    for column in rates:
        out[column] = out[column].astype("float64").round(4)
    shown = _prepared(out, localised=localised, lang=lang)
    options: dict[str, str] = {}
    if localised and (lang or current_language()) == "vi":
        options = VI_CSV
        for column in shown.columns:
            if shown[column].map(_is_date).any():
                shown[column] = [v.strftime("%d/%m/%Y") if _is_date(v) else v for v in shown[column]]
    # A str without a path ignores `encoding`: encode ourselves to get the BOM.
    return shown.to_csv(index=False, **options).encode("utf-8-sig")  # type: ignore[call-overload]


def xlsx_bytes(
    df: pd.DataFrame,
    *,
    percent_columns: Sequence[str] | None = None,
    localised: bool = False,
    lang: str | None = None,
    sheet_name: str = "data",
    heading: Sequence[str] = (),
) -> bytes:
    """An XLSX workbook of `df`: bold header row, frozen, rates formatted `0.0%`, dates as real dates, widths
    fitted to the text. `heading`: lines written above the table (the first one bold), a blank row under them."""
    rates = set(rate_columns(df) if percent_columns is None else percent_columns)
    headers = [str(c) for c in df.columns]
    shown = _prepared(df, localised=localised, lang=lang)
    date_format = XLSX_DATE_FORMAT[lang or current_language()] if localised else CONTRACT_DATE_FORMAT
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_name[:31]
    for i, line in enumerate(heading):
        ws.append([str(_neutral(line))])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=13) if i == 0 else Font(italic=True)
    if heading:
        ws.append([])
    header_row = len(heading) + 2 if heading else 1
    ws.append([str(c) for c in shown.columns])
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for row in shown.itertuples(index=False, name=None):
        ws.append([_excel_value(v) for v in row])
    for j, name in enumerate(headers, start=1):
        letter = get_column_letter(j)
        cells = [c for (c,) in ws.iter_rows(min_row=header_row + 1, min_col=j, max_col=j)]
        if name in rates:
            for cell in cells:
                cell.number_format = "0.0%"
        elif any(_is_date(v) for v in shown.iloc[:, j - 1]):
            for cell in cells:
                cell.number_format = date_format
        texts = [str(shown.columns[j - 1])] + [
            _text_width(v, date_format) for v in shown.iloc[:200, j - 1] if not _is_missing(v)
        ]
        ws.column_dimensions[letter].width = min(60, max(8, max(len(s) for s in texts) + 2))
    ws.freeze_panes = f"A{header_row + 1}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _text_width(value: object, date_format: str) -> str:
    return date_format if _is_date(value) else str(value)


def _excel_value(value: object) -> object:
    if _is_missing(value):
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
    title: str | None = None,
) -> None:
    """Excel and CSV buttons for `data` (a DataFrame, or a callable returning one, built on click).

    The file name uses the scope words and as-of date of the current filters (`ui.filters.current_scope_words`).
    The files are localised unless the sidebar's switch asks for the data contract's headers and codes; a
    localised workbook opens with `title` (already in the reader's words) and the scope, period and as-of date.
    Excel comes first: it keeps numbers, rates and dates typed whatever the reader's regional settings.
    """
    localised = bool(st.session_state.get(DOWNLOAD_LOCALISED_KEY, True))
    lang = current_language()
    scope, as_of = current_scope_words(), current_as_of()
    heading = [title or view, current_state().words(lang=lang)] if localised else []
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        t("download.xlsx"),
        data=lambda: xlsx_bytes(
            _resolve(data), percent_columns=percent_columns, localised=localised, lang=lang, heading=heading
        ),
        file_name=download_name(view=view, scope=scope, as_of=as_of, extension="xlsx"),
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",
        icon=":material/table_view:",
        type="tertiary",
    )
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
