"""The compiler: (measures, filters, scope, grouping) -> one SQL statement.

A metric summed from the cell-month grain (`definitions.SUMMED`: regularity, participation, superior attendance,
long meetings, thematic coverage) is the sum of some measures (`definitions.FAMILIES`) per group. The compiler
picks the coarsest source that can answer (`_plan`):

- `commune_month` for the whole months before the as-of month, when its span covers the period and the view is
  by province, commune or time, not filtered to organisations; the as-of month from the cells;
- else the cells: `cell_month` for whole months and the raw meetings of the as-of month up to the as-of day (due
  cell-months from `cell_month.held_days`);
- or, for the reference of the tests (`raw=True`), the raw meetings only.

Every part gives rows of (key, month index m, the measures, zero where a part has none of a measure); they are
united, named (`scoping._units` for cells, `scoping._named_rows` for the stored sums: where a row's commune is
decided, as recorded or as today across a merger), grouped (`scoping._group_keys`; by organisation or cell on ids
only, the names read after: `_id_keys`, `_names_after`) and summed, a group kept when one of the metric's
`KEPT_WHEN` measures is above zero in it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd
from sqlalchemy import Float, Select, and_, func, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from data_access.filters import GROUP_COLUMNS, Filters, Scope
from data_access.lineage import commune_t
from data_access.measures import MEETING_MEASURES, _int, _sum, cell_t, organisation_t
from data_access.metrics.binding import (
    AS_OF_SLOT,
    _as_of_month_only,
    _due_quarter_range,
    _whole_months,
    binding,
    bound_value,
    params_of,
    period_value,
    shape_of,
    slot,
    unit_shape,
)
from data_access.metrics.cells import _due_cell_months, _due_cell_quarters, _monthly_in_scope
from data_access.metrics.definitions import (
    FAMILIES,
    FAMILY_OF,
    KEPT_WHEN,
    METRIC_COLUMNS,
    SUMMED,
    check_group,
    rates_of,
)
from data_access.metrics.rollups import (
    _COMMUNES,
    COMMUNE_GROUPS,
    _covers,
    _stored_spans,
    _Summed,
    _summed_conditions,
)
from data_access.metrics.scoping import (
    _PER_PLACE,
    PER_COMMUNE_KEY,
    PER_PROVINCE_KEY,
    UNIT_COLUMNS,
    _counted,
    _fast,
    _group_keys,
    _meetings_in_scope,
    _named_rows,
    _united,
)
from data_access.metrics.shaping import table_frame

Spans = Mapping[str, tuple[int, int]]


@dataclass(frozen=True)
class Plan:
    """Where a statement reads its rows: a table of month sums (`summed`) or the cells; `raw`: the meetings only;
    `per_cell`: the meeting sums summed per cell first (a view by cell: no month needed)."""

    summed: _Summed | None
    raw: bool = False
    per_cell: bool = False


def _plan(families: set[str], filters: Filters, by: str, spans: Spans, *, raw: bool) -> Plan:
    """The coarsest source that answers every family of measures over the filters' period."""
    if raw:
        return Plan(None, raw=True)
    if by in COMMUNE_GROUPS and not filters.organisations:
        path = _COMMUNES
        lo, hi = _whole_months(filters)
        q_first, q_last = _due_quarter_range(filters)
        needs = [(lo, hi)] if families & {"months", "meetings"} else []
        needs += [(q_first * 3, q_last * 3 + 2)] if "quarters" in families else []
        if all(_covers(spans, path.name, first, last) for first, last in needs):
            return Plan(path)
    return Plan(None, per_cell=by == "cell")


def _padded(values: Mapping[str, Any], measures: Sequence[str]) -> list[Any]:
    """The columns `measures` of a part: its own values, zero for the measures it has none of."""
    return [(values[m] if m in values else _int(0)).label(m) for m in measures]


