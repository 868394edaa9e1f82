"""The Import page (administrators): choose a file kind, upload, preview, read the validation report, confirm.

Nothing is written before the administrator confirms, and only a file without errors can be confirmed. What needs
consent (blank cells erasing stored values, new names close to existing ones, an organisation moved to another
commune) is an error until the matching box above the report is ticked; ticking one checks the file again. The check
is `import_file(..., dry_run=True)`: every row is validated and the write is done and rolled back, so the page can
say before confirming how many rows would be new, updated or unchanged. The confirmed import runs the same
function for real (all or nothing, an ImportBatch row with the signed-in username), then clears the cached query
results so every other page shows the new data at once.

Uploaded bytes stay in memory (Streamlit's UploadedFile); the page never writes a file to disk. The one place that
reads the upload widget is `uploaded_file()`, so tests (AppTest cannot drive a file uploader) replace that function
and everything after it runs as in the browser.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import islice

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from data_access.importing import (
    FILE_KINDS,
    KINDS,
    Consent,
    FileProblem,
    ImportReport,
    import_file,
    list_batches,
    read_table,
    render,
    report_csv,
    report_rows,
    sheet_names,
    template_csv,
    template_xlsx,
)
from data_access.models import User
from ui import data, escape
from ui import format as fmt
from ui.downloads import CSV_MIME, XLSX_MIME, neutralise
from ui.i18n import CATALOGUE, current_language, t

UPLOAD_TYPES = ("csv", "xlsx", "xls")  # .xls is let through so the reader can say how to convert it
PREVIEW_ROWS = 10
BATCHES_SHOWN = 200

KIND_KEY = "import_kind"
UPLOAD_KEY = "import_upload"
CONFIRM_KEY = "import_confirm"
_CHECKED_KEY = "import_checked"  # (check key, ImportReport) of the file on screen: checked, or imported


@dataclass(frozen=True)
class Upload:
    """An uploaded file in memory. `id` changes with every upload, so the same file uploaded again is checked
    again (and its import then reports every row unchanged)."""

    name: str
    data: bytes
    id: str


def uploaded_file() -> Upload | None:
    """The file in the upload widget, if any."""
    file = st.file_uploader(
        t("import.upload"),
        type=list(UPLOAD_TYPES),
        key=UPLOAD_KEY,
        help=t("import.upload_help"),
    )
    if file is None:
        return None
    return Upload(name=file.name, data=file.getvalue(), id=str(file.file_id))


def render_page(engine: Engine, *, user: User) -> None:
    """The whole page for the signed-in administrator `user`."""
    st.title(t("import.title"))
    st.caption(t("import.intro"))
    kind = _kind_picker()
    _templates(kind)
    upload = uploaded_file()
    if upload is not None:
        _checked_file(engine, kind=kind, upload=upload, user=user)
    _past_imports(engine)


# --- choosing the kind, templates ----------------------------------------------------------------------------------


def kind_label(kind: str, *, lang: str | None = None) -> str:
    """The file kind in the reader's language (a kind the catalogue does not know, like "demo", as stored)."""
    entry = CATALOGUE.get(f"import.kind.{kind}")
    return entry[lang or current_language()] if entry else kind


def _kind_picker() -> str:
    kind = st.radio(
        t("import.kind"),
        options=list(KINDS),
        format_func=kind_label,
        horizontal=True,
        key=KIND_KEY,
    )
    spec = FILE_KINDS[kind]
    lang = current_language()

    def header(name: str) -> str:
        column = spec.column(name)
        return column.vi if lang == "vi" and column.vi else column.name

    required = [header(c.name) for c in spec.columns if c.required]
    optional = [header(c.name) for c in spec.columns if not c.required]
    st.caption(t("import.columns", required=", ".join(required), optional=", ".join(optional) or "–"))
    return str(kind)


def template_name(kind: str, extension: str, *, lang: str) -> str:
    """The download name of a template: the kind's contract name, so the file says what it is for."""
    return f"{'mau-nhap' if lang == 'vi' else 'template'}-{kind}.{extension}"


