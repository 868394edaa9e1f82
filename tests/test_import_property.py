"""Property: re-importing with `python -m data_access import` what `export-data` printed, with any optional
columns left out, changes no stored value (SQLite and PostgreSQL). A file that leaves out a column needed to tell
records apart (an inspection's or rating's cell, a rating's scheme) may be refused, but never written as second
records."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from data_access.cli import main
from data_access.importing import FILE_KINDS, KINDS, import_file
from data_access.settings import get_settings
from tests.import_factories import TODAY, UNITS_HEADER, UNITS_ROWS, csv_bytes, rows_file, table_contents

KEY_COLUMNS = {"cell", "scheme"}  # optional columns that are part of a natural key

OPTIONAL = {kind: [c.name for c in spec.columns if not c.required and c.exported] for kind, spec in FILE_KINDS.items()}


def _district(engine: Engine) -> None:
    """Every optional column holds a value somewhere, so leaving any of them out could erase something."""
    header = [*UNITS_HEADER, "district", "province"]
    rows = [[*row, "Hậu Lộc", "Thanh Hóa"] for row in UNITS_ROWS]
    files = {
        "units": csv_bytes(header, rows),
        "meetings": rows_file(
            "meetings",
            {},
            {"date": "2025-02-03", "kind": "thematic", "topic": "Xây dựng nông thôn mới", "quality": "fair"},
            {"date": "2025-03-03", "superior_attended": "no", "quality": "", "duration_min": ""},
        ),
        "inspections": rows_file(
            "inspections",
            {"resolved_on": "2025-05-20", "findings": "Ưu điểm: họp đúng ngày\nHạn chế: biên bản sơ sài"},
            {"cell": "Chi bộ thôn 1", "outcome": "commended", "reward_level": "Giấy khen", "follow_up_due": ""},
            {"started_on": "2025-01-15", "outcome": "disciplined", "discipline_level": "Khiển trách"},
        ),
        "ratings": rows_file(
            "ratings",
            {},
            {"cell": "Chi bộ thôn 1", "level": "excellent"},
            {"scheme": "giữa nhiệm kỳ", "level": "complete"},
        ),
    }
    for kind, data in files.items():
        report = import_file(engine, kind, data, file_name=f"{kind}.csv", today=TODAY)
        assert report.written, [(p.row, p.column, p.message("en")) for p in report.problems]


def _drop(data: bytes, columns: set[str]) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    keep = [i for i, name in enumerate(rows[0]) if name not in columns]
    return csv_bytes([rows[0][i] for i in keep], [[row[i] for i in keep] for row in rows[1:]])


def _cli(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue() + err.getvalue()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_reimporting_the_export_without_optional_columns_changes_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data: st.DataObject
) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    if not table_contents(engine)["Cell"]:
        _district(engine)
    kind = data.draw(st.sampled_from(KINDS), label="kind")
    dropped = data.draw(st.sets(st.sampled_from(OPTIONAL[kind]), min_size=1), label="dropped")
    before = table_contents(engine)
    code, exported = _cli("export-data", kind)
    assert code == 0, exported
    again = tmp_path / "again.csv"
    again.write_bytes(_drop(exported.encode("utf-8"), dropped))
    code, out = _cli("import", kind, str(again), "--lang", "en", "--by", "property")
    assert table_contents(engine) == before
    if not dropped & KEY_COLUMNS:
        assert code == 0, out
        assert out.splitlines()[-1].endswith(
            "imported: 0 new, 0 updated, " + f"{len(before_rows(before, kind))} unchanged."
        )


def before_rows(contents: dict[str, list[tuple[object, ...]]], kind: str) -> list[tuple[object, ...]]:
    """The stored rows a file of `kind` has one line for (units: one per cell)."""
    table = {"units": "Cell", "meetings": "Meeting", "inspections": "Inspection", "ratings": "Rating"}[kind]
    return contents[table]
