"""Export of the database into the four file kinds, in the contract's columns: what the import reads back."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_access.importing.report import _neutralise
from data_access.importing.tables import cell_t, commune_t, inspection_t, meeting_t, organisation_t, rating_t, topic_t
from data_access.importing.vocab import FILE_KINDS, KINDS
from data_access.vnsort import vn_key

_commune = commune_t.c
_org = organisation_t.c
_cell = cell_t.c


def _frame(engine: Engine, query: object, kind: str, sort_by: list[str]) -> pd.DataFrame:
    columns = [c.name for c in FILE_KINDS[kind].columns if c.exported]
    with engine.connect() as conn:
        rows = conn.execute(query).all()  # type: ignore[call-overload]
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    if frame.empty:
        return frame
    order = sorted(range(len(frame)), key=lambda i: tuple(_sort_key(frame.at[i, c]) for c in sort_by))
    return frame.iloc[order].reset_index(drop=True)


def _sort_key(value: object) -> object:
    if isinstance(value, str):
        return (0, vn_key(value))
    if value is None or (isinstance(value, float) and value != value):
        return (-1, ())
    return (1, value)


def export_units(engine: Engine) -> pd.DataFrame:
    """One row per cell: its commune, organisation and schedule, and each one's successor (lineage). A cell's
    successor is named by its name, in its organisation's successor or else its own organisation (as the import
    reads it)."""
    new_commune = commune_t.alias("new_commune")
    new_org = organisation_t.alias("new_organisation")
    new_cell = cell_t.alias("new_cell")
    query = select(
        _commune.name,
        _commune.district,
        _commune.province,
        _org.name,
        _org.kind,
        _org.sector,
        _cell.name,
        _cell.kind,
        _cell.meeting_day,
        _cell.members,
        _cell.active_from,
        _cell.active_to,
        new_commune.c.name,
        _commune.merged_on,
        new_org.c.name,
        _org.merged_on,
        new_cell.c.name,
        _cell.merged_on,
    ).select_from(
        cell_t.join(organisation_t)
        .join(commune_t)
        .outerjoin(new_commune, new_commune.c.id == _commune.merged_into_id)
        .outerjoin(new_org, new_org.c.id == _org.merged_into_id)
        .outerjoin(new_cell, new_cell.c.id == _cell.merged_into_id)
    )
    return _frame(engine, query, "units", ["commune", "organisation", "cell"])


def export_meetings(engine: Engine) -> pd.DataFrame:
    """One row per held meeting."""
    m = meeting_t.c
    t = topic_t.c
    query = select(
        _org.name,
        _cell.name,
        m.date,
        m.kind,
        t.name_vi,
        m.members_total,
        m.members_exempt,
        m.present,
        m.absent_excused,
        m.absent_unexcused,
        m.duration_min,
        m.superior_attended,
        m.quality,
    ).select_from(meeting_t.join(cell_t).join(organisation_t).outerjoin(topic_t, m.topic_id == t.id))
    frame = _frame(engine, query, "meetings", ["organisation", "cell", "date", "kind"])
    frame["superior_attended"] = frame["superior_attended"].map(lambda v: "yes" if v else "no")
    frame["duration_min"] = frame["duration_min"].astype("Int64")
    return frame


def export_inspections(engine: Engine) -> pd.DataFrame:
    """One row per inspection or supervision."""
    i = inspection_t.c
    query = select(
        _org.name,
        _cell.name,
        i.body,
        i.kind,
        i.started_on,
        i.concluded_on,
        i.outcome,
        i.reward_level,
        i.discipline_level,
        i.follow_up_due,
        i.resolved_on,
        i.findings,
    ).select_from(
        inspection_t.join(organisation_t, i.organisation_id == _org.id).outerjoin(cell_t, i.cell_id == _cell.id)
    )
    return _frame(engine, query, "inspections", ["organisation", "cell", "started_on", "body", "kind"])


def export_ratings(engine: Engine) -> pd.DataFrame:
    """One row per classification of an organisation (cell empty) or a cell."""
    r = rating_t.c
    query = select(r.year, _org.name, _cell.name, r.level, r.scheme).select_from(
        rating_t.join(organisation_t, r.organisation_id == _org.id).outerjoin(cell_t, r.cell_id == _cell.id)
    )
    return _frame(engine, query, "ratings", ["year", "organisation", "cell", "scheme"])


EXPORTERS = {
    "units": export_units,
    "meetings": export_meetings,
    "inspections": export_inspections,
    "ratings": export_ratings,
}


def export_table(engine: Engine, kind: str) -> pd.DataFrame:
    """The database as a file of `kind` (one of units, meetings, inspections, ratings)."""
    if kind not in KINDS:
        raise ValueError(f"unknown file kind {kind!r}")
    return EXPORTERS[kind](engine)


def export_csv(engine: Engine, kind: str) -> bytes:
    """The export as CSV in UTF-8 with BOM; text that Excel would run as a formula gets a leading '."""
    frame = export_table(engine, kind)
    for column in frame.columns:
        if frame[column].dtype == object or str(frame[column].dtype).startswith("str"):
            frame[column] = frame[column].map(_neutralise)
    return frame.to_csv(index=False).encode("utf-8-sig")
