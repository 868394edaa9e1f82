"""Counts of units, for charts that show a share of a place's cells rather than a raw count."""

from __future__ import annotations

from typing import Any, cast

import pandas as pd
from sqlalchemy import Table, and_, func, or_, select
from sqlalchemy.engine import Engine

from data_access.errors import UserError
from data_access.filters import Filters, Scope
from data_access.lineage import chosen_communes, join_commune
from data_access.lineage import commune_t as _commune
from data_access.models import Cell, Organisation

_cell = cast(Table, Cell.__table__)  # type: ignore[attr-defined]
_organisation = cast(Table, Organisation.__table__)  # type: ignore[attr-defined]
PLACES = ("commune", "province")


def cells_in_period(engine: Engine, *, filters: Filters, scope: Scope, by: str = "commune") -> pd.DataFrame:
    """One row per commune (or province) with `cells`: its cells active on some day of the period up to the as-of
    date (the cell and its organisation both), under the filters and the viewer's scope. A place without such a
    cell has no row."""
    if by not in PLACES:
        raise UserError(f"cells are counted by commune or province, not by {by!r}")
    start = filters.period_from.first_day
    end = min(filters.period_to.last_day, filters.as_of)
    conditions: list[Any] = [
        _cell.c.active_from <= end,
        or_(_cell.c.active_to.is_(None), _cell.c.active_to >= start),
        _organisation.c.active_from <= end,
        or_(_organisation.c.active_to.is_(None), _organisation.c.active_to >= start),
    ]
    if scope.communes is not None:
        conditions.append(_organisation.c.commune_id.in_(sorted(scope.communes)))
    if filters.communes:
        conditions.append(chosen_communes(_organisation.c.commune_id, filters.communes))
    if filters.organisations:
        conditions.append(_organisation.c.id.in_(list(filters.organisations)))
    if filters.organisation_kind:
        conditions.append(_organisation.c.kind == filters.organisation_kind)
    place = _commune.c.name if by == "commune" else func.coalesce(_commune.c.province, "")
    stmt = (
        select(place.label(by), func.count(_cell.c.id).label("cells"))
        .select_from(
            join_commune(
                _cell.join(_organisation, _organisation.c.id == _cell.c.organisation_id),
                _organisation.c.commune_id,
                filters,
            )
        )
        .where(and_(*conditions))
        .group_by(place)
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame(
        {
            by: pd.Series([r[0] for r in rows], dtype=object),
            "cells": pd.Series([int(r[1]) for r in rows], dtype="int64"),
        }
    )
