"""The registry: one entry per metric table of the data contract, and the calls that go through it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from data_access.errors import UserError
from data_access.filters import Filters, Scope
from data_access.metrics import definitions as d
from data_access.metrics.meetings import (
    long_meetings,
    participation,
    regularity,
    superior_attendance,
    thematic,
    topics,
)
from data_access.metrics.reviews import classification, inspections
from data_access.metrics.scoping import _PER_PLACE, PER_COMMUNE_KEY, PER_PROVINCE_KEY
from data_access.metrics.shaping import _dtype, _empty


@dataclass(frozen=True)
class MetricSpec:
    id: str
    function: Callable[..., pd.DataFrame]
    columns: tuple[str, ...]
    rate_columns: tuple[str, ...]
    groups: tuple[str, ...]
    default_group: str = "commune"


def _spec(
    metric: str, function: Callable[..., pd.DataFrame], columns: tuple[str, ...], default: str = "commune"
) -> MetricSpec:
    rates = tuple(c for c in columns if c in d.RATES or c == "good_or_above_share")
    return MetricSpec(metric, function, columns, rates, d.GROUPS[metric], default)


METRICS: dict[str, MetricSpec] = {
    "regularity": _spec("regularity", regularity, d.REGULARITY_COLUMNS),
    "participation": _spec("participation", participation, d.PARTICIPATION_COLUMNS),
    "thematic": _spec("thematic", thematic, d.THEMATIC_COLUMNS),
    "topics": _spec("topics", topics, d.TOPIC_COLUMNS, "topic"),
    "superior_attendance": _spec("superior_attendance", superior_attendance, d.SUPERIOR_COLUMNS),
    "long_meetings": _spec("long_meetings", long_meetings, d.LONG_MEETING_COLUMNS),
    "inspections": _spec("inspections", inspections, d.INSPECTION_COLUMNS),
    "classification": _spec("classification", classification, d.CLASSIFICATION_COLUMNS),
}


def compute(metric: str, engine: Engine, *, filters: Filters, scope: Scope, by: str | None = None) -> pd.DataFrame:
    """The metric table `metric` grouped by `by` (its default grouping when None)."""
    if metric not in METRICS:
        raise UserError(f"unknown metric {metric!r}; choose one of: {', '.join(METRICS)}")
    spec = METRICS[metric]
    return spec.function(engine, filters=filters, scope=scope, by=by or spec.default_group)


def _keyed_by(place: str, metric: str, engine: Engine, *, filters: Filters, scope: Scope, by: str) -> pd.DataFrame:
    """`compute` with each row's commune id or province first (`scoping._group_keys`, PER_COMMUNE_KEY or
    PER_PROVINCE_KEY), so one query answers every place."""
    token = _PER_PLACE.set(place)
    try:
        return compute(metric, engine, filters=filters, scope=scope, by=by)
    finally:
        _PER_PLACE.reset(token)


def per_commune(
    metric: str,
    engine: Engine,
    *,
    filters: Filters,
    scope: Scope,
    by: str,
    communes: Sequence[tuple[int, str]],
) -> pd.DataFrame:
    """`metric` grouped `by` for each commune of `communes` (id, name) in turn, a `commune` column first: the same
    frame as one `compute` call per commune with `filters.communes` = that commune, concatenated (what
    `ui.data.metric_per_commune` builds), from a single query grouped by commune as well."""
    if not communes:
        return pd.DataFrame(columns=["commune", by, *METRICS[metric].columns])
    chosen = replace(filters, communes=tuple(i for i, _ in communes))
    table = _keyed_by("commune", metric, engine, filters=chosen, scope=scope, by=by)
    if PER_COMMUNE_KEY not in table.columns:  # no rows: `_finish` gave the bare columns (communes are str)
        return pd.DataFrame(
            {"commune": pd.Series(dtype="str")} | {c: pd.Series(dtype=_dtype(c)) for c in table.columns}
        )
    # each commune's rows in the order of `communes`, keeping their order inside a commune
    position = {commune_id: i for i, (commune_id, _) in enumerate(communes)}
    names = dict(communes)
    keyed = table[table[PER_COMMUNE_KEY].isin(position)]
    keyed = keyed.iloc[np.argsort(keyed[PER_COMMUNE_KEY].map(position).to_numpy(), kind="stable")]
    columns = [c for c in keyed.columns if c != PER_COMMUNE_KEY]
    out = keyed[columns].reset_index(drop=True)
    if set(position) - set(keyed[PER_COMMUNE_KEY].tolist()):  # concatenating an empty part gives object labels
        for col in columns:
            if _dtype(col) == "object":
                out[col] = out[col].astype(object)
    if "commune" in out.columns:  # a grouping by organisation or cell names each row's commune already: put it first
        out = out.drop(columns="commune")
    out.insert(0, "commune", [names[int(i)] for i in keyed[PER_COMMUNE_KEY]])
    return out


def per_province(metric: str, engine: Engine, *, filters: Filters, scope: Scope, by: str) -> pd.DataFrame:
    """`metric` grouped `by` for each province of the view, a `province` column first ('' for communes without
    one): the same frame as one `compute` call per province (its communes as `filters.communes`), concatenated in
    Vietnamese order of the provinces with rows, from a single query grouped by province as well. What a national
    view draws where a province's view draws one line per commune."""
    table = _keyed_by("province", metric, engine, filters=filters, scope=scope, by=by)
    if PER_PROVINCE_KEY not in table.columns:  # no rows: `_finish` gave the bare columns
        return _empty(("province", *table.columns))
    return table.rename(columns={PER_PROVINCE_KEY: "province"})
