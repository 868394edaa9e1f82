"""The briefing's words in Vietnamese and English, and numbers and dates in the reader's format.

`data_access` never imports the interface's catalogue (`ui.i18n`), so the PDF and the DOCX carry their own words
here; labels of the same things use the same words as the pages. Vietnamese: `85,3 %`, `9.000`, `03/12/2026`,
`11/2026`; English: `85.3%`, `9,000`, `3 Dec 2026`, `Nov 2026`. A missing value (a rate over nothing) is "–".
"""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from data_access.filters import Month

LANGUAGES = ("vi", "en")
MISSING = "–"
NBSP = "\u00a0"

WORDS: dict[str, dict[str, str]] = {
    "party": {"vi": "ĐẢNG CỘNG SẢN VIỆT NAM", "en": "COMMUNIST PARTY OF VIETNAM"},
    "district_committee": {"vi": "HUYỆN ỦY {name}", "en": "{name} DISTRICT PARTY COMMITTEE"},
    "province_party": {"vi": "ĐẢNG BỘ TỈNH {name}", "en": "{name} PROVINCIAL PARTY ORGANISATION"},
    "district_party": {"vi": "ĐẢNG BỘ HUYỆN {name}", "en": "{name} DISTRICT PARTY ORGANISATION"},
    "commune_committee": {"vi": "ĐẢNG ỦY {name}", "en": "{name} PARTY COMMITTEE"},
    "standing_committee": {"vi": "BAN THƯỜNG VỤ", "en": "STANDING COMMITTEE"},
    "number": {"vi": "Số: ……-BC/{code}", "en": "No. ……-BC/{code}"},
    "place_date": {"vi": "{place}, ngày {d} tháng {m} năm {y}", "en": "{place}, {date}"},
    "report": {"vi": "BÁO CÁO", "en": "BRIEFING"},
    "title": {
        "vi": "Tình hình sinh hoạt chi bộ tháng {month}",
        "en": "Party-cell activity in {month}",
    },
    "subject.district": {"vi": "Toàn huyện {name}", "en": "The whole of {name} district"},
    "subject.district_unnamed": {"vi": "Toàn đảng bộ", "en": "All communes"},
    "subject.communes": {"vi": "Các xã, thị trấn: {name}", "en": "Communes: {name}"},
    "subject.commune": {"vi": "Đảng bộ {name}", "en": "{name} commune"},
    "subject.organisation": {"vi": "{name}", "en": "{name}"},
    "as_of": {
        "vi": "Số liệu tính đến ngày {date}, theo cùng định nghĩa với bảng điều khiển.",
        "en": "Figures as of {date}, by the same definitions as the dashboard.",
    },
    "page": {"vi": "Trang {page}/{pages}", "en": "Page {page}/{pages}"},
    "s.summary": {"vi": "I. TÓM TẮT", "en": "I. SUMMARY"},
    "s.headlines": {"vi": "II. CÁC CHỈ TIÊU CHÍNH", "en": "II. HEADLINE FIGURES"},
    "s.ranking.commune": {
        "vi": "III. XẾP HẠNG CÁC XÃ, THỊ TRẤN (THẤP NHẤT TRƯỚC)",
        "en": "III. COMMUNES RANKED (WORST FIRST)",
    },
    "s.ranking.cell": {"vi": "III. XẾP HẠNG CÁC CHI BỘ (THẤP NHẤT TRƯỚC)", "en": "III. CELLS RANKED (WORST FIRST)"},
    "s.trend": {"vi": "Diễn biến 12 tháng", "en": "The 12 months to {month}"},
    "s.actions": {"vi": "IV. NHỮNG VIỆC CẦN CHỈ ĐẠO", "en": "IV. WHAT NEEDS ACTION"},
    "s.topics": {
        "vi": "V. SINH HOẠT CHUYÊN ĐỀ VÀ KIỂM TRA, GIÁM SÁT",
        "en": "V. THEMATIC MEETINGS, INSPECTIONS AND SUPERVISIONS",
    },
    "a.missed": {
        "vi": "1. Chi bộ không sinh hoạt định kỳ trong {window} tháng gần nhất ({n})",
        "en": "1. Cells that missed their regular meeting in the last {window} due months ({n})",
    },
    "a.below": {
        "vi": "2. Chi bộ có tỷ lệ đảng viên tham gia dưới {target} trong tháng ({n})",
        "en": "2. Cells whose participation in the month was below {target} ({n})",
    },
    "a.overdue": {
        "vi": "3. Việc khắc phục sau kiểm tra, giám sát đã quá hạn ({n})",
        "en": "3. Follow-ups of inspections past their due date ({n})",
    },
    "a.thematic": {
        "vi": "4. Chi bộ chưa sinh hoạt chuyên đề trong {quarter} ({n})",
        "en": "4. Cells without a thematic meeting in {quarter} ({n})",
    },
    "a.not_reported": {
        "vi": "5. Xã, thị trấn chưa gửi số liệu sinh hoạt tháng {month} ({n})",
        "en": "5. Communes that have not sent their meeting data for {month} ({n})",
    },
    "a.not_reported_note": {
        "vi": "Hạn gửi: {deadline}. Các chỉ tiêu sinh hoạt đều đặn không tính các xã này trong tháng chưa gửi.",
        "en": "Deadline: {deadline}. Regularity leaves these communes' unreported months out.",
    },
    "status.missing": {"vi": "Quá hạn, chưa gửi", "en": "Missing (past the deadline)"},
    "status.not_due": {"vi": "Chưa đến hạn", "en": "Not yet due"},
    "col.status": {"vi": "Tình trạng", "en": "Status"},
    "col.cells_due": {"vi": "Số chi bộ", "en": "Cells"},
    "a.none": {"vi": "Không có.", "en": "None."},
    "t.topics_month": {"vi": "1. Chủ đề sinh hoạt chuyên đề trong tháng {month}", "en": "1. Topics in {month}"},
    "t.topics_quarter": {
        "vi": "2. Chủ đề trong {quarter} (đến hết tháng {month})",
        "en": "2. Topics in {quarter} (to the end of {month})",
    },
    "t.inspections": {
        "vi": "3. Các cuộc kiểm tra, giám sát kết luận trong tháng ({n})",
        "en": "3. Inspections and supervisions concluded in the month ({n})",
    },
    "chart.ranking": {
        "vi": "Tỷ lệ đảng viên tham gia sinh hoạt trong tháng, theo thứ tự của bảng; đường mục tiêu {target}",
        "en": "Participation in the month, in the table's order; target line at {target}",
    },
    "chart.target": {"vi": "Mục tiêu {target}", "en": "Target {target}"},
    "chart.trend": {
        "vi": "Sinh hoạt định kỳ và tỷ lệ đảng viên tham gia, 12 tháng đến tháng {month}",
        "en": "Regularity and participation, the 12 months to {month}",
    },
    "signature": {"vi": "T/M BAN THƯỜNG VỤ", "en": "FOR THE STANDING COMMITTEE"},
    "recipients": {"vi": "Nơi nhận:", "en": "To:"},
    "recipients.list": {
        "vi": "- Thường trực cấp ủy;\n- Các đồng chí ủy viên Ban Thường vụ;\n- Lưu văn phòng.",
        "en": "- The standing members;\n- Members of the standing committee;\n- Office file.",
    },
    # headline table
    "h.figure": {"vi": "Chỉ tiêu", "en": "Figure"},
    "h.month": {"vi": "Tháng {month}", "en": "{month}"},
    "h.change_month": {"vi": "So với tháng trước", "en": "Against the month before"},
    "h.change_year": {"vi": "So với cùng kỳ năm trước", "en": "Against a year before"},
    "h.quarter_note": {
        "vi": "Sinh hoạt chuyên đề tính theo quý đã kết thúc gần nhất ({quarter}), so với quý trước và cùng quý năm trước.",
        "en": "Thematic coverage is over the last ended quarter ({quarter}), against the quarter before and a year before.",
    },
    "kpi.organisations": {"vi": "Tổ chức cơ sở đảng", "en": "Base organisations"},
    "kpi.cells": {"vi": "Chi bộ", "en": "Party cells"},
    "kpi.members": {"vi": "Đảng viên", "en": "Party members"},
    "kpi.regularity_rate": {"vi": "Sinh hoạt đều đặn", "en": "Regularity"},
    "kpi.on_fixed_day_rate": {"vi": "Sinh hoạt đúng ngày", "en": "On the fixed day"},
    "kpi.participation_rate": {"vi": "Tỷ lệ đảng viên tham gia sinh hoạt", "en": "Participation rate"},
    "kpi.thematic_coverage": {"vi": "Sinh hoạt chuyên đề theo quý", "en": "Thematic coverage"},
    "kpi.superior_attendance_rate": {"vi": "Cấp ủy cấp trên dự sinh hoạt", "en": "Superior attendance"},
    "kpi.inspections": {"vi": "Cuộc kiểm tra, giám sát", "en": "Inspections"},
    "kpi.overdue_follow_ups": {"vi": "Khắc phục quá hạn", "en": "Overdue follow-ups"},
    # table columns
    "col.no": {"vi": "TT", "en": "No."},
    "col.commune": {"vi": "Xã, thị trấn", "en": "Commune"},
    "col.organisation": {"vi": "Tổ chức cơ sở đảng", "en": "Organisation"},
    "col.cell": {"vi": "Chi bộ", "en": "Cell"},
    "col.held": {"vi": "Chi bộ đã sinh hoạt", "en": "Cells that met"},
    "col.regularity_rate": {"vi": "Sinh hoạt đều đặn", "en": "Regularity"},
    "col.meetings": {"vi": "Số buổi", "en": "Meetings"},
    "col.participation_rate": {"vi": "Tỷ lệ tham gia", "en": "Participation"},
    "col.target": {"vi": "Đạt {target}", "en": "Meets {target}"},
    "col.months": {"vi": "Tháng không sinh hoạt", "en": "Months missed"},
    "col.outcome": {"vi": "Kết luận", "en": "Outcome"},
    "col.follow_up_due": {"vi": "Hạn khắc phục", "en": "Due"},
    "col.days_overdue": {"vi": "Số ngày quá hạn", "en": "Days overdue"},
    "col.last_thematic_meeting": {"vi": "Lần chuyên đề gần nhất", "en": "Latest thematic meeting"},
    "col.topic": {"vi": "Chủ đề", "en": "Topic"},
    "col.cells": {"vi": "Số chi bộ", "en": "Cells"},
    "col.body": {"vi": "Cơ quan", "en": "Body"},
    "col.kind": {"vi": "Hình thức", "en": "Kind"},
    "col.concluded_on": {"vi": "Ngày kết luận", "en": "Concluded"},
    "yes": {"vi": "Đạt", "en": "Yes"},
    "no": {"vi": "Chưa đạt", "en": "No"},
    "never": {"vi": "Chưa có", "en": "Never"},
    "outcome.commended": {"vi": "Biểu dương, khen thưởng", "en": "Commended"},
    "outcome.satisfactory": {"vi": "Đạt yêu cầu", "en": "Satisfactory"},
    "outcome.correction_required": {"vi": "Yêu cầu khắc phục", "en": "Correction required"},
    "outcome.disciplined": {"vi": "Xử lý kỷ luật", "en": "Disciplined"},
    "inspection_kind.inspection": {"vi": "Kiểm tra", "en": "Inspection"},
    "inspection_kind.supervision": {"vi": "Giám sát", "en": "Supervision"},
    "quarter": {"vi": "quý {q}/{year}", "en": "Q{q} {year}"},
    # the summary paragraph
    "sum.regularity": {
        "vi": "Trong tháng {month}, {held}/{due} chi bộ sinh hoạt định kỳ ({rate}){change}",
        "en": "In {month}, {held} of {due} cells held their regular meeting ({rate}){change}",
    },
    "sum.on_day": {"vi": "{rate} sinh hoạt đúng ngày quy định", "en": "{rate} on the fixed day"},
    "sum.participation": {
        "vi": "tỷ lệ đảng viên tham gia sinh hoạt đạt {rate}{change} ({target_word} mục tiêu {target})",
        "en": "participation reached {rate}{change} ({target_word} the {target} target)",
    },
    "sum.reached": {"vi": "đạt", "en": "meeting"},
    "sum.not_reached": {"vi": "chưa đạt", "en": "below"},
    "sum.superior": {
        "vi": "cấp ủy cấp trên dự {rate} số buổi sinh hoạt",
        "en": "a member of the higher committee attended {rate} of meetings",
    },
    "sum.thematic": {
        "vi": "{rate} chi bộ sinh hoạt chuyên đề trong {quarter}",
        "en": "{rate} of cells held a thematic meeting in {quarter}",
    },
    "sum.actions": {
        "vi": "Cần chỉ đạo: {missed} chi bộ không sinh hoạt định kỳ trong {window} tháng gần nhất, {below} chi bộ có tỷ lệ tham gia dưới {target}, {overdue} việc khắc phục sau kiểm tra đã quá hạn, {thematic} chi bộ chưa sinh hoạt chuyên đề trong {quarter}.",
        "en": "Needing action: cells that missed a regular meeting in the last {window} due months: {missed}; cells below {target} participation: {below}; overdue follow-ups of inspections: {overdue}; cells without a thematic meeting in {quarter}: {thematic}.",
    },
    "sum.inspections": {
        "vi": "Trong tháng có {n} cuộc kiểm tra, giám sát được kết luận.",
        "en": "Inspections and supervisions concluded in the month: {n}.",
    },
    "sum.up": {"vi": ", tăng {points} điểm so với tháng trước", "en": ", up {points} points on the month before"},
    "sum.down": {"vi": ", giảm {points} điểm so với tháng trước", "en": ", down {points} points on the month before"},
    "sum.same": {"vi": ", không đổi so với tháng trước", "en": ", unchanged from the month before"},
    "points": {"vi": "{value} điểm %", "en": "{value} pts"},
}