def _cell_parts(
    family: str, filters: Filters, scope: Scope, measures: Sequence[str], plan: Plan, dialect: str
) -> list[Select[Any]]:
    """The rows of `family` per cell (its unit columns, m, `measures`) from the cells or, `plan.raw`, the meetings."""
    if family == "months":
        due = _due_cell_months(filters, scope, raw=plan.raw)
        values = {
            "due_cell_months": _int(1),
            "held_cell_months": due.c.held,
            "on_fixed_day_cell_months": due.c.on_fixed_day,
        }
        return [select(*[due.c[u] for u in UNIT_COLUMNS], due.c.m, *_padded(values, measures))]
    if family == "quarters":
        dueq = _due_cell_quarters(filters, scope, raw=plan.raw)
        values = {"due_cell_quarters": _int(1), "covered_cell_quarters": dueq.c.covered}
        return [select(*[dueq.c[u] for u in UNIT_COLUMNS], dueq.c.m, *_padded(values, measures))]
    if plan.raw:
        mt = _meetings_in_scope(filters, scope).subquery("mt")
        values = {name: MEETING_MEASURES[name](mt.c) for name in FAMILIES["meetings"]}
        return [select(*[mt.c[u] for u in UNIT_COLUMNS], mt.c.m, *_padded(values, measures))]
    monthly = _monthly_in_scope(filters, scope, per_cell=plan.per_cell, dialect=dialect)
    m = _int(0).label("m") if plan.per_cell else monthly.c.m
    values = {name: monthly.c[name] for name in FAMILIES["meetings"]}
    return [select(*[monthly.c[u] for u in UNIT_COLUMNS], m, *_padded(values, measures))]


def _summed_parts(
    family: str, filters: Filters, scope: Scope, measures: Sequence[str], path: _Summed, dialect: str
) -> list[Select[Any]]:
    """The rows of `family` per place of `path` (its key, m, `measures`): its stored sums for the whole months,
    the cells for the as-of month."""
    t = path.table.c
    where = _summed_conditions(path, filters, scope, path.table)
    own = {name: t[name] for name in FAMILIES[family]}
    if family == "quarters":
        return [
            select(t[path.key], t.month.label("m"), *_padded(own, measures)).where(
                t.month >= period_value("q_lo", filters), t.month <= period_value("q_hi", filters), *where
            )
        ]
    parts: list[Select[Any]] = []
    lo, hi = _whole_months(filters)
    if lo <= hi:
        # due cell-months of the commune-months that count (reported ones), keyed by the commune stored
        counted = [_counted(t.commune_id, t.month)] if family == "months" else []
        parts.append(
            select(t[path.key], t.month.label("m"), *_padded(own, measures)).where(
                t.month >= period_value("lo", filters), t.month <= period_value("hi", filters), *where, *counted
            )
        )
    as_of_month = _as_of_month_only(filters)
    if as_of_month is not None:
        with slot(AS_OF_SLOT):  # its own bounds: those of the as-of month
            as_of_parts = _cell_parts(family, as_of_month, scope, measures, Plan(None), dialect)
        for part in as_of_parts:
            rows = part.subquery("asof")
            parts.append(select(rows.c[path.key], rows.c.m, *[rows.c[m] for m in measures]))
    return parts


def statement(
    sums: Mapping[str, str],
    filters: Filters,
    scope: Scope,
    by: str,
    *,
    spans: Spans,
    dialect: str,
    raw: bool = False,
    kept_when: Sequence[str] = (),
    having: Callable[[Any], ColumnElement[bool]] | None = None,
) -> Select[Any]:
    """ONE statement: per group of `by`, each column of `sums` (column -> measure) summed over the filters, scope
    and period. `kept_when`: a group is kept when one of these measures is above zero in it (and `having(rows)`
    holds, when given); never applied to an ungrouped total, which is one row even without any."""
    measures = list(dict.fromkeys(sums.values()))
    families = [f for f in FAMILIES if any(FAMILY_OF[m] == f for m in measures)]
    plan = _plan(set(families), filters, by, spans, raw=raw)
    parts: list[Select[Any]] = []
    if plan.summed is not None:
        for family in families:
            parts += _summed_parts(family, filters, scope, measures, plan.summed, dialect)
        if not parts:  # no whole month and no as-of month in the period: the cells say so
            plan = Plan(None, per_cell=by == "cell")
    if plan.summed is None:
        for family in families:
            parts += _cell_parts(family, filters, scope, measures, plan, dialect)
    united = _united(parts).subquery("rows")
    rows = united if plan.summed is None else _named_rows(plan.summed.key, united, measures, filters)
    by_ids = by in ("organisation", "cell")
    keys = _id_keys(by, rows) if by_ids else _group_keys(by, rows)
    stmt = select(*keys, *[_sum(rows.c[m]).label(column) for column, m in sums.items()]).select_from(rows)
    if keys:
        stmt = stmt.group_by(*keys)
        conditions = [or_(*[func.sum(rows.c[m]) > 0 for m in kept_when])] if kept_when else []
        if having is not None:
            conditions.append(having(rows.c))
        if conditions:
            stmt = stmt.having(and_(*conditions))
    return _names_after(by, stmt.subquery("groups"), list(sums)) if by_ids else stmt


