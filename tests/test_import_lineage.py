"""The units file carries the lineage (successor and day of each commune, organisation and cell): exported by
`export-data units`, read back with no change, Vietnamese headers accepted, absent columns keeping what is stored,
and every bad row named with its row and column."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_access.importing import Consent, export_csv, export_table, import_file
from data_access.models import Cell, Commune, Organisation
from tests.import_factories import csv_bytes
from tests.merged_district import REFORM, merged

__all__ = ["merged"]  # the fixture

pytestmark = pytest.mark.both_databases  # import writing is dialect-sensitive

TODAY = dt.date(2025, 8, 20)


def _lineage(engine: Engine) -> dict[str, list[tuple[str, str | None, dt.date | None]]]:
    out: dict[str, list[tuple[str, str | None, dt.date | None]]] = {}
    with engine.connect() as conn:
        for model in (Commune, Organisation, Cell):
            t = model.__table__  # type: ignore[attr-defined]
            new = t.alias("new")
            rows = conn.execute(
                select(t.c.name, new.c.name, t.c.merged_on).outerjoin(new, new.c.id == t.c.merged_into_id)
            ).all()
            out[model.__name__] = sorted(((r[0], r[1], r[2]) for r in rows), key=str)
    return out


def _import(engine: Engine, data: bytes, consent: Consent | None = None):  # type: ignore[no-untyped-def]
    return import_file(engine, "units", data, file_name="units.csv", today=TODAY, consent=consent)


def _errors(report) -> list[tuple[int | None, str | None, str]]:  # type: ignore[no-untyped-def]
    return [(p.row, p.column, p.code) for p in report.problems if p.severity == "error"]


def test_the_units_export_carries_the_lineage(engine: Engine, merged: dict[str, int]) -> None:
    units = export_table(engine, "units")
    an = units[units["cell"] == "Chi bộ thôn An"].iloc[0]
    assert an["commune_merged_into"] == "Tân Lộc" and an["commune_merged_on"] == REFORM
    assert an["organisation_merged_into"] == "Đảng bộ xã Tân Lộc" and an["organisation_merged_on"] == REFORM
    assert an["cell_merged_into"] == "Chi bộ thôn An Bình" and an["cell_merged_on"] == REFORM
    dong = units[units["cell"] == "Chi bộ thôn Đông"].iloc[0]
    assert pd.isna(dong["commune_merged_into"]) and pd.isna(dong["cell_merged_on"])


def test_export_then_import_changes_nothing(engine: Engine, merged: dict[str, int]) -> None:
    before, lineage_before = export_table(engine, "units"), _lineage(engine)
    report = _import(engine, export_csv(engine, "units"))
    assert report.written, _errors(report)
    assert (report.rows_new, report.rows_updated, report.rows_unchanged) == (0, 0, 6)
    pd.testing.assert_frame_equal(export_table(engine, "units"), before)
    assert _lineage(engine) == lineage_before


def test_the_units_file_alone_rebuilds_the_lineage_in_an_empty_database(
    engine: Engine, blank_engine: Engine, merged: dict[str, int]
) -> None:
    from data_access.migrations import init_db

    init_db(blank_engine)
    report = _import(blank_engine, export_csv(engine, "units"))
    assert report.written, _errors(report)
    assert _lineage(blank_engine) == _lineage(engine)
    pd.testing.assert_frame_equal(export_table(blank_engine, "units"), export_table(engine, "units"))


def test_a_file_without_the_lineage_columns_keeps_the_stored_lineage(engine: Engine, merged: dict[str, int]) -> None:
    before = _lineage(engine)
    units = export_table(engine, "units")
    plain = units[[c for c in units.columns if "merged" not in c]]
    report = _import(engine, plain.to_csv(index=False).encode("utf-8"))
    assert report.written, _errors(report)
    assert report.rows_updated == 0
    assert _lineage(engine) == before


HEADER_VI = [
    "xã",
    "tổ chức",
    "loại tổ chức",
    "chi bộ",
    "xã kế tục",
    "ngày sáp nhập xã",
    "Chi bộ kế tục",
    "ngày kế tục chi bộ",
]


def test_vietnamese_headers_record_a_merger(engine: Engine, merged: dict[str, int]) -> None:
    rows = [
        ["Đông Lộc", "Đảng bộ xã Đông Lộc", "đảng bộ", "Chi bộ thôn Đông", "Tân Lộc", "01/07/2025", "", ""],
    ]
    report = _import(engine, csv_bytes(HEADER_VI, rows))
    assert report.written, _errors(report)
    assert report.rows_updated == 1
    assert ("Đông Lộc", "Tân Lộc", REFORM) in _lineage(engine)["Commune"]


def test_every_bad_lineage_row_is_named_and_nothing_is_written(engine: Engine, merged: dict[str, int]) -> None:
    before = _lineage(engine)
    header = ["commune", "organisation", "organisation_kind", "cell", "commune_merged_into", "commune_merged_on"]
    header += ["cell_merged_into", "cell_merged_on"]
    rows = [
        ["Đông Lộc", "Đảng bộ xã Đông Lộc", "party_committee", "Chi bộ thôn Đông", "Xã Không Có", "2025-07-01", "", ""],
        [
            "Tân Lộc",
            "Đảng bộ xã Tân Lộc",
            "party_committee",
            "Chi bộ thôn Cẩm",
            "",
            "",
            "Chi bộ thôn Cẩm",
            "2025-07-01",
        ],
        ["Tân Lộc", "Đảng bộ xã Tân Lộc", "party_committee", "Chi bộ thôn An Bình", "", "", "Chi bộ thôn X", ""],
    ]
    report = _import(engine, csv_bytes(header, rows))
    assert not report.written
    errors = _errors(report)
    assert (2, "commune_merged_into", "unknown_successor") in errors
    assert (3, "cell_merged_into", "lineage_self") in errors
    assert (4, "cell_merged_on", "lineage_needs_date") in errors
    headers = {p.column: p.header for p in report.problems if p.row == 2}
    assert headers["commune_merged_into"] == "commune_merged_into"
    assert _lineage(engine) == before


def test_a_merger_in_a_circle_is_refused(engine: Engine, merged: dict[str, int]) -> None:
    header = ["commune", "organisation", "organisation_kind", "cell", "commune_merged_into", "commune_merged_on"]
    rows = [["Tân Lộc", "Đảng bộ xã Tân Lộc", "party_committee", "Chi bộ thôn An Bình", "An Lộc", "2026-01-01"]]
    report = _import(engine, csv_bytes(header, rows))
    assert not report.written
    assert (2, "commune_merged_into", "lineage_cycle") in _errors(report)


def test_a_blank_successor_erases_the_stored_one_only_with_consent(engine: Engine, merged: dict[str, int]) -> None:
    header = ["commune", "organisation", "organisation_kind", "cell", "commune_merged_into", "commune_merged_on"]
    rows = [["An Lộc", "Đảng bộ xã An Lộc", "party_committee", "Chi bộ thôn An", "", ""]]
    refused = _import(engine, csv_bytes(header, rows))
    assert (2, "commune_merged_into", "clears_value") in _errors(refused)
    allowed = _import(engine, csv_bytes(header, rows), Consent(allow_clearing=True))
    assert allowed.written, _errors(allowed)
    assert ("An Lộc", None, None) in _lineage(engine)["Commune"]
