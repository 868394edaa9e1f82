"""Names the interface and the CLI choose from, within the viewer's scope, and name -> id resolution."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.engine import Engine

from data_access.errors import UserError
from data_access.filters import Scope
from data_access.frames import rows_frame
from data_access.lineage import chosen_communes, commune_t
from data_access.measures import organisation_t
from data_access.vnsort import vn_order


def normalise_name(text: str) -> str:
    """NFC, trimmed, inner white space collapsed: how names are compared everywhere."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def _listed(engine: Engine, stmt: Select[Any], columns: Sequence[str]) -> pd.DataFrame:
    """The rows of `stmt`, named `columns`, in Vietnamese order of their `name`."""
    with engine.connect() as conn:
        df = rows_frame(conn.execute(stmt).all(), columns)
    return df.iloc[vn_order(df["name"].tolist())].reset_index(drop=True)


def communes(engine: Engine, *, scope: Scope) -> pd.DataFrame:
    """One row per commune the viewer may see: id, name, code, district, province (Vietnamese order)."""
    stmt = select(commune_t.c.id, commune_t.c.name, commune_t.c.code, commune_t.c.district, commune_t.c.province)
    if scope.communes is not None:
        stmt = stmt.where(commune_t.c.id.in_(sorted(scope.communes)))
    return _listed(engine, stmt, ["id", "name", "code", "district", "province"])


def organisations(engine: Engine, *, scope: Scope, communes: Sequence[int] = ()) -> pd.DataFrame:
    """One row per base organisation in scope (and in `communes` when given): id, name, kind, commune_id, commune."""
    stmt = select(
        organisation_t.c.id,
        organisation_t.c.name,
        organisation_t.c.kind,
        organisation_t.c.commune_id,
        commune_t.c.name.label("commune"),
    ).join(commune_t, commune_t.c.id == organisation_t.c.commune_id)
    if scope.communes is not None:
        stmt = stmt.where(organisation_t.c.commune_id.in_(sorted(scope.communes)))
    if communes:
        stmt = stmt.where(chosen_communes(organisation_t.c.commune_id, communes))
    return _listed(engine, stmt, ["id", "name", "kind", "commune_id", "commune"])


def _resolve(names: Iterable[str], choices: pd.DataFrame, what: str) -> tuple[int, ...]:
    """The ids of `names` among `choices` (id, name); an unknown name is a UserError, with the closest as a hint."""
    known = {normalise_name(n): int(i) for n, i in zip(choices["name"], choices["id"], strict=True)}
    ids: list[int] = []
    for raw in names:
        name = normalise_name(raw)
        if name in known:
            ids.append(known[name])
            continue
        close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UserError(f"unknown {what}: {name!r}{hint}")
    return tuple(dict.fromkeys(ids))


def resolve_communes(engine: Engine, names: Iterable[str], *, scope: Scope) -> tuple[int, ...]:
    """Commune ids for `names`; a name that is unknown or outside the scope is a UserError."""
    return _resolve(names, communes(engine, scope=scope), "commune")


def resolve_organisations(engine: Engine, names: Iterable[str], *, scope: Scope) -> tuple[int, ...]:
    """Organisation ids for `names`; a name that is unknown or outside the scope is a UserError."""
    return _resolve(names, organisations(engine, scope=scope), "organisation")
