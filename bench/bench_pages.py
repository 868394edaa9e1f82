"""Per page, how long the data of its default view takes: the product, plain SQL over raw meetings, the naive
pandas pattern and DuckDB, side by side in one run.

    python bench/bench_pages.py --scale district|province|national [--db sqlite|postgres|both] [--repeat 5]
        [--warm 0]

The tier is built once and cached under bench/.cache (bench/tiers.py); on PostgreSQL the pages read it through an
engine made as the dashboard's read-only one (`tiers.reader`). Every page's data functions are called
directly (data_access, not the st.cache wrappers, so every call is a cold Streamlit cache), with the filters of
three views: all communes × the last 12 months (the default view), all communes × 5 years (the widest), and one
commune × 12 months. `--warm N` runs each page's data N times untimed first, as a dashboard process that has served
it before (its statements compiled, and on PostgreSQL prepared by psycopg from a connection's fifth run of one on).
Printed per page and view: the median over --repeat runs of

- product: every data function the page calls for that view (metrics, alerts, details, lists, lookups), and the
  process CPU time it took (steadier than wall time on a shared machine; on PostgreSQL the server's is not in it);
- tables: only its metric tables (`metrics.compute` calls; those a page shows side by side asked in one statement,
  as `ui.data.metrics_together` asks them: `compiler.together`), the part the references below also compute;
- raw SQL: the same metric tables computed by the product's SQL over raw meetings (no aggregates);
- naive: read the tables into pandas (timed once per database, added to every page), then group in pandas;
- DuckDB: the same metric tables over the raw rows copied into an in-memory DuckDB (copy not timed).

National scale runs on PostgreSQL only, groups by province where the other scales group by commune (see
`national_calls`), and skips the naive pattern (the country's meetings do not fit the idea).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bench import reference, tiers
from data_access import browse, details, lookups, metrics
from data_access.filters import EVERYTHING, Filters
from data_access.metrics import compiler
from data_access.models import Commune

TARGET = 0.85
MISSED_WINDOW = 3
MAX_BELOW = 50
MAX_GRID_CELLS = 60  # views/regularity.py
MAX_SEPARATE_LINES = 4  # views/regularity.py
COMMUNE = "Lộc Sơn"


@dataclass(frozen=True)
class Call:
    """One data function of a page: a metric table (metric, by, previous period?) or another function."""

    metric: str | None = None
    by: str = ""
    previous: bool = False
    recorded: bool = False
    """Of the previous period's months, only those from the first recorded meeting on (meeting figures)."""
    other: Callable[[Engine, Filters], Any] | None = None
    a_list: bool = False
    """A list of cells or organisations: nationally the page waits for a province before asking (ui/places.py)."""
    together: tuple[str, ...] = ()
    """The metrics the page asks in one statement with this one (`ui.data.metrics_together`)."""
    spread: bool = False
    """Asked only when the page draws more places than MAX_SEPARATE_LINES (views/regularity.py: the band of every
    place's trend, the overall line and the weakest places named); a view of a few communes draws a line each."""


def _m(
    metric: str,
    by: str,
    *,
    previous: bool = False,
    a_list: bool = False,
    together: tuple[str, ...] = (),
    spread: bool = False,
) -> Call:
    # the pages compare meeting figures with the recorded part of the previous period (metrics.previous_recorded)
    recorded = previous and metric in metrics.MEETING_METRICS
    return Call(metric, by, previous, recorded, a_list=a_list, together=together, spread=spread)


UNIT_METRICS = ("regularity", "participation", "thematic", "superior_attendance")
"""ui/places.py UNIT_METRICS: the Organisations page's row per place, asked together (`ui.data.metrics_together`)."""


OVERVIEW_BY_MONTH = ("regularity", "participation", "superior_attendance")
OVERVIEW_BY_PLACE = ("regularity", "participation")
"""ui.warming OVERVIEW_BY_MONTH and OVERVIEW_BY_PLACE (as views/overview.py asks them): the Overview's trends and
its places ranked, each asked together."""


def _o(function: Callable[[Engine, Filters], Any], *, a_list: bool = False) -> Call:
    return Call(other=function, a_list=a_list)


def _per_commune(engine: Engine, filters: Filters) -> Any:
    """ui.data.metric_per_commune("regularity", by="month"): one call per commune of the view."""
    communes = lookups.communes(engine, scope=EVERYTHING)
    if filters.communes:
        communes = communes[communes["id"].isin(filters.communes)]
    return [
        metrics.regularity(engine, filters=replace(filters, communes=(int(i),)), scope=EVERYTHING, by="month")
        for i in communes["id"]
    ]


