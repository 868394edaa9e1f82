"""The Overview's "Báo cáo tháng" download: the monthly briefing (PDF to print, DOCX to edit) for the scope in view.

The communes and organisations of the filters and the viewer's scope decide whom it is about, the same way the
page's numbers are decided; the month is chosen among the period's months that have begun by the as-of date
(default: the last whole month). The file is built only when a button is clicked, and kept for a while (a second
click, or another reader of the same briefing, gets it at once).
"""

from __future__ import annotations

import datetime as dt
import functools

import streamlit as st

from data_access import briefing as report
from data_access.filters import Filters, Month, Scope
from data_access.settings import get_settings
from ui import data
from ui import format as fmt
from ui.i18n import current_language, t

TTL_SECONDS = 600


def months_offered(filters: Filters) -> list[Month]:
    """The period's months up to the as-of month, newest first, the last whole month first when there is one."""
    last = min(filters.period_to, Month.of(filters.as_of))
    months = [last - i for i in range(last.index - filters.period_from.index + 1)]
    whole = [m for m in months if m.last_day < filters.as_of]
    return whole + [m for m in months if m not in whole]


@st.cache_data(ttl=TTL_SECONDS, max_entries=16, show_spinner=False)
def _file(db: str, month: Month, filters: Filters, scope: Scope, file_format: str, lang: str) -> bytes:
    content = report.build_briefing(
        data.read_engine(),
        month=month,
        scope=scope,
        communes=filters.communes,
        organisations=filters.organisations,
        today=filters.as_of,
        target=get_settings().target_participation,
        grouping=filters.grouping,
    )
    return report.briefing_bytes(content, file_format=file_format, lang=lang, issued_on=dt.date.today())


def _has_meetings(month: Month, filters: Filters, scope: Scope) -> bool:
    one_month = Filters(
        period_from=month,
        period_to=month,
        as_of=min(month.last_day, filters.as_of),
        communes=filters.communes,
        organisations=filters.organisations,
    )
    table = data.metric("participation", filters=one_month, scope=scope, by="total")
    return bool(len(table)) and int(table["meetings"].sum()) > 0


def briefing_download(*, filters: Filters, scope: Scope) -> None:
    """A "Báo cáo tháng" button opening the month's choice and the PDF and DOCX downloads."""
    months = months_offered(filters)
    if not months:
        return
    lang = current_language()
    with st.popover(t("briefing.button"), icon=":material/description:"):
        st.caption(t("briefing.help"))
        month = st.selectbox(
            t("briefing.month"), months, format_func=lambda m: fmt.month(m, lang=lang), key="briefing_month"
        )
        if not _has_meetings(month, filters, scope):
            st.info(t("briefing.no_data", month=fmt.month(month, lang=lang)))
            return
        db = data.cache_key()  # the database and the data's version: an import is seen at once
        place = _place_words(filters, scope)
        row = st.container(horizontal=True, gap="small")
        for file_format, icon in (("pdf", ":material/picture_as_pdf:"), ("docx", ":material/edit_document:")):
            name = report.file_name_for(month=month, place=place, file_format=file_format, lang=lang)
            row.download_button(
                t(f"briefing.{file_format}"),
                data=functools.partial(_file, db, month, filters, scope, file_format, lang),
                file_name=name,
                mime=report.MIME_TYPES[file_format],
                key=f"briefing_{file_format}",
                on_click="ignore",
                icon=icon,
            )


def _place_words(filters: Filters, scope: Scope) -> str:
    """The names of what the briefing is about, for its file name ("" for the whole district)."""
    if filters.organisations:
        organisations = data.organisations(scope=scope)
        return " ".join(organisations[organisations["id"].isin(filters.organisations)]["name"][:2])
    if filters.communes or scope.communes is not None:
        communes = data.communes(scope=scope)
        if filters.communes:
            communes = communes[communes["id"].isin(filters.communes)]
        return " ".join(communes["name"][:3])
    return ""
