"""The Import page (AppTest on views/import_data.py), on SQLite and PostgreSQL.

AppTest cannot put a file into `st.file_uploader`, so `ui.import_page.uploaded_file` (the one function that reads
the widget) is replaced by one that returns the test's file; everything after it runs as in the browser. The
widget itself is exercised in the browser (see the report of the Import branch, and tests/test_auth_browser.py for
the pattern). Sign-in is the session cookie, patched in as tests/test_auth_ui.py does.

The files are tiny and the expected numbers worked out by hand: the three units of tests/import_factories.py
(Lộc Sơn with Chi bộ thôn 1 and 2, Hòa Lộc with its school cell), and meetings of Chi bộ thôn 1 built on the valid
base row (30 members, 2 exempt, 25 present, 2 excused, 1 unexcused).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access import auth
from data_access.filters import Scope
from data_access.settings import get_settings
from tests.auth_factories import make_user, reload_user
from tests.import_factories import MEETING, UNITS_HEADER, csv_bytes, row_counts, rows_file, seed_units, xlsx_bytes
from ui import format as fmt
from ui import import_page
from ui.i18n import CATALOGUE
from ui.import_page import Upload

# Dialect-sensitive: what the database stores and how it answers concurrent writes; run on both.
pytestmark = pytest.mark.both_databases

SECRET = "s" * 48
PAGE = "../views/import_data.py"

THREE_MEETINGS = rows_file("meetings", {}, {"date": "2025-02-03"}, {"date": "2025-03-03"})
# Row 2 is valid; row 3 has 40 present of 30 − 2 = 28 expected; row 4 has 31 February.
TWO_BAD_ROWS = rows_file("meetings", {}, {"date": "2025-02-03", "present": 40}, {"date": "31/02/2025"})


def text(key: str, lang: str = "vi", **params: object) -> str:
    entry = CATALOGUE[f"import.{key}"][lang]
    return entry.format(**params) if params else entry


class Uploads:
    """Stands in for the upload widget: the file "in the widget" is `current` (None: nothing uploaded)."""

    def __init__(self) -> None:
        self.current: Upload | None = None
        self._count = 0

    def put(self, name: str, data: bytes) -> None:
        """A new upload (a new id, as Streamlit gives every upload, even of the same file)."""
        self._count += 1
        self.current = Upload(name=name, data=data, id=f"upload-{self._count}")


@pytest.fixture
def uploads(monkeypatch: pytest.MonkeyPatch) -> Uploads:
    holder = Uploads()
    monkeypatch.setattr(import_page, "uploaded_file", lambda: holder.current)
    return holder


@pytest.fixture
def db(engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Engine]:
    """The app's database is the test database with the three units; outside demo mode, with a signing key."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DEMO_MODE", "0")
    monkeypatch.setenv("SECRET_KEY", SECRET)
    monkeypatch.setenv("DASHBOARD_SECRETS", str(tmp_path / "no-secrets.toml"))
    monkeypatch.delenv("DASHBOARD_LANGUAGE", raising=False)
    get_settings.cache_clear()
    seed_units(engine)
    yield engine
    from ui import data

    data.engine().dispose()


def signed_in(
    monkeypatch: pytest.MonkeyPatch, engine: Engine, *, role: str = "admin", username: str = "quantri"
) -> None:
    user = make_user(engine, username=username, role=role)
    assert user.id is not None
    token = auth.issue_token(reload_user(engine, user.id), key=SECRET.encode(), hours=8)
    monkeypatch.setattr("ui.auth._request_cookie", lambda: token)