def _id_keys(by: str, rows: Any) -> list[Any]:
    """The GROUP BY of a view by organisation or cell: ids only (`_group_keys` less the names, the commune's id in
    their place); `_names_after` names the groups. SQLite sorts the rows to group them and PostgreSQL hashes them:
    carrying the names as well cost a province's five years by organisation 706 -> 586 ms on SQLite and 837 ->
    546 ms on PostgreSQL (bench/results/2026-12-04-grid-and-rate-distribution.txt, C)."""
    named = {"commune", "organisation", "cell"}
    keys = [k for k in _group_keys(by, rows) if k.name not in named]
    place = 1 if _PER_PLACE.get() is not None else 0
    return [*keys[:place], rows.c.commune_id.label("g_commune_id"), *keys[place:]]


def _names_after(by: str, groups: Any, columns: Sequence[str]) -> Select[Any]:
    """The groups of `_id_keys` with the columns `_group_keys` gives: the names of their commune (the one the rows
    were named under), organisation and cell, read by id."""
    g = groups.c
    place = [c for c in g if c.name in (PER_COMMUNE_KEY, PER_PROVINCE_KEY)]
    names = [commune_t.c.name.label("commune"), g.g_org_id, organisation_t.c.name.label("organisation")]
    joined = groups.join(commune_t, commune_t.c.id == g.g_commune_id).join(
        organisation_t, organisation_t.c.id == g.g_org_id
    )
    if by == "cell":
        names += [g.g_cell_id, cell_t.c.name.label("cell")]
        joined = joined.join(cell_t, cell_t.c.id == g.g_cell_id)
    return select(*place, *names, *[g[c] for c in columns]).select_from(joined)


def _shape(filters: Filters, scope: Scope) -> tuple[Any, ...]:
    """What of the filters and scope decides a statement's text: which unit conditions, which parts of the period
    (those of its as-of month are decided by the period's)."""
    return (*unit_shape(filters, scope), *shape_of(filters))


def spans_of(conn: Connection | Engine, raw: bool = False) -> Spans:
    """The months each table of month sums covers (none needed for the raw reference)."""
    return {} if raw else _stored_spans(conn)


@dataclass(frozen=True)
class Compiled:
    """A statement built in `binding.binding()` and the names of the values it binds."""

    statement: Select[Any]
    names: frozenset[str]


_COMPILED: dict[Hashable, Compiled] = {}
_COMPILED_MAX = 256
"""Statements kept, the least recently used dropped first (one is some 400 kB with SQLAlchemy's compiled form; a
dashboard's pages and views use a few dozen shapes)."""
_verify = False


def verify_compiled(on: bool) -> None:
    """With `on`, every call also builds its statement afresh and checks that the one reused has the same SQL
    text and, with this call's values bound, the same parameters (the tests switch it on: a value written into a
    reused statement instead of bound, or a difference of shape missing from its key, fails there)."""
    global _verify
    _verify = on


def compiled(key: Hashable, build: Callable[[], Select[Any]], values: Mapping[str, Any], dialect: Any) -> Any:
    """The statement `build()` gives, built once per `key` (what decides its text: metric, grouping, plan,
    dialect, shape of filters and scope), and the parameters binding this call's `values` (`binding.params_of`)
    to it: execute it as `conn.execute(statement, parameters)`."""
    known = _COMPILED.pop(key, None)
    if known is None or _verify:
        with binding() as bound:
            fresh = Compiled(build(), frozenset(bound))
        if known is None:
            known = fresh
            while len(_COMPILED) >= _COMPILED_MAX:
                del _COMPILED[next(iter(_COMPILED))]
        else:
            _check_same(known, fresh, values, dialect)
    _COMPILED[key] = known  # the most recently used last
    missing = known.names - values.keys()
    if missing:
        raise RuntimeError(f"no value for the bound parameters {sorted(missing)}")
    return known.statement, {name: values[name] for name in known.names}


def execute(
    conn: Connection,
    key: tuple[Any, ...],
    build: Callable[[], Select[Any]],
    filters: Filters,
    scope: Scope,
    periods: Sequence[tuple[str, Filters]] = (),
) -> Any:
    """Execute on `conn` the statement `build()` gives for `filters` and `scope`, built once per `key` and dialect
    (`compiled`; the key names what decides its text besides the shape of the filters and scope, which is added),
    the values of `filters` (and of `periods`, under their slots) bound. Returns the result."""
    full_key = (*key, conn.dialect.name, _PER_PLACE.get(), *_shape(filters, scope))
    values = params_of(filters, scope, periods)
    stmt, parameters = compiled(full_key, build, values, conn.dialect)
    return conn.execute(stmt, parameters)