def _per_commune_one_query(engine: Engine, filters: Filters) -> Any:
    """The same frame from `metrics.per_commune` (one grouped query), when the product has it."""
    communes = lookups.communes(engine, scope=EVERYTHING)
    if filters.communes:
        communes = communes[communes["id"].isin(filters.communes)]
    pairs = [(int(i), str(n)) for i, n in zip(communes["id"], communes["name"], strict=True)]
    if not hasattr(metrics, "per_commune"):
        return _per_commune(engine, filters)
    return metrics.per_commune("regularity", engine, filters=filters, scope=EVERYTHING, by="month", communes=pairs)


def _history(engine: Engine, filters: Filters) -> Any:
    below = metrics.below_target(engine, filters=filters, scope=EVERYTHING, target=TARGET).head(MAX_BELOW)
    cells = tuple(zip(below["organisation"], below["cell"], strict=True))
    return details.cell_participation_history(engine, filters=filters, scope=EVERYTHING, cells=cells)


PAGES: dict[str, list[Call]] = {
    "overview": [
        _o(lambda e, f: metrics.overview(e, filters=f, scope=EVERYTHING)),
        *[_m(metric, "month", together=OVERVIEW_BY_MONTH) for metric in OVERVIEW_BY_MONTH],
        _m("inspections", "month"),
        _m("thematic", "quarter"),
        *[_m(metric, "commune", together=OVERVIEW_BY_PLACE) for metric in OVERVIEW_BY_PLACE],
        _o(lambda e, f: metrics.missed_meetings(e, filters=f, scope=EVERYTHING, window=MISSED_WINDOW), a_list=True),
        _o(lambda e, f: metrics.below_target(e, filters=f, scope=EVERYTHING, target=TARGET), a_list=True),
        _o(lambda e, f: metrics.overdue_follow_ups(e, filters=f, scope=EVERYTHING), a_list=True),
    ],
    "regularity": [
        _o(
            lambda e, f: metrics.least_regular_grid(e, filters=f, scope=EVERYTHING, max_cells=MAX_GRID_CELLS),
            a_list=True,
        ),
        _o(lambda e, f: lookups.communes(e, scope=EVERYTHING)),
        _o(_per_commune_one_query),
        # many communes: the band of their trends, the weakest named (by commune) and the overall line (by month)
        _m("regularity", "commune", spread=True),
        _m("regularity", "month", spread=True),
        _m("regularity", "organisation", a_list=True),
    ],
    # the regularity page as it was before it asked for its grid and its trend in SQL (the README's first tables)
    "regularity-before": [
        _o(lambda e, f: metrics.cell_months(e, filters=f, scope=EVERYTHING)),
        _o(lambda e, f: lookups.communes(e, scope=EVERYTHING)),
        _o(_per_commune),
        _m("regularity", "organisation"),
    ],
    "participation": [
        _m("participation", "month"),
        _o(lambda e, f: details.meeting_rate_distribution(e, filters=f, scope=EVERYTHING)),
        _m("participation", "commune"),
        _o(_history, a_list=True),  # below_target and the history of its first 50 cells
    ],
    "topics": [
        _m("topics", "topic"),
        _m("thematic", "total"),
        _m("thematic", "total", previous=True),
        _m("topics", "topic", previous=True),
        _o(lambda e, f: browse.cells_without_thematic(e, filters=f, scope=EVERYTHING), a_list=True),
        _m("topics", "quarter"),
        _m("topics", "commune"),
        _m("thematic", "quarter"),
        _m("thematic", "commune"),
    ],
    "inspections": [
        _m("inspections", "total"),
        _o(lambda e, f: metrics.overdue_follow_ups(e, filters=f, scope=EVERYTHING)),
        _o(lambda e, f: browse.open_follow_ups(e, filters=f, scope=EVERYTHING)),
        _m("inspections", "total", previous=True),
        _o(lambda e, f: metrics.overdue_follow_ups(e, filters=f.previous_period(), scope=EVERYTHING)),
        _m("inspections", "quarter"),
        _m("inspections", "commune"),
        _m("inspections", "body"),
        _m("inspections", "kind"),
    ],
    "classification": [
        _m("classification", "year"),
        _m("classification", "commune"),
        _o(lambda e, f: browse.organisation_levels(e, filters=f, scope=EVERYTHING), a_list=True),
        _o(lambda e, f: browse.excellent_runs(e, filters=f, scope=EVERYTHING, min_years=2)),
    ],
    "organisations": [
        _o(lambda e, f: browse.units(e, filters=f, scope=EVERYTHING), a_list=True),
        *[_m(metric, "commune", together=UNIT_METRICS) for metric in UNIT_METRICS],
    ],
}


def _per_province(engine: Engine, filters: Filters) -> Any:
    """ui.data.metric_per_province("regularity", by="month"): the regularity page's trend, one line per province."""
    return metrics.per_province("regularity", engine, filters=filters, scope=EVERYTHING, by="month")


