"""Call by call, what a page's metric tables cost: where `bench_pages.py` gives a page's total, this names the call
that takes it.

    python bench/bench_calls.py --scale national --db postgres [--pages topics,regularity] [--repeat 3]

Every metric table a page asks for (with --lists, every other call too) (`bench_pages.PAGES`; nationally grouped by province as the pages do,
`bench_pages.national_calls`, with the regularity trend per province) is timed alone, cold (no Streamlit cache),
for the all-communes views over 12 months and 5 years: the median of --repeat runs, and the rows it returns.
The tiers are the cached ones of `bench/tiers.py`; PostgreSQL is read through `tiers.reader`, as the pages read it.
"""

from __future__ import annotations

import argparse
import inspect
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.engine import Engine

from bench import bench_pages, tiers
from data_access import metrics
from data_access.filters import EVERYTHING


def _calls(page: str, *, national: bool, lists: bool) -> list[bench_pages.Call]:
    calls = bench_pages.PAGES[page]
    if national:  # the province-level calls, and with --lists the lists too (which the pages ask for per province)
        kept = bench_pages.national_calls(calls)
        calls = kept + [c for c in calls if c.a_list and lists]
    trends = (bench_pages._per_province, bench_pages._per_commune_one_query)
    return [c for c in calls if lists or (c.metric and not c.a_list) or c.other in trends]


def _name(call: bench_pages.Call) -> str:
    if call.metric:
        return f"{call.metric} by {call.by}{' (previous period)' if call.previous else ''}"
    if call.other is bench_pages._per_province:
        return "regularity by month, per province"
    name = getattr(call.other, "__name__", "")
    if name == "<lambda>":  # the call as bench_pages writes it: `_o(lambda e, f: metrics.overview(e, filters=f, …))`
        source = inspect.getsource(call.other).strip()  # type: ignore[arg-type]
        body = source[source.index(":") + 1 :].strip()
        depth, end = 0, len(body)
        for at, char in enumerate(body):  # the lambda's call, up to its closing parenthesis
            depth += {"(": 1, ")": -1}.get(char, 0)
            if char == ")" and depth == 0:
                end = at + 1
                break
        return body[:end].replace(", scope=EVERYTHING", "")  # every call of the bench sees every commune
    return name.lstrip("_").replace("_", " ")


def _run(engine: Engine, call: bench_pages.Call, filters: Any) -> int:
    if call.metric:
        asked = bench_pages._filters_of(call, filters, engine)
        return (
            0
            if asked is None
            else len(metrics.compute(call.metric, engine, filters=asked, scope=EVERYTHING, by=call.by))
        )
    assert call.other is not None
    result = call.other(engine, filters)
    return len(result[0] if isinstance(result, tuple) else result)  # the grid returns (rows, number of due cells)


def bench(engine: Engine, *, pages: list[str], repeat: int, national: bool, lists: bool) -> None:
    views = bench_pages._views(engine, national=national)
    for view, filters in views.items():
        if view.startswith("one commune"):
            continue
        for page in pages:
            for call in _calls(page, national=national, lists=lists):
                times = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    rows = _run(engine, call, filters)
                    times.append(time.perf_counter() - started)
                median = statistics.median(times) * 1000
                print(f"| {view} | {page} | {_name(call)} | {median:,.0f} | {rows:,} |", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=("district", "province", "national"), default="national")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", default="regularity,topics", help="comma-separated pages of bench_pages.PAGES")
    parser.add_argument("--lists", action="store_true", help="also the page's other calls: alert lists, grids, lookups")
    args = parser.parse_args(argv)
    pages = [p for p in args.pages.split(",") if p]
    print(f"machine: {os.cpu_count()} cores, 1-min load average {os.getloadavg()[0]:.1f} at start", flush=True)
    print("| view | page | call | median ms | rows |\n|---|---|---|--:|--:|")
    log: list[str] = []
    national = args.scale == "national"
    if args.db == "sqlite":
        engine = tiers.sqlite_tier(args.scale, log)
        bench(engine, pages=pages, repeat=args.repeat, national=national, lists=args.lists)
        engine.dispose()
    else:
        server = tiers.start_cached_server()
        try:
            # read as the pages read (bench_pages): through the dashboard's read-only engine, JIT off
            engine = tiers.reader(tiers.postgres_tier(server, args.scale, log))
            bench(engine, pages=pages, repeat=args.repeat, national=national, lists=args.lists)
            engine.dispose()
        finally:
            server.stop()
    print(f"\n1-min load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