def _templates(kind: str) -> None:
    lang = current_language()
    row = st.container(horizontal=True)
    row.download_button(
        t("import.template_xlsx"),
        data=lambda: template_xlsx(kind, lang),
        file_name=template_name(kind, "xlsx", lang=lang),
        mime=XLSX_MIME,
        key=f"import_template_xlsx_{kind}",
        on_click="ignore",
        icon=":material/download:",
    )
    row.download_button(
        t("import.template_csv"),
        data=lambda: template_csv(kind, lang),
        file_name=template_name(kind, "csv", lang=lang),
        mime=CSV_MIME,
        key=f"import_template_csv_{kind}",
        on_click="ignore",
        icon=":material/download:",
    )


# --- the uploaded file ---------------------------------------------------------------------------------------------


def _checked_file(engine: Engine, *, kind: str, upload: Upload, user: User) -> None:
    lang = current_language()
    try:
        sheets = sheet_names(upload.data)
    except FileProblem as problem:
        st.error(render(problem.code, escape.md_params(problem.params), lang))
        return
    sheet = None
    if len(sheets) > 1:
        sheet = st.selectbox(
            t("import.sheet"), sheets, index=first_filled_sheet(upload, sheets), key=f"import_sheet_{upload.id}"
        )
    try:
        preview = preview_frame(upload, sheet=sheet)
    except FileProblem as problem:
        st.error(render(problem.code, escape.md_params(problem.params), lang))
        return
    if not preview.empty:
        st.subheader(t("import.preview_title"))
    preview_slot = st.container()
    consent = consent_boxes(upload)
    key = (kind, upload.id, sheet, consent)
    report = _check(engine, key=key, kind=kind, upload=upload, sheet=sheet, consent=consent)

    if not preview.empty:
        with preview_slot:
            _preview(preview, report=report, upload=upload)
    st.subheader(t("import.report_title"))
    _outcome(report, kind=kind)
    _problems(report, lang=lang)
    _changes(report, lang=lang)
    if report.ok and not report.written:
        _confirm_button(engine, key=key, kind=kind, upload=upload, sheet=sheet, user=user, consent=consent)


CONSENTS = ("allow_clearing", "confirm_new", "allow_moves")


def consent_key(name: str, upload_id: str) -> str:
    """The widget key of one consent box: per upload, so a box ticked for one file is not ticked for the next."""
    return f"import_{name}_{upload_id}"


def consent_boxes(upload: Upload) -> Consent:
    """What the administrator accepts in advance: the dry run is checked again with it, and the import uses it."""
    st.caption(t("import.consent_caption"))
    row = st.container(horizontal=True, gap="medium")
    ticked = {
        name: row.checkbox(t(f"import.{name}"), key=consent_key(name, upload.id), help=t(f"import.{name}_help"))
        for name in CONSENTS
    }
    return Consent(**ticked)


def change_table(report: ImportReport, *, lang: str) -> pd.DataFrame:
    """What the updates change, one row per column of the contract: values changed, values erased."""
    headers = {column: header for header, column in report.columns.items()}  # the column as the file heads it
    rows = [
        (headers.get(column, column), changed, cleared) for column, (changed, cleared) in sorted(report.changes.items())
    ]
    names = [t(f"import.col_{name}", lang=lang) for name in ("column", "changed", "erased")]
    return pd.DataFrame(rows, columns=names).astype({names[1]: "int64", names[2]: "int64"})


def _changes(report: ImportReport, *, lang: str) -> None:
    if not report.changes:
        return
    st.caption(t("import.changes_title"))
    st.dataframe(change_table(report, lang=lang), hide_index=True, key="import_changes")