# A national view groups by province where a district or province view groups by commune (ui/places.py: 168,000
# commune × month rows are more than a page can show or a Python process should receive), the regularity page's
# trend draws one line per province, and the lists of cells and organisations wait for a province to be chosen (its
# page data is then a province's); the loop of one call per commune (the "before" page) is left out.
NATIONAL_LEFT_OUT = (_per_commune,)


def national_calls(calls: list[Call]) -> list[Call]:
    out = []
    for call in calls:
        if call.other in NATIONAL_LEFT_OUT or call.a_list:
            continue
        if call.other is _per_commune_one_query:
            call = _o(_per_province)
        if call.metric and call.by == "commune" and "province" in metrics.METRICS[call.metric].groups:
            call = replace(call, by="province")
        out.append(call)
    return out


def asked_calls(calls: list[Call], filters: Filters) -> list[Call]:
    """The calls a page makes for the view `filters`: those of the band of trends only past MAX_SEPARATE_LINES."""
    few = 0 < len(filters.communes) <= MAX_SEPARATE_LINES
    return [call for call in calls if not (call.spread and few)]


def _filters_of(call: Call, filters: Filters, engine: Engine) -> Filters | None:
    """The filters a call is asked for (None: not asked, its previous period lies before the records)."""
    if not call.previous:
        return filters
    return metrics.previous_recorded(engine, filters) if call.recorded else filters.previous_period()


@contextlib.contextmanager
def _raw() -> Iterator[None]:
    """The product's SQL over raw meetings (its fast path switched off), when the product has one."""
    switch = getattr(metrics, "from_raw_meetings", None)
    with switch() if switch else contextlib.nullcontext():
        yield


CPU: dict[int, float] = {}
"""The median process CPU time of the last `_median` runs, by id of the run (steadier than wall time on a shared
machine; on SQLite it includes the database's work, on PostgreSQL only the client's)."""


def _median(run: Callable[[], Any], repeat: int) -> float:
    times, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        run()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    CPU[id(run)] = statistics.median(cpu)
    return statistics.median(times)


def _product(engine: Engine, calls: list[Call], filters: Filters, *, tables_only: bool) -> None:
    together: dict[Any, Any] = {}  # the tables a page asks together, for the rest of its run
    for call in calls:
        if call.metric:
            asked = _filters_of(call, filters, engine)
            if asked is not None:
                _metric(engine, call, asked, together)
        elif not tables_only and call.other:
            call.other(engine, filters)


def _metric(engine: Engine, call: Call, filters: Filters, together: dict[Any, Any]) -> Any:
    """A metric table as the page asks for it: alone (`metrics.compute`), or with those it shows beside it in one
    statement (`compiler.together`, as `ui.data.metrics_together`), kept for the rest of the page run."""
    assert call.metric is not None
    if not call.together:
        return metrics.compute(call.metric, engine, filters=filters, scope=EVERYTHING, by=call.by)
    key = (call.together, filters, call.by)
    if key not in together:
        together[key] = compiler.together(call.together, engine, filters=filters, scope=EVERYTHING, by=call.by)
    return together[key][call.metric]


