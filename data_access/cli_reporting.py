"""`python -m data_access export reporting --month YYYY-MM [--commune NAME ...]`: who has reported a month."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TextIO

import pandas as pd
from sqlalchemy.engine import Engine

from data_access import reporting
from data_access.errors import UserError
from data_access.export import neutralise_formulas
from data_access.filters import EVERYTHING, Month
from data_access.lookups import resolve_communes
from data_access.settings import local_today

NAME = "reporting"
"""The table `export` prints for this name, beside the metric tables."""


def export_reporting(args: argparse.Namespace, engine: Engine, out: TextIO) -> int:
    """Print one row per commune for --month: commune, status, received_at (Vietnam time), file, cells,
    cells_with_meetings. The deadline is REPORTING_DEADLINE_DAY; --as-of stands for today."""
    extra = [flag for flag, given in (("--by", args.group), ("--organisation", args.organisation)) if given]
    extra += [flag for flag, given in (("--organisation-kind", args.organisation_kind),) if given]
    extra += [f for f, v in (("--from", args.period_from), ("--to", args.period_to)) if v]
    if extra:
        raise UserError(f"export reporting takes --month, --commune and --as-of only, not {', '.join(extra)}")
    if not args.month:
        raise UserError("export reporting needs --month YYYY-MM")
    try:
        month = Month.parse(args.month)
    except ValueError:
        raise UserError(f"--month expects a month as YYYY-MM, got {args.month!r}") from None
    try:
        today = dt.date.fromisoformat(args.as_of) if args.as_of else local_today()
    except ValueError:
        raise UserError(f"--as-of expects a date as YYYY-MM-DD, got {args.as_of!r}") from None
    communes = resolve_communes(engine, args.commune, scope=EVERYTHING) if args.commune else None
    table = reporting.status_for_month(engine, month, scope=EVERYTHING, communes=communes, today=today)
    out.write(reporting_csv(table))
    return 0


def reporting_csv(table: pd.DataFrame) -> str:
    """The CSV text of a status table: received_at as `YYYY-MM-DD HH:MM` (empty when not received or unknown)."""
    shown = neutralise_formulas(table)
    shown["received_at"] = [
        "" if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m-%d %H:%M") for v in table["received_at"]
    ]
    return shown.to_csv(index=False, lineterminator="\n")
