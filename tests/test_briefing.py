"""The monthly briefing on the small district (tests/small_district.py), April 2025, judged as of 2025-04-30.

Worked by hand for April 2025 (the month is over: as of its last day):
- due cells: c1 (day 3), c2 (day 10), c4 (day 5); c3 was dissolved on 2025-03-20 -> 3 due cell-months.
  Held: only c4 (regular on 04-05, its fixed day); c2's 04-02 meeting is thematic -> regularity 1/3 = 33,3 %,
  on the fixed day 1/3 = 33,3 %.
- March (the month before, as of 2025-04-01): due c1, c2, c3, c4 = 4; held c1 (combined 03-05), c2 (03-10),
  c4 (03-05) = 3 -> 75 %; on the fixed day c2 and c4 -> 50 %. Regularity change: 33,3 - 75 = -41,7 points.
- participation April: c2 10/12 and c4 9/9 -> 19/21 = 90,5 %; March 25+12+18+9 = 64 of 28+12+20+9 = 69 -> 92,8 %
  (change -2,3 points). Superior attendance April 0/2 = 0,0 %, March 1/4 = 25,0 %.
- thematic coverage over the last ended quarter, 2025-Q1: due c1, c3, c4 (c2 founded 02-15) = 3, covered c1
  (combined 03-05) and c3 (thematic 03-03) -> 66,7 %. 2024-Q4 and 2024-Q1 lie before the first recorded meeting
  (2025-01-03): unknown, as the Overview treats months before the records. April 2024: rates unknown too.
- units active on 2025-04-30: 2 organisations, 3 cells (c1, c2, c4), 30 + 12 + 10 = 52 members.
- inspections dated in April: none (March: I3, started 03-01, not concluded -> change -1); overdue at 04-30:
  I1 (due 01/03/2025, 60 days) and I4 (due 01/02/2025, 88 days); at 04-01 also both -> change 0.
- missed a regular meeting in their last 3 due months: c1 (04/2025), c2 (04/2025), c3 (02/2025, 03/2025).
- below 85 % in April: c2 (10/12 = 83,3 %). Without a thematic meeting in 2025-Q1: c4 (never held one).
- topics in April (and in 2025-Q2 so far): "Xây dựng nông thôn mới", 1 meeting, 1 cell.
- communes ranked, worst first: Lộc Sơn (0/2 = 0,0 %, participation 83,3 %), then Đa Lộc (1/1, 100,0 %).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document as read_docx
from sqlalchemy.engine import Engine

from data_access import metrics
from data_access.briefing import briefing_bytes, build_briefing, file_name
from data_access.briefing.layout import document
from data_access.errors import UserError
from data_access.filters import EVERYTHING, Filters, Month, Scope
from tests.small_district import NTM, district

__all__ = ["district"]

APRIL = Month(2025, 4)
TODAY = dt.date(2025, 5, 10)
AS_OF = dt.date(2025, 4, 30)
LOC_SON_CELLS = ("Chi bộ thôn 1", "Chi bộ thôn 2", "Chi bộ thôn 3")
DA_LOC_CELL = "Chi bộ Trường THCS Đa Lộc"


def _april(**kw: object) -> Filters:
    return Filters(period_from=APRIL, period_to=APRIL, as_of=AS_OF, **kw)  # type: ignore[arg-type]


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The PDF's text in reading order (pdftotext from poppler-utils), white space collapsed."""
    path = tmp_path / "briefing.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.replace("\u00a0", " ").split())


def docx_text(data: bytes) -> str:
    word = read_docx(io.BytesIO(data))
    parts = [p.text for p in word.paragraphs]
    parts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).replace("\u00a0", " ").split())


def test_headlines_are_the_hand_worked_numbers(engine: Engine, district: dict[str, int]) -> None:
    b = build_briefing(engine, month=APRIL, today=TODAY, scope=EVERYTHING)
    h = b.headlines
    assert b.as_of == AS_OF
    assert (h["organisations"].value, h["cells"].value, h["members"].value) == (2, 3, 52)
    assert h["regularity_rate"].value == pytest.approx(1 / 3)
    assert h["regularity_rate"].previous_month == pytest.approx(3 / 4)
    assert h["regularity_rate"].change_month == pytest.approx(1 / 3 - 3 / 4)
    assert h["on_fixed_day_rate"].value == pytest.approx(1 / 3)
    assert h["on_fixed_day_rate"].previous_month == pytest.approx(2 / 4)
    assert h["participation_rate"].value == pytest.approx(19 / 21)
    assert h["participation_rate"].previous_month == pytest.approx(64 / 69)
    assert h["superior_attendance_rate"].value == pytest.approx(0.0)
    assert h["superior_attendance_rate"].previous_month == pytest.approx(1 / 4)
    assert b.thematic_quarter == "2025-Q1"
    assert h["thematic_coverage"].value == pytest.approx(2 / 3)
    assert (h["thematic_coverage"].previous_month, h["thematic_coverage"].last_year) == (None, None)
    assert (h["inspections"].value, h["inspections"].previous_month) == (0, 1)
    assert (h["overdue_follow_ups"].value, h["overdue_follow_ups"].previous_month) == (2, 2)
    # a year before, the records had not begun: the meeting rates are unknown, the counts are counts
    assert all(h[k].last_year is None for k in metrics.MEETING_KPIS)
    assert h["cells"].last_year == 3  # c1, c3, c4 were active on 2024-04-30 (c2 was founded 2025-02-15)


