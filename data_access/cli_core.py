"""Core commands: init, stats, export."""

from __future__ import annotations

import argparse
from typing import TextIO

from data_access.db import engine_from_settings, init_db


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("init", help="create the schema in the configured database")
    p.set_defaults(run=_init)


def _init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    engine = engine_from_settings()
    init_db(engine)
    print(f"schema ready in {engine.url.render_as_string(hide_password=True)}", file=out)
    engine.dispose()
    return 0
