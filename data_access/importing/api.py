"""The import's entry points: validate a file, import it (all or nothing), list past imports."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DataError, IntegrityError

from data_access import reporting
from data_access.errors import UserError
from data_access.importing.checking import Consent, Units, clean_cell, within_one_edit
from data_access.importing.kinds import CHECKERS
from data_access.importing.reading import FileProblem, Source, read_table, source_bytes
from data_access.importing.report import ImportReport, Problem
from data_access.importing.tables import batch_t, new_id
from data_access.importing.units_writing import UnitsWriter
from data_access.importing.vocab import FILE_KINDS, KINDS, fold
from data_access.importing.writing import InspectionsWriter, MeetingsWriter, RatingsWriter, Writer

WRITERS: dict[str, type[Writer]] = {
    "units": UnitsWriter,
    "meetings": MeetingsWriter,
    "inspections": InspectionsWriter,
    "ratings": RatingsWriter,
}

CHUNK_ROWS = 2_000


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise UserError(f"unknown file kind {kind!r}; use one of: {', '.join(KINDS)}")


def _new_report(kind: str, file_name: str, data: bytes) -> ImportReport:
    return ImportReport(kind=kind, file_name=file_name, sha256=hashlib.sha256(data).hexdigest())


def validate(
    engine: Engine,
    kind: str,
    source: Source,
    *,
    file_name: str = "",
    sheet: str | None = None,
    today: dt.date | None = None,
    consent: Consent | None = None,
) -> ImportReport:
    """Check every row of `source` as a file of `kind` against the database; write nothing.

    `source` is bytes, a path or a binary file object (an upload). Problems with the file as a whole (empty,
    not CSV/XLSX, not UTF-8, a missing column) are problems without a row. Raises UserError only for an
    unknown `kind`.
    """
    _check_kind(kind)
    data = source_bytes(source)
    report = _new_report(kind, file_name, data)
    with engine.connect() as conn:
        _run(conn, report, data, sheet=sheet, today=today or dt.date.today(), writer_factory=None, consent=consent)
    return report


def import_file(
    engine: Engine,
    kind: str,
    source: Source,
    *,
    file_name: str,
    imported_by: str = "",
    sheet: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    consent: Consent | None = None,
    imported_at: dt.datetime | None = None,
) -> ImportReport:
    """Validate, then write the whole file in one transaction, or nothing when any row has an error.

    `imported_at` (default: now, UTC) dates the batch and the receipt of the commune-months a meetings file covers.

    With `dry_run` the writing is done and rolled back, so the report's new/updated/unchanged counts are exact
    while the database stays as it was. A written import leaves an ImportBatch row (`report.batch_id`).

    A column absent from the file leaves the stored values as they are. What the writing pass finds against the
    stored rows (a blank cell erasing a value, an organisation moved to another commune, a renamed cell, a new row
    that may double a stored one) is an error unless `consent` accepts it; the report counts the changes per column.
    """
    _check_kind(kind)
    consent = consent or Consent()
    data = source_bytes(source)
    today = today or dt.date.today()
    first = _new_report(kind, file_name, data)
    with engine.connect() as conn:
        _run(conn, first, data, sheet=sheet, today=today, writer_factory=None, consent=consent)
    if not first.ok:
        return first
    report = _new_report(kind, file_name, data)
    report.dry_run = dry_run
    try:
        with _write_transaction(engine) as conn:
            batch = batch_t
            result = conn.execute(
                insert(batch).values(
                    file_name=file_name[:255],
                    sha256=report.sha256,
                    kind=kind,
                    imported_by=imported_by[:120],
                    imported_at=imported_at or dt.datetime.now(dt.UTC),
                )
            )
            batch_id = new_id(result)
            _run(
                conn,
                report,
                data,
                sheet=sheet,
                today=today,
                writer_factory=lambda units: WRITERS[kind](conn, units, batch_id, report=report, consent=consent),
                consent=consent,
            )
            for problem in first.problems:
                if problem.code == "already_imported":
                    report.add(problem)
            if not report.ok:  # the database changed between the two passes
                conn.rollback()
                return report
            conn.execute(
                update(batch)
                .where(batch.c.id == batch_id)
                .values(
                    rows=report.rows,
                    rows_new=report.rows_new,
                    rows_updated=report.rows_updated,
                    rows_unchanged=report.rows_unchanged,
                )
            )
            if dry_run:
                conn.rollback()
            else:
                conn.commit()
                report.written = True
                report.batch_id = batch_id
    except (IntegrityError, DataError) as exc:
        detail = str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0][:300]
        first.add(Problem("database_refused", params={"detail": detail}))
        first.dry_run = dry_run
        return first
    return report


@contextmanager
def _write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that rolls back unless committed. On SQLite the write lock is taken at the
    start (BEGIN IMMEDIATE), so the existing rows read for matching cannot change before they are written."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        finally:
            if conn.in_transaction():
                conn.rollback()


def _run(
    conn: Connection,
    report: ImportReport,
    data: bytes,
    *,
    sheet: str | None,
    today: dt.date,
    writer_factory: Any,
    consent: Consent | None,
) -> None:
    """Read and check every row into `report`; with a writer, also write the rows while no error is found."""
    try:
        table = read_table(data, file_name=report.file_name, sheet=sheet)
    except FileProblem as problem:
        report.add(Problem(problem.code, params=problem.params))
        return
    report.format, report.sheet = table.format, table.sheet
    positions = _map_columns(report, table.header)
    if not report.ok:
        return
    headers = {column: header for header, column in report.columns.items()}
    units = Units.load(conn)
    if writer_factory is None:  # the writing pass would find its own batch row
        _announce_repeat(conn, report)
    checker = CHECKERS[report.kind](units=units, report=report, headers=headers, today=today, consent=consent)
    writer: Writer | None = writer_factory(units) if writer_factory else None
    chunk: list[dict[str, Any]] = []
    try:
        for number, values in table.rows():
            report.rows += 1
            width = len(values)
            row = {column: clean_cell(values[i]) if i < width else None for i, column in positions}
            record = checker.check(number, row)
            if writer is None or record is None:
                continue
            chunk.append(record)
            if len(chunk) >= CHUNK_ROWS:
                writer.add(chunk)
                chunk = []
    except FileProblem as problem:
        report.add(Problem(problem.code, params=problem.params))
        return
    checker.finish()
    if report.rows == 0:
        report.add(Problem("no_rows"))
    if writer is not None:  # with errors the writer still compares (to report every erasure), writing nothing
        if chunk:
            writer.add(chunk)
        writer.finish()
        report.rows_new, report.rows_updated, report.rows_unchanged = writer.new, writer.updated, writer.unchanged


def _map_columns(report: ImportReport, header: list[str]) -> list[tuple[int, str]]:
    """Match the file's headers to the contract's columns; report unknown, repeated and missing ones."""
    import difflib

    kind = FILE_KINDS[report.kind]
    lookup = kind.header_lookup()
    positions: list[tuple[int, str]] = []
    seen: dict[str, str] = {}
    unknown: list[tuple[str, str | None, bool]] = []
    for index, text in enumerate(header):
        if not text.strip():
            continue
        column = lookup.get(fold(text))
        if column is None:
            close = difflib.get_close_matches(fold(text), list(lookup), n=1, cutoff=0.75)
            # short headers (mã, stt) are one edit from short aliases (xã) by chance: only longer ones count
            one_edit = (
                next((key for key in lookup if within_one_edit(fold(text), key)), None)
                if len(fold(text)) >= 5
                else None
            )
            suggestion = lookup[one_edit] if one_edit else (lookup[close[0]] if close else None)
            unknown.append((text, suggestion, one_edit is not None))
            continue
        if column in seen:
            report.add(
                Problem(
                    "duplicate_column", 1, column, text, text, {"column": column, "headers": f"{seen[column]}, {text}"}
                )
            )
            continue
        seen[column] = text
        report.columns[text] = column
        positions.append((index, column))
    for text, suggestion, close_by_one in unknown:
        # a misspelt header would silently leave a column out: an error when it is one edit from a column, or
        # close to one the file does not give otherwise (superior_attendance for superior_attended)
        if suggestion is not None and (close_by_one or suggestion not in seen):
            report.add(Problem("unknown_column_close", 1, None, text, text, {"suggestion": suggestion}))
        else:
            report.add(Problem("unknown_column", 1, None, text, text, {"suggestion": suggestion}, "warning"))
    missing = [name for name in kind.required if name not in seen]
    if missing:
        report.add(Problem("missing_columns", 1, None, None, "", {"columns": ", ".join(missing)}))
    return positions


def _announce_repeat(conn: Connection, report: ImportReport) -> None:
    b = batch_t.c
    query = (
        select(b.imported_at, b.imported_by)
        .where(b.sha256 == report.sha256, b.kind == report.kind)
        .order_by(b.imported_at.desc())
        .limit(1)
    )
    previous = conn.execute(query).first()
    if previous is not None:
        # the time itself: the message writes it in Vietnam time in the reader's format, as the list of imports does
        when = previous.imported_at
        report.add(
            Problem("already_imported", params={"when": when, "who": previous.imported_by or "?"}, severity="notice")
        )


BATCH_COLUMNS = (
    "id",
    "imported_at",
    "kind",
    "file_name",
    "rows",
    "rows_new",
    "rows_updated",
    "rows_unchanged",
    "imported_by",
    "sha256",
    "communes",
    "months",
)


def list_batches(engine: Engine, *, limit: int = 500) -> pd.DataFrame:
    """Past imports, newest first: one row per ImportBatch (demo generation included), with the communes and
    months it covered (`communes`: how many, `months`: `2025-03, 2025-04`; 0 and '' for a file of another kind)."""
    b = batch_t.c
    stored = BATCH_COLUMNS[:-2]
    query = select(*(b[name] for name in stored)).order_by(b.imported_at.desc(), b.id.desc()).limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    batches = pd.DataFrame([tuple(r) for r in rows], columns=list(stored))
    coverage = reporting.batch_coverage(engine, [int(i) for i in batches["id"]])
    batches["communes"] = [int(coverage["communes"].get(i, 0)) if len(coverage) else 0 for i in batches["id"]]
    batches["months"] = [str(coverage["months"].get(i, "")) if len(coverage) else "" for i in batches["id"]]
    return batches.astype({"communes": "int64"})