def test_lists_are_the_hand_worked_cells(engine: Engine, district: dict[str, int]) -> None:
    b = build_briefing(engine, month=APRIL, today=TODAY, scope=EVERYTHING)
    assert list(zip(b.missed["cell"], b.missed["months"], strict=True)) == [
        ("Chi bộ thôn 1", "2025-04"),
        ("Chi bộ thôn 2", "2025-04"),
        ("Chi bộ thôn 3", "2025-02, 2025-03"),
    ]
    assert b.below_target["cell"].tolist() == ["Chi bộ thôn 2"]
    assert b.below_target["participation_rate"].tolist() == pytest.approx([10 / 12])
    assert b.overdue["follow_up_due"].tolist() == [dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
    assert b.overdue["days_overdue"].tolist() == [88, 60]
    assert b.without_thematic["cell"].tolist() == [DA_LOC_CELL]
    assert b.without_thematic["quarter"].tolist() == ["2025-Q1"]
    assert b.topics_month[["topic", "meetings", "cells"]].values.tolist() == [[NTM, 1, 1]]
    assert b.topics_quarter[["topic", "meetings", "cells"]].values.tolist() == [[NTM, 1, 1]]
    assert b.quarter == "2025-Q2"
    assert b.inspections.empty
    assert b.ranked_by == "commune"
    assert b.ranking["commune"].tolist() == ["Lộc Sơn", "Đa Lộc"]
    assert b.ranking[["held_cell_months", "due_cell_months"]].values.tolist() == [[0, 2], [1, 1]]
    assert b.ranking["participation_rate"].tolist() == pytest.approx([10 / 12, 1.0])
    assert b.ranking["below_target"].tolist() == [True, False]


def test_briefing_equals_the_metric_functions(engine: Engine, district: dict[str, int]) -> None:
    b = build_briefing(engine, month=APRIL, today=TODAY, scope=EVERYTHING)
    overview = metrics.overview(engine, filters=_april(), scope=EVERYTHING)
    for kpi, kpi_value in overview.items():
        if kpi != "thematic_coverage":  # the briefing's is the last ended quarter's (a month holds none)
            assert b.headlines[kpi].value == kpi_value.value
            assert b.headlines[kpi].previous_month == kpi_value.previous
    quarter = Filters(period_from=Month(2025, 1), period_to=Month(2025, 3), as_of=dt.date(2025, 4, 1))
    thematic = metrics.thematic(engine, filters=quarter, scope=EVERYTHING, by="total")
    assert b.headlines["thematic_coverage"].value == thematic["thematic_coverage"].iloc[0]
    pd_equal = [
        (b.missed, metrics.missed_meetings(engine, filters=_april(), scope=EVERYTHING, window=3)),
        (
            b.below_target,
            metrics.below_target(engine, filters=_april(), scope=EVERYTHING)[list(b.below_target.columns)],
        ),
        (b.overdue, metrics.overdue_follow_ups(engine, filters=_april(), scope=EVERYTHING)[list(b.overdue.columns)]),
    ]
    for ours, theirs in pd_equal:
        assert ours.values.tolist() == theirs.values.tolist()
    regularity = metrics.regularity(engine, filters=_april(), scope=EVERYTHING, by="commune")
    ranked = b.ranking.set_index("commune")
    for row in regularity.itertuples(index=False):
        assert ranked.loc[row.commune, "regularity_rate"] == row.regularity_rate


def test_a_commune_briefing_ranks_its_cells(engine: Engine, district: dict[str, int]) -> None:
    b = build_briefing(engine, month=APRIL, communes=(district["loc_son"],), today=TODAY, scope=EVERYTHING)
    assert b.place.level == "commune" and b.place.name == "Lộc Sơn"
    assert b.ranked_by == "cell"
    # April: c1 due, not held (no meeting: participation unknown, worst); c2 due, not held (83,3 %)
    assert b.ranking["cell"].tolist() == ["Chi bộ thôn 1", "Chi bộ thôn 2"]
    assert b.headlines["regularity_rate"].value == 0.0
    assert b.headlines["participation_rate"].value == pytest.approx(10 / 12)
    assert b.headlines["members"].value == 42


def test_the_pdf_holds_the_numbers_in_vietnamese_format_and_every_listed_cell(
    engine: Engine, district: dict[str, int], tmp_path: Path
) -> None:
    b = build_briefing(engine, month=APRIL, today=TODAY, scope=EVERYTHING)
    data = briefing_bytes(b, file_format="pdf", lang="vi", issued_on=dt.date(2026, 12, 3))
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ngày 03 tháng 12 năm 2026",
        "BÁO CÁO",
        "tháng 04/2025",
        "Số liệu tính đến ngày 30/04/2025",
        "Trong tháng 04/2025, 1/3 chi bộ sinh hoạt định kỳ (33,3 %), giảm 41,7 điểm so với tháng trước",
        "tỷ lệ đảng viên tham gia sinh hoạt đạt 90,5 %, giảm 2,3 điểm so với tháng trước (đạt mục tiêu 85 %)",
        "Sinh hoạt đều đặn 33,3 % −41,7 điểm % –",
        "Tỷ lệ đảng viên tham gia sinh hoạt 90,5 % −2,3 điểm % –",
        "Sinh hoạt chuyên đề theo quý 66,7 % – –",
        "Đảng viên 52",
        "Khắc phục quá hạn 2 0 +2",
        "01/02/2025",
        "01/03/2025",
        "83,3 %",
        "quý 1/2025",
        NTM,
        "Trang 1/",
    ):
        assert expected in text, expected
    for cell in (*LOC_SON_CELLS, DA_LOC_CELL):
        assert cell in text, cell
    pages = int(re.findall(r"Trang 1/(\d+)", text)[0])
    assert f"Trang {pages}/{pages}" in text


