"""Core commands: init and export."""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import replace
from typing import TextIO

from sqlalchemy.engine import Engine

from data_access import cli_reporting, lineage, metrics
from data_access.db import engine_from_settings, make_read_engine
from data_access.errors import UserError
from data_access.export import metric_csv
from data_access.filters import EVERYTHING, GROUPINGS, GROUPS, Filters, Month
from data_access.lookups import resolve_communes, resolve_organisations
from data_access.migrations import init_db, schema_problem
from data_access.models import ORGANISATION_KINDS


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "init",
        aliases=["upgrade"],
        help="create or upgrade the schema in the configured database (safe to run again)",
        description="Apply the schema migrations: create the tables in an empty database, upgrade an older schema, "
        "adopt a database made before migrations existed. Running it again changes nothing.",
    )
    p.set_defaults(run=_init)

    p = subparsers.add_parser(
        "export",
        help="print a metric table as CSV (the data contract)",
        description="Print METRIC grouped by GROUP as CSV on standard output. The period defaults to the 12 months "
        "ending with the as-of month; the as-of date defaults to today.",
    )
    tables = sorted([*metrics.METRICS, cli_reporting.NAME])
    p.add_argument("metric", choices=tables, metavar="METRIC", help=", ".join(tables))
    p.add_argument(
        "--by",
        dest="group",
        choices=[*GROUPS, "topic", "body", "kind"],
        metavar="GROUP",
        help="commune, organisation, cell, month, quarter, year (topics: topic)",
    )
    p.add_argument("--commune", action="append", default=[], metavar="NAME", help="repeat for several communes")
    p.add_argument("--organisation", action="append", default=[], metavar="NAME")
    p.add_argument("--organisation-kind", choices=ORGANISATION_KINDS)
    p.add_argument("--from", dest="period_from", metavar="YYYY-MM")
    p.add_argument("--to", dest="period_to", metavar="YYYY-MM")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD")
    p.add_argument(
        "--month",
        metavar="YYYY-MM",
        help="reporting only: the month whose reporting status to print, one row per commune (status received, "
        "late, missing or not_due against the REPORTING_DEADLINE_DAY of the next month; --as-of stands for today)",
    )
    p.add_argument(
        "--group",
        dest="grouping",
        choices=GROUPINGS,
        help="across a merger of communes: today (each record under its commune's successor; the default when the "
        "period crosses a merger) or recorded (the communes of the time)",
    )
    p.set_defaults(run=_export)


def open_database(*, read_only: bool = False) -> Engine:
    """The configured database, which must already hold the schema. `read_only`: for a command that only reads
    (export, briefing, stats), the dashboard's read-only engine (`db.make_read_engine`: `DATABASE_READ_URL`
    when set, every transaction READ ONLY, and on PostgreSQL no JIT compiling)."""
    engine = engine_from_settings()  # a missing SQLite file is then "no schema yet", not "cannot open"
    problem = schema_problem(engine)
    if problem is not None:
        url = engine.url.render_as_string(hide_password=True)
        engine.dispose()
        raise UserError(f"the database {url} {problem}")
    if read_only:
        engine.dispose()
        return make_read_engine()
    return engine


def _init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    engine = engine_from_settings()
    try:
        outcome = init_db(engine)
    finally:
        engine.dispose()
    print(f"{outcome} in {engine.url.render_as_string(hide_password=True)}", file=out)
    return 0


def _month(text: str | None, flag: str) -> Month | None:
    if text is None:
        return None
    try:
        return Month.parse(text)
    except ValueError:
        raise UserError(f"{flag} expects a month as YYYY-MM, got {text!r}") from None


def filters_from_args(args: argparse.Namespace, engine: Engine) -> Filters:
    try:
        as_of = dt.date.fromisoformat(args.as_of) if args.as_of else dt.date.today()
    except ValueError:
        raise UserError(f"--as-of expects a date as YYYY-MM-DD, got {args.as_of!r}") from None
    end = _month(args.period_to, "--to") or Month.of(as_of)
    start = _month(args.period_from, "--from") or end - 11
    if end < start:
        raise UserError(f"--from {start} is after --to {end}")
    filters = Filters(
        period_from=start,
        period_to=end,
        as_of=as_of,
        communes=resolve_communes(engine, args.commune, scope=EVERYTHING) if args.commune else (),
        organisations=resolve_organisations(engine, args.organisation, scope=EVERYTHING) if args.organisation else (),
        organisation_kind=args.organisation_kind,
    )
    grouping = getattr(args, "grouping", None) or lineage.default_grouping(
        filters, lineage.merger_dates(engine, scope=EVERYTHING)
    )
    return replace(filters, grouping=grouping)


def _export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.month and args.metric != cli_reporting.NAME:
        raise UserError("--month is for export reporting; metric tables take --from and --to")
    engine = open_database(read_only=True)
    try:
        if args.metric == cli_reporting.NAME:
            return cli_reporting.export_reporting(args, engine, out)
        filters = filters_from_args(args, engine)
        df = metrics.compute(args.metric, engine, filters=filters, scope=EVERYTHING, by=args.group)
    finally:
        engine.dispose()
    out.write(metric_csv(df))
    return 0