def word(key: str, lang: str, **params: object) -> str:
    """The text of `key` in `lang` with `params` filled in (a missing key is a KeyError: the tests run both)."""
    text = WORDS[key][lang]
    return text.format(**params) if params else text


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | int | None, lang: str) -> str:
    """`9000` → vi `9.000`, en `9,000`."""
    if _missing(value):
        return MISSING
    return format_decimal(round(float(value)), format="#,##0", locale=lang)  # type: ignore[arg-type]


def decimal(value: float, lang: str, *, decimals: int = 1) -> str:
    """`4.6` → vi `4,6`, en `4.6`."""
    return format_decimal(value, format="#,##0." + "0" * decimals, locale=lang)


def percent(value: float | None, lang: str, *, decimals: int = 1) -> str:
    """`0.853` → vi `85,3 %` (a non-breaking space), en `85.3%`."""
    if _missing(value):
        return MISSING
    digits = "." + "0" * decimals if decimals else ""
    pattern = f"#,##0{digits} %" if lang == "vi" else f"#,##0{digits}%"
    return format_percent(value, format=pattern, locale=lang).replace(" ", NBSP)  # type: ignore[arg-type]


def points(change: float | None, lang: str) -> str:
    """A change of a rate in percentage points, signed: vi `+2,1 điểm %`, en `-0.4 pts`; `0,0` has no sign."""
    if _missing(change):
        return MISSING
    value = round(abs(change) * 100, 1)  # type: ignore[arg-type]
    sign = "" if value == 0 else "+" if change >= 0 else "−"  # type: ignore[operator]
    return sign + word("points", lang, value=decimal(value, lang))


