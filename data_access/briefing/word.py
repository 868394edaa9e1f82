"""The briefing as a DOCX for editing (python-docx): the same `Document` as the PDF, with Word headings, real Word
tables (their header row repeated on every page) and a "Trang x/y" footer made of Word's PAGE and NUMPAGES fields,
so the office can add its own paragraphs and the numbering follows. The charts are the PDF's alone: the tables
hold the same numbers.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from data_access.briefing import texts as tx
from data_access.briefing.layout import Document, Table

FONT = "Times New Roman"  # what a Vietnamese office's Word has; Liberation Serif shares its metrics


def docx_bytes(doc: Document) -> bytes:
    """The DOCX of the briefing (A4, portrait)."""
    word = new_docx()
    _page_setup(word)
    _styles(word)
    _header_block(word, doc)
    for text, size, bold in ((doc.kind, 15, True), (doc.title, 13, True), (doc.subject, 13, True)):
        _centred(word.add_paragraph(), text, size=size, bold=bold)
    _centred(word.add_paragraph(), "-----", size=13)
    _centred(word.add_paragraph(), doc.as_of, size=11, italic=True)
    for section in doc.sections:
        word.add_heading(section.heading, level=1)
        for text in section.paragraphs:
            paragraph = word.add_paragraph(text)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Mm(10)
        for table in section.tables:
            _table(word, table, doc.lang)
    _signature(word, doc)
    _footer(word, doc)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _page_setup(word: object) -> None:
    section = word.sections[0]  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)


def _styles(word: object) -> None:
    styles = word.styles  # type: ignore[attr-defined]
    for name, size in (("Normal", 13), ("Heading 1", 13), ("Heading 2", 12)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        if name.startswith("Heading"):
            style.font.bold = True
            style.font.color.rgb = None
            style.font.italic = name == "Heading 2"


def _centred(paragraph: Paragraph, text: str, *, size: float, bold: bool = False, italic: bool = False) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.font.size, run.bold, run.italic = Pt(size), bold, italic


def _header_block(word: object, doc: Document) -> None:
    """The two-column head of a party document: issuing committee left, the party's name, place and date right."""
    h = doc.header
    table = word.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    left, right = table.rows[0].cells
    first = left.paragraphs[0]
    if h.superior:
        _centred(first, h.superior, size=13)
        first = left.add_paragraph()
    _centred(first, h.issuer, size=13, bold=True)
    _centred(left.add_paragraph(), "*", size=13)
    _centred(left.add_paragraph(), h.number, size=12)
    party = right.paragraphs[0]
    _centred(party, h.party, size=13, bold=True)
    party.runs[0].underline = True
    _centred(right.add_paragraph(), h.place_date, size=13, italic=True)
    word.add_paragraph()  # type: ignore[attr-defined]


def _table(word: object, table: Table, lang: str) -> None:
    if table.title:
        word.add_heading(table.title, level=2)  # type: ignore[attr-defined]
    if not table.rows:
        word.add_paragraph(tx.word("a.none", lang)).runs[0].italic = True  # type: ignore[attr-defined]
        return
    grid: DocxTable = word.add_table(rows=1, cols=len(table.columns))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    _repeat_header(header)
    for cell, text in zip(header.cells, table.columns, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(10.5)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in table.rows:
        cells = grid.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(10.5)
            if i in table.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if table.note:
        note = word.add_paragraph()  # type: ignore[attr-defined]
        run = note.add_run(table.note)
        run.italic, run.font.size = True, Pt(10)


def _repeat_header(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _signature(word: object, doc: Document) -> None:
    word.add_paragraph()  # type: ignore[attr-defined]
    table = word.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    left, right = table.rows[0].cells
    to = left.paragraphs[0].add_run(doc.recipients)
    to.bold, to.italic, to.font.size = True, True, Pt(11)
    for line in doc.recipients_list.splitlines():
        left.add_paragraph().add_run(line).font.size = Pt(11)
    _centred(right.paragraphs[0], doc.signature, size=13, bold=True)


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = code
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, shown, end):
        run._r.append(element)


def _footer(word: object, doc: Document) -> None:
    paragraph = word.sections[0].footer.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, rest = doc.page.split("{page}", 1)
    middle, after = rest.split("{pages}", 1)
    paragraph.add_run(before)
    _field(paragraph, "PAGE")
    paragraph.add_run(middle)
    _field(paragraph, "NUMPAGES")
    paragraph.add_run(after)
