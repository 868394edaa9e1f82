# ruff: noqa: S608  -- SQL text is assembled from fixed fragments of this module (group keys from _KEY_SQL); values are bound
"""The two reference patterns of bench/bench_pages.py, over the same raw rows as the product.

- naive: read the tables into pandas (every call, as a dashboard without aggregates does), then group in pandas;
- DuckDB: the raw tables copied once into an in-memory DuckDB (not timed), then one SQL query per metric table.

Both compute the metric tables the pages ask for (regularity, participation, superior attendance, thematic
coverage, topics, inspections, classification) with the due-month and due-quarter rules of docs/metrics.md. They are
timing references: their numbers are not part of the product and are not checked against it row by row.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from data_access.filters import Filters, Month

TABLES = ("commune", "organisation", "cell", "meeting", "topic", "inspection", "rating")
_KEY_SQL = {
    "total": [],
    "province": ["province"],
    "commune": ["commune_id"],
    "organisation": ["organisation_id"],
    "cell": ["cell_id"],
    "month": ["m"],
    "quarter": ["m // 3"],
    "year": ["m // 12"],
    "topic": [],
    "body": ["body"],
    "kind": ["kind"],
}


def read_tables(engine: Engine, names: tuple[str, ...] = TABLES) -> dict[str, pd.DataFrame]:
    with engine.connect() as conn:
        return {name: pd.read_sql_table(name, conn) for name in names}


def _month(series: pd.Series) -> pd.Series:
    dates = pd.to_datetime(series)
    return dates.dt.year * 12 + dates.dt.month - 1


def _bounds(filters: Filters) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(filters.period_from.first_day), pd.Timestamp(min(filters.period_to.last_day, filters.as_of))


def _due_month(frame: pd.DataFrame, column: str, *, last: bool) -> pd.Series:
    dates = pd.to_datetime(frame[column])
    m = dates.dt.year * 12 + dates.dt.month - 1
    if last:
        return m.fillna(10**7)
    return m + (dates.dt.day > 1).astype("int64")


# --------------------------------------------------------------------------------------------------------------
# naive: pandas


def _naive_cells(t: dict[str, pd.DataFrame], filters: Filters) -> pd.DataFrame:
    org = t["organisation"].rename(columns={"id": "organisation_id", "name": "organisation"})
    org["org_first"] = _due_month(org, "active_from", last=False)
    org["org_last"] = _due_month(org, "active_to", last=True)
    cells = t["cell"].rename(columns={"id": "cell_id", "name": "cell"})
    cells["first_due"] = _due_month(cells, "active_from", last=False)
    cells["last_due"] = _due_month(cells, "active_to", last=True)
    cells = cells.merge(
        org[["organisation_id", "organisation", "commune_id", "org_first", "org_last", "kind"]],
        on="organisation_id",
        suffixes=("", "_org"),
    )
    cells["first_due"] = cells[["first_due", "org_first"]].max(axis=1)
    cells["last_due"] = cells[["last_due", "org_last"]].min(axis=1)
    if filters.communes:
        cells = cells[cells["commune_id"].isin(filters.communes)]
    return cells


def _naive_meetings(t: dict[str, pd.DataFrame], cells: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    start, end = _bounds(filters)
    meetings = t["meeting"]
    dates = pd.to_datetime(meetings["date"])
    meetings = meetings[(dates >= start) & (dates <= end)].copy()
    meetings["m"] = _month(meetings["date"])
    return meetings.merge(cells[["cell_id", "organisation_id", "commune_id", "meeting_day"]], on="cell_id")


def _keys(frame: pd.DataFrame, by: str) -> list[Any]:
    if by in ("total", "topic"):
        return []
    if by == "quarter":
        return [frame["m"] // 3]
    if by == "year":
        return [frame["m"] // 12]
    return [
        frame[{"commune": "commune_id", "organisation": "organisation_id", "cell": "cell_id", "month": "m"}.get(by, by)]
    ]


def _group(frame: pd.DataFrame, by: str, extra: list[Any] | None = None) -> Any:
    keys = _keys(frame, by) + (extra or [])
    return frame.groupby(keys) if keys else frame.groupby(lambda _: 0)


def naive_metric(t: dict[str, pd.DataFrame], metric: str, filters: Filters, by: str) -> pd.DataFrame:
    cells = _naive_cells(t, filters)
    if metric in ("participation", "superior_attendance", "topics"):
        meetings = _naive_meetings(t, cells, filters)
        meetings["expected"] = meetings["members_total"] - meetings["members_exempt"]
        if metric == "participation":
            return _group(meetings, by).agg(
                meetings=("id", "size"),
                expected=("expected", "sum"),
                present=("present", "sum"),
                absent_excused=("absent_excused", "sum"),
                absent_unexcused=("absent_unexcused", "sum"),
            )
        if metric == "superior_attendance":
            return _group(meetings, by).agg(meetings=("id", "size"), attended=("superior_attended", "sum"))
        topical = meetings[meetings["topic_id"].notna()]
        return _group(topical, by, [topical["topic_id"]]).agg(meetings=("id", "size"), cells=("cell_id", "nunique"))
    if metric == "regularity":
        as_of = Month.of(filters.as_of).index
        months = pd.DataFrame({"m": range(filters.period_from.index, min(filters.period_to.index, as_of) + 1)})
        grid = cells[["cell_id", "organisation_id", "commune_id", "meeting_day", "first_due", "last_due"]].merge(
            months, how="cross"
        )
        grid = grid[
            (grid["m"] >= grid["first_due"])
            & (grid["m"] <= grid["last_due"])
            & ((grid["m"] < as_of) | ((grid["m"] == as_of) & (grid["meeting_day"] < filters.as_of.day)))
        ]
        meetings = _naive_meetings(t, cells, filters)
        held = meetings[meetings["kind"].isin(("regular", "combined"))].copy()
        held["fixed"] = (pd.to_datetime(held["date"]).dt.day == held["meeting_day"]).astype("int64")
        per = held.groupby(["cell_id", "m"], as_index=False).agg(on_fixed_day=("fixed", "max"))
        per["held"] = 1
        grid = grid.merge(per, on=["cell_id", "m"], how="left").fillna({"held": 0, "on_fixed_day": 0})
        return _group(grid, by).agg(due=("cell_id", "size"), held=("held", "sum"), fixed=("on_fixed_day", "sum"))
    if metric == "thematic":
        as_of = Month.of(filters.as_of).index
        q_first = -(-filters.period_from.index // 3)
        q_last = min((filters.period_to.index - 2) // 3, (as_of - 3) // 3)
        quarters = pd.DataFrame({"q": range(q_first, q_last + 1)})
        grid = cells[["cell_id", "organisation_id", "commune_id", "first_due", "last_due"]].merge(quarters, how="cross")
        grid = grid[(grid["q"] * 3 >= grid["first_due"]) & (grid["q"] * 3 <= grid["last_due"])]
        grid["m"] = grid["q"] * 3
        meetings = _naive_meetings(t, cells, filters)
        thematic = meetings[meetings["kind"].isin(("thematic", "combined"))].copy()
        thematic["q"] = thematic["m"] // 3
        covered = thematic[["cell_id", "q"]].drop_duplicates().assign(covered=1)
        grid = grid.merge(covered, on=["cell_id", "q"], how="left").fillna({"covered": 0})
        due = _group(grid, by).agg(due=("cell_id", "size"), covered=("covered", "sum"))
        held = _group(thematic, by).size().rename("thematic_meetings")
        return due.join(held, how="outer")
    if metric == "inspections":
        insp = t["inspection"].merge(
            t["organisation"][["id", "commune_id"]].rename(columns={"id": "organisation_id"}), on="organisation_id"
        )
        if filters.communes:
            insp = insp[insp["commune_id"].isin(filters.communes)]
        when = pd.to_datetime(insp["concluded_on"].fillna(insp["started_on"]))
        start, end = _bounds(filters)
        insp = insp[(when >= start) & (when <= end)].copy()
        insp["m"] = _month(insp["concluded_on"].fillna(insp["started_on"]))
        insp["cell_id"] = insp["cell_id"].fillna(0)
        for outcome in ("commended", "satisfactory", "correction_required", "disciplined"):
            insp[outcome] = (insp["outcome"] == outcome).astype("int64")
        return _group(insp, by).agg(
            inspections=("id", "size"),
            commended=("commended", "sum"),
            satisfactory=("satisfactory", "sum"),
            correction=("correction_required", "sum"),
            disciplined=("disciplined", "sum"),
        )
    if metric == "classification":
        ratings = t["rating"].merge(
            t["organisation"][["id", "commune_id"]].rename(columns={"id": "organisation_id"}), on="organisation_id"
        )
        ratings = ratings[ratings["cell_id"].isna() if by != "cell" else ratings["cell_id"].notna()]
        if filters.communes:
            ratings = ratings[ratings["commune_id"].isin(filters.communes)]
        ratings = ratings[
            (ratings["year"] >= filters.period_from.year)
            & (ratings["year"] <= min(filters.period_to.year, filters.as_of.year))
        ].copy()
        ratings["m"] = ratings["year"] * 12
        extra = [ratings["year"]] if by != "year" else []
        return _group(ratings, by, extra).agg(rated=("id", "size"))
    raise ValueError(metric)


# --------------------------------------------------------------------------------------------------------------
# DuckDB


def duckdb_connection(tables: dict[str, pd.DataFrame]) -> Any:
    import duckdb

    con = duckdb.connect()
    for name, frame in tables.items():
        con.register(f"{name}_df", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_df")  # fixed table names
        con.unregister(f"{name}_df")
    con.execute(
        """CREATE VIEW cells AS
        SELECT c.id AS cell_id, c.meeting_day, o.id AS organisation_id, o.commune_id, coalesce(cm.province, '') AS province,
          greatest(year(c.active_from)*12+month(c.active_from)-1+(day(c.active_from)>1)::INT,
                   year(o.active_from)*12+month(o.active_from)-1+(day(o.active_from)>1)::INT) AS first_due,
          least(coalesce(year(c.active_to)*12+month(c.active_to)-1, 10000000),
                coalesce(year(o.active_to)*12+month(o.active_to)-1, 10000000)) AS last_due
        FROM cell c JOIN organisation o ON o.id = c.organisation_id JOIN commune cm ON cm.id = o.commune_id"""
    )
    return con


_COMMUNES = "(? = 0 OR commune_id IN (SELECT unnest(?::INTEGER[])))"


def duckdb_metric(con: Any, metric: str, filters: Filters, by: str) -> pd.DataFrame:
    keys = list(_KEY_SQL[by])
    if metric == "topics":
        keys.append("topic_id")
    if metric == "classification" and by != "year":
        keys.append("year")
    select_keys = ", ".join(keys)
    group = f"GROUP BY {select_keys}" if keys else ""
    head = f"{select_keys}, " if keys else ""
    start, end = _bounds(filters)
    communes = [len(filters.communes), list(filters.communes)]
    meetings = (
        "SELECT m.*, year(m.date)*12+month(m.date)-1 AS m, c.organisation_id, c.commune_id, c.province, c.meeting_day "
        "FROM meeting m JOIN cells c ON c.cell_id = m.cell_id "
        f"WHERE m.date BETWEEN ? AND ? AND {_COMMUNES}"
    )
    mparams = [start.date(), end.date(), *communes]
    as_of = Month.of(filters.as_of).index
    if metric == "participation":
        sql = (
            f"SELECT {head}count(*), sum(members_total-members_exempt), sum(present), sum(absent_excused), "
            f"sum(absent_unexcused) FROM ({meetings}) {group}"
        )
        params = mparams
    elif metric == "superior_attendance":
        sql = f"SELECT {head}count(*), sum(superior_attended::INT) FROM ({meetings}) {group}"
        params = mparams
    elif metric == "topics":
        sql = f"SELECT {head}count(*), count(DISTINCT cell_id) FROM ({meetings}) WHERE topic_id IS NOT NULL {group}"
        params = mparams
    elif metric == "regularity":
        last = min(filters.period_to.index, as_of)
        sql = (
            f"WITH held AS (SELECT cell_id, m, max((day(date) = meeting_day)::INT) AS fixed FROM ({meetings}) "
            "WHERE kind IN ('regular','combined') GROUP BY cell_id, m), "
            "grid AS (SELECT c.*, g.m FROM cells c, range(?, ? + 1) g(m) "
            f"WHERE g.m BETWEEN c.first_due AND c.last_due AND {_COMMUNES} "
            "AND (g.m < ? OR (g.m = ? AND c.meeting_day < ?))) "
            f"SELECT {head}count(*), count(h.cell_id), coalesce(sum(h.fixed), 0) FROM grid "
            f"LEFT JOIN held h USING (cell_id, m) {group}"
        )
        params = [*mparams, filters.period_from.index, last, *communes, as_of, as_of, filters.as_of.day]
    elif metric == "thematic":
        q_first = -(-filters.period_from.index // 3)
        q_last = min((filters.period_to.index - 2) // 3, (as_of - 3) // 3)
        sql = (
            f"WITH th AS (SELECT * FROM ({meetings}) WHERE kind IN ('thematic','combined')), "
            "cov AS (SELECT DISTINCT cell_id, m // 3 AS q FROM th), "
            "grid AS (SELECT c.*, g.q * 3 AS m, g.q FROM cells c, range(?, ? + 1) g(q) "
            f"WHERE g.q * 3 BETWEEN c.first_due AND c.last_due AND {_COMMUNES}) "
            f"SELECT {head}count(*), count(cov.cell_id) FROM grid LEFT JOIN cov USING (cell_id, q) {group}"
        )
        params = [*mparams, q_first, q_last, *communes]
        due = con.execute(sql, params).df()
        held = con.execute(
            f"SELECT {head}count(*) FROM th_src {group}".replace(
                "th_src", f"({meetings}) WHERE kind IN ('thematic','combined')"
            ),
            mparams,
        ).df()
        return (
            due.merge(held, how="outer", on=[c for c in due.columns if c in held.columns and c != "count_star()"])
            if keys
            else pd.concat([due, held], axis=1)
        )
    elif metric == "inspections":
        sql = (
            f"SELECT {head}count(*), sum((outcome='commended')::INT), sum((outcome='satisfactory')::INT), "
            "sum((outcome='correction_required')::INT), sum((outcome='disciplined')::INT) FROM ("
            "SELECT i.*, o.commune_id, coalesce(cm.province, '') AS province, i.organisation_id AS org, "
            "year(coalesce(concluded_on, started_on))*12+month(coalesce(concluded_on, started_on))-1 AS m "
            "FROM inspection i JOIN organisation o ON o.id = i.organisation_id JOIN commune cm ON cm.id = o.commune_id "
            f"WHERE coalesce(concluded_on, started_on) BETWEEN ? AND ? AND {_COMMUNES}"
            f") {group}"
        )
        params = mparams
    elif metric == "classification":
        cell_condition = "r.cell_id IS NOT NULL" if by == "cell" else "r.cell_id IS NULL"
        sql = (
            f"SELECT {head}count(*), sum((level='excellent')::INT), sum((level='good')::INT) FROM ("
            "SELECT r.*, o.commune_id, r.year*12 AS m FROM rating r JOIN organisation o ON o.id = r.organisation_id "
            f"WHERE {cell_condition} AND r.year BETWEEN ? AND ? AND {_COMMUNES}) {group}"
        )
        params = [filters.period_from.year, min(filters.period_to.year, filters.as_of.year), *communes]
    else:
        raise ValueError(metric)
    return con.execute(sql, params).df()
