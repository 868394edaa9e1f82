"""An import never erases, moves or doubles what it was not clearly asked to change (SQLite and PostgreSQL, through
`python -m data_access import`).

Each test starts from the three units of tests/import_factories.py (Lộc Sơn: Chi bộ thôn 1, open, 30 members, meets
on the 3rd; Chi bộ thôn 2, closed 2024-12-31; Hòa Lộc: the school's base cell) and, where it needs them, one
stored meeting or inspection built on the factories' valid rows. Expected values are read off those rows.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_access.cli import main
from data_access.models import Cell, Commune, Inspection, Meeting, Organisation
from data_access.settings import get_settings
from tests.import_factories import (
    INSPECTION,
    MEETING,
    UNITS_HEADER,
    UNITS_ROWS,
    csv_bytes,
    row_counts,
    rows_file,
    seed_units,
    table_contents,
)

# Dialect-sensitive: what the database stores and how it answers concurrent writes; run on both.
pytestmark = pytest.mark.both_databases


@pytest.fixture
def db(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The CLI's database is the test's (either kind), holding the three units."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    seed_units(engine)
    yield engine
    get_settings.cache_clear()


def cli(tmp_path: Path, kind: str, data: bytes, *flags: str, name: str = "") -> tuple[int, list[str]]:
    """Import `data` as a file of `kind` with the CLI (English report); the exit code and the lines printed."""
    path = tmp_path / (name or f"{kind}.csv")
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    code = main(["import", kind, str(path), "--lang", "en", "--by", "tester", *flags], out=out, err=err)
    assert not err.getvalue(), err.getvalue()
    return code, out.getvalue().splitlines()


def without(data: dict[str, Any], *columns: str) -> bytes:
    """One row of `data` as a CSV without `columns` (as a clerk's sheet that never had them)."""
    header = [c for c in data if c not in columns]
    return csv_bytes(header, [[data[c] for c in header]])


def meeting_values(engine: Engine) -> tuple[Any, ...]:
    m = Meeting.__table__.c
    with engine.connect() as conn:
        return tuple(conn.execute(select(m.duration_min, m.superior_attended, m.quality, m.present)).one())


def stored_meeting(engine: Engine, tmp_path: Path) -> None:
    code, lines = cli(tmp_path, "meetings", rows_file("meetings", {}))
    assert code == 0, lines
    assert meeting_values(engine) == (90, True, "good", 25)


# --- 1. a column absent from the file leaves the stored value as it is ---------------------------------------------


def test_a_meeting_reimported_without_optional_columns_keeps_them(db: Engine, tmp_path: Path) -> None:
    stored_meeting(db, tmp_path)
    code, lines = cli(tmp_path, "meetings", without(MEETING, "duration_min", "superior_attended", "quality"))
    assert code == 0, lines
    assert (
        lines[-1] == "meetings.csv (meetings): 1 rows, 0 errors, 0 warnings; imported: 0 new, 0 updated, 1 unchanged."
    )
    assert meeting_values(db) == (90, True, "good", 25)


def test_a_misspelt_header_is_refused_and_erases_nothing(db: Engine, tmp_path: Path) -> None:
    stored_meeting(db, tmp_path)
    data = dict(MEETING)
    data["superior_attendance"] = data.pop("superior_attended")
    code, lines = cli(tmp_path, "meetings", csv_bytes(list(data), [list(data.values())]))
    assert code == 2
    assert lines[0] == (
        "meetings.csv:1 [superior_attendance] «superior_attendance» error: Unknown column (did you mean "
        "“superior_attended”?): its values would be ignored; correct the header."
    )
    assert meeting_values(db) == (90, True, "good", 25)


def test_blank_cells_that_would_erase_are_refused_with_row_column_and_value(db: Engine, tmp_path: Path) -> None:
    stored_meeting(db, tmp_path)
    before = table_contents(db)
    blank = rows_file("meetings", {"duration_min": "", "superior_attended": "", "quality": ""})
    code, lines = cli(tmp_path, "meetings", blank)
    assert code == 2
    assert lines[:3] == [
        "meetings.csv:2 [duration_min] error: The blank cell would erase the stored value “90”: this needs "
        "confirming (--allow-clearing, or the “Allow erasing” box).",
        "meetings.csv:2 [superior_attended] error: The blank cell would erase the stored value “yes”: this needs "
        "confirming (--allow-clearing, or the “Allow erasing” box).",
        "meetings.csv:2 [quality] error: The blank cell would erase the stored value “good”: this needs "
        "confirming (--allow-clearing, or the “Allow erasing” box).",
    ]
    assert lines[3:7] == [
        "changes in the updated rows:",
        "  duration_min: 1 erased",
        "  quality: 1 erased",
        "  superior_attended: 1 erased",
    ]
    assert table_contents(db) == before


def test_allow_clearing_erases_and_says_so(db: Engine, tmp_path: Path) -> None:
    stored_meeting(db, tmp_path)
    blank = rows_file(
        "meetings", {"duration_min": "", "superior_attended": "", "quality": "", "present": 24, "absent_excused": 3}
    )
    code, lines = cli(tmp_path, "meetings", blank, "--allow-clearing")
    assert code == 0, lines
    assert lines[0] == "meetings.csv:2 [duration_min] warning: The blank cell erases the stored value “90”."
    assert lines[-7:-1] == [
        "changes in the updated rows:",
        "  absent_excused: 1 changed",
        "  duration_min: 1 erased",
        "  present: 1 changed",
        "  quality: 1 erased",
        "  superior_attended: 1 erased",
    ]
    assert (
        lines[-1] == "meetings.csv (meetings): 1 rows, 0 errors, 3 warnings; imported: 0 new, 1 updated, 0 unchanged."
    )
    assert meeting_values(db) == (None, False, None, 24)


def test_an_explicit_no_is_a_change_not_an_erasure(db: Engine, tmp_path: Path) -> None:
    stored_meeting(db, tmp_path)
    code, lines = cli(tmp_path, "meetings", rows_file("meetings", {"superior_attended": "không", "duration_min": 60}))
    assert code == 0, lines
    assert meeting_values(db) == (60, False, "good", 25)
    assert lines[-4:-1] == [
        "changes in the updated rows:",
        "  duration_min: 1 changed",
        "  superior_attended: 1 changed",
    ]


def test_inspections_reimported_without_findings_and_resolution_keep_them(db: Engine, tmp_path: Path) -> None:
    resolved = {"resolved_on": "2025-05-20", "findings": "Sinh hoạt chưa đúng ngày\n- Chưa đủ biên bản"}
    assert cli(tmp_path, "inspections", rows_file("inspections", resolved))[0] == 0
    before = table_contents(db)
    code, lines = cli(tmp_path, "inspections", without({**INSPECTION, **resolved}, "findings", "resolved_on"))
    assert code == 0, lines
    assert table_contents(db) == before
    i = Inspection.__table__.c
    with db.connect() as conn:
        assert tuple(conn.execute(select(i.findings, i.resolved_on)).one()) == (
            "Sinh hoạt chưa đúng ngày\n- Chưa đủ biên bản",  # the line break is kept
            dt.date(2025, 5, 20),
        )


def test_a_cell_inspection_reimported_without_the_cell_column_is_not_doubled(db: Engine, tmp_path: Path) -> None:
    assert cli(tmp_path, "inspections", rows_file("inspections", {"cell": "Chi bộ thôn 1"}))[0] == 0
    code, lines = cli(tmp_path, "inspections", without({**INSPECTION, "cell": "Chi bộ thôn 1"}, "cell"))
    assert code == 2
    assert lines[0] == (
        "inspections.csv:2 [cell] error: A stored record matches on the other columns but has cell = “Chi bộ thôn 1”; "
        "the file gives no cell, so this would be a second record: add the cell column."
    )
    assert row_counts(db)["Inspection"] == 1


# --- 2. a typo or a move in a units file ---------------------------------------------------------------------------


def organisation_commune(engine: Engine, name: str) -> str:
    o, c = Organisation.__table__.c, Commune.__table__.c
    with engine.connect() as conn:
        return str(
            conn.execute(
                select(c.name).select_from(Organisation.__table__.join(Commune.__table__)).where(o.name == name)
            ).scalar_one()
        )


def test_a_misspelt_commune_is_refused_and_moves_nothing(db: Engine, tmp_path: Path) -> None:
    rows = [["Lộc Sơnn", *UNITS_ROWS[0][1:]], ["Lộc Sơnn", *UNITS_ROWS[1][1:]]]
    code, lines = cli(tmp_path, "units", csv_bytes(UNITS_HEADER, rows))
    assert code == 2
    assert lines[0] == (
        "units.csv:2 [commune] «Lộc Sơnn» error: A new commune close to an existing one (did you mean “Lộc Sơn”?): "
        "correct the name, or confirm it as new (--confirm-new, the “Confirm new names” box, or yes in a new_name column)."
    )
    assert organisation_commune(db, "Đảng bộ xã Lộc Sơn") == "Lộc Sơn"
    assert row_counts(db)["Commune"] == 2


def test_a_confirmed_new_commune_still_needs_the_move_allowed(db: Engine, tmp_path: Path) -> None:
    rows = [["Lộc Sơnn", *UNITS_ROWS[0][1:]], ["Lộc Sơnn", *UNITS_ROWS[1][1:]]]
    code, lines = cli(tmp_path, "units", csv_bytes(UNITS_HEADER, rows), "--confirm-new")
    assert code == 2
    assert lines[1] == (
        "units.csv:2 [commune] «Lộc Sơnn» error: Moves the organisation from “Lộc Sơn” to “Lộc Sơnn” (with its 2 cells): "
        "this needs confirming (--allow-moves, or the “Allow moves” box)."
    )
    assert organisation_commune(db, "Đảng bộ xã Lộc Sơn") == "Lộc Sơn"


def test_an_allowed_move_is_listed_and_done(db: Engine, tmp_path: Path) -> None:
    rows = [["Hòa Lộc", *UNITS_ROWS[0][1:]], ["Hòa Lộc", *UNITS_ROWS[1][1:]]]
    code, lines = cli(tmp_path, "units", csv_bytes(UNITS_HEADER, rows), "--allow-moves")
    assert code == 0, lines
    assert lines[0] == (
        "units.csv:2 [commune] «Hòa Lộc» warning: Moves the organisation from “Lộc Sơn” to “Hòa Lộc” (with its 2 cells)."
    )
    assert organisation_commune(db, "Đảng bộ xã Lộc Sơn") == "Hòa Lộc"


# --- 3. a rename is a rename ---------------------------------------------------------------------------------------

RENAMED = [
    "Lộc Sơn",
    "Đảng bộ xã Lộc Sơn",
    "party_committee",
    "commune",
    "Chi bộ thôn 1 (mới)",
    "",
    "",
    "",
    "2025-04-01",
    "",
]


def cells(engine: Engine) -> list[tuple[Any, ...]]:
    c = Cell.__table__.c
    with engine.connect() as conn:
        query = select(c.name, c.kind, c.meeting_day, c.members, c.active_from, c.active_to).order_by(c.id)
        return [tuple(r) for r in conn.execute(query)]


def test_a_renamed_cell_without_replaces_is_refused_not_doubled(db: Engine, tmp_path: Path) -> None:
    code, lines = cli(tmp_path, "units", csv_bytes(UNITS_HEADER, [UNITS_ROWS[1], RENAMED, UNITS_ROWS[2]]))
    assert code == 2
    assert lines[:2] == [
        "units.csv:2 [cell] «Chi bộ thôn 1» warning: The cell “Chi bộ thôn 1” of “Đảng bộ xã Lộc Sơn” is active but "
        "not in the file; it stays active (to close it, give its active_to).",
        "units.csv:3 [cell] «Chi bộ thôn 1 (mới)» error: A new cell while the active cell “Chi bộ thôn 1” is missing "
        "from the file: if this renames it, write “Chi bộ thôn 1” in the replaces column; if it is a new cell, "
        "confirm it (--confirm-new, the “Confirm new names” box, or yes in a new_name column).",
    ]
    assert row_counts(db)["Cell"] == 3


def test_replaces_closes_the_old_cell_and_the_new_one_continues_it(db: Engine, tmp_path: Path) -> None:
    m = dict(MEETING, date="2025-03-03")
    assert cli(tmp_path, "meetings", rows_file("meetings", m))[0] == 0
    header = [*UNITS_HEADER, "tên cũ"]
    data = csv_bytes(header, [[*UNITS_ROWS[1], ""], [*RENAMED, "Chi bộ thôn 1"], [*UNITS_ROWS[2], ""]])
    code, lines = cli(tmp_path, "units", data)
    assert code == 0, lines
    assert lines[0] == (
        "units.csv:3 [tên cũ] «Chi bộ thôn 1» notice: Renames the cell “Chi bộ thôn 1”: the old one is closed on "
        "2025-03-31 (its history kept), this one continues it from 2025-04-01."
    )
    assert lines[-1] == "units.csv (units): 3 rows, 0 errors, 0 warnings; imported: 1 new, 0 updated, 2 unchanged."
    assert cells(db) == [
        ("Chi bộ thôn 1", "village", 3, 30, dt.date(2020, 1, 1), dt.date(2025, 3, 31)),
        ("Chi bộ thôn 2", "village", 5, 20, dt.date(2020, 1, 1), dt.date(2024, 12, 31)),
        ("Chi bộ Trường THCS Hòa Lộc", "school", 10, 12, dt.date(2020, 1, 1), None),
        ("Chi bộ thôn 1 (mới)", "village", 3, 30, dt.date(2025, 4, 1), None),  # kind, day, members carried over
    ]
    assert row_counts(db)["Meeting"] == 1  # the March meeting stays with the old name
    before = table_contents(db)
    again_code, again = cli(tmp_path, "units", data)  # the same file again changes nothing
    assert again_code == 0 and again[-1].endswith("0 new, 0 updated, 3 unchanged.")
    assert table_contents(db) == before


def test_a_rename_after_the_old_cells_last_meeting_is_refused(db: Engine, tmp_path: Path) -> None:
    assert cli(tmp_path, "meetings", rows_file("meetings", {"date": "2025-04-03"}))[0] == 0
    header = [*UNITS_HEADER, "replaces"]
    code, lines = cli(tmp_path, "units", csv_bytes(header, [[*RENAMED, "Chi bộ thôn 1"]]))
    assert code == 2
    assert lines[0] == (
        "units.csv:2 [replaces] «Chi bộ thôn 1» error: The old cell “Chi bộ thôn 1” has meetings from 2025-04-03 on, "
        "after the rename on 2025-04-01."
    )


def test_a_new_cell_one_letter_from_an_existing_one_needs_confirming(db: Engine, tmp_path: Path) -> None:
    row = [*UNITS_ROWS[0][:4], "Chi bộ thon 1", *UNITS_ROWS[0][5:]]
    code, lines = cli(tmp_path, "units", csv_bytes(UNITS_HEADER, [row]))
    assert code == 2 and "A new cell close to an existing one (did you mean “Chi bộ thôn 1”?)" in lines[0]
    assert cli(tmp_path, "units", csv_bytes(UNITS_HEADER, [row]), "--confirm-new")[0] == 0
    assert row_counts(db)["Cell"] == 4


def test_the_file_can_confirm_a_new_name_row_by_row(db: Engine, tmp_path: Path) -> None:
    near = [*UNITS_ROWS[0][:4], "Chi bộ thon 1", *UNITS_ROWS[0][5:]]
    beside_missing = [*UNITS_ROWS[0][:4], "Chi bộ thôn 9", *UNITS_ROWS[0][5:]]
    header = [*UNITS_HEADER, "tên mới"]
    code, lines = cli(
        tmp_path, "units", csv_bytes(header, [[*near, "có"], [*beside_missing, ""], [*UNITS_ROWS[1], ""]])
    )
    assert code == 2  # row 3 is not confirmed: thôn 9 may be thôn 1 renamed
    assert [line.split(" error: ")[0] for line in lines if " error: " in line] == ["units.csv:3 [cell] «Chi bộ thôn 9»"]
    code, lines = cli(
        tmp_path, "units", csv_bytes(header, [[*near, "có"], [*beside_missing, "có"], [*UNITS_ROWS[1], ""]])
    )
    assert code == 0, lines
    assert row_counts(db)["Cell"] == 5


# --- 4. Vietnamese numbers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "stored", "message"),
    [
        ("1.000", 1000, None),
        ("1 000", 1000, None),
        ("30,0", 30, None),
        ("1.234,5", None, "Must be a whole number (read as 1.234,5)."),
        ("1,000", None, "Unclear whether this is 1 or 1000: write the number without separators."),
    ],
)
def test_members_in_vietnamese_number_format(
    db: Engine, tmp_path: Path, members: str, stored: int | None, message: str | None
) -> None:
    row = [*UNITS_ROWS[0][:7], members, *UNITS_ROWS[0][8:]]
    code, lines = cli(tmp_path, "units", csv_bytes(UNITS_HEADER, [row]))
    c = Cell.__table__.c
    with db.connect() as conn:
        members_now = conn.execute(select(c.members).where(c.name == "Chi bộ thôn 1")).scalar_one()
    if message is None:
        assert code == 0, lines
        assert members_now == stored
    else:
        assert code == 2
        assert lines[0] == f"units.csv:2 [members] «{members}» error: {message}"
        assert members_now == 30


