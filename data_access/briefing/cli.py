"""`python -m data_access briefing --month YYYY-MM …`: the monthly briefing as a PDF or DOCX file, for cron jobs.

Bad input (a month that is not YYYY-MM, in the future or without any meeting, an unknown commune or
organisation, an account that does not exist) is one line on stderr and exit code 2; nothing is written then.
The file is written whole or not at all (a temporary file renamed into place).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data_access import auth
from data_access.briefing import FORMATS, briefing_bytes, build_briefing
from data_access.cli_core import open_database
from data_access.errors import UserError
from data_access.filters import EVERYTHING, Month, Scope
from data_access.lookups import resolve_communes, resolve_organisations
from data_access.models import User
from data_access.settings import LANGUAGES, get_settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "briefing",
        help="write the monthly briefing (PDF to print, DOCX to edit) for the district, communes or an organisation",
        description="Write the briefing of MONTH: headline figures against the month before and a year before, "
        "communes (or a commune's cells) ranked worst first, what needs action, topics and inspections.",
    )
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="the month reported (not in the future)")
    p.add_argument("--commune", action="append", default=[], metavar="NAME", help="repeat for several communes")
    p.add_argument("--organisation", action="append", default=[], metavar="NAME", help="a base organisation")
    p.add_argument("--format", dest="file_format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the file to write")
    p.add_argument("--lang", choices=LANGUAGES, help="language of the briefing (default: the configured one)")
    p.add_argument("--user", metavar="USERNAME", help="write what this account may see (a commune account: its own)")
    p.set_defaults(run=_briefing)


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError:
        raise UserError(f"--month expects a month as YYYY-MM, got {text!r}") from None


def _scope_of(engine: object, username: str | None) -> Scope:
    if username is None:
        return EVERYTHING
    name = auth.normalise_username(username)
    with Session(engine) as session:  # type: ignore[arg-type]
        user = session.exec(select(User).where(User.username == name)).first()
    if user is None:
        raise UserError(f"no account named {name!r}")
    if not user.active:
        raise UserError(f"the account {name!r} is disabled")
    return auth.scope_for(user, engine if isinstance(engine, Engine) else None)


def _briefing(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    month = _month(args.month)
    if not args.out.parent.is_dir():
        raise UserError(f"--out: the folder {str(args.out.parent)!r} does not exist")
    lang = args.lang or get_settings().language
    started = time.perf_counter()
    engine = open_database(read_only=True)
    try:
        scope = _scope_of(engine, args.user)
        communes = resolve_communes(engine, args.commune, scope=scope) if args.commune else ()
        organisations = resolve_organisations(engine, args.organisation, scope=scope) if args.organisation else ()
        briefing = build_briefing(
            engine,
            month=month,
            scope=scope,
            communes=communes,
            organisations=organisations,
            target=get_settings().target_participation,
        )
    finally:
        engine.dispose()
    data = briefing_bytes(briefing, file_format=args.file_format, lang=lang, issued_on=dt.date.today())
    _write_whole(args.out, data)
    seconds = time.perf_counter() - started
    print(f"briefing {month} written to {args.out} ({len(data):,} bytes, {seconds:.1f} s)", file=out)
    return 0


def _write_whole(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, so a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
