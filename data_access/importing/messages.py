"""The import's message catalogue: one entry per message code, in Vietnamese and English.

A problem is stored as a code with parameters (never as a finished sentence) so the interface renders it in the
reader's language. `{suggestion}` is special: it becomes " (có phải “X”?)" / " (did you mean “X”?)" when a close
existing name was found, and nothing otherwise. A datetime parameter (a stored UTC time, naive on SQLite) is
written in Vietnam time in the reader's date format, as the import page's list of past imports writes it
(`ui.format.moment`): vi `02/03/2026 03:30`, en `2 Mar 2026 03:30`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from babel.dates import format_date
from babel.numbers import format_decimal

LANGS = ("vi", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # The file as a whole.
    "empty": {"vi": "Tệp rỗng.", "en": "The file is empty."},
    "no_rows": {
        "vi": "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu.",
        "en": "The file has a header but no data rows.",
    },
    "not_a_table": {
        "vi": "Tệp không phải CSV hay XLSX.",
        "en": "The file is neither CSV nor XLSX.",
    },
    "old_xls": {
        "vi": "Định dạng .xls cũ không được hỗ trợ: hãy lưu lại thành .xlsx hoặc CSV UTF-8.",
        "en": "The old .xls format is not supported: save the file as .xlsx or CSV UTF-8.",
    },
    "encoding": {
        "vi": "Tệp không phải văn bản UTF-8 (byte {position}): trong Excel hãy chọn “CSV UTF-8”.",
        "en": "The file is not UTF-8 text (byte {position}): in Excel choose “CSV UTF-8”.",
    },
    "bad_xlsx": {"vi": "Không mở được tệp XLSX: {detail}.", "en": "The XLSX file cannot be opened: {detail}."},
    "sheet_missing": {
        "vi": "Không có trang tính “{sheet}”; các trang: {sheets}.",
        "en": "There is no sheet “{sheet}”; sheets: {sheets}.",
    },
    "file_too_large": {
        "vi": "Tệp nặng {size} MB, quá giới hạn {maximum} MB: hãy tách thành nhiều tệp.",
        "en": "The file is {size} MB, over the {maximum} MB limit: split it into several files.",
    },
    "xlsx_too_large": {
        "vi": "Tệp XLSX giải nén ra {size} MB, quá giới hạn {maximum} MB: hãy lưu lại chỉ với dữ liệu cần nhập.",
        "en": "The XLSX file inflates to {size} MB, over the {maximum} MB limit: save it with only the data to import.",
    },
    "xlsx_too_wide": {
        "vi": "Trang tính khai báo vùng dữ liệu {ref}, quá giới hạn {max_rows} dòng × {max_columns} cột: "
        "hãy xoá các ô thừa ở xa rồi lưu lại.",
        "en": "A sheet claims the range {ref}, over the limit of {max_rows} rows × {max_columns} columns: "
        "delete the stray far cells and save again.",
    },
    "too_many_rows": {
        "vi": "Tệp có hơn {maximum} dòng: hãy tách thành nhiều tệp.",
        "en": "The file has more than {maximum} rows: split it into several files.",
    },
    "csv_field_too_long": {
        "vi": "Dòng {row} có một ô dài hơn {maximum} ký tự (có dấu ngoặc kép nào chưa đóng?).",
        "en": "Row {row} has a value longer than {maximum} characters (is a quotation mark left open?).",
    },
    "csv_malformed": {
        "vi": "Dòng {row} không đọc được như CSV ({detail}).",
        "en": "Row {row} cannot be read as CSV ({detail}).",
    },
    "unknown_column_close": {
        "vi": "Cột không xác định{suggestion}: giá trị của nó sẽ bị bỏ qua, hãy sửa tên cột.",
        "en": "Unknown column{suggestion}: its values would be ignored; correct the header.",
    },
    "missing_columns": {"vi": "Thiếu cột bắt buộc: {columns}.", "en": "Required columns are missing: {columns}."},
    "duplicate_column": {
        "vi": "Cột {column} xuất hiện hai lần (tiêu đề: {headers}).",
        "en": "Column {column} appears twice (headers: {headers}).",
    },
    "unknown_column": {
        "vi": "Cột không xác định, sẽ bị bỏ qua{suggestion}.",
        "en": "Unknown column, it is ignored{suggestion}.",
    },
    "database_refused": {
        "vi": "Cơ sở dữ liệu từ chối tệp ({detail}); không có gì được ghi.",
        "en": "The database refused the file ({detail}); nothing was written.",
    },
    "too_many_problems": {
        "vi": "Chỉ liệt kê {shown} lỗi đầu tiên trong tổng số {total}.",
        "en": "Only the first {shown} of {total} problems are listed.",
    },
    "already_imported": {
        "vi": "Tệp có nội dung giống hệt đã được nhập lúc {when} bởi {who}.",
        "en": "A file with identical content was imported at {when} by {who}.",
    },
    # One value.
    "required": {"vi": "Thiếu giá trị bắt buộc.", "en": "A value is required."},
    "not_a_number": {"vi": "Không phải là số.", "en": "Not a number."},
    "not_integer": {"vi": "Phải là số nguyên.", "en": "Must be a whole number."},
    "decimal_number": {
        "vi": "Phải là số nguyên (đọc được {number}).",
        "en": "Must be a whole number (read as {number}).",
    },
    "ambiguous_number": {
        "vi": "Không rõ là {one} hay {thousand}: hãy viết số không có dấu phân cách.",
        "en": "Unclear whether this is {one} or {thousand}: write the number without separators.",
    },
    "looks_like_markup": {
        "vi": "Tên có ký hiệu định dạng (liên kết, thẻ HTML, Markdown); sẽ được lưu và hiển thị đúng như viết.",
        "en": "The name holds markup (a link, an HTML tag, Markdown); it is stored and shown exactly as written.",
    },
    "looks_like_formula": {
        "vi": "Tên bắt đầu bằng {first} như một công thức bảng tính; kiểm tra lại có đúng không.",
        "en": "The name starts with {first} like a spreadsheet formula; check that it is right.",
    },
    "negative": {"vi": "Không được là số âm.", "en": "Must not be negative."},
    "out_of_range": {
        "vi": "Phải nằm trong khoảng {minimum}–{maximum}.",
        "en": "Must be between {minimum} and {maximum}.",
    },
    "bad_date": {
        "vi": "Không phải ngày (dùng YYYY-MM-DD hoặc DD/MM/YYYY).",
        "en": "Not a date (use YYYY-MM-DD or DD/MM/YYYY).",
    },
    "impossible_date": {"vi": "Ngày không tồn tại.", "en": "No such day in the calendar."},
    "date_too_early": {"vi": "Ngày trước {minimum}.", "en": "The date is before {minimum}."},
    "future_date": {
        "vi": "Ngày ở tương lai (hôm nay là {today}).",
        "en": "The date is in the future (today is {today}).",
    },
    "future_year": {
        "vi": "Năm ở tương lai (năm nay là {year}).",
        "en": "The year is in the future (this year is {year}).",
    },
    "not_in_list": {"vi": "Giá trị không thuộc danh sách: {choices}.", "en": "Not one of: {choices}."},
    "not_yes_no": {"vi": "Phải là có/không (yes/no, 1/0).", "en": "Must be yes/no (có/không, 1/0)."},
    "too_long": {"vi": "Dài quá {maximum} ký tự.", "en": "Longer than {maximum} characters."},
    # Units.
    "unknown_organisation": {
        "vi": "Không có tổ chức đảng này{suggestion}.",
        "en": "No such organisation{suggestion}.",
    },
    "unknown_cell": {
        "vi": "“{organisation}” không có chi bộ này{suggestion}.",
        "en": "“{organisation}” has no such cell{suggestion}.",
    },
    "base_cell_name": {
        "vi": "Với chi bộ cơ sở (party_cell), tên chi bộ phải trùng tên tổ chức “{organisation}”.",
        "en": "For a base party cell (party_cell) the cell must be named like the organisation “{organisation}”.",
    },
    "inconsistent_organisation": {
        "vi": "Tổ chức “{organisation}” có {field} = “{first}” ở dòng {first_row}, khác dòng này.",
        "en": "Organisation “{organisation}” has {field} = “{first}” on row {first_row}, not as on this row.",
    },
    "new_commune": {"vi": "Xã mới, sẽ được tạo{suggestion}.", "en": "New commune, it will be created{suggestion}."},
    "new_organisation": {
        "vi": "Tổ chức đảng mới, sẽ được tạo{suggestion}.",
        "en": "New organisation, it will be created{suggestion}.",
    },
    "new_commune_close": {
        "vi": "Xã mới nhưng gần giống xã đã có{suggestion}: sửa tên, hoặc xác nhận là tên mới "
        "(--confirm-new, ô “Xác nhận tên mới”, hoặc “có” ở cột tên mới).",
        "en": "A new commune close to an existing one{suggestion}: correct the name, or confirm it as new "
        "(--confirm-new, the “Confirm new names” box, or yes in a new_name column).",
    },
    "new_organisation_close": {
        "vi": "Tổ chức đảng mới nhưng gần giống tổ chức đã có{suggestion}: sửa tên, hoặc xác nhận là tên mới "
        "(--confirm-new, ô “Xác nhận tên mới”, hoặc “có” ở cột tên mới).",
        "en": "A new organisation close to an existing one{suggestion}: correct the name, or confirm it as new "
        "(--confirm-new, the “Confirm new names” box, or yes in a new_name column).",
    },
    "new_cell_close": {
        "vi": "Chi bộ mới nhưng gần giống chi bộ đã có{suggestion}: sửa tên, hoặc xác nhận là tên mới "
        "(--confirm-new, ô “Xác nhận tên mới”, hoặc “có” ở cột tên mới).",
        "en": "A new cell close to an existing one{suggestion}: correct the name, or confirm it as new "
        "(--confirm-new, the “Confirm new names” box, or yes in a new_name column).",
    },
    "new_cell_while_missing": {
        "vi": "Chi bộ mới trong khi chi bộ đang hoạt động “{missing}” không có trong tệp: nếu là đổi tên, ghi "
        "“{missing}” vào cột tên cũ (replaces); nếu là chi bộ mới, xác nhận (--confirm-new, ô “Xác nhận tên mới”, "
        "hoặc “có” ở cột tên mới).",
        "en": "A new cell while the active cell “{missing}” is missing from the file: if this renames it, write "
        "“{missing}” in the replaces column; if it is a new cell, confirm it (--confirm-new, the “Confirm new "
        "names” box, or yes in a new_name column).",
    },
    "cell_in_other_organisation": {
        "vi": "Chi bộ cùng tên đang hoạt động trong “{organisation}” cùng xã: không thể chuyển chi bộ sang tổ chức "
        "khác; hãy đóng nó ở đó (cột hoạt động đến) và xác nhận chi bộ này là mới (--confirm-new, ô “Xác nhận tên "
        "mới”, hoặc “có” ở cột tên mới).",
        "en": "An open cell of this name belongs to “{organisation}” in the same commune: a cell cannot move to "
        "another organisation; close it there (active_to) and confirm this one as new (--confirm-new, the “Confirm "
        "new names” box, or yes in a new_name column).",
    },
    "cell_missing_from_file": {
        "vi": "Chi bộ “{cell}” của “{organisation}” đang hoạt động nhưng không có trong tệp; nó vẫn hoạt động "
        "(muốn đóng thì ghi ngày vào cột hoạt động đến).",
        "en": "The cell “{cell}” of “{organisation}” is active but not in the file; it stays active "
        "(to close it, give its active_to).",
    },
    "moves_organisation": {
        "vi": "Chuyển tổ chức đảng từ xã “{old}” sang xã “{new}” (cùng {cells} chi bộ): cần xác nhận "
        "(--allow-moves, hoặc ô “Cho phép chuyển đơn vị”).",
        "en": "Moves the organisation from “{old}” to “{new}” (with its {cells} cells): this needs confirming "
        "(--allow-moves, or the “Allow moves” box).",
    },
    "moved_organisation": {
        "vi": "Chuyển tổ chức đảng từ xã “{old}” sang xã “{new}” (cùng {cells} chi bộ).",
        "en": "Moves the organisation from “{old}” to “{new}” (with its {cells} cells).",
    },
    "renames_cell": {
        "vi": "Đổi tên chi bộ “{old}”: chi bộ cũ đóng ngày {closed_on} (giữ lịch sử), chi bộ này tiếp nối từ {start}.",
        "en": "Renames the cell “{old}”: the old one is closed on {closed_on} (its history kept), this one continues "
        "it from {start}.",
    },
    "rename_unknown_cell": {
        "vi": "“{organisation}” không có chi bộ “{old}” để đổi tên{suggestion}.",
        "en": "“{organisation}” has no cell “{old}” to rename{suggestion}.",
    },
    "rename_needs_start": {
        "vi": "Đổi tên cần ngày bắt đầu của tên mới (cột hoạt động từ).",
        "en": "A rename needs the day the new name starts (active_from).",
    },
    "rename_same_name": {"vi": "Tên cũ trùng tên chi bộ.", "en": "The old name is the cell's own name."},
    "rename_later_meetings": {
        "vi": "Chi bộ cũ “{old}” có sinh hoạt từ {first} trở đi, sau ngày đổi tên {start}.",
        "en": "The old cell “{old}” has meetings from {first} on, after the rename on {start}.",
    },
    "lineage_needs_date": {
        "vi": "Có đơn vị kế tục “{successor}” nhưng thiếu ngày sáp nhập.",
        "en": "A successor “{successor}” is given without the day of the merger.",
    },
    "lineage_needs_successor": {
        "vi": "Có ngày sáp nhập nhưng không ghi đơn vị kế tục.",
        "en": "A merger day is given without the successor.",
    },
    "lineage_self": {"vi": "Đơn vị không thể kế tục chính nó.", "en": "A unit cannot be its own successor."},
    "unknown_successor": {
        "vi": "Không có đơn vị kế tục này (phải có sẵn hoặc có dòng trong tệp){suggestion}.",
        "en": "No such successor (it must be stored already or be a row of the file){suggestion}.",
    },
    "lineage_cycle": {
        "vi": "Sáp nhập vòng tròn: “{unit}” lại là đơn vị kế tục của chính đơn vị kế tục nó.",
        "en": "A merger in a circle: “{unit}” would end up succeeding itself.",
    },
    "inconsistent_lineage": {
        "vi": "“{unit}” có đơn vị kế tục “{first}” ở dòng {first_row}, khác dòng này.",
        "en": "“{unit}” has the successor “{first}” on row {first_row}, not as on this row.",
    },
    "clears_value": {
        "vi": "Ô trống sẽ xoá giá trị đang lưu “{old}”: cần xác nhận (--allow-clearing, hoặc ô “Cho phép xoá giá trị”).",
        "en": "The blank cell would erase the stored value “{old}”: this needs confirming (--allow-clearing, or the "
        "“Allow erasing” box).",
    },
    "cleared_value": {
        "vi": "Ô trống xoá giá trị đang lưu “{old}”.",
        "en": "The blank cell erases the stored value “{old}”.",
    },
    "near_duplicate": {
        "vi": "Đã có bản ghi cùng các cột khác nhưng {column} = “{stored}”; tệp không ghi {column} nên sẽ thành bản "
        "ghi thứ hai: hãy thêm cột {column}.",
        "en": "A stored record matches on the other columns but has {column} = “{stored}”; the file gives no "
        "{column}, so this would be a second record: add the {column} column.",
    },
    "new_topic": {
        "vi": "Chuyên đề mới, sẽ được thêm vào danh mục chuyên đề.",
        "en": "New topic, it will be added to the topic list.",
    },
    # Rules across columns.
    "dates_order": {"vi": "Ngày trước {other} ({other_value}).", "en": "The date is before {other} ({other_value})."},
    "cell_not_active": {
        "vi": "Chi bộ không hoạt động vào ngày này (hoạt động {active_from} – {active_to}).",
        "en": "The cell is not active on this date (active {active_from} – {active_to}).",
    },
    "exempt_exceeds_total": {
        "vi": "Số miễn sinh hoạt ({exempt}) lớn hơn tổng số đảng viên ({total}).",
        "en": "Members exempt ({exempt}) exceed members total ({total}).",
    },
    "present_exceeds_expected": {
        "vi": "Số có mặt ({present}) lớn hơn tổng số trừ miễn sinh hoạt ({expected}).",
        "en": "Present ({present}) exceeds members total minus exempt ({expected}).",
    },
    "counts_do_not_add_up": {
        "vi": "Có mặt + vắng có lý do + vắng không lý do = {sum}, nhưng tổng số trừ miễn sinh hoạt = {expected}.",
        "en": "Present + absent excused + absent unexcused = {sum}, but members total minus exempt = {expected}.",
    },
    "nothing_to_report_with_meeting": {
        "vi": "Dòng “không có số liệu báo cáo” chỉ ghi tổ chức và ngày (tháng); hãy để trống chi bộ, loại sinh hoạt"
        " và các số liệu, hoặc bỏ đánh dấu.",
        "en": "A “nothing to report” row names only the organisation and a date (the month); leave the cell, kind"
        " and counts blank, or unmark it.",
    },
    "thematic_without_topic": {
        "vi": "Sinh hoạt chuyên đề phải có tên chuyên đề.",
        "en": "A thematic meeting needs a topic.",
    },
    "duplicate_key": {
        "vi": "Trùng với dòng {first_row} ({key}).",
        "en": "Same {key} as row {first_row}.",
    },
}

_SUGGESTION = {"vi": " (có phải “{}”?)", "en": " (did you mean “{}”?)"}
_UNKNOWN = {"vi": "Lỗi không xác định: {}", "en": "Unknown problem: {}"}


VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7), "ICT")  # no daylight saving in Việt Nam
_DATE_PATTERN = {"vi": "dd/MM/y", "en": "d MMM y"}  # ui.format's date patterns


def local_moment(value: dt.datetime, lang: str = "vi") -> str:
    """A stored UTC time (naive on SQLite) in Vietnam time: vi `02/03/2026 03:30`, en `2 Mar 2026 03:30`."""
    lang = lang if lang in LANGS else "vi"
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    local = aware.astimezone(VIETNAM_TIME)
    return f"{format_date(local.date(), format=_DATE_PATTERN[lang], locale=lang)} {local:%H:%M}"


GROUPED_FROM = 10_000
"""Whole numbers from five digits up are written with the reader's thousands separator (250.000 dòng); shorter ones
stay as written, so that years (2025) and ranges of years read as years."""


def _value(value: object, lang: str) -> object:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= GROUPED_FROM:
        return format_decimal(value, locale=lang)
    return local_moment(value, lang) if isinstance(value, dt.datetime) else value


def render(code: str, params: Mapping[str, object] | None = None, lang: str = "vi") -> str:
    """The message for `code` in `lang` ("vi" or "en"), its parameters filled in."""
    lang = lang if lang in LANGS else "vi"
    values = {key: _value(value, lang) for key, value in (params or {}).items()}
    suggestion = values.get("suggestion")
    values["suggestion"] = _SUGGESTION[lang].format(suggestion) if suggestion else ""
    template = MESSAGES.get(code, {}).get(lang)
    if template is None:
        return _UNKNOWN[lang].format(code)
    try:
        return template.format(**values)
    except (KeyError, IndexError):  # a parameter is missing: still say what is wrong
        return template