def _views(engine: Engine, *, national: bool = False) -> dict[str, Filters]:
    with engine.connect() as conn:
        commune_id = conn.execute(select(Commune.id).where(Commune.name == COMMUNE)).scalar_one()
    everything = "whole country by province" if national else "all communes"
    return {
        f"{everything}, 12 months": Filters.last_months(12, as_of=tiers.AS_OF),
        f"{everything}, 5 years": Filters.last_months(60, as_of=tiers.AS_OF),
        "one commune, 12 months": Filters.last_months(12, as_of=tiers.AS_OF, communes=(commune_id,)),
    }


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:,.0f}" if seconds >= 0.0995 else f"{seconds * 1000:.1f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None or b == 0 else f"{a / b:.1f}×"


def bench_database(
    engine: Engine,
    *,
    label: str,
    repeat: int,
    naive: bool,
    warm: int = 0,
    duck: bool,
    pages: list[str],
    national: bool = False,
    no_raw: bool = False,
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    read_seconds = None
    tables: dict[str, pd.DataFrame] = {}
    if naive or duck:
        started = time.perf_counter()
        tables = reference.read_tables(engine)
        read_seconds = time.perf_counter() - started
        if naive and repeat > 1:
            read_seconds = min(read_seconds, _median(lambda: reference.read_tables(engine), 1))
        print(f"[{label}] naive read of the tables into pandas: {_ms(read_seconds)} ms", flush=True)
    con = None
    if duck:
        try:
            con = reference.duckdb_connection(tables)
        except ImportError:
            print("DuckDB is not installed (pip install -r bench/requirements.txt): its column is left empty")
    for view, filters in _views(engine, national=national).items():
        for page in pages:
            # one commune is one province: its page compares communes and shows its lists, as anywhere else
            calls = national_calls(PAGES[page]) if national and not filters.communes else PAGES[page]
            calls = asked_calls(calls, filters)
            metric_calls = [c for c in calls if c.metric]
            run_product = lambda c=calls, f=filters: _product(engine, c, f, tables_only=False)  # noqa: E731
            for _ in range(warm):
                run_product()
            product = _median(run_product, repeat)
            product_cpu = CPU.pop(id(run_product))
            only_tables = _median(lambda c=calls, f=filters: _product(engine, c, f, tables_only=True), repeat)
            raw = None
            if not no_raw:
                with _raw():
                    raw = _median(
                        lambda c=calls, f=filters: _product(engine, c, f, tables_only=True), max(1, repeat // 2)
                    )
            naive_s = None
            if naive:
                naive_s = read_seconds + _median(  # type: ignore[operator]
                    lambda c=metric_calls, f=filters: [
                        reference.naive_metric(tables, x.metric, a, x.by)
                        for x in c
                        if (a := _filters_of(x, f, engine)) is not None
                    ],
                    max(1, repeat // 2),
                )
            duck_s = None
            if con is not None:
                duck_s = _median(
                    lambda c=metric_calls, f=filters: [
                        reference.duckdb_metric(con, x.metric, a, x.by)
                        for x in c
                        if (a := _filters_of(x, f, engine)) is not None
                    ],
                    repeat,
                )
            row = {
                "db": label,
                "view": view,
                "page": page,
                "product": product,
                "product_cpu": product_cpu,
                "tables": only_tables,
                "raw": raw,
                "naive": naive_s,
                "duckdb": duck_s,
            }
            rows.append(row)
            print(
                f"[{label}] {view:24} {page:15} product {_ms(product):>8} ms (CPU {_ms(product_cpu):>8} ms)  "
                f"tables {_ms(only_tables):>8} ms  "
                f"raw SQL {_ms(raw):>8} ms  naive {_ms(naive_s):>8} ms  DuckDB {_ms(duck_s):>8} ms",
                flush=True,
            )
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    print()
    print(
        "| DB | view | page | product ms | product CPU ms | tables ms | raw SQL ms | naive ms | DuckDB ms "
        "| raw ÷ tables | naive ÷ tables | tables ÷ DuckDB |"
    )
    print("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        print(
            f"| {r['db']} | {r['view']} | {r['page']} | {_ms(r['product'])} | {_ms(r['product_cpu'])} "
            f"| {_ms(r['tables'])} | {_ms(r['raw'])} "
            f"| {_ms(r['naive'])} | {_ms(r['duckdb'])} | {_ratio(r['raw'], r['tables'])} "
            f"| {_ratio(r['naive'], r['tables'])} | {_ratio(r['tables'], r['duckdb'])} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=("district", "province", "national"), default="district")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--warm", type=int, default=0, help="untimed runs of each page's data first")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated pages (default all)")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive pandas pattern")
    parser.add_argument("--no-duckdb", action="store_true", help="skip DuckDB")
    parser.add_argument("--no-raw", action="store_true", help="skip plain SQL over raw meetings (minutes nationally)")
    args = parser.parse_args(argv)
    pages = [p for p in args.pages.split(",") if p]
    print(f"machine: {os.cpu_count()} cores, 1-min load average {os.getloadavg()[0]:.1f} at start", flush=True)
    log: list[str] = []
    rows: list[dict[str, Any]] = []
    naive = not args.no_naive and args.scale != "national"
    duck = not args.no_duckdb
    if args.db in ("sqlite", "both"):
        if args.scale == "national":
            print("national scale is for PostgreSQL only: SQLite skipped")
        else:
            engine = tiers.sqlite_tier(args.scale, log)
            print(*log, sep="\n")
            log.clear()
            rows += bench_database(
                engine,
                label="SQLite",
                repeat=args.repeat,
                naive=naive,
                duck=duck,
                pages=pages,
                no_raw=args.no_raw,
                warm=args.warm,
            )
            engine.dispose()
    if args.db in ("postgres", "both"):
        server = tiers.start_cached_server()
        try:
            written = tiers.postgres_tier(server, args.scale, log)
            written.dispose()
            engine = tiers.reader(written)  # the dashboard reads through its read-only engine
            print(*log, sep="\n")
            rows += bench_database(
                engine,
                label="PostgreSQL",
                repeat=args.repeat,
                warm=args.warm,
                naive=naive,
                duck=duck,
                pages=pages,
                national=args.scale == "national",
                no_raw=args.no_raw,
            )
            engine.dispose()
        finally:
            server.stop()
    print_table(rows)
    print(f"\n1-min load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
