"""The monthly briefing: a printable (PDF) and editable (DOCX) report per commune or for the whole district.

    data = build_briefing(engine, month=Month(2026, 11), scope=scope, communes=(11,))
    pdf = briefing_bytes(data, file_format="pdf", lang="vi", issued_on=dt.date.today())

`content` reads the numbers (through the public metric functions, within the viewer's scope), `layout` words
them in one language, `pdf` and `word` draw that one document. The command is `python -m data_access briefing`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from data_access.briefing.content import Briefing, build_briefing
from data_access.briefing.layout import document
from data_access.filters import Month

FORMATS = ("pdf", "docx")
MIME_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

__all__ = ["FORMATS", "MIME_TYPES", "Briefing", "briefing_bytes", "build_briefing", "file_name", "file_name_for"]


def briefing_bytes(briefing: Briefing, *, file_format: str, lang: str, issued_on: dt.date) -> bytes:
    """The briefing as a PDF or a DOCX file, in `lang`, dated `issued_on`."""
    doc = document(briefing, lang=lang, issued_on=issued_on)
    if file_format == "pdf":
        from data_access.briefing.pdf import pdf_bytes

        return pdf_bytes(doc, briefing)
    if file_format == "docx":
        from data_access.briefing.word import docx_bytes

        return docx_bytes(doc)
    raise ValueError(f"unknown briefing format {file_format!r}; choose one of {', '.join(FORMATS)}")


def file_name(briefing: Briefing, *, file_format: str, lang: str) -> str:
    """The briefing's file name (see `file_name_for`)."""
    place = "" if briefing.place.name == briefing.place.district else briefing.place.name
    return file_name_for(month=briefing.month, place=place, file_format=file_format, lang=lang)


def file_name_for(*, month: Month, place: str, file_format: str, lang: str) -> str:
    """`bao-cao-2026-11-loc-son.pdf` (vi) or `briefing-2026-11-district.docx` (en, `place` empty): ASCII only."""
    ascii_place = unicodedata.normalize("NFKD", place.replace("Đ", "D").replace("đ", "d"))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_place.encode("ascii", "ignore").decode().lower()).strip("-")[:60]
    stem = "bao-cao" if lang == "vi" else "briefing"
    return f"{stem}-{month}-{slug.strip('-') or ('toan-huyen' if lang == 'vi' else 'district')}.{file_format}"
