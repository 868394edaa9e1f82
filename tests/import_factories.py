"""Small files for the import tests: a few units, and meeting/inspection/rating rows built from a valid base row."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from data_access.importing import ImportReport, import_file
from data_access.models import Cell, Commune, ImportBatch, Inspection, Meeting, Organisation, Rating, Topic

TODAY = dt.date(2025, 6, 30)
TABLES = (Commune, Organisation, Cell, Topic, Meeting, Inspection, Rating, ImportBatch)

UNITS_HEADER = [
    "commune",
    "organisation",
    "organisation_kind",
    "sector",
    "cell",
    "cell_kind",
    "meeting_day",
    "members",
    "active_from",
    "active_to",
]
UNITS_ROWS = [
    [
        "Lộc Sơn",
        "Đảng bộ xã Lộc Sơn",
        "party_committee",
        "commune",
        "Chi bộ thôn 1",
        "village",
        3,
        30,
        "2020-01-01",
        "",
    ],
    [
        "Lộc Sơn",
        "Đảng bộ xã Lộc Sơn",
        "party_committee",
        "commune",
        "Chi bộ thôn 2",
        "village",
        5,
        20,
        "2020-01-01",
        "2024-12-31",
    ],
    [
        "Hòa Lộc",
        "Chi bộ Trường THCS Hòa Lộc",
        "party_cell",
        "school",
        "Chi bộ Trường THCS Hòa Lộc",
        "school",
        10,
        12,
        "2020-01-01",
        "",
    ],
]

MEETING = {
    "organisation": "Đảng bộ xã Lộc Sơn",
    "cell": "Chi bộ thôn 1",
    "date": "2025-01-03",
    "kind": "regular",
    "topic": "",
    "members_total": 30,
    "members_exempt": 2,
    "present": 25,
    "absent_excused": 2,
    "absent_unexcused": 1,
    "duration_min": 90,
    "superior_attended": "yes",
    "quality": "good",
}
INSPECTION = {
    "organisation": "Đảng bộ xã Lộc Sơn",
    "cell": "",
    "body": "Ủy ban Kiểm tra Huyện ủy",
    "kind": "inspection",
    "started_on": "2025-03-10",
    "concluded_on": "2025-03-31",
    "outcome": "correction_required",
    "reward_level": "",
    "discipline_level": "",
    "follow_up_due": "2025-08-31",
    "resolved_on": "",
    "findings": "Sinh hoạt chưa đúng ngày",
}
RATING = {"year": 2024, "organisation": "Đảng bộ xã Lộc Sơn", "cell": "", "level": "good", "scheme": "annual"}
BASES = {"meetings": MEETING, "inspections": INSPECTION, "ratings": RATING}


def csv_bytes(header: list[str], rows: list[list[Any]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    def cell(value: Any) -> str:
        text = "" if value is None else str(value)
        if delimiter in text or '"' in text or "\n" in text:
            text = '"' + text.replace('"', '""') + '"'
        return text

    lines = [delimiter.join(cell(v) for v in line) for line in [header, *rows]]
    return ("\ufeff" if bom else "").encode() + ("\r\n".join(lines) + "\r\n").encode("utf-8")


def rows_file(kind: str, *changes: dict[str, Any]) -> bytes:
    """A CSV of `kind` with one row per `changes` (each applied to the valid base row)."""
    base = BASES[kind]
    header = list(base)
    return csv_bytes(header, [[{**base, **change}[c] for c in header] for change in changes or ({},)])


def xlsx_bytes(
    header: list[str], rows: list[list[Any]], *, sheets: tuple[str, ...] = ("Sheet1",), into: str | None = None
) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = sheets[0]
    for name in sheets[1:]:
        workbook.create_sheet(name)
    target = workbook[into or sheets[0]]
    target.append(header)
    for row in rows:
        target.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def seed_units(engine: Engine) -> ImportReport:
    report = import_file(engine, "units", csv_bytes(UNITS_HEADER, UNITS_ROWS), file_name="units.csv", today=TODAY)
    assert report.written, [p.message("en") for p in report.problems]
    return report


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.__name__: conn.execute(select(func.count()).select_from(t.__table__)).scalar_one() for t in TABLES}


def table_contents(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            t.__name__: sorted(map(tuple, conn.execute(select(t.__table__)).all()), key=repr)
            for t in TABLES
            if t is not ImportBatch
        }


def errors(report: ImportReport, lang: str = "en") -> list[tuple[int | None, str | None, str]]:
    """(row, column, message) of every error."""
    return [(p.row, p.column, p.message(lang)) for p in report.problems if p.severity == "error"]