def test_the_dry_run_shows_what_would_change_and_writes_nothing(db: Engine, tmp_path: Path) -> None:
    stored_meeting(db, tmp_path)
    before = table_contents(db)
    code, lines = cli(tmp_path, "meetings", rows_file("meetings", {"quality": ""}), "--dry-run", "--allow-clearing")
    assert code == 0
    assert lines == [
        "meetings.csv:2 [quality] warning: The blank cell erases the stored value “good”.",
        "changes in the updated rows:",
        "  quality: 1 erased",
        "meetings.csv (meetings): 1 rows, 0 errors, 1 warnings; ready to import: 0 new, 1 updated, 0 unchanged "
        "(nothing written).",
    ]
    assert table_contents(db) == before


def test_names_that_look_like_markup_or_formulas_are_warned_about(db: Engine, tmp_path: Path) -> None:
    rows = [
        [
            "Đa Lộc",
            "Đảng bộ xã Đa Lộc",
            "party_committee",
            "commune",
            "[Đăng nhập lại](http://x.example/phish)",
            "",
            3,
            5,
            "",
            "",
        ],
        ["Đa Lộc", "Đảng bộ xã Đa Lộc", "party_committee", "commune", '=HYPERLINK("http://x")', "", 3, 5, "", ""],
    ]
    code, lines = cli(tmp_path, "units", csv_bytes(UNITS_HEADER, rows), "--dry-run")
    assert code == 0
    warnings = [line for line in lines if " warning: " in line]
    assert warnings == [
        "units.csv:2 [cell] «[Đăng nhập lại](http://x.example/phish)» warning: The name holds markup (a link, an HTML "
        "tag, Markdown); it is stored and shown exactly as written.",
        'units.csv:3 [cell] «=HYPERLINK("http://x")» warning: The name starts with = like a spreadsheet formula; '
        "check that it is right.",
    ]


def test_a_cell_listed_under_another_organisation_of_its_commune_is_not_silently_doubled(
    db: Engine, tmp_path: Path
) -> None:
    police = ["Lộc Sơn", "Đảng bộ Công an xã Lộc Sơn", "party_committee", "armed_forces", "Chi bộ Công an 1"]
    assert cli(tmp_path, "units", csv_bytes(UNITS_HEADER, [[*police, "", 3, 5, "", ""]]))[0] == 0
    moved = [*police[:4], "Chi bộ thôn 1", "", 3, 30, "", ""]  # thôn 1 belongs to Đảng bộ xã Lộc Sơn
    code, lines = cli(tmp_path, "units", csv_bytes(UNITS_HEADER, [moved]))
    assert code == 2
    assert lines[0].startswith(
        "units.csv:2 [cell] «Chi bộ thôn 1» error: An open cell of this name belongs to “Đảng bộ xã Lộc Sơn” in the "
        "same commune: a cell cannot move to another organisation;"
    )
    assert row_counts(db)["Cell"] == 4
    assert cli(tmp_path, "units", csv_bytes(UNITS_HEADER, [moved]), "--confirm-new")[0] == 0
    assert row_counts(db)["Cell"] == 5
