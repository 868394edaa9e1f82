"""`python -m data_access import KIND FILE`: import a file from a script or a scheduled job.

Prints one line per problem (row, column, value, message) and a summary. Exit code 0 when the file was imported
(or, with --dry-run, would import cleanly), 2 when it has problems (nothing written).
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import Engine

from data_access.errors import UserError
from data_access.importing.api import import_file
from data_access.importing.checking import Consent
from data_access.importing.exporting import export_csv
from data_access.importing.report import ImportReport
from data_access.importing.vocab import KINDS
from data_access.settings import LANGUAGES, get_settings

_SEVERITY = {"vi": {"error": "lỗi", "warning": "cảnh báo", "notice": "thông báo"}}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = subparsers.add_parser("import", help="import a units, meetings, inspections or ratings file (CSV or XLSX)")
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=f"one of: {', '.join(KINDS)}")
    p.add_argument("file", type=Path, metavar="FILE", help="a .csv (UTF-8, , or ;) or .xlsx file")
    p.add_argument("--sheet", metavar="NAME", help="the XLSX sheet to read (default: the first)")
    p.add_argument("--dry-run", action="store_true", help="check the file and count changes; write nothing")
    p.add_argument("--lang", choices=LANGUAGES, help="language of the report (default: the configured one)")
    p.add_argument("--by", metavar="NAME", help="who imports (default: the system user)")
    p.add_argument(
        "--allow-clearing",
        action="store_true",
        help="accept blank cells that erase stored values (without it such a file is refused)",
    )
    p.add_argument(
        "--confirm-new",
        action="store_true",
        help="accept new communes, organisations and cells whose names are close to existing ones",
    )
    p.add_argument(
        "--allow-moves", action="store_true", help="accept moving an organisation (and its cells) to another commune"
    )
    p.set_defaults(run=_import)

    e = subparsers.add_parser("export-data", help="print the database as a units/meetings/… file (CSV)")
    e.add_argument("kind", choices=KINDS, metavar="KIND", help=f"one of: {', '.join(KINDS)}")
    e.add_argument("--output", type=Path, metavar="FILE", help="write to FILE (UTF-8 with BOM) instead of stdout")
    e.set_defaults(run=_export)


def _engine() -> Engine:
    from data_access.cli_core import open_database

    return open_database()


def print_report(report: ImportReport, out: TextIO, *, lang: str) -> None:
    for problem in report.problems:
        where = f"{report.file_name}:{problem.row}" if problem.row else report.file_name
        column = problem.header or problem.column
        if column:
            where += f" [{column}]"
        value = f" «{problem.value}»" if problem.value else ""
        severity = _SEVERITY.get(lang, {}).get(problem.severity, problem.severity)
        print(f"{where}{value} {severity}: {problem.message(lang)}", file=out)
    if report.truncated:
        shown, total = len(report.problems), report.errors + report.warnings + report.notices
        print(f"… {total - shown} more / {total}", file=out)
    changes = report.change_lines(lang)
    if changes:
        print("thay đổi của các dòng cập nhật:" if lang == "vi" else "changes in the updated rows:", file=out)
        for line in changes:
            print(f"  {line}", file=out)
    print(report.summary(lang), file=out)


def _import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    lang = args.lang or get_settings().language
    if not args.file.is_file():
        raise UserError(f"no such file: {args.file}")
    engine = _engine()
    try:
        report = import_file(
            engine,
            args.kind,
            args.file,
            file_name=args.file.name,
            imported_by=args.by or getpass.getuser(),
            sheet=args.sheet,
            dry_run=args.dry_run,
            consent=Consent(
                allow_clearing=args.allow_clearing, confirm_new=args.confirm_new, allow_moves=args.allow_moves
            ),
        )
    finally:
        engine.dispose()
    print_report(report, out, lang=lang)
    return 0 if report.ok else 2


def _export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    engine = _engine()
    try:
        data = export_csv(engine, args.kind)
    finally:
        engine.dispose()
    if args.output:
        args.output.write_bytes(data)
        print(f"wrote {args.output}", file=err)
    else:
        out.write(data.decode("utf-8-sig"))
    return 0
