"""Property: re-importing what `export-data` wrote, with any optional columns left out, changes no stored value
(SQLite and PostgreSQL). A file that leaves out a column needed to tell records apart (an inspection's or rating's
cell, a rating's scheme) may be refused, but never written as second records."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from data_access.importing import FILE_KINDS, KINDS, export_csv, import_file
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


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_reimporting_the_export_without_optional_columns_changes_nothing(engine: Engine, data: st.DataObject) -> None:
    if not table_contents(engine)["Cell"]:
        _district(engine)
    kind = data.draw(st.sampled_from(KINDS), label="kind")
    dropped = data.draw(st.sets(st.sampled_from(OPTIONAL[kind]), min_size=1), label="dropped")
    before = table_contents(engine)
    report = import_file(engine, kind, _drop(export_csv(engine, kind), dropped), file_name="again.csv", today=TODAY)
    assert table_contents(engine) == before
    if not dropped & KEY_COLUMNS:
        assert report.written, [(p.row, p.column, p.message("en")) for p in report.problems]
        assert (report.rows_new, report.rows_updated) == (0, 0)