def signed(change: float | None, lang: str) -> str:
    """A change of a count: `+12`, `−3`, `0`."""
    if _missing(change):
        return MISSING
    count = round(abs(change))  # type: ignore[arg-type]
    sign = "" if count == 0 else "+" if change >= 0 else "−"  # type: ignore[operator]
    return sign + number(count, lang)


def date(value: dt.date | None, lang: str) -> str:
    """vi `03/12/2026`, en `3 Dec 2026`."""
    if value is None or value != value:
        return MISSING
    return format_date(value, format="dd/MM/y" if lang == "vi" else "d MMM y", locale=lang)


def month(value: Month | str, lang: str) -> str:
    """vi `11/2026`, en `Nov 2026`."""
    m = Month.parse(value) if isinstance(value, str) else value
    return format_date(m.first_day, format="MM/y" if lang == "vi" else "MMM y", locale=lang)


def quarter(label: str, lang: str) -> str:
    """`2026-Q3` → vi `quý 3/2026`, en `Q3 2026`."""
    year, q = label.split("-Q")
    return word("quarter", lang, q=q, year=year)


def months(labels: str, lang: str) -> str:
    """`2026-09, 2026-10` → vi `09/2026, 10/2026`."""
    return ", ".join(month(label.strip(), lang) for label in labels.split(",") if label.strip())