def open_page(*, kind: str = "meetings", lang: str | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    if lang is not None:
        at.session_state["lang"] = lang
    at.session_state[import_page.KIND_KEY] = kind
    at.run()
    assert not at.exception, at.exception
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def confirm(at: AppTest) -> AppTest:
    at.button(key=import_page.CONFIRM_KEY).click().run()
    assert not at.exception, at.exception
    return at


def counts(at: AppTest) -> tuple[int, int, int]:
    """The new / updated / unchanged metrics."""
    new, updated, unchanged = (int(m.value) for m in at.metric)
    return new, updated, unchanged


def test_a_district_viewer_is_refused(db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads) -> None:
    signed_in(monkeypatch, db, role="district", username="huyen")
    uploads.put("meetings.csv", THREE_MEETINGS)
    at = open_page()
    assert at.error[0].value == CATALOGUE["auth.forbidden"]["vi"]
    assert (len(at.title), len(at.dataframe), len(at.button)) == (0, 0, 0)


def test_nobody_signed_in_is_refused(db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads) -> None:
    monkeypatch.setattr("ui.auth._request_cookie", lambda: None)
    at = open_page()
    assert at.error[0].value == CATALOGUE["auth.forbidden"]["vi"] and len(at.title) == 0


def test_a_clean_file_is_previewed_and_nothing_is_written_before_confirming(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    signed_in(monkeypatch, db)
    uploads.put("meetings.csv", THREE_MEETINGS)
    at = open_page()
    preview = at.dataframe[0].value
    assert list(preview.index) == [2, 3, 4]
    assert list(preview["date"]) == ["2025-01-03", "2025-02-03", "2025-03-03"]
    assert list(preview["cell"]) == ["Chi bộ thôn 1"] * 3
    assert at.info[0].value == text("ready", rows=3)
    assert counts(at) == (3, 0, 0)  # the dry run's forecast
    assert row_counts(db)["Meeting"] == 0
    assert at.button(key=import_page.CONFIRM_KEY).label == text("confirm")


def test_confirming_writes_the_rows_and_shows_the_counts(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    signed_in(monkeypatch, db)
    uploads.put("meetings.csv", THREE_MEETINGS)
    at = confirm(open_page())
    assert row_counts(db)["Meeting"] == 3
    assert at.success[0].value == text("done", rows=3)
    assert counts(at) == (3, 0, 0)
    assert len(at.button) == 0  # no second confirm for the same upload


def test_the_batch_list_shows_the_new_import_with_its_importer(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    signed_in(monkeypatch, db, username="quantri")
    uploads.put("meetings.csv", THREE_MEETINGS)
    at = confirm(open_page())
    batches = at.dataframe[-1].value
    assert len(batches) == 2  # the units seeded by the fixture, then this file
    newest = batches.iloc[0]
    assert newest[text("col_file")] == "meetings.csv"
    assert newest[text("col_kind")] == "Sinh hoạt chi bộ"
    assert newest[text("col_by")] == "quantri"
    assert (newest[text("col_rows")], newest[text("col_new")], newest[text("col_unchanged")]) == (3, 3, 0)
    assert len(newest[text("col_sha")]) == 12
    when = dt.datetime.strptime(newest[text("col_when")], "%d/%m/%Y %H:%M").replace(tzinfo=fmt.VIETNAM_TIME)
    assert abs(dt.datetime.now(dt.UTC) - when) < dt.timedelta(minutes=5)


def test_a_file_with_two_bad_rows_lists_them_and_writes_nothing(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    signed_in(monkeypatch, db)
    before = row_counts(db)
    uploads.put("bad.csv", TWO_BAD_ROWS)
    at = open_page()
    assert at.error[0].value == text("has_errors", errors=2, bad_rows=2, rows=3)
    report = at.dataframe[1].value
    assert report[["dòng", "cột", "giá trị", "mức độ"]].values.tolist() == [
        [3, "present", "40", "lỗi"],
        [4, "date", "31/02/2025", "lỗi"],
    ]
    assert list(report["vấn đề"]) == [
        "Số có mặt (40) lớn hơn tổng số trừ miễn sinh hoạt (28).",
        "Ngày không tồn tại.",
    ]
    assert list(report["tệp"]) == ["bad.csv", "bad.csv"]
    assert len(at.button) == 0 and len(at.metric) == 0
    assert row_counts(db) == before


def test_the_same_file_imported_again_reports_every_row_unchanged(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    signed_in(monkeypatch, db)
    uploads.put("meetings.csv", THREE_MEETINGS)
    at = confirm(open_page())
    uploads.put("meetings.csv", THREE_MEETINGS)  # uploaded a second time
    at = rerun(at)
    assert counts(at) == (0, 0, 3)
    assert at.dataframe[1].value["mức độ"].tolist() == ["thông báo"]  # "already imported at … by quantri"
    assert "quantri" in at.dataframe[1].value["vấn đề"].iloc[0]
    at = confirm(at)
    assert counts(at) == (0, 0, 3)
    assert row_counts(db)["Meeting"] == 3 and row_counts(db)["ImportBatch"] == 3


def test_a_changed_row_is_counted_as_updated(db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads) -> None:
    signed_in(monkeypatch, db)
    uploads.put("meetings.csv", THREE_MEETINGS)
    at = confirm(open_page())
    # March: one of the 25 present is now excused (present 24, excused 3: still 28 in all).
    uploads.put(
        "meetings-v2.csv",
        rows_file("meetings", {}, {"date": "2025-02-03"}, {"date": "2025-03-03", "present": 24, "absent_excused": 3}),
    )
    at = confirm(rerun(at))
    assert counts(at) == (0, 1, 2)


def test_an_unreadable_file_shows_one_message_and_no_table(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    signed_in(monkeypatch, db)
    uploads.put("meetings.csv", "tổ chức;chi bộ\n".encode("utf-16"))
    at = open_page()
    assert len(at.error) == 1 and at.error[0].value.startswith("Tệp không phải")
    assert len(at.dataframe) == 1  # only the past imports
    assert len(at.button) == 0


def test_a_header_without_rows_shows_one_message_and_no_preview(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    signed_in(monkeypatch, db)
    uploads.put("empty.csv", csv_bytes(list(MEETING), []))
    at = open_page()
    assert [e.value for e in at.error] == ["Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu."]
    assert len(at.dataframe) == 1 and len(at.button) == 0  # only the past imports


def test_a_file_of_another_kind_says_the_header_does_not_fit(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    signed_in(monkeypatch, db)
    uploads.put("meetings.csv", THREE_MEETINGS)
    at = open_page(kind="ratings")
    assert at.error[0].value == text(
        "header_errors", errors=1, kind="Xếp loại chất lượng"
    )  # one error names both missing columns
    assert row_counts(db)["Rating"] == 0


def test_a_workbook_opens_on_its_first_filled_sheet_and_another_can_be_chosen(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    signed_in(monkeypatch, db)
    header = list(MEETING)
    workbook = xlsx_bytes(header, [list(MEETING.values())], sheets=("Ghi chú", "Sinh hoạt"), into="Sinh hoạt")
    uploads.put("thang1.xlsx", workbook)
    at = open_page()
    assert at.selectbox[0].options == ["Ghi chú", "Sinh hoạt"] and at.selectbox[0].value == "Sinh hoạt"
    assert list(at.dataframe[0].value["date"]) == ["2025-01-03"]
    at.selectbox[0].select("Ghi chú")
    assert rerun(at).error[0].value == "Tệp rỗng."  # the notes sheet is blank
    at.selectbox[0].select("Sinh hoạt")
    assert counts(confirm(rerun(at))) == (1, 0, 0)
    assert row_counts(db)["Meeting"] == 1


def test_the_dashboard_caches_are_cleared_by_an_import(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    from ui import data

    signed_in(monkeypatch, db)
    assert list(data.communes(scope=Scope.everything())["name"]) == ["Hòa Lộc", "Lộc Sơn"]  # now cached
    new_commune = ["Đa Lộc", "Đảng bộ xã Đa Lộc", "party_committee", "commune", "Chi bộ thôn 3", "village", 3, 25]
    uploads.put("units.csv", csv_bytes(UNITS_HEADER[:8], [new_commune]))
    confirm(open_page(kind="units"))
    assert sorted(data.communes(scope=Scope.everything())["name"]) == ["Hòa Lộc", "Lộc Sơn", "Đa Lộc"]


def test_the_page_in_english(db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads) -> None:
    signed_in(monkeypatch, db)
    uploads.put("bad.csv", TWO_BAD_ROWS)
    at = open_page(lang="en")
    assert at.title[0].value == "Import data"
    assert at.radio(key=import_page.KIND_KEY).options == [
        "Units (communes, organisations, cells)",
        "Cell meetings",
        "Inspections and supervisions",
        "Quality ratings",
    ]
    assert at.error[0].value == text("has_errors", "en", errors=2, bad_rows=2, rows=3)
    report = at.dataframe[1].value
    assert list(report.columns) == ["file", "row", "column", "value", "severity", "problem"]
    assert list(report["problem"]) == [
        "Present (40) exceeds members total minus exempt (28).",
        "No such day in the calendar.",
    ]
    assert at.dataframe[-1].value.columns[0] == "When"


def test_the_kind_names_and_columns_in_vietnamese(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    signed_in(monkeypatch, db)
    at = open_page(kind="ratings")
    assert at.radio(key=import_page.KIND_KEY).options == [
        "Đơn vị (xã, tổ chức, chi bộ)",
        "Sinh hoạt chi bộ",
        "Kiểm tra, giám sát",
        "Xếp loại chất lượng",
    ]
    assert at.caption[1].value == text(
        "columns", required="năm, tổ chức cơ sở đảng, mức xếp loại", optional="chi bộ, loại đánh giá"
    )
    assert len(at.dataframe) == 1 and len(at.button) == 0  # nothing uploaded: only the past imports


def test_template_and_report_file_names() -> None:
    assert import_page.template_name("meetings", "xlsx", lang="vi") == "mau-nhap-meetings.xlsx"
    assert import_page.template_name("ratings", "csv", lang="en") == "template-ratings.csv"
    assert import_page.report_name("thang 1.xlsx", lang="vi") == "thang 1-bao-cao-kiem-tra.csv"
    assert import_page.report_name("bad.csv", lang="en") == "bad-report.csv"


# --- what an import must not do without being told (issue 27) ------------------------------------------------------


def tick(at: AppTest, uploads: Uploads, name: str) -> AppTest:
    """Tick one consent box of the file on screen; the page checks the file again."""
    assert uploads.current is not None
    at.checkbox(key=import_page.consent_key(name, uploads.current.id)).check()
    return rerun(at)


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The table on the page that has `column` (the report: "vấn đề"; the changes: "Bị xoá")."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def report_table(at: AppTest) -> list[list[object]]:
    return table_with(at, "vấn đề")[["dòng", "cột", "mức độ"]].values.tolist()


def stored_meeting(db: Engine) -> tuple[object, ...]:
    from sqlalchemy import select

    from data_access.models import Meeting

    m = Meeting.__table__.c
    with db.connect() as conn:
        return tuple(conn.execute(select(m.duration_min, m.superior_attended, m.quality)).one())


def test_a_file_without_optional_columns_keeps_the_stored_values(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    signed_in(monkeypatch, db)
    uploads.put("meetings.csv", rows_file("meetings", {}))
    at = confirm(open_page())
    header = [c for c in MEETING if c not in ("duration_min", "superior_attended", "quality")]
    uploads.put("thang1.csv", csv_bytes(header, [[MEETING[c] for c in header]]))
    at = confirm(rerun(at))
    assert counts(at) == (0, 0, 1)
    assert stored_meeting(db) == (90, True, "good")


def test_blank_cells_that_erase_need_the_box_and_the_changes_are_listed(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    signed_in(monkeypatch, db)
    uploads.put("meetings.csv", rows_file("meetings", {}))
    at = confirm(open_page())
    uploads.put("blank.csv", rows_file("meetings", {"duration_min": "", "quality": ""}))
    at = rerun(at)
    assert at.error[0].value == text("has_errors", errors=2, bad_rows=1, rows=1)
    assert report_table(at) == [[2, "duration_min", "lỗi"], [2, "quality", "lỗi"]]
    assert table_with(at, "vấn đề")["vấn đề"].iloc[0].startswith("Ô trống sẽ xoá giá trị đang lưu “90”: cần xác nhận")
    assert len(at.button) == 0
    at = tick(at, uploads, "allow_clearing")
    assert at.info[0].value == text("ready", rows=1) and counts(at) == (0, 1, 0)
    assert table_with(at, "Bị xoá").values.tolist() == [["duration_min", 0, 1], ["quality", 0, 1]]
    assert stored_meeting(db) == (90, True, "good")  # the dry run wrote nothing
    confirm(at)
    assert stored_meeting(db) == (None, True, None)


def test_a_misspelt_commune_needs_both_boxes_before_it_moves_anything(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    from tests.import_factories import UNITS_ROWS

    signed_in(monkeypatch, db)
    uploads.put("units.csv", csv_bytes(UNITS_HEADER, [["Lộc Sơnn", *row[1:]] for row in UNITS_ROWS[:2]]))
    at = open_page(kind="units")
    assert report_table(at) == [[2, "commune", "lỗi"]]
    assert "có phải “Lộc Sơn”?" in table_with(at, "vấn đề")["vấn đề"].iloc[0]
    at = tick(at, uploads, "confirm_new")
    problems = table_with(at, "vấn đề")
    assert problems["vấn đề"].tolist()[-1] == (
        "Chuyển tổ chức đảng từ xã “Lộc Sơn” sang xã “Lộc Sơnn” (cùng 2 chi bộ): cần xác nhận "
        "(--allow-moves, hoặc ô “Cho phép chuyển đơn vị”)."
    )
    assert len(at.button) == 0 and row_counts(db)["Commune"] == 2
    at = tick(at, uploads, "allow_moves")
    confirm(at)
    assert row_counts(db)["Commune"] == 3


def test_a_rename_is_refused_as_a_new_cell_and_done_with_the_old_name(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    from tests.import_factories import UNITS_ROWS

    signed_in(monkeypatch, db)
    renamed = [*UNITS_ROWS[0][:4], "Chi bộ thôn Một", "", "", "", "2025-04-01", ""]
    uploads.put("units.csv", csv_bytes(UNITS_HEADER, [renamed, UNITS_ROWS[1]]))
    at = open_page(kind="units")
    assert report_table(at) == [[2, "cell", "cảnh báo"], [2, "cell", "lỗi"]]
    uploads.put(
        "units-v2.csv", csv_bytes([*UNITS_HEADER, "tên cũ"], [[*renamed, "Chi bộ thôn 1"], [*UNITS_ROWS[1], ""]])
    )
    at = rerun(at)
    assert report_table(at) == [[2, "tên cũ", "thông báo"]]
    assert counts(confirm(at)) == (1, 0, 1)
    assert row_counts(db)["Cell"] == 4


def test_members_written_with_a_thousands_dot(db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads) -> None:
    from tests.import_factories import UNITS_ROWS

    signed_in(monkeypatch, db)
    header = [*UNITS_HEADER[:7], "Số đảng viên", *UNITS_HEADER[8:]]  # the change table names it as the file does
    uploads.put("units.csv", csv_bytes(header, [[*UNITS_ROWS[0][:7], "1.000", *UNITS_ROWS[0][8:]]]))
    at = confirm(open_page(kind="units"))
    assert counts(at) == (0, 1, 0)
    assert table_with(at, "Bị xoá").values.tolist() == [["Số đảng viên", 1, 0]]


def test_a_workbook_claiming_the_whole_grid_is_refused_in_one_line(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    signed_in(monkeypatch, db)
    workbook = xlsx_bytes(list(MEETING), [list(MEETING.values())])
    uploads.put("bomb.xlsx", _claim_whole_grid(workbook))
    at = open_page()
    # the file's range is shown as written (its colon escaped in the Markdown), the limit with its separator
    assert [e.value for e in at.error] == [
        "Trang tính khai báo vùng dữ liệu A1\\:XFD1048576, quá giới hạn 250.000 dòng × 200 cột: "
        "hãy xoá các ô thừa ở xa rồi lưu lại."
    ]
    assert len(at.button) == 0


def test_a_csv_with_a_huge_field_says_so(db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads) -> None:
    signed_in(monkeypatch, db)
    uploads.put("huge.csv", csv_bytes(list(MEETING), [[*list(MEETING.values())[:-1], "x" * 200_000]]))
    at = open_page()
    assert [e.value for e in at.error] == ["Dòng 2 có một ô dài hơn 131.072 ký tự (có dấu ngoặc kép nào chưa đóng?)."]


def _claim_whole_grid(workbook: bytes) -> bytes:
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b'<dimension ref="A1:M2"/>', b'<dimension ref="A1:XFD1048576"/>')
            target.writestr(info.filename, content)
    return buffer.getvalue()


def test_a_misspelt_header_is_an_error_on_the_page(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    signed_in(monkeypatch, db)
    uploads.put("meetings.csv", rows_file("meetings", {}))
    at = confirm(open_page())
    data = dict(MEETING)
    data["superior_attendance"] = data.pop("superior_attended")
    uploads.put("thang1.csv", csv_bytes(list(data), [list(data.values())]))
    at = rerun(at)
    assert at.error[0].value == text("header_errors", errors=1, kind="Sinh hoạt chi bộ")
    assert report_table(at) == [[1, "superior_attendance", "lỗi"]]
    assert len(at.button) == 0
    assert stored_meeting(db) == (90, True, "good")


def test_inspections_without_findings_keep_them_on_the_page(
    db: Engine, monkeypatch: pytest.MonkeyPatch, uploads: Uploads
) -> None:
    from sqlalchemy import select

    from data_access.models import Inspection
    from tests.import_factories import INSPECTION

    signed_in(monkeypatch, db)
    findings = "Ưu điểm: họp đúng ngày\nHạn chế: biên bản sơ sài"
    uploads.put("kt.csv", rows_file("inspections", {"findings": findings, "resolved_on": "2025-05-20"}))
    at = confirm(open_page(kind="inspections"))
    header = [c for c in INSPECTION if c not in ("findings", "resolved_on")]
    uploads.put("kt-2.csv", csv_bytes(header, [[INSPECTION[c] for c in header]]))
    at = confirm(rerun(at))
    assert counts(at) == (0, 0, 1)
    i = Inspection.__table__.c
    with db.connect() as conn:
        assert tuple(conn.execute(select(i.findings, i.resolved_on)).one()) == (findings, dt.date(2025, 5, 20))


def test_the_uploader_refuses_what_the_import_would_refuse() -> None:
    import tomllib

    from data_access.importing.reading import MAX_FILE_MB

    config = tomllib.loads((Path(__file__).parent.parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_FILE_MB  # the uploader's "50MB per file" is the import's limit
