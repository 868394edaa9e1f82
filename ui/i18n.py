"""Every word the interface shows, in Vietnamese and English: one catalogue, read through `t()`.

Keys are dotted: `nav.*` page titles, `filter.*` sidebar, `kpi.*` headline numbers, `def.*` metric definitions
(the words of docs/metrics.md), `col.*` table headers (one per data-contract column), vocabulary values as
`<vocabulary>.<code>` (`meeting_kind.regular`, `outcome.commended`, `rating.excellent` …), `msg.*` messages.

Usage::

    from ui.i18n import t, vocab_label
    st.subheader(t("regularity.grid_title"))
    st.caption(t("scope.as_of", date="24/11/2026"))
    vocab_label("rating", "good")  # "Hoàn thành tốt nhiệm vụ"

The current language is the `lang` entry of Streamlit's session state (set by the sidebar switch), else
`Settings.language`. A missing key raises KeyError: the catalogue test runs every page in both languages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_access.settings import LANGUAGES, get_settings

LANGUAGE_KEY = "lang"

CATALOGUE: dict[str, dict[str, str]] = {
    # ----- application frame
    "app.title": {"vi": "Theo dõi sinh hoạt chi bộ", "en": "Party-cell activity"},
    "app.subtitle": {
        "vi": "Ban Thường vụ: sinh hoạt, tham gia, chuyên đề, kiểm tra và xếp loại",
        "en": "Standing committee: meetings, participation, thematic topics, inspections and ratings",
    },
    "app.demo_badge": {"vi": "Dữ liệu mẫu", "en": "Demo data"},
    "app.demo_help": {
        "vi": "Đang chạy với dữ liệu mẫu của huyện Hậu Lộc, không phải số liệu thật.",
        "en": "Running on the generated Hậu Lộc demo district, not on real records.",
    },
    "app.db_unavailable": {
        "vi": "Không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau hoặc báo quản trị viên.",
        "en": "The database cannot be reached. Try again later or tell the administrator.",
    },
    "app.no_schema": {
        "vi": "Cơ sở dữ liệu chưa có bảng. Quản trị viên cần khởi tạo (python -m data_access init).",
        "en": "The database has no tables yet. The administrator must initialise it (python -m data_access init).",
    },
    "nav.section.views": {"vi": "Tổng hợp", "en": "Views"},
    "nav.section.admin": {"vi": "Quản trị", "en": "Administration"},
    "nav.overview": {"vi": "Tổng quan", "en": "Overview"},
    "nav.regularity": {"vi": "Sinh hoạt định kỳ", "en": "Regularity"},
    "nav.participation": {"vi": "Tham gia sinh hoạt", "en": "Participation"},
    "nav.topics": {"vi": "Sinh hoạt chuyên đề", "en": "Thematic topics"},
    "nav.inspections": {"vi": "Kiểm tra, giám sát", "en": "Inspections"},
    "nav.classification": {"vi": "Xếp loại chất lượng", "en": "Classification"},
    "nav.organisations": {"vi": "Tổ chức đảng", "en": "Organisations"},
    "nav.import": {"vi": "Nhập dữ liệu", "en": "Import"},
    "nav.accounts": {"vi": "Tài khoản", "en": "Accounts"},
    # ----- import page (ui/import_page.py); the report's own messages are in data_access/importing/messages.py
    "import.title": {"vi": "Nhập dữ liệu", "en": "Import data"},
    "import.intro": {
        "vi": "Tải lên tệp CSV hoặc XLSX của xã. Mọi dòng được kiểm tra trước khi ghi; tệp còn lỗi thì không ghi gì. Nhập lại cùng một tệp không làm thay đổi dữ liệu.",
        "en": "Upload a commune's CSV or XLSX file. Every row is checked before anything is written; a file with errors writes nothing. Importing the same file again changes nothing.",
    },
    "import.kind": {"vi": "Loại tệp", "en": "File kind"},
    "import.kind.units": {"vi": "Đơn vị (xã, tổ chức, chi bộ)", "en": "Units (communes, organisations, cells)"},
    "import.kind.meetings": {"vi": "Sinh hoạt chi bộ", "en": "Cell meetings"},
    "import.kind.inspections": {"vi": "Kiểm tra, giám sát", "en": "Inspections and supervisions"},
    "import.kind.ratings": {"vi": "Xếp loại chất lượng", "en": "Quality ratings"},
    "import.kind.demo": {"vi": "Dữ liệu mẫu", "en": "Demo data"},
    "import.columns": {
        "vi": "Cột bắt buộc: {required}. Cột không bắt buộc: {optional}.",
        "en": "Required columns: {required}. Optional columns: {optional}.",
    },
    "import.template_xlsx": {"vi": "Tệp mẫu XLSX", "en": "Template (XLSX)"},
    "import.template_csv": {"vi": "Tệp mẫu CSV", "en": "Template (CSV)"},
    "import.upload": {"vi": "Chọn tệp CSV hoặc XLSX", "en": "Choose a CSV or XLSX file"},
    "import.upload_help": {
        "vi": "CSV UTF-8 (dấu phẩy hoặc chấm phẩy) hoặc XLSX; dòng đầu là tiêu đề cột, tiếng Việt hoặc tiếng Anh.",
        "en": "CSV in UTF-8 (comma or semicolon) or XLSX; the first row holds the column headers, in Vietnamese or English.",
    },
    "import.sheet": {"vi": "Trang tính", "en": "Sheet"},
    "import.checking": {"vi": "Đang kiểm tra từng dòng…", "en": "Checking every row…"},
    "import.writing": {"vi": "Đang ghi vào cơ sở dữ liệu…", "en": "Writing to the database…"},
    "import.preview_title": {"vi": "Xem trước", "en": "Preview"},
    "import.preview_caption": {
        "vi": "{shown} dòng đầu trong {total} dòng dữ liệu của {file}; số dòng như trong bảng tính.",
        "en": "The first {shown} of {total} data rows of {file}; row numbers as the spreadsheet shows them.",
    },
    "import.preview_caption_all": {
        "vi": "Toàn bộ {total} dòng dữ liệu của {file}; số dòng như trong bảng tính.",
        "en": "All {total} data rows of {file}; row numbers as the spreadsheet shows them.",
    },
    "import.preview_caption_first": {
        "vi": "{shown} dòng đầu của {file}; số dòng như trong bảng tính.",
        "en": "The first {shown} data rows of {file}; row numbers as the spreadsheet shows them.",
    },
    "import.row": {"vi": "Dòng", "en": "Row"},
    "import.report_title": {"vi": "Kết quả kiểm tra", "en": "Validation report"},
    "import.ready": {
        "vi": "Tệp hợp lệ: {rows} dòng sẵn sàng nhập. Chưa có gì được ghi; bấm “Xác nhận nhập” để ghi.",
        "en": "The file is valid, data rows ready: {rows}. Nothing is written yet; press “Confirm import” to write them.",
    },
    "import.has_errors": {
        "vi": "Tệp có {errors} lỗi ở {bad_rows} trong {rows} dòng dữ liệu; không có gì được ghi. Hãy sửa tệp theo báo cáo dưới đây rồi tải lên lại.",
        "en": "Errors: {errors}, on {bad_rows} of the file's {rows} data rows; nothing was written. Fix the file as the report below says and upload it again.",
    },
    "import.header_errors": {
        "vi": "Dòng tiêu đề không khớp loại tệp “{kind}” ({errors} lỗi), nên các dòng chưa được kiểm tra và không có gì được ghi. Hãy xem lại loại tệp đã chọn và tên các cột.",
        "en": "The header row does not fit the file kind “{kind}” (errors: {errors}), so the rows were not checked and nothing was written. Check the chosen file kind and the column names.",
    },
    "import.done": {
        "vi": "Đã nhập {rows} dòng. Các trang tổng hợp đã hiển thị dữ liệu mới.",
        "en": "Imported: {rows} data rows. The dashboard pages now show the new data.",
    },
    "import.rows_new": {"vi": "Dòng mới", "en": "New rows"},
    "import.rows_updated": {"vi": "Dòng cập nhật", "en": "Updated rows"},
    "import.rows_unchanged": {"vi": "Dòng không đổi", "en": "Unchanged rows"},
    "import.confirm": {"vi": "Xác nhận nhập", "en": "Confirm import"},
    "import.no_problems": {"vi": "Không có lỗi hay cảnh báo nào.", "en": "No errors or warnings."},
    "import.problem_counts": {
        "vi": "Lỗi: {errors} · cảnh báo: {warnings} · thông báo: {notices}. Chỉ lỗi mới ngăn việc nhập.",
        "en": "Errors: {errors} · warnings: {warnings} · notices: {notices}. Only errors block the import.",
    },
    "import.report_download": {"vi": "Tải báo cáo kiểm tra (CSV)", "en": "Download the report (CSV)"},
    "import.batches_title": {"vi": "Các lần nhập trước", "en": "Past imports"},
    "import.batches_caption": {
        "vi": "Mới nhất ở trên; giờ Việt Nam (UTC+7). Mỗi lần nhập được ghi lại, kể cả khi không dòng nào thay đổi.",
        "en": "Newest first; Vietnam time (UTC+7). Every import is recorded, even when no row changed.",
    },
    "import.batches_limited": {
        "vi": "Chỉ hiển thị {shown} lần nhập gần nhất.",
        "en": "Only the {shown} most recent imports are shown.",
    },
    "import.no_batches": {"vi": "Chưa có lần nhập nào.", "en": "Nothing has been imported yet."},
    "import.col_when": {"vi": "Thời gian", "en": "When"},
    "import.col_file": {"vi": "Tệp", "en": "File"},
    "import.col_kind": {"vi": "Loại tệp", "en": "Kind"},
    "import.col_rows": {"vi": "Số dòng", "en": "Rows"},
    "import.col_new": {"vi": "Mới", "en": "New"},
    "import.col_updated": {"vi": "Cập nhật", "en": "Updated"},
    "import.col_unchanged": {"vi": "Không đổi", "en": "Unchanged"},
    "import.col_by": {"vi": "Người nhập", "en": "Imported by"},
    "import.col_sha": {"vi": "Mã SHA-256", "en": "SHA-256"},
    "import.col_communes": {"vi": "Số xã báo cáo", "en": "Communes reported"},
    "import.col_months": {"vi": "Tháng báo cáo", "en": "Months reported"},
    "import.consent_caption": {
        "vi": "Những thay đổi cần xác nhận (tệp bị từ chối nếu không chọn):",
        "en": "Changes that need confirming (the file is refused without them):",
    },
    "import.allow_clearing": {"vi": "Cho phép xoá giá trị", "en": "Allow erasing"},
    "import.allow_clearing_help": {
        "vi": "Ô trống trong tệp xoá giá trị đang lưu (thời lượng, nhận xét, ngày khắc phục…).",
        "en": "Blank cells in the file erase stored values (duration, findings, resolution dates…).",
    },
    "import.confirm_new": {"vi": "Xác nhận tên mới", "en": "Confirm new names"},
    "import.confirm_new_help": {
        "vi": "Xã, tổ chức đảng, chi bộ mới dù tên gần giống tên đã có.",
        "en": "New communes, organisations and cells even where the name is close to an existing one.",
    },
    "import.allow_moves": {"vi": "Cho phép chuyển đơn vị", "en": "Allow moves"},
    "import.allow_moves_help": {
        "vi": "Chuyển tổ chức đảng (cùng các chi bộ) sang xã khác.",
        "en": "Move an organisation (with its cells) to another commune.",
    },
    "import.changes_title": {
        "vi": "Thay đổi theo từng cột của các dòng cập nhật",
        "en": "Changes in the updated rows, column by column",
    },
    "import.col_column": {"vi": "Cột", "en": "Column"},
    "import.col_changed": {"vi": "Thay đổi", "en": "Changed"},
    "import.col_erased": {"vi": "Bị xoá", "en": "Erased"},
    # ----- sign-in, accounts (ui/auth.py)
    "auth.accounts_title": {"vi": "Tài khoản", "en": "Accounts"},
    "auth.accounts_help": {
        "vi": "Thay đổi tài khoản ở các mục dưới đây (được ghi lại), hoặc bằng dòng lệnh: "
        "`python -m data_access users --help`.",
        "en": "Change accounts below (each change is recorded), or on the command line: "
        "`python -m data_access users --help`.",
    },
    "accounts.tab_change": {"vi": "Thay đổi tài khoản", "en": "Change an account"},
    "accounts.tab_add": {"vi": "Thêm tài khoản", "en": "Add an account"},
    "accounts.disable": {"vi": "Vô hiệu hóa", "en": "Disable"},
    "accounts.enable": {"vi": "Cho hoạt động lại", "en": "Enable"},
    "accounts.unlock": {"vi": "Mở khóa", "en": "Unlock"},
    "accounts.reset": {"vi": "Đặt lại mật khẩu", "en": "Reset the password"},
    "accounts.change_role": {"vi": "Đổi vai trò", "en": "Change the role"},
    "accounts.add": {"vi": "Thêm tài khoản", "en": "Add the account"},
    "accounts.display_name": {"vi": "Tên hiển thị", "en": "Display name"},
    "accounts.refused": {"vi": "Không thực hiện được: {reason}", "en": "Not done: {reason}"},
    "accounts.password_once": {
        "vi": "Mật khẩu mới chỉ hiển thị một lần: hãy chuyển cho người dùng ngay, họ nên đổi sau khi đăng nhập.",
        "en": "The new password is shown this once: pass it on now.",
    },
    "accounts.done_disable": {
        "vi": "Đã vô hiệu hóa {u}; các phiên đăng nhập của tài khoản đã kết thúc.",
        "en": "{u} is disabled; its sessions ended.",
    },
    "accounts.done_enable": {"vi": "{u} đăng nhập được trở lại.", "en": "{u} can sign in again."},
    "accounts.done_unlock": {"vi": "Đã mở khóa {u}.", "en": "{u} is unlocked."},
    "accounts.done_reset": {"vi": "Đã đặt lại mật khẩu của {u}:", "en": "New password of {u}:"},
    "accounts.done_role": {
        "vi": "Đã đổi vai trò của {u}; phạm vi mới có hiệu lực từ lần đăng nhập sau.",
        "en": "{u} has a new role; the new scope applies from its next sign-in.",
    },
    "accounts.done_add": {"vi": "Đã thêm tài khoản {u}, mật khẩu:", "en": "Added {u}, password:"},
    "accounts.events_title": {"vi": "Các thay đổi gần đây", "en": "Recent changes"},
    "accounts.no_events": {"vi": "Chưa có thay đổi nào.", "en": "No change yet."},
    "accounts.no_commune": {
        "vi": "— Không gắn với xã (quản trị, cấp huyện) —",
        "en": "— No commune (administrator, district) —",
    },
    "accounts.col_at": {"vi": "Lúc", "en": "When"},
    "accounts.col_actor": {"vi": "Người thực hiện", "en": "By"},
    "accounts.col_action": {"vi": "Thay đổi", "en": "Change"},
    "accounts.col_detail": {"vi": "Chi tiết", "en": "Detail"},
    "accounts.action_add": {"vi": "Thêm", "en": "Added"},
    "accounts.action_disable": {"vi": "Vô hiệu hóa", "en": "Disabled"},
    "accounts.action_enable": {"vi": "Cho hoạt động lại", "en": "Enabled"},
    "accounts.action_unlock": {"vi": "Mở khóa", "en": "Unlocked"},
    "accounts.action_reset_password": {"vi": "Đặt lại mật khẩu", "en": "Password reset"},
    "accounts.action_change_role": {"vi": "Đổi vai trò", "en": "Role changed"},
    "auth.col_commune": {"vi": "Xã", "en": "Commune"},
    "auth.col_status": {"vi": "Trạng thái", "en": "Status"},
    "auth.col_last_sign_in": {"vi": "Lần đăng nhập cuối", "en": "Last sign-in"},
    "auth.status_active": {"vi": "hoạt động", "en": "active"},
    "auth.status_locked": {"vi": "đang khóa", "en": "locked"},
    "auth.status_disabled": {"vi": "đã vô hiệu", "en": "disabled"},
    "auth.title": {"vi": "Đăng nhập", "en": "Sign in"},
    "auth.subtitle": {"vi": "Theo dõi sinh hoạt chi bộ", "en": "Party-cell activity dashboard"},
    "auth.username": {"vi": "Tên đăng nhập", "en": "Username"},
    "auth.password": {"vi": "Mật khẩu", "en": "Password"},
    "auth.submit": {"vi": "Đăng nhập", "en": "Sign in"},
    "auth.missing": {"vi": "Nhập tên đăng nhập và mật khẩu.", "en": "Enter a username and a password."},
    "auth.failed": {
        "vi": "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản tạm thời không đăng nhập được. Sau 5 lần nhập sai, tài khoản bị khóa 15 phút.",
        "en": "Wrong username or password, or the account cannot sign in now. After 5 wrong attempts an account is locked for 15 minutes.",
    },
    "auth.sso": {"vi": "Đăng nhập bằng tài khoản của cơ quan", "en": "Sign in with your organisation account"},
    "auth.sso_unknown": {
        "vi": "Địa chỉ {email} chưa được cấp tài khoản xem bảng theo dõi. Hãy liên hệ quản trị viên.",
        "en": "{email} has no account on this dashboard. Ask an administrator.",
    },
    "auth.demo_intro": {
        "vi": "Chế độ trình diễn (dữ liệu mẫu). Có thể đăng nhập bằng các tài khoản thử sau:",
        "en": "Demo mode (sample data). Try these accounts:",
    },
    "auth.col_username": {"vi": "Tên đăng nhập", "en": "Username"},
    "auth.col_password": {"vi": "Mật khẩu", "en": "Password"},
    "auth.col_role": {"vi": "Vai trò", "en": "Role"},
    "auth.role_admin": {
        "vi": "Quản trị (mọi trang, nhập dữ liệu, tài khoản)",
        "en": "Administrator (every page, import, accounts)",
    },
    "auth.role_district": {"vi": "Cấp huyện (xem toàn huyện)", "en": "District (every commune)"},
    "auth.role_commune": {"vi": "Cấp xã (chỉ xem xã mình)", "en": "Commune (its own commune only)"},
    "auth.sign_out": {"vi": "Đăng xuất", "en": "Sign out"},
    "auth.signed_in_as": {"vi": "Đăng nhập: **{name}**", "en": "Signed in: **{name}**"},
    "auth.sign_in_required": {
        "vi": "Hãy đăng nhập để xem trang này.",
        "en": "Sign in to see this page.",
    },
    "auth.forbidden": {
        "vi": "Tài khoản của bạn không được mở trang này.",
        "en": "Your account may not open this page.",
    },
    "auth.dropped_communes": {
        "vi": "Đã bỏ {count} xã ngoài phạm vi tài khoản của bạn; chỉ hiển thị số liệu trong phạm vi được phép.",
        "en": "{count} commune(s) outside your account's scope were dropped; only figures within it are shown.",
    },
    "auth.config_error": {"vi": "Cấu hình chưa đủ để đăng nhập: {detail}", "en": "Sign-in is not configured: {detail}"},
    # ----- sidebar filters
    "filter.header": {"vi": "Bộ lọc", "en": "Filters"},
    "filter.language": {"vi": "Ngôn ngữ", "en": "Language"},
    "filter.communes": {"vi": "Xã, thị trấn", "en": "Communes"},
    "filter.communes_placeholder": {"vi": "Tất cả xã, thị trấn", "en": "All communes"},
    "filter.organisations": {"vi": "Tổ chức cơ sở đảng", "en": "Base organisations"},
    "filter.organisations_placeholder": {"vi": "Tất cả tổ chức cơ sở đảng", "en": "All base organisations"},
    "filter.organisation_kind": {"vi": "Loại hình tổ chức", "en": "Organisation kind"},
    "filter.kind_all": {"vi": "Tất cả loại hình", "en": "All kinds"},
    "filter.period": {"vi": "Thời gian", "en": "Period"},
    "filter.period_from": {"vi": "Từ tháng", "en": "From month"},
    "filter.period_to": {"vi": "Đến tháng", "en": "To month"},
    "filter.preset.last12": {"vi": "12 tháng gần nhất", "en": "Last 12 months"},
    "filter.preset.this_year": {"vi": "Năm nay", "en": "This year"},
    "filter.preset.last_year": {"vi": "Năm trước", "en": "Last year"},
    "filter.preset.last5": {"vi": "5 năm gần nhất", "en": "Last 5 years"},
    "filter.preset.custom": {"vi": "Tùy chọn khoảng tháng", "en": "Custom month range"},
    "filter.range_swapped": {
        "vi": "Tháng bắt đầu sau tháng kết thúc: đã đổi chỗ hai tháng.",
        "en": "The start month was after the end month: the two were swapped.",
    },
    "filter.unknown_value": {
        "vi": "Đường dẫn có giá trị không nhận ra, đã bỏ qua: {param} = {value}",
        "en": "The link holds a value that is not recognised and was ignored: {param} = {value}",
    },
    "filter.as_of_moved": {
        "vi": "Đường dẫn hỏi số liệu đến {asked}, ngoài khoảng có số liệu: đang hiện số liệu đến {used}.",
        "en": "The link asks for figures as of {asked}, outside the recorded range: showing them as of {used}.",
    },
    "filter.all": {"vi": "tất cả xã, thị trấn", "en": "all communes"},
    "filter.grouping": {"vi": "Tính theo xã", "en": "Count by commune"},
    "filter.grouping_help": {
        "vi": "Qua đợt sáp nhập xã: “như hiện nay” tính mọi số liệu vào xã mới (cộng các xã cũ đã nhập vào), "
        "“như khi ghi nhận” giữ xã cũ đến ngày sáp nhập. Chọn một xã mới là gồm cả lịch sử các xã cũ của nó.",
        "en": "Across a merger of communes: “as today” counts every record under the new commune (the old communes "
        "merged into it added up), “as recorded” keeps the old communes until the merger. Choosing a new commune "
        "takes in its old communes' history.",
    },
    "grouping.today": {"vi": "Như hiện nay", "en": "As today"},
    "grouping.recorded": {"vi": "Như khi ghi nhận", "en": "As recorded"},
    "filter.former_commune": {"vi": "↳ {name} (xã cũ, đến {until})", "en": "↳ {name} (former, until {until})"},
    "chart.reform": {"vi": "Sáp nhập {date}", "en": "Merger {date}"},
    "organisations.lineage_title": {"vi": "Sáp nhập, sắp xếp đơn vị", "en": "Mergers and regrouping"},
    "organisations.lineage_help": {
        "vi": "Đơn vị đã sáp nhập vào đơn vị khác và ngày sáp nhập. Số liệu cũ vẫn giữ đơn vị cũ; khi tính "
        "“như hiện nay” chúng được cộng vào xã mới.",
        "en": "Units merged into others, and the day. Old records keep their old unit; counted “as today” they add "
        "up under the new commune.",
    },
    "overview.reform_trend": {
        "vi": "Diễn biến qua đợt sáp nhập ({grouping})",
        "en": "The trend across the merger ({grouping})",
    },
    "overview.reform_trend_help": {
        "vi": "Tỷ lệ sinh hoạt đều đặn theo tháng, mỗi xã một đường; vạch dọc đánh dấu ngày sáp nhập.",
        "en": "Regularity by month, one line per commune; the vertical line marks the day of the merger.",
    },
    "lineage.commune": {"vi": "Xã", "en": "Commune"},
    "lineage.organisation": {"vi": "Tổ chức cơ sở đảng", "en": "Base organisation"},
    "lineage.cell": {"vi": "Chi bộ", "en": "Party cell"},
    "col.unit_level": {"vi": "Cấp", "en": "Level"},
    "col.unit": {"vi": "Đơn vị", "en": "Unit"},
    "col.successor": {"vi": "Sáp nhập vào", "en": "Merged into"},
    "col.merged_on": {"vi": "Từ ngày", "en": "From"},
    "place.draw_all": {
        "vi": "Vẽ đủ {total} xã (đang vẽ {shown} xã thấp nhất)",
        "en": "Draw all {total} communes (now the lowest {shown})",
    },
    "place.draw_all.provinces": {
        "vi": "Vẽ đủ {total} tỉnh (đang vẽ {shown} tỉnh thấp nhất)",
        "en": "Draw all {total} provinces (now the lowest {shown})",
    },
    "place.draw_all.follow_ups": {
        "vi": "Vẽ đủ {total} xã (đang vẽ {shown} xã quá hạn nhiều nhất)",
        "en": "Draw all {total} communes ({shown} most overdue now)",
    },
    "place.draw_all.follow_ups.provinces": {
        "vi": "Vẽ đủ {total} tỉnh (đang vẽ {shown} tỉnh quá hạn nhiều nhất)",
        "en": "Draw all {total} provinces ({shown} most overdue now)",
    },
    "place.draw_all_help": {
        "vi": "Biểu đồ vẽ trước các nơi cần xem nhất; bảng số liệu và tệp tải về luôn có đủ.",
        "en": "The chart draws the places to look at first; the data table and the downloads always hold them all.",
    },
    "place.no_province": {"vi": "(chưa ghi tỉnh)", "en": "(no province recorded)"},
    "filter.provinces": {"vi": "Tỉnh, thành phố", "en": "Provinces"},
    "place.lists_need_province": {
        "vi": "Danh sách chi bộ, tổ chức cơ sở đảng được xem theo từng tỉnh: bấm vào một tỉnh ở biểu đồ, hoặc chọn "
        "tỉnh ở thanh bên.",
        "en": "Lists of cells and organisations are shown one province at a time: click a province in a chart, or "
        "choose one in the sidebar.",
    },
    "filter.provinces_placeholder": {"vi": "Tất cả tỉnh, thành phố", "en": "All provinces"},
    "place.by_province": {
        "vi": "Các xã thuộc nhiều tỉnh, thành phố nên số liệu được cộng theo tỉnh. Bấm vào một tỉnh, hoặc chọn tỉnh, "
        "xã ở thanh bên, để xem từng xã.",
        "en": "The communes lie in several provinces, so the figures are summed per province. Click a province, or "
        "choose provinces or communes in the sidebar, to see them commune by commune.",
    },
    "filter.more": {"vi": "+{n} xã khác", "en": "+{n} more"},
    "scope.as_of": {"vi": "số liệu đến {date}", "en": "as of {date}"},
    "scope.organisations": {"vi": "{n} tổ chức cơ sở đảng", "en": "{n} base organisations"},
    "language.vi": {"vi": "Tiếng Việt", "en": "Tiếng Việt"},
    "language.en": {"vi": "English", "en": "English"},
    # ----- messages
    "msg.empty": {
        "vi": "Không có số liệu cho bộ lọc đã chọn. Hãy mở rộng thời gian hoặc chọn xã khác.",
        "en": "No data for the chosen filters. Widen the period or choose other communes.",
    },
    "msg.no_alerts": {"vi": "Không có cảnh báo.", "en": "No alerts."},
    "msg.definition": {"vi": "Cách tính", "en": "Definition"},
    "msg.previous_period": {"vi": "so với kỳ trước", "en": "vs previous period"},
    "msg.change_help": {
        "vi": "Mũi tên: thay đổi so với kỳ trước có cùng độ dài (chỉ tính các tháng từ buổi sinh hoạt đầu tiên có "
        "số liệu). «Không có kỳ trước»: kỳ trước nằm trước khi có số liệu, hoặc không có số liệu để tính.",
        "en": "Arrow: change against the previous period of the same length (only its months from the first "
        "recorded meeting on). 'No previous data': the previous period lies before the records, or has nothing to "
        "compute from.",
    },
    # short: it is the card's change line
    "msg.no_previous": {"vi": "Không có kỳ trước", "en": "No previous data"},
    "msg.more_charts": {"vi": "Xem thêm biểu đồ", "en": "More charts"},
    "msg.more_charts_help": {
        "vi": "Chọn một biểu đồ để xem, kèm số liệu và tải về; bấm lại để ẩn.",
        "en": "Choose a chart to see it, with its data and downloads; click again to hide it.",
    },
    # ----- downloads
    "download.csv": {"vi": "Tải CSV", "en": "Download CSV"},
    "download.xlsx": {"vi": "Tải Excel", "en": "Download Excel"},
    "download.localised": {"vi": "Tệp tải về bằng tiếng Việt", "en": "Downloads in English words"},
    "download.localised_help": {
        "vi": "Tiêu đề cột, tên loại và ngày tháng bằng tiếng Việt; tệp CSV dùng dấu ; và dấu phẩy thập phân như "
        "Excel với cài đặt vùng Việt Nam. Bỏ chọn để lấy tên cột và mã chuẩn (tiếng Anh) cho các công cụ xử lý tự động.",
        "en": "Column headers, codes and dates in words. Untick for the data contract's column names and codes, "
        "for scripts.",
    },
    "download.yes": {"vi": "Có", "en": "Yes"},
    "trend.partial_month": {
        "vi": "Tháng {month} chưa kết thúc (số liệu đến {date}) nên không vẽ trên đường diễn biến; bảng số liệu và "
        "tệp tải về vẫn có tháng này.",
        "en": "{month} is not over (figures to {date}), so the trend line leaves it out; the data table and the "
        "downloads still hold it.",
    },
    "download.no": {"vi": "Không", "en": "No"},
    "download.table": {"vi": "Xem bảng số liệu", "en": "Show the data table"},
    "table.shown_of": {
        "vi": "Đang hiển thị {shown} trên {total} dòng. Bảng đầy đủ có trong tệp tải về (CSV, XLSX).",
        "en": "Showing {shown} of {total} rows; the full table is in the download (CSV, XLSX).",
    },
    "table.shown_of_worst_first": {
        "vi": "Đang hiển thị {shown} trên {total} dòng, yếu nhất trước. Bảng đầy đủ có trong tệp tải về (CSV, XLSX).",
        "en": "Showing {shown} of {total} rows, weakest first; the full table is in the download (CSV, XLSX).",
    },
    # ----- KPI cards (labels) and metric definitions (docs/metrics.md "Definitions")
    "kpi.organisations": {"vi": "Tổ chức cơ sở đảng", "en": "Base organisations"},
    "kpi.cells": {"vi": "Chi bộ", "en": "Party cells"},
    "kpi.members": {"vi": "Đảng viên", "en": "Party members"},
    "kpi.regularity_rate": {"vi": "Sinh hoạt đều đặn", "en": "Regularity"},
    "kpi.on_fixed_day_rate": {"vi": "Sinh hoạt đúng ngày", "en": "On the fixed day"},
    "kpi.participation_rate": {"vi": "Tỷ lệ đảng viên tham gia sinh hoạt", "en": "Participation rate"},
    "kpi.thematic_coverage": {"vi": "Sinh hoạt chuyên đề theo quý", "en": "Thematic coverage"},
    "kpi.superior_attendance_rate": {"vi": "Cấp ủy cấp trên dự sinh hoạt", "en": "Superior attendance"},
    "kpi.inspections": {"vi": "Cuộc kiểm tra, giám sát", "en": "Inspections"},
    "kpi.overdue_follow_ups": {"vi": "Khắc phục đang quá hạn", "en": "Follow-ups overdue now"},
    "def.organisations": {
        "vi": "Số tổ chức cơ sở đảng (đảng bộ cơ sở và chi bộ cơ sở) đang hoạt động vào cuối kỳ.",
        "en": "Base organisations (grassroots party committees and base party cells) active at the end of the period.",
    },
    "def.cells": {
        "vi": "Số chi bộ (chi bộ trực thuộc và chi bộ cơ sở) đang hoạt động vào cuối kỳ.",
        "en": "Party cells (subordinate and base party cells) active at the end of the period.",
    },
    "def.members": {
        "vi": "Tổng số đảng viên của các chi bộ đang hoạt động vào cuối kỳ.",
        "en": "Party members of the cells active at the end of the period.",
    },
    "def.due_cell_month": {
        "vi": "Tháng-chi bộ phải sinh hoạt: một tháng trong kỳ mà chi bộ đang hoạt động vào ngày đầu tháng. "
        "Tháng hiện tại chỉ tính khi đã qua ngày sinh hoạt định kỳ của chi bộ. Chỉ tính các tháng xã đã gửi số "
        "liệu.",
        "en": "Due cell-month: a month in the selected period in which the cell was active on the month's first day. "
        "The current month is due once its scheduled day has passed. Only the months its commune has reported "
        "count.",
    },
    "def.regularity_rate": {
        "vi": "Số tháng-chi bộ có ít nhất một buổi sinh hoạt thường kỳ (hoặc thường kỳ kết hợp chuyên đề) "
        "÷ số tháng-chi bộ phải sinh hoạt.",
        "en": "Due cell-months with at least one regular or combined meeting ÷ due cell-months.",
    },
    "def.on_fixed_day_rate": {
        "vi": "Số tháng-chi bộ có buổi sinh hoạt thường kỳ (hoặc kết hợp) đúng ngày sinh hoạt định kỳ của chi bộ "
        "÷ số tháng-chi bộ phải sinh hoạt.",
        "en": "Due cell-months in which a regular or combined meeting fell on the cell's scheduled day "
        "÷ due cell-months.",
    },
    "def.participation_rate": {
        "vi": "Tổng số đảng viên có mặt ÷ tổng số (đảng viên của chi bộ − đảng viên được miễn sinh hoạt), "
        "cộng trên mọi buổi sinh hoạt trong phạm vi (tỷ lệ gia quyền, không lấy trung bình tỷ lệ từng buổi). "
        "Mục tiêu: {target}.",
        "en": "Σ present ÷ Σ (members − members exempt), over the meetings in scope (a weighted rate, never a mean "
        "of per-meeting ratios). Target: {target}.",
    },
    "def.thematic_coverage": {
        "vi": "Số quý-chi bộ có ít nhất một buổi sinh hoạt chuyên đề (hoặc kết hợp) ÷ số quý-chi bộ phải sinh hoạt. "
        "Một quý được tính khi cả quý nằm trong kỳ, đã kết thúc và chi bộ hoạt động từ ngày đầu quý.",
        "en": "Due cell-quarters with at least one thematic or combined meeting ÷ due cell-quarters. A quarter is due "
        "when it lies wholly in the period, has ended, and the cell was active on its first day.",
    },
    "def.superior_attendance_rate": {
        "vi": "Số buổi sinh hoạt có đồng chí cấp ủy cấp trên dự ÷ tổng số buổi sinh hoạt.",
        "en": "Meetings attended by a member of the higher committee ÷ meetings.",
    },
    "def.inspections": {
        "vi": "Số cuộc kiểm tra, giám sát kết luận trong kỳ (chưa kết luận thì tính theo ngày bắt đầu).",
        "en": "Inspections and supervisions concluded in the period (by start date when not concluded).",
    },
    "def.overdue_follow_ups": {
        "vi": "Cuộc kiểm tra có kết luận yêu cầu khắc phục hoặc thi hành kỷ luật, chưa khắc phục xong "
        "và đã quá hạn khắc phục tính đến ngày số liệu, dù kết luận vào lúc nào (không phụ thuộc thời gian đã chọn).",
        "en": "Inspections whose outcome requires correction or discipline, unresolved and past the follow-up due "
        "date on the as-of date, whenever they were concluded (whatever the period chosen).",
    },
    "def.overdue_in_period": {
        "vi": "Cột “Quá hạn, trong kỳ”: trong số các cuộc kiểm tra của thời gian đã chọn, những cuộc yêu cầu khắc "
        "phục hoặc kỷ luật đã quá hạn mà chưa khắc phục. Khác với “Khắc phục đang quá hạn” ở trang Tổng quan, "
        "tính mọi cuộc kiểm tra dù kết luận lúc nào.",
        "en": "Column “Overdue, of the period”: of the period's inspections, those requiring correction or "
        "discipline that are past due and unresolved. Unlike “Follow-ups overdue now” on the Overview, which "
        "counts every inspection whenever concluded.",
    },
    "def.classification": {
        "vi": "Tỷ lệ từng mức xếp loại chất lượng theo năm; tỷ lệ hoàn thành tốt nhiệm vụ trở lên.",
        "en": "Share of each classification level per year; share “good or above”.",
    },
    "def.meeting_rate": {
        "vi": "Tỷ lệ tham gia của một buổi: số có mặt ÷ (đảng viên − miễn sinh hoạt).",
        "en": "One meeting's rate: present ÷ (members − exempt).",
    },
    # ----- table column headers (data-contract names)
    "col.province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "col.commune": {"vi": "Xã, thị trấn", "en": "Commune"},
    "col.organisation": {"vi": "Tổ chức cơ sở đảng", "en": "Base organisation"},
    "col.organisation_kind": {"vi": "Loại hình", "en": "Kind"},
    "col.cell": {"vi": "Chi bộ", "en": "Party cell"},
    "col.month": {"vi": "Tháng", "en": "Month"},
    "col.quarter": {"vi": "Quý", "en": "Quarter"},
    "col.year": {"vi": "Năm", "en": "Year"},
    "col.topic": {"vi": "Chủ đề", "en": "Topic"},
    "col.date": {"vi": "Ngày", "en": "Date"},
    "col.kind": {"vi": "Hình thức", "en": "Kind"},
    "col.body": {"vi": "Chủ thể", "en": "Body"},
    "col.meeting_day": {"vi": "Ngày sinh hoạt định kỳ", "en": "Scheduled day"},
    "col.due_cell_months": {"vi": "Tháng-chi bộ phải sinh hoạt", "en": "Due cell-months"},
    "col.held_cell_months": {"vi": "Tháng-chi bộ có sinh hoạt", "en": "Cell-months held"},
    "col.on_fixed_day_cell_months": {"vi": "Tháng-chi bộ sinh hoạt đúng ngày", "en": "Cell-months on the fixed day"},
    "col.regularity_rate": {"vi": "Tỷ lệ sinh hoạt đều đặn", "en": "Regularity"},
    "col.on_fixed_day_rate": {"vi": "Tỷ lệ sinh hoạt đúng ngày", "en": "On the fixed day"},
    "col.meetings": {"vi": "Số buổi sinh hoạt", "en": "Meetings"},
    "col.expected": {"vi": "Đảng viên phải dự", "en": "Expected"},
    "col.present": {"vi": "Có mặt", "en": "Present"},
    "col.absent_excused": {"vi": "Vắng có lý do", "en": "Absent (excused)"},
    "col.absent_unexcused": {"vi": "Vắng không lý do", "en": "Absent (unexcused)"},
    "col.participation_rate": {"vi": "Tỷ lệ đảng viên tham gia", "en": "Participation rate"},
    "col.meeting_rate": {"vi": "Tỷ lệ tham gia của buổi", "en": "Meeting's participation rate"},
    "col.due_cell_quarters": {"vi": "Quý-chi bộ phải sinh hoạt chuyên đề", "en": "Due cell-quarters"},
    "col.covered_cell_quarters": {"vi": "Quý-chi bộ có sinh hoạt chuyên đề", "en": "Covered cell-quarters"},
    "col.thematic_meetings": {"vi": "Buổi sinh hoạt chuyên đề", "en": "Thematic meetings"},
    "col.thematic_coverage": {"vi": "Tỷ lệ sinh hoạt chuyên đề", "en": "Thematic coverage"},
    "col.cells": {"vi": "Số chi bộ", "en": "Cells"},
    "col.place_cells": {"vi": "Số chi bộ của xã", "en": "Cells of the commune"},
    "col.attended": {"vi": "Có cấp ủy cấp trên dự", "en": "Attended by the higher committee"},
    "col.superior_attendance_rate": {"vi": "Tỷ lệ cấp ủy cấp trên dự", "en": "Superior attendance"},
    "col.long_meetings": {"vi": "Buổi sinh hoạt từ 90 phút", "en": "Meetings of 90 minutes or more"},
    "col.long_meeting_share": {
        "vi": "Tỷ lệ buổi sinh hoạt từ 90 phút",
        "en": "Share of meetings of 90 minutes or more",
    },
    "col.inspections": {"vi": "Cuộc kiểm tra, giám sát", "en": "Inspections"},
    "col.commended": {"vi": "Biểu dương, khen thưởng", "en": "Commended"},
    "col.satisfactory": {"vi": "Đạt yêu cầu", "en": "Satisfactory"},
    "col.correction_required": {"vi": "Yêu cầu khắc phục", "en": "Correction required"},
    "col.disciplined": {"vi": "Thi hành kỷ luật", "en": "Disciplined"},
    "col.overdue_follow_ups": {"vi": "Quá hạn, trong kỳ", "en": "Overdue, of the period"},
    "col.rated": {"vi": "Số được xếp loại", "en": "Rated"},
    "col.excellent": {"vi": "Hoàn thành xuất sắc nhiệm vụ", "en": "Excellent"},
    "col.good": {"vi": "Hoàn thành tốt nhiệm vụ", "en": "Good"},
    "col.complete": {"vi": "Hoàn thành nhiệm vụ", "en": "Complete"},
    "col.not_complete": {"vi": "Không hoàn thành nhiệm vụ", "en": "Not complete"},
    "col.good_or_above_share": {"vi": "Tỷ lệ hoàn thành tốt nhiệm vụ trở lên", "en": "Good or above"},
    "col.missed_months": {"vi": "Số tháng không sinh hoạt", "en": "Months missed"},
    "col.months": {"vi": "Các tháng", "en": "Months"},
    "col.started_on": {"vi": "Ngày bắt đầu", "en": "Started"},
    "col.concluded_on": {"vi": "Ngày kết luận", "en": "Concluded"},
    "col.outcome": {"vi": "Kết quả", "en": "Outcome"},
    "col.follow_up_due": {"vi": "Hạn khắc phục", "en": "Follow-up due"},
    "col.resolved_on": {"vi": "Ngày khắc phục xong", "en": "Resolved"},
    "col.days_overdue": {"vi": "Số ngày quá hạn", "en": "Days overdue"},
    "col.status": {"vi": "Tình trạng", "en": "Status"},
    "col.rank": {"vi": "Thứ hạng", "en": "Rank"},
    "col.value": {"vi": "Giá trị", "en": "Value"},
    "col.series": {"vi": "Chỉ tiêu", "en": "Series"},
    "col.history": {"vi": "Diễn biến theo tháng", "en": "Monthly history"},
    "col.history_help": {
        "vi": "Tỷ lệ tham gia của chi bộ qua các tháng có sinh hoạt trong thời gian đã chọn (tháng không sinh hoạt được bỏ qua).",
        "en": "The cell's participation rate in each month of the period with a meeting (months without one are left out).",
    },
    "col.unexcused_share": {"vi": "Tỷ lệ vắng không lý do", "en": "Unexcused absence share"},
    "col.excused_share": {"vi": "Tỷ lệ vắng có lý do", "en": "Excused absence share"},
    "col.target": {"vi": "Mục tiêu", "en": "Target"},
    # ----- vocabularies (codes stored in the database)
    "organisation_kind.party_committee": {"vi": "Đảng bộ cơ sở", "en": "Grassroots party committee"},
    "organisation_kind.party_cell": {"vi": "Chi bộ cơ sở", "en": "Base party cell"},
    "cell_kind.village": {"vi": "Chi bộ thôn, khu phố", "en": "Village or residential cell"},
    "cell_kind.agency": {"vi": "Chi bộ cơ quan", "en": "Agency cell"},
    "cell_kind.school": {"vi": "Chi bộ trường học", "en": "School cell"},
    "cell_kind.enterprise": {"vi": "Chi bộ doanh nghiệp", "en": "Enterprise cell"},
    "cell_kind.other": {"vi": "Chi bộ khác", "en": "Other cell"},
    "sector.commune": {"vi": "Xã, thị trấn", "en": "Commune"},
    "sector.agency": {"vi": "Cơ quan", "en": "Agency"},
    "sector.school": {"vi": "Trường học", "en": "School"},
    "sector.enterprise": {"vi": "Doanh nghiệp", "en": "Enterprise"},
    "sector.armed_forces": {"vi": "Lực lượng vũ trang", "en": "Armed forces"},
    "sector.other": {"vi": "Khác", "en": "Other"},
    "meeting_kind.regular": {"vi": "Sinh hoạt thường kỳ", "en": "Regular meeting"},
    "meeting_kind.thematic": {"vi": "Sinh hoạt chuyên đề", "en": "Thematic meeting"},
    "meeting_kind.combined": {"vi": "Sinh hoạt thường kỳ kết hợp chuyên đề", "en": "Combined meeting"},
    "quality.good": {"vi": "Tốt", "en": "Good"},
    "quality.fair": {"vi": "Khá", "en": "Fair"},
    "quality.average": {"vi": "Trung bình", "en": "Average"},
    "quality.poor": {"vi": "Kém", "en": "Poor"},
    "inspection_kind.inspection": {"vi": "Kiểm tra", "en": "Inspection"},
    "inspection_kind.supervision": {"vi": "Giám sát", "en": "Supervision"},
    "outcome.commended": {"vi": "Biểu dương, khen thưởng", "en": "Commended"},
    "outcome.satisfactory": {"vi": "Đạt yêu cầu", "en": "Satisfactory"},
    "outcome.correction_required": {"vi": "Yêu cầu khắc phục", "en": "Correction required"},
    "outcome.disciplined": {"vi": "Thi hành kỷ luật", "en": "Disciplined"},
    "rating.excellent": {"vi": "Hoàn thành xuất sắc nhiệm vụ", "en": "Excellent"},
    "rating.good": {"vi": "Hoàn thành tốt nhiệm vụ", "en": "Good"},
    "rating.complete": {"vi": "Hoàn thành nhiệm vụ", "en": "Complete"},
    "rating.not_complete": {"vi": "Không hoàn thành nhiệm vụ", "en": "Not complete"},
    "cell_month.on_fixed_day": {"vi": "Sinh hoạt đúng ngày", "en": "Held on the fixed day"},
    "cell_month.other_day": {"vi": "Sinh hoạt khác ngày", "en": "Held on another day"},
    "cell_month.missed": {"vi": "Không sinh hoạt", "en": "Missed"},
    "cell_month.not_due": {"vi": "Chưa đến hạn / chưa thành lập", "en": "Not due"},
    # ----- Overview page
    "overview.title": {"vi": "Tổng quan", "en": "Overview"},
    "overview.ranking": {"vi": "Xếp hạng các xã, thị trấn", "en": "Communes ranked"},
    "overview.ranking.provinces": {"vi": "Xếp hạng các tỉnh, thành phố", "en": "Provinces ranked"},
    "overview.ranking_help": {
        "vi": "Theo tỷ lệ sinh hoạt đều đặn, rồi tỷ lệ đảng viên tham gia sinh hoạt.",
        "en": "By regularity, then participation rate.",
    },
    "overview.alerts": {"vi": "Cảnh báo", "en": "Alerts"},
    "overview.more_figures": {"vi": "Các số liệu khác", "en": "More figures"},
    "overview.alert_missed": {
        "vi": "Chi bộ không sinh hoạt trong {window} tháng gần nhất",
        "en": "Cells that missed a meeting in the last {window} months",
    },
    "overview.alert_below": {
        "vi": "Chi bộ có tỷ lệ đảng viên tham gia dưới {target}",
        "en": "Cells with participation below {target}",
    },
    "overview.alert_overdue": {"vi": "Việc khắc phục sau kiểm tra đã quá hạn", "en": "Overdue follow-ups"},
    "overview.tab_missed": {"vi": "Không sinh hoạt ({n})", "en": "Missed ({n})"},
    "overview.tab_below": {"vi": "Dưới mục tiêu ({n})", "en": "Below target ({n})"},
    "overview.tab_overdue": {"vi": "Quá hạn ({n})", "en": "Overdue ({n})"},
    "overview.alert_link": {"vi": "Xem chi tiết", "en": "Open the detail"},
    "overview.trend": {"vi": "Diễn biến 12 tháng", "en": "12-month trend"},
    # ----- the monthly briefing's download on the Overview (ui/briefing.py); the file's own words are in
    # data_access/briefing/texts.py
    "briefing.button": {"vi": "Báo cáo tháng", "en": "Monthly briefing"},
    "briefing.help": {
        "vi": "Báo cáo của tháng cho phạm vi đang xem: bản PDF để in, bản Word (DOCX) để chỉnh sửa.",
        "en": "The month's briefing for the scope in view: a PDF to print, a Word file (DOCX) to edit.",
    },
    "briefing.month": {"vi": "Tháng báo cáo", "en": "Month"},
    "briefing.pdf": {"vi": "Tải PDF", "en": "Download PDF"},
    "briefing.docx": {"vi": "Tải Word (DOCX)", "en": "Download Word (DOCX)"},
    "briefing.no_data": {
        "vi": "Chưa có buổi sinh hoạt nào được ghi nhận trong tháng {month} cho phạm vi này.",
        "en": "No meeting is recorded in {month} for this scope.",
    },
    # ----- Regularity page
    "regularity.title": {"vi": "Sinh hoạt định kỳ của chi bộ", "en": "Regularity of cell meetings"},
    "regularity.grid_title": {"vi": "Chi bộ × tháng", "en": "Cell × month"},
    "regularity.grid_help": {
        "vi": "Mỗi ô là một tháng của một chi bộ: sinh hoạt đúng ngày định kỳ, sinh hoạt khác ngày, "
        "không sinh hoạt, hoặc chưa đến hạn.",
        "en": "Each square is one month of one cell: held on the fixed day, held on another day, missed, or not due.",
    },
    "regularity.grid_limited": {
        "vi": "Đang hiển thị {shown} trên {total} chi bộ (ít đều đặn nhất trước). Chọn xã hoặc tổ chức để xem hết.",
        "en": "Showing {shown} of {total} cells (least regular first). Choose a commune or organisation to see all.",
    },
    "regularity.trend_title": {"vi": "Diễn biến theo tháng, từng xã", "en": "Monthly trend per commune"},
    "regularity.trend_title.provinces": {
        "vi": "Diễn biến theo tháng, từng tỉnh, thành phố",
        "en": "Monthly trend per province",
    },
    "regularity.trend_spread": {
        "vi": "Đường đậm: chung {n} xã, thị trấn đang xem; dải màu: từ xã thấp nhất đến xã cao nhất mỗi tháng; "
        "đường chấm: {worst} xã có tỷ lệ thấp nhất trong thời gian đã chọn. Bảng số liệu có từng xã.",
        "en": "Bold line: the {n} communes in view together; band: from the lowest to the highest commune each "
        "month; dotted lines: the {worst} communes with the lowest rate over the period. The data table has each.",
    },
    "regularity.trend_spread.provinces": {
        "vi": "Đường đậm: chung {n} tỉnh, thành phố đang xem; dải màu: từ tỉnh thấp nhất đến tỉnh cao nhất mỗi "
        "tháng; đường chấm: {worst} tỉnh có tỷ lệ thấp nhất trong thời gian đã chọn. Bảng số liệu có từng tỉnh.",
        "en": "Bold line: the {n} provinces in view together; band: from the lowest to the highest province each "
        "month; dotted lines: the {worst} provinces with the lowest rate over the period. The data table has each.",
    },
    "trend.overall": {"vi": "Chung", "en": "All together"},
    "trend.spread": {"vi": "Thấp nhất – cao nhất", "en": "Lowest – highest"},
    "regularity.ranking_title": {"vi": "Xếp hạng tổ chức cơ sở đảng", "en": "Base organisations ranked"},
    # ----- Participation page
    "participation.title": {"vi": "Đảng viên tham gia sinh hoạt", "en": "Member participation"},
    "participation.trend_title": {"vi": "Diễn biến so với mục tiêu", "en": "Trend against the target"},
    "participation.distribution_title": {
        "vi": "Phân bố tỷ lệ tham gia của các buổi sinh hoạt",
        "en": "Distribution of meeting participation rates",
    },
    "participation.communes_title": {"vi": "So sánh các xã, thị trấn", "en": "Communes compared"},
    "participation.communes_title.provinces": {"vi": "So sánh các tỉnh, thành phố", "en": "Provinces compared"},
    "participation.below_title": {"vi": "Chi bộ dưới mục tiêu", "en": "Cells below the target"},
    "participation.unexcused_title": {
        "vi": "Tỷ lệ vắng mặt: không lý do và có lý do",
        "en": "Absence shares: without and with a reason",
    },
    "participation.absence_hover": {"vi": "{n} trên {of} lượt", "en": "{n} of {of} attendances"},
    "participation.target_line": {"vi": "Mục tiêu {target}", "en": "Target {target}"},
    "participation.count_meetings": {"vi": "Số buổi", "en": "Meetings"},
    # ----- Thematic topics, Inspections, Classification and Organisations views
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
    "kpi.open_follow_ups": {"vi": "Đang khắc phục, chưa đến hạn", "en": "Open, not yet due"},
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
    "topics.heat_hover": {
        "vi": "{held} trên {cells} chi bộ của xã đã sinh hoạt chủ đề này ({meetings} buổi)",
        "en": "{held} of the commune's {cells} cells held this topic ({meetings} meetings)",
    },
    "topics.heat_help": {
        "vi": "Mỗi ô: tỷ lệ chi bộ của xã đã sinh hoạt chủ đề đó trong thời gian đã chọn (số chi bộ có chủ đề ÷ số chi "
        "bộ của xã); rê chuột để xem số chi bộ và số buổi.",
        "en": "Each square: the share of the commune's cells that held the topic in the period (cells with the topic "
        "÷ the commune's cells); hover for the cells and meetings.",
    },
    "topics.heatmap_title.provinces": {"vi": "Chủ đề × tỉnh, thành phố", "en": "Topic × province"},
    "topics.coverage_trend_title": {"vi": "Tỷ lệ sinh hoạt chuyên đề theo quý", "en": "Thematic coverage by quarter"},
    "topics.coverage_communes_title": {
        "vi": "Tỷ lệ sinh hoạt chuyên đề của các xã",
        "en": "Thematic coverage per commune",
    },
    "topics.coverage_communes_title.provinces": {
        "vi": "Tỷ lệ sinh hoạt chuyên đề của các tỉnh, thành phố",
        "en": "Thematic coverage per province",
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
    "inspections.communes_title.provinces": {"vi": "Kết quả theo tỉnh, thành phố", "en": "Outcomes per province"},
    "inspections.bodies_title": {"vi": "Theo chủ thể kiểm tra, giám sát", "en": "By inspecting body"},
    "inspections.kinds_title": {"vi": "Kiểm tra và giám sát", "en": "Inspection and supervision"},
    "inspections.overdue_title": {"vi": "Khắc phục đang quá hạn", "en": "Follow-ups overdue now"},
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
    "classification.communes_title.provinces": {
        "vi": "Cơ cấu xếp loại của các tỉnh, thành phố, năm {year}",
        "en": "Mix of levels per province, {year}",
    },
    "classification.year": {"vi": "Năm xếp loại", "en": "Year"},
    "classification.grid_title": {"vi": "Xếp loại từng tổ chức cơ sở đảng", "en": "Each base organisation"},
    "classification.runs_title": {
        "vi": "Hoàn thành xuất sắc nhiệm vụ nhiều năm liền",
        "en": "Excellent several years in a row",
    },
    "classification.earlier_years": {
        "vi": "Chưa có kết quả xếp loại trong thời gian đã chọn (năm {asked} được xếp loại vào cuối năm): "
        "đang hiển thị {first}–{last}, hai năm gần nhất đã xếp loại.",
        "en": "No classification in the chosen period yet ({asked} is classified at its end): showing "
        "{first}–{last}, the two latest classified years.",
    },
    "classification.no_runs": {
        "vi": "Chưa có tổ chức nào hoàn thành xuất sắc nhiệm vụ {n} năm liền trong phạm vi đã chọn.",
        "en": "No organisation in the chosen scope was excellent {n} years in a row.",
    },
    # ----- Organisations page
    "organisations.viewing": {
        "vi": "Đang xem: {walk} (chọn ở trên; thời gian và loại hình theo bộ lọc bên trái).",
        "en": "Showing: {walk} (chosen above; the period and kind follow the sidebar's filters).",
    },
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
    "organisations.communes_title.provinces": {"vi": "Các tỉnh, thành phố", "en": "Provinces"},
    "organisations.communes_chart.provinces": {
        "vi": "Sinh hoạt đều đặn của các tỉnh, thành phố (bấm để xem các xã)",
        "en": "Regularity per province (click to see its communes)",
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
    # ----- added with the dashboard review (issues 3 and 8)
    "def.absences": {
        "vi": "Số lượt đảng viên vắng mặt không lý do (và có lý do) ÷ số lượt phải dự (đảng viên − miễn sinh hoạt), "
        "cộng trên mọi buổi sinh hoạt trong kỳ; xã có tỷ lệ vắng không lý do cao nhất ở trên cùng.",
        "en": "Member absences without (and with) a reason ÷ attendances expected (members − exempt), summed over "
        "the meetings in the period; the highest unexcused share at the top.",
    },
    "format.points": {"vi": "{value}\u00a0điểm\u00a0%", "en": "{value}\u00a0pts"},
    "col.rate_from": {"vi": "Tỷ lệ tham gia từ", "en": "Rate from"},
    "col.rate_to": {"vi": "đến dưới (100 %: đúng 100 %)", "en": "to below (100%: exactly 100%)"},
    "def.missed_meetings": {
        "vi": "Chi bộ không có buổi sinh hoạt thường kỳ (hoặc kết hợp) nào trong ít nhất một tháng phải sinh hoạt "
        "của {window} tháng gần nhất, tính đến ngày số liệu (không phụ thuộc kỳ đã chọn), trong các tháng xã đã gửi "
        "số liệu.",
        "en": "Cells that held no regular or combined meeting in at least one due month of the last {window} months "
        "up to the as-of date (whatever the period chosen), of the months their commune has reported.",
    },
    "filter.no_commune": {"vi": "không có xã nào trong phạm vi", "en": "no commune in scope"},
    # who has reported (data_access.reporting)
    "reporting.title": {"vi": "Tình hình gửi số liệu của các xã", "en": "Who has reported"},
    "reporting.month_title": {"vi": "Số liệu tháng {month}", "en": "Data for {month}"},
    "reporting.grid_title": {"vi": "Các xã theo tháng", "en": "Communes by month"},
    "reporting.commune_title": {"vi": "Tình hình gửi số liệu theo tháng", "en": "Data received, month by month"},
    "reporting.not_reported_title": {
        "vi": "Chi bộ thuộc các tháng xã chưa gửi số liệu ({window} tháng gần nhất)",
        "en": "Cells of months their commune has not reported (last {window} months)",
    },
    "reporting.not_reported_short": {"vi": "Chi bộ chưa gửi số liệu", "en": "Cells not reported"},
    "reporting.details": {"vi": "Xem chi tiết", "en": "Details"},
    "reporting.details_help": {
        "vi": "Chọn phần muốn xem, kèm định nghĩa và tải về; bấm lại để ẩn.",
        "en": "Choose what to see, with its definition and downloads; click again to hide it.",
    },
    "reporting.summary": {
        "vi": "Tháng {month}: {missing} xã chưa gửi, {late} xã gửi muộn, {received} xã đã gửi đúng hạn "
        "(hạn: {deadline}).",
        "en": "{month}: {missing} missing, {late} late, {received} received on time (deadline: {deadline}).",
    },
    "reporting.note_month": {"vi": "{n} xã chưa gửi số liệu tháng {month}", "en": "{month}: {n}"},
    "reporting.note": {
        "vi": "{months} — tỷ lệ chỉ tính các tháng đã gửi số liệu.",
        "en": "Communes that have not sent their data — {months}; rates count reported months only.",
    },
    "reporting.untracked": {
        "vi": "Chưa có bản ghi nào về việc gửi số liệu: mọi tháng được tính như đã báo cáo.",
        "en": "No reporting has been recorded yet: every month counts as reported.",
    },
    "reporting_status.received": {"vi": "Đã gửi", "en": "Received"},
    "reporting_status.late": {"vi": "Gửi muộn", "en": "Late"},
    "reporting_status.missing": {"vi": "Chưa gửi", "en": "Missing"},
    "reporting_status.not_due": {"vi": "Chưa đến hạn", "en": "Not yet due"},
    "col.received_at": {"vi": "Nhận lúc", "en": "Received at"},
    "col.file": {"vi": "Tệp", "en": "File"},
    "col.cells_with_meetings": {"vi": "Chi bộ có số liệu sinh hoạt", "en": "Cells with meetings"},
    "col.nothing_to_report": {"vi": "Không có số liệu báo cáo", "en": "Nothing to report"},
    "col.deadline": {"vi": "Hạn gửi", "en": "Deadline"},
    "col.months_not_reported": {"vi": "Số tháng chưa gửi số liệu", "en": "Months not reported"},
    "def.reporting": {
        "vi": "Một tháng của xã là đã báo cáo khi đã nhận số liệu sinh hoạt của tháng đó (hoặc xã báo không có số "
        "liệu). Hạn gửi: ngày {day} tháng sau. Đã gửi: nhận đúng hạn; gửi muộn: nhận sau hạn; chưa gửi: quá hạn "
        "chưa nhận; chưa đến hạn: chưa nhận và chưa tới hạn. Tỷ lệ sinh hoạt chỉ tính các tháng đã báo cáo.",
        "en": "A commune's month is reported once its meeting data for that month has arrived (or it said it had "
        "nothing to report). Deadline: day {day} of the next month. Received: by the deadline; late: after it; "
        "missing: past the deadline, nothing received; not yet due: nothing received, deadline not passed. "
        "Regularity counts reported months only.",
    },
    "def.not_reported": {
        "vi": "Các chi bộ có tháng phải sinh hoạt (trong {window} tháng gần nhất) mà xã chưa gửi số liệu: chưa biết "
        "có sinh hoạt hay không, nên không bị tính là không sinh hoạt.",
        "en": "Cells with a due month (of the last {window}) their commune has not reported: whether they met is "
        "not known yet, so they are not counted as having missed it.",
    },
}

VOCABULARIES = (
    "organisation_kind",
    "cell_kind",
    "sector",
    "meeting_kind",
    "quality",
    "inspection_kind",
    "outcome",
    "rating",
    "cell_month",
)


def current_language() -> str:
    """The reader's language: the sidebar switch in this session, else the configured default."""
    if get_script_run_ctx() is not None:
        lang = st.session_state.get(LANGUAGE_KEY)
        if lang in LANGUAGES:
            return str(lang)
    return get_settings().language


def t(key: str, *, lang: str | None = None, **params: Any) -> str:
    """The text of `key` in `lang` (default: the current language), with `{name}` placeholders filled."""
    text = CATALOGUE[key][lang or current_language()]
    return text.format(**params) if params else text


def vocab_label(vocabulary: str, code: str, *, lang: str | None = None) -> str:
    """The label of a stored code (`vocab_label("outcome", "commended")`); unknown codes are shown as they are."""
    entry = CATALOGUE.get(f"{vocabulary}.{code}")
    return entry[lang or current_language()] if entry else code


def column_label(column: str, *, lang: str | None = None) -> str:
    """The header for a data-contract column; an unknown column keeps its own name."""
    entry = CATALOGUE.get(f"col.{column}")
    return entry[lang or current_language()] if entry else column


def column_labels(columns: Iterable[str], *, lang: str | None = None) -> dict[str, str]:
    """`{column: header}` for `DataFrame.rename(columns=...)`."""
    return {c: column_label(c, lang=lang) for c in columns}