def _check_same(known: Compiled, fresh: Compiled, values: Mapping[str, Any], dialect: Any) -> None:
    old, new = known.statement.compile(dialect=dialect), fresh.statement.compile(dialect=dialect)
    if str(old) != str(new):
        raise AssertionError(f"a reused statement differs from a fresh one:\n{old}\n---\n{new}")
    bound = {name: values[name] for name in known.names}
    if old.construct_params(bound) != new.construct_params():
        raise AssertionError(f"a reused statement binds other values than a fresh one: {bound}")


def table(
    metric: str,
    engine: Engine,
    filters: Filters,
    scope: Scope,
    by: str,
    *,
    raw: bool,
    below: float | None = None,
) -> pd.DataFrame:
    """The table of a metric of `SUMMED` grouped `by`: `tables` of that one metric. `below` (participation): only
    the groups whose rate is below it (the database drops the others first, with a margin, the exact test is the
    rate's)."""
    return tables([metric], engine, filters, scope, by, raw=raw, below=below)[metric]


def together(
    metrics: Sequence[str], engine: Engine, *, filters: Filters, scope: Scope, by: str
) -> dict[str, pd.DataFrame]:
    """`tables` of the metrics, from the raw meetings inside `scoping.from_raw_meetings()` as every metric is."""
    return tables(metrics, engine, filters, scope, by, raw=not _fast())


def tables(
    metrics: Sequence[str],
    engine: Engine,
    filters: Filters,
    scope: Scope,
    by: str,
    *,
    raw: bool,
    below: float | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables of several metrics of `SUMMED` grouped the same way `by`, each the frame `table` gives: the
    metrics read from the same source (`_plan`) asked in ONE statement, every measure they need summed once per
    group (the groups kept when one of any metric's `KEPT_WHEN` measures is above zero), each metric's rows then
    those where one of its own is (what its own statement's HAVING keeps) and its columns named from its measures.
    A page that shows several metrics by month or by commune asks the database once instead of once each.

    `below` (one metric, participation): only the groups whose rate is below it (`table`).
    Each statement is built once per shape (`compiled`) and executed with this call's values bound."""
    for metric in metrics:
        check_group(metric, by)
    out: dict[str, pd.DataFrame] = {}
    dialect = engine.dialect.name
    values: dict[str, Any] = params_of(filters, scope)
    having = None
    if below is not None:
        values["below_margin"] = margin = float(below) + 1e-9
        having = lambda c: func.sum(c.present) < func.sum(c.expected) * bound_value("below_margin", margin, Float())  # noqa: E731
    with engine.connect() as conn:
        spans = spans_of(conn, raw)
        together: dict[Plan, list[str]] = {}
        for metric in dict.fromkeys(metrics):
            families = {FAMILY_OF[m] for m in SUMMED[metric].values()}
            together.setdefault(_plan(families, filters, by, spans, raw=raw), []).append(metric)
        for plan, asked in together.items():
            measures = list(dict.fromkeys(m for metric in asked for m in SUMMED[metric].values()))
            kept = list(dict.fromkeys(m for metric in asked for m in KEPT_WHEN[metric]))
            sums = {m: m for m in measures}
            key = ("tables", tuple(asked), by, below is not None, plan, dialect, _PER_PLACE.get())
            build = partial(
                statement,
                sums,
                filters,
                scope,
                by,
                spans=spans,
                dialect=dialect,
                raw=raw,
                kept_when=kept,
                having=having,
            )
            stmt, parameters = compiled((*key, *_shape(filters, scope)), build, values, engine.dialect)
            result = conn.execute(stmt, parameters)
            rows, names = result.all(), list(result.keys())
            for metric in asked:
                out[metric] = _table_of(metric, rows, names, by, measures, below)
    return {metric: out[metric] for metric in metrics}


def _table_of(
    metric: str, rows: Sequence[Any], names: Sequence[str], by: str, measures: Sequence[str], below: float | None
) -> pd.DataFrame:
    """`metric`'s frame from the rows of a statement of several metrics' `measures` (after its group keys)."""
    keys = len(names) - len(measures)
    at = {m: keys + i for i, m in enumerate(measures)}
    own = [at[m] for m in SUMMED[metric].values()]
    if keys:  # a grouped table: only the groups its own statement keeps (an ungrouped total is always one row)
        kept = [at[m] for m in KEPT_WHEN[metric]]
        rows = [row for row in rows if any(row[i] > 0 for i in kept)]
    projected = [(*row[:keys], *[row[i] for i in own]) for row in rows]
    columns = GROUP_COLUMNS.get(by, ()) + METRIC_COLUMNS[metric]
    return table_frame(projected, [*names[:keys], *SUMMED[metric]], by, columns, rates=rates_of(metric), below=below)
