"""`python -m data_access COMMAND …`: the command line for administrators, scripts and scheduled jobs.

Each command lives in the module that owns its work and registers itself here through `register(subparsers)`;
`run(args, out, err) -> exit code` does the work. Errors a user can fix are one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from sqlalchemy.exc import DatabaseError, IntegrityError

from data_access import accounts_cli, cli_core, cli_demo
from data_access.briefing import cli as briefing_cli
from data_access.db import describe_database_error
from data_access.errors import UserError
from data_access.importing import cli as import_cli

# Modules that contribute commands (each has `register(subparsers)`); order is the order in --help.
COMMAND_MODULES = [cli_core, cli_demo, import_cli, accounts_cli, briefing_cli]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_access", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its one-line usage error
        return int(exc.code or 0) if exc.code in (0, None) else 2
    try:
        return int(args.run(args, out, err))
    except UserError as exc:
        print(f"error: {exc}", file=err)
        return 2
    except IntegrityError as exc:
        print(f"error: the database refused the change: {_first_line(exc)}", file=err)
        return 3
    except DatabaseError as exc:  # unreachable ("cannot connect to the database: …") or a failed query
        print(f"error: {describe_database_error(exc)}", file=err)
        return 3
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130


def _first_line(exc: DatabaseError) -> str:
    return str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0]
