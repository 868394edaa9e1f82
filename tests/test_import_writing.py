"""Writing: all or nothing, idempotent, updates by natural key, counts and the ImportBatch audit; SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from data_access.importing import import_file, list_batches, template_csv, template_xlsx
from data_access.models import Cell, Meeting, Organisation, Topic
from tests.import_factories import (
    TODAY,
    UNITS_HEADER,
    UNITS_ROWS,
    csv_bytes,
    row_counts,
    rows_file,
    seed_units,
    table_contents,
)

pytestmark = pytest.mark.both_databases  # dialect-sensitive: runs on SQLite and PostgreSQL

THREE_MEETINGS = (
    {},
    {"date": "2025-02-03", "kind": "thematic", "topic": "Xây dựng nông thôn mới"},
    {
        "organisation": "Chi bộ Trường THCS Hòa Lộc",
        "cell": "Chi bộ Trường THCS Hòa Lộc",
        "members_total": 12,
        "members_exempt": 0,
        "present": 12,
        "absent_excused": 0,
        "absent_unexcused": 0,
    },
)


def _import(engine, kind: str, data: bytes, **kwargs):  # type: ignore[no-untyped-def]
    return import_file(engine, kind, data, file_name=f"{kind}.csv", imported_by="tester", today=TODAY, **kwargs)


def test_units_file_creates_communes_organisations_and_cells(engine) -> None:
    report = seed_units(engine)
    assert (report.rows_new, report.rows_updated, report.rows_unchanged) == (3, 0, 0)
    counts = row_counts(engine)
    assert (counts["Commune"], counts["Organisation"], counts["Cell"]) == (2, 2, 3)


def test_units_file_records_the_district_and_province_of_each_commune(engine) -> None:
    from data_access.models import Commune
    from tests.import_factories import UNITS_HEADER, UNITS_ROWS, csv_bytes

    header = [*UNITS_HEADER, "huyện", "tỉnh"]  # the Vietnamese headers of the template
    rows = [[*UNITS_ROWS[0], "Hậu Lộc", "Thanh Hóa"], [*UNITS_ROWS[1], "", ""], [*UNITS_ROWS[2], "", "Nghệ An"]]
    assert _import(engine, "units", csv_bytes(header, rows)).ok

    def places() -> list[tuple[str, str | None, str | None]]:
        with engine.connect() as conn:
            c = Commune.__table__.c
            return [tuple(r) for r in conn.execute(select(c.name, c.district, c.province).order_by(c.name))]

    # Lộc Sơn's second row leaves both blank: the first row's values stand
    assert places() == [("Hòa Lộc", None, "Nghệ An"), ("Lộc Sơn", "Hậu Lộc", "Thanh Hóa")]
    # a later file without the columns keeps them; one with another province moves the commune
    assert _import(engine, "units", csv_bytes(UNITS_HEADER, UNITS_ROWS)).ok
    assert places() == [("Hòa Lộc", None, "Nghệ An"), ("Lộc Sơn", "Hậu Lộc", "Thanh Hóa")]
    rows[2][-1] = "Hà Tĩnh"
    assert _import(engine, "units", csv_bytes(header, rows)).ok
    assert places()[0] == ("Hòa Lộc", None, "Hà Tĩnh")


def test_organisation_is_active_over_the_span_of_its_cells(engine) -> None:
    seed_units(engine)
    with engine.connect() as conn:
        org = conn.execute(
            select(Organisation.__table__).where(Organisation.__table__.c.name == "Đảng bộ xã Lộc Sơn")
        ).one()
    assert (org.active_from, org.active_to, org.kind, org.sector) == (
        dt.date(2020, 1, 1),
        None,
        "party_committee",
        "commune",
    )


def test_second_import_of_the_same_file_changes_nothing(engine) -> None:
    seed_units(engine)
    data = rows_file("meetings", *THREE_MEETINGS)
    first = _import(engine, "meetings", data)
    before = table_contents(engine)
    second = _import(engine, "meetings", data)
    assert (first.rows_new, second.rows_new, second.rows_updated, second.rows_unchanged) == (3, 0, 0, 3)
    assert table_contents(engine) == before
    assert [p.code for p in second.problems] == ["already_imported"]


def test_second_import_of_units_changes_nothing(engine) -> None:
    seed_units(engine)
    before = table_contents(engine)
    again = _import(engine, "units", csv_bytes(UNITS_HEADER, UNITS_ROWS))
    assert (again.rows_new, again.rows_updated, again.rows_unchanged) == (0, 0, 3)
    assert table_contents(engine) == before


def test_row_with_an_existing_key_updates_it(engine) -> None:
    seed_units(engine)
    _import(engine, "meetings", rows_file("meetings", {}))
    report = _import(
        engine,
        "meetings",
        rows_file("meetings", {"present": 27, "absent_excused": 1, "absent_unexcused": 0, "quality": "fair"}),
    )
    assert (report.rows_new, report.rows_updated, report.rows_unchanged) == (0, 1, 0)
    with engine.connect() as conn:
        meeting = conn.execute(select(Meeting.__table__)).one()
    assert (meeting.present, meeting.absent_excused, meeting.quality, meeting.import_batch_id) == (
        27,
        1,
        "fair",
        report.batch_id,
    )


def test_units_update_keeps_what_the_file_does_not_give(engine) -> None:
    seed_units(engine)
    header = ["commune", "organisation", "organisation_kind", "cell", "members"]
    report = _import(
        engine, "units", csv_bytes(header, [["Lộc Sơn", "Đảng bộ xã Lộc Sơn", "đảng bộ", "Chi bộ thôn 1", 33]])
    )
    assert (report.rows_new, report.rows_updated) == (0, 1)
    with engine.connect() as conn:
        cell = conn.execute(select(Cell.__table__).where(Cell.__table__.c.name == "Chi bộ thôn 1")).one()
    assert (cell.members, cell.meeting_day, cell.kind) == (33, 3, "village")


def test_file_with_one_bad_row_writes_nothing(engine) -> None:
    seed_units(engine)
    before = row_counts(engine)
    report = _import(engine, "meetings", rows_file("meetings", *THREE_MEETINGS, {"date": "2025-03-03", "present": 99}))
    assert (report.ok, report.written, report.errors) == (False, False, 1)
    assert row_counts(engine) == before


def test_dry_run_counts_but_writes_nothing(engine) -> None:
    seed_units(engine)
    before = row_counts(engine)
    report = _import(engine, "meetings", rows_file("meetings", *THREE_MEETINGS), dry_run=True)
    assert (report.ok, report.written, report.rows_new) == (True, False, 3)
    assert row_counts(engine) == before


def test_import_leaves_a_batch_record(engine) -> None:
    seed_units(engine)
    report = _import(engine, "meetings", rows_file("meetings", *THREE_MEETINGS))
    batches = list_batches(engine)
    latest = batches.iloc[0]
    assert (
        latest["id"],
        latest["kind"],
        latest["file_name"],
        latest["rows"],
        latest["rows_new"],
        latest["imported_by"],
    ) == (report.batch_id, "meetings", "meetings.csv", 3, 3, "tester")
    assert latest["sha256"] == report.sha256 and len(report.sha256) == 64
    assert list(batches["kind"]) == ["meetings", "units"]


def test_new_topic_is_added_to_the_topic_list(engine) -> None:
    seed_units(engine)
    report = _import(engine, "meetings", rows_file("meetings", THREE_MEETINGS[1]))
    assert [p.code for p in report.problems] == ["new_topic"]
    with engine.connect() as conn:
        topics = conn.execute(select(Topic.__table__.c.name_vi, Topic.__table__.c.category)).all()
    assert [tuple(t) for t in topics] == [("Xây dựng nông thôn mới", "other")]


def test_inspection_of_a_whole_organisation_is_idempotent(engine) -> None:
    seed_units(engine)
    data = rows_file("inspections", {}, {"cell": "Chi bộ thôn 1", "outcome": "commended", "reward_level": "Giấy khen"})
    first = _import(engine, "inspections", data)
    second = _import(engine, "inspections", data)
    assert (first.rows_new, second.rows_new, second.rows_unchanged) == (2, 0, 2)


def test_rating_of_a_whole_organisation_is_updated_not_duplicated(engine) -> None:
    seed_units(engine)
    _import(engine, "ratings", rows_file("ratings", {}, {"cell": "Chi bộ thôn 1"}))
    report = _import(engine, "ratings", rows_file("ratings", {"level": "hoàn thành xuất sắc nhiệm vụ"}))
    assert (report.rows_new, report.rows_updated) == (0, 1)
    assert row_counts(engine)["Rating"] == 2


def test_templates_import_cleanly(engine) -> None:
    units = _import(engine, "units", template_xlsx("units", "vi"))
    assert units.written
    for kind in ("meetings", "inspections", "ratings"):
        report = _import(engine, kind, template_csv(kind))
        assert (report.written, report.rows_new) == (True, 1), [p.message("en") for p in report.problems]


def test_template_csv_starts_with_a_bom() -> None:
    assert template_csv("meetings").startswith(b"\xef\xbb\xbforganisation,cell,date,kind")


def test_already_imported_notice_gives_the_earlier_time_in_vietnam_time(engine) -> None:
    from data_access.models import ImportBatch
    from ui import format as fmt

    seed_units(engine)
    data = rows_file("meetings", *THREE_MEETINGS)
    assert _import(engine, "meetings", data).written
    earlier = dt.datetime(2026, 3, 1, 20, 30, tzinfo=dt.UTC)  # 03:30 on 2 March in Việt Nam (UTC+7)
    with engine.begin() as conn:
        conn.execute(ImportBatch.__table__.update().values(imported_at=earlier))  # type: ignore[attr-defined]
    (notice,) = _import(engine, "meetings", data).problems
    assert notice.message("vi") == "Tệp có nội dung giống hệt đã được nhập lúc 02/03/2026 03:30 bởi tester."
    assert notice.message("en") == "A file with identical content was imported at 2 Mar 2026 03:30 by tester."
    # the same text as the import page's list of past imports gives that time (naive on SQLite, aware on PostgreSQL)
    for lang in ("vi", "en"):
        assert fmt.moment(notice.params["when"], lang=lang) in notice.message(lang)