def _preview(preview: pd.DataFrame, *, report: ImportReport, upload: Upload) -> None:
    if report.rows and report.rows == len(preview):
        st.caption(t("import.preview_caption_all", total=report.rows, file=escape.md(upload.name)))
    elif report.rows:
        st.caption(t("import.preview_caption", shown=len(preview), total=report.rows, file=escape.md(upload.name)))
    else:  # the header stopped the check before the rows were counted
        st.caption(t("import.preview_caption_first", shown=len(preview), file=escape.md(upload.name)))
    st.dataframe(preview, width="stretch", key="import_preview")


def _confirm_button(
    engine: Engine,
    *,
    key: tuple[str, str, str | None, Consent],
    kind: str,
    upload: Upload,
    sheet: str | None,
    user: User,
    consent: Consent,
) -> None:
    """Write the checked file for real (all or nothing, recorded under the signed-in username) when pressed."""
    if not st.button(t("import.confirm"), key=CONFIRM_KEY, type="primary", icon=":material/upload:"):
        return
    with st.spinner(t("import.writing")):
        written = import_file(
            engine, kind, upload.data, file_name=upload.name, imported_by=user.username, sheet=sheet, consent=consent
        )
    st.session_state[_CHECKED_KEY] = (key, written)
    if written.written:
        data.clear()  # st.cache_data.clear(): every page shows the imported rows at once
    st.rerun()


def first_filled_sheet(upload: Upload, sheets: list[str]) -> int:
    """The position of the first sheet with a header row (workbooks often open with a blank or notes sheet)."""
    for index, name in enumerate(sheets):
        try:
            read_table(upload.data, file_name=upload.name, sheet=name)
        except FileProblem:
            continue
        return index
    return 0


def preview_frame(upload: Upload, *, sheet: str | None) -> pd.DataFrame:
    """The first rows of the file as text under its own headers, indexed by the row number a spreadsheet shows."""
    table = read_table(upload.data, file_name=upload.name, sheet=sheet)
    frame = table.to_frame(limit=PREVIEW_ROWS)
    numbers = [number for number, _values in islice(table.rows(), PREVIEW_ROWS)]
    frame.index = pd.Index(numbers, name=t("import.row"))
    return frame


def _check(
    engine: Engine,
    *,
    key: tuple[str, str, str | None, Consent],
    kind: str,
    upload: Upload,
    sheet: str | None,
    consent: Consent,
) -> ImportReport:
    """The report of the file on screen: checked once per upload and consent (a dry run), kept while they stay."""
    stored = st.session_state.get(_CHECKED_KEY)
    if stored is not None and stored[0] == key:
        return stored[1]
    with st.spinner(t("import.checking")):
        report = import_file(
            engine, kind, upload.data, file_name=upload.name, sheet=sheet, dry_run=True, consent=consent
        )
    st.session_state[_CHECKED_KEY] = (key, report)
    return report


def _file_problem(report: ImportReport) -> str | None:
    """The message of a problem with the file as a whole (it cannot be read at all), if there is one."""
    for problem in report.problems:
        if problem.row is None and problem.severity == "error":
            return problem.message(current_language())
    return None


def _outcome(report: ImportReport, *, kind: str) -> None:
    if report.written:
        st.success(t("import.done", rows=report.rows), icon=":material/check_circle:")
    elif report.ok:
        st.info(t("import.ready", rows=report.rows), icon=":material/task_alt:")
    elif (message := _file_problem(report)) is not None:
        st.error(message, icon=":material/error:")
        return
    elif report.rows == 0:  # the header does not fit the kind: the rows were not checked
        st.error(t("import.header_errors", errors=report.errors, kind=kind_label(kind)), icon=":material/error:")
        return
    else:
        bad_rows = len({p.row for p in report.problems if p.severity == "error" and p.row is not None})
        st.error(
            t("import.has_errors", errors=report.errors, bad_rows=bad_rows, rows=report.rows), icon=":material/error:"
        )
        return
    counts = st.container(horizontal=True, gap="medium")  # stays one row on a phone, unlike st.columns
    counts.metric(t("import.rows_new"), fmt.number(report.rows_new), width="content")
    counts.metric(t("import.rows_updated"), fmt.number(report.rows_updated), width="content")
    counts.metric(t("import.rows_unchanged"), fmt.number(report.rows_unchanged), width="content")