def test_the_docx_holds_the_same_tables(engine: Engine, district: dict[str, int]) -> None:
    b = build_briefing(engine, month=APRIL, today=TODAY, scope=EVERYTHING)
    data = briefing_bytes(b, file_format="docx", lang="vi", issued_on=dt.date(2026, 12, 3))
    word = read_docx(io.BytesIO(data))
    layout_tables = [t for s in document(b, lang="vi", issued_on=TODAY).sections for t in s.tables if t.rows]
    # the first table is the header block, the last the signature: between them, the briefing's tables
    data_tables = word.tables[1:-1]
    assert len(data_tables) == len(layout_tables)
    for ours, theirs in zip(layout_tables, data_tables, strict=True):
        assert [cell.text for cell in theirs.rows[0].cells] == ours.columns
        assert [[cell.text for cell in row.cells] for row in theirs.rows[1:]] == ours.rows
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "IV. NHỮNG VIỆC CẦN CHỈ ĐẠO" in headings
    text = docx_text(data)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "33,3 %" in text and "90,5 %" in text
    footer = word.sections[0].footer.paragraphs[0]._p.xml
    assert "NUMPAGES" in footer and "Trang" in footer


def test_a_commune_account_sees_no_other_commune(engine: Engine, district: dict[str, int], tmp_path: Path) -> None:
    b = build_briefing(engine, month=APRIL, scope=Scope.only(district["da_loc"]), today=TODAY)
    assert b.place.level == "commune" and b.place.name == "Đa Lộc"
    pdf = pdf_text(briefing_bytes(b, file_format="pdf", lang="vi", issued_on=TODAY), tmp_path)
    docx = docx_text(briefing_bytes(b, file_format="docx", lang="vi", issued_on=TODAY))
    for text in (pdf, docx):
        assert DA_LOC_CELL in text
        assert "Lộc Sơn" not in text
        assert not any(cell in text for cell in LOC_SON_CELLS)
    with pytest.raises(UserError, match="outside"):
        build_briefing(
            engine, month=APRIL, scope=Scope.only(district["da_loc"]), communes=(district["loc_son"],), today=TODAY
        )


def test_english_uses_english_numbers(engine: Engine, district: dict[str, int], tmp_path: Path) -> None:
    b = build_briefing(engine, month=APRIL, today=TODAY, scope=EVERYTHING)
    text = pdf_text(briefing_bytes(b, file_format="pdf", lang="en", issued_on=TODAY), tmp_path)
    assert "COMMUNIST PARTY OF VIETNAM" in text
    assert "In Apr 2025, 1 of 3 cells held their regular meeting (33.3%), down 41.7 points" in text
    assert "Page 1/" in text
    assert file_name(b, file_format="pdf", lang="en") == "briefing-2025-04-district.pdf"


@pytest.mark.parametrize(
    ("month", "message"),
    [(Month(2025, 6), "in the future"), (Month(2024, 6), "no meeting is recorded in 2024-06")],
)
def test_a_month_in_the_future_or_without_data_is_refused(
    engine: Engine, district: dict[str, int], month: Month, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        build_briefing(engine, month=month, today=TODAY, scope=EVERYTHING)


def test_the_pdf_needs_no_network(engine: Engine, district: dict[str, int]) -> None:
    """The HTML the PDF is drawn from links nothing (no web font, stylesheet, script or image URL), and the engine
    is given a fetcher that refuses any URL."""
    from data_access.briefing import pdf

    b = build_briefing(engine, month=APRIL, today=TODAY, scope=EVERYTHING)
    html = pdf.html(document(b, lang="vi", issued_on=TODAY), b)
    assert re.findall(r"https?://[^\"' ]+", html) == ["http://www.w3.org/2000/svg"] * 2  # the two charts' namespace
    assert not re.search(r"<link|<script|@import|@font-face|url\(|<img", html)
    with pytest.raises(ValueError, match="fetches nothing"):
        pdf._refuse("https://fonts.example/serif.woff2")
