"""Commands `demo` (write the demo dataset), `rebuild-aggregates` (recompute the derived tables), `check` (compare
them with a fresh computation) and `stats` (what the database holds)."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import TextIO

from data_access import aggregates
from data_access.cli_core import open_database
from data_access.db import engine_from_settings, has_schema
from data_access.demo import DEFAULT_SEED, SCALES, generate_demo, organisation_count
from data_access.errors import UserError
from data_access.migrations import init_db
from data_access.stats import database_stats, format_stats


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("demo", help="write the demo district (deterministic) into the configured database")
    p.add_argument(
        "--scale",
        choices=SCALES,
        default="district",
        help="district (default), province, or national (PostgreSQL only)",
    )
    p.add_argument(
        "--as-of", type=_date, default=None, help="YYYY-MM-DD; activity up to the month before (default today)"
    )
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--replace", action="store_true", help="empty the data tables first (accounts stay)")
    p.add_argument(
        "--after-reform",
        action="store_true",
        help="the district with the 2025 merger applied on 2025-07-01: 22 communes into 5, their committees and "
        "cells regrouped, meetings continuing under the new units",
    )
    p.set_defaults(run=_demo)

    p = subparsers.add_parser(
        "rebuild-aggregates",
        help="recompute the cell × month aggregates from the meetings (for a database written before they existed)",
    )
    p.set_defaults(run=_rebuild_aggregates)

    p = subparsers.add_parser(
        "check",
        help="compare every derived table with a fresh computation from the meetings and units (exit 1 on a difference)",
    )
    p.set_defaults(run=_check)

    p = subparsers.add_parser("stats", help="rows per table and the organisation figures")
    p.add_argument("--as-of", type=_date, default=None, help="count units active on this day (default today)")
    p.set_defaults(run=_stats)


def _demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    engine = engine_from_settings()
    try:
        if has_schema(engine) and not args.replace:
            existing = organisation_count(engine)
            if existing:
                raise UserError(
                    f"the database already holds {existing} organisations; use --replace to empty it and write the demo"
                )
        started = time.perf_counter()
        written = generate_demo(
            engine,
            as_of=args.as_of,
            seed=args.seed,
            scale=args.scale,
            replace=args.replace,
            after_reform=args.after_reform,
        )
        seconds = time.perf_counter() - started
        rows = ", ".join(f"{table} {count}" for table, count in written.items())
        shape = f"{args.scale} after the 2025 reform" if args.after_reform else args.scale
        print(f"demo {shape} (seed {args.seed}) written in {seconds:.1f} s: {rows}", file=out)
    finally:
        engine.dispose()
    return 0


def _rebuild_aggregates(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    engine = open_database()
    try:
        started = time.perf_counter()
        init_db(engine)  # a database at an older revision gets the tables (and their first fill) here
        counts = aggregates.rebuild(engine)
        seconds = time.perf_counter() - started
        rows = ", ".join(f"{table} {count}" for table, count in counts.items())
        print(f"aggregates rebuilt in {seconds:.1f} s: {rows}", file=out)
    finally:
        engine.dispose()
    return 0


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    engine = open_database()
    try:
        found = aggregates.differences_by_table(engine)
    finally:
        engine.dispose()
    differing = {table: rows for table, rows in found.items() if rows}
    if not differing:
        print(f"derived tables in step with the meetings and units: {', '.join(found)}", file=out)
        return 0
    listed = ", ".join(f"{table} {rows}" for table, rows in differing.items())
    print(f"derived tables differ from a fresh computation (rows): {listed}; run rebuild-aggregates", file=err)
    return 1


def _stats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    engine = open_database(read_only=True)
    try:
        stats = database_stats(engine, today=args.as_of)
        for line in format_stats(stats, database=engine.url.render_as_string(hide_password=True)):
            print(line, file=out)
    finally:
        engine.dispose()
    return 0
