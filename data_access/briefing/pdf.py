"""The briefing as an A4 PDF in the layout of a party document, through HTML and WeasyPrint.

Why WeasyPrint: the document is text and tables first, which HTML and CSS paged media lay out well (table headers
repeated on each page, "Trang x/y" from `counter(page)`/`counter(pages)`, rows never split), and the charts are
inline SVG: vector, drawn offline, with the same font. It renders the demo district's 7-page briefing in about
1–2 s with no browser; plotly's static export would start Chromium through kaleido (several seconds a figure
without a long-lived server). The font is Liberation Serif (Debian's fonts-liberation2: Times metrics and every
Vietnamese glyph), found through fontconfig; nothing is fetched from the network (`url_fetcher` refuses).
"""

from __future__ import annotations

from html import escape

from data_access.briefing import charts
from data_access.briefing import texts as tx
from data_access.briefing.content import Briefing
from data_access.briefing.layout import Document, Table

CSS = """
@page {
  size: A4;
  margin: 20mm 15mm 20mm 30mm;
  @bottom-center { content: var(--page); font: 11pt "Liberation Serif", serif; }
}
html { font-family: "Liberation Serif", "Times New Roman", serif; font-size: 13pt; line-height: 1.3; color: #000; }
body { margin: 0; }
.header { width: 100%; border-collapse: collapse; margin-bottom: 8mm; }
.header td { vertical-align: top; text-align: center; border: none; padding: 0; font-size: 13pt; }
.header .left { width: 45%; }
.header .superior { font-weight: normal; }
.header .issuer, .header .party { font-weight: bold; }
.header .star { margin: 0; }
.header .party-rule { border-bottom: 1px solid #000; display: inline-block; padding-bottom: 1px; }
.header .date { font-style: italic; margin-top: 4mm; }
.header .number { margin-top: 1mm; font-size: 12pt; }
h1 { text-align: center; font-size: 15pt; margin: 2mm 0 0 0; }
.title { text-align: center; font-weight: bold; font-size: 13pt; margin: 0; }
.subject { text-align: center; font-weight: bold; font-size: 13pt; margin: 0 0 1mm 0; }
.rule { text-align: center; margin: 0 0 2mm 0; }
.as-of { text-align: center; font-style: italic; font-size: 11pt; margin: 0 0 5mm 0; }
h2 { font-size: 13pt; margin: 5mm 0 2mm 0; break-after: avoid; }
h3 { font-size: 12pt; margin: 4mm 0 1.5mm 0; font-weight: bold; font-style: italic; break-after: avoid; }
p { text-align: justify; text-indent: 10mm; margin: 0 0 2mm 0; }
table.data { width: 100%; border-collapse: collapse; font-size: 10.5pt; margin-bottom: 2mm; }
table.data th, table.data td { border: 0.6pt solid #000; padding: 1mm 1.5mm; vertical-align: top; }
table.data th { font-weight: bold; text-align: center; background: #f0f0f0; }
table.data td.n { text-align: right; white-space: nowrap; }
table.data tr { break-inside: avoid; }
table.data thead { display: table-header-group; }
.note { font-size: 10pt; font-style: italic; margin: 0 0 3mm 0; text-indent: 0; }
.none { font-style: italic; text-indent: 0; }
figure { margin: 2mm 0 3mm 0; break-inside: avoid; text-align: center; }
figcaption { font-size: 10pt; font-style: italic; margin-top: 1mm; }
figure svg { width: 100%; height: auto; }
.signature { width: 100%; margin-top: 10mm; border-collapse: collapse; break-inside: avoid; }
.signature td { border: none; vertical-align: top; padding: 0; font-size: 11pt; }
.signature .to { width: 50%; }
.signature .to b { font-style: italic; }
.signature .sign { text-align: center; font-weight: bold; font-size: 13pt; }
"""


def _refuse(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"the briefing fetches nothing: {url}")


def html(doc: Document, briefing: Briefing) -> str:
    """The briefing's HTML: the `Document` with the two SVG charts in place."""
    h = doc.header
    page = escape(doc.page).replace("{page}", '" counter(page) "').replace("{pages}", '" counter(pages) "')
    parts = [
        f'<!DOCTYPE html><html lang="{doc.lang}"><head><meta charset="utf-8"><style>',
        CSS.replace("var(--page)", f'"{page}"'),
        "</style></head><body>",
        '<table class="header"><tr><td class="left">',
        f'<div class="superior">{escape(h.superior)}</div>' if h.superior else "",
        f'<div class="issuer">{escape(h.issuer)}</div><div class="star">*</div>',
        f'<div class="number">{escape(h.number)}</div>',
        '</td><td class="right">',
        f'<div class="party"><span class="party-rule">{escape(h.party)}</span></div>',
        f'<div class="date">{escape(h.place_date)}</div>',
        "</td></tr></table>",
        f"<h1>{escape(doc.kind)}</h1>",
        f'<div class="title">{escape(doc.title)}</div>',
        f'<div class="subject">{escape(doc.subject)}</div>',
        '<div class="rule">-----</div>',
        f'<div class="as-of">{escape(doc.as_of)}</div>',
    ]
    for section in doc.sections:
        parts.append(f"<h2>{escape(section.heading)}</h2>")
        parts.extend(f"<p>{escape(text)}</p>" for text in section.paragraphs)
        for table in section.tables:
            parts.append(_table(table, doc))
        if section.chart == "trend":
            parts.append(_figure(charts.trend_svg(briefing, doc.lang), doc, "chart.trend", briefing))
        elif section.chart == "ranking" and len(briefing.ranking):
            parts.append(_figure(charts.ranking_svg(briefing, doc.lang), doc, "chart.ranking", briefing))
    recipients = "<br>".join(escape(line) for line in doc.recipients_list.splitlines())
    parts += [
        '<table class="signature"><tr>',
        f'<td class="to"><b>{escape(doc.recipients)}</b><br>{recipients}</td>',
        f'<td class="sign">{escape(doc.signature)}</td>',
        "</tr></table></body></html>",
    ]
    return "".join(parts)


def _figure(svg: str, doc: Document, caption_key: str, briefing: Briefing) -> str:
    caption = tx.word(
        caption_key,
        doc.lang,
        month=tx.month(briefing.month, doc.lang),
        target=tx.percent(briefing.target, doc.lang, decimals=0),
    )
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def _table(table: Table, doc: Document) -> str:
    out = [f"<h3>{escape(table.title)}</h3>"] if table.title else []
    if not table.rows:
        out.append(f'<p class="none">{escape(tx.word("a.none", doc.lang))}</p>')
        return "".join(out)
    out.append('<table class="data"><thead><tr>')
    out.extend(f"<th>{escape(c)}</th>" for c in table.columns)
    out.append("</tr></thead><tbody>")
    for row in table.rows:
        out.append("<tr>")
        out.extend(
            f'<td class="n">{escape(v)}</td>' if i in table.numeric else f"<td>{escape(v)}</td>"
            for i, v in enumerate(row)
        )
        out.append("</tr>")
    out.append("</tbody></table>")
    if table.note:
        out.append(f'<p class="note">{escape(table.note)}</p>')
    return "".join(out)


def pdf_bytes(doc: Document, briefing: Briefing) -> bytes:
    """The PDF of the briefing (A4)."""
    from weasyprint import HTML  # imported here: it loads pango, which the rest of data_access never needs

    return HTML(string=html(doc, briefing), url_fetcher=_refuse).write_pdf()
