"""Fuzzing: arbitrary bytes and arbitrary edits of a valid file give a clean import or a report, never an
unhandled exception, never a partial write."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_access.importing import KINDS, import_file
from tests.import_factories import MEETING, TODAY, csv_bytes, row_counts, seed_units, xlsx_bytes

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HEADER = list(MEETING)
ROWS = [list({**MEETING, "date": f"2025-0{m}-03"}.values()) for m in range(1, 6)]


@pytest.fixture
def units_engine(sqlite_engine):  # type: ignore[no-untyped-def]
    seed_units(sqlite_engine)
    return sqlite_engine


def _assert_all_or_nothing(engine, kind: str, data: bytes, file_name: str) -> None:  # type: ignore[no-untyped-def]
    before = row_counts(engine)
    report = import_file(engine, kind, data, file_name=file_name, today=TODAY)
    after = row_counts(engine)
    if report.ok:
        assert report.written and after["ImportBatch"] == before["ImportBatch"] + 1
        assert report.rows_new + report.rows_updated + report.rows_unchanged == report.rows
    else:
        assert not report.written and after == before
        assert all(p.message("vi") and p.message("en") for p in report.problems)


@FUZZ
@given(data=st.binary(max_size=400), kind=st.sampled_from(KINDS), name=st.sampled_from(["f.csv", "f.xlsx", "f"]))
def test_arbitrary_bytes(units_engine, data: bytes, kind: str, name: str) -> None:
    _assert_all_or_nothing(units_engine, kind, data, name)


CELL_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "-1", "2.5", "31/02/2025", "2099-01-01", "có", "không", "x" * 300, "=1+1", "\x00", ";", '"']),
    st.integers(min_value=-5, max_value=50).map(str),
)


@FUZZ
@given(
    edits=st.lists(st.tuples(st.integers(0, len(ROWS) - 1), st.integers(0, len(HEADER) - 1), CELL_TEXT), max_size=4),
    semicolon=st.booleans(),
)
def test_edits_of_a_valid_csv(units_engine, edits: list, semicolon: bool) -> None:
    rows = [list(r) for r in ROWS]
    for row, column, value in edits:
        rows[row][column] = value
    data = csv_bytes(HEADER, rows, delimiter=";" if semicolon else ",")
    _assert_all_or_nothing(units_engine, "meetings", data, "m.csv")


VALID_XLSX = xlsx_bytes(HEADER, ROWS)  # built once: a workbook's zip carries the time, so its length can vary


@FUZZ
@given(data=st.data())
def test_truncated_or_flipped_xlsx(units_engine, data: st.DataObject) -> None:
    raw = bytearray(VALID_XLSX)
    cut = data.draw(st.integers(0, len(raw)))
    flips = data.draw(st.lists(st.integers(0, len(raw) - 1), max_size=3))
    for index in flips:
        raw[index] ^= 0xFF
    _assert_all_or_nothing(units_engine, "meetings", bytes(raw[: max(cut, 1)]), "m.xlsx")