def _problems(report: ImportReport, *, lang: str) -> None:
    if not report.problems or (_file_problem(report) is not None and len(report.problems) == 1):
        if report.ok:
            st.caption(t("import.no_problems"))
        return
    st.caption(t("import.problem_counts", errors=report.errors, warnings=report.warnings, notices=report.notices))
    if report.truncated:
        total = report.errors + report.warnings + report.notices
        st.caption(render("too_many_problems", {"shown": len(report.problems), "total": total}, lang))
    table = report_rows(report, lang)
    file, row, column, value, severity, problem = table.columns
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="import_report",
        placeholder="",  # a problem with the whole file has no row
        column_order=[row, column, value, problem, severity, file],  # what is wrong stays in sight on a phone
        column_config={
            row: st.column_config.NumberColumn(pinned=True),
            problem: st.column_config.TextColumn(width="large"),
        },
    )
    st.download_button(
        t("import.report_download"),
        data=report_csv(report, lang),
        file_name=report_name(report.file_name, lang=lang),
        mime=CSV_MIME,
        key="import_report_csv",
        on_click="ignore",
        icon=":material/download:",
    )


def report_name(file_name: str, *, lang: str) -> str:
    """The download name of a validation report: the uploaded file's name without its extension, and a suffix."""
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    return f"{stem or 'file'}-{'bao-cao-kiem-tra' if lang == 'vi' else 'report'}.csv"


# --- past imports --------------------------------------------------------------------------------------------------


def batch_table(batches: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """Past imports for display: file, kind, short sha256, counts, who, when (Vietnam time, dd/mm/yyyy HH:MM), and
    the communes and months a meetings file covered (data_access.reporting)."""
    out = pd.DataFrame(
        {
            t("import.col_when", lang=lang): [_when(v) for v in batches["imported_at"]],
            t("import.col_file", lang=lang): batches["file_name"].astype(str),
            t("import.col_kind", lang=lang): [kind_label(str(k), lang=lang) for k in batches["kind"]],
            t("import.col_by", lang=lang): batches["imported_by"].fillna("").astype(str),
            t("import.col_rows", lang=lang): batches["rows"].astype("int64"),
            t("import.col_new", lang=lang): batches["rows_new"].astype("int64"),
            t("import.col_updated", lang=lang): batches["rows_updated"].astype("int64"),
            t("import.col_unchanged", lang=lang): batches["rows_unchanged"].astype("int64"),
            t("import.col_communes", lang=lang): batches["communes"].astype("int64"),
            t("import.col_months", lang=lang): batches["months"].fillna("").astype(str),
            t("import.col_sha", lang=lang): batches["sha256"].fillna("").astype(str).str[:12],
        }
    )
    return neutralise(out)


def _when(value: dt.datetime | pd.Timestamp | None) -> str:
    """A stored UTC time (naive on SQLite) in Vietnam time, in the reader's date format."""
    if value is None or pd.isna(value):
        return ""
    return fmt.moment(pd.Timestamp(value).to_pydatetime())


def _past_imports(engine: Engine) -> None:
    st.subheader(t("import.batches_title"))
    batches = list_batches(engine, limit=BATCHES_SHOWN)
    if batches.empty:
        st.caption(t("import.no_batches"))
        return
    st.caption(t("import.batches_caption"))
    if len(batches) >= BATCHES_SHOWN:
        st.caption(t("import.batches_limited", shown=BATCHES_SHOWN))
    lang = current_language()
    counts = ("import.col_rows", "import.col_new", "import.col_updated", "import.col_unchanged", "import.col_communes")
    st.dataframe(
        batch_table(batches, lang=lang),
        hide_index=True,
        width="stretch",
        key="import_batches",
        # counts stay numbers (they sort), written with the reader's thousands separator
        column_config={t(c, lang=lang): st.column_config.NumberColumn(format="localized") for c in counts},
    )
