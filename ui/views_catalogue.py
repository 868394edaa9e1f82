"""The words of the Thematic topics, Inspections, Classification and Organisations views, in Vietnamese and English.

Same form as `ui.i18n.CATALOGUE` (`{key: {"vi": …, "en": …}}`). Importing this module registers the entries with
the shared catalogue (existing keys are never overwritten), and tells the shared table formatter which of these
views' columns hold stored codes and which KPIs are rates; each of these pages imports it first. Once the lead
merges `VIEWS_CATALOGUE` into `ui.i18n.CATALOGUE` (and the two small registries into `ui.components`), the import
becomes a no-op.
"""

from __future__ import annotations

from ui import components
from ui.i18n import CATALOGUE

VIEWS_CATALOGUE: dict[str, dict[str, str]] = {
    # ----- words shared by these views
    "views.quarter": {"vi": "Quý {q}/{year}", "en": "Q{q} {year}"},
    "views.no_rows": {"vi": "Không có dòng nào.", "en": "No rows."},
    "views.shown_of": {
        "vi": "Đang hiển thị {shown} trên {total} dòng. Chọn xã hoặc tổ chức để thu hẹp.",
        "en": "Showing {shown} of {total} rows. Choose a commune or organisation to narrow the list.",
    },
    "views.click_hint": {
        "vi": "Bấm vào một thanh để thu hẹp theo xã, thị trấn đó.",
        "en": "Click a bar to narrow the view to that commune.",
    },
    # ----- KPI cards of these views
    "kpi.thematic_meetings": {"vi": "Buổi sinh hoạt chuyên đề", "en": "Thematic meetings"},
    "def.thematic_meetings": {
        "vi": "Số buổi sinh hoạt chuyên đề (hoặc thường kỳ kết hợp chuyên đề) trong kỳ.",
        "en": "Thematic or combined meetings held in the period.",
    },
    "kpi.topics_used": {"vi": "Chủ đề đã sinh hoạt", "en": "Topics covered"},
    "def.topics_used": {
        "vi": "Số chủ đề khác nhau của các buổi sinh hoạt chuyên đề trong kỳ.",
        "en": "Distinct topics of the thematic meetings held in the period.",
    },
    "kpi.cells_without_thematic": {"vi": "Chi bộ chưa sinh hoạt chuyên đề", "en": "Cells without a thematic meeting"},
    "def.cells_without_thematic": {
        "vi": "Số chi bộ phải sinh hoạt chuyên đề trong quý gần nhất đã kết thúc của kỳ nhưng không có buổi "
        "sinh hoạt chuyên đề (hoặc kết hợp) nào trong quý đó.",
        "en": "Cells due in the period's last ended quarter that held no thematic or combined meeting in it.",
    },
    "kpi.commended": {"vi": "Biểu dương, khen thưởng", "en": "Commended"},
    "def.commended": {
        "vi": "Số cuộc kiểm tra, giám sát trong kỳ có kết luận biểu dương, khen thưởng.",
        "en": "Inspections in the period whose outcome was a commendation.",
    },
    "kpi.corrected": {"vi": "Yêu cầu khắc phục, kỷ luật", "en": "Corrected"},
    "def.corrected": {
        "vi": "Số cuộc kiểm tra, giám sát trong kỳ có kết luận yêu cầu khắc phục hoặc thi hành kỷ luật.",
        "en": "Inspections in the period whose outcome required correction or discipline.",
    },
    "kpi.open_follow_ups": {"vi": "Đang khắc phục, chưa đến hạn", "en": "Open follow-ups"},
    "def.open_follow_ups": {
        "vi": "Cuộc kiểm tra có kết luận yêu cầu khắc phục hoặc thi hành kỷ luật, chưa khắc phục xong "
        "và chưa đến hạn khắc phục (hoặc không ghi hạn).",
        "en": "Inspections whose outcome requires correction or discipline, unresolved, not yet past the "
        "follow-up due date (or without one).",
    },
    "kpi.rated": {"vi": "Tổ chức được xếp loại", "en": "Organisations rated"},
    "def.rated": {
        "vi": "Số tổ chức cơ sở đảng được xếp loại chất lượng, năm gần nhất của kỳ (so với năm trước đó).",
        "en": "Base organisations classified for the period's latest year (against the year before).",
    },
    "kpi.good_or_above_share": {"vi": "Hoàn thành tốt nhiệm vụ trở lên", "en": "Good or above"},
    "def.good_or_above_share": {
        "vi": "Số tổ chức xếp loại hoàn thành tốt hoặc xuất sắc nhiệm vụ ÷ số được xếp loại, năm gần nhất của kỳ "
        "(so với năm trước đó).",
        "en": "Organisations classified good or excellent ÷ organisations rated, the period's latest year "
        "(against the year before).",
    },
    "kpi.excellent": {"vi": "Hoàn thành xuất sắc nhiệm vụ", "en": "Excellent"},
    "def.excellent": {
        "vi": "Số tổ chức cơ sở đảng xếp loại hoàn thành xuất sắc nhiệm vụ, năm gần nhất của kỳ (so với năm trước đó).",
        "en": "Base organisations classified excellent for the period's latest year (against the year before).",
    },
    # ----- definitions of these views' charts and tables
    "def.topics": {
        "vi": "Số buổi sinh hoạt chuyên đề (hoặc kết hợp) có ghi chủ đề, trong kỳ; số chi bộ là số chi bộ khác nhau "
        "đã sinh hoạt chủ đề đó.",
        "en": "Thematic or combined meetings with a topic, held in the period; cells = distinct cells holding them.",
    },
    "def.inspection_outcomes": {
        "vi": "Số cuộc kiểm tra, giám sát theo kết quả, tính theo ngày kết luận (chưa kết luận thì theo ngày bắt đầu).",
        "en": "Inspections and supervisions by outcome, dated by their conclusion (start date when not concluded).",
    },
    "def.commended_vs_corrected": {
        "vi": "Biểu dương, khen thưởng so với yêu cầu khắc phục hoặc thi hành kỷ luật, theo quý kết luận.",
        "en": "Commended against correction required or disciplined, by quarter of conclusion.",
    },
    "def.organisation_levels": {
        "vi": "Mức xếp loại chất lượng hằng năm của từng tổ chức cơ sở đảng.",
        "en": "Each base organisation's annual classification.",
    },
    "def.excellent_runs": {
        "vi": "Tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ từ {n} năm liền trở lên, tính đến năm cuối của kỳ.",
        "en": "Base organisations classified excellent {n} or more years in a row, up to the period's last year.",
    },
    "def.unit_tables": {
        "vi": "Các tỷ lệ tính như trang Tổng quan, chỉ cho đơn vị đang xem và trong kỳ đã chọn.",
        "en": "Rates as on the Overview, for the unit shown and the chosen period only.",
    },
    "def.meeting_list": {
        "vi": "Các buổi sinh hoạt của chi bộ trong kỳ, mới nhất trước; tỷ lệ tham gia của buổi = có mặt ÷ "
        "(đảng viên − miễn sinh hoạt).",
        "en": "The cell's meetings in the period, newest first; a meeting's rate = present ÷ (members − exempt).",
    },
    "def.inspection_list": {
        "vi": "Các cuộc kiểm tra, giám sát trong kỳ (theo ngày kết luận, chưa kết luận thì theo ngày bắt đầu) "
        "và tình trạng khắc phục tại ngày số liệu.",
        "en": "Inspections in the period (by conclusion, else start date) and their follow-up status at the as-of "
        "date.",
    },
    # ----- table headers of these views
    "col.last_thematic_meeting": {"vi": "Lần sinh hoạt chuyên đề gần nhất", "en": "Latest thematic meeting"},
    "col.topic_en": {"vi": "Chủ đề (tiếng Anh)", "en": "Topic"},
    "col.category": {"vi": "Nhóm chủ đề", "en": "Category"},
    "col.inspection_kind": {"vi": "Hình thức", "en": "Kind"},
    "col.reward_level": {"vi": "Hình thức khen thưởng", "en": "Reward"},
    "col.discipline_level": {"vi": "Hình thức kỷ luật", "en": "Discipline"},
    "col.follow_up_status": {"vi": "Tình trạng khắc phục", "en": "Follow-up"},
    "col.days_left": {"vi": "Số ngày còn lại", "en": "Days left"},
    "col.corrected": {"vi": "Khắc phục, kỷ luật", "en": "Corrected"},
    "col.level": {"vi": "Xếp loại", "en": "Level"},
    "col.years": {"vi": "Số năm liền", "en": "Years in a row"},
    "col.first_year": {"vi": "Từ năm", "en": "From"},
    "col.last_year": {"vi": "Đến năm", "en": "To"},
    "col.sector": {"vi": "Lĩnh vực", "en": "Sector"},
    "col.cell_kind": {"vi": "Loại chi bộ", "en": "Cell kind"},
    "col.members": {"vi": "Đảng viên", "en": "Members"},
    "col.members_total": {"vi": "Tổng số đảng viên", "en": "Members"},
    "col.members_exempt": {"vi": "Miễn sinh hoạt", "en": "Exempt"},
    "col.duration_min": {"vi": "Thời lượng (phút)", "en": "Duration (min)"},
    "col.superior_attended": {"vi": "Cấp ủy cấp trên dự", "en": "Higher committee attended"},
    "col.quality": {"vi": "Chất lượng buổi sinh hoạt", "en": "Meeting quality"},
    "col.active_from": {"vi": "Hoạt động từ", "en": "Active from"},
    "col.active_to": {"vi": "Giải thể, sáp nhập", "en": "Closed on"},
    "col.organisations": {"vi": "Tổ chức cơ sở đảng", "en": "Organisations"},
    "col.level_of": {"vi": "Cấp", "en": "Level"},
    "col.name": {"vi": "Tên", "en": "Name"},
    "col.share": {"vi": "Tỷ lệ", "en": "Share"},
    # ----- stored codes of these views
    "follow_up_status.overdue": {"vi": "Quá hạn", "en": "Overdue"},
    "follow_up_status.open": {"vi": "Đang khắc phục", "en": "Open"},
    "follow_up_status.resolved": {"vi": "Đã khắc phục", "en": "Resolved"},
    "follow_up_status.none": {"vi": "Không phải khắc phục", "en": "None needed"},
    "unit_level.commune": {"vi": "Xã, thị trấn", "en": "Commune"},
    "unit_level.organisation": {"vi": "Tổ chức cơ sở đảng", "en": "Base organisation"},
    "unit_level.cell": {"vi": "Chi bộ", "en": "Party cell"},
    # ----- Thematic topics page
    "topics.title": {"vi": "Sinh hoạt chuyên đề", "en": "Thematic meetings and topics"},
    "topics.counts_title": {"vi": "Số buổi theo chủ đề", "en": "Meetings per topic"},
    "topics.quarters_title": {"vi": "Chủ đề theo quý", "en": "Topics by quarter"},
    "topics.heatmap_title": {"vi": "Chủ đề × xã, thị trấn", "en": "Topic × commune"},
    "topics.coverage_trend_title": {"vi": "Tỷ lệ sinh hoạt chuyên đề theo quý", "en": "Thematic coverage by quarter"},
    "topics.coverage_communes_title": {
        "vi": "Tỷ lệ sinh hoạt chuyên đề của các xã",
        "en": "Thematic coverage per commune",
    },
    "topics.missing_title": {
        "vi": "Chi bộ chưa sinh hoạt chuyên đề trong {quarter}",
        "en": "Cells with no thematic meeting in {quarter}",
    },
    "topics.no_due_quarter": {
        "vi": "Kỳ đã chọn chưa có quý nào trọn vẹn đã kết thúc, nên chưa tính được tỷ lệ sinh hoạt chuyên đề.",
        "en": "The chosen period holds no whole quarter that has ended yet, so thematic coverage is not computed.",
    },
    "topics.axis_meetings": {"vi": "Số buổi", "en": "Meetings"},
    # ----- Inspections page
    "inspections.title": {"vi": "Kiểm tra, giám sát", "en": "Inspections and supervision"},
    "inspections.time_title": {"vi": "Kết quả kiểm tra, giám sát theo quý", "en": "Outcomes by quarter"},
    "inspections.balance_title": {
        "vi": "Biểu dương so với yêu cầu khắc phục, kỷ luật",
        "en": "Commended against corrected",
    },
    "inspections.communes_title": {"vi": "Kết quả theo xã, thị trấn", "en": "Outcomes per commune"},
    "inspections.bodies_title": {"vi": "Theo chủ thể kiểm tra, giám sát", "en": "By inspecting body"},
    "inspections.kinds_title": {"vi": "Kiểm tra và giám sát", "en": "Inspection and supervision"},
    "inspections.overdue_title": {"vi": "Khắc phục quá hạn", "en": "Overdue follow-ups"},
    "inspections.open_title": {"vi": "Đang khắc phục, chưa đến hạn", "en": "Open follow-ups, not yet due"},
    "inspections.axis_count": {"vi": "Số cuộc", "en": "Inspections"},
    # ----- Classification page
    "classification.title": {"vi": "Xếp loại chất lượng tổ chức đảng", "en": "Classification of organisations"},
    "classification.mix_title": {"vi": "Cơ cấu xếp loại theo năm", "en": "Mix of levels by year"},
    "classification.trend_title": {
        "vi": "Tỷ lệ hoàn thành tốt nhiệm vụ trở lên",
        "en": "Share good or above",
    },
    "classification.communes_title": {
        "vi": "Cơ cấu xếp loại của các xã, năm {year}",
        "en": "Mix of levels per commune, {year}",
    },
    "classification.year": {"vi": "Năm xếp loại", "en": "Year"},
    "classification.grid_title": {"vi": "Xếp loại từng tổ chức cơ sở đảng", "en": "Each base organisation"},
    "classification.runs_title": {
        "vi": "Hoàn thành xuất sắc nhiệm vụ nhiều năm liền",
        "en": "Excellent several years in a row",
    },
    "classification.no_runs": {
        "vi": "Chưa có tổ chức nào hoàn thành xuất sắc nhiệm vụ {n} năm liền trong phạm vi đã chọn.",
        "en": "No organisation in the chosen scope was excellent {n} years in a row.",
    },
    # ----- Organisations page
    "organisations.title": {"vi": "Tổ chức đảng", "en": "Party organisations"},
    "organisations.search": {"vi": "Tìm theo tên (không cần dấu)", "en": "Search by name (accents optional)"},
    "organisations.search_placeholder": {"vi": "Ví dụ: loc son, thon 1", "en": "e.g. loc son, thon 1"},
    "organisations.search_results": {"vi": "Kết quả tìm kiếm ({n})", "en": "Search results ({n})"},
    "organisations.no_match": {"vi": "Không có tên nào khớp với “{query}”.", "en": "No name matches “{query}”."},
    "organisations.commune": {"vi": "Xã, thị trấn", "en": "Commune"},
    "organisations.organisation": {"vi": "Tổ chức cơ sở đảng", "en": "Base organisation"},
    "organisations.cell": {"vi": "Chi bộ", "en": "Party cell"},
    "organisations.choose": {"vi": "Chọn để xem chi tiết", "en": "Choose to see the detail"},
    "organisations.communes_title": {"vi": "Các xã, thị trấn", "en": "Communes"},
    "organisations.communes_chart": {
        "vi": "Sinh hoạt đều đặn của các xã (bấm để xem chi tiết)",
        "en": "Regularity per commune (click to open)",
    },
    "organisations.organisations_title": {"vi": "Tổ chức cơ sở đảng của {name}", "en": "Base organisations of {name}"},
    "organisations.organisations_chart": {
        "vi": "Sinh hoạt đều đặn của các tổ chức (bấm để xem chi tiết)",
        "en": "Regularity per organisation (click to open)",
    },
    "organisations.cells_title": {"vi": "Các chi bộ của {name}", "en": "Cells of {name}"},
    "organisations.kpis_of": {"vi": "Chỉ tiêu của {name}", "en": "Figures for {name}"},
    "organisations.meetings_title": {"vi": "Các buổi sinh hoạt của {name}", "en": "Meetings of {name}"},
    "organisations.inspections_title": {"vi": "Kiểm tra, giám sát {name}", "en": "Inspections of {name}"},
    "organisations.closed": {"vi": "Đã giải thể, sáp nhập từ {date}", "en": "Closed on {date}"},
    "organisations.details": {
        "vi": "{kind} · sinh hoạt ngày {day} hằng tháng · {members} đảng viên",
        "en": "{kind} · meets on day {day} of each month · {members} members",
    },
    "organisations.back": {"vi": "Bỏ chọn", "en": "Clear the choice"},
}


def register() -> None:
    """Add these views' words and column kinds to the shared catalogue and formatter (existing entries win)."""
    for key, entry in VIEWS_CATALOGUE.items():
        CATALOGUE.setdefault(key, entry)
    for column, vocabulary in {
        "inspection_kind": "inspection_kind",
        "follow_up_status": "follow_up_status",
        "cell_kind": "cell_kind",
        "sector": "sector",
        "quality": "quality",
        "level_of": "unit_level",
    }.items():
        components.VOCABULARY_COLUMNS.setdefault(column, vocabulary)
    components.PERCENT_KPIS.add("good_or_above_share")
    components.KPI_DELTA_COLOURS.setdefault("thematic_meetings", "off")
    components.KPI_DELTA_COLOURS.setdefault("topics_used", "off")
    components.KPI_DELTA_COLOURS.setdefault("rated", "off")
    components.KPI_DELTA_COLOURS.setdefault("corrected", "inverse")


register()
