"""`python -m data_access import`: one line per problem, a summary, exit 0 when clean and 2 when not."""

from __future__ import annotations

import io

import pytest

from data_access.cli import main
from data_access.db import make_engine
from data_access.migrations import init_db
from tests.import_factories import UNITS_HEADER, UNITS_ROWS, csv_bytes, rows_file


@pytest.fixture
def database(tmp_path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    engine = make_engine(url)
    init_db(engine)
    engine.dispose()
    return tmp_path


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_clean_file_is_imported_and_summarised(database) -> None:
    path = database / "units.csv"
    path.write_bytes(csv_bytes(UNITS_HEADER, UNITS_ROWS))
    code, out, _ = _run("import", "units", str(path), "--lang", "en", "--by", "admin")
    assert code == 0
    assert (
        out.splitlines()[-1]
        == "units.csv (units): 3 rows, 0 errors, 0 warnings; imported: 3 new, 0 updated, 0 unchanged."
    )


def test_file_with_problems_exits_2_and_names_each_row(database) -> None:
    (database / "units.csv").write_bytes(csv_bytes(UNITS_HEADER, UNITS_ROWS))
    _run("import", "units", str(database / "units.csv"))
    path = database / "meetings.csv"
    path.write_bytes(rows_file("meetings", {"date": "2099-01-03"}, {"date": "2025-02-03", "kind": "họp"}))
    code, out, _ = _run("import", "meetings", str(path), "--lang", "vi")
    lines = out.splitlines()
    assert code == 2
    assert lines[0].startswith("meetings.csv:2 [date] «2099-01-03» lỗi: Ngày ở tương lai")
    assert lines[1] == "meetings.csv:3 [kind] «họp» lỗi: Giá trị không thuộc danh sách: regular, thematic, combined."
    assert lines[2] == "meetings.csv (meetings): 2 dòng, 2 lỗi, 0 cảnh báo; không có gì được ghi."


def test_dry_run_writes_nothing(database) -> None:
    path = database / "units.csv"
    path.write_bytes(csv_bytes(UNITS_HEADER, UNITS_ROWS))
    code, out, _ = _run("import", "units", str(path), "--dry-run", "--lang", "en")
    again_code, again, _ = _run("import", "units", str(path), "--dry-run", "--lang", "en")
    assert (code, again_code) == (0, 0)
    assert "ready to import: 3 new" in out.splitlines()[-1] and "ready to import: 3 new" in again.splitlines()[-1]


def test_missing_file_is_one_line_and_exit_2(database) -> None:
    code, _, err = _run("import", "units", str(database / "nope.csv"))
    assert (code, err.strip()) == (2, f"error: no such file: {database / 'nope.csv'}")


def test_export_data_prints_the_units_file(database) -> None:
    (database / "units.csv").write_bytes(csv_bytes(UNITS_HEADER, UNITS_ROWS))
    _run("import", "units", str(database / "units.csv"))
    code, out, _ = _run("export-data", "units")
    assert code == 0
    header = [*UNITS_HEADER[:1], "district", "province", *UNITS_HEADER[1:]]  # the file gave neither: blank
    lineage = [f"{level}_merged_{what}" for level in ("commune", "organisation", "cell") for what in ("into", "on")]
    assert out.splitlines()[0] == ",".join([*header, *lineage])
    assert (
        out.splitlines()[1]
        == "Hòa Lộc,,,Chi bộ Trường THCS Hòa Lộc,party_cell,school,Chi bộ Trường THCS Hòa Lộc,school,10,12,2020-01-01,"
        + "," * len(lineage)  # no successors
    )
