"""Every validation rule: a tiny file that breaks it, and the message the user reads (in English and Vietnamese)."""

from __future__ import annotations

import pytest

from data_access.importing import Consent, validate
from tests.import_factories import TODAY, csv_bytes, errors, rows_file, seed_units


@pytest.fixture
def units_engine(sqlite_engine):  # type: ignore[no-untyped-def]
    seed_units(sqlite_engine)
    return sqlite_engine


def _check(engine, kind: str, *changes: dict) -> list:  # type: ignore[no-untyped-def]
    return errors(validate(engine, kind, rows_file(kind, *changes), file_name=f"{kind}.csv", today=TODAY))


def test_valid_meeting_row_has_no_problem(units_engine) -> None:
    assert _check(units_engine, "meetings", {}) == []


MEETING_RULES = [
    (
        {"organisation": "Đảng bộ xã Lộc Sơm"},
        "organisation",
        "No such organisation (did you mean “Đảng bộ xã Lộc Sơn”?).",
    ),
    ({"cell": "Chi bộ thôn 1a"}, "cell", "“Đảng bộ xã Lộc Sơn” has no such cell (did you mean “Chi bộ thôn 1”?)."),
    ({"date": "31/02/2025"}, "date", "No such day in the calendar."),
    ({"date": "2025-13-01"}, "date", "No such day in the calendar."),
    ({"date": "hôm qua"}, "date", "Not a date (use YYYY-MM-DD or DD/MM/YYYY)."),
    ({"date": "2025-07-01"}, "date", "The date is in the future (today is 2025-06-30)."),
    ({"date": "1925-01-03"}, "date", "The date is before 1930-01-01."),
    ({"present": "-1"}, "present", "Must not be negative."),
    ({"present": "2.5"}, "present", "Must be a whole number."),
    ({"present": "nhiều"}, "present", "Not a number."),
    ({"members_total": ""}, "members_total", "A value is required."),
    (
        {"present": 29, "absent_excused": 0, "absent_unexcused": 0},
        "present",
        "Present (29) exceeds members total minus exempt (28).",
    ),
    (
        {"absent_unexcused": 0},
        "absent_unexcused",
        "Present + absent excused + absent unexcused = 27, but members total minus exempt = 28.",
    ),
    ({"members_exempt": 31}, "members_exempt", "Members exempt (31) exceed members total (30)."),
    ({"kind": "họp"}, "kind", "Not one of: regular, thematic, combined."),
    ({"quality": "xuất sắc"}, "quality", "Not one of: good, fair, average, poor."),
    ({"superior_attended": "có lẽ"}, "superior_attended", "Must be yes/no (có/không, 1/0)."),
    ({"kind": "thematic", "topic": ""}, "topic", "A thematic meeting needs a topic."),
    ({"cell": "Chi bộ thôn 2"}, "date", "The cell is not active on this date (active 2020-01-01 – 2024-12-31)."),
    ({"duration_min": 0}, "duration_min", "Must be between 1 and 1440."),
    ({"topic": "x" * 201}, "topic", "Longer than 200 characters."),
]


@pytest.mark.parametrize(("change", "column", "message"), MEETING_RULES, ids=[r[2][:40] for r in MEETING_RULES])
def test_meeting_rule(units_engine, change: dict, column: str, message: str) -> None:
    assert _check(units_engine, "meetings", change) == [(2, column, message)]


def test_message_in_vietnamese(units_engine) -> None:
    report = validate(
        units_engine,
        "meetings",
        rows_file("meetings", {"present": 29, "absent_excused": 0, "absent_unexcused": 0}),
        today=TODAY,
    )
    assert errors(report, "vi") == [(2, "present", "Số có mặt (29) lớn hơn tổng số trừ miễn sinh hoạt (28).")]


def test_duplicate_meeting_in_the_file_names_the_first_row(units_engine) -> None:
    assert _check(units_engine, "meetings", {}, {"quality": "fair"}) == [
        (3, "date", "Same organisation + cell + date + kind as row 2.")
    ]


def test_same_cell_and_day_with_another_kind_is_no_duplicate(units_engine) -> None:
    assert _check(units_engine, "meetings", {}, {"kind": "thematic", "topic": "Xây dựng nông thôn mới"}) == []


def test_every_bad_row_is_reported_not_only_the_first(units_engine) -> None:
    found = _check(units_engine, "meetings", {"present": "-1"}, {"date": "2025-02-03"}, {"date": "2025-02-30"})
    assert [(row, column) for row, column, _ in found] == [(2, "present"), (4, "date")]


VIETNAMESE_VALUES = [
    {"kind": "thường kỳ", "quality": "khá", "superior_attended": "có"},
    {"kind": "THUONG KY", "quality": "Trung bình", "superior_attended": "không"},
    {"kind": "kết hợp", "quality": "kém", "superior_attended": "1"},
    {"kind": "Chuyên đề", "topic": "Xây dựng nông thôn mới", "superior_attended": "0", "date": "03/01/2025"},
]


@pytest.mark.parametrize("change", VIETNAMESE_VALUES)
def test_vietnamese_values_are_accepted(units_engine, change: dict) -> None:
    assert _check(units_engine, "meetings", change) == []


UNITS_HEADER = ["commune", "organisation", "organisation_kind", "cell", "meeting_day", "active_from", "active_to"]


def _units(engine, *rows: list) -> list:  # type: ignore[no-untyped-def]
    return errors(validate(engine, "units", csv_bytes(UNITS_HEADER, list(rows)), today=TODAY))


def test_base_party_cell_must_carry_the_organisation_name(sqlite_engine) -> None:
    assert _units(sqlite_engine, ["Đa Lộc", "Chi bộ Trạm Y tế", "party_cell", "Chi bộ khác", 3, "", ""]) == [
        (
            2,
            "cell",
            "For a base party cell (party_cell) the cell must be named like the organisation “Chi bộ Trạm Y tế”.",
        )
    ]


def test_organisation_in_two_communes_is_refused(sqlite_engine) -> None:
    rows = [
        ["Đa Lộc", "Đảng bộ xã Đa Lộc", "đảng bộ", "Chi bộ thôn 1", 3, "", ""],
        ["Ngư Lộc", "Đảng bộ xã Đa Lộc", "đảng bộ", "Chi bộ thôn 2", 3, "", ""],
    ]
    assert _units(sqlite_engine, *rows) == [
        (3, "commune", "Organisation “Đảng bộ xã Đa Lộc” has commune = “Đa Lộc” on row 2, not as on this row.")
    ]


def test_meeting_day_beyond_28_is_refused(sqlite_engine) -> None:
    assert _units(sqlite_engine, ["Đa Lộc", "Đảng bộ xã Đa Lộc", "party_committee", "Chi bộ thôn 1", 29, "", ""]) == [
        (2, "meeting_day", "Must be between 1 and 28.")
    ]


def test_unit_closed_before_it_opened_is_refused(sqlite_engine) -> None:
    row = ["Đa Lộc", "Đảng bộ xã Đa Lộc", "party_committee", "Chi bộ thôn 1", 3, "2025-01-01", "2024-01-01"]
    assert _units(sqlite_engine, row) == [(2, "active_to", "The date is before active_from (2025-01-01).")]


def test_cell_listed_twice_is_refused(sqlite_engine) -> None:
    row = ["Đa Lộc", "Đảng bộ xã Đa Lộc", "party_committee", "Chi bộ thôn 1", 3, "", ""]
    assert _units(sqlite_engine, row, [*row[:3], " Chi bộ  thôn 1 ", 3, "", ""]) == [
        (3, "cell", "Same organisation + cell as row 2.")
    ]


def test_new_commune_one_letter_from_an_existing_one_is_refused_unless_confirmed(units_engine) -> None:
    data = csv_bytes(UNITS_HEADER, [["Lộc Sơnn", "Đảng bộ xã Lộc Sơn", "party_committee", "Chi bộ thôn 1", 3, "", ""]])
    report = validate(units_engine, "units", data, today=TODAY)
    assert [(p.severity, p.row, p.column, p.message("en")) for p in report.problems] == [
        (
            "error",
            2,
            "commune",
            "A new commune close to an existing one (did you mean “Lộc Sơn”?): correct the name, or confirm it as new "
            "(--confirm-new, the “Confirm new names” box, or yes in a new_name column).",
        )
    ]
    confirmed = validate(units_engine, "units", data, today=TODAY, consent=Consent(confirm_new=True))
    assert [(p.severity, p.message("en")) for p in confirmed.problems] == [
        ("notice", "New commune, it will be created (did you mean “Lộc Sơn”?).")
    ]


def test_new_commune_far_from_every_name_is_a_notice(units_engine) -> None:
    data = csv_bytes(UNITS_HEADER, [["Đa Lộc", "Đảng bộ xã Đa Lộc", "party_committee", "Chi bộ thôn 1", 3, "", ""]])
    report = validate(units_engine, "units", data, today=TODAY)
    assert [(p.severity, p.code) for p in report.problems] == [
        ("notice", "new_commune"),
        ("notice", "new_organisation"),
    ]


def test_inspection_concluded_before_it_started_is_refused(units_engine) -> None:
    assert _check(units_engine, "inspections", {"concluded_on": "2025-03-01"}) == [
        (2, "concluded_on", "The date is before started_on (2025-03-10).")
    ]


def test_inspection_outcome_outside_its_list_is_refused(units_engine) -> None:
    assert _check(units_engine, "inspections", {"outcome": "tốt"}) == [
        (2, "outcome", "Not one of: commended, satisfactory, correction_required, disciplined.")
    ]


def test_inspection_follow_up_may_be_due_in_the_future(units_engine) -> None:
    assert (
        _check(
            units_engine, "inspections", {"follow_up_due": "2026-01-31", "outcome": "cần khắc phục", "kind": "giám sát"}
        )
        == []
    )


def test_rating_for_a_future_year_is_refused(units_engine) -> None:
    assert _check(units_engine, "ratings", {"year": 2026}) == [
        (2, "year", "The year is in the future (this year is 2025).")
    ]


def test_rating_year_outside_range_is_refused(units_engine) -> None:
    assert _check(units_engine, "ratings", {"year": 1980}) == [(2, "year", "Must be between 1990 and 2100.")]


@pytest.mark.parametrize(
    "level",
    [
        "hoàn thành xuất sắc nhiệm vụ",
        "Hoan thanh tot nhiem vu",
        "hoàn thành",
        "không hoàn thành nhiệm vụ",
        "not_complete",
    ],
)
def test_rating_levels_in_vietnamese_are_accepted(units_engine, level: str) -> None:
    assert _check(units_engine, "ratings", {"level": level}) == []


def test_rating_of_a_cell_of_another_organisation_is_refused(units_engine) -> None:
    assert _check(units_engine, "ratings", {"cell": "Chi bộ Trường THCS Hòa Lộc"}) == [
        (2, "cell", "“Đảng bộ xã Lộc Sơn” has no such cell.")
    ]


def test_duplicate_rating_in_the_file_is_refused(units_engine) -> None:
    assert _check(units_engine, "ratings", {}, {"level": "excellent"}) == [
        (3, "year", "Same year + organisation + cell + scheme as row 2.")
    ]
